"""Interleaved side-by-side timing: ratios, never absolute targets in seconds."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

SETTINGS = {"quick": False}
"""`python -m bench --quick` sets "quick": small counts everywhere (a smoke run; rougher ratios)."""


def quick(on: bool = True) -> None:
    """Switch every benchmark to small counts (`--quick`)."""
    SETTINGS["quick"] = on


@dataclass(frozen=True)
class Result:
    name: str
    ours: str
    peer: str
    ratio: float  # how many times faster (or the measured fraction) ours is; higher is better
    target: float | None  # None: shown for information, no target
    unit: str = "x"

    @property
    def verdict(self) -> str:
        if self.target is None:
            return "information"
        return "meets target" if self.ratio >= self.target else "BELOW TARGET"


def per_call(fn: Callable[[], object], number: int) -> float:
    start = time.perf_counter()
    for _ in range(number):
        fn()
    return (time.perf_counter() - start) / number


def calibrate(fn: Callable[[], object], budget_s: float = 0.05) -> int:
    if SETTINGS["quick"]:
        budget_s = min(budget_s, 0.005)
    number = 1
    while True:
        if per_call(fn, number) * number >= budget_s or number >= 1 << 20:
            return number
        number *= 2


def compare(ours: Callable[[], object], peer: Callable[[], object], rounds: int = 9) -> float:
    """Best per-call time of peer / best of ours, measured in alternating rounds (the
    minimum is the least disturbed by other work on the machine, as timeit advises)."""
    if SETTINGS["quick"]:
        rounds = min(rounds, 3)
    n_ours, n_peer = calibrate(ours), calibrate(peer)
    t_ours, t_peer = [], []
    for _ in range(rounds):
        t_ours.append(per_call(ours, n_ours))
        t_peer.append(per_call(peer, n_peer))
    return min(t_peer) / min(t_ours)


def table(results: list[Result], title: str) -> str:
    lines = [
        f"### {title}",
        "",
        "| benchmark | venuewire | peer | ratio | target | |",
        "|---|---|---|---|---|---|",
    ]
    for r in results:
        target = "-" if r.target is None else f">= {r.target:g}{r.unit}"
        lines.append(f"| {r.name} | {r.ours} | {r.peer} | {r.ratio:.2f}{r.unit} | {target} | {r.verdict} |")
    return "\n".join(lines)
