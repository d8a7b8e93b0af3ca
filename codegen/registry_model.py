"""The shape of schemas/registry.toml, as typed records.

This module is the registry's schema: `load()` reads the TOML into these records and
rejects unknown keys, missing keys and wrong types, naming the table and key. The
same class definitions are copied verbatim into the generated
`venuewire.generated.registry` module, so the runtime reads the facts through exactly
these types.
"""

# --- copied into the generated module from here ---
from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum  # noqa: F401  (used by the generated module)
from typing import Final, Literal, TypeVar  # noqa: F401  (Final: used by the generated module)

ErrorKind = Literal["auth", "rate_limited", "invalid_request", "not_found", "server"]


@dataclass(frozen=True, slots=True)
class Venue:
    """One venue: its key (used everywhere as the venue name), title and docs."""

    key: str
    title: str
    transport: str
    docs: str
    decimals_on_wire: Literal["string", "number", "mixed", "binary"]


@dataclass(frozen=True, slots=True)
class OpenDProtocol:
    """One OpenD protocol: its protoID, whether it is a request or a push, and the
    proto file (schemas/proto/futu/<proto>.proto) when venuewire has its messages."""

    name: str
    proto_id: int
    kind: Literal["request", "push"]
    proto: str | None = None


@dataclass(frozen=True, slots=True)
class OpenDMarket:
    """A symbol prefix ("HK" in "HK.00700") and the QotMarket value it stands for."""

    prefix: str
    market: int


@dataclass(frozen=True, slots=True)
class OpenDSubType:
    """A Qot_Sub subscription type (Qot_Common.SubType `sub_type`, named `name`) and the push
    protocol (an [[opend.protocols]] name) OpenD sends for it once the push is registered."""

    name: str
    sub_type: int
    push: str
    kl_type: int | None = None
    """For candle sub types: the Qot_Common.KLType of the candles the push carries."""


@dataclass(frozen=True, slots=True)
class OpenDFacts:
    """Framing, session and encryption constants of the OpenD TCP protocol."""

    default_host: str
    default_port: int
    magic: str
    header_size: int
    proto_fmt_protobuf: int
    proto_fmt_json: int
    proto_ver: int
    max_body_len: int
    keepalive_factor: float
    dead_peer_factor: float
    rsa_key_bits: int
    rsa_plain_chunk: int
    rsa_cipher_block: int
    aes_key_len: int
    client_ver: int
    client_id: str
    programming_language: str
    protocols: tuple[OpenDProtocol, ...]
    markets: tuple[OpenDMarket, ...]
    max_order_book_levels: int = 40
    """The deepest Qot_GetOrderBook `num` OpenD answers."""
    unsubscribe_after_s: float = 60.0
    """OpenD refuses to unsubscribe a (security, subType) subscribed less than this long ago."""
    keepalive_min_s: float = 1.0
    """A peer's keepAliveInterval is clamped to [keepalive_min_s, keepalive_max_s]."""
    keepalive_max_s: float = 300.0
    sub_types: tuple[OpenDSubType, ...] = ()
    """Which push protocol each Qot_Sub subscription type brings."""
    sub_quota: int = 100
    """Subscriptions (security x sub type) one OpenD account holds at once (the lowest tier)."""
    # Silent subscriptions (venuewire.transport.SilenceWatch), for the quote pushes a sub type brings:
    push_stale_after_s: float | None = None
    """A subscription's pushes silent this long: a `Stale` event (None: never)."""
    push_reconnect_after_s: float | None = None
    """A subscription's pushes silent this long within one session: reconnect (None: never)."""


@dataclass(frozen=True, slots=True)
class AuthScheme:
    """How a venue authenticates: header and query parameter names, tolerances."""

    name: str
    headers: tuple[str, ...] = ()
    query: tuple[str, ...] = ()
    payload: str | None = None
    timestamp_tolerance_s: int | None = None


@dataclass(frozen=True, slots=True)
class Envelope:
    """Where a venue's JSON reply keeps its outcome: the `code` field and the value(s) that
    mean success, the fields holding the venue's error text (the first non-empty one wins),
    and the `data` field with the payload. `detail` names the text field of a gateway's error
    body that carries no `code` (e.g. `{"detail": "Rate limit exceeded"}`), and
    `rate_limited_detail` the (lower-case) words in it that mean a rate limit."""

    name: str
    code: str
    success: tuple[int, ...]
    text: tuple[str, ...]
    data: str
    http_4xx: Literal["invalid_request", "server"]
    typed_errors: bool
    """True: an error reply too must match the response schema (a wrongly typed field is a
    DecodeError naming it); False: its code and text are read however the rest is shaped."""
    """What an HTTP 4xx status (other than 401, 403, 429) without an envelope and without a
    registry row is: the venue refusing the request ("invalid_request"), or a gateway or
    server page that is not the venue's reply ("server")."""
    detail: str | None = None
    rate_limited_detail: str | None = None
    code_over_status: bool = False
    """True: with HTTP 401 or 429, an envelope code the error table names decides the error (the
    venue sends its own code with those statuses); False: the status decides."""


@dataclass(frozen=True, slots=True)
class RestEndpoint:
    """One REST endpoint: method, base URL and path (its `{name}` segments are path
    parameters), auth scheme, envelope kind, request (query or body) and response messages,
    and documented limits."""

    venue: str
    name: str
    method: Literal["GET", "POST", "DELETE", "PUT"]
    base_url: str
    path: str
    auth: str
    envelope: str
    response: str
    request: str | None = None
    body: str | None = None
    """The JSON body's message (POST, PUT, DELETE): codegen types the method's `body` with it and
    the caller signs and sends exactly its encoding."""
    requests_per_second: int | None = None
    """At most this many requests per second (per key), when the venue documents a limit."""
    max_ids: int | None = None
    max_codes: int | None = None
    choices: dict[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class WeightedLimit:
    """A budget of `limit` weight units per `window_s`, each message type costing its
    `weights` entry. `scope` is what shares one budget ("connection", or "user": every
    connection of one account); `buckets` names message types budgeted apart from the rest
    (bucket name -> types), each bucket with its own `limit`; `after_auth` is True when only
    frames after a successful login count."""

    limit: float
    window_s: float
    scope: Literal["connection", "user"]
    weights: dict[str, float] = field(default_factory=dict)
    buckets: dict[str, tuple[str, ...]] = field(default_factory=dict)
    after_auth: bool = False
    model: str | None = None
    """How the venue measures the rate (e.g. "ema": an exponential moving average)."""


@dataclass(frozen=True, slots=True)
class WsRequest:
    """One request of a request/response WebSocket channel, and the typed method codegen
    writes for it (named `name`). `request` is the frame's message (an object whose `type` is
    the constant `name` and whose `params` are the method's parameters), `reply` the answer's
    message: an object whose one required key, `reply_key`, holds the answer."""

    name: str
    request: str
    reply: str
    reply_key: str
    pair_by: tuple[str, ...] = ()
    """Request params the answer echoes inside `reply_key` (e.g. client_order_id): of the frames
    holding `reply_key`, the answer is the one whose values equal the params sent (those sent);
    others with that key are pushes. Empty: the next frame with `reply_key` is the answer."""


@dataclass(frozen=True, slots=True)
class WsChannel:
    """One WebSocket channel: URL, auth, the messages it carries, heartbeats, limits."""

    venue: str
    name: str
    url: str
    auth: str
    subscribe: str | None = None
    unsubscribe: str | None = None
    push: str | None = None
    ack: str | None = None
    unsubscribe_ack: str | None = None
    login: str | None = None
    login_reply: str | None = None
    error: str | None = None
    legacy_error: str | None = None
    ping: str | None = None
    pong: str | None = None
    heartbeat: str | None = None
    heart_apply: str | None = None
    welcome: str | None = None
    dispatch: str | None = None
    """The key whose value tells the channel's frames apart (Infoway: `code`); codegen writes
    the channel's dispatch table from it (generated/<venue>/ws_dispatch.py): which generated
    class decodes which frame, read from each message's schema (`const`, or an integer
    `minimum`..`maximum` range, of that key; a message without either is told by a required
    key of its own). None: the channel has no dispatch table."""
    channel: str | None = None
    levels: tuple[int, ...] = ()
    ping_text: str | None = None
    pong_text: str | None = None
    ping_interval_s: int | None = None
    heartbeat_interval_s: int | None = None
    idle_timeout_s: int | None = None
    max_frames_per_minute: int | None = None
    subscribe_within_s: int | None = None
    min_connect_interval_s: int | None = None
    max_topics_per_subscribe: int | None = None
    """At most this many topics in one subscribe (or unsubscribe) frame; more go in several."""
    auth_within_s: int | None = None
    max_nonce_len: int | None = None
    nonce_unique_window_s: int | None = None
    compression: Literal["raw-deflate"] | None = None
    codes: dict[str, int] = field(default_factory=dict)
    choices: dict[str, tuple[str, ...]] = field(default_factory=dict)
    rate_limit: WeightedLimit | None = None
    """The venue's weighted message budget on this channel, when it documents one."""
    correlation: Literal["order"] | None = None
    """How answers pair with requests on a request/response channel: "order", untagged
    answers in request order (one request in flight). None on push-only channels."""
    requests: tuple[WsRequest, ...] = ()
    """The requests the channel answers, each a typed method of the venue's client."""
    # Silent subscriptions (venuewire.transport.SilenceWatch):
    stale_after_s: float | None = None
    """A subscription (symbol, topic) with no data this long: a `Stale` event (None: never)."""
    reconnect_after_s: float | None = None
    """A subscription with no data this long within one session: the stream reconnects (None: never)."""
    # Locally maintained books (venuewire.bitmart.incremental):
    resync_timeout_s: float | None = None
    """A resync's snapshot request not answered within this long is sent again (None: never)."""
    resync_requests: int | None = None
    """Snapshot requests one resync sends at most; when the last goes unanswered too, the
    stream reconnects (a `ResyncTimedOut` event). None: unbounded (never reconnects for it)."""


ErrorScope = Literal["any", "rest", "ws"]


@dataclass(frozen=True, slots=True)
class VenueErrorCode:
    """A venue's error code and the kind of error it maps to. `scope` says where the code
    is used: "rest" (a REST reply or HTTP status), "ws" (a WebSocket frame or handshake), or
    "any" (both, the default) for venues whose REST and WebSocket codes mean the same."""

    venue: str
    code: str
    kind: ErrorKind
    meaning: str
    scope: ErrorScope = "any"
    name: str | None = None
    """A symbolic name the runtime (and the simulators) look the code up by."""
    http_status: bool = False
    """The code is an HTTP status (of a REST reply or a WebSocket handshake, e.g. from the
    venue's gateway or CDN), not a code inside a reply body or frame; a venue whose HTTP
    statuses and body codes share numbers (Infoway: HTTP 502 vs `ret` 502) keeps them apart."""


@dataclass(frozen=True, slots=True)
class MessageInfo:
    """One documented message: where its schema is and which generated class reads it.

    `schema` is relative to schemas/; `module` and `class_name` name the generated
    class; `proto_id` is set for OpenD messages.
    """

    venue: str
    name: str
    format: Literal["json", "protobuf"]
    schema: str
    module: str
    class_name: str
    proto_id: int | None = None


_Fact = TypeVar("_Fact")


def required(value: _Fact | None, what: str) -> _Fact:
    """A registry fact that is optional in the model but that the caller's venue always has:
    `value` itself, or a RuntimeError naming `what` and where to add it."""
    if value is None:
        raise RuntimeError(f"registry: {what} is missing; add it to schemas/registry.toml and run `make generate`")
    return value


# --- copied into the generated module up to here ---

import dataclasses  # noqa: E402
import tomllib  # noqa: E402
import types  # noqa: E402
import typing  # noqa: E402
from collections.abc import Mapping  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402


class RegistryError(ValueError):
    """schemas/registry.toml does not match this model; the text names where."""


@dataclass(frozen=True, slots=True)
class Registry:
    venues: tuple[Venue, ...]
    opend: OpenDFacts
    auth: tuple[AuthScheme, ...]
    envelopes: tuple[Envelope, ...]
    rest: tuple[RestEndpoint, ...]
    ws: tuple[WsChannel, ...]
    errors: tuple[VenueErrorCode, ...]


def _convert(where: str, tp: Any, value: Any) -> Any:
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin is Literal:
        if value not in args:
            raise RegistryError(f"{where}: {value!r} is not one of {list(args)}")
        return value
    if origin in (types.UnionType, typing.Union):
        if value is None and type(None) in args:
            return None
        errors = []
        for arg in args:
            if arg is type(None):
                continue
            try:
                return _convert(where, arg, value)
            except RegistryError as exc:
                errors.append(str(exc))
        raise RegistryError("; ".join(errors))
    if origin is tuple:
        if not isinstance(value, list):
            raise RegistryError(f"{where}: expected an array, got {value!r}")
        return tuple(_convert(f"{where}[{i}]", args[0], v) for i, v in enumerate(value))
    if origin is dict:
        if not isinstance(value, dict):
            raise RegistryError(f"{where}: expected a table, got {value!r}")
        return {str(k): _convert(f"{where}.{k}", args[1], v) for k, v in value.items()}
    if dataclasses.is_dataclass(tp):
        return _record(where, tp, value)
    if tp is float and isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    if tp in (int, str, bool) and type(value) is tp:
        return value
    raise RegistryError(f"{where}: expected {getattr(tp, '__name__', tp)}, got {value!r}")


def _record(where: str, cls: Any, table: Any, **extra: Any) -> Any:
    if not isinstance(table, Mapping):
        raise RegistryError(f"{where}: expected a table, got {table!r}")
    hints = typing.get_type_hints(cls)
    fields = {f.name: f for f in dataclasses.fields(cls)}
    unknown = set(table) - set(fields) - set(extra)
    if unknown:
        raise RegistryError(f"{where}: unknown key(s) {sorted(unknown)}")
    kwargs: dict[str, Any] = dict(extra)
    for name, f in fields.items():
        if name in kwargs:
            continue
        if name not in table:
            if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
                raise RegistryError(f"{where}: missing key {name!r}")
            continue
        kwargs[name] = _convert(f"{where}.{name}", hints[name], table[name])
    return cls(**kwargs)


def load(path: Path) -> Registry:
    """Read and check registry.toml; cross-references (venues, auth schemes) included."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    top = {"venues", "opend", "auth", "envelopes", "rest", "ws", "errors"}
    if set(data) != top:
        raise RegistryError(f"{path.name}: top-level tables must be {sorted(top)}, got {sorted(data)}")
    venues = tuple(_record(f"venues.{k}", Venue, v, key=k) for k, v in data["venues"].items())
    auth = tuple(_record(f"auth.{k}", AuthScheme, v, name=k) for k, v in data["auth"].items())
    envelopes = tuple(_record(f"envelopes.{k}", Envelope, v, name=k) for k, v in data["envelopes"].items())
    reg = Registry(
        venues=venues,
        opend=_record("opend", OpenDFacts, data["opend"]),
        auth=auth,
        envelopes=envelopes,
        rest=tuple(_record(f"rest[{i}]", RestEndpoint, v) for i, v in enumerate(data["rest"])),
        ws=tuple(_record(f"ws[{i}]", WsChannel, v) for i, v in enumerate(data["ws"])),
        errors=tuple(_record(f"errors[{i}]", VenueErrorCode, v) for i, v in enumerate(data["errors"])),
    )
    venue_keys = {v.key for v in venues}
    auth_keys = {a.name for a in auth}
    entries: tuple[RestEndpoint | WsChannel | VenueErrorCode, ...] = (*reg.rest, *reg.ws, *reg.errors)
    for entry in entries:
        if entry.venue not in venue_keys:
            raise RegistryError(f"{type(entry).__name__} {entry!r}: unknown venue {entry.venue!r}")
    endpoints: tuple[RestEndpoint | WsChannel, ...] = (*reg.rest, *reg.ws)
    for item in endpoints:
        if item.auth not in auth_keys:
            raise RegistryError(f"{item.venue}.{item.name}: unknown auth scheme {item.auth!r}")
    envelope_keys = {e.name for e in envelopes}
    for rest in reg.rest:
        if rest.envelope not in envelope_keys:
            raise RegistryError(f"{rest.venue}.{rest.name}: unknown envelope {rest.envelope!r}")
        if not rest.name.isidentifier() or rest.name.startswith("_"):
            raise RegistryError(f"{rest.venue}.{rest.name}: a REST name must be a Python identifier (the method name)")
    names = [(r.venue, r.name) for r in reg.rest]
    if len(names) != len(set(names)):
        raise RegistryError("rest: duplicate (venue, name)")
    for channel in reg.ws:
        seen_requests: set[str] = set()
        for req in channel.requests:
            where = f"ws {channel.venue}.{channel.name} requests {req.name}"
            if not req.name.isidentifier() or req.name.startswith("_"):
                raise RegistryError(f"{where}: a request name must be a Python identifier (the method name)")
            if req.name in seen_requests:
                raise RegistryError(f"{where}: declared twice")
            seen_requests.add(req.name)
            if channel.correlation is None:
                raise RegistryError(f"{where}: the channel declares requests but no correlation")
    ids = [p.proto_id for p in reg.opend.protocols]
    if len(ids) != len(set(ids)):
        raise RegistryError("opend.protocols: duplicate proto_id")
    pushes = {p.name for p in reg.opend.protocols if p.kind == "push"}
    numbers = [t.sub_type for t in reg.opend.sub_types]
    if len(numbers) != len(set(numbers)):
        raise RegistryError("opend.sub_types: duplicate sub_type")
    for sub in reg.opend.sub_types:
        if sub.push not in pushes:
            raise RegistryError(f"opend.sub_types {sub.name}: push {sub.push!r} is not a push in opend.protocols")
    seen: dict[tuple[str, str], set[str]] = {}
    for err in reg.errors:
        scopes = seen.setdefault((err.venue, err.code), set())
        if err.scope in scopes or (scopes and "any" in (*scopes, err.scope)):
            raise RegistryError(f"errors: duplicate code {err.venue} {err.code} (scope {err.scope})")
        scopes.add(err.scope)
    return reg


def model_source() -> str:
    """The record definitions above, as source text for the generated module."""
    text = Path(__file__).read_text(encoding="utf-8")
    start = text.index("# --- copied into the generated module from here ---")
    end = text.index("# --- copied into the generated module up to here ---")
    body = text[start:end].split("\n", 1)[1]
    return body
