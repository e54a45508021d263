"""The traces components (otelcol.*): arguments, blocks, exports."""

from __future__ import annotations

from obsgen.alloy.component_types import Attr, Block, Component, Members

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

COMPONENTS: tuple[Component, ...] = (
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
)
