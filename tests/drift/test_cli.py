"""`venuewire check FILE [--json] [--fixtures DIR]`: the table, the JSON document, exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.drift.doctored import bitmart_push, doctor, fixture, order_book_push, write_capture
from venuewire.cli import main

SPOT = fixture("bitmart", "spot_depth", "depth5_btc_usdt")
VENUEWIRE = str(Path(sys.executable).with_name("venuewire"))


def clean_capture(tmp_path: Path) -> Path:
    return write_capture(tmp_path / "clean.vwcap", [order_book_push(), bitmart_push(SPOT)])


def drifting_capture(tmp_path: Path) -> Path:
    changed = doctor(SPOT, lambda f: f["data"][0].update(checksum=5))
    return write_capture(tmp_path / "drift.vwcap", [order_book_push(), bitmart_push(changed)])


def test_no_drift_exits_0_with_a_table(tmp_path, capsys):
    path = clean_capture(tmp_path)
    assert main(["check", str(path)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"{path}: 2 messages"
    assert out[1].split() == ["message", "type", "count", "drift"]
    assert out[2].split() == ["bitmart/spot_depth", "1", "no"]
    assert out[3].split() == ["futu/Qot_UpdateOrderBook.Response", "1", "no"]
    assert out[-1] == "no drift"


def test_drift_exits_1_and_the_table_names_the_field(tmp_path, capsys):
    assert main(["check", str(drifting_capture(tmp_path))]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[2].split() == ["bitmart/spot_depth", "1", "yes"]
    assert out[3] == "    unknown field data[].checksum x1"
    assert out[-1] == "drift"


def test_json_document_is_the_stable_report(tmp_path, capsys):
    path = drifting_capture(tmp_path)
    assert main(["check", str(path), "--json"]) == 1
    doc = json.loads(capsys.readouterr().out)
    assert doc == {
        "format": "venuewire-drift",
        "version": 1,
        "capture": str(path),
        "records": 2,
        "truncated": False,
        "drift": True,
        "messages": [
            {
                "message": "bitmart/spot_depth",
                "venue": "bitmart",
                "count": 1,
                "drift": True,
                "decode_failures": [],
                "unknown_fields": [{"path": "data[].checksum", "count": 1}],
                "missing_required": [],
                "new_enum_values": [],
                "type_changes": [],
            },
            {
                "message": "futu/Qot_UpdateOrderBook.Response",
                "venue": "futu",
                "count": 1,
                "drift": False,
                "decode_failures": [],
                "unknown_fields": [],
                "missing_required": [],
                "new_enum_values": [],
                "type_changes": [],
            },
        ],
        "unknown_messages": [],
        "control": [],
    }


def test_a_file_that_is_not_a_capture_exits_2(tmp_path, capsys):
    bad = tmp_path / "notes.txt"
    bad.write_text("hello\n", encoding="utf-8")
    assert main(["check", str(bad)]) == 2
    assert "not a venuewire capture" in capsys.readouterr().err
    assert main(["check", str(tmp_path / "missing.vwcap")]) == 2


def test_a_capture_cut_short_is_read_up_to_its_last_whole_record(tmp_path, capsys):
    path = clean_capture(tmp_path)
    path.write_bytes(path.read_bytes() + b'{"seq": 99, "mono"')  # a crash mid-line
    assert main(["check", str(path), "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["truncated"] is True
    assert doc["records"] == 2


def run(argv: list[str]) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(argv, capture_output=True, timeout=60, check=False)


def test_check_runs_as_a_subprocess_with_its_exit_codes(tmp_path):
    clean = run([VENUEWIRE, "check", str(clean_capture(tmp_path)), "--json"])
    assert clean.returncode == 0, clean.stderr
    assert json.loads(clean.stdout)["drift"] is False
    drift = run([VENUEWIRE, "check", str(drifting_capture(tmp_path))])
    assert drift.returncode == 1, drift.stderr
    assert b"unknown field data[].checksum x1" in drift.stdout
    bad = tmp_path / "bad.vwcap"
    bad.write_bytes(b"not json\n")
    broken = run([VENUEWIRE, "check", str(bad)])
    assert broken.returncode == 2
    assert broken.stdout == b""
    assert b"venuewire check:" in broken.stderr


def test_help_names_the_options(capsys):
    assert main(["check", "--help"]) == 0
    out = capsys.readouterr().out
    assert "--json" in out
    assert "--fixtures DIR" in out


def test_fixtures_that_cannot_be_written_exit_2(tmp_path, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    assert main(["check", str(clean_capture(tmp_path)), "--fixtures", str(blocker / "sub")]) == 2
    assert "cannot write fixtures" in capsys.readouterr().err
