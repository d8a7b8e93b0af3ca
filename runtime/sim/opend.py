"""An embedded Futu/moomoo OpenD for tests, the demo and development: no account, no network.

Two layers, websockets/h11 style:

- `OpenDSession`: one client connection as a state machine with no I/O
  (HANDSHAKING --InitConnect--> READY --close--> CLOSED). Bytes go in with
  `receive_data()`, frames to write come out; `pushes()` gives the order-book pushes due
  at the current book step. It parses requests, checks proto2 required fields, keeps the
  connection's subscriptions and builds every reply with the generated classes.
- `OpenDSimulator`: the thin asyncio server (an asyncio Protocol per connection, no threads)
  that moves bytes between sockets and sessions and advances the book step every
  `push_interval` seconds.

Every request protoID the registry declares with a proto file is answered: the request is
decoded and checked, and the reply is its example Response (schemas/proto/futu/examples/,
shipped as venuewire.generated.futu.examples), so a new message needs no code here. Real
behaviour is code: InitConnect (plain, or RSA then AES-CBC / FTAES_ECB), KeepAlive (the
server's time), Qot_Sub (the connection's subscriptions), Qot_GetOrderBook (retType -1
unless the security was subscribed to SubType OrderBook on this connection) and
Qot_UpdateOrderBook pushes for push-registered subscriptions (odd-lot books for
OrderBook_Odd). Quotes, tickers, candles and time shares move over time
(venuewire.sim.opend_quotes: Qot_GetBasicQot, Qot_GetTicker, Qot_GetKL, Qot_GetRT,
Qot_RequestHistoryKL, Qot_GetSubInfo, Qot_GetBroker, Qot_GetSecuritySnapshot,
Qot_GetMarketState, Qot_GetStaticInfo and the Basic, Ticker, RT, Broker and KL_* pushes); Qot_Sub
refuses (retType -1) to go beyond `SimState.sub_quota` (OPEND.sub_quota) subscriptions
(security x subType) on a connection. The trading requests (Trd_*) and their pushes are
`venuewire.sim.opend_trade` (accounts, unlock, orders, fills). Any other subscription type
the registry links to a push protocol (OPEND.sub_types) brings that push's example, once per
push interval (and at once with isFirstPush) while some security has it push-registered, so
a new push needs no code here either. Like OpenD it refuses
(retType -1) an unsubscribe, or an unsubscribe-all, that would cancel a subscription younger
than OPEND.unsubscribe_after_s (a minute) by the simulator's clock. Any declared push
protoID's example goes out on `OpenDSimulator.push_example(protoID)`. Anything before
InitConnect closes the connection; a request missing required fields gets retType -500
naming them; an undeclared protoID gets retType -1. Books come from
`venuewire.sim.books.BookGenerator` (see `book_generator`).

`Fault`s in `OpenDSimulator.faults` (a set shared by every connection) apply from the next
frame written, for as long as they are in the set.
"""

from __future__ import annotations

import asyncio
import contextlib
import enum
import functools
import hashlib
import itertools
import logging
import secrets
import string
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Literal, cast

from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey
from google.protobuf.message import Message

from venuewire.errors import DecodeError
from venuewire.generated.futu import (
    InitConnect_pb2,
    KeepAlive_pb2,
    Qot_Common_pb2,
    Qot_GetOrderBook_pb2,
    Qot_Sub_pb2,
    Qot_UpdateOrderBook_pb2,
    dispatch,
    examples,
)
from venuewire.generated.futu.enums import OrderBookType, QotMarket, RetType, SubType
from venuewire.generated.registry import OPEND, OPEND_SUB_TYPE_PUSHES, OpenDProtoID
from venuewire.messages import decode_proto, decode_proto_json, encode_proto
from venuewire.opend.crypto import SessionCipher, load_rsa_key
from venuewire.opend.frame import MAX_SERIAL, Frame, FrameDecoder, FrameError, encode_frame
from venuewire.sim.books import BookGenerator, Level, symbol_seed
from venuewire.sim.opend_quotes import HANDLERS as QUOTE_HANDLERS
from venuewire.sim.opend_quotes import QUOTE_SUB_TYPES, QuoteMarket, quote_pushes
from venuewire.sim.opend_trade import DEFAULT_PASSWORD, TRADE_HANDLERS, TradeState, trade_pushes
from venuewire.sim.server import SimLifecycle

__all__ = [
    "MAX_LEVELS",
    "PUSH_LEVELS",
    "AesMode",
    "Fault",
    "OpenDSession",
    "OpenDSimulator",
    "SessionState",
    "SimState",
    "book_generator",
]

log = logging.getLogger(__name__)

AesMode = Literal["cbc", "ecb"]
SecKey = tuple[int, str]
"""(QotMarket, code): how the simulator keys a security."""

MAX_LEVELS = OPEND.max_order_book_levels
"""Deepest book Qot_GetOrderBook returns (the registry's documented maximum)."""
PUSH_LEVELS = 10
"""Levels per side in each Qot_UpdateOrderBook push."""
SERVER_VER = 1011
LOGIN_USER_ID = 10_000_001
WRONG_SERIAL_OFFSET = 1000
PUSH_BACKLOG_LIMIT = 4 * 1024 * 1024
"""Pushes to a connection are skipped while this many bytes wait unsent (a stuck reader)."""
SHA1_OFFSET = 16  # the header's bodySHA1 field
_TOKEN_ALPHABET = string.ascii_letters + string.digits
_SUBTYPES = frozenset(int(s) for s in SubType if s is not SubType.None_)
_MARKETS = frozenset(int(m) for m in QotMarket if m is not QotMarket.Unknown)
_PREFIX = {m.market: m.prefix for m in OPEND.markets}
_MARKET = {m.prefix: m.market for m in OPEND.markets}


class Fault(enum.Enum):
    """A misbehaviour the simulator adopts while the fault is in `OpenDSimulator.faults`."""

    DROP_MID_FRAME = "drop_mid_frame"
    """Write the first half of the next frame (reply or push), then close the connection."""
    STALL = "stall"
    """Write nothing at all (no replies, no pushes); requests are still read and applied."""
    WRONG_SERIAL = "wrong_serial"
    """Replies carry the request's serialNo + 1000."""
    CORRUPT_SHA1 = "corrupt_sha1"
    """Every frame written has one byte of its header's bodySHA1 flipped."""
    NO_KEEPALIVE = "no_keepalive"
    """KeepAlive requests are read and ignored."""


class SessionState(enum.Enum):
    HANDSHAKING = "HANDSHAKING"
    READY = "READY"
    CLOSED = "CLOSED"


# --- books -----------------------------------------------------------------------------

# (name, mid, tick, lot) of the securities the demo and the tests use; any other security
# gets a book derived from its symbol.
CATALOG: dict[SecKey, tuple[str, str, str, str]] = {
    (QotMarket.HK_Security, "00700"): ("TENCENT", "400", "0.2", "100"),
    (QotMarket.HK_Security, "09988"): ("BABA-W", "80", "0.05", "100"),
    (QotMarket.HK_Security, "00005"): ("HSBC HOLDINGS", "65", "0.05", "400"),
    (QotMarket.US_Security, "AAPL"): ("APPLE", "190", "0.01", "1"),
    (QotMarket.US_Security, "TSLA"): ("TESLA", "250", "0.01", "1"),
    (QotMarket.US_Security, "NVDA"): ("NVIDIA", "120", "0.01", "1"),
    (QotMarket.CNSH_Security, "600519"): ("KWEICHOW MOUTAI", "1500", "0.01", "100"),
    (QotMarket.CNSZ_Security, "000001"): ("PING AN BANK", "11", "0.01", "100"),
}


def sec_symbol(key: SecKey) -> str:
    """`(1, "00700")` -> `"HK.00700"` (a market with no prefix keeps its number)."""
    market, code = key
    return f"{_PREFIX.get(market, market)}.{code}"


def _sec_key(security: str | Qot_Common_pb2.Security | SecKey) -> SecKey:
    if isinstance(security, Qot_Common_pb2.Security):
        return (security.market, security.code)
    if isinstance(security, tuple):
        return (int(security[0]), str(security[1]))
    prefix, sep, code = security.partition(".")
    market = _MARKET.get(prefix.upper())
    if not sep or market is None or not code:
        raise ValueError(f"{security!r} is not an OpenD symbol like 'HK.00700'")
    return (market, code)


def book_generator(security: str | Qot_Common_pb2.Security | SecKey, levels: int = MAX_LEVELS) -> BookGenerator:
    """The generator behind the simulator's book of `security` ("HK.00700", a Security or
    (market, code)). `gen.snapshot(step)` is exactly what the simulator serves at that step."""
    key = _sec_key(security)
    symbol = sec_symbol(key)
    if key in CATALOG:
        _name, mid, tick, lot = CATALOG[key]
        return BookGenerator(symbol, Decimal(mid), Decimal(tick), levels, lot=Decimal(lot))
    hk = key[0] in (QotMarket.HK_Security, QotMarket.HK_Future)
    return BookGenerator(
        symbol,
        Decimal(10 + symbol_seed(symbol) % 490),
        Decimal("0.05") if hk else Decimal("0.01"),
        levels,
        lot=Decimal(100 if hk else 1),
    )


def security_name(key: SecKey) -> str:
    return CATALOG[key][0] if key in CATALOG else key[1]


def _wire_levels(levels: list[Level]) -> list[Qot_Common_pb2.OrderBook]:
    out = []
    for price, size, orders in levels:
        level = Qot_Common_pb2.OrderBook(price=float(price), volume=int(size), orederCount=orders)
        if size != int(size):
            level.hpVolume = float(size)
        out.append(level)
    return out


def _random_token() -> str:
    return "".join(secrets.choice(_TOKEN_ALPHABET) for _ in range(16))


# --- shared state ------------------------------------------------------------------------


@dataclass
class SimState:
    """What every session of one simulator shares: settings, the book step, the fault set,
    the request log. Pure data plus a clock; the asyncio server advances `step`."""

    rsa_key: RSAPrivateKey | None = None
    aes_mode: AesMode = "cbc"
    keepalive_interval: int = 10
    login_user_id: int = LOGIN_USER_ID
    step: int = 0
    faults: set[Fault] = field(default_factory=set)
    requests: list[tuple[int, int]] = field(default_factory=list)
    max_recorded_requests: int = 100_000
    clock: Callable[[], float] = time.time
    token: Callable[[], str] = _random_token
    books: dict[SecKey, BookGenerator] = field(default_factory=dict)
    market: QuoteMarket = field(default_factory=QuoteMarket)
    """The moving quotes, trades and candles (venuewire.sim.opend_quotes), one trade per step."""
    sub_quota: int = OPEND.sub_quota
    """Subscriptions (security x sub type) a connection may hold at once [guess: OpenD counts per account]."""
    # Encoded Qot_GetOrderBook replies per (security, num) for the current step, with their
    # SHA-1: a book changes once per step, so every request in between gets the same bytes.
    book_replies: dict[tuple[SecKey, int], tuple[int, bytes, bytes]] = field(default_factory=dict)
    _conn_ids: itertools.count[int] = field(default_factory=lambda: itertools.count(secrets.randbits(40) << 8 | 1))
    trade: TradeState = field(default_factory=TradeState)
    """Accounts, orders and the unlock state (venuewire.sim.opend_trade)."""

    def next_conn_id(self) -> int:
        return next(self._conn_ids)

    def book(self, key: SecKey) -> BookGenerator:
        gen = self.books.get(key)
        if gen is None:
            gen = self.books[key] = book_generator(key)
        return gen

    def record(self, proto_id: int, serial_no: int) -> None:
        """Log one request: `requests` keeps the latest, at most `max_recorded_requests` of
        them; when full, the oldest tenth goes at once (not one entry per request, which
        would move the whole list each time)."""
        requests = self.requests
        requests.append((proto_id, serial_no))
        if len(requests) > self.max_recorded_requests:
            keep = self.max_recorded_requests - self.max_recorded_requests // 10
            del requests[: len(requests) - keep]


# --- one connection, no I/O --------------------------------------------------------------

Handler = Callable[["OpenDSession", Frame], list[bytes]]


class OpenDSession:
    """One client connection of the simulator, with no I/O.

    `receive_data(bytes) -> list[bytes]` (frames to write, in order) and `pushes()` (the
    pushes due now). Once `state` is CLOSED (a FrameError, a request before InitConnect,
    Fault.DROP_MID_FRAME) the caller writes what it got and closes the socket;
    `close_reason` says why.
    """

    def __init__(self, shared: SimState, conn_id: int, max_body_len: int = OPEND.max_body_len) -> None:
        self.shared = shared
        self.conn_id = conn_id
        self.cipher = SessionCipher(rsa_key=shared.rsa_key)
        self.state = SessionState.HANDSHAKING
        self.close_reason: str | None = None
        self.subscriptions: dict[SecKey, dict[int, bool]] = {}
        """security -> {subType: push registered}."""
        self.subscribed_at: dict[tuple[SecKey, int], float] = {}
        """(security, subType) -> when it was subscribed (`shared.clock`), for the unsubscribe rule."""
        self.pushes_sent = 0
        decrypt = self.cipher.decrypt if self.cipher.enabled else None  # plaintext: no transform
        self._decoder = FrameDecoder(max_body_len=max_body_len, decrypt=decrypt)
        self._push_serial = 0

    @property
    def closed(self) -> bool:
        return self.state is SessionState.CLOSED

    def close(self, reason: str = "closed") -> None:
        if self.state is not SessionState.CLOSED:
            self.state = SessionState.CLOSED
            self.close_reason = reason

    def receive_data(self, data: bytes) -> list[bytes]:
        """Feed bytes read from the client; returns the bytes to write. A bad frame closes
        the session (never resynchronised)."""
        out: list[bytes] = []
        if self.closed:
            return out
        if not self.cipher.enabled:  # plaintext: no transform changes between two frames
            return self._answer(*self._decoder.frames_until_error(data))
        try:
            self._decoder.receive_data(data)
            while not self.closed and (frame := self._decoder.next_frame()) is not None:
                out += self.handle(frame)
        except FrameError as exc:
            self.close(f"bad frame: {exc}")
        return out

    def _answer(self, frames: list[Frame], error: FrameError | None) -> list[bytes]:
        """The answers to `frames`, in order, until the session closes; then, when `error` (a
        bad frame after them) is reached, the session closes saying why."""
        out: list[bytes] = []
        for frame in frames:
            if self.closed:
                return out
            out += self.handle(frame)
        if error is not None and not self.closed:
            self.close(f"bad frame: {error}")
        return out

    def handle(self, frame: Frame) -> list[bytes]:
        """Answer one decoded request frame."""
        self.shared.record(frame.proto_id, frame.serial_no)
        if self.closed:
            return []
        if self.state is SessionState.HANDSHAKING and frame.proto_id != OpenDProtoID.InitConnect:
            self.close(f"protoID {frame.proto_id} before InitConnect")
            return []
        if frame.proto_fmt != OPEND.proto_fmt_protobuf:
            return self._error(frame, RetType.Failed, "the simulator only speaks protobuf bodies (protoFmtType 0)")
        handler = _HANDLERS.get(frame.proto_id, OpenDSession._example_reply)
        try:
            return handler(self, frame)
        except DecodeError as exc:
            return self._error(frame, RetType.Invalid, f"invalid {exc.message_name}: {exc.detail}")

    # -- output ---------------------------------------------------------------------------

    def _emit(
        self, proto_id: int, serial_no: int, response: Message | bytes, *, reply: bool, digest: bytes | None = None
    ) -> list[bytes]:
        """The frame of one reply or push (`digest`: the SHA-1 of `response`'s bytes, when known)."""
        if self.state is SessionState.CLOSED:
            return []
        faults = self.shared.faults
        if faults:
            if Fault.STALL in faults:
                return []
            if reply and Fault.WRONG_SERIAL in faults:
                serial_no = (serial_no + WRONG_SERIAL_OFFSET) & MAX_SERIAL
        body = response if isinstance(response, bytes) else encode_proto(response)
        data = encode_frame(
            proto_id, serial_no, body, encrypt=self.cipher.encrypt if self.cipher.enabled else None, digest=digest
        )
        if not faults:
            return [data]
        if Fault.CORRUPT_SHA1 in faults:
            flipped = data[SHA1_OFFSET] ^ 0xFF
            data = data[:SHA1_OFFSET] + bytes([flipped]) + data[SHA1_OFFSET + 1 :]
        if Fault.DROP_MID_FRAME in faults:
            self.close("fault DROP_MID_FRAME")
            return [data[: max(1, len(data) // 2)]]
        return [data]

    def _reply(self, frame: Frame, response: Message | bytes, digest: bytes | None = None) -> list[bytes]:
        return self._emit(frame.proto_id, frame.serial_no, response, reply=True, digest=digest)

    def _error(self, frame: Frame, ret_type: int, message: str) -> list[bytes]:
        # Every OpenD Response has retType = 1, retMsg = 2, errCode = 3: one class fits all.
        return self._reply(frame, KeepAlive_pb2.Response(retType=ret_type, retMsg=message))

    # -- requests -------------------------------------------------------------------------

    def _example_reply(self, frame: Frame) -> list[bytes]:
        """Any other declared request protoID: its request is decoded and checked, and the
        reply is the registry's example Response (venuewire.generated.futu.examples)."""
        route = dispatch.REPLIES.get(frame.proto_id)
        if route is None or frame.proto_id not in examples.RESPONSES:
            return self._error(frame, RetType.Failed, f"unsupported protoID {frame.proto_id}")
        decode_proto(route.request, frame.body)
        return self._reply(frame, example_body(frame.proto_id))

    def _init_connect(self, frame: Frame) -> list[bytes]:
        decode_proto(InitConnect_pb2.Request, frame.body)
        if self.state is SessionState.READY:
            return self._error(frame, RetType.Failed, "InitConnect was already done on this connection")
        shared = self.shared
        cbc = shared.rsa_key is not None and shared.aes_mode == "cbc"
        s2c = InitConnect_pb2.S2C(
            serverVer=SERVER_VER,
            loginUserID=shared.login_user_id,
            connID=self.conn_id,
            connAESKey=shared.token(),
            keepAliveInterval=shared.keepalive_interval,
        )
        if cbc:
            s2c.aesCBCiv = shared.token()
        out = self._reply(frame, InitConnect_pb2.Response(retType=RetType.Succeed, s2c=s2c))
        if self.cipher.enabled:
            self.cipher.set_aes(s2c.connAESKey, s2c.aesCBCiv if cbc else None)
        if not self.closed:
            self.state = SessionState.READY
        return out

    def _keep_alive(self, frame: Frame) -> list[bytes]:
        decode_proto(KeepAlive_pb2.Request, frame.body)
        if Fault.NO_KEEPALIVE in self.shared.faults:
            return []
        s2c = KeepAlive_pb2.S2C(time=int(self.shared.clock()))
        return self._reply(frame, KeepAlive_pb2.Response(retType=RetType.Succeed, s2c=s2c))

    def _too_young(self, pairs: Iterable[tuple[SecKey, int]]) -> str | None:
        """The refusal text when one of `pairs` was subscribed less than OpenD's minimum
        time ago (OPEND.unsubscribe_after_s), else None. The wording is the simulator's."""
        now, minimum = self.shared.clock(), OPEND.unsubscribe_after_s
        young = {pair: since for pair in pairs if (since := self.subscribed_at.get(pair)) is not None}
        young = {pair: since for pair, since in young.items() if now - since < minimum}
        if not young:
            return None
        names = ", ".join(f"{sec_symbol(key)} {SubType(sub_type).name}" for key, sub_type in young)
        wait = minimum - (now - max(young.values()))
        return (
            f"cannot unsubscribe {names} yet: a subscription can be cancelled only once it is a minute "
            f"({minimum:g} s) old; try again in {wait:.0f} s"
        )

    def _sub(self, frame: Frame) -> list[bytes]:
        c2s = decode_proto(Qot_Sub_pb2.Request, frame.body).c2s
        ok = Qot_Sub_pb2.Response(retType=RetType.Succeed, s2c=Qot_Sub_pb2.S2C())
        if c2s.HasField("isUnsubAll") and c2s.isUnsubAll:
            refusal = self._too_young(self.subscribed_at)
            if refusal is not None:
                return self._error(frame, RetType.Failed, refusal)
            self.subscriptions.clear()
            self.subscribed_at.clear()
            return self._reply(frame, ok)
        keys = [(s.market, s.code) for s in c2s.securityList]
        sub_types = list(c2s.subTypeList)
        if not keys or not sub_types:
            return self._error(frame, RetType.Failed, "Qot_Sub needs at least one security and one subType")
        bad = [sec_symbol(k) for k in keys if k[0] not in _MARKETS or not k[1]]
        if bad:
            return self._error(frame, RetType.Failed, f"unknown security {', '.join(bad)}")
        bad_types = sorted(set(sub_types) - _SUBTYPES)
        if bad_types:
            return self._error(frame, RetType.Failed, f"unknown subType {bad_types}")
        if not c2s.isSubOrUnSub:
            refusal = self._too_young((key, sub_type) for key in keys for sub_type in sub_types)
            if refusal is not None:
                return self._error(frame, RetType.Failed, refusal)
            for key in keys:
                types = self.subscriptions.get(key, {})
                for sub_type in sub_types:
                    types.pop(sub_type, None)
                    self.subscribed_at.pop((key, sub_type), None)
                if not types:
                    self.subscriptions.pop(key, None)
            return self._reply(frame, ok)
        wanted = {(key, sub_type) for key in keys for sub_type in sub_types} - self.subscribed_at.keys()
        if len(self.subscribed_at) + len(wanted) > self.shared.sub_quota:
            used, quota = len(self.subscribed_at), self.shared.sub_quota
            text = (
                f"subscription quota exceeded: {used} of {quota} in use, {len(wanted)} more asked for "
                "(each security x subType takes one)"
            )
            return self._error(frame, RetType.Failed, text)
        register = c2s.isRegOrUnRegPush if c2s.HasField("isRegOrUnRegPush") else None
        now = self.shared.clock()
        for key in keys:
            types = self.subscriptions.setdefault(key, {})
            for sub_type in sub_types:
                types[sub_type] = register if register is not None else types.get(sub_type, False)
                self.subscribed_at.setdefault((key, sub_type), now)  # a repeat keeps the first time [guess]
        out = self._reply(frame, ok)
        if register and c2s.isFirstPush:
            for key in dict.fromkeys(keys):
                if SubType.OrderBook in sub_types:
                    out += self._push(key)
                if SubType.OrderBook_Odd in sub_types:
                    out += self._push(key, odd=True)
                out += quote_pushes(self, key, [t for t in sub_types if t in _OWN_PUSHES])
            out += self._example_pushes(sub_types)
        return out

    def _order_book(self, frame: Frame) -> list[bytes]:
        key, book_type, asked = _book_request(frame.body)
        odd = book_type == OrderBookType.Odd
        need = SubType.OrderBook_Odd if odd else SubType.OrderBook
        if need not in self.subscriptions.get(key, {}):
            return self._error(
                frame,
                RetType.Failed,
                f"{sec_symbol(key)} is not subscribed to SubType {need.name} ({need.value}) on this connection: "
                "subscribe with Qot_Sub first",
            )
        if asked < 1:
            return self._error(frame, RetType.Failed, f"num must be between 1 and {MAX_LEVELS}, got {asked}")
        num = min(asked, MAX_LEVELS)
        if book_type is not None:
            s2c = self._book_s2c(key, num)
            s2c.orderBookType = book_type
            return self._reply(frame, Qot_GetOrderBook_pb2.Response(retType=RetType.Succeed, s2c=s2c))
        step = self.shared.step
        cached = self.shared.book_replies.get((key, num))
        if cached is None or cached[0] != step:
            body = encode_proto(Qot_GetOrderBook_pb2.Response(retType=RetType.Succeed, s2c=self._book_s2c(key, num)))
            cached = self.shared.book_replies[(key, num)] = (step, body, hashlib.sha1(body).digest())
        return self._reply(frame, cached[1], cached[2])

    # -- pushes ---------------------------------------------------------------------------

    def _book_s2c(self, key: SecKey, num: int) -> Qot_GetOrderBook_pb2.S2C:
        bids, asks = self.shared.book(key).snapshot(self.shared.step)
        now = self.shared.clock()
        stamp = datetime.fromtimestamp(now, UTC).strftime("%Y-%m-%d %H:%M:%S.%f")[:-3]
        return Qot_GetOrderBook_pb2.S2C(
            security=Qot_Common_pb2.Security(market=key[0], code=key[1]),
            name=security_name(key),
            orderBookAskList=_wire_levels(asks[:num]),
            orderBookBidList=_wire_levels(bids[:num]),
            svrRecvTimeBid=stamp,
            svrRecvTimeBidTimestamp=now,
            svrRecvTimeAsk=stamp,
            svrRecvTimeAskTimestamp=now,
        )

    def _push(self, key: SecKey, odd: bool = False) -> list[bytes]:
        book = self._book_s2c(key, PUSH_LEVELS)
        s2c = Qot_UpdateOrderBook_pb2.S2C()
        s2c.MergeFromString(book.SerializeToString())  # same fields, same numbers
        if odd:  # the odd-lot book (SubType OrderBook_Odd): the same generated book, so marked
            s2c.orderBookType = OrderBookType.Odd
        return self.push(
            OpenDProtoID.Qot_UpdateOrderBook, Qot_UpdateOrderBook_pb2.Response(retType=RetType.Succeed, s2c=s2c)
        )

    def push(self, proto_id: int, body: Message | bytes) -> list[bytes]:
        """One push frame of any protoID with any body (a message, or raw bytes as they are),
        once the session is READY; the faults apply as to every frame."""
        if self.state is not SessionState.READY:
            return []
        self._push_serial = self._push_serial + 1 if self._push_serial < MAX_SERIAL else 1
        out = self._emit(proto_id, self._push_serial, body, reply=False)
        self.pushes_sent += len(out)
        return out

    def _example_pushes(self, sub_types: Iterable[int]) -> list[bytes]:
        """The example push of each push protocol these sub types bring (OPEND.sub_types), for
        those the simulator has no code of its own for and whose push has example data."""
        out: list[bytes] = []
        for proto_id in dict.fromkeys(OPEND_SUB_TYPE_PUSHES.get(t) for t in sub_types if t not in _OWN_PUSHES):
            if proto_id is not None and proto_id in dispatch.PUSHES and proto_id in examples.RESPONSES:
                out += self.push(proto_id, example_body(proto_id))
        return out

    def pushes(self) -> list[bytes]:
        """One Qot_UpdateOrderBook per security subscribed to OrderBook with push registered,
        at the shared step; then one example push per other push protocol some security's
        push-registered sub types bring (`_example_pushes`)."""
        if self.state is not SessionState.READY:
            return []
        out: list[bytes] = []
        registered: dict[int, None] = {}
        for key, types in list(self.subscriptions.items()):
            if types.get(SubType.OrderBook):
                out += self._push(key)
            if types.get(SubType.OrderBook_Odd):
                out += self._push(key, odd=True)
            out += quote_pushes(self, key, [t for t, push in types.items() if push and t in _OWN_PUSHES])
            registered.update((t, None) for t, push in types.items() if push)
        return out + self._example_pushes(registered) + trade_pushes(self)


_BOOK_REQUESTS: dict[bytes, tuple[SecKey, int | None, int]] = {}
_BOOK_REQUESTS_MAX = 4096


def _book_request(body: bytes) -> tuple[SecKey, int | None, int]:
    """(security, orderBookType or None when absent, num) of a Qot_GetOrderBook Request body,
    decoded and checked (DecodeError); kept by the body's bytes (bounded), as a client asks
    for the same book with the same bytes again and again."""
    found = _BOOK_REQUESTS.get(body)
    if found is None:
        c2s = decode_proto(Qot_GetOrderBook_pb2.Request, body).c2s
        book_type = c2s.orderBookType if c2s.HasField("orderBookType") else None
        found = ((c2s.security.market, c2s.security.code), book_type, c2s.num)
        if len(_BOOK_REQUESTS) >= _BOOK_REQUESTS_MAX:
            _BOOK_REQUESTS.clear()
        _BOOK_REQUESTS[body] = found
    return found


@functools.cache
def example_body(proto_id: int) -> bytes:
    """The encoded example Response of a declared protoID: the reply to a request protocol or
    the body of a push (venuewire.generated.futu.examples, checked by codegen)."""
    route = dispatch.REPLIES.get(proto_id) or dispatch.PUSHES.get(proto_id)
    text = examples.RESPONSES.get(proto_id)
    if route is None or text is None:
        raise KeyError(f"protoID {proto_id} has no proto and example data in the registry")
    return encode_proto(decode_proto_json(route.response, text))


_OWN_PUSHES: frozenset[int] = frozenset({SubType.OrderBook, SubType.OrderBook_Odd, *QUOTE_SUB_TYPES})
"""Sub types whose pushes are code (the books here, the quotes in opend_quotes); the others push their example."""

_HANDLERS: dict[int, Handler] = {
    OpenDProtoID.InitConnect: OpenDSession._init_connect,
    OpenDProtoID.KeepAlive: OpenDSession._keep_alive,
    OpenDProtoID.Qot_Sub: OpenDSession._sub,
    OpenDProtoID.Qot_GetOrderBook: OpenDSession._order_book,
    **QUOTE_HANDLERS,
    **TRADE_HANDLERS,
}


# --- the asyncio server -------------------------------------------------------------------


class OpenDSimulator(SimLifecycle):
    """The OpenD simulator as an asyncio TCP server. Use as `async with OpenDSimulator(...) as sim:`.

    `port=0` binds a free port (`sim.port` is the real one once started). With
    `rsa_key_path` (a 1024-bit PEM key, e.g. futu-api's sample conn_key.txt) the session is
    encrypted: RSA for InitConnect, then AES-CBC (`aes_mode="cbc"`, the reply carries
    aesCBCiv) or FTAES_ECB (`"ecb"`), whatever the client asked for in packetEncAlgo.
    `keepalive_interval` (s) is what InitConnect tells clients; every `push_interval` s the
    book step advances and push-registered order-book subscriptions get a push. `clock`
    (Unix seconds, default time.time) stamps books and KeepAlive replies and times the
    unsubscribe rule: tests move it forward instead of waiting a minute. Trading
    (venuewire.sim.opend_trade, `sim.trade`): `trade_password` unlocks the real account.
    """

    ticker_name = "opend-sim-ticker"

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        rsa_key_path: str | Path | None = None,
        aes_mode: AesMode = "cbc",
        keepalive_interval: int = 10,
        push_interval: float = 0.2,
        max_body_len: int = OPEND.max_body_len,
        clock: Callable[[], float] = time.time,
        trade_password: str = DEFAULT_PASSWORD,
    ) -> None:
        if aes_mode not in ("cbc", "ecb"):
            raise ValueError(f"aes_mode must be 'cbc' or 'ecb', got {aes_mode!r}")
        if push_interval <= 0 or keepalive_interval <= 0:
            raise ValueError("push_interval and keepalive_interval must be positive")
        super().__init__(host, port)
        self.push_interval = push_interval
        self.max_body_len = max_body_len
        self.state = SimState(
            rsa_key=load_rsa_key(rsa_key_path) if rsa_key_path is not None else None,
            aes_mode=aes_mode,
            keepalive_interval=keepalive_interval,
            clock=clock,
            trade=TradeState(password=trade_password),
        )
        self.sessions: dict[OpenDSession, _Connection] = {}
        self._server: asyncio.Server | None = None

    # -- what tests look at -----------------------------------------------------------------

    @property
    def connections(self) -> int:
        """Client connections open now."""
        return len(self.sessions)

    @property
    def requests(self) -> list[tuple[int, int]]:
        """(protoID, serialNo) of every request frame received, oldest first."""
        return self.state.requests

    @property
    def faults(self) -> set[Fault]:
        """The active faults; add or remove at any time (applies from the next frame)."""
        return self.state.faults

    @property
    def trade(self) -> TradeState:
        """The accounts, orders and unlock state every connection shares."""
        return self.state.trade

    @property
    def step(self) -> int:
        """The current book step (advances every push_interval)."""
        return self.state.step

    def book(self, security: str | Qot_Common_pb2.Security | SecKey) -> BookGenerator:
        """The generator of `security`'s book: `sim.book("HK.00700").snapshot(sim.step)`
        is the book the simulator serves now."""
        return self.state.book(_sec_key(security))

    # -- lifecycle ---------------------------------------------------------------------------

    async def start(self) -> None:
        if self._server is not None:
            raise RuntimeError("the simulator is already started")
        loop = asyncio.get_running_loop()
        self._server = await loop.create_server(lambda: _Connection(self), self.host, self.port)
        self.port = self._server.sockets[0].getsockname()[1]
        self._start_ticker()

    async def close(self) -> None:
        """Stop listening, close every connection and wait for their handlers."""
        if self._server is not None:
            self._server.close()  # first: a reconnecting client finds nothing to connect to
        await self._wind_down()
        if self._server is not None:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._server.wait_closed(), 5)
            self._server = None

    async def serve_forever(self) -> None:
        """Serve until cancelled."""
        if self._server is None:
            await self.start()
        await asyncio.Event().wait()

    async def push(self, proto_id: int, body: Message | bytes) -> None:
        """Send one push (any protoID, any body: tests use it for pushes the simulator does
        not make itself, or bad ones) to every READY connection, now."""
        for session, conn in list(self.sessions.items()):
            out = session.push(proto_id, body)
            if out and not conn.transport.is_closing():
                conn.transport.writelines(out)
                await conn.drain()

    async def push_example(self, proto_id: int) -> None:
        """Push the example data of a declared push protoID (any one with a proto and
        schemas/proto/futu/examples/<proto>.Response.json) to every READY connection, now:
        how tests and demos make OpenD's event pushes (Notify, ...) that have no
        subscription behaviour here. KeyError for a protoID without example data."""
        await self.push(proto_id, example_body(proto_id))

    async def drop_connections(self) -> None:
        """Close every client connection now (the server keeps listening)."""
        conns = list(self.sessions.values())
        for session in list(self.sessions):
            session.close("dropped by the simulator")
        for conn in conns:
            conn.transport.close()
        for conn in conns:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(asyncio.shield(conn.closed), 2)

    # -- I/O -----------------------------------------------------------------------------------

    async def _tick(self) -> None:
        while True:
            await asyncio.sleep(self.push_interval)
            if self.pushes_paused:
                continue
            self.state.step += 1
            self.state.market.advance(self.state.clock())
            for session, conn in list(self.sessions.items()):
                transport = conn.transport
                if transport.is_closing() or transport.get_write_buffer_size() > PUSH_BACKLOG_LIMIT:
                    continue
                try:
                    out = session.pushes()
                    if out:
                        transport.writelines(out)
                except Exception:
                    log.exception("OpenD simulator: pushes to connection %d failed", session.conn_id)
                    session.close("push failed")
                if session.closed:
                    transport.close()


class _Connection(asyncio.Protocol):
    """One client connection of the simulator: its socket (an asyncio Protocol) and its
    `OpenDSession`. Each chunk read goes to the session in the loop turn that read it and the
    frames it answers are written at once (no reader task: a request is answered one loop turn
    sooner). While the socket's write buffer is full (a client that does not read), nothing
    more is read from it, as a stream reader awaiting `drain()` would. As the values of
    `OpenDSimulator.sessions` it is the connection's writer: `write`, `writelines`, `drain`,
    `close`, `is_closing`, `wait_closed` and `transport`, as an asyncio.StreamWriter has them."""

    def __init__(self, sim: OpenDSimulator) -> None:
        self.sim = sim
        self.transport: asyncio.Transport = cast(asyncio.Transport, None)
        self.session: OpenDSession = cast(OpenDSession, None)
        loop = asyncio.get_running_loop()
        self.closed: asyncio.Future[None] = loop.create_future()
        """Done once the connection has ended."""
        self._writable: asyncio.Future[None] | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast(asyncio.Transport, transport)
        shared = self.sim.state
        self.session = OpenDSession(shared, shared.next_conn_id(), self.sim.max_body_len)
        self.sim.sessions[self.session] = self

    def data_received(self, data: bytes) -> None:
        session = self.session
        if session.closed:
            return
        try:
            out = session.receive_data(data)
            if out:
                self.transport.writelines(out)
        except Exception:  # one connection's failure never reaches the server
            log.exception("OpenD simulator: connection %d failed", session.conn_id)
            session.close("internal error")
        self._close_when_done()

    def _close_when_done(self) -> None:
        """Close the socket once the session is CLOSED (its last frames written first)."""
        session = self.session
        if session.closed:
            log.debug("connection %d closed: %s", session.conn_id, session.close_reason)
            self.transport.close()

    def eof_received(self) -> None:
        return None  # the transport closes; connection_lost follows

    def connection_lost(self, exc: Exception | None) -> None:
        self.session.close()
        self.sim.sessions.pop(self.session, None)
        self._wake()
        if not self.closed.done():
            self.closed.set_result(None)

    def pause_writing(self) -> None:
        self.transport.pause_reading()
        if self._writable is None:
            self._writable = asyncio.get_running_loop().create_future()

    def resume_writing(self) -> None:
        if not self.transport.is_closing():
            self.transport.resume_reading()
        self._wake()

    def _wake(self) -> None:
        writable, self._writable = self._writable, None
        if writable is not None and not writable.done():
            writable.set_result(None)

    async def drain(self) -> None:
        """Until the write buffer is below its limit again (or the connection ended)."""
        if self._writable is not None:
            await asyncio.shield(self._writable)

    def write(self, data: bytes) -> None:
        self.transport.write(data)

    def writelines(self, data: Iterable[bytes]) -> None:
        self.transport.writelines(data)

    def close(self) -> None:
        self.transport.close()

    def is_closing(self) -> bool:
        return self.transport.is_closing()

    async def wait_closed(self) -> None:
        await asyncio.shield(self.closed)
