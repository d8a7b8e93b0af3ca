"""BookGenerator: a pure function of (symbol, parameters, step), well-formed at every step."""

from __future__ import annotations

import itertools
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from venuewire.sim.books import BookGenerator, Level, book_parameters, quantum

TICKS = [Decimal("0.01"), Decimal("0.05"), Decimal("0.2"), Decimal("0.5"), Decimal(1)]


def tencent(levels: int = 10) -> BookGenerator:
    return BookGenerator("HK.00700", Decimal(400), Decimal("0.2"), levels, lot=Decimal(100))


def assert_well_formed(gen: BookGenerator, bids: list[Level], asks: list[Level]) -> None:
    assert len(bids) == len(asks) == gen.levels
    bid_prices = [p for p, _, _ in bids]
    ask_prices = [p for p, _, _ in asks]
    assert all(a > b for a, b in itertools.pairwise(bid_prices)), "bids must strictly descend"
    assert all(a < b for a, b in itertools.pairwise(ask_prices)), "asks must strictly ascend"
    assert bid_prices[0] < ask_prices[0]
    for price, size, orders in bids + asks:
        assert price > 0 and price % gen.tick == 0
        assert size > 0 and size % gen.lot == 0
        assert 1 <= orders <= size / gen.lot


def test_same_inputs_give_the_same_book():
    assert tencent().snapshot(17) == tencent().snapshot(17)
    gen = tencent()
    first = gen.snapshot(5)
    gen.snapshot(6)
    assert gen.snapshot(5) == first


def test_the_seed_comes_from_the_symbol_and_is_stable_across_runs():
    # sha256-based: pinned values, independent of PYTHONHASHSEED and of the machine
    bids, asks = tencent().snapshot(0)
    assert bids[0] == (Decimal("398.8"), Decimal(1800), 10)
    assert asks[0] == (Decimal("399.4"), Decimal(2000), 9)
    other = BookGenerator("HK.00005", Decimal(400), Decimal("0.2"), 10, lot=Decimal(100))
    assert other.snapshot(0) != tencent().snapshot(0)


def test_the_book_moves_with_the_step():
    gen = tencent()
    books = [gen.snapshot(step) for step in range(300)]
    mids = {gen.mid_at(step) for step in range(300)}
    assert len(mids) > 5, "the mid must drift"
    changed = sum(books[i] != books[i + 1] for i in range(len(books) - 1))
    assert changed == len(books) - 1, "sizes or prices change at every step"


def test_the_mid_stays_near_its_start():
    gen = tencent()
    for step in range(0, 5000, 7):
        assert abs(gen.mid_at(step) - gen.mid) <= (gen.drift + 2) * gen.tick


def test_a_shallow_book_is_the_top_of_a_deep_one():
    deep = tencent(40).snapshot(42)
    shallow = tencent(5).snapshot(42)
    assert shallow == (deep[0][:5], deep[1][:5])


def test_snapshot_returns_fresh_lists():
    gen = tencent()
    bids, _ = gen.snapshot(3)
    bids.clear()
    assert len(gen.snapshot(3)[0]) == 10


@given(
    symbol=st.text(min_size=1, max_size=12),
    mid_ticks=st.integers(min_value=200, max_value=10**7),
    shape=st.tuples(
        st.sampled_from(TICKS),
        st.integers(min_value=1, max_value=40),
        st.sampled_from([Decimal(1), Decimal(100), Decimal("0.001")]),
    ),
    step=st.integers(min_value=0, max_value=10**9),
)
def test_every_book_is_well_formed(symbol, mid_ticks, shape, step):
    tick, levels, lot = shape
    gen = BookGenerator(symbol, tick * mid_ticks, tick, levels, lot=lot)
    assert_well_formed(gen, *gen.snapshot(step))


@pytest.mark.parametrize(
    ("mid", "tick", "levels", "lot"),
    [
        (Decimal(0), Decimal("0.01"), 10, Decimal(1)),
        (Decimal(10), Decimal(0), 10, Decimal(1)),
        (Decimal(10), Decimal("0.01"), 0, Decimal(1)),
        (Decimal(10), Decimal("0.01"), 10, Decimal(0)),
        (Decimal("0.5"), Decimal("0.01"), 40, Decimal(1)),  # 50 ticks cannot hold 40 levels a side
    ],
)
def test_impossible_parameters_are_refused(mid, tick, levels, lot):
    with pytest.raises(ValueError, match="X"):
        BookGenerator("X", mid, tick, levels, lot=lot)


def test_a_negative_step_is_refused():
    with pytest.raises(ValueError, match="step"):
        tencent().snapshot(-1)


def test_quantum_is_the_largest_step_every_value_is_a_multiple_of():
    assert quantum([Decimal("399.8"), Decimal("400.0"), Decimal("400.2")]) == Decimal("0.2")
    assert quantum([Decimal("60000.00"), Decimal("59999.99")]) == Decimal("0.01")
    assert quantum([Decimal("1000.00"), Decimal("3000")]) == Decimal(1000)
    with pytest.raises(ValueError, match="non-zero"):
        quantum([Decimal(0)])
    with pytest.raises(ValueError, match="non-zero"):
        quantum([])


def test_book_parameters_come_from_an_example_book():
    bids = [(Decimal("399.8"), Decimal(300)), (Decimal("399.4"), Decimal(500))]
    asks = [(Decimal("400.2"), Decimal(100)), (Decimal("400.4"), Decimal(200)), (Decimal("401.0"), Decimal(700))]
    assert book_parameters(bids, asks) == (Decimal(400), Decimal("0.2"), Decimal(100), 3)
    with pytest.raises(ValueError, match="both sides"):
        book_parameters([], asks)


def test_a_generator_from_an_example_book_keeps_its_grid():
    gen = tencent(5)
    bids, asks = gen.snapshot(0)
    bid_pairs, ask_pairs = [(p, s) for p, s, _ in bids], [(p, s) for p, s, _ in asks]
    derived = BookGenerator.from_book("HK.00700", bid_pairs, ask_pairs)
    assert (derived.tick, derived.lot, derived.levels) == (Decimal("0.2"), Decimal(100), 5)
    for step in (0, 1, 99):
        assert_well_formed(derived, *derived.snapshot(step))
    deeper = BookGenerator.from_book("HK.00700", bid_pairs[:1], ask_pairs[:1], 20, tick=Decimal("0.2"))
    assert (deeper.levels, deeper.tick) == (20, Decimal("0.2"))
