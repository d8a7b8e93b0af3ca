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
from venuewire.messages import decode_json, decode_proto, decode_proto_json, encode_json, encode_proto
from venuewire.models import BookLevel, OrderBook, OrderDetail

if TYPE_CHECKING:
    from venuewire.generated.futu.enums import SubType
    from venuewire.opend.book import order_book_from_s2c
    from venuewire.opend.client import ClientStats, Gap, OpenDClient, UpdateStream
    from venuewire.opend.protocol import OpenDError

__version__ = "0.1.0"

# The OpenD names load on first use (PEP 562), so that `import venuewire` and the JSON
# venues' packages never import google.protobuf.
_LAZY = {
    "SubType": "venuewire.generated.futu.enums",
    "order_book_from_s2c": "venuewire.opend.book",
    "ClientStats": "venuewire.opend.client",
    "Gap": "venuewire.opend.client",
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
    "BookLevel",
    "ClientStats",
    "ConnectionLost",
    "DecodeError",
    "Gap",
    "InvalidRequest",
    "MissingRequiredFields",
    "NotFound",
    "OpenDClient",
    "OpenDError",
    "OrderBook",
    "OrderDetail",
    "PayloadTooLarge",
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
