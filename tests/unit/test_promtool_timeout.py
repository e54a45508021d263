"""A promtool that runs past its time limit is stopped (with what it started) and reported as
OBS306 at the file, naming the seconds, through the real `obsgen check`: never a
TimeoutExpired traceback, and the other files' tests still run. The limit is
$OBSGEN_PROMTOOL_TIMEOUT (default 600 s)."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from obsgen.check.rules.promtool import DEFAULT_TIMEOUT, time_limit
from obsgen.diagnostics import UsageError

if TYPE_CHECKING:  # conftest.py is pytest's to import; only its types are needed here
    from tests.conftest import RunObsgen

# A stand-in promtool: answers --version like promtool 2.42, passes `check rules` when told
# to, and otherwise starts a long sleep (a child of its own, so that killing only the script
# would leave it running) and waits for it.
FAKE = """\
#!/bin/sh
if [ "$1" = "--version" ]; then
  echo "promtool, version 2.42.0 (branch: debian/sid, revision: 2.42.0+ds-5)"
  exit 0
fi
if [ "$1" = "check" ] && [ -n "$FAKE_CHECK_PASSES" ]; then
  echo "SUCCESS"
  exit 0
fi
sleep 120 &
echo $! > "$FAKE_SLEEP_PID"
wait
"""


def _fake(tmp_path: Path) -> dict[str, str]:
    script = tmp_path / "promtool"
    script.write_text(FAKE, encoding="utf-8")
    script.chmod(0o755)
    return {"PROMTOOL": str(script), "OBSGEN_PROMTOOL_TIMEOUT": "2",
            "FAKE_SLEEP_PID": str(tmp_path / "sleep.pid")}


def _gone(pid: int) -> bool:
    """The process has ended (a zombie waiting for init to reap it counts as ended)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text(encoding="utf-8").rsplit(")", 1)[1].split()
    except FileNotFoundError:
        return True
    return state[0] in ("Z", "X")


def _assert_stopped(tmp_path: Path) -> None:
    pid = int((tmp_path / "sleep.pid").read_text(encoding="utf-8"))
    deadline = time.monotonic() + 5
    while not _gone(pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _gone(pid), f"promtool's child {pid} is still running"


def test_check_rules_past_its_time_limit_is_a_diagnostic(
        obsgen: RunObsgen, example_project: Path, tmp_path: Path) -> None:
    started = time.monotonic()
    result = obsgen("check", "--output-format", "json", cwd=example_project,
                    env=_fake(tmp_path), timeout=60)
    assert time.monotonic() - started < 45, result.describe()
    assert result.exit_code == 1, result.describe()
    assert "Traceback" not in result.stderr, result.describe()
    [d] = result.diagnostics()  # the tests, which load the same files, are not run
    assert d["code"] == "OBS306"
    assert d["location"]["path"].startswith("build/prometheus/")
    assert d["message"].startswith("promtool check rules ran past its time limit of 2 s on "
                                   "prometheus/")
    assert ".rules.yml" in d["message"]
    _assert_stopped(tmp_path)


def test_test_rules_past_its_time_limit_names_the_test_file(
        obsgen: RunObsgen, example_project: Path, tmp_path: Path) -> None:
    env = {**_fake(tmp_path), "FAKE_CHECK_PASSES": "1"}
    result = obsgen("check", "--output-format", "json", cwd=example_project, env=env,
                    timeout=120)
    assert result.exit_code == 1, result.describe()
    found = result.diagnostics()
    # One per test file (the three groups' and the four the SLOs' tiers make): one that hangs
    # does not stop the others.
    assert len(found) == 7
    for d in found:
        assert d["code"] == "OBS306"
        assert d["message"].startswith("promtool test rules ran past its time limit of 2 s on "
                                       "prometheus/tests/")
        assert d["message"].endswith(".test.yml and was stopped")
        assert d["location"]["path"].startswith("build/prometheus/tests/")
        assert d["location"]["path"].removeprefix("build/") in d["message"]
    assert len({d["location"]["path"] for d in found}) == 7
    _assert_stopped(tmp_path)


def test_an_unusable_time_limit_is_a_usage_error(
        obsgen: RunObsgen, example_project: Path, tmp_path: Path) -> None:
    env = {**_fake(tmp_path), "OBSGEN_PROMTOOL_TIMEOUT": "soon"}
    result = obsgen("check", "--output-format", "json", cwd=example_project, env=env,
                    timeout=60)
    assert result.exit_code == 2, result.describe()
    [d] = result.diagnostics()
    assert (d["code"], d["message"]) == (
        "OBS975", "$OBSGEN_PROMTOOL_TIMEOUT='soon' is not a number of seconds")


@pytest.mark.parametrize(("value", "seconds"), [("", DEFAULT_TIMEOUT), ("30", 30.0),
                                                (" 0.5 ", 0.5)])
def test_the_time_limit_comes_from_the_environment(value: str, seconds: float) -> None:
    assert time_limit({"OBSGEN_PROMTOOL_TIMEOUT": value}) == seconds
    assert DEFAULT_TIMEOUT == 600


@pytest.mark.parametrize("value", ["0", "-5", "inf", "nan", "10s"])
def test_what_is_not_a_time_limit(value: str) -> None:
    with pytest.raises(UsageError) as raised:
        time_limit({"OBSGEN_PROMTOOL_TIMEOUT": value})
    assert raised.value.diagnostic.code == "OBS975"


def test_the_default_applies_without_the_variable() -> None:
    env = {k: v for k, v in os.environ.items() if k != "OBSGEN_PROMTOOL_TIMEOUT"}
    assert time_limit(env) == DEFAULT_TIMEOUT
