"""BitMart benchmarks (issue target in brackets):
(a) a 20-level legacy depth push (the seed's sample, compact JSON as the venue sends it)
    -> the generated `LegacyDepthPush`, every price, amount, total and count a Decimal as the
    schema says, vs stdlib `json.loads` on the same bytes [>= 1.5x].
Information rows: the same typed decode vs `json.loads` plus `Decimal()` of the same values
(what a stdlib user must do to get the same numbers); the full path to the normalized
`OrderBook`; and a v3 depth20 frame (raw DEFLATE) inflated and decoded, vs zlib + json.loads.
"""

from __future__ import annotations

import json
import zlib
from decimal import Decimal
from typing import Any

from bench.harness import Result, compare
from venuewire.bitmart.book import order_book_from_legacy, order_books_from_spot
from venuewire.bitmart.protocol import inflate
from venuewire.generated.bitmart.legacy_depth import LegacyDepthPush
from venuewire.generated.bitmart.spot_depth import SpotDepthPush
from venuewire.messages import decode_json, encode_json
from venuewire.sim.bitmart import SimState, SpotSession, seed_push

_SIDES = ("buys", "sells")
_FIELDS = ("amount", "total", "price", "count")


def legacy_bytes() -> bytes:
    """The seed's 20-level push as compact JSON (byte for byte what the simulator sends)."""
    return encode_json(seed_push())


def spot_frame(levels: int = 20) -> bytes:
    """One v3 `spot/depth{levels}` push as the venue sends it: raw DEFLATE bytes."""
    session = SpotSession(SimState())
    frames = session.receive(json.dumps({"op": "subscribe", "args": [f"spot/depth{levels}:BTC_USDT"]}))
    frame = frames[0]
    assert isinstance(frame, bytes)
    return frame


def bench_legacy() -> list[Result]:
    data = legacy_bytes()
    assert len(decode_json(LegacyDepthPush, data).data.buys) == 20

    def typed() -> object:
        return decode_json(LegacyDepthPush, data)

    def stdlib() -> object:
        return json.loads(data)

    def stdlib_decimals() -> object:
        push: dict[str, Any] = json.loads(data)
        for side in _SIDES:
            for level in push["data"][side]:
                for key in _FIELDS:
                    level[key] = Decimal(level[key])
        return push

    def book() -> object:
        return order_book_from_legacy(decode_json(LegacyDepthPush, data))

    name = f"(a) 20-level legacy depth push ({len(data)} B)"
    return [
        Result(f"{name} -> typed", "decode_json(LegacyDepthPush) (Decimal)", "json.loads", compare(typed, stdlib), 1.5),
        Result(
            f"{name} -> typed, same Decimals",
            "decode_json(LegacyDepthPush)",
            "json.loads + Decimal() per value",
            compare(typed, stdlib_decimals),
            None,
        ),
        Result(
            f"{name} -> normalized OrderBook",
            "decode_json + order_book_from_legacy",
            "json.loads",
            compare(book, stdlib),
            None,
        ),
    ]


def bench_spot() -> list[Result]:
    frame = spot_frame(20)

    def ours() -> object:
        return order_books_from_spot(decode_json(SpotDepthPush, inflate(frame, 1 << 24)))

    def peer() -> object:
        inflater = zlib.decompressobj(-zlib.MAX_WBITS)
        return json.loads(inflater.decompress(frame) + inflater.flush())

    return [
        Result(
            f"(b) v3 depth20 frame ({len(frame)} B DEFLATE) -> OrderBook",
            "inflate + decode_json(SpotDepthPush) + order_books_from_spot",
            "zlib inflate + json.loads",
            compare(ours, peer),
            None,
        )
    ]


def run() -> list[Result]:
    return bench_legacy() + bench_spot()


if __name__ == "__main__":
    from bench.harness import table

    print(table(run(), "BitMart"))
