"""venuewire: typed, code-generated bindings for trading-venue APIs.

Futu/moomoo OpenD, BitMart, CoinW futures, Infoway and QFEX messages as typed classes
generated from the schemas in schemas/ (`venuewire.generated`), with a small runtime
around them. Every error is a `venuewire.VenueError`.
"""

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
from venuewire.generated.futu.enums import SubType
from venuewire.messages import decode_json, decode_proto, decode_proto_json, encode_json, encode_proto
from venuewire.models import BookLevel, OrderBook, OrderDetail
from venuewire.opend.book import order_book_from_s2c
from venuewire.opend.client import ClientStats, Gap, OpenDClient, UpdateStream
from venuewire.opend.protocol import OpenDError

__version__ = "0.1.0"

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
