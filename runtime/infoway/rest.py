"""The pure half of Infoway's REST `batch_depth`: argument checks, the request path, and the
reply turned into a typed message or a typed error. No I/O (`venuewire.infoway.client` sends).

    GET {base_url}/{market}/batch_depth/{codes}      header apiKey: <key>   (REST_INFOWAY_BATCH_DEPTH)

Replies, in the order they are checked:
    HTTP 401                                   -> AuthError
    HTTP 429                                   -> RateLimited (retry_after from Retry-After)
    HTTP 200 `{"ret":200,...}`                 -> BatchDepthResponse
    HTTP 200 `{"ret":5xx,"msg":...}`           -> error_for("infoway", ret, msg)
    HTTP 200 `{"detail":...}` (ErrorDetail)    -> RateLimited (the gateway's rate-limit body)
    any other HTTP status                      -> error_for("infoway", status, ...)
    anything else                              -> DecodeError (venue, message, field path)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Final
from urllib.parse import quote

from venuewire.errors import AuthError, DecodeError, RateLimited, error_for, retry_after
from venuewire.generated.infoway.batch_depth_response import BatchDepthResponse
from venuewire.generated.infoway.error_detail import ErrorDetail
from venuewire.generated.registry import REST_INFOWAY_BATCH_DEPTH, WS_INFOWAY_DEPTH
from venuewire.messages import decode_json

__all__ = [
    "MARKETS",
    "MAX_CODES",
    "VENUE",
    "WS_BUSINESSES",
    "batch_depth_path",
    "batch_depth_result",
    "check_codes",
    "check_market",
]

VENUE: Final = "infoway"
MARKETS: Final[tuple[str, ...]] = REST_INFOWAY_BATCH_DEPTH.choices["market"]
"""The `{market}` path segments batch_depth accepts (stock, crypto, common, japan, ...)."""
WS_BUSINESSES: Final[tuple[str, ...]] = WS_INFOWAY_DEPTH.choices["business"]
"""The WebSocket `business` values (the same markets)."""


def _max_codes() -> int:
    value = REST_INFOWAY_BATCH_DEPTH.max_codes
    if value is None:  # pragma: no cover - the registry always has it
        raise RuntimeError("registry: infoway batch_depth max_codes is missing; edit schemas/registry.toml")
    return value


MAX_CODES: Final[int] = _max_codes()
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


def batch_depth_result(status: int, headers: Mapping[str, str], body: bytes) -> BatchDepthResponse:
    """The typed reply of a batch_depth request, or the typed error it stands for (see the
    module docstring). Raises VenueError subclasses only."""
    if status == 401:
        raise AuthError(VENUE, "HTTP 401: the API key was refused", 401)
    if status == 429:
        detail = _detail(body)
        text = f"HTTP 429: {detail.detail}" if detail is not None else "HTTP 429: rate limit exceeded"
        raise RateLimited(VENUE, text, 429, retry_after=retry_after(headers))
    try:
        reply = decode_json(BatchDepthResponse, body)
    except DecodeError as exc:
        detail = _detail(body)
        if detail is not None:
            raise RateLimited(VENUE, detail.detail, status, retry_after=retry_after(headers)) from None
        if status != 200:
            raise error_for(VENUE, status, f"HTTP {status}", scope="rest") from None
        raise exc from None
    if reply.ret != 200:
        raise error_for(VENUE, reply.ret, reply.msg, scope="rest")
    if status != 200:
        raise error_for(VENUE, status, f"HTTP {status}: {reply.msg}", scope="rest")
    return reply
