"""The Alloy components obsgen emits and checks: their arguments, blocks, exports and
deprecations, as data.

The argument tree of each component was read from the struct tags of grafana/alloy at commit
66ebea8 (release line v1.18; the facts in ../shared/corpus/alloy/components.json) and is kept
here as Python so that the corpus is never a runtime dependency;
tests/unit/test_alloy_components.py compares the two so that drift is caught. What the struct
tags do not say (the gRPC server block of otelcol.receiver.otlp, closed value sets,
deprecations, the standard library) comes from Alloy's reference documentation.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Union

Kind = Literal["string", "number", "bool", "list", "map", "capsule", "secret", "any"]


@dataclass(frozen=True)
class ValueType:
    """What an attribute accepts. `capsule` names the Go value passed by reference between
    components (an Appendable, a LogsReceiver, an OTLP consumer); `form` is a string syntax
    checked on literals (`duration`, `bytes`)."""

    kind: Kind
    element: ValueType | None = None
    capsule: str = ""
    form: str = ""


@dataclass(frozen=True)
class Attr:
    name: str
    go_type: str
    required: bool = False
    deprecated: str = ""  # what to write instead, when the attribute is deprecated


@dataclass(frozen=True)
class Block:
    """A block argument. `enum` blocks are written `name.member { ... }` (loki.process's
    `stage.json`), one member per block, repeatable and ordered. A `recursive` block takes the
    members of the nearest enclosing block of the same name (a `stage.match` nests stages)."""

    name: str
    go_type: str
    members: Members
    required: bool = False
    enum: bool = False
    recursive: bool = False
    unchecked: bool = False  # a body whose members are not modelled (or checked elsewhere)

    @property
    def repeatable(self) -> bool:
        return self.enum or self.go_type.startswith("[]")


Member = Union[Attr, Block]  # noqa: UP007 - a runtime alias, used before Block is complete
Members = tuple[Member, ...]


@dataclass(frozen=True)
class Component:
    name: str
    go_file: str  # where the arguments struct lives in grafana/alloy
    arguments: Members
    exports: tuple[Attr, ...] = ()


STRING = ValueType("string")
NUMBER = ValueType("number")
BOOL = ValueType("bool")
DURATION = ValueType("string", form="duration")
BYTES = ValueType("string", form="bytes")
SECRET = ValueType("secret")
STRINGS = ValueType("list", STRING)
STRING_MAP = ValueType("map", STRING)
TARGET = ValueType("map", STRING)
APPENDABLE = ValueType("capsule", capsule="prometheus metrics receiver (storage.Appendable)")
LOGS_RECEIVER = ValueType("capsule", capsule="loki logs receiver (loki.LogsReceiver)")
CONSUMER = ValueType("capsule", capsule="otelcol consumer")
AUTH_HANDLER = ValueType("capsule", capsule="otelcol auth handler")
RELABEL_RULES = ValueType("capsule", capsule="relabel rules")
EXTENSION = ValueType("capsule", capsule="otelcol extension")

# The value type behind each Go type of the table (a leading `*` is dropped first).
GO_TYPES: dict[str, ValueType] = {
    "string": STRING, "Regexp": STRING, "Action": STRING, "URL": STRING,
    "TLSVersion": STRING, "Level": STRING, "CompressionType": STRING, "SourceType": STRING,
    "Template": STRING, "Source": STRING,
    "bool": BOOL,
    "int": NUMBER, "int64": NUMBER, "uint": NUMBER, "uint32": NUMBER, "uint64": NUMBER,
    "float64": NUMBER,
    "time.Duration": DURATION,
    "units.Base2Bytes": BYTES,
    "alloytypes.Secret": SECRET,
    "[]string": STRINGS, "flagext.StringSlice": STRINGS,
    "[]float64": ValueType("list", NUMBER),
    "map[string]string": STRING_MAP, "map[string]*string": STRING_MAP,
    "map[string][]alloytypes.Secret": ValueType("map", ValueType("list", SECRET)),
    "url.Values": ValueType("map", STRINGS),
    "[]discovery.Target": ValueType("list", TARGET),
    "storage.Appendable": APPENDABLE, "[]storage.Appendable": ValueType("list", APPENDABLE),
    "loki.LogsReceiver": LOGS_RECEIVER, "[]loki.LogsReceiver": ValueType("list", LOGS_RECEIVER),
    "Consumer": CONSUMER, "[]Consumer": ValueType("list", CONSUMER),
    "auth.Handler": AUTH_HANDLER, "Handler": AUTH_HANDLER,
    "alloy_relabel.Rules": RELABEL_RULES,
    "extension.ExtensionHandler": EXTENSION,
    "any": ValueType("any"),
}

# Closed value sets, by Go type (Alloy's relabel actions).
CLOSED_VALUES: dict[str, tuple[str, ...]] = {
    "Action": ("replace", "keep", "drop", "hashmod", "labelmap", "labeldrop", "labelkeep",
               "keepequal", "dropequal", "lowercase", "uppercase"),
}

# Argument names whose value is a credential: a string literal there is a secret in the file.
SECRET_NAMES = ("password", "token", "api_key", "apikey", "secret", "credentials",
                "bearer_token", "client_secret", "secret_key", "key_pem", "access_key")

# The standard library's top-level names (Alloy v1.18): namespaces and functions. A reference
# rooted at one of these is not a component reference.
STDLIB = ("array", "base64_decode", "coalesce", "concat", "constants", "convert", "encoding",
          "env", "file", "format", "join", "json_decode", "json_path", "nonsensitive",
          "replace", "split", "string", "sys", "target", "to_lower", "to_upper", "trim",
          "trim_prefix", "trim_space", "trim_suffix", "yaml_decode")

# Deprecated standard-library functions (since v1.4.0) and what replaces them.
DEPRECATED_FUNCTIONS: dict[str, str] = {
    "env": "sys.env", "base64_decode": "encoding.from_base64", "concat": "array.concat",
    "format": "string.format", "join": "string.join", "json_decode": "encoding.from_json",
    "nonsensitive": "convert.nonsensitive", "replace": "string.replace",
    "split": "string.split", "to_lower": "string.to_lower", "to_upper": "string.to_upper",
    "trim": "string.trim", "trim_prefix": "string.trim_prefix",
    "trim_space": "string.trim_space", "trim_suffix": "string.trim_suffix",
    "yaml_decode": "encoding.from_yaml",
}

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

RELABEL_RULE: Members = (
        Attr("source_labels", "[]string"),
        Attr("separator", "string"),
        Attr("regex", "Regexp"),
        Attr("modulus", "uint64"),
        Attr("target_label", "string"),
        Attr("replacement", "string"),
        Attr("action", "Action"),
    )

REMOTE_WRITE_ENDPOINT: Members = (
        Attr("name", "string"),
        Attr("url", "string", required=True),
        Attr("remote_timeout", "time.Duration"),
        Attr("headers", "map[string]string"),
        Attr("send_exemplars", "bool"),
        Attr("send_native_histograms", "bool"),
        Attr("protobuf_message", "string"),
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
        Block("queue_config", "*QueueOptions", (
                Attr("capacity", "int"),
                Attr("max_shards", "int"),
                Attr("min_shards", "int"),
                Attr("max_samples_per_send", "int"),
                Attr("batch_send_deadline", "time.Duration"),
                Attr("min_backoff", "time.Duration"),
                Attr("max_backoff", "time.Duration"),
                Attr("retry_on_http_429", "bool"),
                Attr("sample_age_limit", "time.Duration"),
            )),
        Block("metadata_config", "*MetadataOptions", (
                Attr("send", "bool"),
                Attr("send_interval", "time.Duration"),
                Attr("max_samples_per_send", "int"),
            )),
        Block("write_relabel_config", "[]*alloy_relabel.Config", RELABEL_RULE),
        Block("sigv4", "*SigV4Config", (
                Attr("region", "string"),
                Attr("access_key", "string"),
                Attr("secret_key", "alloytypes.Secret"),
                Attr("profile", "string"),
                Attr("role_arn", "string"),
                Attr("external_id", "string"),
                Attr("use_fips_sts_endpoint", "bool"),
                Attr("service_name", "string"),
            )),
        Block("azuread", "*AzureADConfig", (
                Block("managed_identity", "*ManagedIdentityConfig", (
                        Attr("client_id", "string", required=True),
                    )),
                Block("workload_identity", "*WorkloadIdentityConfig", (
                        Attr("client_id", "string", required=True),
                        Attr("tenant_id", "string", required=True),
                        Attr("token_file_path", "string"),
                    )),
                Block("oauth", "*OAuthConfig", (
                        Attr("client_id", "string", required=True),
                        Attr("client_secret", "alloytypes.Secret", required=True),
                        Attr("tenant_id", "string", required=True),
                    )),
                Block("sdk", "*SDKConfig", (
                        Attr("tenant_id", "string", required=True),
                    )),
                Attr("cloud", "string"),
                Attr("scope", "string"),
            )),
        Block("google_iam", "*GoogleIAMConfig", (
                Attr("credentials_file", "string"),
            )),
        Attr("round_robin_dns", "bool"),
    )

FIELDS_ONLY: Members = (
        Attr("fields", "string"),
    )

TPM_CONFIG: Members = (
        Attr("enabled", "bool"),
        Attr("path", "string"),
        Attr("owner_auth", "string"),
        Attr("auth", "string"),
    )

TLS_SERVER_ARGUMENTS: Members = (
        Attr("ca_pem", "string"),
        Attr("ca_file", "string"),
        Attr("cert_pem", "string"),
        Attr("cert_file", "string"),
        Attr("key_pem", "alloytypes.Secret"),
        Attr("key_file", "string"),
        Attr("min_version", "string"),
        Attr("max_version", "string"),
        Attr("reload_interval", "time.Duration"),
        Attr("cipher_suites", "[]string"),
        Attr("include_insecure_cipher_suites", "bool"),
        Attr("include_system_ca_certs_pool", "bool"),
        Attr("curve_preferences", "[]string"),
        Block("tpm", "*TPMConfig", TPM_CONFIG),
        Attr("client_ca_file", "string"),
    )

HTTP_CONFIG_ARGUMENTS: Members = (
        Attr("endpoint", "string"),
        Block("tls", "*TLSServerArguments", TLS_SERVER_ARGUMENTS),
        Block("cors", "*CORSArguments", (
                Attr("allowed_origins", "[]string"),
                Attr("allowed_headers", "[]string"),
                Attr("exposed_headers", "[]string"),
                Attr("max_age", "int"),
            )),
        Attr("auth", "*auth.Handler"),
        Attr("max_request_body_size", "units.Base2Bytes"),
        Attr("include_metadata", "bool"),
        Attr("compression_algorithms", "[]string"),
        Attr("keep_alives_enabled", "*bool"),
        Attr("idle_timeout", "time.Duration"),
        Attr("read_timeout", "time.Duration"),
        Attr("write_timeout", "time.Duration"),
        Attr("read_header_timeout", "time.Duration"),
        Attr("traces_url_path", "string"),
        Attr("metrics_url_path", "string"),
        Attr("logs_url_path", "string"),
    )

# Not in the struct-tag extract (the type lives in another package); from the reference docs of
# otelcol.receiver.otlp.
GRPC_SERVER_ARGUMENTS: Members = (
    Attr("endpoint", "string"),
    Attr("transport", "string"),
    Block("tls", "*TLSServerArguments", TLS_SERVER_ARGUMENTS),
    Attr("max_recv_msg_size", "units.Base2Bytes"),
    Attr("max_concurrent_streams", "int"),
    Attr("read_buffer_size", "units.Base2Bytes"),
    Attr("write_buffer_size", "units.Base2Bytes"),
    Attr("include_metadata", "bool"),
    Attr("auth", "*auth.Handler"),
    Block("keepalive", "*KeepaliveServerArguments", (
        Block("server_parameters", "*KeepaliveServerParamaters", (
            Attr("max_connection_idle", "time.Duration"),
            Attr("max_connection_age", "time.Duration"),
            Attr("max_connection_age_grace", "time.Duration"),
            Attr("time", "time.Duration"),
            Attr("timeout", "time.Duration"),
        )),
        Block("enforcement_policy", "*KeepaliveEnforcementPolicy", (
            Attr("min_time", "time.Duration"),
            Attr("permit_without_stream", "bool"),
        )),
    )),
)

DEBUG_METRICS_ARGUMENTS: Members = (
        Attr("disable_high_cardinality_metrics", "bool"),
        Attr("level", "Level"),
    )

CONSUMER_ARGUMENTS: Members = (
        Attr("metrics", "[]Consumer"),
        Attr("logs", "[]Consumer"),
        Attr("traces", "[]Consumer"),
    )

BATCH_CONFIG: Members = (
        Attr("flush_timeout", "time.Duration"),
        Attr("min_size", "int64"),
        Attr("max_size", "int64"),
        Attr("sizer", "string"),
    )

QUEUE_ARGUMENTS: Members = (
        Attr("enabled", "bool"),
        Attr("num_consumers", "int"),
        Attr("queue_size", "int64"),
        Attr("block_on_overflow", "bool"),
        Attr("sizer", "string"),
        Attr("wait_for_result", "bool"),
        Block("batch", "*BatchConfig", BATCH_CONFIG),
        Attr("storage", "*extension.ExtensionHandler"),
    )

RETRY_ARGUMENTS: Members = (
        Attr("enabled", "bool"),
        Attr("initial_interval", "time.Duration"),
        Attr("randomization_factor", "float64"),
        Attr("multiplier", "float64"),
        Attr("max_interval", "time.Duration"),
        Attr("max_elapsed_time", "time.Duration"),
    )

TLS_CLIENT_ARGUMENTS: Members = (
        Attr("ca_pem", "string"),
        Attr("ca_file", "string"),
        Attr("cert_pem", "string"),
        Attr("cert_file", "string"),
        Attr("key_pem", "alloytypes.Secret"),
        Attr("key_file", "string"),
        Attr("min_version", "string"),
        Attr("max_version", "string"),
        Attr("reload_interval", "time.Duration"),
        Attr("cipher_suites", "[]string"),
        Attr("include_insecure_cipher_suites", "bool"),
        Attr("include_system_ca_certs_pool", "bool"),
        Attr("curve_preferences", "[]string"),
        Block("tpm", "*TPMConfig", TPM_CONFIG),
        Attr("insecure", "bool"),
        Attr("insecure_skip_verify", "bool"),
        Attr("server_name", "string"),
    )

HTTP_CLIENT_ARGUMENTS: Members = (
        Attr("endpoint", "string", required=True),
        Attr("proxy_url", "string"),
        Attr("compression", "CompressionType"),
        Block("compression_params", "*CompressionParams", (
                Attr("level", "int", required=True),
            )),
        Block("tls", "TLSClientArguments", TLS_CLIENT_ARGUMENTS),
        Attr("read_buffer_size", "units.Base2Bytes"),
        Attr("write_buffer_size", "units.Base2Bytes"),
        Attr("timeout", "time.Duration"),
        Attr("headers", "map[string]string"),
        Attr("max_idle_conns", "int"),
        Attr("max_idle_conns_per_host", "int"),
        Attr("max_conns_per_host", "int"),
        Attr("idle_conn_timeout", "time.Duration"),
        Attr("disable_keep_alives", "bool"),
        Attr("http2_read_idle_timeout", "time.Duration"),
        Attr("http2_ping_timeout", "time.Duration"),
        Attr("force_attempt_http2", "bool"),
        Attr("auth", "*auth.Handler"),
        Block("cookies", "*Cookies", (
                Attr("enabled", "bool"),
            )),
    )

EVENT_LOG_FIELDS: Members = (
        Attr("source", "string"),
        Attr("drop_invalid_labels", "bool"),
        Attr("overwrite_existing", "bool"),
    )

VALUES_LIST: Members = (
        Attr("values", "[]string", required=True),
    )

LOKI_STAGES: Members = (
        Block("cri", "*CRIConfig", (
                Attr("max_partial_lines", "int"),
                Attr("max_partial_line_size", "uint64"),
                Attr("max_partial_line_size_truncate", "bool"),
            )),
        Block("decolorize", "*DecolorizeConfig", ()),
        Block("docker", "*DockerConfig", ()),
        Block("drop", "*DropConfig", (
                Attr("drop_counter_reason", "string"),
                Attr("source", "string"),
                Attr("value", "string"),
                Attr("separator", "string"),
                Attr("expression", "string"),
                Attr("older_than", "time.Duration"),
                Attr("longer_than", "units.Base2Bytes"),
            )),
        Block("eventlogmessage", "*EventLogMessageConfig", EVENT_LOG_FIELDS),
        Block("geoip", "*GeoIPConfig", (
                Attr("db", "string", required=True),
                Attr("source", "*string", required=True),
                Attr("db_type", "string"),
                Attr("custom_lookups", "map[string]string"),
            )),
        Block("json", "*JSONConfig", (
                Attr("expressions", "map[string]string"),
                Attr("regex", "string"),
                Attr("source", "*string"),
                Attr("drop_malformed", "bool"),
            )),
        Block("label_keep", "*LabelAllowConfig", VALUES_LIST),
        Block("label_drop", "*LabelDropConfig", VALUES_LIST),
        Block("labels", "*LabelsConfig", (
                Attr("values", "map[string]*string", required=True),
                Attr("source_type", "SourceType"),
            )),
        Block("limit", "*LimitConfig", (
                Attr("rate", "float64", required=True),
                Attr("burst", "int", required=True),
                Attr("drop", "bool"),
                Attr("by_label_name", "string"),
                Attr("max_distinct_labels", "int"),
            )),
        Block("logfmt", "*LogfmtConfig", (
                Attr("mapping", "map[string]string"),
                Attr("source", "string"),
                Attr("regex", "string"),
            )),
        Block("luhn", "*LuhnFilterConfig", (
                Attr("replacement", "string"),
                Attr("source", "*string"),
                Attr("min_length", "int"),
                Attr("delimiters", "string"),
                Attr("skip_regex", "string"),
            )),
        Block("match", "*MatchConfig", (
                Attr("selector", "string", required=True),
                Block("stage", "[]StageConfig", (), enum=True, recursive=True),
                Attr("action", "string"),
                Attr("pipeline_name", "string"),
                Attr("drop_counter_reason", "string"),
            )),
        Block("metrics", "*MetricsConfig", (
                Block("metric", "[]MetricConfig", (
                        Block("counter", "*metric.CounterConfig", (
                                Attr("name", "string", required=True),
                                Attr("description", "string"),
                                Attr("source", "string"),
                                Attr("prefix", "string"),
                                Attr("max_idle_duration", "time.Duration"),
                                Attr("value", "string"),
                                Attr("action", "string", required=True),
                                Attr("match_all", "bool"),
                                Attr("count_entry_bytes", "bool"),
                            )),
                        Block("gauge", "*metric.GaugeConfig", (
                                Attr("name", "string", required=True),
                                Attr("description", "string"),
                                Attr("source", "string"),
                                Attr("prefix", "string"),
                                Attr("max_idle_duration", "time.Duration"),
                                Attr("value", "string"),
                                Attr("action", "string", required=True),
                            )),
                        Block("histogram", "*metric.HistogramConfig", (
                                Attr("name", "string", required=True),
                                Attr("description", "string"),
                                Attr("source", "string"),
                                Attr("prefix", "string"),
                                Attr("max_idle_duration", "time.Duration"),
                                Attr("value", "string"),
                                Attr("buckets", "[]float64", required=True),
                            )),
                    ), enum=True),
            )),
        Block("multiline", "*MultilineConfig", (
                Attr("firstline", "string", required=True),
                Attr("max_lines", "uint64"),
                Attr("max_wait_time", "time.Duration"),
                Attr("trim_newlines", "bool"),
            )),
        Block("output", "*OutputConfig", (
                Attr("source", "string", required=True),
            )),
        Block("pack", "*PackConfig", (
                Attr("labels", "[]string", required=True),
                Attr("ingest_timestamp", "bool"),
            )),
        Block("pattern", "*PatternConfig", (
                Attr("pattern", "string", required=True),
                Attr("source", "*string"),
                Attr("labels_from_groups", "bool"),
            )),
        Block("regex", "*RegexConfig", (
                Attr("expression", "string", required=True),
                Attr("source", "*string"),
                Attr("labels_from_groups", "bool"),
            )),
        Block("replace", "*ReplaceConfig", (
                Attr("expression", "string", required=True),
                Attr("source", "string"),
                Attr("replace", "string"),
            )),
        Block("split_json", "*SplitJSONConfig", (
                Attr("source", "*Source"),
            )),
        Block("static_labels", "*StaticLabelsConfig", (
                Attr("values", "map[string]*string", required=True),
            )),
        Block("structured_metadata", "*StructuredMetadataConfig", (
                Attr("values", "map[string]*string"),
                Attr("regex", "string"),
            )),
        Block("structured_metadata_drop", "*StructuredMetadataDropConfig", VALUES_LIST),
        Block("sampling", "*SamplingConfig", (
                Attr("drop_counter_reason", "string"),
                Attr("rate", "float64", required=True),
            )),
        Block("template", "*TemplateConfig", (
                Attr("source", "string", required=True),
                Attr("template", "Template", required=True),
            )),
        Block("tenant", "*TenantConfig", (
                Attr("label", "string"),
                Attr("source", "string"),
                Attr("value", "string"),
            )),
        Block("truncate", "*TruncateConfig", (
                Block("rule", "[]*RuleConfig", (
                        Attr("limit", "units.Base2Bytes", required=True),
                        Attr("suffix", "string"),
                        Attr("sources", "[]string"),
                        Attr("source_type", "SourceType"),
                    ), required=True),
            )),
        Block("timestamp", "*TimestampConfig", (
                Attr("source", "string", required=True),
                Attr("format", "string", required=True),
                Attr("fallback_formats", "[]string"),
                Attr("location", "*string"),
                Attr("action_on_failure", "string"),
                Attr("action_on_duplicate_timestamp", "string"),
            )),
        Block("windowsevent", "*WindowsEventConfig", EVENT_LOG_FIELDS),
    )

LOKI_ENDPOINT: Members = (
        Attr("name", "string"),
        Attr("url", "string", required=True),
        Attr("batch_wait", "time.Duration"),
        Attr("batch_size", "units.Base2Bytes"),
        Attr("remote_timeout", "time.Duration"),
        Attr("headers", "map[string]string"),
        Attr("min_backoff_period", "time.Duration"),
        Attr("max_backoff_period", "time.Duration"),
        Attr("max_backoff_retries", "int"),
        Attr("tenant_id", "string"),
        Attr("retry_on_http_429", "bool"),
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
        Block("queue_config", "QueueConfig", (
                Attr("capacity", "units.Base2Bytes"),
                Attr("min_shards", "int"),
                Attr("drain_timeout", "time.Duration"),
                Attr("block_on_overflow", "bool"),
            )),
    )

COMPONENTS: tuple[Component, ...] = (
    Component(
        "prometheus.scrape",
        "internal/component/prometheus/scrape/scrape.go",
        arguments=(
            Attr("targets", "[]discovery.Target", required=True),
            Attr("forward_to", "[]storage.Appendable", required=True),
            Attr("job_name", "string"),
            Attr("honor_labels", "bool"),
            Attr("honor_timestamps", "bool"),
            Attr("track_timestamps_staleness", "bool"),
            Attr("params", "url.Values"),
            Attr("scrape_classic_histograms", "bool"),
            Attr("scrape_native_histograms", "bool"),
            Attr("scrape_failure_log_file", "string"),
            Attr("scrape_interval", "time.Duration"),
            Attr("scrape_timeout", "time.Duration"),
            Attr("scrape_protocols", "[]string"),
            Attr("metrics_path", "string"),
            Attr("scheme", "string"),
            Attr("body_size_limit", "units.Base2Bytes"),
            Attr("sample_limit", "uint"),
            Attr("target_limit", "uint"),
            Attr("label_limit", "uint"),
            Attr("label_name_length_limit", "uint"),
            Attr("label_value_length_limit", "uint"),
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
            Attr("extra_metrics", "bool"),
            Attr("enable_protobuf_negotiation", "bool"),
            Attr("metric_name_validation_scheme", "string"),
            Attr("metric_name_escaping_scheme", "string"),
            Attr("scrape_fallback_protocol", "string"),
            Attr("convert_classic_histograms_to_nhcb", "bool"),
            Attr("enable_compression", "bool"),
            Attr("native_histogram_bucket_limit", "uint"),
            Attr("native_histogram_min_bucket_factor", "float64"),
            Attr("honor_metadata", "bool"),
            Attr("enable_type_and_unit_labels", "bool"),
            Attr("start_timestamp_zero_ingestion", "bool"),
            Block("clustering", "cluster.ComponentBlock", (
                    Attr("enabled", "bool", required=True),
                )),
        ),
        exports=(),
    ),
    Component(
        "prometheus.remote_write",
        "internal/component/prometheus/remotewrite/remote_write.go",
        arguments=(
            Attr("external_labels", "map[string]string"),
            Block("endpoint", "[]*EndpointOptions", REMOTE_WRITE_ENDPOINT),
            Block("wal", "WALOptions", (
                    Attr("truncate_frequency", "time.Duration"),
                    Attr("min_keepalive_time", "time.Duration"),
                    Attr("max_keepalive_time", "time.Duration"),
                )),
        ),
        exports=(Attr("receiver", "storage.Appendable"),),
    ),
    Component(
        "discovery.relabel",
        "internal/component/discovery/relabel/relabel.go",
        arguments=(
            Attr("targets", "[]discovery.Target", required=True),
            Block("rule", "[]*alloy_relabel.Config", RELABEL_RULE),
        ),
        exports=(Attr("output", "[]discovery.Target"), Attr("rules", "alloy_relabel.Rules"),),
    ),
    Component(
        "prometheus.relabel",
        "internal/component/prometheus/relabel/relabel.go",
        arguments=(
            Attr("forward_to", "[]storage.Appendable", required=True),
            Block("rule", "[]*alloy_relabel.Config", RELABEL_RULE),
            Attr("max_cache_size", "int"),
            Attr("cache_ttl", "time.Duration"),
        ),
        exports=(Attr("receiver", "storage.Appendable"), Attr("rules", "alloy_relabel.Rules"),),
    ),
    Component(
        "prometheus.exporter.self",
        "internal/component/prometheus/exporter/self/self.go",
        arguments=(

        ),
        exports=(Attr("targets", "[]discovery.Target"),),
    ),
    Component(
        "prometheus.exporter.unix",
        "internal/component/prometheus/exporter/unix/unix.go",
        arguments=(
            Attr("include_exporter_metrics", "bool"),
            Attr("procfs_path", "string"),
            Attr("sysfs_path", "string"),
            Attr("rootfs_path", "string"),
            Attr("udev_data_path", "string"),
            Attr("enable_collectors", "flagext.StringSlice"),
            Attr("disable_collectors", "flagext.StringSlice"),
            Attr("set_collectors", "flagext.StringSlice"),
            Block("arp", "ArpConfig", (
                    Attr("device_exclude", "string"),
                    Attr("device_include", "string"),
                    Attr("netlink", "bool"),
                )),
            Block("bcache", "BCacheConfig", (
                    Attr("priority_stats", "bool"),
                )),
            Block("cpu", "CPUConfig", (
                    Attr("bugs_include", "string"),
                    Attr("guest", "bool"),
                    Attr("info", "bool"),
                    Attr("flags_include", "string"),
                )),
            Block("disk", "DiskStatsConfig", (
                    Attr("device_exclude", "string"),
                    Attr("device_include", "string"),
                )),
            Block("ethtool", "EthToolConfig", (
                    Attr("device_exclude", "string"),
                    Attr("device_include", "string"),
                    Attr("metrics_include", "string"),
                )),
            Block("filesystem", "FilesystemConfig", (
                    Attr("fs_types_exclude", "string"),
                    Attr("mount_points_exclude", "string"),
                    Attr("mount_timeout", "time.Duration"),
                )),
            Block("hwmon", "HwMonConfig", (
                    Attr("chip_exclude", "string"),
                    Attr("chip_include", "string"),
                )),
            Block("ipvs", "IPVSConfig", (
                    Attr("backend_labels", "[]string"),
                )),
            Block("ntp", "NTPConfig", (
                    Attr("ip_ttl", "int"),
                    Attr("local_offset_tolerance", "time.Duration"),
                    Attr("max_distance", "time.Duration"),
                    Attr("protocol_version", "int"),
                    Attr("server", "string"),
                    Attr("server_is_local", "bool"),
                )),
            Block("netclass", "NetclassConfig", (
                    Attr("ignore_invalid_speed_device", "bool"),
                    Attr("ignored_devices", "string"),
                )),
            Block("netdev", "NetdevConfig", (
                    Attr("address_info", "bool"),
                    Attr("device_exclude", "string"),
                    Attr("device_include", "string"),
                )),
            Block("netstat", "NetstatConfig", FIELDS_ONLY),
            Block("perf", "PerfConfig", (
                    Attr("cpus", "string"),
                    Attr("tracepoint", "flagext.StringSlice"),
                    Attr("disable_hardware_profilers", "bool"),
                    Attr("disable_software_profilers", "bool"),
                    Attr("disable_cache_profilers", "bool"),
                    Attr("hardware_profilers", "flagext.StringSlice"),
                    Attr("software_profilers", "flagext.StringSlice"),
                    Attr("cache_profilers", "flagext.StringSlice"),
                )),
            Block("powersupply", "PowersupplyConfig", (
                    Attr("ignored_supplies", "string"),
                )),
            Block("runit", "RunitConfig", (
                    Attr("service_dir", "string"),
                )),
            Block("supervisord", "SupervisordConfig", (
                    Attr("url", "string"),
                )),
            Block("sysctl", "SysctlConfig", (
                    Attr("include", "[]string"),
                    Attr("include_info", "[]string"),
                )),
            Block("systemd", "SystemdConfig", (
                    Attr("enable_restarts", "bool"),
                    Attr("start_time", "bool"),
                    Attr("task_metrics", "bool"),
                    Attr("unit_exclude", "string"),
                    Attr("unit_include", "string"),
                )),
            Block("tapestats", "TapestatsConfig", (
                    Attr("ignored_devices", "string"),
                )),
            Block("textfile", "TextfileConfig", (
                    Attr("directory", "string"),
                )),
            Block("vmstat", "VMStatConfig", FIELDS_ONLY),
        ),
        exports=(Attr("targets", "[]discovery.Target"),),
    ),
    Component(
        "otelcol.receiver.otlp",
        "internal/component/otelcol/receiver/otlp/otlp.go",
        arguments=(
            Block("grpc", "*GRPCServerArguments", GRPC_SERVER_ARGUMENTS),
            Block("http", "*HTTPConfigArguments", HTTP_CONFIG_ARGUMENTS),
            Block("debug_metrics", "otelcolCfg.DebugMetricsArguments", DEBUG_METRICS_ARGUMENTS),
            Block("output", "*otelcol.ConsumerArguments", CONSUMER_ARGUMENTS, required=True),
        ),
        exports=(),
    ),
    Component(
        "otelcol.processor.batch",
        "internal/component/otelcol/processor/batch/batch.go",
        arguments=(
            Attr("timeout", "time.Duration"),
            Attr("send_batch_size", "uint32"),
            Attr("send_batch_max_size", "uint32"),
            Attr("metadata_keys", "[]string"),
            Attr("metadata_cardinality_limit", "uint32"),
            Block("output", "*otelcol.ConsumerArguments", CONSUMER_ARGUMENTS, required=True),
            Block("debug_metrics", "otelcolCfg.DebugMetricsArguments", DEBUG_METRICS_ARGUMENTS),
        ),
        exports=(Attr("input", "Consumer"),),
    ),
    Component(
        "otelcol.exporter.otlp",
        "internal/component/otelcol/exporter/otlp/otlp.go",
        arguments=(
            Attr("timeout", "time.Duration"),
            Block("sending_queue", "otelcol.QueueArguments", QUEUE_ARGUMENTS),
            Block("retry_on_failure", "otelcol.RetryArguments", RETRY_ARGUMENTS),
            Block("debug_metrics", "otelcolCfg.DebugMetricsArguments", DEBUG_METRICS_ARGUMENTS),
            Block("client", "GRPCClientArguments", (
                    Attr("endpoint", "string", required=True),
                    Attr("compression", "CompressionType"),
                    Block("tls", "TLSClientArguments", TLS_CLIENT_ARGUMENTS),
                    Block("keepalive", "*KeepaliveClientArguments", (
                            Attr("ping_wait", "time.Duration"),
                            Attr("ping_response_timeout", "time.Duration"),
                            Attr("ping_without_stream", "bool"),
                        )),
                    Attr("read_buffer_size", "units.Base2Bytes"),
                    Attr("write_buffer_size", "units.Base2Bytes"),
                    Attr("wait_for_ready", "bool"),
                    Attr("headers", "map[string]string"),
                    Attr("balancer_name", "string"),
                    Attr("authority", "string"),
                    Attr("auth", "*auth.Handler"),
                ), required=True),
        ),
        exports=(Attr("input", "Consumer"),),
    ),
    Component(
        "otelcol.exporter.otlphttp",
        "internal/component/otelcol/exporter/otlphttp/otlphttp.go",
        arguments=(
            Block("client", "HTTPClientArguments", HTTP_CLIENT_ARGUMENTS, required=True),
            Block("sending_queue", "otelcol.QueueArguments", QUEUE_ARGUMENTS),
            Block("retry_on_failure", "otelcol.RetryArguments", RETRY_ARGUMENTS),
            Block("debug_metrics", "otelcolCfg.DebugMetricsArguments", DEBUG_METRICS_ARGUMENTS),
            Attr("traces_endpoint", "string"),
            Attr("metrics_endpoint", "string"),
            Attr("logs_endpoint", "string"),
            Attr("encoding", "string"),
        ),
        exports=(Attr("input", "Consumer"),),
    ),
    Component(
        "otelcol.auth.basic",
        "internal/component/otelcol/auth/basic/basic.go",
        arguments=(
            Attr("username", "string", deprecated="the client_auth block (since v1.13.0)"),
            Attr("password", "alloytypes.Secret",
                 deprecated="the client_auth block (since v1.13.0)"),
            Block("client_auth", "*ClientAuthConfig", (
                    Attr("username", "string"),
                    Attr("username_file", "string"),
                    Attr("password", "alloytypes.Secret"),
                    Attr("password_file", "string"),
                )),
            Block("htpasswd", "*HtpasswdConfig", (
                    Attr("file", "string"),
                    Attr("inline", "string"),
                )),
            Block("debug_metrics", "otelcolCfg.DebugMetricsArguments", DEBUG_METRICS_ARGUMENTS),
        ),
        exports=(Attr("handler", "*Handler"),),
    ),
    Component(
        "loki.source.journal",
        "internal/component/loki/source/journal/journal.go",
        arguments=(
            Attr("format_as_json", "bool"),
            Attr("max_age", "time.Duration"),
            Attr("path", "string"),
            Attr("relabel_rules", "alloy_relabel.Rules"),
            Attr("matches", "string"),
            Attr("forward_to", "[]loki.LogsReceiver", required=True),
            Attr("labels", "map[string]string"),
            Block("legacy_position", "*LegacyPosition", (
                    Attr("file", "string", required=True),
                    Attr("name", "string", required=True),
                )),
        ),
        exports=(),
    ),
    Component(
        "loki.process",
        "internal/component/loki/process/process.go",
        arguments=(
            Attr("forward_to", "[]loki.LogsReceiver", required=True),
            Block("stage", "[]stages.StageConfig", LOKI_STAGES, enum=True),
        ),
        exports=(Attr("receiver", "loki.LogsReceiver"),),
    ),
    Component(
        "loki.write",
        "internal/component/loki/write/write.go",
        arguments=(
            Block("endpoint", "[]EndpointOptions", LOKI_ENDPOINT),
            Attr("external_labels", "map[string]string"),
            Attr("max_streams", "int"),
            Block("wal", "WalArguments", (
                    Attr("enabled", "bool"),
                    Attr("max_segment_age", "time.Duration"),
                    Attr("min_read_frequency", "time.Duration"),
                    Attr("max_read_frequency", "time.Duration"),
                    Attr("drain_timeout", "time.Duration"),
                )),
        ),
        exports=(Attr("receiver", "loki.LogsReceiver"),),
    ),
)


BY_NAME: dict[str, Component] = {c.name: c for c in COMPONENTS}

# Every other component name Alloy has shipped (from its reference documentation): a block with
# one of these names is a real component whose arguments we do not model, so its body is not
# checked; a name in neither list is reported as unknown.
OTHER_COMPONENTS = frozenset("""
beyla.ebpf database_observability.mssql database_observability.mysql
database_observability.postgres database_observability.sql_server
discovery.aws discovery.azure discovery.consul discovery.consulagent discovery.digitalocean
discovery.dns discovery.docker discovery.dockerswarm discovery.ec2 discovery.eureka
discovery.file discovery.gce discovery.hetzner discovery.http discovery.ionos discovery.kubelet
discovery.kubernetes discovery.kuma discovery.lightsail discovery.linode discovery.marathon
discovery.nerve discovery.nomad discovery.openstack discovery.ovhcloud discovery.process
discovery.puppetdb discovery.remote_relabel discovery.scaleway discovery.serverset
discovery.triton discovery.uyuni faro.receiver
grafanacloud.database_observability grafanacloud.database_observability.mysql
grafanacloud.dbo11y infinity.source kafka.tenant_consumer kafka.tenant_producer
kafka.tenant_prometheus_write local.file local.file_match
loki.echo loki.enrich loki.enricher loki.relabel loki.rules.kubernetes loki.secretfilter
loki.source.api loki.source.awsfirehose loki.source.azure_event_hubs loki.source.cloudflare
loki.source.docker loki.source.file loki.source.gcplog loki.source.gelf loki.source.heroku
loki.source.kafka loki.source.kubernetes loki.source.kubernetes_events loki.source.podlogs
loki.source.string loki.source.syslog loki.source.windowsevent
mimir.alerts.kubernetes mimir.rules.kubernetes
otelcol.auth.azure otelcol.auth.bearer otelcol.auth.google otelcol.auth.headers
otelcol.auth.oauth2 otelcol.auth.sigv4 otelcol.connector.count otelcol.connector.host_info
otelcol.connector.servicegraph otelcol.connector.signaltometrics otelcol.connector.spanlogs
otelcol.connector.spanmetrics otelcol.encoding.jsonlog otelcol.encoding.text
otelcol.exporter.awss3 otelcol.exporter.azureblob otelcol.exporter.clickhouse
otelcol.exporter.datadog otelcol.exporter.debug otelcol.exporter.elasticsearch
otelcol.exporter.faro otelcol.exporter.file otelcol.exporter.googlecloud
otelcol.exporter.googlecloudpubsub otelcol.exporter.kafka otelcol.exporter.loadbalancing
otelcol.exporter.logging otelcol.exporter.loki otelcol.exporter.opensearch
otelcol.exporter.prometheus otelcol.exporter.splunkhec otelcol.exporter.syslog
otelcol.extension.jaeger_remote_sampling otelcol.processor.attributes
otelcol.processor.cardinality_guardian otelcol.processor.cumulativetodelta
otelcol.processor.deltatocumulative otelcol.processor.discovery otelcol.processor.filter
otelcol.processor.groupbyattrs otelcol.processor.interval otelcol.processor.k8sattributes
otelcol.processor.memory_limiter otelcol.processor.metric_start_time
otelcol.processor.probabilistic_sampler otelcol.processor.redaction
otelcol.processor.resourcedetection otelcol.processor.span otelcol.processor.sql_fingerprint
otelcol.processor.tail_sampling otelcol.processor.transform otelcol.receiver.awscloudwatch
otelcol.receiver.awsecscontainermetrics otelcol.receiver.awsfirehose otelcol.receiver.awss3
otelcol.receiver.cloudflare otelcol.receiver.datadog otelcol.receiver.faro
otelcol.receiver.file_stats otelcol.receiver.filelog otelcol.receiver.fluentforward
otelcol.receiver.github otelcol.receiver.googlecloudpubsub otelcol.receiver.influxdb
otelcol.receiver.jaeger otelcol.receiver.k8s_workloads otelcol.receiver.kafka
otelcol.receiver.kubernetes_rollouts otelcol.receiver.loki otelcol.receiver.nginx
otelcol.receiver.opencensus otelcol.receiver.prometheus otelcol.receiver.pyroscope
otelcol.receiver.sdlc otelcol.receiver.solace otelcol.receiver.splunkhec
otelcol.receiver.syslog otelcol.receiver.tcplog otelcol.receiver.vcenter
otelcol.receiver.zipkin otelcol.storage.file
prometheus.alertmanager.relay prometheus.echo prometheus.enrich prometheus.exporter.apache
prometheus.exporter.azure prometheus.exporter.blackbox prometheus.exporter.cadvisor
prometheus.exporter.catchpoint prometheus.exporter.cloudwatch prometheus.exporter.consul
prometheus.exporter.databricks prometheus.exporter.dnsmasq prometheus.exporter.elasticsearch
prometheus.exporter.gcp prometheus.exporter.github prometheus.exporter.ipmi
prometheus.exporter.kafka prometheus.exporter.memcached prometheus.exporter.mongodb
prometheus.exporter.mssql prometheus.exporter.mysql prometheus.exporter.nvidiagpu
prometheus.exporter.oracledb prometheus.exporter.postgres prometheus.exporter.process
prometheus.exporter.redis prometheus.exporter.smartctl prometheus.exporter.snmp
prometheus.exporter.snowflake prometheus.exporter.squid prometheus.exporter.ssh
prometheus.exporter.static prometheus.exporter.statsd prometheus.exporter.tailscale
prometheus.exporter.windows prometheus.expose prometheus.mapping
prometheus.operator.podmonitors prometheus.operator.probes prometheus.operator.scrapeconfigs
prometheus.operator.servicemonitors prometheus.receive_http prometheus.remote.queue
prometheus.static prometheus.write.queue
pyroscope.ebpf pyroscope.enrich pyroscope.fsdump pyroscope.java pyroscope.profile.relabel
pyroscope.receive_http pyroscope.relabel pyroscope.scrape pyroscope.write
remote.aws.secrets_manager remote.http remote.kubernetes.configmap remote.kubernetes.secret
remote.s3 remote.vault
""".split())  # noqa: SIM905 - a word list reads best here

# Configuration blocks that are not components: no label (service blocks, at most one each, top
# level only) or a label but a fixed schema (declare, argument, export, import.*, foreach).
SERVICE_BLOCKS = ("http", "logging", "tracing", "livedebugging", "remotecfg", "otel")

# Blocks of the configuration language itself, with the schema Alloy checks for them (from the
# reference docs: config-blocks/ and the `declare`, `foreach` and `import.*` pages). The bodies
# of `tracing` and `remotecfg`, and the blocks inside `http`, are not modelled.
CONFIG_BLOCKS: dict[str, Component] = {c.name: c for c in (
    Component("logging", "", (
        Attr("level", "string"), Attr("format", "string"), Attr("write_to", "[]loki.LogsReceiver"),
    )),
    Component("livedebugging", "", (Attr("enabled", "bool"),)),
    Component("http", "", (  # no arguments, only blocks
        Block("auth", "*AuthArguments", (), unchecked=True),
        Block("tls", "*TLSArguments", (), unchecked=True),
    )),
    Component("argument", "", (
        Attr("optional", "bool"), Attr("comment", "string"), Attr("default", "any"),
    )),
    Component("export", "", (Attr("value", "any", required=True),)),
    Component("foreach", "", (
        Attr("collection", "any", required=True), Attr("var", "string", required=True),
        Attr("enable_metrics", "bool"), Attr("id", "string"),
        Block("template", "template", (), required=True, unchecked=True),
    )),
    Component("import.file", "", (
        Attr("filename", "string", required=True), Attr("detector", "string"),
        Attr("poll_frequency", "time.Duration"),
    )),
    Component("import.string", "", (Attr("content", "any", required=True),)),
    Component("import.git", "", (
        Attr("repository", "string", required=True), Attr("revision", "string"),
        Attr("pull_frequency", "time.Duration"), Attr("path", "string"),
        Block("basic_auth", "*BasicAuth", BASIC_AUTH),
        Block("ssh_key", "*SSHKey", (
            Attr("username", "string"), Attr("key", "alloytypes.Secret"),
            Attr("key_file", "string"), Attr("passphrase", "alloytypes.Secret"),
        )),
    )),
    Component("import.http", "", (
        Attr("url", "string", required=True), Attr("method", "string"),
        Attr("headers", "map[string]string"), Attr("poll_frequency", "time.Duration"),
        Attr("poll_timeout", "time.Duration"),
        Block("client", "HTTPClientConfig", (), unchecked=True),
    )),
)}
