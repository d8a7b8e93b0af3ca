"""OpenD symbols: "HK.00700" <-> Security(market=1, code="00700").

The prefix-to-market table is the registry's (`OPEND.markets`), built from schemas/registry.toml.
"""

from __future__ import annotations

import re

from venuewire.generated.futu.Qot_Common_pb2 import Security
from venuewire.generated.registry import OPEND

MARKET_BY_PREFIX: dict[str, int] = {m.prefix: m.market for m in OPEND.markets}
PREFIX_BY_MARKET: dict[int, str] = {m.market: m.prefix for m in OPEND.markets}
_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._\-]*$")


def parse_symbol(symbol: str) -> tuple[int, str]:
    """`"HK.00700"` -> `(1, "00700")`. Raises ValueError naming the input."""
    if not isinstance(symbol, str) or "." not in symbol:
        raise ValueError(f"OpenD symbol {symbol!r} must look like MARKET.CODE, e.g. 'HK.00700'")
    prefix, code = symbol.split(".", 1)
    market = MARKET_BY_PREFIX.get(prefix.upper())
    if market is None:
        known = ", ".join(sorted(MARKET_BY_PREFIX))
        raise ValueError(f"OpenD symbol {symbol!r}: unknown market prefix {prefix!r} (known: {known})")
    if not _CODE.match(code):
        raise ValueError(f"OpenD symbol {symbol!r}: malformed code {code!r}")
    return market, code


def to_security(symbol: str) -> Security:
    market, code = parse_symbol(symbol)
    return Security(market=market, code=code)


def format_symbol(market: int, code: str) -> str:
    """`(1, "00700")` -> `"HK.00700"`. Raises ValueError for a market with no prefix."""
    prefix = PREFIX_BY_MARKET.get(market)
    if prefix is None:
        raise ValueError(f"OpenD market {market} has no symbol prefix")
    return f"{prefix}.{code}"


def symbol_of(security: Security) -> str:
    return format_symbol(security.market, security.code)
