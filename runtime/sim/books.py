"""Deterministic order books for the embedded simulators. Pure and venue-neutral.

`BookGenerator(symbol, mid, tick, levels)` gives, for every integer `step >= 0`, one book:
the same symbol, parameters and step always give the same book (the seed comes from the
symbol's SHA-256, never from Python's salted `hash`), and the book moves with the step:

- the mid drifts smoothly around the starting mid (piecewise-linear between random
  knots every `KNOT_STEPS` steps, at most `drift` ticks away, plus a 1-tick jitter);
- the spread is 1 to 3 ticks, levels are 1 or 2 ticks apart;
- sizes are whole multiples of `lot` (1 to `max_lots` lots) with 1 to 20 orders a level.

Bids are strictly descending, asks strictly ascending, every bid below every ask, every
price a positive multiple of `tick`. The first n levels of a deeper generator equal the
levels of a generator with `levels=n`, so one generator serves every requested depth.

`BookGenerator.from_book` takes its parameters from an example book (the simulators' data
files, which the schemas validate): see `book_parameters`.
"""

from __future__ import annotations

import hashlib
import math
import random
from collections.abc import Sequence
from decimal import ROUND_HALF_EVEN, Decimal

Level = tuple[Decimal, Decimal, int]
"""One price level: (price, size, order_count)."""

KNOT_STEPS = 25
MAX_SPREAD_TICKS = 3
MAX_GAP_TICKS = 2
MAX_ORDERS = 20


def _rng(seed: int, *parts: int) -> random.Random:
    text = ":".join(str(p) for p in (seed, *parts)).encode("ascii")
    return random.Random(int.from_bytes(hashlib.sha256(text).digest()[:16], "big"))


def quantum(values: Sequence[Decimal]) -> Decimal:
    """The largest step every value is a whole multiple of (their greatest common divisor),
    e.g. 0.2 for 399.8, 400.0, 400.2. Raises ValueError for no values or only zeros."""
    exponent = min(int(v.as_tuple().exponent) for v in values) if values else 0
    step = math.gcd(*(int(v.scaleb(-exponent)) for v in values))
    if step == 0:
        raise ValueError("no non-zero value to take a step from")
    return Decimal(step).scaleb(exponent)


def book_parameters(
    bids: Sequence[tuple[Decimal, Decimal]], asks: Sequence[tuple[Decimal, Decimal]]
) -> tuple[Decimal, Decimal, Decimal, int]:
    """(mid, tick, lot, levels) of an example book given as (price, size) pairs, best first:
    the mid half way between the best bid and the best ask, the tick the largest step every
    price is a multiple of, the lot likewise for the sizes, the levels of the deeper side.
    Raises ValueError when a side is empty."""
    if not bids or not asks:
        raise ValueError("an example book needs both sides")
    levels = [*bids, *asks]
    mid = (bids[0][0] + asks[0][0]) / 2
    return mid, quantum([p for p, _ in levels]), quantum([s for _, s in levels]), max(len(bids), len(asks))


def symbol_seed(symbol: str) -> int:
    """A stable 64-bit seed for `symbol` (the same on every run and machine)."""
    return int.from_bytes(hashlib.sha256(symbol.encode("utf-8")).digest()[:8], "big")


class BookGenerator:
    """Order books for one symbol as a pure function of the step.

    `mid` and `tick` are positive Decimals (`mid` is rounded to a whole number of ticks);
    `levels` (>= 1) is the depth per side; `lot` the size unit; `drift` the largest
    distance in ticks of the mid from its start (default: 1% of the mid, 1 to 50 ticks).
    Raises ValueError when the parameters cannot give positive prices at full depth.
    """

    def __init__(
        self,
        symbol: str,
        mid: Decimal,
        tick: Decimal,
        levels: int = 10,
        *,
        lot: Decimal = Decimal(1),
        max_lots: int = 50,
        drift: int | None = None,
    ) -> None:
        if tick <= 0 or mid <= 0 or lot <= 0:
            raise ValueError(f"{symbol}: mid ({mid}), tick ({tick}) and lot ({lot}) must be positive")
        if levels < 1 or max_lots < 1:
            raise ValueError(f"{symbol}: levels ({levels}) and max_lots ({max_lots}) must be >= 1")
        self.symbol = symbol
        self.mid = mid
        self.tick = tick
        self.levels = levels
        self.lot = lot
        self.max_lots = max_lots
        self.seed = symbol_seed(symbol)
        self._mid_ticks = int((mid / tick).to_integral_value(ROUND_HALF_EVEN))
        self.drift = drift if drift is not None else max(1, min(50, self._mid_ticks // 100))
        if self.drift < 0:
            raise ValueError(f"{symbol}: drift must be >= 0")
        lowest = self._mid_ticks - self.drift - 1 - MAX_SPREAD_TICKS - MAX_GAP_TICKS * (levels - 1)
        if lowest < 1:
            raise ValueError(
                f"{symbol}: mid {mid} is too close to zero for tick {tick}, {levels} levels and drift {self.drift}"
            )
        self._cache: tuple[int, tuple[Level, ...], tuple[Level, ...]] | None = None

    @classmethod
    def from_book(
        cls,
        symbol: str,
        bids: Sequence[tuple[Decimal, Decimal]],
        asks: Sequence[tuple[Decimal, Decimal]],
        levels: int | None = None,
        *,
        tick: Decimal | None = None,
    ) -> BookGenerator:
        """The generator whose mid, tick, lot and depth are those of the example book
        (`book_parameters`); `levels` or `tick` replace the book's own when given."""
        mid, book_tick, lot, depth = book_parameters(bids, asks)
        return cls(symbol, mid, tick if tick is not None else book_tick, levels or depth, lot=lot)

    def __repr__(self) -> str:
        return f"BookGenerator({self.symbol!r}, mid={self.mid}, tick={self.tick}, levels={self.levels})"

    def _knot(self, index: int) -> int:
        return _rng(self.seed, 0, index).randint(-self.drift, self.drift)

    def _mid_ticks_at(self, step: int, rng: random.Random) -> int:
        index, offset = divmod(step, KNOT_STEPS)
        left, right = self._knot(index), self._knot(index + 1)
        drift = left + (right - left) * offset // KNOT_STEPS
        jitter = rng.choice((-1, 0, 0, 1)) if self.drift else 0
        return self._mid_ticks + max(-self.drift, min(self.drift, drift + jitter))

    def mid_at(self, step: int) -> Decimal:
        """The mid price (half way between the best bid and the best ask) at `step`."""
        bids, asks = self.snapshot(step)
        return (bids[0][0] + asks[0][0]) / 2

    def snapshot(self, step: int) -> tuple[list[Level], list[Level]]:
        """(bids, asks) at `step` (>= 0): each a list of `levels` (price, size, order_count),
        best first. Raises ValueError for a negative step."""
        if step < 0:
            raise ValueError(f"step must be >= 0, got {step}")
        cached = self._cache
        if cached is None or cached[0] != step:
            cached = (step, *self._build(step))
            self._cache = cached
        return list(cached[1]), list(cached[2])

    def _build(self, step: int) -> tuple[tuple[Level, ...], tuple[Level, ...]]:
        rng = _rng(self.seed, 1, step)
        mid = self._mid_ticks_at(step, rng)
        spread = rng.randint(1, MAX_SPREAD_TICKS)
        bid = mid - spread // 2 - (spread % 2 and rng.randint(0, 1))
        ask = bid + spread
        bids: list[Level] = []
        asks: list[Level] = []
        # One level of both sides per iteration, so level i does not depend on `levels`.
        for i in range(self.levels):
            if i:
                bid -= rng.randint(1, MAX_GAP_TICKS)
                ask += rng.randint(1, MAX_GAP_TICKS)
            for side, price in ((bids, bid), (asks, ask)):
                lots = rng.randint(1, self.max_lots)
                orders = rng.randint(1, min(lots, MAX_ORDERS))
                side.append((self.tick * price, self.lot * lots, orders))
        return tuple(bids), tuple(asks)
