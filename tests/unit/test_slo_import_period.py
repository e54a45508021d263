"""The SLO period of imported Sloth specs. Sloth's specs (prometheus/v1 and the
PrometheusServiceLevel resource) hold no period: Sloth runs them with `--default-slo-period`
and the windows file (`kind: AlertWindows`, `spec.sloPeriod`) written for it. Imported with
such a file, the SLOs get its period: the rules obsgen builds from them are the rules it builds
from the same SLO written by hand with that window. A period that cannot be told or used is
reported at each SLO's line instead of becoming 30d."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
import yaml

if TYPE_CHECKING:
    from tests.conftest import RunObsgen

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "slo" / "sloth-period"
WINDOWS = FIXTURES / "windows-28d.yml"
SETTINGS = 'definitions = "definitions"\nbuild = "build"\n'
METRICS = """\
from obsgen import Counter, Label

REQUESTS = Counter("checkout_requests_total", help="Checkout requests, by status code.",
                   labels=[Label("code")])
"""
BY_HAND = """\
from obsgen import SLO, RawRatio, Tier

AVAILABILITY = SLO(
    "requests-availability",
    sli=RawRatio(errors='sum(rate(checkout_requests_total{{code=~"5.."}}[{{{{window}}}}]))',
                 total="sum(rate(checkout_requests_total[{{{{window}}}}]))"),
    objective=99.5,
    window="{window}",
    service="checkout",
    page=Tier(name="CheckoutAvailability", for_="0s"),
    ticket=Tier(name="CheckoutAvailability", for_="0s"),
)
"""
RULE_FILES = ("slo-requests-availability.rules.yml", "slo-requests-availability-ticket.rules.yml")


def _rules(root: Path, obsgen: RunObsgen) -> list[Any]:
    done = obsgen("build", cwd=root)
    assert done.exit_code == 0, done.describe()
    return [yaml.safe_load((root / "build" / "prometheus" / name).read_text(encoding="utf-8"))
            ["groups"] for name in RULE_FILES]


def _imported(obsgen: RunObsgen, root: Path, *inputs: Path) -> Path:
    done = obsgen("import", *map(str, inputs), "-o", str(root), cwd=root.parent)
    assert done.exit_code == 0, done.describe()
    return root


def _by_hand(root: Path, window: str) -> Path:
    (root / "definitions").mkdir(parents=True)
    (root / "obsgen.toml").write_text(SETTINGS, encoding="utf-8")
    (root / "definitions" / "metrics.py").write_text(METRICS, encoding="utf-8")
    (root / "definitions" / "slos.py").write_text(BY_HAND.format(window=window),
                                                  encoding="utf-8")
    return root


@pytest.mark.parametrize("spec", ["checkout.yml", "checkout-k8s.yml"])
def test_windows_file_period_gives_the_rules_of_that_window(spec: str, tmp_path: Path,
                                                             obsgen: RunObsgen) -> None:
    imported = _rules(_imported(obsgen, tmp_path / "in", FIXTURES / spec, WINDOWS), obsgen)
    assert imported == _rules(_by_hand(tmp_path / "hand28", "28d"), obsgen)
    assert imported != _rules(_by_hand(tmp_path / "hand30", "30d"), obsgen)
    # Without the windows file Sloth's default period holds.
    default = _rules(_imported(obsgen, tmp_path / "plain", FIXTURES / spec), obsgen)
    assert default == _rules(tmp_path / "hand30", obsgen)


def _diagnostics(obsgen: RunObsgen, *inputs: Path) -> list[dict[str, Any]]:
    done = obsgen("import", "--output-format", "json", *map(str, inputs), "-o",
                  str(inputs[0].parent / "out"), cwd=inputs[0].parent)
    assert done.exit_code == 1, done.describe()
    return done.diagnostics()


def _windows(folder: Path, name: str, period: str) -> Path:
    path = folder / name
    path.write_text(WINDOWS.read_text(encoding="utf-8").replace("sloPeriod: 28d",
                                                                f"sloPeriod: {period}"))
    return path


def _slo_line(spec: Path) -> int:
    lines = spec.read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, 1) if '- name: "requests-availability"' in line)


@pytest.mark.parametrize("periods", [["1h"], ["four weeks"], ["7d", "28d"]])
def test_a_period_obsgen_cannot_use_is_reported_at_the_slo(periods: list[str], tmp_path: Path,
                                                          obsgen: RunObsgen) -> None:
    spec = tmp_path / "checkout.yml"
    spec.write_text((FIXTURES / "checkout.yml").read_text(encoding="utf-8"))
    windows = [_windows(tmp_path, f"w{n}.yml", p) for n, p in enumerate(periods)]
    found = [d for d in _diagnostics(obsgen, spec, *windows) if d["code"] == "OBS987"]
    assert [(Path(d["location"]["path"]).name, d["location"]["line"]) for d in found] == [
        ("checkout.yml", _slo_line(spec))]
    assert all(p in found[0]["message"] for p in periods)
    assert not (tmp_path / "out" / "definitions" / "slos" / "checkout.py").exists() or (
        "SLO(" not in (tmp_path / "out" / "definitions" / "slos" / "checkout.py").read_text())
