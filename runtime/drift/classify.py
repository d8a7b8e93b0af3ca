"""Which schema message each captured record is, found the way the clients find it. Pure.

- OpenD (`opend`): the protoID of the 44-byte header names the registry protocol; a frame the
  client sent is its `Request`, one it received its `Response` (a reply or a push).
- WebSocket (`ws-text`, `ws-binary`): the connection's URL path names the registry channels
  it may carry (all of the venue's when none matches); a channel with a dispatch table
  (generated/<venue>/ws_dispatch.py) routes the frame by its dispatch key; the others match
  the frame against the messages of the channel's registry entry (the frame's keys against
  each message's fields; a `const` or closed enum of a key must agree), then against every
  message of the venue. Binary frames of a compressed channel are inflated first; the
  channel's ping and pong texts are control frames.
- HTTP: the request's method and path name the `[[rest]]` endpoint; its query is the
  endpoint's `request`, its body the `body`, and the response (paired by `meta.request`)
  its `response`. An HTTP error status is counted, not compared.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import parse_qsl, urlsplit

from venuewire.capture.format import Record
from venuewire.drift.fields import find_message, is_direct, shape_of
from venuewire.errors import DecodeError
from venuewire.generated.registry import (
    AUTH_SCHEMES,
    MESSAGES,
    OPEND,
    REST_ENDPOINTS,
    WS_CHANNELS,
    MessageInfo,
    RestEndpoint,
    WsChannel,
)

Kind = Literal["json", "proto", "query", "control", "unknown"]

_SERVER_ROLES = (
    "push",
    "ack",
    "unsubscribe_ack",
    "login_reply",
    "error",
    "legacy_error",
    "pong",
    "heartbeat",
    "heart_apply",
    "welcome",
)
_CLIENT_ROLES = ("subscribe", "unsubscribe", "login", "ping", "heartbeat")
_HTTP_ERROR = 400


@dataclass(frozen=True, slots=True)
class Classified:
    """One captured message: `kind` says how to compare it; `info` is its schema message
    (None for control frames and unknown messages), `payload` the bytes to decode (inflated,
    the OpenD body without its header), `label` the message type's name in the report
    (`venue/message`, or a description of what the registry does not know)."""

    record: Record
    kind: Kind
    label: str
    payload: bytes = b""
    info: MessageInfo | None = None
    proto_fmt: int = 0
    ignore: frozenset[str] = frozenset()
    """Query parameters that are not the schema's (the auth scheme's, e.g. a signature)."""
    problem: DecodeError | None = None
    """Set when the record could not be read at all (an OpenD header cut short, a frame that
    does not inflate): reported as a decode failure of its message type."""


def classify(records: Iterable[Record]) -> Iterator[Classified]:
    """Every data record of a capture, classified (open and close records are skipped)."""
    urls: dict[int, str] = {}
    requests: dict[tuple[int, int], tuple[RestEndpoint | None, str]] = {}
    for record in records:
        if record.transport == "open":
            urls[record.conn] = str(record.meta.get("url", ""))
        elif record.transport == "opend":
            yield _opend(record)
        elif record.transport in ("ws-text", "ws-binary"):
            yield _ws(record, _channels(record.venue, urls.get(record.conn, "")))
        elif record.transport == "http-request":
            endpoint = _endpoint(record)
            requests[(record.conn, record.seq)] = (endpoint, _describe(record))
            yield from _http_request(record, endpoint)
        elif record.transport == "http-response":
            paired = record.meta.get("request")
            request = requests.get((record.conn, paired)) if isinstance(paired, int) else None
            yield _http_response(record, *(request or (None, f"{record.venue} http response without its request")))


# OpenD --------------------------------------------------------------------------------------

_PROTOCOLS = {p.proto_id: p for p in OPEND.protocols}


def _opend(record: Record) -> Classified:
    from venuewire.opend.frame import HEADER, HEADER_SIZE, MAGIC

    data = record.data
    side = "Request" if record.direction == "out" else "Response"
    if len(data) < HEADER_SIZE or data[:2] != MAGIC:
        detail = (
            f"{len(data)} bytes without a whole OpenD header"
            if len(data) < HEADER_SIZE
            else f"no OpenD magic {MAGIC!r} at the start (found {data[:2]!r})"
        )
        error = DecodeError("futu", "frame", ("header",), detail)
        return Classified(record, "unknown", "futu frame without an OpenD header", problem=error)
    _magic, proto_id, fmt, _ver, _serial, _length, _digest, _reserved = HEADER.unpack_from(data)
    protocol = _PROTOCOLS.get(proto_id)
    if protocol is None or protocol.proto is None:
        known = f" ({protocol.name}, no schema)" if protocol is not None else ""
        return Classified(record, "unknown", f"futu {side} protoID {proto_id}{known}")
    try:
        info = find_message("futu", f"{protocol.proto}.{side}")
    except KeyError:  # a push-only protocol sent by the client, say
        return Classified(record, "unknown", f"futu {side} protoID {proto_id} ({protocol.name} has no {side})")
    return Classified(record, "proto", f"futu/{info.name}", data[HEADER_SIZE:], info, proto_fmt=fmt)


# WebSocket ----------------------------------------------------------------------------------


def _path(url: str) -> str:
    return urlsplit(url).path.rstrip("/")


def _channels(venue: str, url: str) -> tuple[WsChannel, ...]:
    mine = tuple(c for c in WS_CHANNELS if c.venue == venue)
    same = tuple(c for c in mine if _path(c.url) == _path(url))
    return same or mine


def _dispatch(channel: WsChannel, server: bool) -> Any:
    if channel.dispatch is None:
        return None
    from importlib import import_module

    module = import_module(f"venuewire.generated.{channel.venue}.ws_dispatch")
    side = "SERVER" if server else "CLIENT"
    return getattr(module, f"{channel.venue}_{channel.name}_{side}".upper(), None)


def _ws(record: Record, channels: tuple[WsChannel, ...]) -> Classified:
    from venuewire.bitmart.protocol import DEFAULT_MAX_MESSAGE_SIZE, inflate
    from venuewire.generated.ws_dispatch import Unrouted
    from venuewire.messages import message_info

    venue, server = record.venue, record.direction == "in"
    data = record.data
    if record.transport == "ws-binary" and any(c.compression == "raw-deflate" for c in channels):
        try:
            data = inflate(data, DEFAULT_MAX_MESSAGE_SIZE)  # the client's own cap
        except DecodeError as error:
            return Classified(record, "unknown", f"{venue} ws binary frame that does not inflate", problem=error)
    text = data.strip().decode("utf-8", "replace")
    for channel in channels:
        if text and text in (channel.ping_text, channel.pong_text):
            return Classified(record, "control", f"{venue} ws {text}", data)
    keys: list[str] = []
    dispatch_value: object = None
    for channel in channels:
        table = _dispatch(channel, server)
        if table is None:
            continue
        try:
            route, value = table.route(data)
        except Unrouted as exc:
            if exc.not_json:
                return Classified(record, "unknown", f"{venue} ws frame that is not JSON", data)
            continue
        if route is not None:
            info = message_info(route.cls)
            return Classified(record, "json", f"{venue}/{info.name}", data, info)
        keys.append(table.key)
        dispatch_value = value
    try:
        frame = json.loads(data)
    except (ValueError, RecursionError):
        return Classified(record, "unknown", f"{venue} ws frame that is not JSON", data)
    if not isinstance(frame, dict):
        return Classified(record, "unknown", f"{venue} ws frame that is a JSON {type(frame).__name__}", data)
    side = "in" if server else "out"
    channels = _by_topic(channels, frame)
    if keys and all(c.dispatch is not None for c in channels):
        return Classified(record, "unknown", f"{venue} ws {side} {keys[0]}={dispatch_value!r}", data)
    matched = _best_match(frame, _candidates(channels, server)) or _best_match(frame, _venue_messages(venue))
    if matched is None:
        shown = ",".join(sorted(frame)[:6])
        return Classified(record, "unknown", f"{venue} ws {side} frame with keys {{{shown}}}", data)
    return Classified(record, "json", f"{venue}/{matched.name}", data, matched)


def _topic_pattern(template: str) -> re.Pattern[str]:
    """A channel's topic template ("spot/depth{levels}:{symbol}") as a pattern of the part
    before its first ":" (a push names its table without the symbol)."""
    head = template.split(":", 1)[0]
    parts = re.split(r"(\{[^}]+\})", head)
    return re.compile("".join(r"\w+" if p.startswith("{") else re.escape(p) for p in parts if p))


def _by_topic(channels: tuple[WsChannel, ...], frame: dict[str, Any]) -> tuple[WsChannel, ...]:
    """The channels (of those sharing one URL) whose topic template a topic in the frame fits:
    a top-level string, or a string of a top-level list, up to its first ":". All of them
    when no channel has a template or no topic fits one (the shape match decides then)."""
    texts = [v for v in frame.values() if isinstance(v, str)]
    texts += [item for v in frame.values() if isinstance(v, list) for item in v if isinstance(item, str)]
    heads = {text.split(":", 1)[0] for text in texts}
    fitting = tuple(
        c for c in channels if c.channel and any(_topic_pattern(c.channel).fullmatch(head) for head in heads)
    )
    return fitting or channels


def _candidates(channels: tuple[WsChannel, ...], server: bool) -> list[MessageInfo]:
    names: list[str] = []
    for channel in channels:
        for role in _SERVER_ROLES if server else _CLIENT_ROLES:
            value = getattr(channel, role)
            if value is not None:
                names.append(value)
        for request in channel.requests:
            names.append(request.reply if server else request.request)
    out: list[MessageInfo] = []
    for name in names:
        venue, _, message = name.partition("/")
        info = find_message(venue, message)
        if info not in out:
            out.append(info)
    return out


def _venue_messages(venue: str) -> list[MessageInfo]:
    return [m for m in MESSAGES if m.venue == venue and m.format == "json"]


def _best_match(frame: dict[str, Any], candidates: list[MessageInfo]) -> MessageInfo | None:
    """The candidate whose top-level fields fit the frame best: a key whose schema fixes one
    value (a `const`, the frame kind's mark) must hold it, and must be present when required;
    then the fewest unknown plus missing keys, then the most known keys. (A key with several
    listed values does not rule a candidate out: a new value there is drift to report.)"""
    best: tuple[int, int, int] | None = None
    chosen: MessageInfo | None = None
    for order, info in enumerate(candidates):
        shape = shape_of(info)
        top = {p: s for p, s in shape.items() if is_direct(p, "")}
        if not top:
            continue
        fits = True
        for name, field in top.items():
            if field.known is None or field.open_enum or len(field.known) != 1:
                continue
            if name in frame and frame[name] not in field.known:
                fits = False
            if name not in frame and field.required:
                fits = False
        known = sum(1 for k in frame if k in top)
        if not fits or known == 0:
            continue
        misses = sum(1 for k in frame if k not in top) + sum(1 for n, f in top.items() if f.required and n not in frame)
        score = (misses, -known, order)
        if best is None or score < best:
            best, chosen = score, info
    return chosen


# HTTP ---------------------------------------------------------------------------------------


def _route(endpoint: RestEndpoint) -> re.Pattern[str]:
    template = _path(endpoint.base_url) + endpoint.path
    parts = re.split(r"(\{[^}]+\})", template)
    return re.compile("".join("[^/]+" if p.startswith("{") else re.escape(p) for p in parts if p) + "/?")


def _endpoint(record: Record) -> RestEndpoint | None:
    method = str(record.meta.get("method", "")).upper()
    path = urlsplit(str(record.meta.get("target", ""))).path
    for endpoint in REST_ENDPOINTS:
        if endpoint.venue == record.venue and endpoint.method == method and _route(endpoint).fullmatch(path):
            return endpoint
    return None


def _describe(record: Record) -> str:
    return f"{record.venue} http {record.meta.get('method', '?')} {urlsplit(str(record.meta.get('target', ''))).path}"


def _http_request(record: Record, endpoint: RestEndpoint | None) -> Iterator[Classified]:
    if endpoint is None:
        yield Classified(record, "unknown", _describe(record))
        return
    if endpoint.request is not None:
        query = dict(parse_qsl(urlsplit(str(record.meta.get("target", ""))).query, keep_blank_values=True))
        info = find_message(*endpoint.request.split("/", 1))
        auth = AUTH_SCHEMES.get(endpoint.auth)
        ignore = frozenset(auth.query if auth is not None else ())
        yield Classified(record, "query", f"{info.venue}/{info.name}", json.dumps(query).encode(), info, ignore=ignore)
    if endpoint.body is not None and record.data:
        info = find_message(*endpoint.body.split("/", 1))
        yield Classified(record, "json", f"{info.venue}/{info.name}", record.data, info)


def _http_response(record: Record, endpoint: RestEndpoint | None, request: str) -> Classified:
    if endpoint is None:
        label = request if request.endswith("without its request") else f"{request} response"
        return Classified(record, "unknown", label)
    status = record.meta.get("status", 200)
    if isinstance(status, int) and status >= _HTTP_ERROR:
        return Classified(record, "control", f"{record.venue} http {endpoint.name} status {status}")
    info = find_message(*endpoint.response.split("/", 1))
    return Classified(record, "json", f"{info.venue}/{info.name}", record.data, info)
