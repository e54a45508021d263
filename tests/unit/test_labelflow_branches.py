"""Which labels every side of an `or` carries, and which only some sides do (labelflow's
branches): the formula the analysis records per expression, evaluated with and without what a
catalog knows about each selector's labels."""

from __future__ import annotations

import pytest

from obsgen.check.promql.analysis import Carried, Selector, analyse

SHOP = 'absent(up{job="shop"})'


def carried(text: str, known: dict[str, frozenset[str]] | None = None) -> Carried:
    analysis = analyse(text)
    assert analysis.ok and analysis.output is not None, analysis.error

    def labels_of(selector: Selector) -> frozenset[str] | None:
        return (known or {}).get(selector.name or "")

    return analysis.carried(analysis.output, labels_of)


def one_sided(text: str, known: dict[str, frozenset[str]] | None = None) -> set[str]:
    result = carried(text, known)
    return {label for label in ("job", "instance", "region", "le") if result.one_sided(label)}


def test_a_label_both_sides_carry_is_not_one_sided() -> None:
    assert one_sided('up{job="shop"} == 0 or up{job="mail"} == 0') == set()
    assert not carried(f'up == 0 or {SHOP}').one_sided("job")


def test_a_label_only_the_selector_side_carries_is_one_sided() -> None:
    result = carried(f'up{{job="shop"}} == 0 or {SHOP}')
    assert result.one_sided("instance")
    assert not result.lacks("instance")  # one side carries it: not OBS927's "never"


def test_absent_carries_only_the_labels_of_its_equality_matchers() -> None:
    result = carried('absent(up{job="shop", instance=~"a.*"})')
    assert result.upper == frozenset({"job"})
    assert result.lacks("instance")
    assert one_sided('up or absent(up{job="shop", instance="a:1"})') == {"region", "le"}


def test_vector_and_scalars_carry_nothing() -> None:
    assert one_sided("up or vector(1)") == {"job", "instance", "region", "le"}
    assert carried("vector(1)").lacks("job")


def test_nested_or_keeps_every_side() -> None:
    """Parenthesised on either side: the result's series come from any of the three."""
    assert one_sided(f'(up or {SHOP}) or up{{job="mail"}}') == {"instance", "region", "le"}
    assert one_sided(f'up or (up{{job="mail"}} or {SHOP})') == {"instance", "region", "le"}
    assert one_sided(f'up or ({SHOP} or absent(up{{job="mail"}}))') == {
        "instance", "region", "le"}


def test_or_of_sides_that_all_carry_the_label_is_not_one_sided() -> None:
    assert one_sided(f'{SHOP} or absent(up{{job="mail"}})') == set()


def test_aggregation_by_keeps_a_one_sided_grouping_label_one_sided() -> None:
    assert one_sided(f"sum by (instance) (up == 0 or {SHOP})") == {"instance"}
    assert one_sided(f"sum by (job) (up == 0 or {SHOP})") == set()
    # Outside the grouping a label is never carried, on any side: OBS927's case, not this.
    result = carried(f"sum by (job) (up == 0 or {SHOP})")
    assert result.lacks("instance") and not result.one_sided("instance")


def test_aggregation_without_and_label_replace_apply_to_every_side() -> None:
    assert one_sided(f"max without (instance) (up or {SHOP})") == {"region", "le"}
    assert one_sided(f'label_replace(up or {SHOP}, "instance", "x", "", "")') == {
        "region", "le"}


def test_unless_carries_its_left_side_only() -> None:
    """`a unless b` returns a's series: b's labels are never on it (OBS927's case), and a's
    are on every series it returns."""
    left_absent = carried(f"{SHOP} unless up")
    assert left_absent.lacks("instance") and not left_absent.one_sided("instance")
    assert one_sided(f"up unless {SHOP}") == set()
    assert one_sided(f'(up or {SHOP}) unless up{{job="mail"}}') == {"instance", "region", "le"}


def test_and_and_comparisons_keep_the_sides_of_their_left_operand() -> None:
    assert one_sided(f"(up or {SHOP}) and on (job) up > 0") == {"instance", "region", "le"}


def test_with_a_catalog_a_side_lacks_what_its_metric_never_has() -> None:
    known = {"shop_orders_total": frozenset({"region", "status"}),
             "shop_queue_depth": frozenset({"region"})}
    text = "rate(shop_orders_total[5m]) or shop_queue_depth"
    assert one_sided(text, known) == set()  # region on both
    assert carried(text, known).one_sided("status")
    assert one_sided("sum by (region) (rate(shop_orders_total[5m])) or vector(0)",
                     known) == {"region"}


@pytest.mark.parametrize("text", ["up", "sum by (job) (up)", "up * on (job) group_left ()"
                                  " max by (job) (up)", "histogram_quantile(0.9, x)"])
def test_without_or_nothing_is_one_sided(text: str) -> None:
    assert one_sided(text) == set()


def test_a_long_or_chain_is_evaluated() -> None:
    text = " or ".join(f'up{{job="j{i}"}}' for i in range(3000)) + f" or {SHOP}"
    assert carried(text).one_sided("instance")
