"""Whether a dashboard's queries are MetricsQL: VictoriaMetrics is often added to Grafana as a
Prometheus-type datasource, and its dashboards then call functions PromQL does not have
(`range_last`, `buckets_limit`, `topk_max`...) and use forms PromQL rejects (`rate(x)` with no
window). One call of a MetricsQL-only function is the evidence; PromQL parse failures of such
a dashboard are then warnings, since a VictoriaMetrics datasource runs them."""

from __future__ import annotations

import re
from collections.abc import Iterable

from obsgen.check.promql.analysis import analyse

# Functions of MetricsQL that PromQL lacks (VictoriaMetrics' MetricsQL reference); a name
# that PromQL also has (histogram_quantile, ...) is no evidence and is not listed.
METRICSQL_ONLY = frozenset({
    "aggr_over_time", "alias", "bitmap_and", "bitmap_or", "bitmap_xor", "bottomk_avg",
    "bottomk_last", "bottomk_max", "bottomk_median", "bottomk_min", "buckets_limit",
    "count_eq_over_time", "count_gt_over_time", "count_le_over_time", "count_ne_over_time",
    "count_values_over_time", "decreases_over_time", "default_rollup", "distinct_over_time",
    "duration_over_time", "geomean_over_time", "histogram_over_time", "histogram_share",
    "hoeffding_bound_lower", "hoeffding_bound_upper", "ideriv", "increase_prometheus",
    "increase_pure", "increases_over_time", "integrate", "interpolate", "keep_last_value",
    "keep_next_value", "label_copy", "label_del", "label_keep", "label_lowercase",
    "label_map", "label_match", "label_mismatch", "label_move", "label_set", "label_transform",
    "label_uppercase", "label_value", "lag", "lifetime", "limit_offset", "median_over_time",
    "mode_over_time", "outliers_iqr", "outliers_mad", "outliersk", "prometheus_buckets",
    "rand", "rand_exponential", "rand_normal", "range_avg", "range_first", "range_last",
    "range_linear_regression", "range_mad", "range_max", "range_median", "range_min",
    "range_normalize", "range_quantile", "range_stddev", "range_stdvar", "range_sum",
    "range_trim_outliers", "range_trim_spikes", "range_trim_zscore", "range_zscore",
    "rate_over_sum", "remove_resets", "rollup", "rollup_candlestick", "rollup_delta",
    "rollup_deriv", "rollup_increase", "rollup_rate", "rollup_scrape_interval", "ru",
    "running_avg", "running_max", "running_min", "running_sum", "scrape_interval",
    "share_eq_over_time", "share_gt_over_time", "share_le_over_time", "smooth_exponential",
    "sum2_over_time", "tfirst_over_time", "tlast_change_over_time", "tlast_over_time",
    "tmax_over_time", "tmin_over_time", "topk_avg", "topk_last", "topk_max", "topk_median",
    "topk_min", "ttf", "union", "zscore", "zscore_over_time",
})
_UNKNOWN_FUNCTION = re.compile(r"unknown function with name '(\w+)'")


def speaks_metricsql(texts: Iterable[str]) -> bool:
    """Whether any of these queries calls a function only MetricsQL has."""
    for text in texts:
        error = analyse(text).error
        found = _UNKNOWN_FUNCTION.search(error.message) if error is not None else None
        if found is not None and found.group(1) in METRICSQL_ONLY:
            return True
    return False
