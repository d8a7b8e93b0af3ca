"""Qot_GetOrderBook / Qot_UpdateOrderBook S2C -> the normalized `venuewire.OrderBook`.

asks come from orderBookAskList and bids from orderBookBidList (the seed's comments swap
"buy" and "sell"; the wire does not). A level's size is hpVolume when present, else
volume. Prices are doubles on the wire: each level holds the text of the double's shortest
repr as a Decimal prints it (601.5 -> "601.5", 1e-07 -> "1E-7"), and `level.price` is that
Decimal (built when read), never the binary expansion. Sizes and order ids (int64) keep their
exact integer text.

A price or hpVolume that is NaN or an infinity, and a svrRecvTime*Timestamp that is not
finite or lies outside year 1..9999, is a `DecodeError` naming the field (`check_s2c`
checks exactly that, without building the book).
"""

from __future__ import annotations

import math
import struct
from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal
from typing import Any, Final, TypeVar, cast

from google.protobuf.descriptor import FieldDescriptor

from venuewire.capture.protowire import read_varint as _varint
from venuewire.errors import DecodeError
from venuewire.generated.futu import Qot_GetOrderBook_pb2, Qot_UpdateOrderBook_pb2
from venuewire.generated.futu.enums import RetType
from venuewire.generated.futu.Qot_Common_pb2 import OrderBook as WireLevel
from venuewire.generated.futu.Qot_Common_pb2 import OrderBookDetail as WireDetail
from venuewire.generated.futu.Qot_Common_pb2 import Security
from venuewire.messages import decode_proto
from venuewire.models import BookLevel, OrderBook, OrderDetail
from venuewire.opend.symbols import symbol_of
from venuewire.values import decimal_of_double, utc_from_seconds

S2C = Qot_GetOrderBook_pb2.S2C | Qot_UpdateOrderBook_pb2.S2C
_Response = TypeVar("_Response", Qot_GetOrderBook_pb2.Response, Qot_UpdateOrderBook_pb2.Response)

VENUE: Final = "futu"
SIDES: Final = ("orderBookAskList", "orderBookBidList")
TIMESTAMPS: Final = ("svrRecvTimeBidTimestamp", "svrRecvTimeAskTimestamp")

# Books repeat the same prices push after push: remember their Decimals and texts (bounded).
# Only finite values are ever stored (a non-finite one raises before it is cached).
_DECIMALS: dict[float | int, Decimal] = {}
_DECIMALS_MAX = 100_000
_TEXTS: dict[float | int, str] = {}


_MESSAGES: dict[type, str] = {}


def _message(s2c: Any) -> str:
    """ "Qot_GetOrderBook.S2C" or "Qot_UpdateOrderBook.S2C", for an S2C or any message (or
    message class) of those protocols."""
    found = _MESSAGES.get(type(s2c) if not isinstance(s2c, type) else s2c)
    if found is None:
        found = str(s2c.DESCRIPTOR.full_name).rsplit(".", 2)[-2] + ".S2C"
        _MESSAGES[type(s2c) if not isinstance(s2c, type) else s2c] = found
    return found


def decimal_of(value: float | int, message: str = "", path: tuple[str | int, ...] = ()) -> Decimal:
    """The Decimal of an integer, or of a double's shortest repr; cached (bounded).
    DecodeError (naming `message` and `path`) for NaN and infinities."""
    found = _DECIMALS.get(value)
    if found is None:
        found = decimal_of_double(value, VENUE, message, path) if isinstance(value, float) else Decimal(value)
        if len(_DECIMALS) >= _DECIMALS_MAX:
            _DECIMALS.clear()
        _DECIMALS[value] = found
    return found


def text_of(value: float | int, message: str = "", path: tuple[str | int, ...] = ()) -> str:
    """The exact text of an integer, or of a double's shortest repr as `str(Decimal)` prints
    it (so `Decimal(text)` is `decimal_of(value)`); cached (bounded). DecodeError (naming
    `message` and `path`) for NaN and infinities."""
    found = _TEXTS.get(value)
    if found is None:
        found = str(decimal_of_double(value, VENUE, message, path)) if isinstance(value, float) else str(value)
        if len(_TEXTS) >= _DECIMALS_MAX:
            _TEXTS.clear()
        _TEXTS[value] = found
    return found


def _price_texts(prices: list[float], message: str, side: str) -> list[str]:
    found = list(map(_TEXTS.get, prices))
    if None in found:  # new prices (a non-finite one raises here, naming its level)
        pairs = enumerate(zip(found, prices, strict=True))
        return [text or text_of(price, message, (side, i, "price")) for i, (text, price) in pairs]
    return cast(list[str], found)


def _levels(wire: Iterable[WireLevel], message: str, side: str) -> tuple[BookLevel, ...]:
    levels = list(wire)  # one Python object per level, read four times below
    if not levels:
        return ()
    prices = _price_texts([level.price for level in levels], message, side)
    sizes = [
        text_of(level.hpVolume, message, (side, i, "hpVolume")) if level.HasField("hpVolume") else str(level.volume)
        for i, level in enumerate(levels)
    ]
    counts = [level.orederCount for level in levels]
    details = [level.detailList for level in levels]
    if any(map(len, details)):
        orders: list[tuple[OrderDetail, ...]] = [
            tuple([OrderDetail(str(d.orderID), str(d.volume)) for d in found]) if found else () for found in details
        ]
        return tuple(map(BookLevel, prices, sizes, counts, orders))
    return tuple(map(BookLevel, prices, sizes, counts))


def _time(s2c: S2C, field: str, message: str) -> datetime | None:
    """The timestamp field as a UTC datetime; None when absent or not positive (OpenD's
    "no time"); DecodeError when not finite or out of range for a date."""
    if not s2c.HasField(field):
        return None
    seconds: float = getattr(s2c, field)
    if seconds <= 0 and math.isfinite(seconds):  # NaN and -inf go on to the check below
        return None
    return utc_from_seconds(seconds, VENUE, message, (field,))


def check_s2c(s2c: S2C, message: str | None = None) -> None:
    """Raise DecodeError (venue, `message`, field path) when a price, hpVolume or
    timestamp of `s2c` cannot stand for what it means; cheaper than building the book."""
    name = message or _message(s2c)
    if _FAST:
        data = s2c.SerializePartialToString()
        checked = _CHECKED.get(id(s2c))
        if checked is not None and checked[0] is s2c and checked[1] == data:
            return  # these very bytes were read by the fast path (`checked_reply`) already
        try:
            parts = _fast_parts(data, 0, len(data), name)
        except Exception:  # the checked walk below decides
            pass
        else:  # the fast path read every value: all are finite and in range
            _remember(s2c, data, parts)
            return
    isfinite = math.isfinite
    for side in SIDES:
        for i, level in enumerate(getattr(s2c, side)):
            if not isfinite(level.price):
                decimal_of_double(level.price, VENUE, name, (side, i, "price"))
            if level.HasField("hpVolume") and not isfinite(level.hpVolume):
                decimal_of_double(level.hpVolume, VENUE, name, (side, i, "hpVolume"))
    for field in TIMESTAMPS:
        _time(s2c, field, name)


def _remember(s2c: S2C, data: bytes, parts: _Parts) -> None:
    """Hand what the fast path read of `s2c` (its bytes `data`) to its `order_book_from_s2c`."""
    _CHECKED_BYTES[0] += len(data)
    if len(_CHECKED) >= _CHECKED_MAX or _CHECKED_BYTES[0] > _CHECKED_BYTES_MAX:
        _CHECKED.clear()
        _CHECKED_BYTES[0] = len(data)
    _CHECKED[id(s2c)] = (s2c, data, parts)


def checked_reply(body: bytes, response: type[_Response]) -> _Response | None:
    """The Response of a body the fast path reads whole (retType success, every required
    field there, every value finite and in range: what `decode_proto` plus `check_s2c` would
    accept), decoded without the required-field walk, its S2C's book parts remembered for
    `order_book_from_s2c`; None for any other body (decode and check it the usual way, for
    its typed error). What the fast path read is kept by the body's bytes (bounded): the
    same reply again is decoded, and never read twice."""
    if not _FAST:
        return None
    read = _REPLIES.get(body)
    try:
        if read is None:
            start, end = _s2c_span(body)
            read = (start, end, _fast_parts(body, start, end, _message(response)))
            _REPLIES_BYTES[0] += len(body)
            if len(_REPLIES) >= _REPLIES_MAX or _REPLIES_BYTES[0] > _REPLIES_BYTES_MAX:
                _REPLIES.clear()
                _REPLIES_BYTES[0] = len(body)
            _REPLIES[body] = read
        decoded = decode_proto(response, body, check_required=False)
    except Exception:  # anything the fast path does not read: the caller's checked path decides
        return None
    start, end, parts = read
    _remember(decoded.s2c, body[start:end], parts)
    return decoded


def checked_order_book_from_s2c(s2c: S2C, *, raw: object = None) -> OrderBook:
    """`order_book_from_s2c` read field by field from the message (the reference the fast
    path is tested against, and its fallback)."""
    message = _message(s2c)
    symbol = symbol_of(s2c.security)
    bids = _levels(s2c.orderBookBidList, message, "orderBookBidList")
    asks = _levels(s2c.orderBookAskList, message, "orderBookAskList")
    bid_time = _time(s2c, "svrRecvTimeBidTimestamp", message)
    ask_time = _time(s2c, "svrRecvTimeAskTimestamp", message)
    name = s2c.name if s2c.HasField("name") else None
    return _book_of((symbol, bids, asks, bid_time, ask_time, name), raw)


# ---------------------------------------------------------------- the fast path
# Books are read straight out of their serialized bytes: a level field's bytes are the key
# of a bounded cache of BookLevels (books repeat levels push after push), and each run of
# level fields is walked by its tags and lengths. Anything the fast path does not recognise
# (another field order, unknown fields, a duplicate, a missing required field, a truncated
# body, a non-finite value) sends the bytes to the checked path, which gives its typed
# error or the same book. Field numbers and wire types come from the generated descriptors.
_WIRE_VARINT, _WIRE_FIXED64, _WIRE_LEN = 0, 1, 2
_DOUBLE = struct.Struct("<d")
_LEVELS: dict[bytes, BookLevel] = {}
_LEVELS_MAX = 20_000
_SYMBOLS: dict[bytes, str] = {}
_SYMBOLS_MAX = 10_000
_TIMES: dict[bytes, datetime | None] = {}
# `check_s2c` (the client checks each push as it arrives) hands what it read to the
# `order_book_from_s2c` of the same message (the stream normalizes it when read): by the
# message's id, holding the message (so the id is not reused) and its bytes (a message
# changed in between is read again). Bounded: messages no stream normalizes are let go.
_CHECKED: dict[int, tuple[Any, bytes, Any]] = {}
_CHECKED_MAX = 2048
_CHECKED_BYTES = [0]  # the wire bytes of the messages held (about a third of their size)
_CHECKED_BYTES_MAX = 2_000_000
# `checked_reply`: what the fast path read of each reply body, by the body's bytes (a book
# polled faster than it changes comes back byte for byte: read once). Bounded like _CHECKED.
_REPLIES: dict[bytes, tuple[int, int, Any]] = {}
_REPLIES_MAX = 256
_REPLIES_BYTES = [0]
_REPLIES_BYTES_MAX = 1_000_000


def _number(message: Any, field: str) -> int:
    number: int = message.DESCRIPTOR.fields_by_name[field].number
    return number


def _tag(message: Any, field: str, wire: int) -> int:
    return (_number(message, field) << 3) | wire


_S2C = Qot_UpdateOrderBook_pb2.S2C
_RESPONSE = Qot_UpdateOrderBook_pb2.Response
_ASK, _BID = _tag(_S2C, SIDES[0], _WIRE_LEN), _tag(_S2C, SIDES[1], _WIRE_LEN)
_SECURITY = _tag(_S2C, "security", _WIRE_LEN)
_NAME = _tag(_S2C, "name", _WIRE_LEN)
_BID_TIME, _ASK_TIME = (_tag(_S2C, field, _WIRE_FIXED64) for field in TIMESTAMPS)
_OTHER_LEN = {_tag(_S2C, "svrRecvTimeBid", _WIRE_LEN), _tag(_S2C, "svrRecvTimeAsk", _WIRE_LEN)}
_OTHER_VARINT = {_tag(_S2C, "orderBookType", _WIRE_VARINT)}
_PRICE = _tag(WireLevel, "price", _WIRE_FIXED64)
_VOLUME = _tag(WireLevel, "volume", _WIRE_VARINT)
_COUNT = _tag(WireLevel, "orederCount", _WIRE_VARINT)
_DETAIL = _tag(WireLevel, "detailList", _WIRE_LEN)
_HP_VOLUME = _tag(WireLevel, "hpVolume", _WIRE_FIXED64)
_ORDER_ID = _tag(WireDetail, "orderID", _WIRE_VARINT)
_DETAIL_VOLUME = _tag(WireDetail, "volume", _WIRE_VARINT)
_RET_TYPE = _tag(_RESPONSE, "retType", _WIRE_VARINT)
_RET_MSG = _tag(_RESPONSE, "retMsg", _WIRE_LEN)
_ERR_CODE = _tag(_RESPONSE, "errCode", _WIRE_VARINT)
_BODY = _tag(_RESPONSE, "s2c", _WIRE_LEN)
# Every tag fits one byte (field numbers below 16), the fields have the types read here, and
# both protocols' Responses and S2Cs share one layout; otherwise the fast path is off and
# every book takes the checked path.
_F = FieldDescriptor
_TYPES: tuple[tuple[Any, str, int], ...] = (
    (WireLevel, "price", _F.TYPE_DOUBLE),
    (WireLevel, "volume", _F.TYPE_INT64),
    (WireLevel, "orederCount", _F.TYPE_INT32),
    (WireLevel, "detailList", _F.TYPE_MESSAGE),
    (WireLevel, "hpVolume", _F.TYPE_DOUBLE),
    (WireDetail, "orderID", _F.TYPE_INT64),
    (WireDetail, "volume", _F.TYPE_INT64),
    (_S2C, "security", _F.TYPE_MESSAGE),
    (_S2C, "name", _F.TYPE_STRING),
    (_S2C, TIMESTAMPS[0], _F.TYPE_DOUBLE),
    (_S2C, TIMESTAMPS[1], _F.TYPE_DOUBLE),
    (_RESPONSE, "retType", _F.TYPE_INT32),
    (_RESPONSE, "s2c", _F.TYPE_MESSAGE),
)


def _same_layout(one: Any, other: Any) -> bool:
    fields = {(f.name, f.number, f.type) for f in one.DESCRIPTOR.fields}
    return fields == {(f.name, f.number, f.type) for f in other.DESCRIPTOR.fields}


_FAST: Final = (
    all(t < 0x80 for t in (_ASK, _BID, _SECURITY, _NAME, _BID_TIME, _ASK_TIME, _PRICE, _VOLUME, _COUNT))
    and all(t < 0x80 for t in (_DETAIL, _HP_VOLUME, _RET_TYPE, _RET_MSG, _ERR_CODE, _BODY))
    and all(message.DESCRIPTOR.fields_by_name[field].type == kind for message, field, kind in _TYPES)
    and _same_layout(Qot_GetOrderBook_pb2.S2C, _S2C)
    and _same_layout(Qot_GetOrderBook_pb2.Response, _RESPONSE)
)


class _NotFast(Exception):
    """The bytes are not what the fast path reads: take the checked path."""


def _signed(value: int) -> int:
    """A varint's int64 (or sign-extended int32) value."""
    value &= (1 << 64) - 1
    return value - (1 << 64) if value >> 63 else value


def _finite_text(data: bytes, pos: int) -> str:
    value = _DOUBLE.unpack_from(data, pos)[0]
    if not math.isfinite(value):
        raise _NotFast
    return text_of(value)


def _parse_level(raw: bytes) -> BookLevel:
    """The BookLevel of one whole level field (tag, length, body), strictly in field order;
    _NotFast for anything else."""
    length, pos = _varint(raw, 1)
    end = len(raw)
    if length != end - pos or raw[pos] != _PRICE or end < pos + 9:
        raise _NotFast
    price = _finite_text(raw, pos + 1)
    if raw[pos + 9] != _VOLUME:
        raise _NotFast
    volume, pos = _varint(raw, pos + 10)
    if pos >= end or raw[pos] != _COUNT:
        raise _NotFast
    count, pos = _varint(raw, pos + 1)
    orders: list[OrderDetail] = []
    while pos < end and raw[pos] == _DETAIL:
        size, pos = _varint(raw, pos + 1)
        stop = pos + size
        if stop > end or raw[pos] != _ORDER_ID:
            raise _NotFast
        order_id, pos = _varint(raw, pos + 1)
        if pos >= stop or raw[pos] != _DETAIL_VOLUME:
            raise _NotFast
        detail_volume, pos = _varint(raw, pos + 1)
        if pos != stop:
            raise _NotFast
        orders.append(OrderDetail(str(_signed(order_id)), str(_signed(detail_volume))))
    size_text = str(_signed(volume))
    if pos < end:
        if raw[pos] != _HP_VOLUME or pos + 9 != end:
            raise _NotFast
        size_text = _finite_text(raw, pos + 1)
    order_count = _signed(count) & 0xFFFFFFFF
    order_count = order_count - (1 << 32) if order_count >> 31 else order_count
    return BookLevel(price, size_text, order_count, tuple(orders))


def _side(data: bytes, pos: int, end: int, tag: int) -> tuple[tuple[BookLevel, ...], int]:
    """The levels of the run of `tag` level fields at `pos` and the position after it
    (`end` is the end of `data`)."""
    get = _LEVELS.get
    levels: list[BookLevel] = []
    append = levels.append
    try:
        while data[pos] == tag:
            following = pos + 2 + data[pos + 1]
            level = get(data[pos:following])
            if level is None:  # a new level, or a length of two bytes (never a cached key:
                level, following = _new_level(data, pos, end)  # its real length is longer)
            append(level)
            pos = following
    except IndexError:  # the end of the S2C
        pass
    return tuple(levels), pos


def _new_level(data: bytes, pos: int, end: int) -> tuple[BookLevel, int]:
    """The level field at `pos` read (and cached), and the position after it."""
    size, following = _varint(data, pos + 1)
    following += size
    if following > end:
        raise _NotFast
    raw = data[pos:following]
    level = _LEVELS.get(raw)
    if level is None:
        if len(_LEVELS) >= _LEVELS_MAX:
            _LEVELS.clear()
        level = _LEVELS[raw] = _parse_level(raw)
    return level, following


def _symbol(raw: bytes) -> str:
    found = _SYMBOLS.get(raw)
    if found is None:
        security = Security.FromString(raw)
        if not security.IsInitialized():
            raise _NotFast
        found = symbol_of(security)
        if len(_SYMBOLS) >= _SYMBOLS_MAX:
            _SYMBOLS.clear()
        _SYMBOLS[raw] = found
    return found


def _fast_time(raw: bytes, field: str, message: str) -> datetime | None:
    """The timestamp of a double's 8 bytes (cached: both sides often share one)."""
    if raw in _TIMES:
        return _TIMES[raw]
    seconds = _DOUBLE.unpack(raw)[0]
    if not math.isfinite(seconds):
        raise _NotFast
    when = None if seconds <= 0 else utc_from_seconds(seconds, VENUE, message, (field,))
    if len(_TIMES) >= _SYMBOLS_MAX:
        _TIMES.clear()
    _TIMES[raw] = when
    return when


_Parts = tuple[str, tuple[BookLevel, ...], tuple[BookLevel, ...], datetime | None, datetime | None, str | None]
"""What a book is made of: symbol, bids, asks, bid and ask timestamps, name."""


def _fast_book(data: bytes, start: int, end: int, message: str, raw: object) -> OrderBook:
    """The book of the S2C in data[start:end], strictly in field order; _NotFast otherwise."""
    return _book_of(_fast_parts(data, start, end, message), raw)


def _book_of(parts: _Parts, raw: object) -> OrderBook:
    symbol, bids, asks, bid_time, ask_time, name = parts
    return OrderBook(
        venue=VENUE,
        symbol=symbol,
        bids=bids,
        asks=asks,
        bid_timestamp=bid_time,
        ask_timestamp=ask_time,
        name=name,
        raw=raw,
    )


def _fast_parts(data: bytes, start: int, end: int, message: str) -> _Parts:
    """The parts of the book of the S2C in data[start:end] (see `_fast_book`); the S2C is
    the last field of `data`."""
    if end != len(data) or start + 1 >= end or data[start] != _SECURITY:
        raise _NotFast
    size = data[start + 1]
    pos = start + 2
    if size >= 0x80:
        size, pos = _varint(data, start + 1)
    if pos + size > end:
        raise _NotFast
    raw = data[pos : pos + size]
    symbol = _SYMBOLS.get(raw) or _symbol(raw)
    pos += size
    asks: tuple[BookLevel, ...] = ()
    bids: tuple[BookLevel, ...] = ()
    if pos < end and data[pos] == _ASK:
        asks, pos = _side(data, pos, end, _ASK)
    if pos < end and data[pos] == _BID:
        bids, pos = _side(data, pos, end, _BID)
    if pos > end:
        raise _NotFast
    bid_time = ask_time = None
    name = None
    last = 0
    bid_tag, ask_tag, name_tag, times = _BID_TIME, _ASK_TIME, _NAME, _TIMES
    while pos < end:
        tag = data[pos]
        if tag <= last:  # out of order, a duplicate, a level after the others, a long tag
            raise _NotFast
        last = tag
        if tag == bid_tag:
            raw = data[pos + 1 : pos + 9]
            bid_time = times[raw] if raw in times else _fast_time(raw, TIMESTAMPS[0], message)
            pos += 9
        elif tag == ask_tag:
            raw = data[pos + 1 : pos + 9]
            ask_time = times[raw] if raw in times else _fast_time(raw, TIMESTAMPS[1], message)
            pos += 9
        elif tag == name_tag or tag in _OTHER_LEN:
            size = data[pos + 1]
            pos += 2
            if size >= 0x80:
                size, pos = _varint(data, pos - 1)
            if pos + size > end:
                raise _NotFast
            if tag == name_tag:
                name = data[pos : pos + size].decode()
            pos += size  # the other strings the book does not read
        elif tag in _OTHER_VARINT:
            _, pos = _varint(data, pos + 1)
        else:
            raise _NotFast
    if pos != end:
        raise _NotFast
    return (symbol, bids, asks, bid_time, ask_time, name)


def _s2c_span(body: bytes) -> tuple[int, int]:
    """(start, end) of the s2c of a Response body with retType success; _NotFast otherwise."""
    if body[0] != _RET_TYPE or body[1] != RetType.Succeed:  # a one-byte varint
        raise _NotFast
    pos = 2
    tag = body[pos]
    if tag == _RET_MSG:
        size = body[pos + 1]
        pos += 2 + size if size < 0x80 else sum(_varint(body, pos + 1))  # a string the book does not read
        tag = body[pos]
    if tag == _ERR_CODE:
        pos = _varint(body, pos + 1)[1]
        tag = body[pos]
    if tag != _BODY:
        raise _NotFast
    size, low = body[pos + 2], body[pos + 1]
    if low < 0x80:
        size, pos = low, pos + 2
    elif size < 0x80:  # the usual two-byte length
        size, pos = (low & 0x7F) | size << 7, pos + 3
    else:
        size, pos = _varint(body, pos + 1)
    if pos + size != len(body):
        raise _NotFast
    return pos, pos + size


def order_book_from_s2c(s2c: S2C, *, raw: object = None) -> OrderBook:
    """The normalized book of a Qot_GetOrderBook or Qot_UpdateOrderBook S2C, with `raw` as
    its `raw`; DecodeError for non-finite prices or sizes and out-of-range timestamps (see
    the module doc). Read from the message's bytes (the fast path) when it can be."""
    if _FAST:
        data = s2c.SerializePartialToString()
        checked = _CHECKED.pop(id(s2c), None)
        if checked is not None:
            _CHECKED_BYTES[0] -= len(checked[1])
        if checked is not None and checked[0] is s2c and checked[1] == data:
            return _book_of(checked[2], raw)  # `check_s2c` just read these very bytes
        try:
            return _fast_book(data, 0, len(data), _message(s2c), raw)
        except Exception:  # anything the fast path does not read: the checked path decides
            pass
    return checked_order_book_from_s2c(s2c, raw=raw)


def order_book_from_body(
    body: bytes, response: type[Qot_GetOrderBook_pb2.Response | Qot_UpdateOrderBook_pb2.Response]
) -> OrderBook:
    """The normalized book of a Qot_GetOrderBook or Qot_UpdateOrderBook Response body (a
    frame's body), without building the protobuf message when the bytes allow. DecodeError
    for a body that does not decode, a retType other than success, no s2c, and the values
    `order_book_from_s2c` refuses."""
    message = _message(response)
    if _FAST:
        try:
            start, end = _s2c_span(body)
            return _fast_book(body, start, end, message, None)
        except Exception:  # anything the fast path does not read: the checked path decides
            pass
    decoded = decode_proto(response, body)
    name = message.replace(".S2C", ".Response")
    if decoded.retType != RetType.Succeed:
        raise DecodeError(VENUE, name, ("retType",), f"retType {decoded.retType}: {decoded.retMsg or 'no message'}")
    if not decoded.HasField("s2c"):
        raise DecodeError(VENUE, name, ("s2c",), "a Response without s2c")
    return checked_order_book_from_s2c(decoded.s2c)
