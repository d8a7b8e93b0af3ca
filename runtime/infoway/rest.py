"""The pure half of Infoway's REST `batch_depth`: argument checks, the request path, and the
reply turned into a typed message or a typed error. No I/O (`venuewire.infoway.client` sends).

    GET {base_url}/{market}/batch_depth/{codes}      header apiKey: <key>   (REST_INFOWAY_BATCH_DEPTH)

HTTP statuses and the venue's `ret` codes are two number spaces (HTTP 502 from a gateway is
not `ret` 502, the daily limit): only a `ret` inside a JSON body maps through the registry's
`ret` rows. Replies, in the order they are checked:
    HTTP 401                                   -> AuthError
    HTTP 429                                   -> RateLimited (retry_after from Retry-After)
    a JSON body with `ret` != 200              -> error_for("infoway", ret, msg), whatever the HTTP status
    HTTP 200 `{"ret":200,...}`                 -> BatchDepthResponse, every value checked (check_depth)
    `{"detail":"Rate limit exceeded"}`         -> RateLimited (the gateway's rate-limit body, also with HTTP 200)
    any other HTTP status                      -> its registry row (http_status: 404, 499, 524, ...), else
                                                  InvalidRequest (4xx) or a server VenueError (5xx),
                                                  naming the status (`code` is the status)
    anything else                              -> DecodeError (venue, message, field path)
"""

from __future__ import annotations

import http
from collections.abc import Mapping, Sequence
from typing import Any, Final
from urllib.parse import quote

import msgspec

from venuewire.errors import DecodeError, InvalidRequest, RateLimited, VenueError, error_for, retry_after
from venuewire.generated.infoway.batch_depth_response import BatchDepthResponse
from venuewire.generated.infoway.error_detail import ErrorDetail
from venuewire.generated.registry import (
    ERROR_CODES,
    REST_INFOWAY_BATCH_DEPTH,
    WS_INFOWAY_DEPTH,
    VenueErrorCode,
    required,
)
from venuewire.infoway.book import RESPONSE, VENUE, check_depth
from venuewire.messages import decode_json

__all__ = [
    "HTTP_STATUSES",
    "MARKETS",
    "MAX_CODES",
    "VENUE",
    "WS_BUSINESSES",
    "batch_depth_path",
    "batch_depth_result",
    "check_codes",
    "check_market",
    "http_status_error",
]

MARKETS: Final[tuple[str, ...]] = REST_INFOWAY_BATCH_DEPTH.choices["market"]
"""The `{market}` path segments batch_depth accepts (stock, crypto, common, japan, ...)."""
WS_BUSINESSES: Final[tuple[str, ...]] = WS_INFOWAY_DEPTH.choices["business"]
"""The WebSocket `business` values (the same markets)."""


MAX_CODES: Final[int] = required(REST_INFOWAY_BATCH_DEPTH.max_codes, "infoway batch_depth max_codes")
HTTP_STATUSES: Final[dict[int, VenueErrorCode]] = {
    int(e.code): e for e in ERROR_CODES if e.venue == VENUE and e.scope == "rest" and e.http_status
}
"""The HTTP statuses the registry documents for Infoway's REST gateway (401, 404, 429, ...)."""
_FORBIDDEN: Final = frozenset(",/")
_HK_DIGITS: Final = 5


def check_market(market: str, *, allowed: Sequence[str] = MARKETS, name: str = "market") -> str:
    """`market` if it is one of `allowed` (the registry's choices), else ValueError naming it."""
    if not isinstance(market, str):
        raise TypeError(f"{name} must be a str")
    if market not in allowed:
        raise ValueError(f"{name} must be one of {', '.join(allowed)}; got {market!r}")
    return market


def check_codes(codes: Sequence[str], *, max_codes: int | None = MAX_CODES) -> list[str]:
    """The codes to send: each a non-empty product code (no whitespace, control characters,
    "," or "/"; Hong Kong codes zero-padded to five digits, `00700.HK`), duplicates dropped
    (first kept), at least one and at most `max_codes`. ValueError naming `codes` otherwise;
    a bare string is refused (pass `["00700.HK"]`, not `"00700.HK"`)."""
    if isinstance(codes, (str, bytes)):
        raise ValueError("codes must be a sequence of product codes such as ['00700.HK'], not a single string")
    out: list[str] = []
    seen: set[str] = set()
    for index, code in enumerate(codes):
        if not isinstance(code, str):
            raise TypeError(f"codes[{index}] must be a str, got {type(code).__name__}")
        if not code:
            raise ValueError(f"codes[{index}] is empty")
        bad = next((c for c in code if c.isspace() or not c.isprintable() or c in _FORBIDDEN), None)
        if bad is not None:
            raise ValueError(f"codes[{index}] {code!r} holds {bad!r}: codes have no whitespace, ',' or '/'")
        number, dot, suffix = code.rpartition(".")
        if dot and suffix.upper() == "HK" and number.isdigit() and len(number) != _HK_DIGITS:
            raise ValueError(
                f"codes[{index}] {code!r}: Hong Kong codes are zero-padded to 5 digits ({number.zfill(5)}.HK)"
            )
        if code not in seen:
            seen.add(code)
            out.append(code)
    if not out:
        raise ValueError("codes must name at least one product code")
    if max_codes is not None and len(out) > max_codes:
        raise ValueError(f"codes: at most {max_codes} product codes per request, got {len(out)}")
    return out


def batch_depth_path(market: str, codes: Sequence[str]) -> str:
    """The checked request path, e.g. `/stock/batch_depth/00700.HK,AAPL.US` (codes
    percent-encoded where needed, joined with a literal ",")."""
    check_market(market)
    joined = ",".join(quote(code, safe="") for code in check_codes(codes))
    return REST_INFOWAY_BATCH_DEPTH.path.format(market=market, codes=joined)


def _detail(body: bytes) -> ErrorDetail | None:
    try:
        return decode_json(ErrorDetail, body)
    except DecodeError:
        return None


_ANY: Final = msgspec.json.Decoder(Any)


def _ret_of(body: bytes) -> tuple[int, str] | None:
    """(`ret`, `msg`) of a JSON object whose `ret` is an int other than 200, however the rest
    of it is shaped; None otherwise."""
    try:
        value = _ANY.decode(body)
    except (msgspec.DecodeError, UnicodeDecodeError):
        return None
    if not isinstance(value, dict):
        return None
    ret, msg = value.get("ret"), value.get("msg")
    if type(ret) is not int or ret == 200:
        return None
    return ret, msg if isinstance(msg, str) else ""


def _with_retry_after(error: VenueError, headers: Mapping[str, str]) -> VenueError:
    if isinstance(error, RateLimited) and error.retry_after is None:
        error.retry_after = retry_after(headers)
    return error


def http_status_error(status: int, headers: Mapping[str, str], detail: str | None = None) -> VenueError:
    """The typed error for an HTTP status whose body holds no `ret`: the registry's row for
    that status (HTTP_STATUSES), else InvalidRequest for 4xx and a server VenueError for
    anything else (a gateway error: 502, 503, ...). `code` is the status; the text names it."""
    entry = HTTP_STATUSES.get(status)
    if detail:
        text = f"HTTP {status}: {detail[:200]}"
    elif entry is not None:
        text = entry.meaning
    else:
        try:
            phrase = http.HTTPStatus(status).phrase
        except ValueError:
            phrase = "unknown status"
        kind = "refused" if 400 <= status < 500 else "a gateway or server error"
        text = f"HTTP {status} ({phrase}): {kind}; the body is not the venue's reply"
    if entry is not None:
        return _with_retry_after(error_for(VENUE, status, text, scope="rest"), headers)
    if 400 <= status < 500:
        return InvalidRequest(VENUE, text, status)
    return VenueError(VENUE, text, status)


def _failure(status: int, headers: Mapping[str, str], body: bytes, error: DecodeError) -> VenueError:
    """What a body that is not a BatchDepthResponse stands for (`error` when nothing better)."""
    ret = _ret_of(body)
    if ret is not None:
        return _with_retry_after(error_for(VENUE, ret[0], ret[1], scope="rest"), headers)
    detail = _detail(body)
    if detail is not None and "rate limit" in detail.detail.lower():
        return RateLimited(VENUE, detail.detail, status, retry_after=retry_after(headers))
    if status != 200:
        return http_status_error(status, headers, detail.detail if detail is not None else None)
    if detail is not None:
        return VenueError(VENUE, f"the venue answered: {detail.detail[:200]}")
    return error


def batch_depth_result(status: int, headers: Mapping[str, str], body: bytes) -> BatchDepthResponse:
    """The typed reply of a batch_depth request, or the typed error it stands for (see the
    module docstring). Raises VenueError subclasses only."""
    if status in (401, 429):
        detail = _detail(body)
        raise http_status_error(status, headers, detail.detail if detail is not None else None)
    failure: VenueError | None = None
    try:
        reply = decode_json(BatchDepthResponse, body)
    except DecodeError as exc:
        failure = _failure(status, headers, body, exc)
    if failure is not None:  # raised here, not in the except block: no __context__ to carry
        raise failure
    if reply.ret != 200:
        raise _with_retry_after(error_for(VENUE, reply.ret, reply.msg, scope="rest"), headers)
    if status != 200:
        raise http_status_error(status, headers, reply.msg)
    for index, depth in enumerate(reply.data or ()):
        check_depth(depth, message=RESPONSE, path=("data", index))
    return reply
