"""`obsgen lint`: file discovery, kind detection, reading, catalogs, --select/--ignore, noqa,
`obsgen rule`/`rules`/`codes`, and the pre-commit hooks. Bad input: one test per class."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
import pytest
from click.testing import CliRunner
from pre_commit.clientlib import load_manifest

from obsgen.check.foreign import ForeignFile, LintContext
from obsgen.check.lint import Candidate, detect, expand, lint_files, lint_paths, read_files
from obsgen.cli import main
from obsgen.codes import CODES
from obsgen.diagnostics import Diagnostic, Location, UsageError
from obsgen.noqa import ALL, file_codes, noqa_codes, without_noqa
from obsgen.selection import Selection, parse_selection

if TYPE_CHECKING:  # conftest.py is pytest's to import; only its types are needed here
    from tests.conftest import RunObsgen

REPO = Path(__file__).resolve().parents[2]
JSON = ("--output-format", "json")
RULE_FILE = """\
groups:
- name: g
  rules:
  - alert: TargetDown
    expr: up == 0
    for: 5m
    labels: {severity: critical}
    annotations: {summary: A target is down, description: It stopped answering scrapes.,
                  runbook_url: "https://runbooks.example.org/#targetdown"}
"""
PROMETHEUS_RULE = """\
apiVersion: monitoring.coreos.com/v1
kind: PrometheusRule
metadata: {name: x}
spec:
  groups: []
"""
DASHBOARD = '{"title": "d", "panels": []}\n'


def _write(root: Path, files: dict[str, str | bytes]) -> None:
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")


def _found(diagnostics: list[dict[str, Any]]) -> set[tuple[str, str, int]]:
    return {(d["code"], d["location"]["path"], d["location"]["line"]) for d in diagnostics}


# discovery and kinds ------------------------------------------------------------------------

def test_folders_are_walked_skipping_hidden_git_venvs_and_other_files(tmp_path: Path) -> None:
    _write(tmp_path, {
        "rules/a.yml": RULE_FILE, "rules/nested/b.yaml": PROMETHEUS_RULE,
        "dash/d.json": DASHBOARD, "pipe/config.alloy": "prometheus.scrape \"x\" {}\n",
        "runbooks/r.md": "# Runbook\n", "notes.txt": "not linted\n",
        ".hidden/c.yml": RULE_FILE, ".git/d.yml": RULE_FILE, "node_modules/e.yml": RULE_FILE,
        "env/pyvenv.cfg": "home = /usr\n", "env/f.yml": RULE_FILE, ".dotfile.yml": RULE_FILE,
        "ci/compose.yml": "services: {}\n", "package.json": '{"name": "x"}\n',
    })
    candidates, problems = expand([tmp_path])
    assert problems == []
    names = [Path(c.path).relative_to(tmp_path).as_posix() for c in candidates]
    assert names == ["package.json", "ci/compose.yml", "dash/d.json", "pipe/config.alloy",
                     "rules/a.yml", "rules/nested/b.yaml", "runbooks/r.md"]
    files, problems = read_files(candidates)
    assert problems == []  # compose.yml and package.json were found in a folder: skipped
    kinds = {Path(f.path).name: f.kind for f in files}
    assert kinds == {"d.json": "dashboard", "config.alloy": "alloy", "a.yml": "rules",
                     "b.yaml": "rules", "r.md": "markdown"}


def test_a_file_named_twice_is_linted_once_and_naming_it_reports_its_kind(tmp_path: Path
                                                                          ) -> None:
    _write(tmp_path, {"compose.yml": "services: {}\n"})
    candidates, _ = expand([tmp_path, tmp_path / "compose.yml", tmp_path / "compose.yml"])
    assert candidates == [Candidate(str(tmp_path / "compose.yml"), named=True)]


@pytest.mark.parametrize(("name", "text", "expected"), [
    ("a.yml", RULE_FILE, "rules"),
    ("a.yaml", PROMETHEUS_RULE, "rules"),
    ("a.YML", "# comment\ngroups: []\n", "rules"),
    ("a.yml", "groups:\n  - name: [unclosed\n", "rules"),  # malformed: its linter reports it
    ("d.json", DASHBOARD, "dashboard"),
    ("d.json", '{"dashboard": {"panels": []}, "overwrite": true}', "dashboard"),
    ("d.json", '{"panels": [', "dashboard"),
    ("x.alloy", "anything", "alloy"),
    ("r.md", "text", "markdown"),
])
def test_kind_by_suffix_confirmed_by_content(name: str, text: str, expected: str) -> None:
    assert detect(name, text, named=True) == expected


@pytest.mark.parametrize(("name", "text"), [
    ("values.yaml", "replicaCount: 2\nimage: nginx\n"),
    ("list.yml", "- a\n- b\n"),
    ("nested.yml", "spec:\n  groups: []\n"),  # `groups` not at the top and no PrometheusRule
    ("package.json", '{"name": "x", "version": "1"}'),
])
def test_content_of_another_kind(name: str, text: str) -> None:
    assert detect(name, text, named=False) is None
    found = detect(name, text, named=True)
    assert isinstance(found, Diagnostic)
    assert (found.code, found.location) == ("OBS963", Location(name, 1))


# reading ------------------------------------------------------------------------------------

def test_not_utf8_is_reported_at_the_byte(obsgen: RunObsgen, tmp_path: Path) -> None:
    _write(tmp_path, {"rules.yml": b"groups:\n- name: g\n  rules: [] # caf\xe9\n"})
    result = obsgen("lint", "rules.yml", *JSON, cwd=tmp_path)
    assert result.exit_code == 1, result.describe()
    [d] = result.diagnostics()
    assert d["code"] == "OBS961" and "0xe9" in d["message"] and d["hint"]
    assert d["location"] == {"path": "rules.yml", "line": 3, "column": 18}
    assert "Traceback" not in result.output


@pytest.mark.parametrize("content", [b"", b"\n  \n\t\n"])
def test_empty_file(obsgen: RunObsgen, tmp_path: Path, content: bytes) -> None:
    _write(tmp_path, {"dash.json": content})
    result = obsgen("lint", "dash.json", *JSON, cwd=tmp_path)
    assert result.exit_code == 1, result.describe()
    assert _found(result.diagnostics()) == {("OBS962", "dash.json", 1)}


def test_a_utf8_bom_is_not_a_problem(tmp_path: Path) -> None:
    _write(tmp_path, {"a.yml": b"\xef\xbb\xbf" + RULE_FILE.encode()})
    files, problems = read_files([Candidate(str(tmp_path / "a.yml"), named=True)])
    assert problems == [] and files[0].text == RULE_FILE


def test_a_path_that_does_not_exist_is_a_usage_error(obsgen: RunObsgen, tmp_path: Path
                                                     ) -> None:
    result = obsgen("lint", "missing.yml", *JSON, cwd=tmp_path)
    assert result.exit_code == 2, result.describe()
    assert [d["code"] for d in result.diagnostics()] == ["OBS966"]
    assert obsgen("lint", cwd=tmp_path).exit_code == 2  # no PATH at all


def test_a_file_of_no_linted_kind_named_explicitly(obsgen: RunObsgen, tmp_path: Path) -> None:
    _write(tmp_path, {"notes.txt": "hello\n"})
    result = obsgen("lint", "notes.txt", *JSON, cwd=tmp_path)
    assert result.exit_code == 0, result.describe()  # a warning
    assert [d["code"] for d in result.diagnostics()] == ["OBS960"]


def test_skip_other_files_as_pre_commit_names_them(obsgen: RunObsgen, tmp_path: Path) -> None:
    _write(tmp_path, {"ci.yml": "on: push\n", "notes.txt": "x\n", "e.md": ""})
    result = obsgen("lint", "--skip-other-files", "ci.yml", "notes.txt", "e.md", *JSON,
                    cwd=tmp_path)
    assert result.exit_code == 1, result.describe()
    assert _found(result.diagnostics()) == {("OBS962", "e.md", 1)}  # only the real problem


def test_valid_yaml_that_is_not_a_rule_file(obsgen: RunObsgen, tmp_path: Path) -> None:
    _write(tmp_path, {"values.yaml": "replicaCount: 2\n"})
    result = obsgen("lint", "values.yaml", *JSON, cwd=tmp_path)
    assert result.exit_code == 1, result.describe()
    assert _found(result.diagnostics()) == {("OBS963", "values.yaml", 1)}


QUOTED_RULE_FILE = '"groups":\n- "name": "g"\n  "rules":\n  - "alert": "TargetDown"\n' \
                   '    "expr": "up == 0"\n'
JSON_RULE_FILE = '{"groups": [{"name": "h", "rules": [{"record": "job:up:sum", ' \
                 '"expr": "sum by (job) (up)"}]}]}\n'


def test_rule_files_with_quoted_keys_in_a_folder_are_linted(obsgen: RunObsgen, tmp_path: Path
                                                             ) -> None:
    """A folder of rule files written with quoted keys (or as JSON) once gave `Linted 0
    files.` and exit 0: a file that parses as a rule file is never skipped."""
    _write(tmp_path, {"rules/a.yml": QUOTED_RULE_FILE, "rules/b.yaml": JSON_RULE_FILE})
    result = obsgen("lint", "rules", *JSON, cwd=tmp_path)
    assert ("OBS921", "rules/a.yml", 4) in _found(result.diagnostics()), result.describe()
    assert "Linted 2 files (2 rule files, 2 rules)." in obsgen("lint", "rules",
                                                               cwd=tmp_path).stderr


@pytest.mark.parametrize("content", ["null\n", "{}\n", "groups: []\n", "groups:\n",
                                     "# rules to come\n", "---\n"])
def test_a_placeholder_rule_file_is_a_notice(obsgen: RunObsgen, tmp_path: Path, content: str
                                             ) -> None:
    """promtool accepts a rule file with no rules; obsgen says so in a notice, named or found
    in a folder, never as an error."""
    _write(tmp_path, {"rules/empty.yml": content})
    for path in ("rules/empty.yml", "rules"):
        result = obsgen("lint", path, *JSON, cwd=tmp_path)
        assert result.exit_code == 0, result.describe()
        assert [(d["code"], d["severity"]) for d in result.diagnostics()] == [("OBS942", "info")]


@pytest.mark.parametrize(("name", "text"), [
    # samber/awesome-prometheus-alerts dist/template.yml: Liquid, no YAML until rendered
    ("template.yml", "groups:\n{% for g in groups %}\n- name: {{ g.name }}\n{% endfor %}\n"),
    # a Helm chart's templates/: a PrometheusRule behind a Helm action
    ("rules.yaml", "{{- if .Values.rules }}\nkind: PrometheusRule\nspec:\n  groups:\n"
                   "  {{- toYaml .Values.rules | nindent 2 }}\n{{- end }}\n"),
    # awesome-prometheus-alerts _data/rules.yml: groups of services, a site's catalogue
    ("rules.yml", "groups:\n  - name: Basic\n    services:\n      - name: Prometheus\n"
                  "        exporters:\n          - rules:\n              - name: Down\n"),
    # Grafana alerting provisioning: groups with orgId and folder, rules with uid and data
    ("alerting.yaml", "apiVersion: 1\ngroups:\n  - orgId: 1\n    name: g\n    folder: f\n"
                      "    rules:\n      - uid: a\n        title: A\n        data: []\n"),
    # grafana/alloy integration-tests: the image of Alloy, not a config
    ("Dockerfile.alloy", "FROM grafana/alloy:latest\nCOPY config.alloy /etc/alloy/\n"),
])
def test_files_of_another_kind_in_a_folder_are_skipped(name: str, text: str) -> None:
    assert detect(name, text, named=False) is None


def test_a_rule_file_written_as_json_is_a_rule_file(tmp_path: Path) -> None:
    """kube-prometheus examples/existingrule.json: promtool reads JSON rule files."""
    _write(tmp_path, {"rules.json": JSON_RULE_FILE, "dash.json": DASHBOARD})
    files, problems = read_files(expand([tmp_path])[0])
    assert problems == []
    assert {Path(f.path).name: f.kind for f in files} == {"rules.json": "rules",
                                                           "dash.json": "dashboard"}


def test_a_utf8_label_name_is_valid_since_prometheus_3() -> None:
    """sloth's generated rules (`plug-l1`): Prometheus 3 takes any UTF-8 label name; a label
    value that is no string is still wrong."""
    from obsgen.check.rules.rulefile import read_rule_file

    text = ("groups:\n- name: g\n  rules:\n  - record: a:b:c\n    expr: vector(1)\n"
            "    labels: {team-name: payments}\n  - record: a:b:d\n    expr: vector(1)\n"
            "    labels: {tier: [2]}\n")
    problems = read_rule_file("utf8.yml", text).problems
    assert [(code, line) for code, _, _, line in problems] == [("OBS401", 9)]


def test_a_folder_of_ten_thousand_files(obsgen: RunObsgen, tmp_path: Path) -> None:
    folder = tmp_path / "many"
    for i in range(100):
        sub = folder / f"d{i:03}"
        sub.mkdir(parents=True)
        for j in range(100):
            (sub / f"r{j:03}.yml").write_text("groups: []\n")
    (folder / "d042" / "r007.yml").write_bytes(b"groups: [] # \xff\n")
    (folder / "d099" / "r099.yml").write_bytes(b"")
    result = obsgen("lint", "many", *JSON, cwd=tmp_path)
    assert result.exit_code == 1, result.describe()
    errors = {(d["code"], d["location"]["path"]) for d in result.diagnostics()
              if d["severity"] == "error"}
    assert errors == {("OBS961", "many/d042/r007.yml"), ("OBS962", "many/d099/r099.yml")}


def test_an_unreadable_file(obsgen: RunObsgen, tmp_path: Path) -> None:
    # A dangling symlink: unreadable even for root, unlike a file without permissions.
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "gone.yml").symlink_to(tmp_path / "nowhere.yml")
    result = obsgen("lint", "rules", *JSON, cwd=tmp_path)
    assert result.exit_code == 1, result.describe()
    [d] = result.diagnostics()
    assert (d["code"], d["location"]["path"]) == ("OBS965", "rules/gone.yml")
    assert "No such file" in d["message"]


@pytest.mark.parametrize(("name", "content", "code", "line"), [
    ("rules.yml", "groups:\n  - name: [unclosed\n", "OBS940", 3),  # YAML: the stream ends
    ("rules.yml", "groups: {a: 1}\n", "OBS941", 1),  # valid YAML, not a rule file
    ("dash.json", '{"panels": [', "OBS631", 1),
    ("pipe.alloy", 'prometheus.scrape "x" {\n', "OBS801", 2),
    ("runbook.md", "# Title\n\nSee [the fix](#nowhere).\n", "OBS709", 3),
])
def test_malformed_input_of_each_kind(obsgen: RunObsgen, tmp_path: Path, name: str,
                                      content: str, code: str, line: int) -> None:
    _write(tmp_path, {name: content})
    result = obsgen("lint", name, *JSON, cwd=tmp_path)
    assert result.exit_code == 1, result.describe()
    assert (code, name, line) in _found(result.diagnostics())
    assert all(d["hint"] for d in result.diagnostics())
    assert "Traceback" not in result.output


EXPOSITION = """\
# HELP http_requests_total Requests.
# TYPE http_requests_total counter
http_requests_total{code="200",method="GET"} 5
# TYPE queue_depth gauge
queue_depth{queue="a"} 3
"""
FOREIGN_RULES = """\
groups:
- name: app
  rules:
  - alert: HighErrors
    expr: sum by (code) (rate(http_request_total{code="500"}[5m])) > 1
    for: 5m
    labels: {severity: warning}
    annotations: {summary: s, description: d, runbook_url: "https://rb.example.org/#a"}
  - alert: QueueGrowing
    expr: rate(queue_depth[5m]) > 1  # obsgen: noqa OBS111
    for: 5m
    labels: {severity: warning}
    annotations: {summary: s, description: d, runbook_url: "https://rb.example.org/#b"}
  - alert: QueueLabel
    expr: queue_depth{shard="x"} > 1
    for: 5m
    labels: {severity: warning}
    annotations: {summary: s, description: d, runbook_url: "https://rb.example.org/#c"}
"""


def test_lint_against_an_exposition_catalog(obsgen: RunObsgen, tmp_path: Path) -> None:
    _write(tmp_path, {"metrics.txt": EXPOSITION, "rules.yml": FOREIGN_RULES})
    result = obsgen("lint", "--catalog", "metrics.txt", "rules.yml", *JSON, cwd=tmp_path)
    assert result.exit_code == 1, result.describe()
    found = _found(result.diagnostics())
    assert ("OBS116", "rules.yml", 5) in found  # http_request_total: not exported
    assert ("OBS109", "rules.yml", 15) in found  # queue_depth has no `shard`
    assert not any(line == 10 for _, _, line in found)  # rate() on a gauge, silenced by noqa
    hint = next(d["hint"] for d in result.diagnostics() if d["code"] == "OBS116")
    assert "http_requests_total" in hint
    without = obsgen("lint", "rules.yml", *JSON, cwd=tmp_path)
    assert without.exit_code == 0, without.describe()  # no catalog: no catalog findings
    assert not {"OBS109", "OBS116"} & {d["code"] for d in without.diagnostics()}


# catalogs -----------------------------------------------------------------------------------

def test_catalog_from_an_exposition_with_syntax_errors_stops_the_run(obsgen: RunObsgen,
                                                                     tmp_path: Path) -> None:
    _write(tmp_path, {"metrics.txt": "# TYPE a gauge\na 1\nb{x=1} 2\n", "r.yml": b"\xff"})
    result = obsgen("lint", "--catalog", "metrics.txt", "r.yml", *JSON, cwd=tmp_path)
    assert result.exit_code == 1, result.describe()
    # The catalog's error only: nothing is linted against a broken catalog.
    assert _found(result.diagnostics()) == {("OBS964", "metrics.txt", 3)}


def test_catalog_from_an_exposition(tmp_path: Path) -> None:
    _write(tmp_path, {"metrics.txt": "# TYPE a_total counter\na_total{k=\"v\"} 1\n",
                      "r.yml": RULE_FILE})
    run = lint_paths([tmp_path / "r.yml"], tmp_path / "metrics.txt")
    assert run.diagnostics == [] and [f.kind for f in run.files] == ["rules"]


def test_catalog_not_utf8_and_missing(obsgen: RunObsgen, tmp_path: Path) -> None:
    _write(tmp_path, {"metrics.txt": b"a 1\n\xff\n", "r.yml": RULE_FILE})
    bad = obsgen("lint", "--catalog", "metrics.txt", "r.yml", *JSON, cwd=tmp_path)
    assert bad.exit_code == 1 and _found(bad.diagnostics()) == {("OBS961", "metrics.txt", 2)}
    missing = obsgen("lint", "--catalog", "nope.txt", "r.yml", *JSON, cwd=tmp_path)
    assert missing.exit_code == 2 and [d["code"] for d in missing.diagnostics()] == ["OBS966"]


def test_catalog_from_an_obsgen_project(example_project: Path, tmp_path: Path) -> None:
    _write(tmp_path, {"r.yml": RULE_FILE})
    run = lint_paths([tmp_path / "r.yml"], example_project)
    assert run.diagnostics == []


def test_catalog_folder_without_a_project_is_a_usage_error(obsgen: RunObsgen, tmp_path: Path
                                                           ) -> None:
    _write(tmp_path, {"lonely/x.txt": "", "r.yml": RULE_FILE})
    result = obsgen("lint", "--catalog", "lonely", "r.yml", *JSON, cwd=tmp_path)
    assert result.exit_code == 2, result.describe()
    assert [d["code"] for d in result.diagnostics()] == ["OBS003"]


def test_catalog_project_with_broken_definitions(obsgen: RunObsgen, example_project: Path,
                                                 tmp_path: Path) -> None:
    metrics = example_project / "definitions" / "metrics.py"
    metrics.write_text(metrics.read_text() + "\nBROKEN = (\n")
    _write(tmp_path, {"r.yml": RULE_FILE})
    result = obsgen("lint", "--catalog", str(example_project), "r.yml", *JSON, cwd=tmp_path)
    assert result.exit_code == 1, result.describe()
    assert [d["code"] for d in result.diagnostics()] == ["OBS001"]


# --select / --ignore --------------------------------------------------------------------------

@pytest.mark.parametrize(("select", "ignore", "kept"), [
    ((), (), {"OBS101", "OBS110", "OBS961"}),
    (("OBS1",), (), {"OBS101", "OBS110"}),
    (("OBS1",), ("OBS11",), {"OBS101"}),
    (("OBS110",), ("OBS1",), {"OBS110"}),  # the more specific select wins
    ((), ("OBS1",), {"OBS961"}),
    (("OBS1",), ("OBS1",), set()),  # equally specific: ignore wins
    (("ALL",), ("OBS961",), {"OBS101", "OBS110"}),
])
def test_selection_most_specific_prefix_wins(select: tuple[str, ...], ignore: tuple[str, ...],
                                             kept: set[str]) -> None:
    selection = Selection(select=tuple("" if s == "ALL" else s for s in select), ignore=ignore)
    assert {c for c in ("OBS101", "OBS110", "OBS961") if selection.keeps(c)} == kept


def test_selection_parses_comma_lists_case_and_refuses_unknown_codes() -> None:
    parsed = parse_selection(["obs1, OBS961", "OBS2"], ["OBS110"])
    assert parsed == Selection(("OBS1", "OBS961", "OBS2"), ("OBS110",))
    with pytest.raises(UsageError) as raised:
        parse_selection(["OBS1234"], [])
    assert raised.value.diagnostic.code == "OBS967"


def test_select_and_ignore_on_lint(obsgen: RunObsgen, tmp_path: Path) -> None:
    _write(tmp_path, {"e.yml": "", "n.txt": "x", "b.md": b"\xff"})
    args = ("lint", "e.yml", "n.txt", "b.md", *JSON)
    assert {d["code"] for d in obsgen(*args, cwd=tmp_path).diagnostics()} == {
        "OBS960", "OBS961", "OBS962"}
    only = obsgen(*args, "--select", "OBS960", cwd=tmp_path)
    assert only.exit_code == 0 and [d["code"] for d in only.diagnostics()] == ["OBS960"]
    rest = obsgen(*args, "--ignore", "OBS961,OBS962", cwd=tmp_path)
    assert rest.exit_code == 0 and [d["code"] for d in rest.diagnostics()] == ["OBS960"]
    unknown = obsgen(*args, "--ignore", "OBS9999", cwd=tmp_path)
    assert unknown.exit_code == 2 and unknown.diagnostics()[0]["code"] == "OBS967"


# obsgen noqa comments ---------------------------------------------------------------------------

@pytest.mark.parametrize(("line", "codes"), [
    ("x = 1", None),
    ("x = 1  # obsgen: noqa", ALL),
    ("x = 1  # obsgen: noqa OBS110", frozenset({"OBS110"})),
    ("x = 1  # obsgen: noqa: OBS110, obs116", frozenset({"OBS110", "OBS116"})),
    ("x = 1  # OBSGEN:NOQA OBS110,OBS116 because the label is new", frozenset(
        {"OBS110", "OBS116"})),
    ("  // obsgen: noqa OBS821", frozenset({"OBS821"})),
    ("<!-- obsgen: noqa OBS701 -->", frozenset({"OBS701"})),
    ("x = 1  # noqa: E501", None),  # someone else's noqa
    ("# obsgen: noqa-file OBS110", None),  # the file-wide marker is not a line marker
])
def test_noqa_comment_forms(line: str, codes: frozenset[str] | None) -> None:
    assert noqa_codes(line) == codes


def test_noqa_file_markers() -> None:
    assert file_codes(["x = 1", "y = 2"]) is None
    assert file_codes(["# obsgen: noqa-file OBS110", "# obsgen: noqa-file: OBS116"]) == {
        "OBS110", "OBS116"}
    assert file_codes(["# obsgen: noqa-file OBS110", "# obsgen: noqa-file"]) == ALL


def test_noqa_file_silences_its_codes_anywhere_in_the_file(tmp_path: Path) -> None:
    path = tmp_path / "a.yml"
    path.write_text("# obsgen: noqa-file OBS923\ngroups: []\n")
    at = str(path)
    kept = without_noqa([Diagnostic.of("OBS923", "m", Location(at, 2)),
                         Diagnostic.of("OBS923", "m", Location(at)),
                         Diagnostic.of("OBS920", "m", Location(at, 2))])
    assert [d.code for d in kept] == ["OBS920"]


def test_noqa_silences_only_its_line_and_codes(tmp_path: Path) -> None:
    path = tmp_path / "a.py"
    path.write_text("a = 1  # obsgen: noqa OBS110\nb = 2  # obsgen: noqa\nc = 3\n")
    at = str(path)
    diagnostics = [Diagnostic.of("OBS110", "m", Location(at, 1)),
                   Diagnostic.of("OBS116", "m", Location(at, 1)),
                   Diagnostic.of("OBS116", "m", Location(at, 2)),
                   Diagnostic.of("OBS110", "m", Location(at, 3)),
                   Diagnostic.of("OBS110", "m", Location(at, 0)),
                   Diagnostic.of("OBS110", "m", Location(str(tmp_path / "gone.py"), 1)),
                   Diagnostic.of("OBS301", "m")]
    kept = without_noqa(diagnostics)
    assert [(d.code, d.location.line if d.location else None) for d in kept] == [
        ("OBS116", 1), ("OBS110", 3), ("OBS110", 0), ("OBS110", 1), ("OBS301", None)]


BAD_COUNTER = 'UNSUFFIXED = Counter("hypertool_unsuffixed", help="Things.")'


@pytest.mark.parametrize(("comment", "args", "exit_code"), [
    ("", (), 1),
    ("  # obsgen: noqa OBS102", (), 0),
    ("  # obsgen: noqa", (), 0),
    ("  # obsgen: noqa OBS101", (), 1),  # another code: still reported
    ("", ("--ignore", "OBS102"), 0),
    ("", ("--select", "OBS2"), 0),
    ("\n# obsgen: noqa-file OBS102", (), 0),  # on a line of its own, anywhere in the file
])
def test_noqa_and_selection_in_definitions_on_build(obsgen: RunObsgen, example_project: Path,
                                                    comment: str, args: tuple[str, ...],
                                                    exit_code: int) -> None:
    metrics = example_project / "definitions" / "metrics.py"
    metrics.write_text(metrics.read_text() + f"\n{BAD_COUNTER}{comment}\n")
    result = obsgen("build", *JSON, *args, cwd=example_project)
    assert result.exit_code == exit_code, result.describe()
    codes = [d["code"] for d in result.diagnostics()]
    assert codes == (["OBS102"] if exit_code else [])
    assert (example_project / "build").is_dir() == (exit_code == 0)


def test_noqa_in_a_foreign_file(obsgen: RunObsgen, tmp_path: Path) -> None:
    _write(tmp_path, {"values.yaml": "replicaCount: 2  # obsgen: noqa OBS963\n"})
    result = obsgen("lint", "values.yaml", *JSON, cwd=tmp_path)
    assert result.exit_code == 0 and result.diagnostics() == [], result.describe()


# rule docs -----------------------------------------------------------------------------------

def test_rules_lists_every_code_by_area_and_codes_is_the_same() -> None:
    listed = CliRunner().invoke(main, ["rules"])
    assert listed.exit_code == 0
    lines = [line for line in listed.output.splitlines() if re.match(r"OBS\d{3}  ", line)]
    assert [line.split()[0] for line in lines] == sorted(CODES)
    assert "# obsgen lint inputs and output" in listed.output
    assert CliRunner().invoke(main, ["codes"]).output == listed.output
    narrowed = CliRunner().invoke(main, ["rules", "obs96"]).output
    assert {line.split()[0] for line in narrowed.splitlines() if line.startswith("OBS")} == {
        c for c in CODES if c.startswith("OBS96")}
    assert CliRunner().invoke(main, ["rules", "OBS0999"]).exit_code == 2


def test_rule_explains_one_code() -> None:
    result = CliRunner().invoke(main, ["rule", "obs961"])
    assert result.exit_code == 0
    assert result.output.startswith("OBS961  error    A file is not UTF-8 text.")
    assert "obsgen lint inputs" in result.output and "# obsgen: noqa OBS961" in result.output
    assert CliRunner().invoke(main, ["codes", "OBS961"]).output == result.output
    assert CliRunner().invoke(main, ["rule", "OBS999"]).exit_code == 2


def test_lint_help_teaches_with_examples() -> None:
    result = CliRunner().invoke(main, ["lint", "--help"])
    assert result.exit_code == 0
    for text in ("--catalog metrics.txt", "curl", "sarif", "--select", "--ignore",
                 "obsgen: noqa"):
        assert text in result.output, text


# pre-commit ----------------------------------------------------------------------------------

def test_pre_commit_hooks_parse_and_name_real_commands() -> None:
    hooks = {h["id"]: h for h in load_manifest(str(REPO / ".pre-commit-hooks.yaml"))}
    assert set(hooks) == {"obsgen-check", "obsgen-lint"}
    for hook in hooks.values():
        program, command, *options = hook["entry"].split()
        context = click.Context(main)
        assert program == "obsgen" and command in main.list_commands(context)  # type: ignore[attr-defined]
        known = {o for p in main.get_command(context, command).params for o in p.opts}  # type: ignore[attr-defined]
        assert set(options) <= known, options
    assert hooks["obsgen-check"]["entry"] == "obsgen check"
    assert hooks["obsgen-check"]["pass_filenames"] is False
    assert hooks["obsgen-lint"]["entry"] == "obsgen lint --skip-other-files"
    pattern = re.compile(hooks["obsgen-lint"]["files"])
    assert all(pattern.search(n) for n in ("a.yml", "b.yaml", "d.json", "c.alloy", "r.md"))
    assert not any(pattern.search(n) for n in ("a.py", "notes.txt", "yml"))


def test_a_linter_that_raises_costs_one_file_not_the_run(tmp_path: Path) -> None:
    def broken(file: ForeignFile, context: LintContext) -> list[Diagnostic]:
        if file.path.endswith("a.yml"):
            raise RuntimeError("boom")
        return [Diagnostic.of("OBS920", "linted", Location(file.path, 1))]

    files = (ForeignFile("a.yml", RULE_FILE, "rules"), ForeignFile("b.yml", RULE_FILE, "rules"))
    found = lint_files(files, None, {"rules": broken})
    assert [(d.code, d.location) for d in found] == [
        ("OBS968", Location("a.yml")), ("OBS920", Location("b.yml", 1))]
    assert "RuntimeError: boom" in found[0].message
