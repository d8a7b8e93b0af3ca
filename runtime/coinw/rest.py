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

Replies are read by `venuewire.rest.read_reply` through the registry's CoinW envelope
(`code` 0 is success, the text under `msg` or `message`, the orders under `data`): an envelope
code != 0 is error_for("coinw", code, text) (6000/6001/6003 AuthError, 29001/429 RateLimited,
1/402/9111 InvalidRequest, 500 and unknown codes VenueError); HTTP 401/403/429 and other
statuses without the envelope are typed by their status; anything else that is not the
documented reply (not JSON, wrong types, a NaN or infinite decimal) is a DecodeError naming
the field.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Final

from venuewire.generated.coinw.order import Order
from venuewire.generated.coinw.order_response import OrderResponse
from venuewire.generated.registry import REST_COINW_GET_ORDER_INFORMATION as ENDPOINT
from venuewire.generated.registry import required
from venuewire.rest import payload, read_reply
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
    "open_orders",
    "order_query",
    "orders_result",
]

VENUE: Final = "coinw"
PATH: Final[str] = ENDPOINT.path
POSITION_TYPES: Final[tuple[str, ...]] = ENDPOINT.choices["positionType"]
"""positionType values CoinW documents (the registry's choices); others are sent as given."""


MAX_IDS: Final[int] = required(ENDPOINT.max_ids, "coinw get_order_information max_ids")
REQUESTS_PER_SECOND: Final[int] = required(
    ENDPOINT.requests_per_second, "coinw get_order_information requests_per_second"
)

_DIGITS: Final = re.compile(r"[0-9]+")
_WORD: Final = re.compile(r"[A-Za-z0-9_]+")
_WORD_MAX: Final = 40


def _word(name: str, value: str, expected: str) -> str:
    """`value` when it is a str of ASCII letters, digits and "_" of at most _WORD_MAX
    characters (text that can be sent unencoded); TypeError/ValueError naming `name`, with
    `expected` saying what is asked for, otherwise."""
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a str, got {type(value).__name__}")
    if not _WORD.fullmatch(value) or len(value) > _WORD_MAX or not value.isascii():
        raise ValueError(
            f"{name} {value[:40]!r} must be {expected} (ASCII letters, digits and '_', at most {_WORD_MAX} characters)"
        )
    return value


def check_position_type(position_type: str) -> str:
    """`position_type` as given: one of POSITION_TYPES, or any other word (ASCII letters, digits
    and "_", at most 40 characters), which is the venue's to accept or refuse. TypeError for a
    non-str; ValueError naming `position_type` for text that cannot be sent unencoded."""
    return _word("position_type", position_type, f"one of {', '.join(POSITION_TYPES)} or another word")


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
    return _word("instrument", instrument, "a base currency such as BTC or 1000PEPE")


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


def orders_result(status: int, headers: Mapping[str, str], body: bytes) -> list[Order]:
    """The typed orders of one reply (null or absent `data`: none), or the typed error it
    stands for (see the module docstring). Raises VenueError subclasses only."""
    return open_orders(read_reply(ENDPOINT, OrderResponse, status, headers, body))


def open_orders(reply: OrderResponse) -> list[Order]:
    """The orders of a decoded reply: its envelope payload (`data`; null or absent: none)."""
    orders = payload(ENDPOINT, reply)
    return [order for order in orders if isinstance(order, Order)] if isinstance(orders, list) else []
