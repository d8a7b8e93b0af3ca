"""The drift report of a capture: per message type, how the traffic differs from the schemas.

`check_capture(capture)` classifies every record (venuewire.drift.classify), decodes it with the
strict generated classes and compares the raw JSON or protobuf with its schema
(venuewire.drift.fields). `DriftReport.to_json()` is the stable document `venuewire check
--json` prints (REPORT_FORMAT, version 1):

    {"format": "venuewire-drift", "version": 1, "capture": "session.vwcap", "records": 120,
     "drift": true,
     "messages": [
       {"message": "bitmart/spot_depth", "venue": "bitmart", "count": 40, "drift": true,
        "decode_failures": [{"path": "data[].ms_t", "detail": "...", "count": 1}],
        "unknown_fields": [{"path": "data[].checksum", "count": 40}],
        "missing_required": [{"path": "data[].ms_t", "count": 1}],
        "new_enum_values": [{"path": "event", "value": "resubscribe", "known": [...], "count": 1}],
        "type_changes": [{"path": "data[].ms_t", "declared": ["integer"], "seen": "string", "count": 1}]}],
     "unknown_messages": [{"message": "infoway ws in code=10099", "venue": "infoway", "count": 2}],
     "control": [{"message": "bitmart ws pong", "venue": "bitmart", "count": 3}]}

Lists are sorted (messages by name, entries by path then value) so two runs over one capture
give the same document. `drift` is true when any message has a finding or any message type
is unknown.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from venuewire.capture.format import Capture, Record
from venuewire.drift.classify import Classified, classify
from venuewire.drift.fields import Finding, json_findings, message_class, proto_findings
from venuewire.errors import DecodeError
from venuewire.generated.registry import OPEND, MessageInfo

REPORT_FORMAT = "venuewire-drift"
REPORT_VERSION = 1


def pattern(path: Iterable[str | int]) -> str:
    """A DecodeError field path in the shape tables' syntax, indices as "[]"."""
    out = ""
    for step in path:
        if isinstance(step, int):
            out += "[]"
        else:
            out = f"{out}.{step}" if out else str(step)
    return out


@dataclass
class MessageDrift:
    """What one message type did across the capture."""

    message: str
    venue: str
    count: int = 0
    decode_failures: Counter[tuple[str, str]] = field(default_factory=Counter)
    findings: Counter[tuple[str, str, str, tuple[str, ...]]] = field(default_factory=Counter)
    samples: dict[frozenset[str], Classified] = field(default_factory=dict)
    """One message of each distinct shape (its set of field paths), for --fixtures."""

    @property
    def drift(self) -> bool:
        return bool(self.decode_failures or self.findings)

    def _entries(self, kind: str) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        ordered = sorted(self.findings.items(), key=lambda i: (i[0][1], i[0][2], i[0][0]))
        for (k, path, value, declared), count in ordered:
            if k != kind:
                continue
            entry: dict[str, Any] = {"path": path}
            if kind == "new_enum_value":
                entry["value"] = json.loads(value)
                entry["known"] = list(declared)
            elif kind == "type_change":
                entry["declared"] = list(declared)
                entry["seen"] = json.loads(value)
            entry["count"] = count
            out.append(entry)
        return out

    def to_json(self) -> dict[str, Any]:
        failures = [
            {"path": path, "detail": detail, "count": count}
            for (path, detail), count in sorted(self.decode_failures.items())
        ]
        return {
            "message": self.message,
            "venue": self.venue,
            "count": self.count,
            "drift": self.drift,
            "decode_failures": failures,
            "unknown_fields": self._entries("unknown_field"),
            "missing_required": self._entries("missing_required"),
            "new_enum_values": self._entries("new_enum_value"),
            "type_changes": self._entries("type_change"),
        }


@dataclass
class DriftReport:
    """The whole report: `messages` by message type, `unknown` (message types the registry
    does not know) and `control` (pings, pongs, HTTP error statuses) counted by label."""

    capture: str
    records: int = 0
    messages: dict[str, MessageDrift] = field(default_factory=dict)
    unknown: Counter[tuple[str, str]] = field(default_factory=Counter)
    control: Counter[tuple[str, str]] = field(default_factory=Counter)
    truncated: bool = False

    @property
    def drift(self) -> bool:
        return bool(self.unknown) or any(m.drift for m in self.messages.values())

    def to_json(self) -> dict[str, Any]:
        return {
            "format": REPORT_FORMAT,
            "version": REPORT_VERSION,
            "capture": self.capture,
            "records": self.records,
            "truncated": self.truncated,
            "drift": self.drift,
            "messages": [self.messages[k].to_json() for k in sorted(self.messages)],
            "unknown_messages": _counted(self.unknown),
            "control": _counted(self.control),
        }


def _counted(counter: Counter[tuple[str, str]]) -> list[dict[str, Any]]:
    return [{"message": label, "venue": venue, "count": count} for (label, venue), count in sorted(counter.items())]


def check_capture(capture: Capture) -> DriftReport:
    """The drift report of a read capture (venuewire.capture.read_capture)."""
    return check_records(capture.records, str(capture.path), truncated=capture.truncated)


def check_records(records: Iterable[Record], name: str = "", *, truncated: bool = False) -> DriftReport:
    """The drift report of captured records."""
    report = DriftReport(capture=name, truncated=truncated)
    for item in classify(records):
        report.records += 1
        venue = item.record.venue
        if item.kind == "control":
            report.control[(item.label, venue)] += 1
            continue
        if item.info is None:
            if item.problem is not None:
                entry = report.messages.setdefault(item.label, MessageDrift(item.label, venue))
                entry.count += 1
                entry.decode_failures[(pattern(item.problem.field_path), item.problem.detail)] += 1
            else:
                report.unknown[(item.label, venue)] += 1
            continue
        entry = report.messages.setdefault(item.label, MessageDrift(item.label, venue))
        entry.count += 1
        failure, findings = compare(item)
        if failure is not None:
            entry.decode_failures[(pattern(failure.field_path), failure.detail)] += 1
        for finding in findings:
            value = json.dumps(finding.value)
            entry.findings[(finding.kind, finding.path, value, finding.declared)] += 1
        shape = frozenset(finding_paths(item))
        entry.samples.setdefault(shape, item)
    return report


def compare(item: Classified) -> tuple[DecodeError | None, list[Finding]]:
    """The strict decode's failure (None when it decodes) and the shape findings of one
    classified message."""
    assert item.info is not None
    if item.kind == "proto":
        return _compare_proto(item.info, item.payload, item.proto_fmt)
    try:
        value = json.loads(item.payload)
    except (ValueError, RecursionError) as exc:
        return DecodeError(item.info.venue, item.info.name, (), f"not valid JSON: {exc}"), []
    if item.kind == "query":
        # Query values are text on the wire: only unknown and missing parameters count.
        findings = [
            f
            for f in json_findings(item.info, value)
            if f.kind in ("unknown_field", "missing_required") and f.path not in item.ignore
        ]
        return None, findings
    from venuewire.messages import decode_json

    failure: DecodeError | None = None
    try:
        decode_json(message_class(item.info), item.payload)
    except DecodeError as exc:
        failure = exc
    return failure, json_findings(item.info, value)


def _compare_proto(info: MessageInfo, body: bytes, fmt: int) -> tuple[DecodeError | None, list[Finding]]:
    from venuewire.messages import decode_proto, decode_proto_json

    cls = message_class(info)
    if fmt == OPEND.proto_fmt_json:
        try:
            return None, proto_findings(decode_proto_json(cls, body))
        except DecodeError as exc:
            return exc, []
    try:
        loose = decode_proto(cls, body, check_required=False)
    except DecodeError as exc:
        return exc, []
    failure: DecodeError | None = None
    try:
        decode_proto(cls, body)
    except DecodeError as exc:
        failure = exc
    return failure, proto_findings(loose)


def finding_paths(item: Classified) -> set[str]:
    """The set of field paths (patterns) one message carries: its shape, for --fixtures."""
    from venuewire.drift.fields import json_type

    if item.kind == "proto":
        from google.protobuf import json_format

        assert item.info is not None
        try:
            msg = json_format.MessageToDict(
                message_class(item.info).FromString(item.payload), preserving_proto_field_name=True
            )
        except Exception:
            return {"<unreadable>"}
        value: Any = msg
    else:
        try:
            value = json.loads(item.payload)
        except (ValueError, RecursionError):
            return {"<unreadable>"}
    out: set[str] = set()

    def walk(node: Any, path: str) -> None:
        out.add(f"{path}:{json_type(node)}")
        if isinstance(node, dict):
            for key, sub in node.items():
                walk(sub, f"{path}.{key}" if path else key)
        elif isinstance(node, list):
            for sub in node:
                walk(sub, f"{path}[]")

    walk(value, "")
    return out
