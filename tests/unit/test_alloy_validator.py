"""The Alloy validator, check by check, on small configs: each finding's code, position and
message, and the configs that must stay clean."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from obsgen.check.alloy.validate import lint_alloy, validate_text
from obsgen.check.foreign import ForeignFile, LintContext
from obsgen.codes import Severity
from obsgen.diagnostics import Diagnostic

GOOD = """\
prometheus.scrape "app" {
	targets         = [{"__address__" = "localhost:9464"}]
	forward_to      = [prometheus.relabel.drop.receiver]
	scrape_interval = "15s"
}

prometheus.relabel "drop" {
	forward_to = [prometheus.remote_write.cloud.receiver]

	rule {
		action        = "drop"
		source_labels = ["__name__"]
		regex         = "go_.*"
	}
}

prometheus.remote_write "cloud" {
	endpoint {
		url = "https://prometheus.example.org/api/prom/push"

		basic_auth {
			username = sys.env("PROM_USER")
			password = sys.env("PROM_PASSWORD")
		}
	}
}

loki.process "levels" {
	stage.json {
		expressions = {level = ""}
	}

	stage.match {
		selector = "{level=\\"debug\\"}"

		stage.drop {
			source = "level"
		}
	}
	forward_to = [loki.write.cloud.receiver]
}

loki.write "cloud" {
	endpoint {
		url = "https://logs.example.org/loki/api/v1/push"
	}
}
"""


def findings(text: str) -> list[tuple[str, int, int, str]]:
    return [(d.code, *_where(d), d.message) for d in validate_text(text, "x.alloy")]


def _where(d: Diagnostic) -> tuple[int, int]:
    assert d.location is not None and d.location.path == "x.alloy"
    return d.location.line, d.location.column


def test_a_correct_pipeline_has_no_finding() -> None:
    assert findings(GOOD) == []


def test_unknown_component() -> None:
    assert findings('prometheus.scrapper "x" {\n}\n') == [
        ("OBS820", 1, 1, 'cannot find the definition of component name "prometheus.scrapper"')]


def test_real_but_unmodelled_component_is_accepted_with_its_body_unchecked() -> None:
    assert findings('local.file_match "x" {\n\tanything = 1\n}\n') == []


def test_unknown_argument_and_block() -> None:
    text = 'prometheus.relabel "x" {\n\tforward_to = []\n\tfoward_to = []\n\trules {\n\t}\n}\n'
    assert findings(text) == [
        ("OBS821", 3, 2, 'unrecognized attribute name "foward_to"'),
        ("OBS821", 4, 2, 'unrecognized block name "rules"'),
    ]


def test_missing_required_argument_and_block() -> None:
    assert findings('otelcol.exporter.otlp "x" {\n}\n') == [
        ("OBS822", 1, 1, 'missing required block "client"')]
    assert findings('otelcol.exporter.otlp "x" {\n\tclient {\n\t}\n}\n') == [
        ("OBS822", 2, 2, 'missing required attribute "endpoint"')]


def test_wrong_literal_types() -> None:
    text = ('prometheus.scrape "x" {\n\ttargets    = [10]\n\tforward_to = "wrong"\n'
            '\thonor_labels = "yes"\n}\n')
    assert findings(text) == [
        ("OBS823", 2, 16, "expected object, got number"),
        ("OBS823", 3, 15, "expected array, got string"),
        ("OBS823", 4, 17, "expected bool, got string"),
    ]


def test_forwarding_to_the_wrong_kind_of_receiver() -> None:
    text = ('prometheus.scrape "x" {\n\ttargets    = []\n'
            '\tforward_to = [loki.write.l.receiver]\n}\n\n'
            'loki.write "l" {\n\tendpoint {\n\t\turl = "https://logs.example.org"\n\t}\n}\n')
    ((code, line, column, message),) = findings(text)
    assert (code, line, column) == ("OBS823", 3, 16)
    assert "prometheus metrics receiver" in message and "loki logs receiver" in message


def test_reference_to_a_missing_component_or_export() -> None:
    text = ('prometheus.relabel "x" {\n\tforward_to = [prometheus.remote_write.nope.receiver]\n}'
            '\n\nprometheus.relabel "y" {\n\tforward_to = [prometheus.relabel.x.input]\n}\n')
    assert findings(text) == [
        ("OBS824", 2, 16, 'component "prometheus.remote_write.nope.receiver" does not exist or '
                          "is out of scope"),
        ("OBS824", 6, 16, 'component "prometheus.relabel.x" has no export "input"'),
    ]


def test_otel_input_handler_references_resolve() -> None:
    text = """\
otelcol.receiver.otlp "in" {
	output {
		traces = [otelcol.processor.batch.b.input]
	}
}

otelcol.processor.batch "b" {
	output {
		traces = [otelcol.exporter.otlp.out.input]
	}
}

otelcol.auth.basic "a" {
	client_auth {
		username = sys.env("U")
		password = sys.env("P")
	}
}

otelcol.exporter.otlp "out" {
	client {
		endpoint = "tempo.example.org:443"
		auth     = otelcol.auth.basic.a.handler
	}
}
"""
    assert findings(text) == []
    broken = text.replace("otelcol.auth.basic.a.handler", "otelcol.auth.basic.b.handler")
    assert [f[0] for f in findings(broken)] == ["OBS824"]


def test_duplicate_labels() -> None:
    text = 'loki.write "a" {\n}\n\nloki.write "a" {\n}\n'
    assert findings(text) == [
        ("OBS825", 4, 1, "block loki.write.a already declared at x.alloy:1:1")]


def test_cycle_and_self_reference() -> None:
    text = ('prometheus.relabel "a" {\n\tforward_to = [prometheus.relabel.b.receiver]\n}\n\n'
            'prometheus.relabel "b" {\n\tforward_to = [prometheus.relabel.a.receiver]\n}\n\n'
            'prometheus.relabel "c" {\n\tforward_to = [prometheus.relabel.c.receiver]\n}\n')
    cycle = "cycle detected: prometheus.relabel.a, prometheus.relabel.b"
    assert findings(text) == [("OBS826", 1, 1, cycle), ("OBS826", 5, 1, cycle),
                              ("OBS826", 9, 1, "cannot reference self")]


def test_deprecated_env_function_is_a_warning_with_its_replacement() -> None:
    (found,) = validate_text('loki.write "a" {\n\tendpoint {\n\t\turl = env("URL")\n\t}\n}\n',
                             "x.alloy")
    assert (found.code, found.severity, found.message) == (
        "OBS827", Severity.WARNING, "env() is deprecated")
    assert found.hint is not None and "sys.env()" in found.hint
    assert found.location is not None and (found.location.line, found.location.column) == (3, 9)


def test_deprecated_basic_auth_arguments_point_at_client_auth() -> None:
    text = 'otelcol.auth.basic "a" {\n\tusername = sys.env("U")\n\tpassword = sys.env("P")\n}\n'
    found = validate_text(text, "x.alloy")
    assert [(d.code, d.message) for d in found] == [
        ("OBS827", 'argument "username" is deprecated'),
        ("OBS827", 'argument "password" is deprecated')]
    assert all(d.hint and "client_auth" in d.hint for d in found)


def test_secret_literal_is_reported_and_an_env_reference_is_clean() -> None:
    text = ('loki.write "a" {\n\tendpoint {\n\t\turl = "https://l.example.org"\n\n'
            '\t\tbasic_auth {\n\t\t\tusername = "123"\n\t\t\tpassword = "hunter2"\n\t\t}\n\t}\n}\n')
    assert findings(text) == [("OBS828", 7, 15, '"password" is given as a string literal')]
    assert findings(text.replace('"hunter2"', 'sys.env("LOKI_PASSWORD")')) == []


def test_secret_names_in_unmodelled_components_too() -> None:
    text = 'otelcol.auth.bearer "a" {\n\ttoken = "abc"\n}\n'
    assert [f[0] for f in findings(text)] == ["OBS828"]


def test_listener_on_every_interface_is_a_warning_with_a_hint() -> None:
    text = ('otelcol.receiver.otlp "in" {\n\tgrpc {\n\t\tendpoint = "0.0.0.0:4317"\n\t}\n\n'
            '\toutput {\n\t}\n}\n')
    (found,) = validate_text(text, "x.alloy")
    assert (found.code, found.severity) == ("OBS829", Severity.WARNING)
    assert found.location is not None and (found.location.line, found.location.column) == (3, 14)
    assert found.hint is not None and "127.0.0.1" in found.hint
    assert validate_text(text.replace("0.0.0.0", "127.0.0.1"), "x.alloy") == []


def test_block_given_twice_where_once_is_allowed() -> None:
    text = ('otelcol.exporter.otlp "x" {\n\tclient {\n\t\tendpoint = "a:1"\n\t}\n\n'
            '\tclient {\n\t\tendpoint = "b:1"\n\t}\n}\n')
    assert findings(text) == [("OBS831", 6, 2, 'block "client" may only be specified once')]


def test_invalid_duration_and_relabel_action() -> None:
    text = ('prometheus.relabel "x" {\n\tforward_to = []\n\tcache_ttl  = "5 minutes"\n\n'
            '\trule {\n\t\taction = "keepp"\n\t}\n}\n')
    assert findings(text) == [
        ("OBS832", 3, 15, "'5 minutes' is not a valid duration"),
        ("OBS832", 6, 12, "unknown action keepp"),
    ]


def test_unknown_loki_stage() -> None:
    text = 'loki.process "p" {\n\tforward_to = []\n\n\tstage.jsonn {\n\t}\n}\n'
    assert findings(text) == [("OBS821", 4, 2, 'unrecognized block name "stage.jsonn"')]


def test_lint_reports_a_malformed_file_at_its_position_without_raising() -> None:
    text = 'loki.write "a" {\n\tendpoint {\n\t\turl = "https://l.example.org\n\t}\n}\n'
    found = lint_alloy(ForeignFile("bad.alloy", text, "alloy"), LintContext(()))
    assert found and all(d.code == "OBS801" for d in found)
    assert found[0].location is not None
    assert (found[0].location.path, found[0].location.line, found[0].location.column) == (
        "bad.alloy", 3, 9)
    assert found[0].message == "string literal not terminated"


def test_lint_runs_the_semantic_checks_on_a_valid_file() -> None:
    found = lint_alloy(ForeignFile("f.alloy", 'nope.nope "a" {\n}\n', "alloy"), LintContext(()))
    assert [d.code for d in found] == ["OBS820"]


SEED = (Path(__file__).resolve().parents[2] / "build" / "alloy" / "config.alloy").read_text("utf-8")


DAMAGE = st.sampled_from(list('{}[]()=".,\n\t a_0\\/*'))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, len(SEED)), DAMAGE, st.booleans()),
                min_size=1, max_size=6))
def test_lint_never_raises_on_a_damaged_config(edits: list[tuple[int, str, bool]]) -> None:
    text = list(SEED)
    for at, char, delete in edits:
        if delete and text:
            del text[min(at, len(text) - 1)]
        else:
            text.insert(min(at, len(text)), char)
    found = lint_alloy(ForeignFile("f.alloy", "".join(text), "alloy"), LintContext(()))
    assert all(d.location is not None and d.location.path == "f.alloy" for d in found)
