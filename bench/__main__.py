"""`python -m bench` (make bench): every benchmark, side by side, ratios with their targets."""

from __future__ import annotations

import platform
import sys
from datetime import UTC, datetime

from bench import bitmart, coinw, infoway, memory, opend
from bench.harness import table


def main() -> int:
    print(
        f"venuewire benchmarks, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {platform.machine()}, "
        f"Python {platform.python_version()}, {platform.platform(terse=True)}"
    )
    print()
    results = opend.run()
    print(table(results, "Futu / moomoo OpenD"))
    print()
    infoway_results = infoway.run()
    print(table(infoway_results, "Infoway"))
    results += infoway_results
    print()
    bitmart_results = bitmart.run()
    print(table(bitmart_results, "BitMart"))
    results += bitmart_results
    print()
    coinw_results = coinw.run()
    print(table(coinw_results, "CoinW futures"))
    results += coinw_results
    print()
    memory_results = memory.run()
    print(table(memory_results, "Memory"))
    results += memory_results
    print()
    print("Left (not measured yet): end-to-end pushes per second on one core, depth_stream vs the official")
    print("clients against a local server (BitMart SpotSocketClient, infoway-sdk WebSocket, futu-api")
    print("OrderBookHandlerBase).")
    below = [r for r in results if r.target is not None and r.ratio < r.target]
    print()
    targeted = [r for r in results if r.target is not None]
    print(f"{len(targeted) - len(below)} of {len(targeted)} targets met")
    return 0


if __name__ == "__main__":
    sys.exit(main())
