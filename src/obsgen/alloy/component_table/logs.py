"""The logs components (loki.*): arguments, blocks (the process stages), exports."""

from __future__ import annotations

from obsgen.alloy.component_table.http_client import HTTP_CLIENT_CONFIG
from obsgen.alloy.component_types import Attr, Block, Component, Members

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
        *HTTP_CLIENT_CONFIG,
        Block("queue_config", "QueueConfig", (
                Attr("capacity", "units.Base2Bytes"),
                Attr("min_shards", "int"),
                Attr("drain_timeout", "time.Duration"),
                Attr("block_on_overflow", "bool"),
            )),
    )

COMPONENTS: tuple[Component, ...] = (
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
