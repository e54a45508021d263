"""`obsgen import` takes Sloth specs and OpenSLO documents aside from the files `obsgen lint`
reads (it finds no kind in them) and writes their SLOs into definitions/slos/; an SLO that
cannot be imported costs that SLO, not the file."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import REPO, RunObsgen

SPECS = REPO / "tests/fixtures/slo"


def test_a_sloth_spec_in_a_folder_is_imported_and_builds(tmp_path: Path,
                                                          obsgen: RunObsgen) -> None:
    shutil.copytree(SPECS / "sloth", tmp_path / "in")
    (tmp_path / "in/checkout-k8s.yml").unlink()  # the same SLOs in the Kubernetes form
    result = obsgen("import", "in", "-o", "out", "--output-format", "json", cwd=tmp_path)
    assert result.exit_code == 1, result.describe()
    (left_out,) = result.diagnostics()
    assert (left_out["code"], left_out["location"]["path"]) == ("OBS987", "in/checkout.yml")
    module = (tmp_path / "out/definitions/slos/checkout.py").read_text(encoding="utf-8")
    assert 'SLO(\n    "requests-availability"' in module or '"requests-availability"' in module
    built = obsgen("build", cwd=tmp_path / "out")
    assert built.exit_code == 0, built.describe()
    assert list((tmp_path / "out/build/prometheus").glob("slo-requests-availability*.yml"))


def test_an_openslo_document_named_on_the_command_line_is_imported(tmp_path: Path,
                                                                   obsgen: RunObsgen) -> None:
    result = obsgen("import", str(SPECS / "openslo/checkout.yaml"), "-o", "out",
                    "--output-format", "json", cwd=tmp_path)
    assert [d["code"] for d in result.diagnostics()] == ["OBS987"]  # its Datadog SLO
    assert (tmp_path / "out/definitions/slos/checkout.py").is_file()
    assert obsgen("build", cwd=tmp_path / "out").exit_code == 0
