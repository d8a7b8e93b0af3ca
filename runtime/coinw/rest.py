"""The pure half of CoinW's `GET /v1/perpum/order` (get order information): argument
checks, the exact query string, and the reply turned into typed orders or a typed error.
No I/O and no clock (`venuewire.coinw.client` sends).

    GET {base_url}/v1/perpum/order?positionType=..[&sourceIds=1,2,..][&instrument=..]
        headers sign, api_key, timestamp                (REST_COINW_GET_ORDER_INFORMATION)

The query carries its parameters in that order, nothing percent-encoded (the commas of
`sourceIds` stay raw): it is the string that is signed and the string that is sent.
`instrument` is sent exactly as given: CoinW reads it case-insensitively ("btc" and "BTC"
are the same market), so it is not rewritten.

`positionType` is open: the registry's choices (execute, plan, moveStop, stopProfitLoss,
planTrigger, moveStopProfitLoss) are what CoinW documents, and any other value is sent as given
for the venue to accept or refuse (its refusal comes back as the typed error). Only what could
not be sent byte for byte unencoded is refused before sending.

Replies, in the order they are checked:
    HTTP 429                                  -> RateLimited (retry_after from Retry-After)
    body `{"code":0,"data":[...]}`            -> the typed orders (null/absent data: none); a NaN
                                                 or infinite decimal in any order field is a
                                                 DecodeError naming it
    body `{"code":N,"msg"|"message":..}`,     -> error_for("coinw", N, text): 6000/6001/6003
      N != 0                                     AuthError, 29001/429 RateLimited, 1/402/9111
                                                 InvalidRequest, 500 (bad URL) and any other a
                                                 VenueError; the text is the venue's own
    HTTP 401/403 without an envelope          -> AuthError
    any other HTTP status without an envelope -> VenueError(code=status): a gateway or server
                                                 error, never looked up as a body code
    anything else (not JSON, wrong types)     -> DecodeError naming the field path
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from decimal import Decimal
from http import HTTPStatus
from typing import Final

import msgspec

from venuewire.errors import AuthError, DecodeError, RateLimited, VenueError, error_for, retry_after
from venuewire.generated.coinw.order import Order
from venuewire.generated.coinw.order_response import OrderResponse
from venuewire.generated.registry import REST_COINW_GET_ORDER_INFORMATION as ENDPOINT
from venuewire.generated.registry import required
from venuewire.messages import decode_json
from venuewire.signing import coinw_query
from venuewire.values import finite_decimal

__all__ = [
    "MAX_IDS",
    "PATH",
    "POSITION_TYPES",
    "REQUESTS_PER_SECOND",
    "VENUE",
    "check_instrument",
    "check_position_type",
    "check_source_ids",
    "order_query",
    "orders_result",
]

VENUE: Final = "coinw"
PATH: Final[str] = ENDPOINT.path
MESSAGE: Final = "order_response"
POSITION_TYPES: Final[tuple[str, ...]] = ENDPOINT.choices["positionType"]
"""positionType values CoinW documents (the registry's choices); others are sent as given."""


MAX_IDS: Final[int] = required(ENDPOINT.max_ids, "coinw get_order_information max_ids")
REQUESTS_PER_SECOND: Final[int] = required(
    ENDPOINT.requests_per_second, "coinw get_order_information requests_per_second"
)

_DIGITS: Final = re.compile(r"[0-9]+")
_WORD: Final = re.compile(r"[A-Za-z0-9_]+")
_WORD_MAX: Final = 40


def check_position_type(position_type: str) -> str:
    """`position_type` as given: one of POSITION_TYPES, or any other word (ASCII letters, digits
    and "_", at most 40 characters), which is the venue's to accept or refuse. TypeError for a
    non-str; ValueError naming `position_type` for text that cannot be sent unencoded."""
    if not isinstance(position_type, str):
        raise TypeError(f"position_type must be a str, got {type(position_type).__name__}")
    if not _WORD.fullmatch(position_type) or len(position_type) > _WORD_MAX or not position_type.isascii():
        raise ValueError(
            f"position_type {position_type[:40]!r} must be one of {', '.join(POSITION_TYPES)} or another word "
            f"of ASCII letters, digits and '_' (at most {_WORD_MAX} characters) that can be sent unencoded"
        )
    return position_type


def check_source_ids(source_ids: Sequence[str | int]) -> list[str]:
    """The order ids to send, as decimal text: each a str of ASCII digits or a non-negative
    int (exact at any size, so ids above 2^53 are safe), duplicates dropped (first kept), at
    least one and at most MAX_IDS (20) after that. ValueError/TypeError naming
    `source_ids[i]` otherwise; a bare string is refused (pass `["123"]`, not `"123"`)."""
    if isinstance(source_ids, (str, bytes)):
        raise TypeError("source_ids must be a sequence of order ids such as ['33308753605637070'], not one string")
    out: list[str] = []
    seen: set[str] = set()
    for index, raw in enumerate(source_ids):
        if isinstance(raw, bool) or not isinstance(raw, (str, int)):
            raise TypeError(f"source_ids[{index}] must be a str or an int, got {type(raw).__name__}")
        if isinstance(raw, int):
            if raw < 0:
                raise ValueError(f"source_ids[{index}] must not be negative, got {raw}")
            text = str(raw)
        else:
            if not _DIGITS.fullmatch(raw):
                raise ValueError(f"source_ids[{index}] {raw[:40]!r} must be digits only (0-9)")
            text = raw
        if text not in seen:
            seen.add(text)
            out.append(text)
    if not out:
        raise ValueError("source_ids must name at least one order id (pass None for every open order)")
    if len(out) > MAX_IDS:
        raise ValueError(f"source_ids: at most {MAX_IDS} order ids per request, got {len(out)}")
    return out


def check_instrument(instrument: str) -> str:
    """`instrument` as given (CoinW reads it case-insensitively, so it is not rewritten): a
    base currency such as BTC, btc, 1000PEPE or BTC_USDC (letters, digits and "_", at most 40
    characters). ValueError naming `instrument` otherwise."""
    if not isinstance(instrument, str):
        raise TypeError(f"instrument must be a str, got {type(instrument).__name__}")
    if not _WORD.fullmatch(instrument) or len(instrument) > _WORD_MAX or not instrument.isascii():
        raise ValueError(
            f"instrument {instrument[:40]!r} must be a base currency such as BTC or 1000PEPE "
            f"(ASCII letters, digits and '_', at most {_WORD_MAX} characters)"
        )
    return instrument


def order_query(
    position_type: str, source_ids: Sequence[str | int] | None = None, instrument: str | None = None
) -> str:
    """The checked query string, exactly as it is signed and sent, e.g.
    `positionType=execute&sourceIds=33308753606524437,33308753605637070&instrument=btc`.
    Raises ValueError/TypeError naming the argument before anything could be sent."""
    params = [("positionType", check_position_type(position_type))]
    if source_ids is not None:
        params.append(("sourceIds", ",".join(check_source_ids(source_ids))))
    if instrument is not None:
        params.append(("instrument", check_instrument(instrument)))
    return coinw_query(params)


def _with_retry_after(error: VenueError, headers: Mapping[str, str]) -> VenueError:
    if isinstance(error, RateLimited) and error.retry_after is None:
        error.retry_after = retry_after(headers)
    return error


def _status_error(status: int) -> VenueError:
    """The error for an HTTP status that came without CoinW's envelope (a gateway's page, a
    proxy's refusal): the status is the code; it is never read as an envelope code."""
    if status in (401, 403):
        return AuthError(VENUE, f"HTTP {status}: the request was refused", status)
    try:
        reason = f" {HTTPStatus(status).phrase}"
    except ValueError:
        reason = ""
    what = "a gateway or server error" if status >= 500 else "not CoinW's JSON reply"
    return VenueError(VENUE, f"HTTP {status}{reason} without CoinW's envelope: {what}", status)


def _venue_text(reply: OrderResponse) -> str:
    """The venue's own words for an error: `msg`, or `message` when `msg` is absent or empty."""
    for text in (reply.msg, reply.message):
        if isinstance(text, str) and text:
            return text
    return ""


def _checked(orders: list[Order], body: bytes) -> list[Order]:
    """`orders`, once every Decimal in them is finite (DecodeError naming the first that is
    not). JSON numbers are finite, so only text can spell one: a body without "nan" or "inf"
    (any case) and without a \\u escape (which could spell them) is not walked."""
    lower = body.lower()
    if b"nan" not in lower and b"inf" not in lower and b"\\u" not in body:
        return orders
    for index, order in enumerate(orders):
        for name, value in zip(order.__struct_fields__, msgspec.structs.astuple(order), strict=True):
            if isinstance(value, Decimal) and not value.is_finite():
                finite_decimal(value, VENUE, MESSAGE, ("data", index, name))
    return orders


def orders_result(status: int, headers: Mapping[str, str], body: bytes) -> list[Order]:
    """The typed orders of one reply, or the typed error it stands for (see the module
    docstring). Raises VenueError subclasses only, none with another exception in its
    `__context__` chain but the decoder's own."""
    if status == 429:
        raise RateLimited(VENUE, "HTTP 429: rate limit exceeded", 429, retry_after=retry_after(headers))
    reply: OrderResponse | None = None
    failure: DecodeError | None = None
    try:
        reply = decode_json(OrderResponse, body)
    except DecodeError as exc:
        failure = exc
    if reply is None:
        assert failure is not None
        raise failure if status == 200 else _status_error(status)
    if reply.code != 0:
        raise _with_retry_after(error_for(VENUE, reply.code, _venue_text(reply)), headers)
    if status != 200:
        raise _status_error(status)
    return _checked(list(reply.data), body) if isinstance(reply.data, list) else []
