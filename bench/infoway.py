"""Infoway benchmarks (issue targets in brackets), on one 20-symbol, 10-level batch_depth
reply built from the simulator's books (the same bytes for both sides):

(1) bytes -> typed BatchDepthResponse (`decode_json`, prices and volumes as Decimal) vs the
    stdlib's untyped `json.loads` [>= 1.5x]. The schema types every price and volume as
    Decimal (800 of them here) and building a Decimal costs more than building the str
    `json.loads` makes, so this is measured as it is; information rows show the cost.
(2) bytes -> list of normalized Decimal `OrderBook`s (`batch_depth_result` +
    `order_books_from_response`) vs infoway-sdk's own path for a batch_depth reply with
    `parse=True`: `HttpClient._handle_response` (httpx `Response.json()` = `json.loads`, the
    error checks) then `_normalize.normalize_depth` (Decimal(str(v)) per value, (price, qty)
    tuples, a datetime) [>= 1x].
"""

from __future__ import annotations

import json
from typing import Any

import msgspec

from bench.harness import Result, compare
from venuewire.generated.infoway.batch_depth_response import BatchDepthResponse
from venuewire.infoway.book import order_books_from_response
from venuewire.infoway.rest import batch_depth_result
from venuewire.messages import decode_json, encode_json
from venuewire.sim.infoway import SimState, batch_depth_reply

SYMBOLS = 20


def batch_depth_bytes(symbols: int = SYMBOLS) -> bytes:
    """A batch_depth reply for `symbols` HK codes, 10 levels a side, as the venue sends it."""
    state = SimState(api_key="bench", epoch_ms=1_747_382_976_831, step=7)
    codes = ",".join(f"{700 + i:05d}.HK" for i in range(symbols))
    reply = batch_depth_reply(state, "stock", codes)
    assert reply.ret == 200 and reply.data is not None and len(reply.data) == symbols
    return encode_json(reply)


class _StrDepth(msgspec.Struct):
    s: str
    t: int
    a: tuple[list[str], list[str]]
    b: tuple[list[str], list[str]]


class _StrReply(msgspec.Struct):
    """The same shape with prices as str: information only (what Decimal costs)."""

    ret: int
    msg: str
    traceId: str | None = None
    data: list[_StrDepth] | None = None


def run() -> list[Result]:
    import httpx
    from infoway._http import HttpClient
    from infoway._normalize import normalize_depth

    data = batch_depth_bytes()
    label = f"{SYMBOLS}-symbol x 10-level batch_depth ({len(data):,} B)"
    typed_decoder = msgspec.json.Decoder(BatchDepthResponse)
    str_decoder = msgspec.json.Decoder(_StrReply)

    def typed() -> object:
        return decode_json(BatchDepthResponse, data)

    def typed_cached_decoder() -> object:
        return typed_decoder.decode(data)

    def untyped() -> object:
        return json.loads(data)

    def str_typed() -> object:
        return str_decoder.decode(data)

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
                "decode_json (Decimal)",
                "json.loads (untyped)",
                compare(typed, untyped),
                1.5,
            ),
            Result(
                f"(1) {label} -> typed message",
                "cached msgspec Decoder (Decimal)",
                "json.loads",
                compare(typed_cached_decoder, untyped),
                None,
            ),
            Result(
                f"(1) {label}, prices as str",
                "msgspec Decoder, str-typed mirror",
                "json.loads",
                compare(str_typed, untyped),
                None,
            ),
            Result(
                f"(2) {label} -> Decimal OrderBooks",
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
