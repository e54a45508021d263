"""Rule-test coverage in `obsgen check` (issue 18, item 7) on a small project, with the real
promtool: the coverage line, OBS220-OBS222 at the rule's line (warnings, or errors with
rule_test_coverage = "error"), recording rules with and without a samples test, and the JUnit
report of every case, validated against the common JUnit layout's schema."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import xmlschema

from conftest import RunObsgen

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
SCHEMA = FIXTURES / "junit" / "junit.xsd"
NO_CACHE = {"OBSGEN_NO_CACHE": "1"}

RECORDING = '''
from obsgen import ExpectSamples, RecordingRule, RuleGroup, RuleTest, Series, rate

from .metrics import REQUESTS

ROUTE_RATE = RecordingRule("route:myapp_http_requests:rate5m",
                           rate(REQUESTS, "5m").sum(by="route"))
UNTESTED = RecordingRule("route:myapp_http_errors:rate5m",
                         rate(REQUESTS.where(status="5xx"), "5m").sum(by="route"))
RECORDS = RuleGroup("my-app-records", rules=[ROUTE_RATE, UNTESTED])

ROUTE_RATE_TEST = RuleTest(
    "route rate is recorded",
    series=[Series(REQUESTS.where(route="/a", status="2xx"), "0+60x10")],
    expect=[ExpectSamples(ROUTE_RATE, at="5m",
                          samples=[('route:myapp_http_requests:rate5m{route="/a"}', 1)])],
    group=RECORDS,
)
'''


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    shutil.copytree(FIXTURES / "diff" / "project", root)
    return root


def drop_silent_test(root: Path) -> int:
    """Remove the test where HighErrorRate stays silent; the alert's line in alerts.py."""
    tests = root / "definitions" / "alert_tests.py"
    text = tests.read_text(encoding="utf-8")
    start, end = text.index("ERRORS_QUIET = RuleTest("), text.index("DOWN_FIRES = RuleTest(")
    tests.write_text(text[:start] + text[end:], encoding="utf-8")
    lines = (root / "definitions" / "alerts.py").read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if line.startswith("HIGH_ERROR_RATE ="))


def test_full_coverage_line(project: Path, obsgen: RunObsgen) -> None:
    result = obsgen("check", cwd=project, env=NO_CACHE)
    assert result.exit_code == 0, result.describe()
    assert ("rule tests: 4 cases; alerts 2/2 fire and stay silent; recording rules 0/0\n"
            in result.stderr)
    assert "OBS22" not in result.output


def test_missing_silent_test_is_a_warning_then_an_error(project: Path,
                                                        obsgen: RunObsgen) -> None:
    line = drop_silent_test(project)
    warned = obsgen("check", cwd=project, env=NO_CACHE)
    assert warned.exit_code == 0, warned.describe()
    assert "alerts 1/2 fire and stay silent" in warned.stderr
    assert re.search(rf"^definitions/alerts\.py:{line}: OBS221 \[warning\] alert "
                     "HighErrorRate has no rule test where it stays silent$", warned.output,
                     re.MULTILINE), warned.describe()
    assert "OBS220" not in warned.output
    toml = project / "obsgen.toml"
    toml.write_text(toml.read_text(encoding="utf-8") + 'rule_test_coverage = "error"\n',
                    encoding="utf-8")
    failed = obsgen("check", "--output-format", "json", cwd=project, env=NO_CACHE)
    assert failed.exit_code == 1, failed.describe()
    assert [(d["code"], d["severity"]) for d in failed.diagnostics()] == [("OBS221", "error")]


def test_recording_rules_and_junit(project: Path, obsgen: RunObsgen, tmp_path: Path) -> None:
    (project / "definitions" / "records.py").write_text(RECORDING, encoding="utf-8")
    # One case fails: promtool's words for it land in the report.
    tests = project / "definitions" / "alert_tests.py"
    tests.write_text(tests.read_text(encoding="utf-8").replace('at="20m", firing', 'at="2m", '
                     'firing'), encoding="utf-8")
    report = tmp_path / "reports" / "junit.xml"
    report.parent.mkdir()
    result = obsgen("check", "--junit", str(report), cwd=project, env=NO_CACHE)
    assert result.exit_code == 1, result.describe()
    assert ("rule tests: 5 cases; alerts 2/2 fire and stay silent; recording rules 1/2\n"
            in result.stderr)
    again = obsgen("check", "--output-format", "json", cwd=project, env=NO_CACHE)
    codes = sorted((d["code"], d["message"]) for d in again.diagnostics())
    assert codes == [("OBS222", "recording rule route:myapp_http_errors:rate5m has no samples "
                                "test"),
                     ("OBS304", "rule test '10% errors for 10 minutes fires' failed")]
    xmlschema.XMLSchema(SCHEMA).validate(str(report))
    document = xmlschema.XMLSchema(SCHEMA).to_dict(str(report))
    suites = {s["@name"]: s for s in document["testsuite"]}
    assert sorted(suites) == ["prometheus/tests/my-app-records.test.yml",
                              "prometheus/tests/my-app.test.yml", "rule test coverage"]
    alerts = suites["prometheus/tests/my-app.test.yml"]
    assert (alerts["@tests"], alerts["@failures"]) == (4, 1)
    failed = [c for c in alerts["testcase"] if "failure" in c]
    assert [c["@name"] for c in failed] == ["10% errors for 10 minutes fires"]
    assert "HighErrorRate" in failed[0]["failure"]["$"]
    coverage = suites["rule test coverage"]
    assert (coverage["@tests"], coverage["@skipped"]) == (6, 1)
    skipped = [c["@name"] for c in coverage["testcase"] if "skipped" in c]
    assert skipped == ["recording rule route:myapp_http_errors:rate5m has a samples test"]


def test_unknown_setting_value_is_a_usage_error(project: Path, obsgen: RunObsgen) -> None:
    toml = project / "obsgen.toml"
    toml.write_text(toml.read_text(encoding="utf-8") + 'rule_test_coverage = "loud"\n',
                    encoding="utf-8")
    result = obsgen("check", cwd=project, env=NO_CACHE)
    assert result.exit_code == 2
    assert "rule_test_coverage 'loud' is not one of" in result.output


def test_unwritable_junit_file_is_a_finding(project: Path, obsgen: RunObsgen) -> None:
    result = obsgen("check", "--junit", str(project / "missing" / "j.xml"), cwd=project,
                    env=NO_CACHE)
    assert result.exit_code == 1
    assert "OBS223" in result.output


def test_junit_of_a_build_that_stops_before_the_tests(project: Path, obsgen: RunObsgen,
                                                      tmp_path: Path) -> None:
    alerts = project / "definitions" / "alerts.py"
    alerts.write_text(alerts.read_text(encoding="utf-8").replace('for_="10m"', "for_=10"),
                      encoding="utf-8")
    report = tmp_path / "junit.xml"
    result = obsgen("check", "--junit", str(report), cwd=project, env=NO_CACHE)
    assert result.exit_code == 1, result.describe()
    schema = xmlschema.XMLSchema(SCHEMA)
    schema.validate(str(report))
    (suite,) = schema.to_dict(str(report))["testsuite"]
    assert (suite["@name"], suite["@tests"], suite["@errors"]) == ("obsgen build", 1, 1)
    assert suite["testcase"][0]["@name"].startswith("OBS004 at definitions/alerts.py:")
