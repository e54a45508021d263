"""How a deploy tells unchanged, updated, drifted, foreign and other projects' dashboards
apart, and what it stamps on the ones it writes."""

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
ME = "checkout"


def built(model: dict[str, Any], folder: str = "f") -> BuiltDashboard:
    return BuiltDashboard(model["uid"], folder, folder, model, Path("x.json"), Location("x"))


def as_grafana_holds_it(model: dict[str, Any], folder: str = "f", version: int = 3,
                        project: str = ME) -> Remote:
    """What GET /api/dashboards/uid returns after obsgen (of `project`) posted `model`."""
    return Remote({**gc.stamped(model, folder, project), "id": 42, "version": version}, folder)


def legacy(model: dict[str, Any], folder: str = "f") -> Remote:
    """What an obsgen from before projects were recorded left in Grafana."""
    held = as_grafana_holds_it(model, folder)
    tags = [t for t in held.model["tags"] if not t.startswith(gc.PROJECT_PREFIX)]
    return Remote({**held.model, "tags": tags}, folder)


def test_grafana_fields_and_obsgen_tags_do_not_count() -> None:
    held = {**gc.stamped(MODEL, "f", ME), "id": 7, "version": 12, "iteration": 99}
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
    # A "Save as" copy differs in uid and title, so it never matches the recorded print.
    copied = {**MODEL, "uid": "svc-copy", "title": "Service Copy"}
    assert gc.fingerprint(copied, "f") != gc.fingerprint(MODEL, "f")


def test_stamp_records_provenance_project_and_fingerprint() -> None:
    stamped = gc.stamped(MODEL, "f", ME)
    assert stamped["tags"] == ["team", "obsgen", "obsgen-project:checkout",
                               "obsgen-sha256:" + gc.fingerprint(MODEL, "f")]
    assert gc.recorded_fingerprint(stamped) == gc.fingerprint(MODEL, "f")
    assert gc.is_managed(stamped) and not gc.is_managed(MODEL)
    assert gc.stamped(stamped, "f", ME) == stamped  # stamping twice changes nothing
    assert gc.projects(gc.stamped(stamped, "f", "other")) == ["other"]  # re-stamped, not added


def test_project_tags_fit_grafanas_tag_column() -> None:
    longest = "a" * 40  # the longest identity config.PROJECT_ID allows
    tag = gc.project_tag(longest)
    assert len(tag) == gc.MAX_TAG and tag.startswith("obsgen-project:aaaa")
    assert gc.project_tag(longest) == tag  # stable
    assert gc.project_tag("a" * 39 + "b") != tag  # and still tells projects apart
    assert gc.ownership(gc.stamped(MODEL, "f", longest), longest) == gc.MINE


def test_ownership() -> None:
    assert gc.ownership(MODEL, ME) == gc.NOT_OBSGEN
    assert gc.ownership(as_grafana_holds_it(MODEL).model, ME) == gc.MINE
    assert gc.ownership(as_grafana_holds_it(MODEL, project="billing").model, ME) == gc.OTHER
    assert gc.ownership(legacy(MODEL).model, ME) == gc.LEGACY
    both = {"tags": ["obsgen", "obsgen-project:checkout", "obsgen-project:billing"]}
    assert gc.ownership(both, ME) == gc.OTHER
    assert "'billing'" in gc.owner_text(as_grafana_holds_it(MODEL, project="billing").model, ME)


def test_classification() -> None:
    assert _classify(built(MODEL), None, ME) == "create"
    assert _classify(built(MODEL), as_grafana_holds_it(MODEL), ME) == "unchanged"
    newer = {**MODEL, "title": "Service v2"}
    assert _classify(built(newer), as_grafana_holds_it(MODEL), ME) == "update"
    assert _classify(built(MODEL, "g"), as_grafana_holds_it(MODEL), ME) == "update"  # moved

    edited = as_grafana_holds_it(MODEL)
    edited.model["description"] = "changed in the UI"
    assert _classify(built(newer), edited, ME) == "drift"
    assert _classify(built(MODEL), edited, ME) == "drift"

    theirs = Remote({**MODEL, "id": 1, "version": 1}, "f")
    assert _classify(built(MODEL), theirs, ME) == "foreign"
    assert _classify(built(newer), theirs, ME) == "foreign"


def test_another_projects_dashboard_is_foreign_even_when_identical() -> None:
    other = as_grafana_holds_it(MODEL, project="billing")
    assert _classify(built(MODEL), other, ME) == "foreign"
    assert _classify(built({**MODEL, "title": "x"}), other, ME) == "foreign"


def test_legacy_dashboards_are_adopted_only_while_unedited() -> None:
    assert _classify(built(MODEL), legacy(MODEL), ME) == "update"  # re-stamped with project
    assert _classify(built({**MODEL, "title": "v2"}), legacy(MODEL), ME) == "update"
    edited = legacy(MODEL)
    edited.model["description"] = "changed in the UI"
    assert _classify(built(MODEL), edited, ME) == "drift"
