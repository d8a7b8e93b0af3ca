"""The pure half of Infoway's REST `batch_depth`: argument checks, the request path, and the
reply turned into a typed message or a typed error. No I/O (`venuewire.infoway.client` sends).

    GET {base_url}/{market}/batch_depth/{codes}      header apiKey: <key>   (REST_INFOWAY_BATCH_DEPTH)

Replies are read by `venuewire.rest.read_reply` through the registry's Infoway envelope
(`ret` 200 is success, the text under `msg`, the snapshots under `data`; a gateway's
`{"detail": ...}` body naming a rate limit is RateLimited). HTTP statuses and `ret` codes are two
number spaces (HTTP 502 from a gateway is not `ret` 502, the daily limit): only a `ret` inside a
JSON body maps through the registry's `ret` rows, an HTTP status through its own rows (404, 499,
524, ...), else InvalidRequest (4xx) or a server VenueError. Every snapshot is then checked
(`check_depth`: NaN/infinite values, times no datetime holds are DecodeErrors naming the field).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Final
from urllib.parse import quote

import msgspec

from venuewire.generated.infoway.batch_depth_response import BatchDepthResponse
from venuewire.generated.registry import REST_INFOWAY_BATCH_DEPTH, WS_INFOWAY_DEPTH, RestEndpoint, required
from venuewire.infoway.book import RESPONSE, VENUE, check_depth
from venuewire.rest import read_reply

__all__ = [
    "MARKETS",
    "MAX_CODES",
    "VENUE",
    "WS_BUSINESSES",
    "batch_depth_path",
    "batch_depth_result",
    "check_codes",
    "check_market",
    "check_reply",
]

MARKETS: Final[tuple[str, ...]] = REST_INFOWAY_BATCH_DEPTH.choices["market"]
"""The `{market}` path segments batch_depth accepts (stock, crypto, common, japan, ...)."""
WS_BUSINESSES: Final[tuple[str, ...]] = WS_INFOWAY_DEPTH.choices["business"]
"""The WebSocket `business` values (the same markets)."""


MAX_CODES: Final[int] = required(REST_INFOWAY_BATCH_DEPTH.max_codes, "infoway batch_depth max_codes")
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


def check_reply(endpoint: RestEndpoint, reply: msgspec.Struct) -> None:
    """The venue's checks of a decoded reply: every batch_depth snapshot (see `check_depth`)."""
    if isinstance(reply, BatchDepthResponse):
        for index, depth in enumerate(reply.data or ()):
            check_depth(depth, message=RESPONSE, path=("data", index))


def batch_depth_result(status: int, headers: Mapping[str, str], body: bytes) -> BatchDepthResponse:
    """The typed reply of a batch_depth request, or the typed error it stands for (see the
    module docstring). Raises VenueError subclasses only."""
    reply = read_reply(REST_INFOWAY_BATCH_DEPTH, BatchDepthResponse, status, headers, body)
    check_reply(REST_INFOWAY_BATCH_DEPTH, reply)
    return reply
