"""`venuewire decode` against bad input: every failure exits 2 with exactly one line on
stderr naming what is wrong (never a traceback), whatever the bytes, the message class or
the terminal's encoding."""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from venuewire.cli import main
from venuewire.generated.registry import MESSAGES
from venuewire.opend.frame import MAGIC, encode_frame

pytestmark = pytest.mark.timeout(60)

JSON_MESSAGES = [(m.venue, m.name) for m in MESSAGES if m.format != "protobuf"]
PROTO_MESSAGES = [(m.venue, m.name) for m in MESSAGES if m.format == "protobuf"]
ALL_MESSAGES = JSON_MESSAGES + PROTO_MESSAGES

BAD_INPUTS = {
    "invalid-utf8-in-a-string": b'{"code": 0, "msg": "\xff\xfe", "data": []}',
    "invalid-utf8-alone": b"\xff\xfe\xfd",
    "empty": b"",
    "whitespace": b" \n\t ",
    "binary-garbage": bytes(range(256)) * 4,
    "nul-bytes": b"\x00" * 64,
    "huge-integer": b"1" + b"0" * 5000,
    "huge-integer-in-a-field": b'{"code": 1' + b"0" * 5000 + b', "msg": "x", "data": []}',
    "huge-float": b'{"code": 1e400, "msg": "x", "data": []}',
    "deep-arrays": b"[" * 100_000,
    "deep-objects": b'{"a":' * 100_000,
    "truncated-frame": MAGIC + b"\x01\x02",
    "frame-with-garbage-body": encode_frame(3012, 1, b"\xff" * 32),
    "odd-hex": b"46 54 f",
}


def run_decode(venue: str, name: str, path: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[int, str]:
    code = main(["decode", venue, name, str(path), *extra])
    captured = capsys.readouterr()
    return code, captured.err


@pytest.mark.parametrize("payload", BAD_INPUTS.values(), ids=BAD_INPUTS.keys())
def test_bad_input_exits_2_with_one_line_for_every_message(tmp_path, capsys, payload):
    source = tmp_path / "input"
    source.write_bytes(payload)
    for venue, name in ALL_MESSAGES:
        code, err = run_decode(venue, name, source, capsys)
        if code == 0:  # a few inputs are valid for some messages (e.g. garbage hex for a body)
            continue
        assert code == 2, (venue, name, err)
        lines = err.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("venuewire decode: "), (venue, name, err)


def test_invalid_utf8_names_the_message_and_says_utf8(tmp_path, capsys):
    source = tmp_path / "input"
    source.write_bytes(BAD_INPUTS["invalid-utf8-in-a-string"])
    code, err = run_decode("coinw", "order_response", source, capsys)
    assert code == 2 and "order_response" in err and "UTF-8" in err


def test_nesting_too_deep_is_one_line_not_a_recursion_error(tmp_path, capsys):
    source = tmp_path / "input"
    source.write_bytes(BAD_INPUTS["deep-objects"])
    code, err = run_decode("qfex", "order", source, capsys)
    assert code == 2 and "nested too deeply" in err


def test_an_unreadable_file_exits_2_with_one_line(tmp_path, capsys):
    for path in (tmp_path / "missing.json", tmp_path):
        code, err = run_decode("coinw", "order_response", path, capsys)
        assert code == 2 and len(err.strip().splitlines()) == 1 and "cannot read" in err


@given(venue_name=st.sampled_from(ALL_MESSAGES), payload=st.binary(max_size=120), as_json=st.booleans())
@settings(max_examples=200, deadline=None)
def test_any_bytes_decode_or_exit_2_with_one_line(tmp_path_factory, venue_name, payload, as_json):
    source = tmp_path_factory.mktemp("fuzz") / "input"
    source.write_bytes(payload)
    venue, name = venue_name
    err = io.StringIO()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
        code = main(["decode", venue, name, str(source), *(["--json"] if as_json else [])])
    assert code in (0, 2)
    if code == 2:
        assert len(err.getvalue().strip().splitlines()) == 1


def run_cli(args: list[str], stdin: bytes, **env: str) -> subprocess.CompletedProcess[bytes]:
    environment = {**os.environ, **env}
    return subprocess.run(
        [sys.executable, "-m", "venuewire", *args],
        input=stdin,
        capture_output=True,
        env=environment,
        timeout=30,
        check=False,
    )


def test_invalid_utf8_on_stdin_exits_2_with_one_line_and_no_traceback():
    done = run_cli(["decode", "coinw", "order_response"], BAD_INPUTS["invalid-utf8-in-a-string"])
    assert done.returncode == 2
    assert b"Traceback" not in done.stderr and len(done.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("as_json", [False, True], ids=["repr", "json"])
def test_text_the_terminal_cannot_encode_is_printed_not_a_traceback(as_json):
    payload = '{"code": 0, "msg": "café €", "data": []}'.encode()
    args = ["decode", "coinw", "order_response", *(["--json"] if as_json else [])]
    done = run_cli(args, payload, PYTHONIOENCODING="ascii")
    assert done.returncode == 0, done.stderr.decode(errors="replace")
    assert b"caf" in done.stdout and b"Traceback" not in done.stderr
