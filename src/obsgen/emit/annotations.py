"""An alert's labels and annotations as Prometheus will render them, where that can be known
offline.

Prometheus expands the templates of a rule's labels and annotations alike, with `$labels` bound
to the labels of the series the expression returned (not the rule's own labels); a test's
`Firing.labels` are those labels, so both derive from them here.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from obsgen.model.links import runbook_url
from obsgen.model.project import Project
from obsgen.model.rules import AlertRule
from obsgen.model.ruletests import Firing

# {{ $labels.name }} and {{ .Labels.name }}: the only template actions expanded offline.
_LABEL_REF = re.compile(r"\{\{-?\s*(?:\$labels|\.Labels)\.([a-zA-Z_][a-zA-Z0-9_]*)\s*-?\}\}")


class TemplateError(ValueError):
    pass


def alert_annotations(project: Project, alert: AlertRule) -> dict[str, str]:
    """The annotations emitted for `alert`, templates unexpanded, keys sorted."""
    managed = {"summary": alert.summary, "description": alert.description}
    values = {**{k: v for k, v in managed.items() if v}, **alert.annotations}
    group = project.group_of(alert)
    assert group is not None, f"{alert.name} is in no group"
    url = alert.runbook_url or runbook_url(project.config.runbook_base_url, group, alert)
    if url:
        values["runbook_url"] = url
    return dict(sorted(values.items()))


def expand(template: str, labels: Mapping[str, str]) -> str:
    """Expand label references as Prometheus does (a missing label is empty); refuse the rest."""
    rest = _LABEL_REF.sub("", template)
    if "{{" in rest:
        action = rest[rest.index("{{"):].split("}}")[0] + "}}"
        raise TemplateError(f"cannot expand {action} offline")
    return _LABEL_REF.sub(lambda m: labels.get(m.group(1), ""), template)


def expected_labels(alert: AlertRule, firing: Firing) -> dict[str, str]:
    """What promtool must see as one firing alert's labels: each label as given in the test,
    or else the rule's own (managed ones included), its template expanded from the firing's
    labels. As with annotations, a template obsgen cannot expand must be given in the test."""
    given = dict(firing.labels)
    expected = dict(given)
    for key, template in alert.all_labels().items():
        if key in given:
            continue
        try:
            expected[key] = expand(template, given)
        except TemplateError as exc:
            raise TemplateError(f"alert {alert.name}, label {key!r}: {exc}") from None
    return dict(sorted(expected.items()))


def expected_annotations(project: Project, alert: AlertRule, firing: Firing) -> dict[str, str]:
    """What promtool must see for one firing alert: each annotation as given in the test, or
    else derived from the alert's template (runbook_url always derives)."""
    given = dict(firing.annotations or {})
    expected = {}
    for key, template in alert_annotations(project, alert).items():
        if key in given:
            expected[key] = given.pop(key)
            continue
        try:
            expected[key] = expand(template, firing.labels)
        except TemplateError as exc:
            raise TemplateError(f"alert {alert.name}, annotation {key!r}: {exc}") from None
    if given:
        raise TemplateError(f"alert {alert.name} has no annotation(s) {', '.join(sorted(given))}")
    return dict(sorted(expected.items()))
