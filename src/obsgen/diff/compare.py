"""Compare two builds item by item: what was added, removed, and which fields changed."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from obsgen.diff import alloy, dashboards, files, python, rules, runbooks
from obsgen.diff.model import ADDED, CHANGED, REMOVED, Change, Diff, FieldChange, Item, Side

Reader = Callable[[str, str], list[Item]]

# Which module reads which artifact; the first whose test accepts the path wins, and what no
# module claims is compared as a file.
READERS: tuple[tuple[Callable[[str], bool], Reader], ...] = (
    (rules.is_rule_file, rules.items),
    (rules.is_test_file, rules.test_items),
    (dashboards.is_dashboard, dashboards.items),
    (runbooks.is_page, runbooks.items),
    (alloy.is_config, alloy.items),
    (python.is_module, python.items),
    (files.is_compared, files.items),
)
# The order areas are reported in.
AREAS = ("slos", "rules", "rule tests", "dashboards", "runbooks", "alloy", "instrumentation",
         "files")


def read_items(artifacts: dict[str, str]) -> dict[str, Item]:
    """Every item of every artifact by key; a later item with a key already taken (an alert
    name used twice in a group) is numbered so that both are compared."""
    found: dict[str, Item] = {}
    for path in sorted(artifacts):
        for item in _read(path, artifacts[path]):
            key, n = item.key, 1
            while key in found:
                n += 1
                key = f"{item.key}#{n}"
            found[key] = item
    return found


def _read(path: str, text: str) -> list[Item]:
    for accepts, reader in READERS:
        if accepts(path):
            try:
                return reader(path, text)
            except ValueError:
                # An artifact that no longer parses is still compared, as text.
                return files.as_text(path, text)
    return []


def field_changes(before: dict[str, str], after: dict[str, str],
                  queries: Iterable[str] = ()) -> tuple[FieldChange, ...]:
    wanted = set(queries)
    names = [*before, *(k for k in after if k not in before)]
    return tuple(FieldChange(n, before.get(n), after.get(n), n in wanted)
                 for n in names if before.get(n) != after.get(n))


def compare(old: Side, new: Side, notes: tuple[str, ...] = ()) -> Diff:
    before, after = read_items(old.artifacts), read_items(new.artifacts)
    changes: list[Change] = []
    for key, item in after.items():
        was = before.get(key)
        if was is None:
            changes.append(_alone(item, ADDED))
            continue
        fields = field_changes(was.fields, item.fields, item.queries | was.queries)
        if fields:
            changes.append(Change(item.area, item.kind, item.name, CHANGED, item.path, fields))
    changes += [_alone(item, REMOVED) for key, item in before.items() if key not in after]
    order = {area: i for i, area in enumerate(AREAS)}
    changes.sort(key=lambda c: order.get(c.area, len(AREAS)))
    return Diff(old.label, new.label, tuple(changes), notes)


def _alone(item: Item, status: str) -> Change:
    shown = item.shown_when_alone()
    empty: dict[str, str] = {}
    fields = (field_changes(empty, shown, item.queries) if status == ADDED
              else field_changes(shown, empty, item.queries))
    return Change(item.area, item.kind, item.name, status, item.path, fields)
