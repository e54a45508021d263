"""Rule model: construction-time refusals and the labels it attaches."""

import pytest

from obsgen import AlertRule, DefinitionError, ExpectAlert, RecordingRule, RuleGroup, RuleTest


def alert(name: str = "Down", **kwargs: object) -> AlertRule:
    fields: dict[str, object] = {"expr": "up == 0", "severity": "critical", "summary": "s",
                                 "description": "d"}
    fields.update(kwargs)
    return AlertRule(name, **fields)  # type: ignore[arg-type]


@pytest.mark.parametrize(("kwargs", "code"), [
    ({"summary": ""}, "OBS203"),
    ({"description": "  "}, "OBS203"),
    ({"for_": "5 minutes"}, "OBS201"),
    ({"keep_firing_for": "1x"}, "OBS201"),
    ({"expr": ""}, "OBS211"),
    ({"labels": {"bad-name": "x"}}, "OBS207"),
    ({"labels": {"severity": "x"}}, "OBS207"),
    ({"annotations": {"runbook_url": "http://x"}}, "OBS207"),
    ({"labels": {"team": 3}}, "OBS004"),
])
def test_alert_refusals(kwargs: dict[str, object], code: str) -> None:
    with pytest.raises(DefinitionError) as excinfo:
        alert(**kwargs)
    assert excinfo.value.code == code
    assert excinfo.value.hint


def test_alert_name_must_be_a_metric_name() -> None:
    with pytest.raises(DefinitionError) as excinfo:
        alert("Service Down")
    assert excinfo.value.code == "OBS206"


def test_all_labels_merges_managed_labels_sorted() -> None:
    rule = alert(category="cost", labels={"team": "platform"})
    assert list(rule.all_labels().items()) == [
        ("category", "cost"), ("severity", "critical"), ("team", "platform")]


def test_duplicate_rule_in_group_points_at_second() -> None:
    first, second = alert(), alert()
    with pytest.raises(DefinitionError) as excinfo:
        RuleGroup("g", rules=[first, second])
    assert excinfo.value.code == "OBS204"
    assert excinfo.value.location is second.source


def test_alert_and_recording_rule_may_share_a_name() -> None:
    group = RuleGroup("g", rules=[alert("x"), RecordingRule("x", expr="up")])
    assert len(group.rules) == 2


def test_group_file_defaults_to_a_slug_of_its_name() -> None:
    assert RuleGroup("My Alerts!", rules=[]).file == "my-alerts"
    with pytest.raises(DefinitionError):
        RuleGroup("g", rules=[], file="../escape")


def test_rule_test_needs_expectations_and_alert_objects() -> None:
    with pytest.raises(DefinitionError) as excinfo:
        RuleTest("t", series=[], expect=[])
    assert excinfo.value.code == "OBS212"
    with pytest.raises(DefinitionError) as excinfo:
        ExpectAlert("Down", at="5m")  # type: ignore[arg-type]
    assert excinfo.value.code == "OBS209"
