"""The QFEX trade WebSocket, sans I/O: the URL, the frames we send, the frames we read, and
the state of one connection. No sockets, no clock, no event loop; `venuewire.qfex.client`
moves the text.

One connection goes OPEN -> AUTHENTICATING -> READY -> CLOSED:

    OPEN            connected; `auth(frame)` sends the auth frame     -> AUTHENTICATING
    AUTHENTICATING  {"authenticated": true}                           -> READY
                    an error envelope, {"authenticated": false} or an
                    unreadable frame                                  -> CLOSED (AuthFailed)
    READY           `get_order(symbol, order_id)` or `request(...)` (any request the registry
                    declares: its frame, reply key and reply class) sends one request; the
                    next answer (its reply or an error envelope) is its answer
    CLOSED          nothing more is sent or paired

QFEX answers carry no request id and are sent in request order, so the session allows ONE
request in flight and pairs the next answer with it. A request that is abandoned (its caller
timed out or was cancelled) or answered by a frame that is not even JSON leaves the pairing
unknown: the session closes, and the client opens a new connection for the next request.
Frames that are neither an answer nor an error (pushes of channels we never subscribe to,
and anything new) are `Ignored`, as is an error that echoes a frame other than get_order.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from typing import Final

import msgspec
import yarl

from venuewire.credentials import QfexCredentials
from venuewire.errors import AuthError, DecodeError, VenueError
from venuewire.generated.qfex.all_orders_response import AllOrdersResponse, AllOrdersResponseMessage
from venuewire.generated.qfex.auth_response import AuthResponse
from venuewire.generated.qfex.error import ErrorMessage
from venuewire.generated.qfex.get_order import GetOrder, GetOrderParams
from venuewire.generated.qfex.legacy_error import LegacyErrorMessage
from venuewire.generated.registry import WS_QFEX_TRADE, required
from venuewire.messages import decode_json, encode_json
from venuewire.qfex.errors import VENUE, QfexError, qfex_error
from venuewire.qfex.orders import check_response
from venuewire.signing import QfexAuthFrame, qfex_ws_query

__all__ = [
    "AUTH_WITHIN_S",
    "FRAME",
    "MAX_SYMBOL_LEN",
    "Answered",
    "AuthFailed",
    "AuthReply",
    "Authenticated",
    "ErrorReply",
    "Event",
    "GetOrderRequest",
    "Ignored",
    "Incoming",
    "Malformed",
    "OrdersReply",
    "OtherFrame",
    "PendingRequest",
    "Refused",
    "State",
    "TradeSession",
    "Unreadable",
    "check_get_order",
    "decode_frame",
    "encode_auth",
    "encode_get_order",
    "trade_url",
]

AUTH_WITHIN_S: Final[int] = required(WS_QFEX_TRADE.auth_within_s, "qfex trade auth_within_s")
"""Seconds QFEX gives a new connection to authenticate (registry)."""
FRAME: Final = "trade frame"
"""`DecodeError.message_name` of a frame that is not a JSON object at all."""
MAX_SYMBOL_LEN: Final = 64
_SYMBOL: Final = re.compile(r"[A-Za-z0-9][A-Za-z0-9._/:-]*")
_UUID: Final = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
_ENVELOPE: Final = msgspec.json.Decoder(dict[str, msgspec.Raw])
_TEXT: Final = msgspec.json.Decoder(str)
_ECHO_KINDS: Final = frozenset({None, "get_order"})


# ---------------------------------------------------------------- what we send


def trade_url(url: str, credentials: QfexCredentials) -> yarl.URL:
    """`url` with `?api_key=<public key>` added (other query parameters kept).

    `url` is `ws://` or `wss://host[:port][/path]` (the registry's `wss://trade.qfex.com`, or
    a simulator's). Raises TypeError/ValueError naming `url`.
    """
    if not isinstance(url, str):
        raise TypeError("url must be a str")
    try:
        parsed = yarl.URL(url)
    except (ValueError, TypeError) as exc:
        raise ValueError(f"url is not a URL: {exc}") from None
    if parsed.scheme not in ("ws", "wss") or not parsed.host:
        raise ValueError(f"url must be ws://host[:port] or wss://host[:port], got {url!r}")
    if parsed.fragment:
        raise ValueError("url must not have a fragment")
    query = qfex_ws_query(credentials)
    if any(name in parsed.query for name in query):
        raise ValueError(f"url must not carry {', '.join(query)}: it is added from the credentials")
    return parsed.update_query(query)


def check_get_order(symbol: str, order_id: str) -> None:
    """ValueError/TypeError naming the argument unless `symbol` is a market name (letters,
    digits and `._/:-`, at most 64 characters, e.g. AAPL-USD) and `order_id` a UUID in text
    form (QFEX's order ids)."""
    if not isinstance(symbol, str):
        raise TypeError("symbol must be a str")
    if not symbol or len(symbol) > MAX_SYMBOL_LEN or not _SYMBOL.fullmatch(symbol):
        raise ValueError(f"symbol must be a market name such as AAPL-USD, got {symbol[:80]!r}")
    if not isinstance(order_id, str):
        raise TypeError("order_id must be a str")
    if not _UUID.fullmatch(order_id):
        raise ValueError(f"order_id must be a UUID such as 57cc1941-8ad1-4df3-b34c-bb556518befc, got {order_id[:80]!r}")


def encode_get_order(symbol: str, order_id: str) -> str:
    """`{"type":"get_order","params":{"symbol":..,"order_id":..}}`, checked first (`check_get_order`)."""
    check_get_order(symbol, order_id)
    return encode_json(GetOrder(type="get_order", params=GetOrderParams(symbol=symbol, order_id=order_id))).decode()


def encode_auth(frame: QfexAuthFrame) -> str:
    """The auth frame (from `venuewire.signing.qfex_auth_frame`) as JSON text."""
    return msgspec.json.encode(frame).decode()


# ---------------------------------------------------------------- what we read


@dataclass(frozen=True, slots=True)
class AuthReply:
    """`{"authenticated": bool}`."""

    authenticated: bool


@dataclass(frozen=True, slots=True)
class OrdersReply:
    """`{"all_orders_response": {...}}`, the answer to get_order."""

    response: AllOrdersResponse


@dataclass(frozen=True, slots=True)
class ErrorReply:
    """An error envelope (either form) as its exception."""

    error: QfexError

    @property
    def echoed_type(self) -> str | None:
        """The `type` of the echoed client frame, when the venue echoed one."""
        incoming = self.error.incoming_message
        kind = incoming.get("type") if incoming is not None else None
        return kind if isinstance(kind, str) else None


@dataclass(frozen=True, slots=True)
class OtherFrame:
    """A JSON object that is none of the above (e.g. a push); `keys` are its top-level keys."""

    keys: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Malformed:
    """A frame of a known kind that does not match its schema (the error names the field)."""

    error: DecodeError


@dataclass(frozen=True, slots=True)
class Unreadable:
    """A frame that is not a JSON object at all."""

    error: DecodeError


Incoming = AuthReply | OrdersReply | ErrorReply | OtherFrame | Malformed | Unreadable


def _error_reply(data: str | bytes, legacy: bool) -> ErrorReply:
    if legacy:
        old = decode_json(LegacyErrorMessage, data)
        code, message, incoming = old.error_code, old.message, old.incoming_message
    else:
        body = decode_json(ErrorMessage, data).err
        code, message, incoming = body.error_code, body.message, body.incoming_message
    return ErrorReply(
        qfex_error(
            str(code.value),
            message if isinstance(message, str) else None,
            incoming if isinstance(incoming, dict) else None,
            legacy=legacy,
        )
    )


def decode_frame(data: str | bytes) -> Incoming:
    """Classify and decode one frame from the venue. Never raises: a bad frame is a
    `Malformed` or `Unreadable` carrying the DecodeError. An all_orders_response is also
    checked value by value (`venuewire.qfex.orders.check_response`: finite numbers, update
    times that are dates), so a typed answer never holds a value its field cannot mean."""
    try:
        envelope = _ENVELOPE.decode(data)
    except msgspec.DecodeError as exc:  # ValidationError (not an object) is a DecodeError too
        return Unreadable(DecodeError(VENUE, FRAME, (), f"not a JSON object: {exc}"))
    except UnicodeDecodeError as exc:  # msgspec raises it for invalid UTF-8 inside a key
        return Unreadable(DecodeError(VENUE, FRAME, (), f"not valid UTF-8 at byte {exc.start}: {exc.reason}"))
    try:
        if "err" in envelope:
            return _error_reply(data, legacy=False)
        if "all_orders_response" in envelope:
            return OrdersReply(check_response(decode_json(AllOrdersResponseMessage, data).all_orders_response))
        if "authenticated" in envelope:
            return AuthReply(decode_json(AuthResponse, data).authenticated)
        kind = envelope.get("type")
        if kind is not None and "error_code" in envelope and _type_text(kind) == "error":
            return _error_reply(data, legacy=True)
    except DecodeError as exc:
        return Malformed(exc)
    return OtherFrame(tuple(envelope))


def _type_text(raw: msgspec.Raw) -> str | None:
    try:
        return _TEXT.decode(raw)
    except (msgspec.DecodeError, UnicodeDecodeError):
        return None


# ---------------------------------------------------------------- one connection


class State(enum.Enum):
    OPEN = "open"
    AUTHENTICATING = "authenticating"
    READY = "ready"
    CLOSED = "closed"


@dataclass(frozen=True, slots=True)
class GetOrderRequest:
    symbol: str
    order_id: str


@dataclass(frozen=True, slots=True)
class PendingRequest:
    """A request sent by `TradeSession.request`: the frame's `type`, the key of the reply's
    one top-level field and the reply's message class (from the registry's WsRequest)."""

    kind: str
    reply_key: str
    reply: type[msgspec.Struct]
    pair: tuple[tuple[str, str], ...] = ()
    """(field, value) pairs the answer's `reply_key` object must carry (the registry's
    `pair_by` params as sent); a frame with `reply_key` that does not carry them is a push."""


@dataclass(frozen=True, slots=True)
class Authenticated:
    """The venue accepted the auth frame; requests may follow."""


@dataclass(frozen=True, slots=True)
class AuthFailed:
    """Authentication failed: `error` is the venue's refusal (a QfexError), an AuthError for
    `{"authenticated": false}`, or a DecodeError. The session is CLOSED."""

    error: VenueError


@dataclass(frozen=True, slots=True)
class Answered:
    """The in-flight request's answer: get_order's AllOrdersResponse, or a `PendingRequest`'s
    reply message."""

    request: GetOrderRequest | PendingRequest
    response: AllOrdersResponse | msgspec.Struct


@dataclass(frozen=True, slots=True)
class Refused:
    """The in-flight request failed with `error` (a QfexError or a DecodeError). When
    `close` is True the pairing of answers is lost and the session is CLOSED."""

    request: GetOrderRequest | PendingRequest
    error: VenueError
    close: bool = False


@dataclass(frozen=True, slots=True)
class Ignored:
    """A frame that answers nothing pending; `error` when it was an error or bad frame."""

    what: str
    error: VenueError | None = None


Event = Authenticated | AuthFailed | Answered | Refused | Ignored


class TradeSession:
    """The state of one trade WebSocket connection (see the module docstring).

    Illegal calls (a request before READY, a second request in flight) raise RuntimeError
    naming the state; they are programming errors, never venue behaviour.
    """

    def __init__(self) -> None:
        self.state = State.OPEN
        self.in_flight: GetOrderRequest | PendingRequest | None = None

    def __repr__(self) -> str:
        return f"TradeSession(state={self.state.name}, in_flight={self.in_flight!r})"

    def auth(self, frame: QfexAuthFrame) -> str:
        """The auth frame's text to send; OPEN -> AUTHENTICATING."""
        self._require(State.OPEN, "authenticate")
        self.state = State.AUTHENTICATING
        return encode_auth(frame)

    def get_order(self, symbol: str, order_id: str) -> str:
        """The get_order frame's text to send (arguments checked first); needs READY and
        nothing in flight."""
        text = encode_get_order(symbol, order_id)
        self._require(State.READY, "send get_order")
        if self.in_flight is not None:
            raise RuntimeError(f"a request is already in flight ({self.in_flight!r}); QFEX pairs answers by order")
        self.in_flight = GetOrderRequest(symbol, order_id)
        return text

    def request(self, text: str, pending: PendingRequest) -> str:
        """Send `text`, the frame of the request `pending` describes; needs READY and nothing
        in flight. Its answer is the next frame holding `pending.reply_key` (decoded as
        `pending.reply`) or an error envelope echoing no frame or a frame of its kind."""
        self._require(State.READY, f"send {pending.kind}")
        if self.in_flight is not None:
            raise RuntimeError(f"a request is already in flight ({self.in_flight!r}); QFEX pairs answers by order")
        self.in_flight = pending
        return text

    def abandon(self) -> None:
        """The in-flight request will not be waited for: its answer could be taken for the
        next one's, so the session closes."""
        if self.in_flight is not None:
            self.in_flight = None
            self.state = State.CLOSED

    def close(self) -> None:
        self.state = State.CLOSED
        self.in_flight = None

    def _require(self, state: State, what: str) -> None:
        if self.state is not state:
            raise RuntimeError(f"cannot {what} in state {self.state.name} (needs {state.name})")

    def receive(self, data: str | bytes) -> Event:
        """What one frame from the venue means now."""
        incoming = decode_frame(data)
        if self.state is State.AUTHENTICATING:
            return self._authenticating(incoming)
        request = self.in_flight
        if self.state is not State.READY or request is None:
            return _ignored(incoming)
        # a frame that fails to decode answers whichever request is in flight
        if isinstance(incoming, Malformed):
            self.in_flight = None
            return Refused(request, incoming.error)
        if isinstance(incoming, Unreadable):
            self.close()
            return Refused(request, incoming.error, close=True)
        if isinstance(request, PendingRequest):
            return self._pending(request, data, incoming)
        if isinstance(incoming, OrdersReply):
            self.in_flight = None
            return Answered(request, incoming.response)
        if isinstance(incoming, ErrorReply) and incoming.echoed_type in _ECHO_KINDS:
            self.in_flight = None
            return Refused(request, incoming.error)
        return _ignored(incoming)

    def _pending(self, request: PendingRequest, data: str | bytes, incoming: Incoming) -> Event:
        if isinstance(incoming, OrdersReply) and request.reply is AllOrdersResponseMessage:
            self.in_flight = None
            return Answered(request, AllOrdersResponseMessage(all_orders_response=incoming.response))
        if isinstance(incoming, OtherFrame) and request.reply_key in incoming.keys:
            try:
                reply = decode_json(request.reply, data)
            except DecodeError as exc:
                self.in_flight = None
                return Refused(request, exc)
            inner = getattr(reply, request.reply_key, None)
            if any(getattr(inner, name, None) != value for name, value in request.pair):
                return Ignored(f"{request.reply_key} of another request (a push)")
            self.in_flight = None
            return Answered(request, reply)
        if isinstance(incoming, ErrorReply) and incoming.echoed_type in (None, request.kind):
            self.in_flight = None
            return Refused(request, incoming.error)
        return _ignored(incoming)

    def _authenticating(self, incoming: Incoming) -> Event:
        if isinstance(incoming, AuthReply):
            if incoming.authenticated:
                self.state = State.READY
                return Authenticated()
            self.close()
            return AuthFailed(AuthError(VENUE, 'the venue answered {"authenticated": false}'))
        if isinstance(incoming, ErrorReply) and incoming.echoed_type in (None, "auth"):
            self.close()
            return AuthFailed(incoming.error)
        if isinstance(incoming, (Malformed, Unreadable)):
            self.close()
            return AuthFailed(incoming.error)
        return _ignored(incoming)


def _ignored(incoming: Incoming) -> Ignored:
    if isinstance(incoming, ErrorReply):
        return Ignored(f"error {incoming.error.error_code}", incoming.error)
    if isinstance(incoming, (Malformed, Unreadable)):
        return Ignored("unreadable frame", incoming.error)
    if isinstance(incoming, OtherFrame):
        return Ignored(f"frame with keys {', '.join(incoming.keys[:5]) or '(none)'}")
    if isinstance(incoming, OrdersReply):
        return Ignored("all_orders_response with no request in flight")
    return Ignored(f"authenticated={incoming.authenticated}")
