"""Sloth specs (prometheus/v1 and PrometheusServiceLevel) and OpenSLO v1 documents imported
as SLO definitions, through the importer contract (survey, write), then built by the CLI."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest
import yaml

from obsgen.check.foreign import ForeignFile
from obsgen.importers import openslo, sloth
from obsgen.importers.contract import ImportEnv

if TYPE_CHECKING:
    from tests.conftest import RunObsgen

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "slo"
SLOTH = FIXTURES / "sloth" / "checkout.yml"
SLOTH_K8S = FIXTURES / "sloth" / "checkout-k8s.yml"
OPENSLO = FIXTURES / "openslo" / "checkout.yaml"
METRICS = """\
from obsgen import Counter, Histogram, Label

REQUESTS = Counter("checkout_requests_total", help="Checkout requests, by status code.",
                   labels=[Label("code")])
PAYMENT = Histogram("checkout_payment_duration_seconds", help="Payment call duration.",
                    unit="seconds", buckets=[0.1, 0.25, 0.5, 1, 2.5])
"""


def foreign(path: Path) -> ForeignFile:
    return ForeignFile(str(path), path.read_text(encoding="utf-8"), "rules")


def line_of(path: Path, text: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, start=1) if text in line)


def test_sloth_survey_names_queries_alerts_and_groups() -> None:
    found = sloth.survey(foreign(SLOTH))
    assert 'sum(rate(checkout_requests_total{code=~"5.."}[5m]))' in found.queries
    assert "sum(rate(checkout_requests_total[5m]))" in found.queries  # {{ .window }} too
    assert found.alerts == ("CheckoutAvailability", "CheckoutPaymentLatency")
    assert [(c.name, c.line) for c in found.claims][:2] == [
        ("slo-requests-availability", line_of(SLOTH, '- name: "requests-availability"')),
        ("slo-requests-availability-ticket",
         line_of(SLOTH, '- name: "requests-availability"'))]
    (plugin,) = found.diagnostics
    assert plugin.code == "OBS987" and "plugin" in plugin.message
    assert plugin.location.line == line_of(SLOTH, '- name: "plugin-driven"')


def test_sloth_kubernetes_form_imports_like_the_plain_spec() -> None:
    plain = sloth.write(foreign(SLOTH), ImportEnv(), "slos").modules[0].source
    k8s = sloth.write(foreign(SLOTH_K8S), ImportEnv(), "slos").modules[0].source
    first = plain.split("\n\n")[2].strip()  # the first SLO of each
    assert first == k8s.split("\n\n")[2].strip()
    assert "RawRatio(errors='sum(rate(checkout_requests_total{code=~\"5..\"}[{{window}}]))'" \
        in first
    assert "page=Tier(name='CheckoutAvailability'" in first
    assert "'severity': 'critical', 'routing_key': 'payments'" in first


def test_sloth_raw_sli_and_disabled_ticket() -> None:
    text = sloth.write(foreign(SLOTH), ImportEnv(), "slos").modules[0].source
    latency = text.split("PAYMENT_LATENCY = ")[1]
    assert latency.startswith("SLO('payment-latency', sli=RawRatio(ratio=")
    assert "ticket=False" in latency
    assert "{{window}}" in latency and "{{.window}}" not in latency


def test_openslo_ratio_threshold_and_reference() -> None:
    done = openslo.write(foreign(OPENSLO), ImportEnv(), "slos")
    text = done.modules[0].source
    assert ("CHECKOUT_SUCCESS = SLO('checkout-success', sli=RawRatio(errors='sum(rate("
            "checkout_requests_total[{{window}}])) - sum(rate(checkout_requests_total"
            "{code!~\"5..\"}[{{window}}]))'") in text
    assert "objective=99.5, window='28d'" in text
    assert ("CHECKOUT_ERRORS = SLO('checkout-errors', sli=RawRatio(errors='sum(rate("
            "checkout_requests_total{code=~\"5..\"}[{{window}}]))'") in text
    assert "window='7d'" in text
    assert "> bool 0.5)[{{window}}:1m])'), objective=99.0" in text  # lte 0.5 broken by > 0.5
    (datadog,) = done.diagnostics
    assert datadog.code == "OBS987" and "Datadog" in datadog.message
    assert datadog.location.line == line_of(OPENSLO, "name: elsewhere") - 3  # its apiVersion


def test_not_a_spec_is_reported() -> None:
    found = sloth.survey(ForeignFile("x.yml", "version: other\nslos: []\n", "rules"))
    assert [d.code for d in found.diagnostics] == ["OBS980"]
    found = openslo.survey(ForeignFile("x.yml", "kind: Nothing\n", "rules"))
    assert [d.code for d in found.diagnostics] == ["OBS980"]


@pytest.fixture
def imported(tmp_path: Path) -> Path:
    root = tmp_path / "checkout"
    (root / "definitions").mkdir(parents=True)
    (root / "obsgen.toml").write_text('definitions = "definitions"\nbuild = "build"\n'
                                      'runbook_base_url = "https://runbooks.example.org/"\n')
    (root / "definitions" / "metrics.py").write_text(METRICS)
    for module, path, name in ((sloth, SLOTH, "slos_sloth"), (openslo, OPENSLO, "slos_open")):
        text = module.write(foreign(path), ImportEnv(), name).modules[0].source
        (root / "definitions" / f"{name}.py").write_text(text)
    return root


def test_imported_slos_build_into_rules(imported: Path, obsgen: RunObsgen) -> None:
    done = obsgen("build", cwd=imported)
    assert done.exit_code == 0, done.describe()
    rules = imported / "build" / "prometheus"
    page = yaml.safe_load((rules / "slo-requests-availability.rules.yml").read_text())
    (alert,) = [r for r in page["groups"][0]["rules"] if "alert" in r]
    assert alert["alert"] == "CheckoutAvailability"
    assert alert["labels"]["routing_key"] == "payments"
    assert alert["labels"]["category"] == "availability"
    assert alert["annotations"]["summary"] == "Checkout requests fail too often"
    assert "(14.4 * 0.005)" in alert["expr"] and "(6 * 0.005)" in alert["expr"]
    ticket = yaml.safe_load((rules / "slo-payment-latency-ticket.rules.yml").read_text())
    assert not [r for r in ticket["groups"][0]["rules"] if "alert" in r]  # disabled in Sloth
    assert (rules / "slo-checkout-errors.rules.yml").exists()
    # Events-shaped queries get generated tests (tests/integration/test_slo_promtool.py runs
    # them); the multi-line raw ratio of payment-latency does not.
    tests = rules / "tests"
    assert "burning just above 14.4x" in (tests / "slo-requests-availability.test.yml").read_text()
    assert "burning just above 1x" in (tests / "slo-checkout-errors-ticket.test.yml").read_text()
    assert not (tests / "slo-payment-latency.test.yml").exists()


def test_each_importer_recognises_its_own_specs() -> None:
    texts = {p: p.read_text() for p in (SLOTH, SLOTH_K8S, OPENSLO)}
    assert [sloth.recognises(t) for t in texts.values()] == [True, True, False]
    assert [openslo.recognises(t) for t in texts.values()] == [False, False, True]
    assert not sloth.recognises("groups:\n- name: x\n  rules: []\n")
