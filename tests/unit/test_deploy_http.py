"""The retry schedule and error wording of the deploy HTTP session."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import httpx
import pytest

from obsgen.deploy.http import Reply, RetryPolicy, _message, _retry_after


@pytest.mark.parametrize("retry", range(8))
def test_backoff_is_jittered_exponential_and_capped(retry: int) -> None:
    policy = RetryPolicy(base_delay=0.5, max_delay=20)
    rng = random.Random(retry)
    waits = [policy.backoff(retry, rng) for _ in range(200)]
    ceiling = min(20, 0.5 * 2 ** retry)
    assert all(0 <= w <= ceiling for w in waits)
    assert max(waits) > 0.8 * ceiling, "the jitter never comes near the exponential ceiling"
    assert len(set(waits)) > 150, "no jitter"


def _response(headers: dict[str, str]) -> httpx.Response:
    return httpx.Response(429, headers=headers)


def test_retry_after_in_seconds_and_as_a_date() -> None:
    assert _retry_after(_response({"Retry-After": "12"})) == 12.0
    later = datetime.now(UTC) + timedelta(seconds=30)
    wait = _retry_after(_response({"Retry-After": format_datetime(later, usegmt=True)}))
    assert wait is not None and 25 <= wait <= 31
    assert _retry_after(_response({})) is None
    assert _retry_after(_response({"Retry-After": "soon"})) is None


def test_grafana_message_and_status_are_quoted() -> None:
    grafana = Reply(412, {"message": "The dashboard has been changed by someone else",
                          "status": "version-mismatch"}, "", 1)
    assert _message(grafana) == ("The dashboard has been changed by someone else "
                                 "(version-mismatch)")
    text = Reply(400, "invalid rules config: bad\nmore\n", "invalid rules config: bad\nmore\n", 1)
    assert _message(text) == "invalid rules config: bad"
    assert _message(Reply(502, "", "", 1)) == "HTTP 502 with an empty body"
