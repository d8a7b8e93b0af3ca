"""An embedded QFEX trade WebSocket for tests, the demo and development: no account, no network.

One aiohttp server (`sim.url`, `ws://host:port/`, like WS_QFEX_TRADE's `wss://trade.qfex.com`)
for the keys it knows (`api_key` / `secret`, default DEFAULT_API_KEY / DEFAULT_SECRET; `serve()`
reads VENUEWIRE_QFEX_PUBLIC_KEY / VENUEWIRE_QFEX_SECRET first; `sim.add_key` adds more).
Client frames are `{"type": ..., "params": {...}}`; checks, in order:

    upgrade without ?api_key=, or with a key it does not know  -> HTTP 401, no WebSocket [guess:
                                                                  QFEX may instead accept and refuse
                                                                  the auth frame]
    no auth accepted within `auth_within_s` s (registry: 60)   -> close code 1008 [guess: the code]
    more than `rate_limit` (20) frames on one connection in
      any `rate_window_s` (1) s, sliding; every frame counts    -> RateLimited (a simulator setting:
                                                                  QFEX's own budget is per user,
                                                                  weighted, after auth only, see
                                                                  WS_QFEX_TRADE.rate_limit; not
                                                                  simulated yet)
    not a JSON object with a string "type"                     -> InvalidJSONFormat
    any type but auth before the connection is authenticated   -> PermissionDenied
    auth on an authenticated connection                        -> AlreadyAuthenticated
    auth params that do not match the auth schema              -> InvalidParameter [guess]
    auth with a jwt (or anything else) instead of hmac         -> PermissionDenied (the simulator
                                                                  checks HMAC only)
    auth: public_key is not the URL's api_key; nonce empty,
      over 100 characters or not hex; unix_ts more than
      `timestamp_tolerance_s` (30) from our clock; signature
      not hex(HMAC-SHA256(secret, f"{nonce}:{unix_ts}")); the
      nonce already accepted for this key within 15 minutes    -> PermissionDenied [guess: the 30 s]
    auth otherwise                                             -> {"authenticated": true}
    get_order params not {"symbol": 1-64 characters of
      letters, digits and ._/:-, "order_id": a UUID}           -> InvalidParameter
    get_order                                                  -> {"all_orders_response": {"orders":
                                                                  [...], "stop_orders": [...]}}
    any other request WS_QFEX_TRADE.requests declares, its
      frame not matching the request schema                    -> InvalidParameter
    any other request WS_QFEX_TRADE.requests declares          -> its reply schema's first example
                                                                  (venuewire.generated.qfex.examples)
    any other type (subscribe, add_order, ...)                 -> InvalidJSONFormat [guess: the
                                                                  simulator implements only these]

An error is `{"err": {"error_code", "message", "incoming_message"}}`, echoing the offending frame
as received (null when it is not a JSON object) [guess: whether QFEX echoes every frame, auth
included]; with `sim.error_form = "legacy"` it is the older `{"type": "error", "error_code",
"message"}`. A refused auth leaves the connection open (the deadline still runs) [guess]. The
server pings every `ping_interval_s` (the registry's WS_QFEX_TRADE.ping_interval_s, a [guess]: the
venue only says it pings) and closes a connection that does not pong (aiohttp's heartbeat).
Error codes, the auth deadline and the nonce rules come from the registry too.

get_order answers with the account's open or partly filled orders (ORDERS; never those in
CLOSED_ORDERS) whose symbol and order_id match (the UUID compared case-insensitively); plain
orders in `orders`, TAKE_PROFIT / STOP_LOSS / STOP_MARKET in `stop_orders`; both lists empty when
nothing matches (an unknown symbol included [guess]). Numbers are JSON floats, update_time float
seconds, trade_id null until a fill, as QFEX sends them; stop orders come in the documented
stop-order shape (no update_time, trade_id, take_profit, stop_loss). Every key sees the same account.

Layers: `expected_signature`, `verify_auth`, `get_order_reply`, `NonceBook`, `FrameLimit` and
`TradeConnection` are pure (frames and clocks in, frames out); `QfexSimulator` moves frames and
applies the `Fault`s in `sim.faults` (a set shared by every connection, applying to each reply
as it is written): DROP_CONNECTION, SLOW_REPLY, and GARBAGE_FRAME, which replaces each reply by a
text frame that is not JSON (GARBAGE). The connection machinery is
`venuewire.sim.server.WsSimulator`; the orders come from the package's data files.
"""

from __future__ import annotations

import hashlib
import hmac
import importlib
import os
import re
import time
from collections import deque
from collections.abc import Callable, Coroutine, Sequence
from dataclasses import dataclass, field
from typing import Any, Final, Literal

import msgspec
from aiohttp import web

from venuewire.credentials import QfexCredentials
from venuewire.generated.qfex.all_orders_response import AllOrdersResponse, AllOrdersResponseMessage
from venuewire.generated.qfex.auth import Auth, HmacAuthParams
from venuewire.generated.qfex.auth_response import AuthResponse
from venuewire.generated.qfex.error import ErrorBody, ErrorCode, ErrorMessage
from venuewire.generated.qfex.get_order import GetOrder
from venuewire.generated.qfex.legacy_error import LegacyErrorMessage
from venuewire.generated.qfex.order import Order, OrderStatus, OrderType
from venuewire.generated.registry import AUTH_SCHEMES, MESSAGES, WS_QFEX_TRADE, WsRequest, required
from venuewire.messages import encode_json
from venuewire.qfex.errors import code_named
from venuewire.sim.rest import examples
from venuewire.sim.server import Connection, Fault, Frame, SlidingWindow, WsSimulator, example, serve_until_cancelled

__all__ = [
    "CLOSED_ORDERS",
    "DEFAULT_API_KEY",
    "DEFAULT_SECRET",
    "DEMO_ORDER_ID",
    "DEMO_SYMBOL",
    "ORDERS",
    "Fault",
    "FrameLimit",
    "NonceBook",
    "QfexSimulator",
    "SeenAuth",
    "SimState",
    "SimStats",
    "TradeConnection",
    "expected_signature",
    "get_order_reply",
    "is_open",
    "serve",
    "verify_auth",
]

DEFAULT_API_KEY: Final = "qfex_pub_venuewire_sim"
DEFAULT_SECRET: Final = "venuewire-sim-qfex-secret"
AUTH_WITHIN_S: Final[int] = required(WS_QFEX_TRADE.auth_within_s, "qfex trade auth_within_s")
MAX_NONCE_LEN: Final[int] = required(WS_QFEX_TRADE.max_nonce_len, "qfex trade max_nonce_len")
NONCE_WINDOW_S: Final[int] = required(WS_QFEX_TRADE.nonce_unique_window_s, "qfex trade nonce_unique_window_s")
RATE_LIMIT: Final = 20
"""Frames per connection per second: a simulator setting, not the venue's budget (QFEX weighs
messages per user across connections, `WS_QFEX_TRADE.rate_limit`; not simulated yet)."""
PING_INTERVAL_S: Final[float] = float(required(WS_QFEX_TRADE.ping_interval_s, "qfex trade ping_interval_s"))
"""Seconds between the server's WebSocket pings (registry; a [guess] there)."""
TIMESTAMP_TOLERANCE_S: Final = float(
    required(AUTH_SCHEMES[WS_QFEX_TRADE.auth].timestamp_tolerance_s, "qfex timestamp_tolerance_s")
)
"""How far an auth frame's unix_ts may be from the server clock (registry; a [guess] there)."""
GARBAGE: Final = "<html><body><h1>502 Bad Gateway</h1></body></html>"
RECORD_LIMIT: Final = 10_000

RATE_LIMITED: Final = code_named("rate_limited")
INVALID_JSON: Final = code_named("invalid_json")
ALREADY_AUTHENTICATED: Final = code_named("already_authenticated")
INVALID_PARAMETER: Final = code_named("invalid_parameter")
PERMISSION_DENIED: Final = code_named("permission_denied")

_HEX: Final = re.compile(r"[0-9a-fA-F]+")
_SYMBOL: Final = re.compile(r"[A-Za-z0-9][A-Za-z0-9._/:-]{0,63}")
_UUID: Final = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
_STOP_TYPES: Final = frozenset({OrderType.TAKE_PROFIT, OrderType.STOP_LOSS, OrderType.STOP_MARKET})
_OPEN_STATUSES: Final = frozenset({OrderStatus.ACK, OrderStatus.MODIFIED})

Incoming = dict[str, Any]
"""A client frame that is a JSON object, as received."""


# --- the account's orders -------------------------------------------------------------------
# From the package's data files (validated by the schemas): the open (or partly filled) orders
# get_order can return, and the filled or cancelled ones it never returns.


def _orders(name: str) -> tuple[Order, ...]:
    reply = example(AllOrdersResponseMessage, name).all_orders_response
    return (*reply.orders, *(reply.stop_orders or ()))


ORDERS: Final[tuple[Order, ...]] = _orders("open_orders")
"""The account's open (or partly filled) orders: plain orders first, then stop orders."""
CLOSED_ORDERS: Final[tuple[Order, ...]] = _orders("closed_orders")
"""Orders the account also has that get_order never returns (filled, cancelled)."""
DEMO_SYMBOL: Final = ORDERS[0].symbol
DEMO_ORDER_ID: Final = ORDERS[0].order_id
"""An open AAPL-USD limit order in ORDERS (the order id of the venue's get_order example)."""


def is_open(order: Order) -> bool:
    """Open or partly filled: ACK or MODIFIED, or FILLED with quantity left."""
    status = order.status
    return status in _OPEN_STATUSES or (status is OrderStatus.FILLED and order.quantity_remaining > 0)


# --- pure parts -------------------------------------------------------------------------------


def expected_signature(secret: str, nonce: str, unix_ts: int) -> str:
    """Lower-case hex HMAC-SHA256(secret, f"{nonce}:{unix_ts}"), the signature QFEX expects."""
    return hmac.new(secret.encode(), f"{nonce}:{unix_ts}".encode(), hashlib.sha256).hexdigest()


class NonceBook:
    """The nonces accepted per key in the last `window_s` seconds (QFEX: 15 minutes); pure."""

    def __init__(self, window_s: float = NONCE_WINDOW_S) -> None:
        self.window_s = window_s
        self._seen: dict[str, dict[str, float]] = {}

    def seen(self, key: str, nonce: str, now: float) -> bool:
        """Whether `nonce` was accepted for `key` less than `window_s` before `now`."""
        accepted = self._seen.get(key, {}).get(nonce)
        return accepted is not None and now - accepted < self.window_s

    def add(self, key: str, nonce: str, now: float) -> None:
        nonces = self._seen.setdefault(key, {})
        for old in [n for n, t in nonces.items() if now - t >= self.window_s]:
            del nonces[old]
        nonces[nonce] = now


def verify_auth(  # noqa: PLR0917 - one argument per input of the check
    secret: str,
    url_key: str,
    proof: HmacAuthParams,
    now: float,
    tolerance_s: float,
    nonces: NonceBook,
) -> str | None:
    """None when the auth frame's `proof` proves `secret` for `url_key` at `now`, else why
    not (the PermissionDenied message). Checks the public key, the nonce's form, the
    timestamp, the signature, then that the nonce is fresh; does not record the nonce."""
    if proof.public_key != url_key:
        return "public_key is not the api_key of the connection"
    if not proof.nonce or len(proof.nonce) > MAX_NONCE_LEN or not _HEX.fullmatch(proof.nonce):
        return f"nonce must be 1 to {MAX_NONCE_LEN} hex characters"
    if abs(proof.unix_ts - now) > tolerance_s:
        return "unix_ts is too far from the server time"
    good = expected_signature(secret, proof.nonce, proof.unix_ts)
    if not hmac.compare_digest(proof.signature.encode(), good.encode()):
        return "signature does not match"
    if nonces.seen(url_key, proof.nonce, now):
        return "nonce was already used"
    return None


def get_order_reply(symbol: str, order_id: str) -> AllOrdersResponseMessage:
    """The all_orders_response for a checked get_order: the open orders with that symbol and
    order_id, stop types in stop_orders."""
    wanted = order_id.lower()
    found = [o for o in (*ORDERS, *CLOSED_ORDERS) if o.symbol == symbol and o.order_id == wanted and is_open(o)]
    return AllOrdersResponseMessage(
        AllOrdersResponse(
            orders=[o for o in found if o.type not in _STOP_TYPES],
            stop_orders=[o for o in found if o.type in _STOP_TYPES],
        )
    )


class FrameLimit:
    """At most `limit` frames in any `window_s` seconds (sliding); pure."""

    def __init__(self, limit: int, window_s: float) -> None:
        if limit < 1 or window_s <= 0:
            raise ValueError("rate_limit must be >= 1 and rate_window_s > 0")
        self.limit, self.window_s = limit, window_s
        self._window = SlidingWindow(window_s)

    def allow(self, now: float) -> bool:
        """Whether a frame at `now` may go (it then counts)."""
        if self._window.count(now) >= self.limit:
            return False
        self._window.add(now)
        return True


@dataclass
class SimStats:
    """What the simulator has seen and done (tests read these)."""

    connections: int = 0
    refused_connections: int = 0
    frames: int = 0
    authenticated: int = 0
    auth_refused: int = 0
    auth_timeouts: int = 0
    already_authenticated: int = 0
    unauthenticated: int = 0
    invalid_json: int = 0
    invalid_params: int = 0
    unsupported: int = 0
    rate_limited: int = 0
    served: int = 0
    dropped_by_fault: int = 0
    garbage_sent: int = 0


@dataclass(frozen=True, slots=True)
class SeenAuth:
    """One HMAC auth frame as checked: the URL's key, nonce, unix_ts, and why it was
    refused (None when accepted)."""

    api_key: str
    nonce: str
    unix_ts: int
    refused: str | None


@dataclass
class SimState:
    """What every connection shares. `error_form` picks the error envelope ("err" or
    "legacy"); changing it applies from the next error."""

    keys: dict[str, str] = field(default_factory=dict)
    nonces: NonceBook = field(default_factory=NonceBook)
    tolerance_s: float = TIMESTAMP_TOLERANCE_S
    rate_limit: int = RATE_LIMIT
    rate_window_s: float = 1.0
    error_form: Literal["err", "legacy"] = "err"
    stats: SimStats = field(default_factory=SimStats)
    auths: deque[SeenAuth] = field(default_factory=lambda: deque(maxlen=RECORD_LIMIT))

    def __repr__(self) -> str:  # never show the secrets
        return f"SimState(keys={sorted(self.keys)}, error_form={self.error_form!r})"


DECLARED_REQUESTS: Final[dict[str, WsRequest]] = {r.name: r for r in WS_QFEX_TRADE.requests}
"""Every request the registry declares on the trade socket, by frame type. Those without code
of their own here (all but get_order) are answered with their reply's first example."""


def _message_class(ref: str) -> type[msgspec.Struct]:
    venue, name = ref.split("/", 1)
    info = next(m for m in MESSAGES if m.venue == venue and m.name == name and m.format == "json")
    cls: type[msgspec.Struct] = getattr(importlib.import_module(info.module), info.class_name)
    return cls


def _encode(message: msgspec.Struct) -> str:
    return encode_json(message).decode()


class TradeConnection:
    """One connection, pure: `receive(text, now=, mono=)` returns the reply frames' text.
    `now` is Unix seconds (timestamps, nonces), `mono` a monotonic time (the rate limit)."""

    def __init__(self, shared: SimState, api_key: str) -> None:
        self.shared = shared
        self.api_key = api_key
        self.authenticated = False
        self.limit = FrameLimit(shared.rate_limit, shared.rate_window_s)

    def _error(self, code: str, message: str, incoming: Incoming | None) -> list[str]:
        if self.shared.error_form == "legacy":
            return [_encode(LegacyErrorMessage(type="error", error_code=ErrorCode(code), message=message))]
        body = ErrorBody(error_code=ErrorCode(code), message=message, incoming_message=incoming)
        return [_encode(ErrorMessage(body))]

    def receive(self, data: str | bytes, *, now: float, mono: float) -> list[str]:
        stats = self.shared.stats
        stats.frames += 1
        try:
            frame = msgspec.json.decode(data)
        except msgspec.DecodeError:
            frame = None
        incoming = frame if isinstance(frame, dict) else None
        if not self.limit.allow(mono):
            stats.rate_limited += 1
            return self._error(RATE_LIMITED, "too many messages: slow down", incoming)
        kind = incoming.get("type") if incoming is not None else None
        if incoming is None or not isinstance(kind, str):
            stats.invalid_json += 1
            return self._error(INVALID_JSON, 'expected a JSON object with a string "type"', incoming)
        if kind == "auth":
            return self._auth(incoming, now)
        if not self.authenticated:
            stats.unauthenticated += 1
            return self._error(PERMISSION_DENIED, "authenticate first", incoming)
        if kind == "get_order":
            return self._get_order(incoming)
        declared = DECLARED_REQUESTS.get(kind)
        if declared is not None:
            return self._example_reply(declared, incoming)
        stats.unsupported += 1
        return self._error(INVALID_JSON, f"unknown type {kind[:40]!r}: not a request the registry declares", incoming)

    def pushes(self) -> list[str]:
        """Nothing: the simulator implements no subscription on this socket."""
        return []

    def _auth(self, incoming: Incoming, now: float) -> list[str]:
        shared, stats = self.shared, self.shared.stats
        if self.authenticated:
            stats.already_authenticated += 1
            return self._error(ALREADY_AUTHENTICATED, "this connection is already authenticated", incoming)
        try:
            auth = msgspec.convert(incoming, Auth)
        except msgspec.ValidationError as exc:
            stats.invalid_params += 1
            return self._error(INVALID_PARAMETER, f"bad auth frame: {exc}", incoming)
        proof = auth.params.hmac
        if isinstance(proof, msgspec.UnsetType):
            stats.auth_refused += 1
            return self._error(PERMISSION_DENIED, "authentication failed: the simulator checks hmac only", incoming)
        refused = verify_auth(shared.keys[self.api_key], self.api_key, proof, now, shared.tolerance_s, shared.nonces)
        shared.auths.append(SeenAuth(self.api_key, proof.nonce, proof.unix_ts, refused))
        if refused is not None:
            stats.auth_refused += 1
            return self._error(PERMISSION_DENIED, f"authentication failed: {refused}", incoming)
        shared.nonces.add(self.api_key, proof.nonce, now)
        self.authenticated = True
        stats.authenticated += 1
        return [_encode(AuthResponse(authenticated=True))]

    def _example_reply(self, declared: WsRequest, incoming: Incoming) -> list[str]:
        stats = self.shared.stats
        try:
            msgspec.convert(incoming, _message_class(declared.request))
        except msgspec.ValidationError as exc:
            stats.invalid_params += 1
            return self._error(INVALID_PARAMETER, f"bad {declared.name}: {exc}", incoming)
        stats.served += 1
        venue, message = declared.reply.split("/", 1)
        return [examples(venue, message)[0].decode()]

    def _get_order(self, incoming: Incoming) -> list[str]:
        stats = self.shared.stats
        try:
            request = msgspec.convert(incoming, GetOrder)
        except msgspec.ValidationError as exc:
            stats.invalid_params += 1
            return self._error(INVALID_PARAMETER, f"bad get_order: {exc}", incoming)
        symbol, order_id = request.params.symbol, request.params.order_id
        if not _SYMBOL.fullmatch(symbol):
            stats.invalid_params += 1
            return self._error(INVALID_PARAMETER, "symbol is not a market name", incoming)
        if not _UUID.fullmatch(order_id):
            stats.invalid_params += 1
            return self._error(INVALID_PARAMETER, "order_id is not a UUID", incoming)
        stats.served += 1
        return [_encode(get_order_reply(symbol, order_id))]


# --- the aiohttp server ---------------------------------------------------------------------------


class QfexSimulator(WsSimulator[TradeConnection]):
    """The QFEX simulator: `async with QfexSimulator() as sim:`; `sim.url` is the ws:// URL
    (add `?api_key=`), `sim.port` the bound port.

    `auth_within_s` is the auth deadline (the registry's 60 s); `clock` (Unix seconds) is
    what unix_ts is compared with, within `timestamp_tolerance_s`; `rate_limit` frames per
    `rate_window_s` per connection; `ping_interval_s` (None: no pings) how often the server
    pings; `slow_reply_s` Fault.SLOW_REPLY's delay; `error_form` "err" or "legacy".
    `sim.auths` lists the HMAC auth frames checked.
    """

    venue = "qfex"
    close_timeout_s = 1.0

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        api_key: str = DEFAULT_API_KEY,
        secret: str = DEFAULT_SECRET,
        auth_within_s: float = AUTH_WITHIN_S,
        clock: Callable[[], float] = time.time,
        slow_reply_s: float = 2.0,
        timestamp_tolerance_s: float = TIMESTAMP_TOLERANCE_S,
        rate_limit: int = RATE_LIMIT,
        rate_window_s: float = 1.0,
        ping_interval_s: float | None = PING_INTERVAL_S,
        error_form: Literal["err", "legacy"] = "err",
    ) -> None:
        if auth_within_s <= 0 or slow_reply_s < 0 or timestamp_tolerance_s < 0:
            raise ValueError("auth_within_s must be positive, slow_reply_s and timestamp_tolerance_s not negative")
        if ping_interval_s is not None and ping_interval_s <= 0:
            raise ValueError("ping_interval_s must be positive or None")
        if error_form not in ("err", "legacy"):
            raise ValueError("error_form must be 'err' or 'legacy'")
        FrameLimit(rate_limit, rate_window_s)  # checks the numbers
        super().__init__(host, port, slow_reply_s=slow_reply_s, heartbeat=ping_interval_s)
        self.auth_within_s = auth_within_s
        self.clock = clock
        self.state = SimState(
            tolerance_s=timestamp_tolerance_s, rate_limit=rate_limit, rate_window_s=rate_window_s, error_form=error_form
        )
        self.add_key(api_key, secret)

    def __repr__(self) -> str:
        return f"QfexSimulator(host={self.host!r}, port={self.port}, faults={sorted(f.name for f in self.faults)})"

    def add_key(self, api_key: str, secret: str) -> None:
        """Accept another public key, whose auth frames are signed with `secret`."""
        if not isinstance(api_key, str) or not api_key or not isinstance(secret, str) or not secret:
            raise ValueError("api_key and secret must be non-empty strings")
        self.state.keys[api_key] = secret

    @property
    def url(self) -> str:
        return self.address("ws")

    @property
    def stats(self) -> SimStats:
        return self.state.stats

    @property
    def auths(self) -> list[SeenAuth]:
        return list(self.state.auths)

    @property
    def error_form(self) -> Literal["err", "legacy"]:
        return self.state.error_form

    @error_form.setter
    def error_form(self, form: Literal["err", "legacy"]) -> None:
        if form not in ("err", "legacy"):
            raise ValueError("error_form must be 'err' or 'legacy'")
        self.state.error_form = form

    @property
    def ping_interval_s(self) -> float | None:
        """Seconds between the server's pings (None: none), for connections accepted from now."""
        return self.heartbeat

    @ping_interval_s.setter
    def ping_interval_s(self, seconds: float | None) -> None:
        self.heartbeat = seconds

    # -- the venue's behaviour (WsSimulator hooks) -------------------------------------------------

    def _routes(self, router: web.UrlDispatcher) -> None:
        router.add_get("/", self._handle)

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        api_key = request.query.get("api_key", "")
        if api_key not in self.state.keys:
            self.stats.refused_connections += 1
            return web.Response(status=401, text="unknown or missing api_key")
        return await self.serve_ws(request, TradeConnection(self.state, api_key))

    def _connected(self, conn: Connection[TradeConnection]) -> None:
        self.stats.connections += 1

    def _helpers(self, conn: Connection[TradeConnection]) -> list[Coroutine[Any, Any, None]]:
        def count() -> None:
            self.stats.auth_timeouts += 1

        def authenticated() -> bool:
            return conn.session.authenticated

        return [self.close_unless(conn, self.auth_within_s, authenticated, "not authenticated in time", count)]

    async def _on_frame(self, conn: Connection[TradeConnection], data: Frame) -> Sequence[Frame]:
        return conn.session.receive(data, now=self.clock(), mono=time.monotonic())

    def _dropped(self, conn: Connection[TradeConnection]) -> None:
        self.stats.dropped_by_fault += 1

    def _garble(self, conn: Connection[TradeConnection], frame: Frame) -> Frame:
        self.stats.garbage_sent += 1
        return GARBAGE


async def serve(host: str, port: int, ready: Callable[[str, int], None]) -> None:
    """Run a QfexSimulator on host:port until cancelled; `ready(host, port)` once listening
    (port is the bound one when 0 was asked). The key and secret are VENUEWIRE_QFEX_PUBLIC_KEY
    and VENUEWIRE_QFEX_SECRET when set, else DEFAULT_API_KEY and DEFAULT_SECRET."""
    api_key = os.environ.get(QfexCredentials.ENV_PUBLIC_KEY) or DEFAULT_API_KEY
    secret = os.environ.get(QfexCredentials.ENV_SECRET) or DEFAULT_SECRET
    await serve_until_cancelled(QfexSimulator(host, port, api_key=api_key, secret=secret), ready)
