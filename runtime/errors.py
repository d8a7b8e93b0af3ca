"""One error tree for all five venues.

Catch by meaning, not by venue: every error venuewire raises is a `VenueError` and names the
venue, the venue's own code when there is one, and a message. Secrets never appear in any
of them.

    VenueError
    ├── AuthError           credentials refused (bad key, bad signature, no permission)
    ├── RateLimited         the venue's or our own limiter said "slow down"
    ├── InvalidRequest      the request was refused, or could not be built (checked before sending)
    │   └── MissingRequiredFields   a proto2 message lacks required fields; nothing was sent
    ├── NotFound            the thing asked for does not exist
    ├── DecodeError         a payload does not match its schema; names message and field path
    │   └── PayloadTooLarge     a body or message over its size cap; refused before it was buffered
    ├── ConnectionLost      the connection dropped; pending requests fail with this (also ConnectionError)
    ├── Timeout             no answer in time (also TimeoutError)
    └── WrongEventLoop      an open client used from a second event loop (also RuntimeError)
"""

from __future__ import annotations

import email.utils
import math
import time
from collections.abc import Mapping, Sequence
from typing import Literal

FieldPath = tuple[str | int, ...]


def format_path(path: Sequence[str | int]) -> str:
    """`("data", 0, "a")` as `$.data[0].a`, the form used in every message."""
    out = "$"
    for step in path:
        out += f"[{step}]" if isinstance(step, int) else f".{step}"
    return out


class VenueError(Exception):
    """Base of every venuewire error: `venue`, the venue's `code` (or None) and `message`."""

    def __init__(self, venue: str, message: str, code: int | str | None = None) -> None:
        self.venue = venue
        self.code = code
        self.message = message
        super().__init__(self._text())

    def _text(self) -> str:
        code = f" [{self.code}]" if self.code is not None else ""
        return f"{self.venue}{code}: {self.message}"


class AuthError(VenueError):
    """The venue refused the credentials or the signature."""


class RateLimited(VenueError):
    """Too many requests; `retry_after` (seconds) when known."""

    def __init__(
        self, venue: str, message: str, code: int | str | None = None, retry_after: float | None = None
    ) -> None:
        self.retry_after = retry_after
        super().__init__(venue, message, code)


def retry_after(headers: Mapping[str, str], now: float | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (any case): delta-seconds, or an HTTP date
    (counted from `now`, Unix seconds, default the wall clock; a past date is 0). None when
    the header is absent or unreadable."""
    for key, value in headers.items():
        if key.lower() != "retry-after":
            continue
        text = value.strip()
        try:
            seconds = float(text)
        except ValueError:
            try:
                when = email.utils.parsedate_to_datetime(text)
            except (TypeError, ValueError, IndexError):
                return None
            if when.tzinfo is None:
                return None
            seconds = max(0.0, when.timestamp() - (time.time() if now is None else now))
        return seconds if math.isfinite(seconds) and seconds >= 0 else None
    return None


class InvalidRequest(VenueError):
    """The request is invalid: refused by the venue, or caught before it was sent."""


class MissingRequiredFields(InvalidRequest):
    """A protobuf message misses proto2 required fields (`fields`, dotted paths); nothing was sent."""

    def __init__(self, venue: str, message_name: str, fields: Sequence[str]) -> None:
        self.message_name = message_name
        self.fields = tuple(fields)
        super().__init__(venue, f"{message_name} is missing required field(s): {', '.join(self.fields)}")


class NotFound(VenueError):
    """The order, symbol or resource does not exist."""


class DecodeError(VenueError):
    """A payload does not match its message schema.

    `message_name` names the message, `field_path` the offending field (empty when the
    payload as a whole is unreadable) and `detail` what is wrong with it.
    """

    def __init__(self, venue: str, message_name: str, field_path: Sequence[str | int], detail: str) -> None:
        self.message_name = message_name
        self.field_path: FieldPath = tuple(field_path)
        self.detail = detail
        super().__init__(venue, f"{message_name} at {format_path(self.field_path)}: {detail}")


class PayloadTooLarge(DecodeError):
    """A reply body or stream message larger than its cap (`limit`, bytes): refused before it
    was buffered (on its Content-Length, or as soon as the bytes read exceed the cap). `size`
    is the announced size when there was one, else None. A DecodeError, because what cannot
    be read cannot be decoded: a stream yields it as a `DecodeFailure` and goes on."""

    def __init__(self, venue: str, message_name: str, limit: int, size: int | None = None) -> None:
        self.limit = limit
        self.size = size
        of = f"{size} bytes" if size is not None else "more bytes"
        super().__init__(venue, message_name, (), f"{of} than the cap of {limit} bytes")


class ConnectionLost(VenueError, ConnectionError):
    """The connection closed or failed; every request pending on it fails with this.
    Also a `ConnectionError`, so code written for the standard library catches it too."""


class Timeout(VenueError, TimeoutError):
    """No reply within the timeout. Also a `TimeoutError` (as `asyncio.timeout` raises)."""


class WrongEventLoop(VenueError, RuntimeError):
    """A client (or stream) was used from an event loop other than the one it is bound to,
    e.g. across two `asyncio.run` calls while still open. Raised at once, before any I/O;
    close the client first (then it may be used on a new loop) or create one per loop."""


_KINDS: dict[str, type[VenueError]] = {
    "auth": AuthError,
    "rate_limited": RateLimited,
    "invalid_request": InvalidRequest,
    "not_found": NotFound,
    "server": VenueError,
}


def error_for(venue: str, code: int | str, message: str, scope: Literal["rest", "ws"] | None = None) -> VenueError:
    """The typed error for a venue's own error code, from the registry's error table
    (schemas/registry.toml); an unknown code gives a plain VenueError. `scope` picks the
    table where a venue's REST and WebSocket codes differ ("rest" or "ws"); entries valid
    for both ("any") always match, and None matches every entry."""
    from venuewire.generated.registry import ERROR_CODES

    key = str(code)
    for entry in ERROR_CODES:
        if entry.venue != venue or entry.code != key:
            continue
        if scope is not None and entry.scope not in ("any", scope):
            continue
        return _KINDS[entry.kind](venue, message or entry.meaning, code)
    return VenueError(venue, message or "unknown error", code)


def error_code(venue: str, name: str, scope: Literal["rest", "ws"] | None = None) -> int:
    """The numeric code the registry's error table names `name` for `venue` (and `scope`),
    e.g. `error_code("bitmart", "bad_sign")` -> 30005. KeyError when there is none."""
    from venuewire.generated.registry import ERROR_CODES

    for entry in ERROR_CODES:
        if entry.venue == venue and entry.name == name and (scope is None or entry.scope in ("any", scope)):
            return int(entry.code)
    raise KeyError(f"the registry names no {venue} error {name!r} (scope {scope}); see schemas/registry.toml")
