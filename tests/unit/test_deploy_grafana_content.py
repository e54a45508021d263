"""How a deploy tells unchanged, updated, drifted and foreign dashboards apart."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from obsgen.deploy import grafana_content as gc
from obsgen.deploy.built import BuiltDashboard
from obsgen.deploy.grafana import Remote, _classify
from obsgen.diagnostics import Location

MODEL: dict[str, Any] = {"uid": "svc", "title": "Service", "tags": ["team"],
                         "panels": [{"id": 1, "type": "stat", "title": "Up"}]}


def built(model: dict[str, Any], folder: str = "f") -> BuiltDashboard:
    return BuiltDashboard(model["uid"], folder, folder, model, Path("x.json"), Location("x"))


def as_grafana_holds_it(model: dict[str, Any], folder: str = "f", version: int = 3) -> Remote:
    """What GET /api/dashboards/uid returns after obsgen posted `model`."""
    return Remote({**gc.stamped(model, folder), "id": 42, "version": version}, folder)


def test_grafana_fields_and_obsgen_tags_do_not_count() -> None:
    held = {**gc.stamped(MODEL, "f"), "id": 7, "version": 12, "iteration": 99}
    assert gc.content(held) == gc.content(MODEL)
    assert gc.fingerprint(held, "f") == gc.fingerprint(MODEL, "f")
    assert gc.content(held)["tags"] == ["team"]


def test_fingerprint_is_stable_and_sensitive() -> None:
    reordered = dict(reversed(list(copy.deepcopy(MODEL).items())))
    assert gc.fingerprint(reordered, "f") == gc.fingerprint(MODEL, "f")
    changed = copy.deepcopy(MODEL)
    changed["panels"][0]["title"] = "Up?"
    assert gc.fingerprint(changed, "f") != gc.fingerprint(MODEL, "f")
    assert gc.fingerprint(MODEL, "g") != gc.fingerprint(MODEL, "f")
    assert gc.fingerprint({**MODEL, "tags": []}, "f") != gc.fingerprint(MODEL, "f")


def test_stamp_records_the_fingerprint_and_the_provenance_tag() -> None:
    stamped = gc.stamped(MODEL, "f")
    assert stamped["tags"][:2] == ["team", "obsgen"]
    assert gc.recorded_fingerprint(stamped) == gc.fingerprint(MODEL, "f")
    assert gc.is_managed(stamped) and not gc.is_managed(MODEL)
    assert gc.stamped(stamped, "f") == stamped  # stamping twice changes nothing


def test_classification() -> None:
    assert _classify(built(MODEL), None) == "create"
    assert _classify(built(MODEL), as_grafana_holds_it(MODEL)) == "unchanged"
    newer = {**MODEL, "title": "Service v2"}
    assert _classify(built(newer), as_grafana_holds_it(MODEL)) == "update"
    assert _classify(built(MODEL, "g"), as_grafana_holds_it(MODEL)) == "update"  # moved

    edited = as_grafana_holds_it(MODEL)
    edited.model["description"] = "changed in the UI"
    assert _classify(built(newer), edited) == "drift"
    assert _classify(built(MODEL), edited) == "drift"

    theirs = Remote({**MODEL, "id": 1, "version": 1}, "f")
    assert _classify(built(MODEL), theirs) == "foreign"
    assert _classify(built(newer), theirs) == "foreign"
