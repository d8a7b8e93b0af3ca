"""`venuewire check --fixtures DIR`: one contract-test fixture per distinct message shape.

The layout is tests/fixtures/<venue>/<message>/ (OpenD: tests/fixtures/futu/<Name>.<Message>/),
so copying DIR's folders into tests/fixtures makes them contract tests:
- a message the strict decode reads is `<message>/capture_<seq>_<shape>.json`: the payload
  itself (JSON), or protobuf's JSON mapping of the body (OpenD); a shape with unknown fields
  fails the round trip of the contract tests until the schema declares them, which is the point;
- a message the strict decode refuses is `<message>/invalid/capture_<seq>_<shape>.json`:
  `{"field": [...], "why": "...", "payload": ...}`, the field path and reason of the failure.
A shape is the message type and the set of (field path, JSON type) pairs it carries.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from venuewire.drift.classify import Classified
from venuewire.drift.fields import message_class
from venuewire.drift.report import DriftReport, compare
from venuewire.errors import DecodeError


def write_fixtures(report: DriftReport, folder: str | Path) -> list[Path]:
    """Write one fixture per distinct shape of every known message type; returns the files
    written (existing files with the same name are left alone)."""
    root = Path(folder)
    written: list[Path] = []
    for name in sorted(report.messages):
        for shape, item in sorted(report.messages[name].samples.items(), key=lambda s: s[1].record.seq):
            if item.info is None or item.kind == "query":
                continue
            digest = hashlib.sha1("\n".join(sorted(shape)).encode("utf-8")).hexdigest()[:10]
            case = f"capture_{item.record.seq}_{digest}.json"
            base = root / item.info.venue / item.info.name
            failure, _ = compare(item)
            try:
                payload = _payload(item)
            except DecodeError:
                continue  # a body no reader can turn into JSON: nothing a fixture could hold
            if failure is not None:
                target = base / "invalid" / case
                body: Any = {"field": list(failure.field_path), "why": failure.detail, "payload": payload}
            else:
                target = base / case
                body = payload
            if target.exists():
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            if failure is None and item.kind == "json":
                target.write_bytes(item.payload)  # the exact bytes: numbers keep every digit
            else:
                target.write_text(json.dumps(body, ensure_ascii=False), encoding="utf-8")
            written.append(target)
    return written


def _payload(item: Classified) -> Any:
    if item.kind != "proto":
        try:
            return json.loads(item.payload)
        except (ValueError, RecursionError) as exc:
            assert item.info is not None
            raise DecodeError(item.info.venue, item.info.name, (), "not JSON") from exc
    from google.protobuf import json_format

    from venuewire.messages import decode_proto

    assert item.info is not None
    msg = decode_proto(message_class(item.info), item.payload, check_required=False)
    return json_format.MessageToDict(msg, preserving_proto_field_name=True)
