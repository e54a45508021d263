"""The Alloy components obsgen emits and checks: their arguments, blocks, exports and
deprecations, as data.

The argument tree of each component was read from the struct tags of grafana/alloy at commit
66ebea8 (release line v1.18; the facts in ../shared/corpus/alloy/components.json) and is kept
as Python, one module per family in alloy/component_table/ (in the types of
alloy/component_types.py), so that the corpus is never a runtime dependency;
tests/unit/test_alloy_components.py compares the two so that drift is caught. What the struct
tags do not say (the gRPC server block of otelcol.receiver.otlp, closed value sets,
deprecations, the standard library) comes from Alloy's reference documentation.
"""

from __future__ import annotations

from obsgen.alloy.component_table import logs, metrics, traces
from obsgen.alloy.component_types import Component, ValueType

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

# Every component obsgen models, family by family (alloy/component_table/).
COMPONENTS: tuple[Component, ...] = (*metrics.COMPONENTS, *traces.COMPONENTS, *logs.COMPONENTS)
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
