"""venuewire: typed, code-generated bindings for trading-venue APIs.

Futu/moomoo OpenD, BitMart, CoinW futures, Infoway and QFEX messages as typed classes
generated from the schemas in schemas/ (`venuewire.generated`), with a small runtime
around them. Every error is a `venuewire.VenueError`.
"""

import importlib
from typing import TYPE_CHECKING, Any

from venuewire.errors import (
    AuthError,
    ConnectionLost,
    DecodeError,
    InvalidRequest,
    MissingRequiredFields,
    NotFound,
    PayloadTooLarge,
    RateLimited,
    Timeout,
    VenueError,
    WrongEventLoop,
)
from venuewire.events import DecodeFailure, Gap
from venuewire.messages import decode_json, decode_proto, decode_proto_json, encode_json, encode_proto
from venuewire.models import BookLevel, Order, OrderBook, OrderDetail

if TYPE_CHECKING:
    from venuewire.bitmart.client import BitmartClient
    from venuewire.coinw.client import CoinwClient
    from venuewire.generated.futu.enums import SubType
    from venuewire.infoway.client import InfowayClient
    from venuewire.opend.book import order_book_from_s2c
    from venuewire.opend.client import ClientStats, OpenDClient, UpdateStream
    from venuewire.opend.protocol import OpenDError
    from venuewire.qfex.client import QfexTradeClient

__version__ = "0.1.0"

# The clients load on first use (PEP 562): `import venuewire` stays cheap, and it and the
# JSON venues' packages never import google.protobuf (only the OpenD names do).
_LAZY = {
    "BitmartClient": "venuewire.bitmart.client",
    "CoinwClient": "venuewire.coinw.client",
    "InfowayClient": "venuewire.infoway.client",
    "QfexTradeClient": "venuewire.qfex.client",
    "SubType": "venuewire.generated.futu.enums",
    "order_book_from_s2c": "venuewire.opend.book",
    "ClientStats": "venuewire.opend.client",
    "OpenDClient": "venuewire.opend.client",
    "UpdateStream": "venuewire.opend.client",
    "OpenDError": "venuewire.opend.protocol",
}


# Hidden from type checkers: for them the TYPE_CHECKING imports above define these names, and a
# visible module __getattr__ would make every misspelt attribute of venuewire an `Any`.
if not TYPE_CHECKING:

    def __getattr__(name: str) -> Any:
        module = _LAZY.get(name)
        if module is None:
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(module), name)
        globals()[name] = value
        return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))


__all__ = [
    "AuthError",
    "BitmartClient",
    "BookLevel",
    "ClientStats",
    "CoinwClient",
    "ConnectionLost",
    "DecodeError",
    "DecodeFailure",
    "Gap",
    "InfowayClient",
    "InvalidRequest",
    "MissingRequiredFields",
    "NotFound",
    "OpenDClient",
    "OpenDError",
    "Order",
    "OrderBook",
    "OrderDetail",
    "PayloadTooLarge",
    "QfexTradeClient",
    "RateLimited",
    "SubType",
    "Timeout",
    "UpdateStream",
    "VenueError",
    "WrongEventLoop",
    "__version__",
    "decode_json",
    "decode_proto",
    "decode_proto_json",
    "encode_json",
    "encode_proto",
    "order_book_from_s2c",
]
