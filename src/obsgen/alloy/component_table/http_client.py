"""The HTTP client blocks and Alloy's HTTPClientConfig, which several component families embed."""

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

# Alloy's HTTPClientConfig, embedded in the arguments of every component that talks HTTP.
HTTP_CLIENT_CONFIG: Members = (
        Block("basic_auth", "*BasicAuth", BASIC_AUTH),
        Block("authorization", "*Authorization", AUTHORIZATION),
        Block("oauth2", "*OAuth2Config", OAUTH2_CONFIG),
        Attr("bearer_token", "alloytypes.Secret"),
        Attr("bearer_token_file", "string"),
        Attr("proxy_url", "URL"),
        Attr("no_proxy", "string"),
        Attr("proxy_from_environment", "bool"),
        Attr("proxy_connect_header", "map[string][]alloytypes.Secret"),
        Block("tls_config", "TLSConfig", TLS_CONFIG),
        Attr("follow_redirects", "bool"),
        Attr("enable_http2", "bool"),
        Attr("http_headers", "map[string][]alloytypes.Secret"),
    )
