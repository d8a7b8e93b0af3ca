"""QFEX error envelopes as exceptions that are caught both by venue and by meaning.

QFEX refuses a frame with `{"err": {"error_code", "message", "incoming_message"}}` (or the
older `{"type": "error", "error_code", "message"}`). Each becomes a `QfexError` carrying the
three fields. The registry's error table (`error_for("qfex", code, message)`) gives each code
its kind, and the exception raised is a static subclass that is BOTH a `QfexError` and that
kind's `venuewire` error (multiple inheritance):

    QfexError(VenueError)                       unknown codes, ServerError
    QfexAuthError(QfexError, AuthError)         PermissionDenied, KycRequired, TncRequired
    QfexRateLimited(QfexError, RateLimited)     RateLimited
    QfexInvalidRequest(QfexError, InvalidRequest)  InvalidJSONFormat, InvalidParameter,
                                                AlreadyAuthenticated, InvalidOrder, ...
    QfexNotFound(QfexError, NotFound)           (no QFEX code maps here today)

so `except QfexError` and `except venuewire.RateLimited` both catch a RateLimited envelope.
Pure: no I/O. An echoed auth frame has its signature (and any JWT) replaced by "***".
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from venuewire.errors import AuthError, InvalidRequest, NotFound, RateLimited, VenueError, error_for

__all__ = [
    "VENUE",
    "QfexAuthError",
    "QfexError",
    "QfexInvalidRequest",
    "QfexNotFound",
    "QfexRateLimited",
    "code_named",
    "qfex_error",
]

VENUE: Final = "qfex"
_REDACTED: Final = "***"


def code_named(name: str) -> str:
    """The QFEX error code the registry's error table names `name` (e.g. "rate_limited" ->
    "RateLimited"); KeyError when there is none."""
    from venuewire.generated.registry import ERROR_CODES

    for entry in ERROR_CODES:
        if entry.venue == VENUE and entry.name == name:
            return entry.code
    raise KeyError(f"the registry names no qfex error {name!r}; see schemas/registry.toml")


def _redact(incoming: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """A copy of an echoed client frame without credentials (an auth frame's signature / jwt)."""
    if incoming is None:
        return None
    out = dict(incoming)
    params = out.get("params")
    if out.get("type") == "auth" and isinstance(params, Mapping):
        params = dict(params)
        if "jwt" in params:
            params["jwt"] = _REDACTED
        hmac = params.get("hmac")
        if isinstance(hmac, Mapping) and "signature" in hmac:
            params["hmac"] = {**hmac, "signature": _REDACTED}
        out["params"] = params
    return out


class QfexError(VenueError):
    """A QFEX error envelope.

    `error_code` is the venue's code as sent (also `code`); `raw_message` the venue's message
    as sent (None when null or absent); `message` that message, or the registry's meaning of
    the code when the venue sent none; `incoming_message` the client frame the venue echoed
    back (None when it sent none; auth credentials redacted); `legacy` is True for the older
    `{"type": "error", ...}` form.
    """

    error_code: str
    raw_message: str | None
    incoming_message: dict[str, Any] | None
    legacy: bool

    def __init__(
        self,
        error_code: str,
        message: str | None = None,
        incoming_message: Mapping[str, Any] | None = None,
        *,
        legacy: bool = False,
    ) -> None:
        self.error_code = str(error_code)
        self.raw_message = message
        self.incoming_message = _redact(incoming_message)
        self.legacy = legacy
        text = error_for(VENUE, self.error_code, message or "").message
        super().__init__(VENUE, text, self.error_code)


class QfexAuthError(QfexError, AuthError):
    """A QFEX code of kind "auth" (PermissionDenied, KycRequired, TncRequired)."""


class QfexRateLimited(QfexError, RateLimited):
    """QFEX's RateLimited (`retry_after` is None: the venue gives none)."""


class QfexInvalidRequest(QfexError, InvalidRequest):
    """A QFEX code of kind "invalid_request" (InvalidJSONFormat, InvalidParameter, ...)."""


class QfexNotFound(QfexError, NotFound):
    """A QFEX code of kind "not_found" (none in the registry today)."""


_BY_KIND: Final[dict[type[VenueError], type[QfexError]]] = {
    AuthError: QfexAuthError,
    RateLimited: QfexRateLimited,
    InvalidRequest: QfexInvalidRequest,
    NotFound: QfexNotFound,
}


def qfex_error(
    error_code: str,
    message: str | None = None,
    incoming_message: Mapping[str, Any] | None = None,
    *,
    legacy: bool = False,
) -> QfexError:
    """The exception for one envelope: the `QfexError` subclass of the code's kind in the
    registry's error table (`error_for`); plain `QfexError` for unknown codes and ServerError."""
    kind = type(error_for(VENUE, str(error_code), message or ""))
    cls = _BY_KIND.get(kind, QfexError)
    return cls(error_code, message, incoming_message, legacy=legacy)
