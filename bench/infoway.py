"""Infoway benchmarks (issue targets in brackets), on one 20-symbol, 10-level batch_depth
reply built from the simulator's books (the same bytes for both sides):

(1) bytes -> typed BatchDepthResponse (`decode_json`; prices and volumes are `DecimalText`, the
    wire's exact strings, no Decimal built) vs the stdlib's untyped `json.loads` [>= 1.5x]. An
    information row decodes the same shape with Decimal prices and volumes (what the class held
    before 2026-12-06): the cost of building 800 Decimals eagerly.
(2) bytes -> list of normalized `OrderBook`s, Decimal on read (`batch_depth_result` +
    `order_books_from_response`) vs infoway-sdk's own path for a batch_depth reply with
    `parse=True`: `HttpClient._handle_response` (httpx `Response.json()` = `json.loads`, the
    error checks) then `_normalize.normalize_depth` (Decimal(str(v)) per value, (price, qty)
    tuples, a datetime) [>= 1x].
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import msgspec

from bench.harness import Result, compare
from venuewire.generated.infoway.batch_depth_response import BatchDepthResponse
from venuewire.generated.infoway.ws_depth import WsDepthPush
from venuewire.infoway.book import order_book_from_push_json, order_books_from_batch_json, order_books_from_response
from venuewire.infoway.rest import batch_depth_result
from venuewire.messages import decode_json, encode_json
from venuewire.sim.infoway import SimState, batch_depth_reply
from venuewire.values import DecimalText

SYMBOLS = 20


def batch_depth_bytes(symbols: int = SYMBOLS) -> bytes:
    """A batch_depth reply for `symbols` HK codes, 10 levels a side, as the venue sends it."""
    state = SimState(api_key="bench", epoch_ms=1_747_382_976_831, step=7)
    codes = ",".join(f"{700 + i:05d}.HK" for i in range(symbols))
    reply = batch_depth_reply(state, "stock", codes)
    assert reply.ret == 200 and reply.data is not None and len(reply.data) == symbols
    return encode_json(reply)


class _DecimalDepth(msgspec.Struct):
    s: str
    t: int
    a: tuple[list[Decimal], list[Decimal]]
    b: tuple[list[Decimal], list[Decimal]]


class _DecimalReply(msgspec.Struct):
    """The same shape with prices as Decimal: information only (what eager Decimals cost)."""

    ret: int
    msg: str
    traceId: str | None = None
    data: list[_DecimalDepth] | None = None


def push_bytes(levels: int) -> bytes:
    """One 10005 depth push with `levels` levels a side, as the venue sends it."""
    reply = decode_json(BatchDepthResponse, batch_depth_bytes(1))
    assert reply.data is not None
    depth = reply.data[0]
    for side in (depth.a, depth.b):
        prices, volumes = side
        while len(prices) < levels:
            step = Decimal(prices[-1]) - Decimal(prices[-2])
            prices.append(DecimalText(str(Decimal(prices[-1]) + step)))
            volumes.append(volumes[len(volumes) % 10])
    return encode_json(WsDepthPush(code=10005, data=depth, trace="bench"))


def _read_all(books: list[Any]) -> None:
    for book in books:
        for side in (book.bids, book.asks):
            for level in side:
                level.price  # noqa: B018
                level.size  # noqa: B018


def _loads_decimals(data: bytes) -> object:
    reply: dict[str, Any] = json.loads(data)
    depths = reply["data"] if isinstance(reply["data"], list) else [reply["data"]]
    for depth in depths:
        for key in ("a", "b"):
            depth[key] = [[Decimal(v) for v in column] for column in depth[key]]
    return reply


def bench_books() -> list[Result]:
    results = []
    data = batch_depth_bytes()
    label = f"{SYMBOLS}-symbol x 10-level batch_depth ({len(data):,} B)"
    assert order_books_from_batch_json(data) == order_books_from_response(decode_json(BatchDepthResponse, data))

    def rest_books() -> object:
        return order_books_from_batch_json(data)

    def rest_read() -> object:
        books = order_books_from_batch_json(data)
        _read_all(books)
        return books

    results += [
        Result(
            f"(3) {label} -> normalized OrderBooks",
            "order_books_from_batch_json",
            "json.loads",
            compare(rest_books, lambda: json.loads(data)),
            1.5,
        ),
        Result(
            f"(3) {label} -> OrderBooks, every price and size read as Decimal",
            "... + .price/.size",
            "json.loads + Decimal() per value",
            compare(rest_read, lambda: _loads_decimals(data)),
            1.2,
        ),
    ]
    for levels in (10, 1000):
        push = push_bytes(levels)
        name = f"(4) WS 10005 push, {levels} levels a side ({len(push):,} B)"

        def ws_book(push: bytes = push) -> object:
            return order_book_from_push_json(push)

        def ws_read(push: bytes = push) -> object:
            book = order_book_from_push_json(push)
            _read_all([book])
            return book

        results += [
            Result(
                f"{name} -> normalized OrderBook",
                "order_book_from_push_json",
                "json.loads",
                compare(ws_book, lambda push=push: json.loads(push)),
                1.5,
            ),
            Result(
                f"{name} -> OrderBook, every price and size read as Decimal",
                "... + .price/.size",
                "json.loads + Decimal() per value",
                compare(ws_read, lambda push=push: _loads_decimals(push)),
                1.2,
            ),
        ]
    return results


def run() -> list[Result]:
    return bench_generated() + bench_books()


def bench_generated() -> list[Result]:
    import httpx
    from infoway._http import HttpClient
    from infoway._normalize import normalize_depth

    data = batch_depth_bytes()
    label = f"{SYMBOLS}-symbol x 10-level batch_depth ({len(data):,} B)"
    typed_decoder = msgspec.json.Decoder(BatchDepthResponse)
    decimal_decoder = msgspec.json.Decoder(_DecimalReply)

    def typed() -> object:
        return decode_json(BatchDepthResponse, data)

    def typed_cached_decoder() -> object:
        return typed_decoder.decode(data)

    def untyped() -> object:
        return json.loads(data)

    def decimal_typed() -> object:
        return decimal_decoder.decode(data)

    def ours_books() -> object:
        return order_books_from_response(batch_depth_result(200, {}, data))

    sdk_http = HttpClient(api_key="bench", base_url="http://127.0.0.1:9")
    response = httpx.Response(200, content=data, headers={"content-type": "application/json"})

    def sdk_books() -> Any:
        return normalize_depth(sdk_http._handle_response(response))

    # the two sides must agree before they are timed
    ours = order_books_from_response(batch_depth_result(200, {}, data))
    theirs = sdk_books()
    assert [b.symbol for b in ours] == [row["s"] for row in theirs]
    assert [(lv.price, lv.size) for lv in ours[0].asks] == theirs[0]["a"]

    try:
        return [
            Result(
                f"(1) {label} -> typed message",
                "decode_json (DecimalText)",
                "json.loads (untyped)",
                compare(typed, untyped),
                1.5,
            ),
            Result(
                f"(1) {label} -> typed message",
                "cached msgspec Decoder (DecimalText)",
                "json.loads",
                compare(typed_cached_decoder, untyped),
                None,
            ),
            Result(
                f"(1) {label}, prices as Decimal",
                "msgspec Decoder, Decimal-typed mirror",
                "json.loads",
                compare(decimal_typed, untyped),
                None,
            ),
            Result(
                f"(2) {label} -> normalized OrderBooks (Decimal on read)",
                "batch_depth_result + order_books_from_response",
                "infoway-sdk _handle_response + normalize_depth",
                compare(ours_books, sdk_books),
                1,
            ),
        ]
    finally:
        sdk_http.close()


if __name__ == "__main__":
    from bench.harness import table

    print(table(run(), "Infoway"))
