"""Catalog-free rule lint over the 120 shared rule files (which promtool 2.42 accepts): no
structural or parse findings, error-level findings only where the expression provably drops
a label its templates print, and warnings counted per code (printed with -s)."""

from __future__ import annotations

import re
from collections import Counter
from functools import cache
from pathlib import Path

from obsgen.check.foreign import ForeignFile, LintContext
from obsgen.check.rules.checks import lint_rule_file
from obsgen.codes import Severity
from obsgen.diagnostics import Diagnostic

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus" / "rules"
FILES = sorted(CORPUS.glob("*/*.yml"))
# Clauses through which an expression keeps only some labels.
_KEEPING = re.compile(r"\b(by|on|group_left|group_right|without)\s*\(([^)]*)\)")
_NARROWING = re.compile(r"\b(sum|min|max|avg|count|stddev|stdvar|quantile|count_values|group|absent"
                        r"|vector|by|without|on)\s*\(")


@cache
def corpus_findings() -> tuple[tuple[ForeignFile, Diagnostic], ...]:
    files = tuple(ForeignFile(str(p), p.read_text(encoding="utf-8"), "rules") for p in FILES)
    context = LintContext(files)
    return tuple((f, d) for f in files for d in lint_rule_file(f, context))


def test_counts_per_code() -> None:
    counts = Counter((d.code, d.severity.value) for _, d in corpus_findings())
    for (code, severity), count in sorted(counts.items()):
        print(f"{code} {severity}: {count}")
    assert len(FILES) == 120
    assert sum(counts.values()) > 0


def test_no_structural_parse_or_duplicate_findings_on_files_promtool_accepts() -> None:
    refused = {"OBS213", "OBS940", "OBS941", "OBS928", "OBS924"}
    assert [(str(d.location), d.message) for _, d in corpus_findings() if d.code in refused] == []


def test_no_error_level_finding_on_files_their_authors_ship() -> None:
    errors = [(str(d.location), d.code) for _, d in corpus_findings()
              if d.severity is Severity.ERROR]
    assert errors == []


def test_dropped_template_labels_are_labels_the_expression_provably_drops() -> None:
    dropped = [(f, d) for f, d in corpus_findings() if d.code == "OBS927"]
    assert len(dropped) > 100  # awesome-prometheus-alerts' `instance` in aggregated alerts
    assert {d.severity for _, d in dropped} == {Severity.WARNING}
    for file, diagnostic in dropped:
        label = re.search(r"\$labels\.(\w+)", diagnostic.message)
        assert label is not None
        expr = _expression_of(file, diagnostic)
        clauses = _KEEPING.findall(expr)
        first_by = next((names for word, names in clauses if word == "by"), "")
        kept = {n.strip() for n in first_by.split(",")} | {
            n.strip() for word, names in clauses if word.startswith("group_") for n in
            names.split(",")}
        # Independently of the analysis: the expression narrows its labels (an aggregation,
        # a join, absent()) and neither its first (outermost) `by` nor a group_left/right
        # brings the label back.
        assert _NARROWING.search(expr), (diagnostic.location, expr)
        assert label.group(1) not in kept, (diagnostic.location, expr)


def _expression_of(file: ForeignFile, diagnostic: Diagnostic) -> str:
    """The `expr:` text of the rule a diagnostic points into (the rule starts above it)."""
    import yaml

    assert diagnostic.location is not None
    line = diagnostic.location.line
    best: tuple[int, str] = (0, "")
    for group in yaml.safe_load(file.text)["groups"]:
        for rule in group.get("rules") or []:
            name = rule.get("alert") or rule.get("record")
            start = _line_of(file.text, name)
            if best[0] < start <= line:
                best = (start, str(rule["expr"]))
    return best[1]


def _line_of(text: str, name: str) -> int:
    for number, line in enumerate(text.splitlines(), start=1):
        if re.match(rf"\s*-?\s*(alert|record):\s*['\"]?{re.escape(name)}['\"]?\s*$", line):
            return number
    return 0


def test_a_planted_defect_is_found_at_its_line() -> None:
    path = CORPUS / "kube-prometheus" / "alertmanager.rules.yml"
    lines = path.read_text(encoding="utf-8").splitlines()
    target = next(i for i, line in enumerate(lines) if line.strip().startswith("for:"))
    del lines[target]
    rule_line = max(i for i in range(target) if lines[i].lstrip().startswith("- alert:")) + 1
    file = ForeignFile(str(path), "\n".join(lines) + "\n", "rules")
    found = [d for d in lint_rule_file(file, LintContext((file,))) if d.code == "OBS921"]
    assert [d.location.line for d in found if d.location] == [rule_line]
