"""The HTTP client blocks (basic_auth, authorization, tls_config, oauth2) families share."""

from __future__ import annotations

from obsgen.alloy.component_types import Attr, Block, Members

BASIC_AUTH: Members = (
        Attr("username", "string"),
        Attr("password", "alloytypes.Secret"),
        Attr("password_file", "string"),
    )

AUTHORIZATION: Members = (
        Attr("type", "string"),
        Attr("credentials", "alloytypes.Secret"),
        Attr("credentials_file", "string"),
    )

TLS_CONFIG: Members = (
        Attr("ca_pem", "string"),
        Attr("ca_file", "string"),
        Attr("cert_pem", "string"),
        Attr("cert_file", "string"),
        Attr("key_pem", "alloytypes.Secret"),
        Attr("key_file", "string"),
        Attr("server_name", "string"),
        Attr("insecure_skip_verify", "bool"),
        Attr("min_version", "TLSVersion"),
    )

OAUTH2_CONFIG: Members = (
        Attr("client_id", "string"),
        Attr("client_secret", "alloytypes.Secret"),
        Attr("client_secret_file", "string"),
        Attr("scopes", "[]string"),
        Attr("token_url", "string"),
        Attr("endpoint_params", "map[string]string"),
        Attr("proxy_url", "URL"),
        Attr("no_proxy", "string"),
        Attr("proxy_from_environment", "bool"),
        Attr("proxy_connect_header", "map[string][]alloytypes.Secret"),
        Block("tls_config", "*TLSConfig", TLS_CONFIG),
    )
