"""What every REST simulator shares: the routes the registry declares, signature checks by auth
scheme, per-key limits from the registry, and schema-valid example replies.

    routes = RestRoutes("coinw", handle)        # handle(endpoint, request) -> web.StreamResponse
    routes.add_to(app.router)                   # every [[rest]] route of the venue

A venue simulator keeps only what is the venue's own: state (open orders, books), its
faults, and how it words a refusal. For each request its handler calls:
- `verify_auth(endpoint, keys, Arrived(headers, method, path, raw_query, body), now_ms, tolerance_ms)`:
  None, or why the request is not authentic ("unknown_key", "stale" or "bad_sign"), by the
  endpoint's auth scheme (pure; the scheme's header names come from the registry);
- `KeyRateLimit.wait(key, now)`: a sliding window per key, from the endpoint's
  `requests_per_second` (pure);
- `apply_faults(faults, request, slow_reply_s, dropped)`: Fault.SLOW_REPLY and
  Fault.DROP_CONNECTION, as every REST simulator applies them;
- `example_reply(endpoint)`: the response's example (venuewire.generated.<venue>.examples),
  served for every endpoint the venue's simulator has no behaviour of its own for.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
import re
from collections.abc import Awaitable, Callable, Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from importlib import import_module
from typing import Any, Final, Literal

from aiohttp import web

from venuewire.generated.registry import AUTH_SCHEMES, REST_ENDPOINTS, AuthScheme, RestEndpoint
from venuewire.sim.server import Cache, Fault, SlidingWindow

__all__ = [
    "Arrived",
    "AuthRefusal",
    "KeyRateLimit",
    "RestRoutes",
    "apply_faults",
    "bitmart_key_entry",
    "example_reply",
    "examples",
    "expected_bitmart_sign",
    "expected_coinw_sign",
    "json_object",
    "json_response",
    "verify_auth",
]

AuthRefusal = Literal["unknown_key", "stale", "bad_sign"]
Handler = Callable[[RestEndpoint, web.Request], Awaitable[web.StreamResponse]]
_DIGITS: Final = re.compile(r"[0-9]+")


def json_object(body: str) -> dict[str, Any] | None:
    """The JSON object a request body holds, or None (not JSON, or not an object)."""
    try:
        value = json.loads(body) if body else None
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def json_response(body: bytes, status: int = 200, headers: Mapping[str, str] | None = None) -> web.Response:
    return web.Response(status=status, body=body, content_type="application/json", headers=headers)


# --- signatures, by auth scheme (pure) ----------------------------------------------------------


def expected_coinw_sign(  # noqa: PLR0917 - one argument per signed part
    secret: str, timestamp: str, method: str, path: str, raw_query: str, body: str = ""
) -> str:
    """The `sign` scheme coinw_hmac_sha256_base64 expects: Base64(HMAC-SHA256(secret, timestamp +
    METHOD + path + ("?" + raw_query if raw_query) + body)), the query exactly as it arrived.
    Written apart from venuewire.signing on purpose: the simulator checks the client."""
    message = f"{timestamp}{method.upper()}{path}{'?' + raw_query if raw_query else ''}{body}"
    digest = hmac.new(secret.encode(), message.encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


@dataclass(frozen=True, slots=True)
class Arrived:
    """A request as it arrived: headers (looked up case-insensitively), method, the raw path
    and the raw query (exactly the text after "?", undecoded), and the body as text."""

    headers: Mapping[str, str]
    method: str
    path: str
    raw_query: str
    body: str = ""


def _verify_coinw(
    scheme: AuthScheme, keys: Mapping[str, str], request: Arrived, now_ms: int, tolerance_ms: int
) -> AuthRefusal | None:
    sign_header, key_header, timestamp_header = scheme.headers
    known = _key_and_time(keys, request, key_header, timestamp_header, now_ms, tolerance_ms)
    if isinstance(known, str):
        return known
    secret, timestamp = known
    good = expected_coinw_sign(secret, timestamp, request.method, request.path, request.raw_query, request.body)
    return _same_sign(request, sign_header, good)


def _key_and_time(  # noqa: PLR0917 - the request's parts a signed scheme checks first
    keys: Mapping[str, str], request: Arrived, key_header: str, timestamp_header: str, now_ms: int, tolerance_ms: int
) -> tuple[str, str] | AuthRefusal:
    """(what `keys` holds for the request's key, its timestamp), or why the request is refused."""
    api_key = request.headers.get(key_header)
    known = keys.get(api_key) if api_key else None
    if known is None:
        return "unknown_key"
    timestamp = request.headers.get(timestamp_header, "")
    if not _DIGITS.fullmatch(timestamp) or abs(int(timestamp) - now_ms) > tolerance_ms:
        return "stale"
    return known, timestamp


def _same_sign(request: Arrived, sign_header: str, good: str) -> AuthRefusal | None:
    return None if hmac.compare_digest(request.headers.get(sign_header, "").encode(), good.encode()) else "bad_sign"


def expected_bitmart_sign(secret: str, memo: str, timestamp: str, payload: str) -> str:
    """The `X-BM-SIGN` scheme bitmart_hmac_sha256_hex expects: hex(HMAC-SHA256(secret, timestamp
    + "#" + memo + "#" + payload)), the payload being the body exactly as it arrived (the raw
    query for a request without a body). Written apart from venuewire.signing on purpose."""
    message = f"{timestamp}#{memo}#{payload}"
    return hmac.new(secret.encode(), message.encode(), hashlib.sha256).hexdigest()


def bitmart_key_entry(secret: str, memo: str) -> str:
    """What `verify_auth`'s `keys` maps a BitMart API key to: its secret and memo, joined."""
    return f"{secret}\n{memo}"


def _verify_bitmart(
    scheme: AuthScheme, keys: Mapping[str, str], request: Arrived, now_ms: int, tolerance_ms: int
) -> AuthRefusal | None:
    """`keys` maps an API key to `bitmart_key_entry(secret, memo)` (the memo is signed too)."""
    key_header, sign_header, timestamp_header = scheme.headers
    known = _key_and_time(keys, request, key_header, timestamp_header, now_ms, tolerance_ms)
    if isinstance(known, str):
        return known
    (secret, _, memo), timestamp = known[0].partition("\n"), known[1]
    good = expected_bitmart_sign(secret, memo, timestamp, request.body or request.raw_query)
    return _same_sign(request, sign_header, good)


def _verify_api_key(
    scheme: AuthScheme, keys: Mapping[str, str], request: Arrived, now_ms: int, tolerance_ms: int
) -> AuthRefusal | None:
    (key_header,) = scheme.headers
    key = request.headers.get(key_header)
    return None if key and key in keys else "unknown_key"


def _verify_none(
    scheme: AuthScheme, keys: Mapping[str, str], request: Arrived, now_ms: int, tolerance_ms: int
) -> AuthRefusal | None:
    return None


_VERIFIERS: Final = {
    "coinw_hmac_sha256_base64": _verify_coinw,
    "bitmart_hmac_sha256_hex": _verify_bitmart,
    "bitmart_api_key": _verify_api_key,
    "infoway_api_key": _verify_api_key,
    "none": _verify_none,
}
"""One verifier per REST auth scheme of the registry (the signers are venuewire.signing's)."""


def verify_auth(
    endpoint: RestEndpoint, keys: Mapping[str, str], request: Arrived, now_ms: int = 0, tolerance_ms: int = 0
) -> AuthRefusal | None:
    """None when `request` is authentic under the endpoint's auth scheme, else why not.
    `keys` maps API keys to secrets; `now_ms` and `tolerance_ms` bound a signed timestamp."""
    verifier = _VERIFIERS.get(endpoint.auth)
    if verifier is None:
        raise ValueError(f"{endpoint.venue}.{endpoint.name}: no simulator check for auth scheme {endpoint.auth!r}")
    return verifier(AUTH_SCHEMES[endpoint.auth], keys, request, now_ms, tolerance_ms)


# --- limits (pure) ------------------------------------------------------------------------------


class KeyRateLimit:
    """At most `limit` requests per key in any `window_s` seconds (a `SlidingWindow` per key);
    pure. `most_in_window` is the most requests one key had in a window; `name` names the
    limit in the ValueError for bad bounds."""

    def __init__(self, limit: int, window_s: float, *, name: str = "limit") -> None:
        if limit < 1 or window_s <= 0:
            raise ValueError(f"{name} must be >= 1 per a window > 0 s, got {limit!r} per {window_s!r} s")
        self.limit, self.window_s = limit, window_s
        self.most_in_window = 0
        self._windows: Cache[str, SlidingWindow] = Cache(lambda _key: SlidingWindow(window_s))

    def wait(self, key: str, now: float) -> float | None:
        """None when a request from `key` at `now` may go (it then counts), else the seconds
        until it could."""
        window = self._windows[key]
        wait = window.admit(now, self.limit)
        if wait is None:
            self.most_in_window = max(self.most_in_window, window.count(now))
        return wait


async def apply_faults(
    faults: AbstractSet[Fault], request: web.Request, slow_reply_s: float, dropped: Callable[[], None]
) -> None:
    """The faults every REST simulator shares, before it answers `request`: Fault.SLOW_REPLY
    waits `slow_reply_s`; Fault.DROP_CONNECTION calls `dropped()`, aborts the TCP connection and
    ends the handler (CancelledError). Fault.GARBAGE_FRAME is the venue's (what garbage it sends)."""
    if Fault.SLOW_REPLY in faults:
        await asyncio.sleep(slow_reply_s)
    if Fault.DROP_CONNECTION in faults:
        dropped()
        if request.transport is not None:
            request.transport.abort()
        raise asyncio.CancelledError


# --- routes and examples --------------------------------------------------------------------------


def example_reply(endpoint: RestEndpoint) -> bytes:
    """The JSON of the (first) example of the endpoint's response (its schema's `examples`)."""
    venue, message = endpoint.response.split("/", 1)
    return examples(venue, message)[0]


def examples(venue: str, message: str) -> tuple[bytes, ...]:
    """The JSON of every example of `message` (schemas/json/<venue>/<message>.json `examples`),
    as codegen checked and shipped them (venuewire.generated.<venue>.examples)."""
    shipped: Mapping[str, tuple[bytes, ...]] = import_module(f"venuewire.generated.{venue}.examples").EXAMPLES
    return shipped[message]


class RestRoutes:
    """Every [[rest]] route the registry declares for `venue`, each answered by `handler(endpoint,
    request)`."""

    def __init__(self, venue: str, handler: Handler) -> None:
        self.venue = venue
        self.endpoints: tuple[RestEndpoint, ...] = tuple(e for e in REST_ENDPOINTS if e.venue == venue)
        self._handler = handler

    def add_to(self, router: web.UrlDispatcher) -> None:
        for endpoint in self.endpoints:
            router.add_route(endpoint.method, endpoint.path, self._bind(endpoint))

    def _bind(self, endpoint: RestEndpoint) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
        async def handle(request: web.Request) -> web.StreamResponse:
            return await self._handler(endpoint, request)

        return handle
