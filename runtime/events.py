"""Stream events shared by every venue: what a stream reports besides its data."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from venuewire.errors import DecodeError


@dataclass(frozen=True, slots=True)
class Gap:
    """An outage: no data between `started` and `ended` (time.time() seconds), then the
    stream resumed (reconnected, logged in again, resubscribed)."""

    started: float
    ended: float
    reason: str


@dataclass(frozen=True, slots=True)
class DecodeFailure:
    """A message the stream could not decode. The stream goes on; `error` names the venue,
    the message and the field path, `raw` is the payload as received (at most 64 kB)."""

    error: DecodeError
    raw: bytes


StreamEvent = Gap | DecodeFailure


class BookGapCause(enum.Enum):
    """Why a locally maintained book stopped being valid."""

    GAP = "gap"
    """An update's version skipped past the next one expected: updates were missed."""
    DUPLICATE = "duplicate"
    """An update's version was one already applied (repeated or arriving late)."""
    BEFORE_SNAPSHOT = "before_snapshot"
    """An update arrived while the book had no snapshot to apply it to."""


@dataclass(frozen=True, slots=True)
class BookGap:
    """A locally maintained book of `symbol` is invalid from now on: the update numbered
    `received` did not follow `expected` (None when no snapshot was held). The book is being
    resynchronised (a new snapshot asked for, updates buffered); a `BookResynced` follows."""

    symbol: str
    expected: int | None
    received: int
    cause: BookGapCause


@dataclass(frozen=True, slots=True)
class BookResynced:
    """The book of `symbol` is valid again at `version`: a new snapshot arrived and
    `replayed` buffered updates were applied on top of it."""

    symbol: str
    version: int
    replayed: int


BookEvent = BookGap | BookResynced
