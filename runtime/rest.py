"""The one REST caller of the JSON venues: a registry endpoint plus typed parameters in, the
generated response class out.

    caller = RestCaller("coinw", base_url, credentials)
    reply = await caller.call(REST_COINW_GET_ORDER_INFORMATION, OrderResponse, query={"positionType": "plan"})

The generated `venuewire.generated.<venue>.api.<Venue>RestAPI` classes call it, one method per
[[rest]] entry. For each request, `call`:
1. builds the path (each `{name}` segment filled with its parameter, percent-encoded but for
   ","), the query (`name=value` in the order given, None dropped, values percent-encoded but
   for ","; ints as digits, bools as true/false) and the JSON body (the endpoint's `body` message,
   POST, PUT or DELETE: encoded once, and those very bytes are both signed and sent);
2. sends it through `transport.Http` with the endpoint's limiter (the caller's `limiter` when
   given, else one per endpoint of the registry's `requests_per_second` per `RATE_WINDOW_S`),
   the auth headers made after each limiter wait by the endpoint's auth scheme
   (`venuewire.signing.rest_auth_headers`: the timestamp is fresh, the signed query is the sent
   one) and the body cap (`max_body`);
3. reads the reply through the endpoint's envelope kind (`read_reply`, pure).

`read_reply`, in the order it checks:
    HTTP 401 / 429, an envelope with
      `code_over_status` and a code the
      error table names (BitMart: 30005
      with HTTP 401)                        -> error_for(venue, code, text, scope "rest")
    other HTTP 401 / 429                    -> `http_status_error` (AuthError, RateLimited with
                                               retry_after), whatever the body says
    (an envelope with `typed_errors` first decodes the whole body: DecodeError naming the
    field with HTTP 200, `http_status_error` otherwise; then its code, then the status)
    a JSON object whose envelope code is an
      int outside its success values        -> error_for(venue, code, text, scope "rest"): the
                                               registry's error table; the text is the first
                                               non-empty of the envelope's text fields
    no envelope code, the envelope's detail
      text naming a rate limit              -> RateLimited
    no envelope code, HTTP status != 200    -> `http_status_error`
    no envelope code, a detail text         -> VenueError with the venue's text
    envelope code success, HTTP != 200      -> `http_status_error`
    otherwise                               -> the body decoded into the response class
                                               (DecodeError naming the field, also for a NaN
                                               or infinite decimal anywhere in it)
"""

from __future__ import annotations

import http
import logging
import time
from collections import Counter
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any, Final, TypeVar
from urllib.parse import quote

import msgspec

from venuewire.capture.tap import Tap, secret_headers
from venuewire.credentials import BitmartCredentials, CoinwCredentials, InfowayCredentials
from venuewire.drift.sample import RestUnknownFields, UnknownCounter
from venuewire.errors import AuthError, DecodeError, InvalidRequest, RateLimited, VenueError, error_for, retry_after
from venuewire.generated.registry import ENVELOPES, ERROR_CODES, Envelope, RestEndpoint, VenueErrorCode
from venuewire.messages import decode_json
from venuewire.signing import rest_auth_headers
from venuewire.transport import DEFAULT_MAX_BODY, Http, RateLimiter, positive_seconds
from venuewire.values import finite_decimal

__all__ = [
    "RATE_WINDOW_S",
    "RestCaller",
    "RestCredentials",
    "RestReplies",
    "http_status_error",
    "payload",
    "read_reply",
    "request_target",
]

log = logging.getLogger("venuewire.rest")

S = TypeVar("S", bound=msgspec.Struct)
QueryValue = str | int | bool | None
RestCredentials = CoinwCredentials | InfowayCredentials | BitmartCredentials | None
"""Credentials a REST auth scheme signs with (None for scheme "none")."""

RATE_WINDOW_S: Final = 1.1
"""The window of a registry `requests_per_second` limit: 1 s plus 100 ms for jitter between our
departures and the venue's arrivals (the venue counts arrivals)."""
_SAFE: Final = ","
_ANY: Final = msgspec.json.Decoder(Any)


# ---------------------------------------------------------------------------- requests (pure)
def _text(value: QueryValue) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def request_target(endpoint: RestEndpoint, path: Mapping[str, str], query: Mapping[str, QueryValue]) -> tuple[str, str]:
    """(path, query) of one request, exactly as signed and sent (see the module doc).
    ValueError naming a missing, empty or unknown path parameter."""
    values = {}
    for name, value in path.items():
        if f"{{{name}}}" not in endpoint.path:
            raise ValueError(f"{endpoint.venue}.{endpoint.name}: no path parameter {name!r}")
        if not isinstance(value, str) or not value:
            raise ValueError(f"{endpoint.venue}.{endpoint.name}: path parameter {name!r} must be a non-empty str")
        values[name] = quote(value, safe=_SAFE)
    try:
        target = endpoint.path.format(**values)
    except KeyError as exc:
        raise ValueError(f"{endpoint.venue}.{endpoint.name}: path parameter {exc.args[0]!r} is missing") from None
    pairs = [f"{quote(k, safe=_SAFE)}={quote(_text(v), safe=_SAFE)}" for k, v in query.items() if v is not None]
    return target, "&".join(pairs)


# ---------------------------------------------------------------------------- replies (pure)
def _http_rows(venue: str) -> dict[int, VenueErrorCode]:
    return {int(e.code): e for e in ERROR_CODES if e.venue == venue and e.scope == "rest" and e.http_status}


_HTTP_ROWS: Final[dict[str, dict[int, VenueErrorCode]]] = {e.venue: _http_rows(e.venue) for e in ERROR_CODES}
_CODE_ROWS: Final[frozenset[tuple[str, str]]] = frozenset(
    (e.venue, e.code) for e in ERROR_CODES if not e.http_status and e.scope in ("any", "rest")
)
"""(venue, code) of every envelope code the registry's error table names for REST."""


def _with_retry_after(error: VenueError, headers: Mapping[str, str]) -> VenueError:
    if isinstance(error, RateLimited) and error.retry_after is None:
        error.retry_after = retry_after(headers)
    return error


def http_status_error(
    envelope: Envelope, venue: str, status: int, headers: Mapping[str, str], detail: str | None = None
) -> VenueError:
    """The typed error for an HTTP status whose body holds no envelope code: the venue's
    registry row for that status (`http_status = true`, scope rest), else AuthError (401, 403),
    RateLimited (429, retry_after from Retry-After), for other 4xx InvalidRequest or a server
    VenueError as the envelope's `http_4xx` says, and a server VenueError for anything else
    (a gateway's page). `code` is the status; the text names it."""
    entry = _HTTP_ROWS.get(venue, {}).get(status)
    if detail:
        text = f"HTTP {status}: {detail[:200]}"
    elif entry is not None:
        text = entry.meaning
    else:
        try:
            phrase = http.HTTPStatus(status).phrase
        except ValueError:
            phrase = "unknown status"
        refused = 400 <= status < 500 and envelope.http_4xx == "invalid_request"
        kind = "refused" if refused else "a gateway or server error"
        text = f"HTTP {status} ({phrase}): {kind}; the body is not the venue's reply"
    if entry is not None:
        return _with_retry_after(error_for(venue, status, text, scope="rest"), headers)
    if status in (401, 403):
        return AuthError(venue, text, status)
    if status == 429:
        return RateLimited(venue, text, status, retry_after=retry_after(headers))
    if 400 <= status < 500 and envelope.http_4xx == "invalid_request":
        return InvalidRequest(venue, text, status)
    return VenueError(venue, text, status)


def _object(body: bytes) -> dict[str, Any] | None:
    try:
        value = _ANY.decode(body)
    except (msgspec.DecodeError, UnicodeDecodeError):
        return None
    return value if isinstance(value, dict) else None


def _first_text(fields: Mapping[str, Any] | None, names: tuple[str, ...]) -> str | None:
    for name in names:
        value = fields.get(name) if fields is not None else None
        if isinstance(value, str) and value:
            return value
    return None


def _finite(value: object, venue: str, message: str, path: tuple[str | int, ...]) -> None:
    """DecodeError naming the first NaN or infinite Decimal anywhere in `value`."""
    if isinstance(value, Decimal):
        finite_decimal(value, venue, message, path)
    elif isinstance(value, msgspec.Struct):
        for name in value.__struct_fields__:
            _finite(getattr(value, name), venue, message, (*path, name))
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            _finite(item, venue, message, (*path, index))


def _decode(response: type[S], endpoint: RestEndpoint, body: bytes) -> S:
    reply = decode_json(response, body)
    # JSON numbers are finite: only text (a string, or a \u escape spelling one) can hold NaN/inf.
    lower = body.lower()
    if b"nan" in lower or b"inf" in lower or b"\\u" in body:
        _finite(reply, endpoint.venue, endpoint.response.split("/", 1)[1], ())
    return reply


def _success_or_none(response: type[S], endpoint: RestEndpoint, envelope: Envelope, body: bytes) -> S | None:
    """The typed reply of a 200 whose body decodes as `response` with a success code: what
    `read_reply` returns for it, read with one decode (not the envelope's dict first, then the
    class). None for anything else (a body that does not decode, no code, an error code): the
    envelope path then decides, as it always has."""
    try:
        reply = _decode(response, endpoint, body)
    except DecodeError:
        return None
    code = getattr(reply, envelope.code, None)
    return reply if type(code) is int and code in envelope.success else None


def _typed_reply(  # noqa: PLR0917 - read_reply's arguments and the envelope
    endpoint: RestEndpoint, envelope: Envelope, response: type[S], status: int, headers: Mapping[str, str], body: bytes
) -> S:
    """`read_reply` for an envelope with `typed_errors`: the whole body decodes first."""
    failure: VenueError | None = None
    try:
        reply = _decode(response, endpoint, body)
    except DecodeError as exc:
        failure = exc if status == 200 else None
        if failure is None:
            failure = http_status_error(envelope, endpoint.venue, status, headers)
    if failure is not None:  # raised here, not in the except block: no __context__ to carry
        raise failure
    code = getattr(reply, envelope.code, None)
    if type(code) is int and code not in envelope.success:
        text = _first_text({name: getattr(reply, name, None) for name in envelope.text}, envelope.text)
        raise _with_retry_after(error_for(endpoint.venue, code, text or "", scope="rest"), headers)
    if status != 200:
        raise http_status_error(envelope, endpoint.venue, status, headers)
    return reply


def read_reply(endpoint: RestEndpoint, response: type[S], status: int, headers: Mapping[str, str], body: bytes) -> S:
    """The typed reply, or the typed error it stands for, by the endpoint's envelope kind (see
    the module doc). Raises VenueError subclasses only, none with another exception in its
    `__context__` chain but the decoder's own."""
    venue = endpoint.venue
    envelope: Envelope = ENVELOPES[endpoint.envelope]
    if envelope.typed_errors and status not in (401, 429):
        return _typed_reply(endpoint, envelope, response, status, headers, body)
    if status == 200:
        fast = _success_or_none(response, endpoint, envelope, body)
        if fast is not None:
            return fast
    fields = _object(body)
    detail = _first_text(fields, (envelope.detail,)) if envelope.detail is not None else None
    if status in (401, 429):
        code = fields.get(envelope.code) if fields is not None else None
        if envelope.code_over_status and type(code) is int and (venue, str(code)) in _CODE_ROWS:
            reason = _first_text(fields, envelope.text) or ""
            raise _with_retry_after(error_for(venue, code, reason, scope="rest"), headers)
        raise http_status_error(envelope, venue, status, headers, detail)
    if envelope.typed_errors:
        return _typed_reply(endpoint, envelope, response, status, headers, body)
    code = fields.get(envelope.code) if fields is not None else None
    text = _first_text(fields, envelope.text)
    if type(code) is int and code not in envelope.success:
        raise _with_retry_after(error_for(venue, code, text or "", scope="rest"), headers)
    if type(code) is not int:
        limited = envelope.rate_limited_detail
        if detail is not None and limited is not None and limited in detail.lower():
            raise RateLimited(venue, detail[:200], status, retry_after=retry_after(headers))
        if status != 200:
            raise http_status_error(envelope, venue, status, headers, detail)
        if detail is not None:
            raise VenueError(venue, f"the venue answered: {detail[:200]}")
    elif status != 200:
        raise http_status_error(envelope, venue, status, headers, text)
    return _decode(response, endpoint, body)


def payload(endpoint: RestEndpoint, reply: msgspec.Struct) -> object:
    """The payload of a decoded reply: its field the endpoint's envelope names `data`."""
    return getattr(reply, ENVELOPES[endpoint.envelope].data)


# ---------------------------------------------------------------------------- I/O
class RestCaller:
    """Sends registry endpoints of one venue (see the module doc) with one `Http` session.

    `credentials` are what the endpoints' auth schemes sign with. `limiter`, when given,
    paces every endpoint (pass one shared limiter to every client of one account); otherwise
    each endpoint with a registry `requests_per_second` gets its own limiter. `clock` returns
    Unix time in seconds (for signed timestamps). `check(endpoint, reply)` (optional) runs the
    venue's own checks on a decoded reply (raising DecodeError)."""

    def __init__(
        self,
        venue: str,
        base_url: str,
        credentials: RestCredentials,
        *,
        timeout: float = 10.0,
        limiter: RateLimiter | None = None,
        clock: Callable[[], float] = time.time,
        max_body: int = DEFAULT_MAX_BODY,
        check: Callable[[RestEndpoint, msgspec.Struct], None] | None = None,
        capture: Tap | None = None,
    ) -> None:
        self.venue = venue
        self.timeout = positive_seconds("timeout", timeout)
        self.http = Http(venue, base_url, timeout=self.timeout, max_body=max_body, capture=capture)
        self.limiter = limiter
        self._limiters: dict[str, RateLimiter] = {}
        self._credentials = credentials
        self._clock = clock
        self._check = check
        self.unknown_fields: UnknownCounter = Counter()
        """(reply message, field path) -> sampled replies that held a field the schema does not
        declare (the first 16 replies of each endpoint, then every 1024th; venuewire.drift.sample)."""
        self._unknowns = RestUnknownFields(venue, self.unknown_fields)

    def __repr__(self) -> str:
        return f"RestCaller({self.venue!r}, {self.http.base_url!r})"

    def limiter_for(self, endpoint: RestEndpoint) -> RateLimiter | None:
        """The limiter `endpoint` waits for: the caller's, else its registry limit's (or None)."""
        if self.limiter is not None:
            return self.limiter
        if endpoint.requests_per_second is None:
            return None
        limiter = self._limiters.get(endpoint.name)
        if limiter is None:
            limiter = self._limiters[endpoint.name] = RateLimiter(endpoint.requests_per_second, RATE_WINDOW_S)
        return limiter

    async def close(self) -> None:
        await self.http.close()

    async def call(
        self,
        endpoint: RestEndpoint,
        response: type[S],
        *,
        path: Mapping[str, str] | None = None,
        query: Mapping[str, QueryValue] | None = None,
        body: msgspec.Struct | None = None,
    ) -> S:
        """Send `endpoint` and return its reply as `response` (see the module doc)."""
        if endpoint.venue != self.venue:
            raise ValueError(f"{endpoint.venue}.{endpoint.name} is not an endpoint of {self.venue}")
        target, query_text = request_target(endpoint, path or {}, query or {})
        payload = msgspec.json.encode(body) if body is not None else None
        payload_text = payload.decode("utf-8") if payload is not None else None

        def headers() -> dict[str, str]:
            timestamp_ms = int(self._clock() * 1000)
            signed = rest_auth_headers(
                endpoint.auth,
                self._credentials,
                timestamp_ms=timestamp_ms,
                method=endpoint.method,
                path=target,
                query=query_text or None,
                body=payload_text,
            )
            if self.http.capture is not None:  # the signature of this request: never recorded
                secret_headers(self.http.capture, endpoint.auth, signed, str(timestamp_ms))
            if payload is not None:
                signed["Content-Type"] = "application/json"
            return signed

        sent = f"{target}?{query_text}" if query_text else target
        reply = await self.http.request(
            endpoint.method, sent, headers=headers, body=payload, limiter=self.limiter_for(endpoint)
        )
        log.debug("%s %s -> HTTP %d, %d bytes", endpoint.method, sent, reply.status, len(reply.body))
        result = read_reply(endpoint, response, reply.status, reply.headers, reply.body)
        if self._check is not None:
            self._check(endpoint, result)
        self._unknowns.reply(endpoint.response, reply.body)
        return result


class RestReplies:
    """For a client that sends through one `RestCaller` (`_rest`): what its replies showed."""

    _rest: RestCaller

    @property
    def unknown_fields(self) -> UnknownCounter:
        """(reply message, field path) -> sampled REST replies that held a field the schema
        does not declare (see `RestCaller.unknown_fields`)."""
        return self._rest.unknown_fields
