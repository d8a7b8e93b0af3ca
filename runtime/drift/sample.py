"""Unknown fields in a client's own statistics: a cheap sample of its JSON traffic.

A stream cannot afford the drift comparison (venuewire.drift.fields) on every message, so
`UnknownFieldSampler` compares a sample: the first `first` messages of each kind (the type of
the item the protocol decoded from it; messages that gave no item are one kind), then every
`every`th of that kind. A sampled message is classified the way `venuewire check` does
(venuewire.drift.classify) and every field its schema does not declare is counted in the
caller's `Counter` under (message, path): `message` as the drift report names it
("bitmart/spot_depth"), `path` the pattern path ("data[].checksum"), once per message it
appears in. The first time a (message, path) is seen it is logged at INFO. Counting never
raises: a failure is logged once (at WARNING) and that message is not counted.

OpenD's protobuf messages keep their unknown fields: `ProtoUnknownFields` counts those of
a sample of the decoded pushes and replies, by the same rule per message name (the check of one
message costs about as much as its decode, so every message would halve a book stream's rate).
"""

from __future__ import annotations

import logging
import sys
from collections import Counter
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from collections.abc import Iterable

    from google.protobuf.message import Message

    from venuewire.drift.fields import Finding

log = logging.getLogger("venuewire.drift")

SAMPLE_FIRST: Final = 16
"""Messages of each kind compared first (per stream)."""
SAMPLE_EVERY: Final = 1024
"""After those, every this many-th message of the kind is compared."""

UnknownCounter = Counter[tuple[str, str]]
"""(message, field path) -> messages in which that unknown field came."""


class _Counting:
    """What the counters share: the `Counter`, the sample (the first `first` messages of each
    kind, then every `every`th; `every=0` only the first ones; `compared` counts the messages
    compared), the INFO line for a new key, the one warning."""

    __slots__ = ("_failed", "_seen", "compared", "counter", "every", "first", "venue")

    def __init__(self, venue: str, counter: UnknownCounter, first: int, every: int) -> None:
        if first < 0 or every < 0:
            raise ValueError("unknown-field sampling: first and every must be 0 or more")
        self.venue = venue
        self.counter = counter
        self.first = first
        self.every = every
        self.compared = 0
        self._seen: dict[object, int] = {}
        self._failed = False

    def _takes(self, kind: object) -> bool:
        """Whether the sample takes this message of `kind`."""
        seen = self._seen.get(kind, 0) + 1
        self._seen[kind] = seen
        return seen <= self.first or bool(self.every and seen % self.every == 0)

    def _add(self, keys: list[tuple[str, str]]) -> None:
        for key in keys:
            if key not in self.counter:
                log.info("%s: %s has a field the schema does not know: %s", self.venue, key[0], key[1])
            self.counter[key] += 1

    def _add_findings(self, label: str, findings: Iterable[Finding]) -> None:
        """Count the unknown fields among `findings` of one `label` message, once each."""
        self._add(_unknown_keys(label, findings))

    def _failure(self, exc: Exception) -> None:
        if not self._failed:
            self._failed = True
            name = type(exc).__name__
            log.warning("%s: counting unknown fields failed (%s: %s); not counted", self.venue, name, exc)


class UnknownFieldSampler(_Counting):
    """Samples one stream's incoming JSON messages for unknown fields into `counter`.

    `venue` names the venue, `url` the connection (its path picks the registry channels the
    messages may belong to; set it again when it changes). `first` and `every` as
    `SAMPLE_FIRST` and `SAMPLE_EVERY`; `every=0` compares only the first ones. `compared`
    counts the messages compared (tests read it)."""

    __slots__ = ("url",)

    def __init__(
        self,
        venue: str,
        counter: UnknownCounter,
        *,
        url: str = "",
        first: int = SAMPLE_FIRST,
        every: int = SAMPLE_EVERY,
    ) -> None:
        super().__init__(venue, counter, first, every)
        self.url = url

    def observe(self, raw: str | bytes, kind: object) -> int:
        """One incoming message `raw` whose decoded item is of `kind` (e.g. its type): compare
        it when the sample takes it. Never raises. Returns how many of the next messages of
        `kind` the sample will not take: a caller may count those with `passed` instead (a
        stream does, so that most of its messages cost no call)."""
        seen = self._seen.get(kind, 0) + 1
        self._seen[kind] = seen
        if seen <= self.first or (self.every and seen % self.every == 0):
            self.compare(raw)
        if seen < self.first:
            return 0
        if not self.every:
            return sys.maxsize
        return self.every - 1 - seen % self.every

    def passed(self, kind: object, count: int) -> None:
        """`count` messages of `kind` went by that the sample would not have taken (as
        `observe` said): counted as seen, not compared."""
        self._seen[kind] = self._seen.get(kind, 0) + count

    def compare(self, raw: str | bytes) -> None:
        """Compare one message now and count its unknown fields. Never raises."""
        try:
            self.compared += 1
            self._add(_unknown_paths(self.venue, self.url, raw))
        except Exception as exc:  # counting is a statistic: it must never cost the stream
            self._failure(exc)


class ProtoUnknownFields(_Counting):
    """Counts the unknown fields of a sample of the decoded OpenD messages into `counter`: the
    first `first` of each message name, then every `every`th (as `UnknownFieldSampler`). A
    sampled message is checked cheaply: a copy without its unknown fields (protobuf's C code)
    is as long as the body in the common case; only a message where it is not is walked
    (venuewire.drift.fields.proto_findings). `compared` and `walked` count the checks and the
    walks (tests read them)."""

    __slots__ = ("walked",)

    def __init__(
        self, venue: str, counter: UnknownCounter, *, first: int = SAMPLE_FIRST, every: int = SAMPLE_EVERY
    ) -> None:
        super().__init__(venue, counter, first, every)
        self.walked = 0

    def check(self, message: Message, size: int, label: str) -> None:
        """`message`, parsed from a body of `size` bytes, is `label` ("futu/Qot_X.Response"):
        checked when the sample takes it. Never raises."""
        if not self._takes(label):
            return
        try:
            self.compared += 1
            probe = type(message)()
            probe.CopyFrom(message)
            probe.DiscardUnknownFields()
            if probe.ByteSize() == size:
                return  # nothing unknown (or a longer encoding than ours: then walked)
            from venuewire.drift.fields import proto_findings

            self.walked += 1
            self._add_findings(label, proto_findings(message))
        except Exception as exc:  # counting is a statistic: it must never cost the caller
            self._failure(exc)


class RestUnknownFields(_Counting):
    """Counts the unknown fields of a sample of one REST caller's decoded replies into
    `counter`: the first `first` replies of each endpoint's message, then every `every`th (as
    `UnknownFieldSampler`), under (the reply message, pattern path), e.g.
    ("coinw/order_response", "data[].newField"). `compared` counts the replies compared."""

    __slots__ = ()

    def __init__(
        self, venue: str, counter: UnknownCounter, *, first: int = SAMPLE_FIRST, every: int = SAMPLE_EVERY
    ) -> None:
        super().__init__(venue, counter, first, every)

    def reply(self, message: str, body: bytes) -> None:
        """A decoded reply `body` of `message` ("venue/name"): compared when the sample takes
        it. Never raises."""
        if not self._takes(message):
            return
        try:
            from venuewire.drift import findings

            self.compared += 1
            self._add_findings(message, findings(message, body))
        except Exception as exc:  # counting is a statistic: it must never cost the caller
            self._failure(exc)


def _unknown_paths(venue: str, url: str, raw: str | bytes) -> list[tuple[str, str]]:
    import json

    from venuewire.capture.format import Record, Transport
    from venuewire.drift.classify import classify
    from venuewire.drift.fields import json_findings
    from venuewire.errors import DecodeError

    data = raw.encode("utf-8") if isinstance(raw, str) else raw
    transport: Transport = "ws-text" if isinstance(raw, str) else "ws-binary"
    records = [
        Record(0, 0.0, 0.0, 0, venue, "meta", "open", meta={"url": url}),
        Record(1, 0.0, 0.0, 0, venue, "in", transport, data),
    ]
    out: list[tuple[str, str]] = []
    for item in classify(records):
        if item.kind != "json" or item.info is None:
            continue
        try:
            value = json.loads(item.payload)
        except (ValueError, RecursionError):
            raise DecodeError(venue, item.label, (), "not valid JSON") from None
        out.extend(key for key in _unknown_keys(item.label, json_findings(item.info, value)) if key not in out)
    return out


def _unknown_keys(label: str, findings: Iterable[Finding]) -> list[tuple[str, str]]:
    """(label, pattern path) of each unknown field among `findings`, once each, in order met."""
    keys: list[tuple[str, str]] = []
    for finding in findings:
        key = (label, finding.path)
        if finding.kind == "unknown_field" and key not in keys:
            keys.append(key)
    return keys
