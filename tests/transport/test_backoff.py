"""`transport.Backoff`, the one reconnect policy, as the pure object it is: no sleeping, the
clock is passed in."""

from __future__ import annotations

import math
import random

import pytest

from venuewire.transport import Backoff


def delays(backoff: Backoff, count: int) -> list[float]:
    return [backoff.delay() for _ in range(count)]


def test_the_delay_doubles_per_failed_attempt_up_to_the_cap():
    backoff = Backoff(0.1, 1.0, 10.0, jitter=False)
    assert delays(backoff, 6) == [0.1, 0.2, 0.4, 0.8, 1.0, 1.0]
    assert backoff.failures == 6


def test_jitter_keeps_each_delay_between_half_and_all_of_its_base():
    random.seed(9)
    backoff = Backoff(0.1, 0.8, 10.0)
    bases = [0.1, 0.2, 0.4, 0.8, 0.8]
    for base, delay in zip(bases, delays(backoff, 5), strict=True):
        assert 0.5 * base <= delay <= base


def test_a_session_shorter_than_healthy_after_does_not_reset_the_delay():
    backoff = Backoff(0.1, 10.0, 5.0, jitter=False)
    now = 100.0
    waits = []
    for _ in range(5):  # accept, drop after 1 s, reconnect: the storm case
        backoff.connected(now)
        backoff.lost(now + 1.0)
        waits.append(backoff.delay())
        now += 1.0 + waits[-1]
    assert waits == [0.1, 0.2, 0.4, 0.8, 1.6]
    assert backoff.failures == 5


def test_a_session_that_lasted_healthy_after_resets_the_delay():
    backoff = Backoff(0.1, 10.0, 5.0, jitter=False)
    delays(backoff, 4)  # grown to 1.6
    backoff.connected(50.0)
    backoff.lost(55.0)  # exactly healthy_after: healthy
    assert backoff.failures == 0
    assert delays(backoff, 2) == [0.1, 0.2]


def test_a_failed_attempt_without_a_connection_never_resets():
    backoff = Backoff(0.1, 10.0, 0.0, jitter=False)  # even with healthy_after 0
    backoff.delay()
    backoff.lost(1_000.0)  # no connected(): the handshake itself failed
    assert backoff.delay() == 0.2


def test_healthy_after_zero_resets_after_any_connection_and_infinity_never():
    eager = Backoff(0.1, 10.0, 0.0, jitter=False)
    never = Backoff(0.1, 10.0, math.inf, jitter=False)
    for backoff in (eager, never):
        delays(backoff, 3)
        backoff.connected(0.0)
        backoff.lost(1e9)
    assert eager.delay() == 0.1 and never.delay() == 0.8


def test_connected_twice_counts_from_the_latest_connection():
    backoff = Backoff(0.1, 10.0, 5.0, jitter=False)
    delays(backoff, 2)
    backoff.connected(0.0)
    backoff.connected(10.0)
    backoff.lost(12.0)  # 2 s since the latest: not healthy
    assert backoff.delay() == 0.4


@pytest.mark.parametrize(
    ("initial", "cap", "healthy_after"),
    [
        (0, 1, 1),
        (-1, 1, 1),
        (2, 1, 1),
        (math.nan, 1, 1),
        (0.1, math.nan, 1),
        (0.1, math.inf, 1),
        (0.1, 1, -1),
        (0.1, 1, math.nan),
    ],
)
def test_invalid_bounds_are_refused(initial, cap, healthy_after):
    with pytest.raises(ValueError, match="backoff needs"):
        Backoff(initial, cap, healthy_after)
