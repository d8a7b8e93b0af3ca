"""What every capture test checks: the records in order, and no secret anywhere in the file."""

from __future__ import annotations

import base64
from pathlib import Path

from venuewire.capture import Capture, Record, read_capture

SECRET_MARK = b"[redacted]"


def forms(secret: str | bytes) -> list[bytes]:
    """A secret as bytes, hex (both cases) and base64 (padded and not)."""
    raw = secret.encode() if isinstance(secret, str) else secret
    b64 = base64.b64encode(raw)
    return [raw, raw.hex().encode(), raw.hex().upper().encode(), b64, b64.rstrip(b"=")]


def assert_no_secrets(path: Path, *secrets: str | bytes) -> Capture:
    """No secret, in any of its forms, in the file's raw bytes nor in any record's decoded data."""
    raw = path.read_bytes()
    capture = read_capture(path)
    decoded = b"\n".join(r.data for r in capture.records)
    for secret in secrets:
        for form in forms(secret):
            assert form not in raw, f"{form!r} (a form of a secret) is in {path}"
            assert form not in decoded, f"{form!r} (a form of a secret) is in a record's data"
    return capture


def kinds(records: list[Record] | tuple[Record, ...]) -> list[tuple[str, str]]:
    return [(r.direction, r.transport) for r in records]


def only(capture: Capture, venue: str) -> list[Record]:
    return [r for r in capture.records if r.venue == venue]


def single_capture(folder: Path) -> Path:
    files = sorted(folder.glob("*.jsonl"))
    assert len(files) == 1, files
    return files[0]


def read(path: Path) -> Capture:
    return read_capture(path)
