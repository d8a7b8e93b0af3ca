"""What a replay serves, read from a capture: pure, no I/O.

A capture's connections become, per venue:

- OpenD (`opend` records): `OpenDConn`. Each reply (an incoming frame whose protoID and serial
  equal a request's of the same connection) is filed under its protoID; every other incoming
  frame is a push, scheduled after a `Barrier`: the last request before it in the recording
  (KeepAlive excepted: a heartbeat never holds pushes back), counted per protoID.
- WebSocket (`ws-text`/`ws-binary` records): `WsConn`. The client's frames that are not pings
  are the barriers, in order; every incoming frame that is not a pong is a `Step` after the
  last barrier before it, with its recorded delay after that barrier.
- HTTP (`http-request` with its `http-response`): `HttpExchange`.

Pings and pongs follow the venue's rule from the registry (`ping_text`/`pong_text` of its
WebSocket channels, `ping`/`pong` messages with a schema, or a heartbeat told by a channel's
`dispatch` key and `codes`). Client
frames and queries match the recording loosely: values that change every session (timestamps,
ids, signatures, and what the capture redacted) match any value of the same kind.

Ids the client makes up and the venue echoes (a request/response channel's `pair_by` params
in the registry, e.g. QFEX's client_order_id): `echoed_ids` reads the recorded and the live
value from a matched client frame, and `rewrite_ids` puts the live value in the recorded
answers and pushes, so the client pairs them with its own request.
"""

from __future__ import annotations

import functools
import importlib
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal
from urllib.parse import parse_qsl, urlsplit

from venuewire.capture.format import REDACTED, Capture, CaptureFormatError, Record
from venuewire.errors import DecodeError
from venuewire.generated.registry import MESSAGES, WS_CHANNELS, OpenDProtoID, WsChannel
from venuewire.messages import decode_json
from venuewire.opend.frame import HEADER, HEADER_SIZE, encode_frame

__all__ = [
    "Barrier",
    "HttpExchange",
    "OpenDConn",
    "PingRule",
    "ReplayPlan",
    "Step",
    "Unanswered",
    "WsConn",
    "echoed_ids",
    "loose_equal",
    "query_matches",
    "renumber",
    "rewrite_ids",
]

_KEEPALIVE = int(OpenDProtoID.KeepAlive)
_MIN_STATUS, _MAX_STATUS = 100, 599
_DIGITS = re.compile(r"[0-9]{10,}")
_TOKEN = re.compile(r"[0-9A-Za-z+/=_-]{16,}")
_HAS_DIGIT = re.compile(r"[0-9]")
_HAS_LETTER = re.compile(r"[A-Za-z]")
_WS_SCHEMES = frozenset({"ws", "wss"})
_HOP_HEADERS = frozenset(
    {"content-length", "transfer-encoding", "content-encoding", "connection", "date", "server", "keep-alive"}
)


@dataclass(frozen=True, slots=True)
class Unanswered:
    """A request the capture has no answer for: `what` names it (protoID, method and target,
    or the frame's text)."""

    venue: str
    transport: Literal["opend", "http", "ws"]
    what: str

    def __str__(self) -> str:
        return f"{self.venue} {self.transport}: {self.what}"


# -- loose matching ---------------------------------------------------------------------------------


def _volatile(value: object) -> bool:
    """A value that differs from session to session: a timestamp, an id, a signature, a secret."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return abs(value) >= 10**9
    if isinstance(value, str):  # a token has digits and letters: a long symbol list is no token
        token = _TOKEN.fullmatch(value) is not None and _HAS_DIGIT.search(value) and _HAS_LETTER.search(value)
        return value == REDACTED or _DIGITS.fullmatch(value) is not None or bool(token)
    return False


def _same(recorded: object, sent: object) -> bool:
    if isinstance(recorded, dict) and isinstance(sent, dict):
        return recorded.keys() == sent.keys() and all(_same(recorded[k], sent[k]) for k in recorded)
    if isinstance(recorded, list) and isinstance(sent, list):
        return len(recorded) == len(sent) and all(_same(r, s) for r, s in zip(recorded, sent, strict=True))
    if recorded == sent:
        return True
    return recorded == REDACTED or (_volatile(recorded) and _volatile(sent) and type(recorded) is type(sent))


def loose_equal(recorded: bytes, sent: bytes) -> bool:
    """`sent` is the recorded frame: byte for byte, or the same JSON where only volatile values
    (timestamps, ids, signatures, redacted secrets) differ."""
    if recorded == sent:
        return True
    try:
        return _same(json.loads(recorded), json.loads(sent))
    except (ValueError, UnicodeDecodeError):
        return False


def query_matches(recorded: str, sent: str) -> bool:
    """The same query parameters in any order, volatile values matching their kind."""
    if recorded == sent:
        return True
    a = sorted(parse_qsl(recorded, keep_blank_values=True))
    b = sorted(parse_qsl(sent, keep_blank_values=True))
    return len(a) == len(b) and all(ka == kb and _same(va, vb) for (ka, va), (kb, vb) in zip(a, b, strict=True))


# -- OpenD ------------------------------------------------------------------------------------------


def _header(frame: bytes) -> tuple[int, int, int, bytes]:
    """(protoID, format, serial, plaintext body) of a recorded frame (header + decrypted body)."""
    if len(frame) < HEADER_SIZE:
        raise CaptureFormatError(f"an OpenD record of {len(frame)} bytes is shorter than the {HEADER_SIZE}-byte header")
    _magic, proto_id, fmt, _ver, serial, _len, _sha, _reserved = HEADER.unpack_from(frame)
    return int(proto_id), int(fmt), int(serial), frame[HEADER_SIZE:]


def renumber(frame: bytes, serial: int) -> bytes:
    """The recorded frame re-framed in plaintext with `serial` (length and SHA-1 recomputed)."""
    proto_id, fmt, _serial, body = _header(frame)
    return encode_frame(proto_id, serial, body, proto_fmt=fmt)


@dataclass(frozen=True, slots=True)
class Barrier:
    """Pushes wait for the `count`-th client message of `key` (OpenD: a protoID; WebSocket: the
    barrier's index, count 1). None: from the connection's start."""

    key: int
    count: int


@dataclass(frozen=True, slots=True)
class Step:
    """One recorded incoming message sent `delay` recorded seconds after its barrier."""

    barrier: Barrier | None
    delay: float
    data: bytes
    binary: bool = True


@dataclass(slots=True)
class OpenDConn:
    url: str
    replies: dict[int, list[bytes]] = field(default_factory=dict)
    pushes: list[Step] = field(default_factory=list)


def _opend_conn(url: str, records: Sequence[Record]) -> OpenDConn:
    conn = OpenDConn(url)
    requests: set[tuple[int, int]] = set()
    counts: dict[int, int] = {}
    barrier: Barrier | None = None
    since = records[0].mono if records else 0.0
    for record in records:
        if record.transport != "opend":
            continue
        try:
            proto_id, _fmt, serial, _body = _header(record.data)
        except CaptureFormatError as exc:
            raise CaptureFormatError(f"seq {record.seq}: {exc}") from None
        if record.direction == "out":
            requests.add((proto_id, serial))
            counts[proto_id] = counts.get(proto_id, 0) + 1
            if proto_id != _KEEPALIVE:
                barrier, since = Barrier(proto_id, counts[proto_id]), record.mono
        elif (proto_id, serial) in requests:
            conn.replies.setdefault(proto_id, []).append(record.data)
        else:
            conn.pushes.append(Step(barrier, max(0.0, record.mono - since), renumber(record.data, serial)))
    return conn


# -- WebSocket --------------------------------------------------------------------------------------


@functools.cache
def _message_class(ref: str) -> type[Any] | None:
    """The generated class of a registry message reference `venue/name`, None when unknown."""
    venue, _, name = ref.partition("/")
    for info in MESSAGES:
        if info.venue == venue and info.name == name and info.format == "json":
            cls: type[Any] = getattr(importlib.import_module(info.module), info.class_name)
            return cls
    return None


def _is_message(ref: str | None, data: bytes) -> bool:
    """`data` decodes as the registry message `ref` (a ping or pong declared by its schema)."""
    cls = None if ref is None or not data.startswith(b"{") else _message_class(ref)
    if cls is None:
        return False
    try:
        decode_json(cls, data)
    except DecodeError:
        return False
    return True


@dataclass(frozen=True, slots=True)
class PingRule:
    """How a venue's WebSocket tells a client ping and answers it: a literal text
    (`ping_text`/`pong_text`), a message with a schema (`ping`/`pong`, answered only from the
    capture), or a heartbeat told by the channel's `dispatch` key."""

    ping_text: str | None = None
    pong_text: str | None = None
    ping_message: str | None = None
    pong_message: str | None = None
    dispatch: str | None = None
    heartbeat: int | None = None
    heart_apply: int | None = None

    def is_ping(self, data: bytes) -> bool:
        if self.ping_text is not None and data == self.ping_text.encode():
            return True
        if _is_message(self.ping_message, data):
            return True
        return self.heartbeat is not None and _dispatch_value(data, self.dispatch) == self.heartbeat

    def is_pong(self, data: bytes) -> bool:
        if self.pong_text is not None and data == self.pong_text.encode():
            return True
        if _is_message(self.pong_message, data):
            return True
        return self.heart_apply is not None and _dispatch_value(data, self.dispatch) == self.heart_apply

    def answer(self, ping: bytes, recorded_pongs: Sequence[bytes]) -> bytes | None:
        """The pong for `ping`: the recorded one when the capture has one (a heartbeat's reply
        takes the heartbeat's own values for the keys they share), else the rule's text; None
        when the venue does not answer."""
        if self.ping_text is not None and ping == self.ping_text.encode():
            for pong in recorded_pongs:
                if self.pong_text is not None and pong == self.pong_text.encode():
                    return pong
            return None if self.pong_text is None else self.pong_text.encode()
        if self.ping_message is not None and _is_message(self.ping_message, ping):
            return next((pong for pong in recorded_pongs if _is_message(self.pong_message, pong)), None)
        for pong in recorded_pongs:
            if self.heart_apply is not None and _dispatch_value(pong, self.dispatch) == self.heart_apply:
                return _echo(pong, ping, self.dispatch)
        return None


def _dispatch_value(data: bytes, key: str | None) -> object:
    if key is None or not data.startswith(b"{"):
        return None
    try:
        obj = json.loads(data)
    except (ValueError, UnicodeDecodeError):
        return None
    return obj.get(key) if isinstance(obj, dict) else None


def _echo(template: bytes, ping: bytes, dispatch: str | None) -> bytes:
    try:
        pong, sent = json.loads(template), json.loads(ping)
    except (ValueError, UnicodeDecodeError):
        return template
    if not isinstance(pong, dict) or not isinstance(sent, dict):
        return template
    pong.update({k: v for k, v in sent.items() if k in pong and k != dispatch})
    return json.dumps(pong, separators=(",", ":")).encode()


def ping_rules(venue: str, path: str, channels: Iterable[WsChannel] = WS_CHANNELS) -> tuple[PingRule, ...]:
    """The ping rules of `venue`'s channels at `path` (of all its channels when none is there)."""
    rules = []
    for channel in _at_path(venue, path, channels):
        if channel.ping_text is not None or channel.pong_text is not None:
            rules.append(PingRule(ping_text=channel.ping_text, pong_text=channel.pong_text))
        if channel.ping is not None:
            rules.append(PingRule(ping_message=channel.ping, pong_message=channel.pong))
        if channel.dispatch is not None and "heartbeat" in channel.codes:
            rules.append(
                PingRule(
                    dispatch=channel.dispatch,
                    heartbeat=channel.codes["heartbeat"],
                    heart_apply=channel.codes.get("heart_apply"),
                )
            )
    return tuple(dict.fromkeys(rules))


def _at_path(venue: str, path: str, channels: Iterable[WsChannel]) -> list[WsChannel]:
    """`venue`'s channels at `path` (all of them when none is there)."""
    mine = [c for c in channels if c.venue == venue]
    return [c for c in mine if (urlsplit(c.url).path or "/") == path] or mine


def pair_fields(venue: str, path: str, channels: Iterable[WsChannel] = WS_CHANNELS) -> frozenset[str]:
    """The `pair_by` params of every request of `venue`'s channels at `path`."""
    return frozenset(name for c in _at_path(venue, path, channels) for r in c.requests for name in r.pair_by)


def _pairs(recorded: object, sent: object, names: frozenset[str], out: dict[str, str]) -> None:
    if isinstance(recorded, dict) and isinstance(sent, dict):
        for key, value in recorded.items():
            live = sent.get(key)
            if key in names and isinstance(value, str) and isinstance(live, str) and value != live:
                out[value] = live
            else:
                _pairs(value, live, names, out)
    elif isinstance(recorded, list) and isinstance(sent, list):
        for r, v in zip(recorded, sent, strict=False):
            _pairs(r, v, names, out)


def echoed_ids(recorded: bytes, sent: bytes, names: frozenset[str]) -> dict[str, str]:
    """recorded value -> live value of each `names` field whose value differs between a
    recorded client frame and the live frame it matched (empty when none, or not JSON)."""
    if not names:
        return {}
    try:
        old, new = json.loads(recorded), json.loads(sent)
    except (ValueError, UnicodeDecodeError):
        return {}
    out: dict[str, str] = {}
    _pairs(old, new, names, out)
    return out


def rewrite_ids(data: bytes, names: frozenset[str], ids: Mapping[str, str]) -> bytes:
    """`data` (a recorded JSON frame) with the value of each `names` field that `ids` maps
    replaced by its live value; every other byte as recorded."""
    if not ids or not names:
        return data
    fields = "|".join(re.escape(n) for n in sorted(names))
    values = "|".join(re.escape(json.dumps(v)[1:-1]) for v in sorted(ids, key=len, reverse=True))
    pattern = re.compile(rf'("(?:{fields})"\s*:\s*")({values})"'.encode())

    def live(match: re.Match[bytes]) -> bytes:
        old = json.loads(b'"' + match[2] + b'"')
        return match[1] + json.dumps(ids[old])[1:-1].encode() + b'"'

    return pattern.sub(live, data)


@dataclass(slots=True)
class WsConn:
    url: str
    path: str
    query: str
    rules: tuple[PingRule, ...]
    pair_by: frozenset[str] = frozenset()
    """The params the venue echoes in its answers on this path (the registry's `pair_by`)."""
    barriers: list[bytes] = field(default_factory=list)
    steps: list[Step] = field(default_factory=list)
    pongs: list[bytes] = field(default_factory=list)

    def ping_answer(self, data: bytes) -> tuple[bool, bytes | None]:
        """(is it a ping, the pong to send or None)."""
        for rule in self.rules:
            if rule.is_ping(data):
                return True, rule.answer(data, self.pongs)
        return False, None


def _ws_conn(url: str, venue: str, records: Sequence[Record]) -> WsConn:
    parts = urlsplit(url)
    path = parts.path or "/"
    conn = WsConn(url, path, parts.query, ping_rules(venue, path), pair_fields(venue, path))
    barrier: Barrier | None = None
    since = records[0].mono if records else 0.0
    for record in records:
        if record.transport not in ("ws-text", "ws-binary"):
            continue
        binary = record.transport == "ws-binary"
        if record.direction == "out":
            if any(rule.is_ping(record.data) for rule in conn.rules):
                continue
            conn.barriers.append(record.data)
            barrier, since = Barrier(len(conn.barriers) - 1, 1), record.mono
        elif record.direction == "in":
            if not binary and any(rule.is_pong(record.data) for rule in conn.rules):
                conn.pongs.append(record.data)
                continue
            conn.steps.append(Step(barrier, max(0.0, record.mono - since), record.data, binary))
    return conn


# -- HTTP -------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class HttpExchange:
    method: str
    path: str
    query: str
    body: bytes
    status: int
    headers: tuple[tuple[str, str], ...]
    response: bytes

    def target(self) -> str:
        return self.path + (f"?{self.query}" if self.query else "")


def _headers(value: object) -> tuple[tuple[str, str], ...]:
    pairs: Iterable[Any]
    if isinstance(value, Mapping):
        pairs = value.items()
    elif isinstance(value, list):
        pairs = [p for p in value if isinstance(p, list | tuple) and len(p) == 2]
    else:
        return ()
    return tuple((str(k), str(v)) for k, v in pairs if str(k).lower() not in _HOP_HEADERS)


def _status(response: Record) -> int:
    status = response.meta.get("status", 200)
    if isinstance(status, bool) or not isinstance(status, int) or not _MIN_STATUS <= status <= _MAX_STATUS:
        raise CaptureFormatError(f"seq {response.seq}: http-response status {status!r:.40} is not an HTTP status")
    return status


def _exchanges(records: Sequence[Record]) -> list[HttpExchange]:
    responses = {r.meta.get("request"): r for r in records if r.transport == "http-response"}
    out = []
    for request in records:
        if request.transport != "http-request":
            continue
        response = responses.get(request.seq)
        if response is None:
            continue
        target = urlsplit(str(request.meta.get("target", "/")))
        out.append(
            HttpExchange(
                method=str(request.meta.get("method", "GET")).upper(),
                path=target.path or "/",
                query=target.query,
                body=request.data,
                status=_status(response),
                headers=_headers(response.meta.get("headers")),
                response=response.data,
            )
        )
    return out


# -- the plan ---------------------------------------------------------------------------------------


@dataclass(slots=True)
class VenuePlan:
    venue: str
    opend: list[OpenDConn] = field(default_factory=list)
    ws: list[WsConn] = field(default_factory=list)
    http: list[HttpExchange] = field(default_factory=list)

    def opend_replies(self) -> dict[int, list[bytes]]:
        """Every connection's replies by protoID, in recorded order."""
        out: dict[int, list[bytes]] = {}
        for conn in self.opend:
            for proto_id, frames in conn.replies.items():
                out.setdefault(proto_id, []).extend(frames)
        return out


@dataclass(slots=True)
class ReplayPlan:
    venues: dict[str, VenuePlan]

    @classmethod
    def from_capture(cls, capture: Capture) -> ReplayPlan:
        """The plan of `capture`; a record it cannot serve (an OpenD record shorter than its
        header, an HTTP status that is not one) is a `CaptureFormatError` naming it."""
        try:
            return cls._from_capture(capture)
        except CaptureFormatError as exc:
            raise CaptureFormatError(f"{capture.path}: {exc}") from None

    @classmethod
    def _from_capture(cls, capture: Capture) -> ReplayPlan:
        venues: dict[str, VenuePlan] = {}
        for records in capture.connections().values():
            venue = records[0].venue
            plan = venues.setdefault(venue, VenuePlan(venue))
            opened = next((r for r in records if r.transport == "open"), None)
            url = str(opened.meta.get("url", "")) if opened is not None else ""
            kinds = {r.transport for r in records}
            if "opend" in kinds:
                plan.opend.append(_opend_conn(url, records))
            elif kinds & {"ws-text", "ws-binary"} or urlsplit(url).scheme in _WS_SCHEMES:
                plan.ws.append(_ws_conn(url, venue, records))
            if "http-request" in kinds:
                plan.http.extend(_exchanges(records))
        return cls(venues)
