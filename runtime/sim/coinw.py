"""An embedded CoinW futures REST venue for tests, the demo and development: no account, no network.

One aiohttp server (`sim.url`) serving `GET /v1/perpum/order` (REST_COINW_GET_ORDER_INFORMATION)
for the keys it knows (`api_key` / `secret`, default DEFAULT_API_KEY / DEFAULT_SECRET;
`serve()` reads VENUEWIRE_COINW_API_KEY / VENUEWIRE_COINW_SECRET first; `sim.add_key` adds
more). Every answer is HTTP 200 with CoinW's envelope `{"code":N,"msg":..,"data":..}`;
checks, in order (every code, limit, path and choice is the registry's, looked up by the
error's name; the numbers below are today's values):

    header api_key missing or unknown                      -> auth_failed, 6000
    header timestamp missing, not digits, or more than
      `timestamp_tolerance_s` (the auth scheme's, 30 s:
      a [guess]) away from our clock                        -> bad_sign, 6001 [guess: CoinW's code
                                                              for a stale timestamp is undocumented]
    header sign missing or not Base64(HMAC-SHA256(secret,
      timestamp + "GET" + path + "?" + raw query))          -> bad_sign, 6001
    more than `rate_limit` (requests_per_second, 10) from
      the key in any `rate_window_s` (1) s, sliding         -> rate_limited, 29001, or HTTP 429
                                                              with the same envelope when
                                                              rate_limit_reply="http429"
    positionType absent or empty                            -> missing_parameter, 402
    positionType not one of the registry's choices          -> invalid_parameter, 1 [guess: how
                                                              CoinW refuses an unknown kind is
                                                              undocumented]
    sourceIds: an empty or non-digit id, or more than
      max_ids (20)                                          -> invalid_parameter, 1
    instrument: not letters/digits/"_"                      -> invalid_parameter, 1
    instrument: not a market the simulator lists            -> not_tradable, 9111 [guess]
    otherwise                                               -> code 0 with the open orders of
                                                              that positionType (ORDERS)

The signature is checked over the query exactly as it arrived on the wire (nothing decoded
or re-encoded), as CoinW signs it; only the parameter values are percent-decoded for use.
The orders are fixed (ORDERS): per position type, the seed's plan order among them (id
33308753605637070, above 2^53, sent as a bare JSON integer), ids sent as strings in some
orders and as numbers in others, and decimals as strings in some fields and numbers in others,
as CoinW mixes them; a triggered market order with null orderPrice, margin and thirdOrderId,
and the fields CoinW sends beyond its docs' table (tradePiece, avgPrice, processStatus,
primaryId, stopLossType, stopProfitType, triggerType). `execute` also returns a plan order,
as the venue documents it may.
Filters: `sourceIds` keeps the orders whose id is listed; `instrument` keeps the orders of that
market, compared case-insensitively.

The trading endpoints (issue 14) are answered by `Desk` (`sim.desk`), one account's state, after
the same checks (the signature covers the JSON body exactly as it arrived, after the path):
place order (POST /v1/perpum/order), modify (PUT), cancel (DELETE), batch cancel (DELETE
/v1/perpum/batchOrders), current orders (/v1/perpum/orders/open), history
(/v1/perpum/orders/history), positions (/v1/perpum/positions, /positions/all), close position
(DELETE /v1/perpum/positions), assets (/v1/perpum/account/getUserAssets), and the unsigned
instruments and depth. Their data are files: data/coinw/positions_response/positions.json,
assets_response/assets.json, instruments_response/instruments.json, depth_response/<base>.json.
Refusals: a missing field 402, a wrong value 1, a body that is not a JSON object 1 [guess], an
unknown market 9111, an order or position id that is not open 9012 [doc: cancel an order], a
margin-mode change while the market has open orders 9050 [doc: place an order].

Every other [[rest]] route of CoinW in the registry is served too (`venuewire.sim.rest`): after
the same faults, signature and rate-limit checks it answers its response's example.

Layers: `verify_request`, `orders_reply` and `venuewire.sim.rest.KeyRateLimit` are pure (clock as an argument);
`CoinwSimulator` moves bytes and applies the `Fault`s in `sim.faults` (a mutable set, applying
from the next request while present): DROP_CONNECTION, GARBAGE_FRAME, SLOW_REPLY.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import re
import time
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from importlib import resources
from typing import Any, Final, Literal
from urllib.parse import parse_qsl

import msgspec
from aiohttp import web

from venuewire.credentials import CoinwCredentials
from venuewire.errors import error_code
from venuewire.generated.registry import (
    AUTH_SCHEMES,
    REST_COINW_BATCH_CANCEL_ORDERS,
    REST_COINW_CANCEL_ORDER,
    REST_COINW_CLOSE_POSITION,
    REST_COINW_GET_ALL_POSITIONS,
    REST_COINW_GET_CURRENT_ORDERS,
    REST_COINW_GET_DEPTH,
    REST_COINW_GET_INSTRUMENTS,
    REST_COINW_GET_ORDER_HISTORY,
    REST_COINW_GET_POSITIONS,
    REST_COINW_GET_USER_ASSETS,
    REST_COINW_MODIFY_ORDER,
    REST_COINW_PLACE_ORDER,
    RestEndpoint,
    required,
)
from venuewire.generated.registry import REST_COINW_GET_ORDER_INFORMATION as ENDPOINT
from venuewire.sim import rest
from venuewire.sim.server import AppSimulator, Fault

__all__ = [
    "BOOKS",
    "DEFAULT_API_KEY",
    "DEFAULT_SECRET",
    "MARKETS",
    "ORDERS",
    "CoinwSimulator",
    "Desk",
    "Fault",
    "SeenRequest",
    "SimStats",
    "TradingStats",
    "expected_sign",
    "orders_reply",
    "serve",
    "verify_request",
]

log = logging.getLogger(__name__)

DEFAULT_API_KEY: Final = "venuewire-sim-coinw-key"
DEFAULT_SECRET: Final = "venuewire-sim-coinw-secret"
PATH: Final[str] = ENDPOINT.path
POSITION_TYPES: Final[tuple[str, ...]] = ENDPOINT.choices["positionType"]
_AUTH: Final = AUTH_SCHEMES[ENDPOINT.auth]
SIGN_HEADER, API_KEY_HEADER, TIMESTAMP_HEADER = _AUTH.headers


MAX_IDS: Final[int] = required(ENDPOINT.max_ids, "get_order_information max_ids")
RATE_LIMIT: Final[int] = required(ENDPOINT.requests_per_second, "get_order_information requests_per_second")
TIMESTAMP_TOLERANCE_S: Final[int] = required(_AUTH.timestamp_tolerance_s, "auth timestamp_tolerance_s")
SEEN_KEPT: Final = 10_000

MARKETS: Final[frozenset[str]] = frozenset({"BTC", "ETH", "SOL", "1000PEPE", "BTC_USDC", "ETH_USDC"})
"""Markets (upper case) the simulator lists; any other instrument gets code 9111."""

GARBAGE: Final = b"<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>"

# Error replies: the registry's code (by name) and our own words for CoinW's documented meaning.
UNKNOWN_KEY: Final = (error_code("coinw", "auth_failed"), "authentication failed: the api_key is not known")
BAD_SIGN: Final = (error_code("coinw", "bad_sign"), "signature verification failed")
STALE: Final = (error_code("coinw", "bad_sign"), "the timestamp header is missing or outside the accepted window")
RATE_LIMITED: Final = (error_code("coinw", "rate_limited"), "too many requests: slow down")
MISSING_PARAMETER: Final = error_code("coinw", "missing_parameter")
INVALID_PARAMETER: Final = error_code("coinw", "invalid_parameter")
NOT_TRADABLE: Final = error_code("coinw", "not_tradable")
_DIGITS: Final = re.compile(r"[0-9]+")
_INSTRUMENT: Final = re.compile(r"[A-Za-z0-9_]+")


# --- the orders ---------------------------------------------------------------------------------

OPEN_ORDER_IDS: Final[dict[str, tuple[str, ...]]] = {
    "execute": ("33308753616147587", "1234567", "33308753605637070"),
    "plan": ("33308753605637070", "33308753606524437"),
    "moveStop": ("33308753620000001",),
    "stopProfitLoss": ("33308753630000002",),
    "planTrigger": ("33308753640000003",),
    "moveStopProfitLoss": ("33308753650000004",),
}
"""The simulator's state: the ids of the open orders per positionType. The orders themselves are
data, the `examples` of schemas/json/coinw/order.json (checked against the schema by codegen):
the seed's plan order field for field (id 33308753605637070), and orders as CoinW mixes their
types. A choice of the registry's without rows here is served as no open orders."""

_BY_ID: Final[dict[str, dict[str, Any]]] = {
    str(order["id"]): order for order in (json.loads(raw) for raw in rest.examples("coinw", "order"))
}
ORDERS: Final[dict[str, tuple[dict[str, Any], ...]]] = {
    kind: tuple(_BY_ID[i] for i in ids) for kind, ids in OPEN_ORDER_IDS.items()
}
"""The open orders served per positionType, as wire values (ints, floats, strings, None)."""


# --- pure parts -------------------------------------------------------------------------------


def expected_sign(secret: str, timestamp: str, method: str, path: str, raw_query: str) -> str:
    """The `sign` CoinW expects: Base64(HMAC-SHA256(secret, timestamp + METHOD + path +
    ("?" + raw_query if raw_query) )), the query exactly as it arrived."""
    return rest.expected_coinw_sign(secret, timestamp, method, path, raw_query)


_REFUSALS: Final[dict[rest.AuthRefusal, tuple[int, str]]] = {
    "unknown_key": UNKNOWN_KEY,
    "stale": STALE,
    "bad_sign": BAD_SIGN,
}


def verify_request(  # noqa: PLR0917 - one argument per part of the request
    keys: Mapping[str, str],
    headers: Mapping[str, str],
    method: str,
    path: str,
    raw_query: str,
    now_ms: int,
    tolerance_ms: int,
    endpoint: RestEndpoint = ENDPOINT,
    body: str = "",
) -> tuple[int, str] | None:
    """None when the request is authentic, else CoinW's (code, msg) for why not (see the
    module docstring). `headers` must look names up case-insensitively; `body` is the JSON
    body exactly as it arrived (signed after the query)."""
    arrived = rest.Arrived(headers, method, path, raw_query, body)
    why = rest.verify_auth(endpoint, keys, arrived, now_ms, tolerance_ms)
    return None if why is None else _REFUSALS[why]


def _failure(code: int, msg: str) -> dict[str, Any]:
    return {"code": code, "data": None, "msg": msg}


def orders_reply(params: list[tuple[str, str]]) -> dict[str, Any]:
    """The envelope answering an authentic request with these (decoded) query parameters
    (the first of a repeated name counts)."""
    values: dict[str, str] = {}
    for name, value in params:
        values.setdefault(name, value)
    position_type = values.get("positionType", "")
    if not position_type:
        return _failure(MISSING_PARAMETER, "missing parameter: positionType")
    if position_type not in POSITION_TYPES:
        return _failure(
            INVALID_PARAMETER, f"invalid parameter: positionType must be one of {', '.join(POSITION_TYPES)}"
        )
    orders = ORDERS.get(position_type, ())
    if "sourceIds" in values:
        ids = values["sourceIds"].split(",")
        if not all(_DIGITS.fullmatch(i) for i in ids):
            return _failure(INVALID_PARAMETER, "invalid parameter: sourceIds must be order ids joined by commas")
        if len(ids) > MAX_IDS:
            return _failure(INVALID_PARAMETER, f"invalid parameter: at most {MAX_IDS} sourceIds")
        wanted = set(ids)
        orders = tuple(o for o in orders if str(o["id"]) in wanted)
    if "instrument" in values:
        instrument = values["instrument"]
        if not _INSTRUMENT.fullmatch(instrument):
            return _failure(INVALID_PARAMETER, "invalid parameter: instrument")
        if instrument.upper() not in MARKETS:
            return _failure(NOT_TRADABLE, f"{instrument[:40]} is not tradable")
        orders = tuple(o for o in orders if str(o["instrument"]).upper() == instrument.upper())
    return {"code": 0, "data": list(orders), "msg": ""}


# --- trading state (issue 14): orders, positions, balances as data ------------------------------

NOT_FOUND: Final = error_code("coinw", "not_found")
MARGIN_MODE_LOCKED: Final = error_code("coinw", "margin_mode_locked")
ORDER_KINDS: Final[tuple[str, ...]] = REST_COINW_PLACE_ORDER.choices["positionType"]
MAX_BATCH_IDS: Final[int] = required(REST_COINW_BATCH_CANCEL_ORDERS.max_ids, "batch_cancel_orders max_ids")
FIRST_ORDER_ID: Final = 33308760000000001
"""Ids the simulator gives new orders (above 2^53, as CoinW's are), counting up."""
FIRST_POSITION_ID: Final = 2435521222640000001
PAGE_SIZE: Final = 20
"""Rows per page when a query names no pageSize [guess]."""
_REQUIRED_TERMS: Final = (
    "instrument",
    "direction",
    "leverage",
    "quantityUnit",
    "quantity",
    "positionModel",
    "positionType",
)
_UNITS: Final = {"quantityUnit": ("0", "1", "2"), "positionModel": ("0", "1"), "triggerType": ("0", "1")}


def sim_data(message: str, name: str) -> dict[str, Any]:
    """The JSON of `data/coinw/<message>/<name>.json` (schema-valid: tests/sim/test_data.py)."""
    path = resources.files("venuewire.sim").joinpath("data", "coinw", message, f"{name}.json")
    value: dict[str, Any] = json.loads(path.read_bytes())
    return value


BOOKS: Final[dict[str, dict[str, Any]]] = {name: sim_data("depth_response", name)["data"] for name in ("btc", "eth")}
"""The depth served per base currency (lower case): data/coinw/depth_response/<base>.json."""


def _positive(value: object) -> Decimal | None:
    """A positive finite decimal from a body value (text or a JSON number), else None."""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return None
    try:
        number = Decimal(str(value))
    except ArithmeticError:
        return None
    return number if number.is_finite() and number > 0 else None


def _text(value: object) -> str:
    return str(value) if isinstance(value, str | int) and not isinstance(value, bool) else ""


def body_object(body: str) -> dict[str, Any] | None:
    """The JSON object a request body holds, or None (not JSON, or not an object)."""
    return rest.json_object(body)


@dataclass
class TradingStats:
    """What the trading endpoints did (the `SimStats` counters cover every request)."""

    placed: int = 0
    cancelled: int = 0
    modified: int = 0
    closed: int = 0


class Desk:
    """One account's orders, positions and balances, as wire values (pure: times are arguments).

    Open orders live in `open` (id text -> order.json-shaped dict); cancelled and filled ones move
    to `history` (newest last). An `execute` order fills at once at the best opposite level of
    BOOKS (or its openPrice when no book is served) and opens a position; `plan` and `planTrigger`
    orders rest until cancelled, modified or closed. Positions start from
    data/coinw/positions_response/positions.json, balances from assets_response/assets.json."""

    def __init__(self) -> None:
        self.open: dict[str, dict[str, Any]] = {}
        self.history: list[dict[str, Any]] = []
        self.positions: dict[str, dict[str, Any]] = {
            str(p["id"]): dict(p) for p in sim_data("positions_response", "positions")["data"]
        }
        self.assets: dict[str, Any] = dict(sim_data("assets_response", "assets")["data"])
        self.instruments: list[dict[str, Any]] = list(sim_data("instruments_response", "instruments")["data"])
        self.stats = TradingStats()
        self._next_order = FIRST_ORDER_ID
        self._next_position = FIRST_POSITION_ID

    def _order_id(self) -> int:
        self._next_order += 1
        return self._next_order - 1

    # -- orders
    def _terms(self, body: dict[str, Any]) -> dict[str, Any] | tuple[int, str]:
        """The order a place or modify body describes, or CoinW's (code, msg) refusal."""
        for name in _REQUIRED_TERMS:
            if body.get(name) in (None, ""):
                return MISSING_PARAMETER, f"missing parameter: {name}"
        instrument = _text(body["instrument"])
        if instrument.upper() not in MARKETS:
            return NOT_TRADABLE, f"{instrument[:40]} is not tradable"
        if body["direction"] not in ("long", "short"):
            return INVALID_PARAMETER, "invalid parameter: direction must be long or short"
        kind = body["positionType"]
        if kind not in ORDER_KINDS:
            return INVALID_PARAMETER, f"invalid parameter: positionType must be one of {', '.join(ORDER_KINDS)}"
        for name in ("leverage", "quantity"):
            if _positive(body[name]) is None:
                return INVALID_PARAMETER, f"invalid parameter: {name} must be a positive number"
        for name, allowed in _UNITS.items():
            if name in body and _text(body[name]) not in allowed:
                return INVALID_PARAMETER, f"invalid parameter: {name} must be one of {', '.join(allowed)}"
        price: object = body.get("openPrice")
        if kind == "plan" and price is None:
            return MISSING_PARAMETER, "missing parameter: openPrice"
        if price is not None and _positive(price) is None:
            return INVALID_PARAMETER, "invalid parameter: openPrice must be a positive number"
        if kind == "planTrigger" and _positive(body.get("triggerPrice")) is None:
            return MISSING_PARAMETER, "missing parameter: triggerPrice"
        model = int(_text(body["positionModel"]))
        if any(o["instrument"] == instrument.upper() and o["positionModel"] != model for o in self.open.values()):
            return MARGIN_MODE_LOCKED, "The margin mode cannot be changed for existing orders."
        terms = {
            "instrument": instrument.upper(),
            "direction": body["direction"],
            "leverage": _text(body["leverage"]),
            "quantity": _text(body["quantity"]),
            "quantityUnit": int(_text(body["quantityUnit"])),
            "positionModel": model,
            "posType": kind,
            "originalType": kind,
            "orderPrice": _text(price) if price is not None else None,
            "triggerPrice": _text(body["triggerPrice"]) if "triggerPrice" in body else None,
            "stopLossPrice": _text(body["stopLossPrice"]) if "stopLossPrice" in body else None,
            "stopProfitPrice": _text(body["stopProfitPrice"]) if "stopProfitPrice" in body else None,
            "thirdOrderId": _text(body["thirdOrderId"]) if "thirdOrderId" in body else None,
        }
        return {k: v for k, v in terms.items() if v is not None or k == "orderPrice"}

    def _fill(self, order: dict[str, Any], now_ms: int) -> None:
        book = BOOKS.get(order["instrument"].lower())
        side = "asks" if order["direction"] == "long" else "bids"
        price = str(book[side][0]["p"]) if book and book[side] else order["orderPrice"]
        order.update(orderStatus="finish", avgPrice=price)
        self.history.append(order)
        position_id = self._next_position
        self._next_position += 1
        self.positions[str(position_id)] = {
            "id": position_id,
            "instrument": order["instrument"],
            "base": order["instrument"].lower(),
            "direction": order["direction"],
            "openPrice": price,
            "currentPiece": order["quantity"],
            "totalPiece": order["quantity"],
            "closedPiece": "0",
            "quantity": order["quantity"],
            "quantityUnit": order["quantityUnit"],
            "leverage": order["leverage"],
            "positionModel": order["positionModel"],
            "posType": "execute",
            "originalType": "execute",
            "status": "open",
            "source": "api",
            "createdDate": now_ms,
            "updatedDate": now_ms,
        }

    def place(self, body: dict[str, Any], now_ms: int) -> dict[str, Any]:
        """POST /v1/perpum/order: the envelope with data.value, the new order's id (null for
        planTrigger, as CoinW documents), or CoinW's refusal."""
        terms = self._terms(body)
        if isinstance(terms, tuple):
            return _failure(*terms)
        if terms["posType"] == "execute" and terms["orderPrice"] is None and not BOOKS.get(terms["instrument"].lower()):
            return _failure(INVALID_PARAMETER, "invalid parameter: no market price for this instrument")
        order_id = self._order_id()
        order = {"id": order_id, **terms, "orderStatus": "unFinish", "status": "open", "source": "api"}
        order.update(createdDate=now_ms, updatedDate=now_ms)
        self.stats.placed += 1
        if order["posType"] == "execute":
            self._fill(order, now_ms)
        else:
            self.open[str(order_id)] = order
        value = None if order["posType"] == "planTrigger" else str(order_id)
        return {"code": 0, "data": {"value": value}, "msg": ""}

    def _cancel(self, order_id: str, now_ms: int) -> bool:
        order = self.open.pop(order_id, None)
        if order is None:
            return False
        order.update(orderStatus="cancel", updatedDate=now_ms)
        self.history.append(order)
        self.stats.cancelled += 1
        return True

    def cancel(self, body: dict[str, Any], now_ms: int) -> dict[str, Any]:
        """DELETE /v1/perpum/order: code 0, or 9012 for an id that is not an open order [doc]."""
        order_id = _text(body.get("id"))
        if not order_id:
            return _failure(MISSING_PARAMETER, "missing parameter: id")
        if not self._cancel(order_id, now_ms):
            return _failure(NOT_FOUND, "Position not found.")
        return {"code": 0, "msg": ""}

    def batch_cancel(self, body: dict[str, Any], now_ms: int) -> dict[str, Any]:
        """DELETE /v1/perpum/batchOrders: cancels every listed open order; 9012 when none is [guess]."""
        ids = body.get("sourceIds")
        if not isinstance(ids, list) or not ids:
            return _failure(MISSING_PARAMETER, "missing parameter: sourceIds")
        if len(ids) > MAX_BATCH_IDS or not all(_DIGITS.fullmatch(_text(i)) for i in ids):
            return _failure(INVALID_PARAMETER, f"invalid parameter: sourceIds (at most {MAX_BATCH_IDS} order ids)")
        done = [self._cancel(_text(i), now_ms) for i in ids]
        return {"code": 0, "msg": ""} if any(done) else _failure(NOT_FOUND, "Position not found.")

    def modify(self, body: dict[str, Any], now_ms: int) -> dict[str, Any]:
        """PUT /v1/perpum/order: the open order `id` takes the body's terms under a new id
        (data.editId; data.originId the old one) [guess: CoinW replaces the order]."""
        origin = _text(body.get("id"))
        old = self.open.get(origin)
        if old is None:
            return _failure(NOT_FOUND, "Position not found.")
        terms = self._terms({k: v for k, v in body.items() if k != "id"} | {"positionModel": old["positionModel"]})
        if isinstance(terms, tuple):
            return _failure(*terms)
        if terms["posType"] == "execute":
            return _failure(INVALID_PARAMETER, "invalid parameter: an open order cannot become a market order")
        del self.open[origin]
        edit_id = self._order_id()
        self.open[str(edit_id)] = {**old, **terms, "id": edit_id, "updatedDate": now_ms}
        self.stats.modified += 1
        return {"code": 0, "data": {"editId": edit_id, "originId": old["id"]}, "msg": ""}

    @staticmethod
    def _page(rows: list[dict[str, Any]], params: Mapping[str, str]) -> dict[str, Any]:
        page = int(params["page"]) if _DIGITS.fullmatch(params.get("page", "")) else 1
        size = int(params["pageSize"]) if _DIGITS.fullmatch(params.get("pageSize", "")) else PAGE_SIZE
        page, size = max(page, 1), max(size, 1)
        chunk = rows[(page - 1) * size : page * size]
        return {"code": 0, "data": {"nextId": 0, "prevId": 0, "rows": chunk, "total": len(rows)}, "msg": ""}

    def current_orders(self, params: Mapping[str, str]) -> dict[str, Any]:
        """GET /v1/perpum/orders/open: a page of open orders of one instrument and kind."""
        for name in ("instrument", "positionType"):
            if not params.get(name):
                return _failure(MISSING_PARAMETER, f"missing parameter: {name}")
        market, kind = params["instrument"].upper(), params["positionType"]
        rows = [o for o in self.open.values() if o["instrument"] == market and o["posType"] == kind]
        return self._page(rows, params)

    def order_history(self, params: Mapping[str, str]) -> dict[str, Any]:
        """GET /v1/perpum/orders/history: finished and cancelled orders, newest first."""
        rows = list(reversed(self.history))
        if params.get("instrument"):
            rows = [o for o in rows if o["instrument"] == params["instrument"].upper()]
        if params.get("originType"):
            rows = [o for o in rows if o["originalType"] == params["originType"]]
        return self._page(rows, params)

    def positions_of(self, params: Mapping[str, str] | None) -> dict[str, Any]:
        """GET /v1/perpum/positions (one instrument) and /v1/perpum/positions/all (params None)."""
        rows = list(self.positions.values())
        if params is not None:
            if not params.get("instrument"):
                return _failure(MISSING_PARAMETER, "missing parameter: instrument")
            rows = [p for p in rows if p["instrument"] == params["instrument"].upper()]
        return {"code": 0, "data": rows, "msg": ""}

    def close(self, body: dict[str, Any], now_ms: int) -> dict[str, Any]:
        """DELETE /v1/perpum/positions: closes the position (all, `closeNum` of it, or the
        `closeRate` fraction) with a closing order filled at once; data.value is its id."""
        position = self.positions.get(_text(body.get("id")))
        if position is None:
            return _failure(NOT_FOUND, "Position not found.")
        held = Decimal(str(position["currentPiece"]))
        if "closeNum" in body:
            amount = _positive(body["closeNum"])
        elif "closeRate" in body:
            rate = _positive(body["closeRate"])
            amount = held * rate if rate is not None and rate <= 1 else None
        else:
            amount = held
        if amount is None or amount > held:
            return _failure(INVALID_PARAMETER, "invalid parameter: closeNum or closeRate")
        left = held - amount
        order_id = self._order_id()
        self.history.append(
            {
                "id": order_id,
                "instrument": position["instrument"],
                "direction": position["direction"],
                "quantity": str(amount),
                "quantityUnit": position["quantityUnit"],
                "posType": "execute",
                "originalType": "execute",
                "orderStatus": "finish",
                "status": "close",
                "source": "api",
                "createdDate": now_ms,
                "updatedDate": now_ms,
            }
        )
        if left == 0:
            del self.positions[_text(body["id"])]
        else:
            position.update(currentPiece=str(left), quantity=str(left), updatedDate=now_ms)
        self.stats.closed += 1
        return {"code": 0, "data": {"value": order_id}, "msg": ""}

    def user_assets(self) -> dict[str, Any]:
        """GET /v1/perpum/account/getUserAssets."""
        return {"code": 0, "data": self.assets, "msg": ""}

    def instruments_of(self, params: Mapping[str, str]) -> dict[str, Any]:
        """GET /v1/perpum/instruments: every contract, or the one `name` names (none: [])."""
        name = params.get("name", "").upper()
        rows = [i for i in self.instruments if not name or i["name"] == name]
        return {"code": 0, "data": rows, "msg": ""}

    @staticmethod
    def depth(params: Mapping[str, str]) -> dict[str, Any]:
        """GET /v1/perpumPublic/depth: the book of `base`, or 9111 for a market without one."""
        base = params.get("base", "")
        if not base:
            return _failure(MISSING_PARAMETER, "missing parameter: base")
        book = BOOKS.get(base.lower())
        if book is None:
            return _failure(NOT_TRADABLE, f"{base[:40]} is not tradable")
        return {"code": 0, "data": book, "msg": ""}

    def answer(
        self, endpoint: RestEndpoint, params: Mapping[str, str], body: str, now_ms: int
    ) -> dict[str, Any] | None:
        """The envelope for a trading endpoint (None: not one of them). A body that is not a JSON
        object is refused with invalid_parameter [guess]."""
        by_query: dict[str, Callable[[], dict[str, Any]]] = {
            REST_COINW_GET_CURRENT_ORDERS.name: lambda: self.current_orders(params),
            REST_COINW_GET_ORDER_HISTORY.name: lambda: self.order_history(params),
            REST_COINW_GET_POSITIONS.name: lambda: self.positions_of(params),
            REST_COINW_GET_ALL_POSITIONS.name: lambda: self.positions_of(None),
            REST_COINW_GET_USER_ASSETS.name: self.user_assets,
            REST_COINW_GET_INSTRUMENTS.name: lambda: self.instruments_of(params),
            REST_COINW_GET_DEPTH.name: lambda: self.depth(params),
        }
        by_body: dict[str, Callable[[dict[str, Any], int], dict[str, Any]]] = {
            REST_COINW_PLACE_ORDER.name: self.place,
            REST_COINW_CANCEL_ORDER.name: self.cancel,
            REST_COINW_MODIFY_ORDER.name: self.modify,
            REST_COINW_BATCH_CANCEL_ORDERS.name: self.batch_cancel,
            REST_COINW_CLOSE_POSITION.name: self.close,
        }
        if endpoint.name in by_query:
            return by_query[endpoint.name]()
        if endpoint.name not in by_body:
            return None
        fields = body_object(body)
        if fields is None:
            return _failure(INVALID_PARAMETER, "invalid parameter: the body must be a JSON object")
        return by_body[endpoint.name](fields, now_ms)


@dataclass(frozen=True, slots=True)
class SeenRequest:
    """One request as it arrived: the raw query (exactly the text after "?", undecoded), the
    api_key, timestamp and sign headers, the code answered (None when a fault dropped it, -1
    for garbage) and when it arrived (time.monotonic())."""

    raw_query: str
    api_key: str | None
    timestamp: str | None
    sign: str | None
    code: int | None
    arrived: float


@dataclass
class SimStats:
    """What the simulator has seen and done (tests read these)."""

    requests: int = 0
    served: int = 0
    """Requests answered with code 0 (an example reply included)."""
    unknown_key: int = 0
    bad_signature: int = 0
    bad_timestamp: int = 0
    """Requests refused for a `timestamp` header out of tolerance or not digits."""
    rate_limited: int = 0
    bad_params: int = 0
    """Authentic requests answered with a non-zero code for their parameters."""
    dropped_by_fault: int = 0
    garbage_sent: int = 0


# --- I/O --------------------------------------------------------------------------------------


class CoinwSimulator(AppSimulator):
    """The CoinW simulator: `async with CoinwSimulator(port=0) as sim:`; `sim.url` is the base URL.

    `timestamp_tolerance_s` is how far the `timestamp` header may be from `clock()` (the
    registry's auth scheme `timestamp_tolerance_s`, 30 s);
    `rate_limit` per `rate_window_s` is the per-key limit (the registry's 10 per second) and
    `rate_limit_reply` how it answers ("code": HTTP 200 with code 29001, "http429": HTTP 429
    with the same envelope). `slow_reply_s` is Fault.SLOW_REPLY's delay. `sim.seen` lists the
    requests as they arrived.
    """

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        api_key: str = DEFAULT_API_KEY,
        secret: str = DEFAULT_SECRET,
        timestamp_tolerance_s: float = TIMESTAMP_TOLERANCE_S,
        rate_limit: int = RATE_LIMIT,
        rate_window_s: float = 1.0,
        rate_limit_reply: Literal["code", "http429"] = "code",
        slow_reply_s: float = 2.0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        if timestamp_tolerance_s < 0 or slow_reply_s < 0:
            raise ValueError("timestamp_tolerance_s and slow_reply_s must not be negative")
        if rate_limit_reply not in ("code", "http429"):
            raise ValueError("rate_limit_reply must be 'code' or 'http429'")
        super().__init__(host, port)
        self._keys: dict[str, str] = {}
        self.add_key(api_key, secret)
        self.tolerance_ms = round(timestamp_tolerance_s * 1000)
        self.limit = rest.KeyRateLimit(rate_limit, rate_window_s, name="rate_limit")
        self.rate_limit_reply = rate_limit_reply
        self.slow_reply_s = slow_reply_s
        self.clock = clock
        self.faults: set[Fault] = set()
        self.stats = SimStats()
        self.desk = Desk()
        self.seen: deque[SeenRequest] = deque(maxlen=SEEN_KEPT)

    def __repr__(self) -> str:
        return f"CoinwSimulator(host={self.host!r}, port={self.port}, faults={sorted(f.name for f in self.faults)})"

    def add_key(self, api_key: str, secret: str) -> None:
        """Accept another api_key, signed with `secret` (rate-limited on its own)."""
        if not isinstance(api_key, str) or not api_key or not isinstance(secret, str) or not secret:
            raise ValueError("api_key and secret must be non-empty strings")
        self._keys[api_key] = secret

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    # -- lifecycle (AppSimulator) ----------------------------------------------------------------
    def _routes(self, router: web.UrlDispatcher) -> None:
        rest.RestRoutes("coinw", self._handle).add_to(router)

    # -- requests --------------------------------------------------------------------------------
    def _reply(self, envelope: dict[str, Any], status: int = 200) -> web.Response:
        return rest.json_response(msgspec.json.encode(envelope), status)

    def _record(self, request: web.Request, raw_query: str, code: int | None) -> None:
        headers = request.headers
        self.seen.append(
            SeenRequest(
                raw_query,
                headers.get(API_KEY_HEADER),
                headers.get(TIMESTAMP_HEADER),
                headers.get(SIGN_HEADER),
                code,
                time.monotonic(),
            )
        )

    async def _handle(self, endpoint: RestEndpoint, request: web.Request) -> web.StreamResponse:
        self.stats.requests += 1
        raw_path, _, raw_query = request.raw_path.partition("?")

        def dropped() -> None:
            self.stats.dropped_by_fault += 1
            self._record(request, raw_query, None)

        await rest.apply_faults(self.faults, request, self.slow_reply_s, dropped)
        if Fault.GARBAGE_FRAME in self.faults:
            self.stats.garbage_sent += 1
            self._record(request, raw_query, -1)
            return web.Response(status=200, body=GARBAGE, content_type="text/html")
        now_ms = round(self.clock() * 1000)
        body = (await request.read()).decode("utf-8", "surrogateescape")
        refused = verify_request(
            self._keys, request.headers, request.method, raw_path, raw_query, now_ms, self.tolerance_ms, endpoint, body
        )
        if refused is not None:
            code, msg = refused
            if refused == UNKNOWN_KEY:
                self.stats.unknown_key += 1
            elif refused == STALE:
                self.stats.bad_timestamp += 1
            else:
                self.stats.bad_signature += 1
            self._record(request, raw_query, code)
            return self._reply(_failure(code, msg))
        api_key = request.headers.get(API_KEY_HEADER) or f"ip:{request.remote}"  # public endpoints: per address
        if self.limit.wait(api_key, time.monotonic()) is not None:
            self.stats.rate_limited += 1
            self._record(request, raw_query, RATE_LIMITED[0])
            status = 429 if self.rate_limit_reply == "http429" else 200
            return self._reply(_failure(*RATE_LIMITED), status)
        traded = self.desk.answer(endpoint, dict(parse_qsl(raw_query, keep_blank_values=True)), body, now_ms)
        if traded is not None:
            code = int(traded["code"])
            if code == 0:
                self.stats.served += 1
            else:
                self.stats.bad_params += 1
            self._record(request, raw_query, code)
            return self._reply(traded)
        if endpoint != ENDPOINT:  # no behaviour of its own: the registry's example reply
            self.stats.served += 1
            self._record(request, raw_query, 0)
            return rest.json_response(rest.example_reply(endpoint))
        envelope = orders_reply(parse_qsl(raw_query, keep_blank_values=True))
        code = int(envelope["code"])
        if code == 0:
            self.stats.served += 1
        else:
            self.stats.bad_params += 1
        self._record(request, raw_query, code)
        return self._reply(envelope)


async def serve(host: str, port: int, ready: Callable[[str, int], None]) -> None:
    """Run a CoinwSimulator on host:port until cancelled; `ready(host, port)` once listening
    (port is the bound one when 0 was asked). The key and secret are VENUEWIRE_COINW_API_KEY
    and VENUEWIRE_COINW_SECRET when set, else DEFAULT_API_KEY and DEFAULT_SECRET."""
    api_key = os.environ.get(CoinwCredentials.ENV_API_KEY) or DEFAULT_API_KEY
    secret = os.environ.get(CoinwCredentials.ENV_SECRET) or DEFAULT_SECRET
    async with CoinwSimulator(host, port, api_key=api_key, secret=secret) as sim:
        ready(sim.host, sim.port)
        await asyncio.Event().wait()
