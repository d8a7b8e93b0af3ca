"""The capture file format: round trip, redaction before the disk, crash-cut files, refusals."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from venuewire.capture import CAPTURE_VERSION, CaptureFormatError, CaptureWriter, read_capture


def _session(path: Path) -> None:
    with CaptureWriter(path, redact=["sekrit-key-123"]) as writer:
        conn = writer.connection("bitmart", "wss://example.invalid/api?key=sekrit-key-123")
        writer.write(conn, "bitmart", "out", "ws-text", b'{"op":"login","args":["sekrit-key-123"]}')
        writer.write(conn, "bitmart", "in", "ws-binary", b"\x78\x9c\x00\xff")
        seq = writer.write(
            conn,
            "bitmart",
            "out",
            "http-request",
            b"",
            meta={"method": "GET", "target": "/x", "headers": {"X-KEY": "sekrit-key-123"}},
        )
        writer.write(conn, "bitmart", "in", "http-response", b"\xe9t\xe9", meta={"status": 200, "request": seq})
        writer.close_connection(conn, "bitmart", "done")


def test_round_trip_keeps_bytes_and_order(tmp_path: Path) -> None:
    path = tmp_path / "s.jsonl"
    _session(path)
    capture = read_capture(path)
    assert capture.header.version == CAPTURE_VERSION
    assert not capture.truncated
    kinds = [(r.seq, r.direction, r.transport) for r in capture.records]
    assert kinds == [
        (0, "meta", "open"),
        (1, "out", "ws-text"),
        (2, "in", "ws-binary"),
        (3, "out", "http-request"),
        (4, "in", "http-response"),
        (5, "meta", "close"),
    ]
    assert capture.records[2].data == b"\x78\x9c\x00\xff"
    assert capture.records[4].data == b"\xe9t\xe9"  # not UTF-8: kept as base64
    assert capture.records[4].meta["request"] == 3
    lines = path.read_text("utf-8").splitlines()
    assert "text" in json.loads(lines[2]) and "b64" in json.loads(lines[3])
    assert [r.mono for r in capture.records] == sorted(r.mono for r in capture.records)


def test_secrets_never_reach_the_disk(tmp_path: Path) -> None:
    path = tmp_path / "s.jsonl"
    _session(path)
    raw = path.read_bytes()
    assert b"sekrit-key-123" not in raw
    assert raw.count(b"[redacted]") == 3


def test_a_file_cut_mid_record_reads_up_to_its_last_whole_record(tmp_path: Path) -> None:
    path = tmp_path / "s.jsonl"
    _session(path)
    raw = path.read_bytes()
    cut = raw[: raw.rindex(b"\n", 0, len(raw) - 1) + 15]
    path.write_bytes(cut)
    capture = read_capture(path)
    assert capture.truncated
    assert len(capture.records) == 5


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("", "no header"),
        ('{"format":"other"}\n', "not a venuewire capture"),
        ('{"format":"venuewire-capture","version":99}\n', "version 99"),
        ('{"format":"venuewire-capture","version":1}\nnot json\n{}\n', "line 2 is not JSON"),
        ('{"format":"venuewire-capture","version":1}\n{"seq":0}\n', "line 2: bad record"),
        (
            '{"format":"venuewire-capture","version":1}\n'
            '{"seq":0,"mono":0,"wall":0,"conn":1,"venue":"x","dir":"sideways","transport":"open"}\n',
            "unknown dir",
        ),
    ],
)
def test_bad_files_are_refused_with_the_line(tmp_path: Path, text: str, needle: str) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text(text, "utf-8")
    with pytest.raises(CaptureFormatError, match=needle):
        read_capture(path)


def test_one_new_file_per_session(tmp_path: Path) -> None:
    path = tmp_path / "s.jsonl"
    _session(path)
    with pytest.raises(CaptureFormatError, match="exists"):
        CaptureWriter(path)


def test_records_after_close_are_dropped(tmp_path: Path) -> None:
    writer = CaptureWriter(tmp_path / "s.jsonl")
    writer.close()
    assert writer.write(1, "qfex", "in", "ws-text", b"{}") == -1
