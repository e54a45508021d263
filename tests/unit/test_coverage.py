"""Rule-test coverage on the loaded model (no promtool): a recording rule that only a tested
alert reads is counted apart and not reported; "off" keeps the figures and drops findings."""

from __future__ import annotations

import shutil
from pathlib import Path

from obsgen.check.rules.coverage import rule_test_coverage
from obsgen.config import load_config
from obsgen.load import load_project

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "diff" / "project"

RECORD_READ_BY_ALERT = '''
from obsgen import AlertRule, RecordingRule, RuleGroup, rate

from .metrics import REQUESTS

ERRORS = RecordingRule("route:myapp_http_errors:rate5m",
                       rate(REQUESTS.where(status="5xx"), "5m").sum(by="route"))
UNREAD = RecordingRule("route:myapp_http_requests:rate1h", rate(REQUESTS, "1h").sum(by="route"))
MANY_ERRORS = AlertRule("ManyErrors", expr="route:myapp_http_errors:rate5m > 1",
                        severity="warning", summary="Many errors", description="Many errors.")
RECORDS = RuleGroup("records", rules=[ERRORS, UNREAD, MANY_ERRORS])
'''

TEST = '''
from obsgen import ExpectAlert, RuleTest, Series

from .metrics import REQUESTS
from .records import MANY_ERRORS

MANY = RuleTest("many errors fire", series=[Series(REQUESTS.where(route="/a", status="5xx"),
                "0+600x20")], expect=[ExpectAlert(MANY_ERRORS, at="10m", firing=[{"route": "/a"}])])
'''


def test_records_read_by_a_tested_alert(tmp_path: Path) -> None:
    root = tmp_path / "p"
    shutil.copytree(FIXTURE, root)
    (root / "definitions" / "records.py").write_text(RECORD_READ_BY_ALERT, encoding="utf-8")
    (root / "definitions" / "records_test.py").write_text(TEST, encoding="utf-8")
    project, problems = load_project(load_config(root))
    assert project is not None, problems
    found = rule_test_coverage(project)
    assert found.line() == ("rule tests: 5 cases; alerts 2/3 fire and stay silent; recording "
                            "rules 0/2 (1 more read by tested alerts)")
    assert [(d.code, d.message) for d in found.diagnostics] == [
        ("OBS221", "alert ManyErrors has no rule test where it stays silent"),
        ("OBS222", "recording rule route:myapp_http_requests:rate1h has no samples test")]
    quiet = rule_test_coverage(project, "off")
    assert (quiet.line(), quiet.diagnostics) == (found.line(), [])
