"""`python -m bench` (make bench): every benchmark, side by side, ratios with their targets.

`--quick` runs every measure at small counts (a smoke run, rougher ratios). The printed
report is also written to bench/last-run.txt. The exit status is non-zero only when a
benchmark crashes: a ratio below its target is reported, never an error.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from bench import bitmart, coinw, e2e, harness, infoway, memory, opend
from bench.harness import Result, table

LAST_RUN = Path(__file__).with_name("last-run.txt")


def machine_line(quick: bool) -> str:
    load = ", load " + " ".join(f"{x:.1f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else ""
    return (
        f"venuewire benchmarks{' (--quick)' if quick else ''}, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, "
        f"{platform.machine()}, {os.cpu_count()} cores{load}, Python {platform.python_version()}, "
        f"{platform.platform(terse=True)}"
    )


def sections(quick: bool) -> list[tuple[str, Callable[[], list[Result]]]]:
    count = 2_000 if quick else 20_000
    return [
        ("Futu / moomoo OpenD", lambda: opend.run(quick=quick)),
        ("Infoway", infoway.run),
        ("BitMart", bitmart.run),
        ("CoinW futures", coinw.run),
        ("End to end, pushes per second on one core", lambda: e2e.run(count, rounds=1 if quick else 3)),
        ("Memory", lambda: memory.run(quick=quick)),
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small counts everywhere (a smoke run)")
    args = parser.parse_args(argv)
    harness.quick(args.quick)
    lines = [machine_line(args.quick), ""]
    print(lines[0], "", sep="\n", flush=True)
    results: list[Result] = []
    for title, measure in sections(args.quick):
        found = measure()
        results += found
        text = table(found, title)
        print(text, "", sep="\n", flush=True)
        lines += [text, ""]
    targeted = [r for r in results if r.target is not None]
    met = sum(1 for r in targeted if r.ratio >= r.target)  # type: ignore[operator]
    summary = f"{met} of {len(targeted)} targets met"
    print(summary)
    lines.append(summary)
    LAST_RUN.write_text("\n".join(lines) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
