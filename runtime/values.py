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
from typing import Final, NewType

from venuewire.errors import DecodeError

EPOCH: Final = datetime(1970, 1, 1, tzinfo=UTC)
_MIN_US: Final = (datetime(1, 1, 1, tzinfo=UTC) - EPOCH) // timedelta(microseconds=1)
_MAX_US: Final = (datetime(9999, 12, 31, 23, 59, 59, 999999, tzinfo=UTC) - EPOCH) // timedelta(microseconds=1)
_MIN_MS: Final = -(-_MIN_US // 1000)
_MAX_MS: Final = _MAX_US // 1000

_FLOAT_EXACT_MS: Final = 2**32 * 1000
"""Below 2^32 s (the year 2106) `ms / 1000` is within a quarter microsecond of the exact time,
so `datetime.fromtimestamp` (which rounds to the microsecond) gives the exact millisecond: the
quick way (a third of the time of adding a timedelta). tests/models pins it against the slow way."""
_from_timestamp: Final = datetime.fromtimestamp

Path = Sequence[str | int]

DecimalText = NewType("DecimalText", str)
"""A decimal number as the exact text the venue sent (`"30657.00"`, `"1E-8"`): the type of the
decimal fields of the generated JSON classes that keep text (BitMart's depth pushes), where
decoding builds no Decimal. The text is whatever string the wire carried: the normalizers
check it; `decimal_of(text, venue, message, path)` is its exact Decimal (a DecodeError naming
the field when it is no finite number), `venuewire.models.exact_decimal(text)` the shared one
for texts already checked."""


def _shown(value: object) -> str:
    """`value` for an error text: its repr, at most 40 characters (a 5000-digit int has no
    str in Python: it is shown by its size)."""
    try:
        text = repr(value)
    except ValueError:  # an int beyond sys.get_int_max_str_digits()
        return f"an integer of {value.bit_length() if isinstance(value, int) else '?'} bits"
    return text if len(text) <= 40 else f"{text[:37]}..."


def finite_decimal(value: Decimal, venue: str, message: str, path: Path) -> Decimal:
    """`value` itself when it is a finite number; DecodeError for NaN, sNaN and infinities."""
    if value.is_finite():
        return value
    raise DecodeError(venue, message, path, f"{value} is not a finite number")


def decimal_of(text: str, venue: str, message: str, path: Path) -> Decimal:
    """The exact Decimal a decimal string spells (ASCII digits, sign, point, exponent);
    DecodeError when it spells none, or NaN/Infinity. Stricter than `Decimal(text)`, which
    also takes surrounding spaces, `_` separators and non-ASCII digits ("١٢")."""
    if not isinstance(text, str) or not text.isascii() or "_" in text or text != text.strip():
        raise DecodeError(venue, message, path, f"{_shown(text)} is not a decimal number")
    try:
        value = Decimal(text)
    except (InvalidOperation, ValueError):
        raise DecodeError(venue, message, path, f"{_shown(text)} is not a decimal number") from None
    return finite_decimal(value, venue, message, path)


def decimal_of_double(value: float, venue: str, message: str, path: Path) -> Decimal:
    """A binary double (OpenD prices) as the Decimal of its shortest repr ("0.1" for 0.1),
    the value the venue meant; an int exactly; DecodeError for NaN and infinities."""
    if isinstance(value, int):
        return Decimal(value)
    number = float(value)  # a float subclass (numpy's) has another repr
    if not math.isfinite(number):
        raise DecodeError(venue, message, path, f"{number!r} is not a finite number")
    return Decimal(repr(number))


def utc_from_ms(ms: int, venue: str, message: str, path: Path) -> datetime:
    """Unix epoch milliseconds as an aware UTC datetime, exact to the millisecond; DecodeError
    for a value outside year 1 to 9999 (and for NaN or an infinity, should one be passed)."""
    if type(ms) is int and 0 <= ms < _FLOAT_EXACT_MS:
        return _from_timestamp(ms / 1000, UTC)  # exact here: see _FLOAT_EXACT_MS
    try:
        in_range = _MIN_MS <= ms <= _MAX_MS
    except ArithmeticError:  # a signalling-NaN Decimal refuses to compare
        in_range = False
    if not in_range:
        raise DecodeError(venue, message, path, f"{_shown(ms)} ms since the epoch is out of range for a date")
    return EPOCH + timedelta(0, 0, 0, ms)  # (days, seconds, microseconds, milliseconds): positional is quicker


def utc_from_seconds(seconds: float | Decimal, venue: str, message: str, path: Path) -> datetime:
    """Unix epoch seconds (with a fraction) as an aware UTC datetime, to the microsecond
    (rounded); DecodeError for NaN, infinities and values outside year 1 to 9999."""
    try:
        micros: int | None = round(seconds * 1_000_000)
    except (ArithmeticError, ValueError):  # NaN, an infinity, a signalling NaN
        micros = None
    if micros is None or not _MIN_US <= micros <= _MAX_US:
        raise DecodeError(venue, message, path, f"{_shown(seconds)} s since the epoch is out of range for a date")
    try:
        if isinstance(seconds, float):  # timedelta rounds a float's exact value; seconds * 1e6 may not
            return EPOCH + timedelta(seconds=seconds)
        return EPOCH + timedelta(microseconds=micros)
    except OverflowError:  # within a microsecond of the edge, the two roundings may differ
        raise DecodeError(venue, message, path, f"{_shown(seconds)} s since the epoch is out of range") from None


__all__ = [
    "EPOCH",
    "DecimalText",
    "decimal_of",
    "decimal_of_double",
    "finite_decimal",
    "utc_from_ms",
    "utc_from_seconds",
]
