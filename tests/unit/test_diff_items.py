"""The semantic comparison item by item, on hand-written artifacts: Alloy components and
arguments, the instrumentation module's metrics, panels added and removed, rule groups and
SLO objectives, an artifact that no longer parses, and the Markdown renderer's quoting."""

from __future__ import annotations

import json

from obsgen.diff.compare import compare
from obsgen.diff.model import Side
from obsgen.diff.render_markdown import render


def changes(before: dict[str, str], after: dict[str, str]) -> list[tuple[str, str, str]]:
    diff = compare(Side("a", before), Side("b", after))
    return [(c.status, c.kind, c.name) for c in diff.changes]


def fields(before: dict[str, str], after: dict[str, str]) -> dict[str, tuple[str | None, ...]]:
    found = {}
    for change in compare(Side("a", before), Side("b", after)).changes:
        for f in change.fields:
            found[f"{change.name}: {f.name}"] = (f.before, f.after)
    return found


ALLOY = """prometheus.scrape "app" {
	targets    = [{"__address__" = "localhost:8080"}]
	forward_to = [prometheus.remote_write.cloud.receiver]
}

prometheus.remote_write "cloud" {
	endpoint {
		url = "https://example.org/push"
	}
}
"""


def test_alloy_argument_changed_and_component_added() -> None:
    after = ALLOY.replace("localhost:8080", "localhost:9090") + (
        '\nloki.source.journal "logs" {\n\tforward_to = []\n}\n')
    after = after.replace("https://example.org/push", "https://example.org/api/push")
    assert changes({"alloy/config.alloy": ALLOY}, {"alloy/config.alloy": after}) == [
        ("changed", "component", 'prometheus.scrape "app"'),
        ("changed", "component", 'prometheus.remote_write "cloud"'),
        ("added", "component", 'loki.source.journal "logs"')]
    found = fields({"alloy/config.alloy": ALLOY}, {"alloy/config.alloy": after})
    assert found['prometheus.remote_write "cloud": endpoint.url'] == (
        '"https://example.org/push"', '"https://example.org/api/push"')
    assert found['prometheus.scrape "app": targets'] == (
        '[{"__address__" = "localhost:8080"}]', '[{"__address__" = "localhost:9090"}]')


def test_reformatting_alloy_is_no_change() -> None:
    squeezed = ALLOY.replace("targets    =", "targets =").replace("\n\n", "\n")
    assert changes({"alloy/config.alloy": ALLOY}, {"alloy/config.alloy": squeezed}) == []


MODULE = '''
from typing import Literal
Status = Literal["2xx", "5xx"]

class Requests:
    def __init__(self, registry):
        self.metric = Counter(
            "app_requests_total",
            "Requests.",
            labelnames=("route", "status"),
            registry=registry,
        )
'''


def test_instrumentation_metric_labels_and_values() -> None:
    after = MODULE.replace('("route", "status")', '("route", "status", "method")')
    after = after.replace('Literal["2xx", "5xx"]', 'Literal["2xx", "4xx", "5xx"]')
    found = fields({"python/app_metrics.py": MODULE}, {"python/app_metrics.py": after})
    assert found == {
        "app_requests_total: labelnames": ("('route', 'status')", "('route', 'status', 'method')"),
        "Status: values": ("('2xx', '5xx')", "('2xx', '4xx', '5xx')")}


def board(*titles: str, unit: str = "s") -> str:
    panels = [{"id": i, "title": t, "type": "timeseries",
               "fieldConfig": {"defaults": {"unit": unit}},
               "targets": [{"refId": "A", "expr": f"up{{n='{i}'}}"}]}
              for i, t in enumerate(titles)]
    return json.dumps({"uid": "u", "title": "Board", "panels": panels})


def test_panels_by_title_not_by_position() -> None:
    # A panel inserted first renumbers the others (their ids are not compared); they are found
    # by title, so their own changes show as changes, not as panels removed and added.
    before = {"grafana/f/u.json": board("Latency", "Errors")}
    after = {"grafana/f/u.json": board("Saturation", "Latency", "Errors", unit="ms")}
    assert changes(before, after) == [
        ("added", "panel", "Board > Saturation"), ("changed", "panel", "Board > Latency"),
        ("changed", "panel", "Board > Errors")]
    found = fields(before, after)
    assert found["Board > Latency: fieldConfig.defaults.unit"] == ("s", "ms")
    assert found["Board > Saturation: query A"] == (None, "up{n='0'}")


def test_two_panels_of_one_title_are_both_compared() -> None:
    before = {"grafana/f/u.json": board("Rate", "Rate")}
    after = {"grafana/f/u.json": board("Rate")}
    assert changes(before, after) == [("removed", "panel", "Board > Rate")]


RULES = """groups:
- name: slo-checkout
  interval: 30s
  rules:
  - record: slo:objective:ratio
    expr: '0.99'
    labels:
      slo: checkout
  - alert: CheckoutBurn
    expr: slo:burn > 14.4
    annotations:
      summary: Burning
"""


def test_rule_group_setting_slo_objective_and_annotation() -> None:
    after = (RULES.replace("'0.99'", "'0.995'").replace("30s", "1m")
             .replace("summary: Burning", "summary: Burning fast"))
    found = fields({"prometheus/a.rules.yml": RULES}, {"prometheus/a.rules.yml": after})
    assert found == {"checkout: objective": ("0.99", "0.995"),
                     "slo-checkout: interval": ("30s", "1m"),
                     "slo:objective:ratio: expr": ("0.99", "0.995"),
                     "CheckoutBurn: annotations.summary": ("Burning", "Burning fast")}


def test_an_artifact_that_no_longer_parses_is_compared_as_text() -> None:
    assert changes({"grafana/f/u.json": board("A")}, {"grafana/f/u.json": "{not json"}) == [
        ("removed", "dashboard", "Board"), ("removed", "panel", "Board > A"),
        ("added", "file", "grafana/f/u.json")]


def test_markdown_quotes_backticks_and_fences() -> None:
    before = {"runbooks/p.md": "# P\n\n## Fix\n\nRun `x`.\n"}
    after = {"runbooks/p.md": "# P\n\n## Fix\n\n```sh\nx --all\n```\n"}
    text = render(compare(Side("a`b", before), Side("b", after)))
    assert "``a`b``" in text
    assert "    ````diff\n" in text and "    + ```sh\n" in text


def test_other_yaml_is_compared_setting_by_setting() -> None:
    before = {"openslo/checkout.yaml": "kind: SLO\nspec:\n  objectives:\n  - target: 0.99\n"}
    after = {"openslo/checkout.yaml": "kind: SLO\nspec:\n  objectives:\n  - target: 0.995\n"}
    assert fields(before, after) == {
        "openslo/checkout.yaml: spec.objectives[0].target": ("0.99", "0.995")}


def test_markdown_folds_long_areas_and_stays_under_githubs_limit() -> None:
    def page(body: str) -> dict[str, str]:
        return {"runbooks/p.md": "# P\n\n" + "\n".join(f"## Step {i}\n\n{body}\n"
                                                      for i in range(60))}

    text = render(compare(Side("a", page("x" * 600)), Side("b", page("y" * 600))))
    assert "<details>\n<summary>60 changes</summary>" in text
    assert len(text) < 65_536
    assert text.endswith("run `obsgen diff` for all of it.\n")
    assert text.count("```") % 2 == 0  # no code block left open by the cut
