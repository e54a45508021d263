"""The metrics components (prometheus.*, discovery.relabel): arguments, blocks, exports."""

from __future__ import annotations

from obsgen.alloy.component_table.http_client import HTTP_CLIENT_CONFIG
from obsgen.alloy.component_types import Attr, Block, Component, Members

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
        *HTTP_CLIENT_CONFIG,
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
            *HTTP_CLIENT_CONFIG,
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
)
