"""BitMart benchmarks (issue target in brackets):
(a) a 20-level legacy depth push (the seed's sample, compact JSON as the venue sends it)
    -> the generated `LegacyDepthPush` (every price, amount, total and count a `DecimalText`:
    the wire's text, no Decimal built) vs stdlib `json.loads` on the same bytes [>= 1.5x].
(a') the same bytes -> normalized `OrderBook` (`order_book_from_legacy_json`: text-typed
    decode, every value checked, no Decimal built) vs `json.loads` [>= 1.5x]; and with every
    level's price and size then read as `Decimal` vs `json.loads` + `Decimal()` per value [>= 1.2x].
(b) a v3 depth20 frame (raw DEFLATE), inflate on both sides (the peer: one `zlib.decompress`
    call): -> the generated `SpotDepthPush` vs zlib + `json.loads` [>= 1.5x]; -> `OrderBook`
    (`order_books_from_spot_json`) vs zlib + `json.loads` [>= 1.5x]; read as Decimal [>= 1.2x].
Information rows: the typed decode with every value then converted exactly (`decimal_of`) vs
`json.loads` plus `Decimal()` of the same values, and books through the generated classes.
"""

from __future__ import annotations

import json
import zlib
from decimal import Decimal
from typing import Any

from bench.harness import Result, compare
from venuewire.bitmart.book import (
    order_book_from_legacy,
    order_book_from_legacy_json,
    order_books_from_spot,
    order_books_from_spot_json,
)
from venuewire.bitmart.protocol import inflate
from venuewire.generated.bitmart.legacy_depth import LegacyDepthPush
from venuewire.generated.bitmart.spot_depth import SpotDepthPush
from venuewire.messages import decode_json, encode_json
from venuewire.sim.bitmart import SimState, SpotSession, seed_push
from venuewire.values import decimal_of

_SIDES = ("buys", "sells")
_FIELDS = ("amount", "total", "price", "count")


def legacy_bytes() -> bytes:
    """The seed's 20-level push as compact JSON (byte for byte what the simulator sends)."""
    return encode_json(seed_push())


def spot_frame(levels: int = 20) -> bytes:
    """One v3 `spot/depth{levels}` push as the venue sends it: raw DEFLATE bytes."""
    session = SpotSession(SimState())
    frames = session.receive(json.dumps({"op": "subscribe", "args": [f"spot/depth{levels}:BTC_USDT"]}))
    frame = frames[-1]  # the ack comes first, then the first depth push
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

    def typed_decimals() -> object:  # the same Decimals, each checked and named on failure
        push = decode_json(LegacyDepthPush, data)
        for side in (push.data.buys, push.data.sells):
            for level in side:
                for key in _FIELDS:
                    decimal_of(getattr(level, key), "bitmart", "legacy_depth", (key,))
        return push

    def book() -> object:
        return order_book_from_legacy(decode_json(LegacyDepthPush, data))

    def fast_book() -> object:
        return order_book_from_legacy_json(data)

    def fast_book_read() -> object:
        book = order_book_from_legacy_json(data)
        for side in (book.bids, book.asks):
            for level in side:
                level.price  # noqa: B018
                level.size  # noqa: B018
        return book

    def stdlib_read() -> object:  # the same values a book reader gets: price and amount
        push: dict[str, Any] = json.loads(data)
        for side in _SIDES:
            for level in push["data"][side]:
                level["price"] = Decimal(level["price"])
                level["amount"] = Decimal(level["amount"])
        return push

    name = f"(a) 20-level legacy depth push ({len(data)} B)"
    return [
        Result(
            f"{name} -> typed", "decode_json(LegacyDepthPush) (DecimalText)", "json.loads", compare(typed, stdlib), 1.5
        ),
        Result(
            f"{name} -> typed, then every value a Decimal",
            "decode_json(LegacyDepthPush) + decimal_of per value",
            "json.loads + Decimal() per value",
            compare(typed_decimals, stdlib_decimals),
            None,
        ),
        Result(
            f"{name} -> normalized OrderBook",
            "order_book_from_legacy_json (text, checked)",
            "json.loads",
            compare(fast_book, stdlib),
            1.5,
        ),
        Result(
            f"{name} -> OrderBook, every price and size read as Decimal",
            "order_book_from_legacy_json + .price/.size",
            "json.loads + Decimal() of price and amount",
            compare(fast_book_read, stdlib_read),
            1.2,
        ),
        Result(
            f"{name} -> OrderBook via the generated class",
            "decode_json + order_book_from_legacy",
            "json.loads",
            compare(book, stdlib),
            None,
        ),
    ]


def bench_spot() -> list[Result]:
    frame = spot_frame(20)

    assert order_books_from_spot_json(inflate(frame, 1 << 24))[0].bids

    def generated() -> object:
        return order_books_from_spot(decode_json(SpotDepthPush, inflate(frame, 1 << 24)))

    def ours() -> object:
        return order_books_from_spot_json(inflate(frame, 1 << 24))

    def typed() -> object:
        return decode_json(SpotDepthPush, inflate(frame, 1 << 24))

    def ours_read() -> object:
        books = order_books_from_spot_json(inflate(frame, 1 << 24))
        for book in books:
            for side in (book.bids, book.asks):
                for level in side:
                    level.price  # noqa: B018
                    level.size  # noqa: B018
        return books

    # the peer inflates with one zlib.decompress call, the cheapest stdlib way (cheaper than
    # the official SDK's decompressobj + flush), so our one-shot inflate gains it nothing
    def peer() -> object:
        return json.loads(zlib.decompress(frame, -zlib.MAX_WBITS))

    def peer_read() -> object:
        push = json.loads(zlib.decompress(frame, -zlib.MAX_WBITS))
        for entry in push["data"]:
            for side in ("bids", "asks"):
                entry[side] = [(Decimal(price), Decimal(size)) for price, size in entry[side]]
        return push

    name = f"(b) v3 depth20 frame ({len(frame)} B DEFLATE)"
    return [
        Result(
            f"{name} -> typed",
            "inflate + decode_json(SpotDepthPush) (DecimalText)",
            "zlib.decompress + json.loads",
            compare(typed, peer),
            1.5,
        ),
        Result(
            f"{name} -> OrderBook",
            "inflate + order_books_from_spot_json",
            "zlib.decompress + json.loads",
            compare(ours, peer),
            1.5,
        ),
        Result(
            f"{name} -> OrderBook, every price and size read as Decimal",
            "inflate + order_books_from_spot_json + .price/.size",
            "zlib.decompress + json.loads + Decimal() per value",
            compare(ours_read, peer_read),
            1.2,
        ),
        Result(
            f"{name} -> OrderBook via the generated class",
            "inflate + decode_json(SpotDepthPush) + order_books_from_spot",
            "zlib.decompress + json.loads",
            compare(generated, peer),
            None,
        ),
    ]


def run() -> list[Result]:
    return bench_legacy() + bench_spot()


if __name__ == "__main__":
    from bench.harness import table

    print(table(run(), "BitMart"))
