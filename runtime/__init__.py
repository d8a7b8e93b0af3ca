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
    RateLimited,
    Timeout,
    VenueError,
)
from venuewire.messages import decode_json, decode_proto, decode_proto_json, encode_json, encode_proto

__version__ = "0.1.0"

__all__ = [
    "AuthError",
    "ConnectionLost",
    "DecodeError",
    "InvalidRequest",
    "MissingRequiredFields",
    "NotFound",
    "RateLimited",
    "Timeout",
    "VenueError",
    "__version__",
    "decode_json",
    "decode_proto",
    "decode_proto_json",
    "encode_json",
    "encode_proto",
]
