"""Checked conversions from wire values to Python values, for every venue's decoder.

Pure functions. Each takes the venue, the message name and the field path of the value, and
raises `DecodeError` naming them when the value cannot stand for what the field means: a price
or size that is NaN, an infinity or a signalling NaN; a timestamp outside what `datetime` can
hold (year 1 to 9999), or not finite. Nothing else escapes (no ValueError, OverflowError or
OSError from `datetime`), so a stream turns the failure into a `DecodeFailure` and goes on.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Final

from venuewire.errors import DecodeError

EPOCH: Final = datetime(1970, 1, 1, tzinfo=UTC)
_MIN_MS: Final = (datetime(1, 1, 1, tzinfo=UTC) - EPOCH) // timedelta(milliseconds=1)
_MAX_MS: Final = (datetime(9999, 12, 31, 23, 59, 59, 999000, tzinfo=UTC) - EPOCH) // timedelta(milliseconds=1)

Path = Sequence[str | int]


def finite_decimal(value: Decimal, venue: str, message: str, path: Path) -> Decimal:
    """`value` itself when it is a finite number; DecodeError for NaN, sNaN and infinities."""
    if value.is_finite():
        return value
    raise DecodeError(venue, message, path, f"{value} is not a finite number")


def decimal_of(text: str, venue: str, message: str, path: Path) -> Decimal:
    """The exact Decimal a decimal string spells; DecodeError when it spells none, or NaN/Infinity."""
    try:
        value = Decimal(text)
    except (InvalidOperation, ValueError, TypeError):
        raise DecodeError(venue, message, path, f"{text!r} is not a decimal number") from None
    return finite_decimal(value, venue, message, path)


def decimal_of_double(value: float, venue: str, message: str, path: Path) -> Decimal:
    """A binary double (OpenD prices) as the Decimal of its shortest repr ("0.1" for 0.1),
    the value the venue meant; DecodeError for NaN and infinities."""
    if not math.isfinite(value):
        raise DecodeError(venue, message, path, f"{value!r} is not a finite number")
    return Decimal(repr(value))


def utc_from_ms(ms: int, venue: str, message: str, path: Path) -> datetime:
    """Unix epoch milliseconds as an aware UTC datetime, exact to the millisecond; DecodeError
    for a value outside year 1 to 9999."""
    if not _MIN_MS <= ms <= _MAX_MS:
        raise DecodeError(venue, message, path, f"{ms} ms since the epoch is out of range for a date")
    return EPOCH + timedelta(milliseconds=ms)


def utc_from_seconds(seconds: float, venue: str, message: str, path: Path) -> datetime:
    """Unix epoch seconds (with a fraction) as an aware UTC datetime, to the microsecond;
    DecodeError for NaN, infinities and values outside year 1 to 9999."""
    if not math.isfinite(seconds) or not _MIN_MS <= seconds * 1000 <= _MAX_MS:
        raise DecodeError(venue, message, path, f"{seconds!r} s since the epoch is out of range for a date")
    return EPOCH + timedelta(microseconds=round(seconds * 1_000_000))


__all__ = [
    "EPOCH",
    "decimal_of",
    "decimal_of_double",
    "finite_decimal",
    "utc_from_ms",
    "utc_from_seconds",
]
