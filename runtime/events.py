"""Stream events shared by every venue: what a stream reports besides its data."""

from __future__ import annotations

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
