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


@dataclass(frozen=True, slots=True)
class Stale:
    """A subscription has delivered no data for `silent_for` seconds, past its `threshold`
    (the channel's registry `stale_after_s`, or the stream's `stale_after`). `subscription`
    is the symbol (or topic) that went silent, None when the stream cannot tell its pushes
    apart (the whole stream went silent). Yielded once per silence; a `Fresh` event follows
    when data for it arrives again. Past the second threshold (`reconnect_after_s`) the
    stream reconnects (a `Gap`), and the subscription stays stale until its data comes."""

    venue: str
    subscription: str | None
    silent_for: float
    threshold: float


@dataclass(frozen=True, slots=True)
class Fresh:
    """Data for a subscription that was `Stale` arrived again, after `silent_for` seconds of
    silence; `subscription` as in its `Stale` event. The data item follows this event."""

    venue: str
    subscription: str | None
    silent_for: float


StreamEvent = Gap | DecodeFailure | Stale | Fresh
"""Every event a stream yields besides its data; `isinstance(item, StreamEvent)` tells them apart."""

__all__ = [
    "BookEvent",
    "BookGap",
    "BookGapCause",
    "BookResynced",
    "DecodeFailure",
    "Fresh",
    "Gap",
    "ResyncTimedOut",
    "Stale",
    "StreamEvent",
]


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


@dataclass(frozen=True, slots=True)
class ResyncTimedOut:
    """No snapshot came for the resync of `symbol`'s book: `requests` snapshot requests were
    sent, `waited` seconds in all, each given the channel's `resync_timeout_s` (registry). The
    stream reconnects now (a `Gap` follows); the book stays invalid until the new connection's
    snapshot, and a `BookResynced` says when it is valid again."""

    symbol: str
    requests: int
    waited: float


BookEvent = BookGap | BookResynced | ResyncTimedOut
