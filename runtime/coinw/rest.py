"""The pure half of CoinW's `GET /v1/perpum/order` (get order information): argument
checks, the exact query string, and the reply turned into typed orders or a typed error.
No I/O and no clock (`venuewire.coinw.client` sends).

    GET {base_url}/v1/perpum/order?positionType=..[&sourceIds=1,2,..][&instrument=..]
        headers sign, api_key, timestamp                (REST_COINW_GET_ORDER_INFORMATION)

The query carries its parameters in that order, nothing percent-encoded (the commas of
`sourceIds` stay raw): it is the string that is signed and the string that is sent.
`instrument` is sent exactly as given: CoinW reads it case-insensitively ("btc" and "BTC"
are the same market), so it is not rewritten.

Replies, in the order they are checked:
    HTTP 429                                  -> RateLimited (retry_after from Retry-After)
    body `{"code":0,"data":[...]}`            -> the typed orders (null/absent data: none)
    body `{"code":N,"msg":..}`, N != 0        -> error_for("coinw", N, msg): 6000/6001/6003
                                                 AuthError, 29001/429 RateLimited, 1/402/9111
                                                 InvalidRequest, any other VenueError
    HTTP 401/403 without an envelope          -> AuthError
    any other HTTP status without an envelope -> error_for("coinw", status, "HTTP ...")
    anything else (not JSON, wrong types)     -> DecodeError naming the field path
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Final

from venuewire.errors import AuthError, DecodeError, RateLimited, VenueError, error_for, retry_after
from venuewire.generated.coinw.order import Order
from venuewire.generated.coinw.order_response import OrderResponse
from venuewire.generated.registry import REST_COINW_GET_ORDER_INFORMATION as ENDPOINT
from venuewire.messages import decode_json
from venuewire.signing import coinw_query

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
POSITION_TYPES: Final[tuple[str, ...]] = ENDPOINT.choices["positionType"]
"""positionType values the endpoint accepts (the registry's choices)."""


def _registry_int(value: int | None, what: str) -> int:
    if value is None:  # pragma: no cover - the registry always has it
        raise RuntimeError(f"registry: coinw get_order_information {what} is missing; edit schemas/registry.toml")
    return value


MAX_IDS: Final[int] = _registry_int(ENDPOINT.max_ids, "max_ids")
REQUESTS_PER_SECOND: Final[int] = _registry_int(ENDPOINT.requests_per_second, "requests_per_second")

_DIGITS: Final = re.compile(r"[0-9]+")
_INSTRUMENT: Final = re.compile(r"[A-Za-z0-9_]+")
_INSTRUMENT_MAX: Final = 40


def check_position_type(position_type: str) -> str:
    """`position_type` if it is one of POSITION_TYPES (exact case), else ValueError naming it."""
    if not isinstance(position_type, str):
        raise TypeError(f"position_type must be a str, got {type(position_type).__name__}")
    if position_type not in POSITION_TYPES:
        raise ValueError(f"position_type must be one of {', '.join(POSITION_TYPES)}; got {position_type!r}")
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
    if not _INSTRUMENT.fullmatch(instrument) or len(instrument) > _INSTRUMENT_MAX or not instrument.isascii():
        raise ValueError(
            f"instrument {instrument[:40]!r} must be a base currency such as BTC or 1000PEPE "
            f"(ASCII letters, digits and '_', at most {_INSTRUMENT_MAX} characters)"
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


def orders_result(status: int, headers: Mapping[str, str], body: bytes) -> list[Order]:
    """The typed orders of one reply, or the typed error it stands for (see the module
    docstring). Raises VenueError subclasses only."""
    if status == 429:
        raise RateLimited(VENUE, "HTTP 429: rate limit exceeded", 429, retry_after=retry_after(headers))
    try:
        reply = decode_json(OrderResponse, body)
    except DecodeError:
        if status in (401, 403):
            raise AuthError(VENUE, f"HTTP {status}: the request was refused", status) from None
        if status != 200:
            raise error_for(VENUE, status, f"HTTP {status}") from None
        raise
    if reply.code != 0:
        message = reply.msg if isinstance(reply.msg, str) else ""
        raise _with_retry_after(error_for(VENUE, reply.code, message), headers)
    if status != 200:
        raise error_for(VENUE, status, f"HTTP {status} with a success envelope")
    return list(reply.data) if isinstance(reply.data, list) else []
