"""The drift report: how captured traffic differs from the schemas (`venuewire check`).

`check_capture(read_capture(path))` gives a `DriftReport` per message type: count, strict decode
failures with field paths, fields the schema does not know, required fields that never came,
values outside known enums, type changes, and message types the registry does not know.
`unknown_fields(message_type, raw)` counts what the strict decode would not show (the decode
itself stays strict); `write_fixtures(report, folder)` writes one contract-test fixture per
distinct message shape.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from venuewire.drift.classify import Classified, classify
from venuewire.drift.fields import Finding, find_message, json_findings, proto_findings
from venuewire.drift.fixtures import write_fixtures
from venuewire.drift.report import (
    REPORT_FORMAT,
    REPORT_VERSION,
    DriftReport,
    MessageDrift,
    check_capture,
    check_records,
)
from venuewire.generated.registry import MessageInfo

if TYPE_CHECKING:
    from google.protobuf.message import Message

__all__ = [
    "REPORT_FORMAT",
    "REPORT_VERSION",
    "Classified",
    "DriftReport",
    "Finding",
    "MessageDrift",
    "check_capture",
    "check_records",
    "classify",
    "findings",
    "unknown_fields",
    "write_fixtures",
]


def _info(message_type: type[Any] | str) -> MessageInfo:
    if isinstance(message_type, str):
        venue, _, name = message_type.partition("/")
        return find_message(venue, name)
    from venuewire.messages import message_info

    return message_info(message_type)


def findings(message_type: type[Any] | str, raw: bytes | str) -> list[Finding]:
    """Every way `raw` differs from its schema (see venuewire.drift.fields). `message_type`
    is a generated class or "venue/message" (e.g. "bitmart/spot_depth",
    "futu/Qot_UpdateOrderBook.Response"); `raw` a JSON payload or a protobuf body.
    Raises venuewire.DecodeError when `raw` is not readable at all."""
    from venuewire.drift.fields import message_class
    from venuewire.errors import DecodeError

    info = _info(message_type)
    if info.format == "protobuf":
        from venuewire.messages import decode_proto

        data = raw.encode("utf-8") if isinstance(raw, str) else raw
        parsed: Message = decode_proto(message_class(info), data, check_required=False)
        return proto_findings(parsed)
    try:
        value = json.loads(raw)
    except (ValueError, RecursionError) as exc:
        raise DecodeError(info.venue, info.name, (), f"not valid JSON: {exc}") from None
    return json_findings(info, value)


def unknown_fields(message_type: type[Any] | str, raw: bytes | str) -> list[str]:
    """The concrete paths ("data[0].checksum", "s2c.#99") of every field in `raw` that the
    schema of `message_type` does not declare, in the order met; empty when there is none.
    The strict decode is not changed: call this beside it to count what it passes over."""
    return [f.at for f in findings(message_type, raw) if f.kind == "unknown_field"]
