"""Infoway depth snapshots (`Depth`, from batch_depth or a 10005 push) -> `venuewire.OrderBook`.

Pure functions. Each side is column-major on the wire, `[[prices], [volumes]]` of decimal
strings, kept as the wire's text in the generated class (`DecimalText`: no Decimal built by the
decode); each level keeps the exact text (`str(level.price)` gives it back) and builds its
Decimal when read. `order_book_from_push_json` takes a 10005 frame's bytes and
decodes them straight into a text-typed mirror (no Decimal built at all); a frame it refuses
goes through the generated class, so its errors are exactly those of `WsDepthPush`
(`order_books_from_batch_json` does the same for a batch_depth reply body). `a` is the ASK
(sell) side and `b` the BID (buy) side: the
seed's notes swap them, its field table and its data do not. Levels keep the venue's order
(asks ascending, bids descending, best first); order counts are not sent (None).
`t` (Unix epoch milliseconds) becomes the book's UTC `timestamp`, exactly (no float).

Every value is checked (`check_depth`): a side whose price and volume columns differ in
length, a price or volume that is no decimal number (text that is no number, NaN, sNaN,
Infinity; checked with `venuewire.values.decimal_of`), and a `t` outside year 1 to 9999
raise DecodeError naming the message and the field path (`$.data[0].a[0][3]`: the fourth
price of the asks of the first snapshot; column 0 holds prices, 1 volumes).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Final, Literal

import msgspec

from venuewire.errors import DecodeError
from venuewire.generated.infoway.batch_depth_response import BatchDepthResponse
from venuewire.generated.infoway.depth import Depth
from venuewire.generated.infoway.ws_depth import WsDepthPush
from venuewire.messages import decode_json, message_info
from venuewire.models import (
    TEXT_DECODE_ERRORS,
    BookLevel,
    LazyMessage,
    OrderBook,
    are_decimal_columns,
)
from venuewire.values import DecimalText, decimal_of, utc_from_ms

__all__ = [
    "VENUE",
    "check_depth",
    "order_book_from_depth",
    "order_book_from_push_json",
    "order_books_from_batch_json",
    "order_books_from_response",
    "push_book_or_none",
    "timestamp_of",
]

VENUE: Final = "infoway"
RESPONSE: Final = "batch_depth_response"
_Side = tuple[list[DecimalText], list[DecimalText]]
_Path = Sequence[str | int]


def timestamp_of(t_ms: int, *, message: str = "depth", path: _Path = ("t",)) -> datetime:
    """Epoch milliseconds as an aware UTC datetime (exact to the millisecond); DecodeError
    naming `message` and `path` outside year 1 to 9999."""
    return utc_from_ms(t_ms, VENUE, message, path)


def _check_side(side: _Side, key: str, message: str, path: _Path) -> None:
    prices, volumes = side
    if len(prices) != len(volumes):
        raise DecodeError(
            VENUE, message, (*path, key), f"{len(prices)} prices but {len(volumes)} volumes (columns must pair up)"
        )
    if are_decimal_columns(side):  # the fast path: every text at once
        return
    for column, values in enumerate(side):  # a text outside JSON's grammar: check each, name the bad one
        for index, value in enumerate(values):
            decimal_of(value, VENUE, message, (*path, key, column, index))


def _levels(side: _Side, key: str, message: str, path: _Path) -> tuple[BookLevel, ...]:
    _check_side(side, key, message, path)
    prices, volumes = side
    return tuple(map(BookLevel, prices, volumes))


def check_depth(depth: Depth, *, message: str = "depth", path: _Path = ()) -> None:
    """Raise DecodeError (naming `message` and `path` + the field) unless every value of
    `depth` stands for what it means: paired columns, finite prices and volumes, a `t`
    that is a date."""
    _check_side(depth.b, "b", message, path)
    _check_side(depth.a, "a", message, path)
    timestamp_of(depth.t, message=message, path=(*path, "t"))


def order_book_from_depth(depth: Depth, *, message: str = "depth", path: _Path = ()) -> OrderBook:
    """One normalized book. `message` and `path` (where `depth` sits in its message) name
    the field in a DecodeError, e.g. `("data", 3)` in "batch_depth_response"."""
    return OrderBook(
        venue=VENUE,
        symbol=depth.s,
        bids=_levels(depth.b, "b", message, path),
        asks=_levels(depth.a, "a", message, path),
        timestamp=timestamp_of(depth.t, message=message, path=(*path, "t")),
    )


def order_books_from_response(response: BatchDepthResponse) -> list[OrderBook]:
    """Every snapshot of a successful batch_depth reply, in the venue's order (a reply with
    no `data` gives an empty list)."""
    data = response.data
    if not data:
        return []
    return [order_book_from_depth(depth, message=RESPONSE, path=("data", index)) for index, depth in enumerate(data)]


class _TextDepth(LazyMessage):
    message_class = Depth
    s: str
    t: int
    a: tuple[list[str], list[str]]
    b: tuple[list[str], list[str]]


class _TextPush(msgspec.Struct):
    code: Literal[10005]
    data: _TextDepth
    trace: str | msgspec.UnsetType = msgspec.UNSET


_PUSH_DECODER = msgspec.json.Decoder(_TextPush)
_PUSH: Final = message_info(WsDepthPush).name


def push_book_or_none(data: bytes | str, *, keep_raw: bool = False) -> OrderBook | None:
    """The book of one 10005 depth push frame read the fast way, or None when the fast decode
    refuses it (then `order_book_from_depth(decode_json(WsDepthPush, data).data, ...)` gives
    the book or the DecodeError naming the field). Raises DecodeError for a `t` outside year
    1 to 9999. With `keep_raw`, `book.raw` is the push's depth (a `LazyMessage`: the
    generated `Depth` is built on the first read of `book.raw`)."""
    try:
        push = _PUSH_DECODER.decode(data)
    except TEXT_DECODE_ERRORS:
        return None
    depth = push.data
    (bid_prices, bid_sizes), (ask_prices, ask_sizes) = depth.b, depth.a
    if len(bid_prices) != len(bid_sizes) or len(ask_prices) != len(ask_sizes):
        return None
    if not are_decimal_columns((bid_prices, bid_sizes, ask_prices, ask_sizes)):
        return None
    return OrderBook(
        venue=VENUE,
        symbol=depth.s,
        bids=tuple(map(BookLevel, bid_prices, bid_sizes)),
        asks=tuple(map(BookLevel, ask_prices, ask_sizes)),
        timestamp=timestamp_of(depth.t, message=_PUSH, path=("data", "t")),
        raw=depth if keep_raw else None,
    )


def order_book_from_push_json(data: bytes | str) -> OrderBook:
    """The book of one 10005 depth push frame: `order_book_from_depth(decode_json(WsDepthPush,
    data).data, message="ws_depth", path=("data",))`, the same book and the same DecodeErrors,
    without building a Decimal per value."""
    book = push_book_or_none(data)
    if book is not None:
        return book
    return order_book_from_depth(decode_json(WsDepthPush, data).data, message=_PUSH, path=("data",))


class _TextReply(msgspec.Struct):
    ret: int
    msg: str
    traceId: str | msgspec.UnsetType | None = msgspec.UNSET
    data: list[_TextDepth] | None = None


_REPLY_DECODER = msgspec.json.Decoder(_TextReply)


def order_books_from_batch_json(data: bytes | str) -> list[OrderBook]:
    """The books of a successful batch_depth reply body (`ret` 200; see
    `venuewire.infoway.rest.batch_depth_result` for the envelope and error checks):
    `order_books_from_response(decode_json(BatchDepthResponse, data))`, the same books and the
    same DecodeErrors, without building a Decimal per value."""
    try:
        reply = _REPLY_DECODER.decode(data)
    except TEXT_DECODE_ERRORS:
        reply = None
    if reply is not None:
        depths = reply.data or []
        columns = [column for depth in depths for column in (*depth.b, *depth.a)]
        lengths = list(map(len, columns))
        paired = lengths[0::2] == lengths[1::2]  # prices and volumes of each side pair up
        if paired and are_decimal_columns(columns):
            return [
                OrderBook(
                    venue=VENUE,
                    symbol=depth.s,
                    bids=tuple(map(BookLevel, *depth.b)),
                    asks=tuple(map(BookLevel, *depth.a)),
                    timestamp=timestamp_of(depth.t, message=RESPONSE, path=("data", index, "t")),
                )
                for index, depth in enumerate(depths)
            ]
    return order_books_from_response(decode_json(BatchDepthResponse, data))
