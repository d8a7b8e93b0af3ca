"""The end-to-end and memory benchmarks run at tiny counts: every consumer (ours, the
official client's, the floor's) reads every flooded push and ends on the frame's best bid
and ask; the memory measures give numbers. No timing is asserted."""

from __future__ import annotations

import math
from decimal import Decimal

import pytest

from bench import e2e, harness, memory
from bench.harness import Result, table

pytestmark = [pytest.mark.interop, pytest.mark.timeout(180)]


@pytest.mark.parametrize("venue", e2e.VENUES)
def test_every_consumer_reads_every_push_and_the_right_best_prices(venue: str) -> None:
    count = 40
    runs = e2e.measure(venue, count, rounds=2)  # two rounds: every new connection is flooded
    assert set(runs) == {"ours", "peer", "floor"}
    expected = e2e.expected_best(venue)
    for name, run in runs.items():
        assert run.pushes == count, name
        assert run.best == expected, name
        assert run.rate > 0, name


def test_expected_best_prices_are_the_frames_exact_texts() -> None:
    assert e2e.expected_best("opend") == ("599.5", "600.5")  # bench.opend's book
    for venue in e2e.VENUES:
        bid, ask = e2e.expected_best(venue)
        assert Decimal(bid) < Decimal(ask), venue
        assert str(Decimal(bid)) == bid and str(Decimal(ask)) == ask, venue


def test_e2e_rows_carry_their_targets() -> None:
    harness.quick(True)
    try:
        results = e2e.run(count=30, rounds=1)
    finally:
        harness.quick(False)
    assert len(results) == 2 * len(e2e.VENUES)
    targeted = [r for r in results if r.target is not None]
    assert [r.target for r in targeted] == [3, 3, 3]
    assert all(math.isfinite(r.ratio) and r.ratio > 0 for r in results)
    text = table(results, "End to end")
    assert text.count("\n| (e2e)") == len(results) and ">= 3x" in text


def test_memory_measures_run_at_small_counts() -> None:
    stream = memory.bench_stream(3000)
    assert len(stream) == 1 and stream[0].unit == " MB" and math.isfinite(stream[0].ratio)
    sizes = memory.bench_book_size()
    assert len(sizes) == 2 and all(r.ratio > 0 for r in sizes)
    through = memory.bench_depth_stream(400)
    assert through[0].unit == " MB" and math.isfinite(through[0].ratio)


def test_a_miss_is_reported_not_raised() -> None:
    miss = Result("x", "ours", "peer", 0.5, 3)
    hit = Result("y", "ours", "peer", 4.0, 3)
    assert (miss.verdict, hit.verdict) == ("BELOW TARGET", "meets target")
    assert "BELOW TARGET" in table([miss, hit], "t")
