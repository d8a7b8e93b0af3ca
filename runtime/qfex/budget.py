"""QFEX's weighted message budget on the client side (registry `[ws.rate_limit]`). Pure apart
from the clock and the sleep.

QFEX counts each message type's weight per user across every connection, after auth only,
within `limit` units per `window_s`, with cancel-related types in a bucket of their own. The
venue measures an exponential moving average; a sliding sum over the window (kept here) never
exceeds that average's budget, so a client that keeps within it is never refused [guess: the
exact average is not documented]. `budget_for(public_key)` is the one budget every client of
that key in this process shares (one user: one budget). A call that would exceed it waits for
enough weight to leave the window, or raises `RateLimited` (with `retry_after`) at once when
that wait would end after its deadline.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections import deque
from typing import Final

from venuewire.errors import RateLimited
from venuewire.generated.registry import WS_QFEX_TRADE, WeightedLimit, required
from venuewire.qfex.errors import VENUE

__all__ = ["WeightedBudget", "budget_for"]

LIMIT: Final[WeightedLimit] = required(WS_QFEX_TRADE.rate_limit, "qfex trade rate_limit")


class WeightedBudget:
    """At most `limit` weight units per `window_s` s per bucket (see the module doc)."""

    def __init__(self, limit: float = LIMIT.limit, spec: WeightedLimit = LIMIT) -> None:
        if not limit > 0:
            raise ValueError("a weight limit must be positive")
        self.limit, self.window_s = float(limit), float(spec.window_s)
        self.weights = dict(spec.weights)
        self.bucket_of = {kind: name for name, kinds in spec.buckets.items() for kind in kinds}
        self._spent: dict[str, deque[tuple[float, float]]] = {}
        self._guard = threading.Lock()
        self.waits = 0
        self.refusals = 0

    def weight(self, kind: str) -> float:
        """The registry's weight of message type `kind` (1.0 for a type it does not list [guess])."""
        return self.weights.get(kind, 1.0)

    def _take(self, kind: str, now: float) -> float:
        """Spend `kind`'s weight at `now` and return 0, or return the seconds until it fits."""
        weight = self.weight(kind)
        if weight > self.limit:
            raise RateLimited(VENUE, f"{kind} weighs {weight:g}, more than the whole budget of {self.limit:g}")
        with self._guard:
            spent = self._spent.setdefault(self.bucket_of.get(kind, ""), deque())
            while spent and now - spent[0][0] >= self.window_s:
                spent.popleft()
            total = sum(w for _, w in spent)
            if total + weight <= self.limit:
                spent.append((now, weight))
                return 0.0
            for at, w in spent:  # the time at which enough weight has left the window
                total -= w
                if total + weight <= self.limit:
                    return at + self.window_s - now
        return self.window_s  # pragma: no cover - the loop always finds a time

    async def acquire(self, kind: str, within: float) -> None:
        """Spend `kind`'s weight, waiting up to `within` s for it to fit; RateLimited (with
        `retry_after`, the seconds until it would fit) when it cannot within that time."""
        deadline = time.monotonic() + within
        while True:
            now = time.monotonic()
            wait = self._take(kind, now)
            if wait <= 0:
                return
            if now + wait > deadline:
                self.refusals += 1
                raise RateLimited(
                    VENUE,
                    f"{kind} would exceed the weighted budget ({self.limit:g} per {self.window_s:g} s) "
                    f"for {wait:.3g} s more than its timeout allows",
                    retry_after=wait,
                )
            self.waits += 1
            await asyncio.sleep(wait)


_SHARED: dict[tuple[str, float], WeightedBudget] = {}
_SHARED_GUARD: Final = threading.Lock()


def budget_for(public_key: str, limit: float = LIMIT.limit) -> WeightedBudget:
    """The budget every client of `public_key` (with this `limit`) in this process shares."""
    with _SHARED_GUARD:
        key = (public_key, float(limit))
        if key not in _SHARED:
            _SHARED[key] = WeightedBudget(limit)
        return _SHARED[key]
