"""The blocks of the configuration language itself (logging, declare, import.*, ...)."""

from __future__ import annotations

from obsgen.alloy.component_table.http_client import BASIC_AUTH
from obsgen.alloy.component_types import Attr, Block, Component

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
