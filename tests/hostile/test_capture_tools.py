"""Hostile capture files against `read_capture`, `venuewire check` and `venuewire replay`:
every file that breaks the format is refused with one line (a CaptureFormatError, exit 2),
never a traceback; a record that is well formed but holds a bad message is drift."""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.hostile.capture_files import (
    BAD_FILES,
    DEEP,
    binary,
    deflated,
    keepalive_reply,
    lines,
    lying_length,
    opend,
    opened,
    record,
    write,
)
from venuewire.bitmart.protocol import DEFAULT_MAX_MESSAGE_SIZE
from venuewire.capture import format as capture_format
from venuewire.capture.format import CaptureFormatError, CaptureWriter, read_capture
from venuewire.cli import main
from venuewire.cli.check import render
from venuewire.drift import check_capture, write_fixtures
from venuewire.generated.registry import WS_BITMART_SPOT_DEPTH, OpenDProtoID
from venuewire.opend.frame import decode_frame, encode_frame
from venuewire.replay import Replay
from venuewire.replay.plan import ReplayPlan

pytestmark = pytest.mark.timeout(120)
IDS = [name for name, _data, _needle in BAD_FILES]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, list[str]]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err.splitlines()


@pytest.mark.parametrize(("name", "data", "needle"), BAD_FILES, ids=IDS)
def test_read_capture_refuses_with_one_line_naming_file_and_problem(
    tmp_path: Path, name: str, data: bytes, needle: str
) -> None:
    path = write(tmp_path, name, data)
    with pytest.raises(CaptureFormatError) as caught:
        read_capture(path)
    message = str(caught.value)
    assert needle in message
    assert message.startswith(f"{path}: ")
    assert "\n" not in message


@pytest.mark.parametrize(("name", "data", "needle"), BAD_FILES, ids=IDS)
def test_check_exits_2_with_one_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, name: str, data: bytes, needle: str
) -> None:
    path = write(tmp_path, name, data)
    code, out, err = run(capsys, "check", str(path))
    assert code == 2
    assert out == ""
    assert len(err) == 1
    assert err[0].startswith(f"venuewire check: {path}: ")
    assert needle in err[0]


@pytest.mark.parametrize(("name", "data", "needle"), BAD_FILES, ids=IDS)
def test_replay_exits_2_with_one_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, name: str, data: bytes, needle: str
) -> None:
    path = write(tmp_path, name, data)
    code, out, err = run(capsys, "replay", str(path), "--speed", "0", "--exit-after-idle", "0.2")
    assert code == 2
    assert out == ""
    assert len(err) == 1
    assert err[0].startswith(f"venuewire replay: {path}: ")
    assert needle in err[0]


@pytest.mark.parametrize(("name", "data", "needle"), BAD_FILES[:8], ids=IDS[:8])
def test_replay_class_raises_the_format_error(tmp_path: Path, name: str, data: bytes, needle: str) -> None:
    with pytest.raises(CaptureFormatError, match=r"line|header|capture"):
        Replay(write(tmp_path, name, data))


@pytest.mark.parametrize("name", ["binary", "a record nested 10000 deep", "invalid UTF-8 in text"])
@pytest.mark.parametrize("command", ["check", "replay"])
def test_a_real_process_prints_one_line_and_no_traceback(tmp_path: Path, name: str, command: str) -> None:
    data = next(d for n, d, _ in BAD_FILES if n == name)
    path = write(tmp_path, name, data)
    done = subprocess.run(
        [sys.executable, "-m", "venuewire", command, str(path)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert len(done.stderr.splitlines()) == 1, done.stderr
    assert done.stdout == ""


def test_a_missing_file_and_a_folder_are_one_line(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    for target, needle in ((tmp_path / "absent.jsonl", "No such file"), (tmp_path, "directory")):
        for command in ("check", "replay"):
            code, out, err = run(capsys, command, str(target))
            assert (code, out, len(err)) == (2, "", 1)
            assert err[0].startswith(f"venuewire {command}: {target}: ")
            assert needle in err[0]


def test_a_line_longer_than_the_cap_is_refused_and_memory_stays_bounded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(capture_format, "MAX_LINE", 4096)
    under = write(tmp_path, "under", lines(record(text="x" * 3000)))
    assert read_capture(under).records[0].data == b"x" * 3000
    over = write(tmp_path, "over", lines(record(seq=1), record(seq=2, text="x" * 10_000), record(seq=3)))
    with pytest.raises(CaptureFormatError, match=r"line 3 is longer than 4096 bytes"):
        read_capture(over)


def test_a_huge_line_under_the_cap_is_read(tmp_path: Path) -> None:
    size = 8 * 1024 * 1024
    path = write(tmp_path, "huge", lines(opened(), record(text="y" * size)))
    capture = read_capture(path)
    assert len(capture.records[1].data) == size


def test_a_cut_last_line_is_tolerated(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    whole = lines(opened(), record(seq=1, text='{"x":1}'), record(seq=2))
    path = write(tmp_path, "cut", whole[:-12])
    capture = read_capture(path)
    assert capture.truncated
    assert [r.seq for r in capture.records] == [0, 1]
    code, out, err = run(capsys, "check", str(path))
    assert code in (0, 1)
    assert err == []
    assert out.splitlines()[0] == f"{path}: 1 messages (cut short)"


def check_json(capsys: pytest.CaptureFixture[str], path: Path) -> tuple[int, dict[str, Any]]:
    code, out, err = run(capsys, "check", str(path), "--json")
    assert err == []
    return code, json.loads(out)


def labels(doc: dict[str, Any]) -> dict[str, int]:
    out = {m["message"]: m["count"] for m in doc["messages"]}
    out.update({u["message"]: u["count"] for u in doc["unknown_messages"]})
    return out


def failures(doc: dict[str, Any]) -> list[str]:
    return [f["detail"] for m in doc["messages"] for f in m["decode_failures"]]


def test_a_record_of_an_unknown_venue_is_an_unknown_message(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = write(
        tmp_path, "nasdaq", lines(opened("nasdaq", "wss://example.invalid/ws"), record(venue="nasdaq", text='{"a":1}'))
    )
    code, doc = check_json(capsys, path)
    assert code == 1
    assert labels(doc) == {"nasdaq ws in frame with keys {a}": 1}


def test_an_opend_record_shorter_than_its_header(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = write(tmp_path, "short", lines(opened("futu", "tcp://127.0.0.1:11111"), opend(b"FT\x00\x01")))
    code, doc = check_json(capsys, path)
    assert code == 1
    assert failures(doc) == ["4 bytes without a whole OpenD header"]
    code, out, err = run(capsys, "replay", str(path), "--speed", "0")
    assert (code, out) == (2, "")
    assert err == [f"venuewire replay: {path}: seq 1: an OpenD record of 4 bytes is shorter than the 44-byte header"]


@pytest.mark.parametrize("length", [0, 2, 10_000, 2**32 - 1])
async def test_an_opend_body_length_that_lies(capsys: pytest.CaptureFixture[str], tmp_path: Path, length: int) -> None:
    """The record's body is what follows the header (the header's length and SHA-1 describe
    the body on the wire, encrypted or before redaction): check decodes that body, and the
    replay serves it in a frame whose length and SHA-1 are right."""
    keepalive = int(OpenDProtoID.KeepAlive)
    request = encode_frame(keepalive, 7, b"\x0a\x02\x08\x05")
    path = write(
        tmp_path,
        "lying",
        lines(
            opened("futu", "tcp://127.0.0.1:11111"),
            opend(request, "out", seq=1),
            opend(lying_length(keepalive_reply(7), length), "in", seq=2),
        ),
    )
    code, doc = check_json(capsys, path)
    assert labels(doc) == {"futu/KeepAlive.Request": 1, "futu/KeepAlive.Response": 1}
    assert failures(doc) == []
    assert code == 0
    import asyncio

    async with Replay(path, speed=0) as replay:
        reader, writer = await asyncio.open_connection(*replay.address_for("futu"))
        writer.write(encode_frame(keepalive, 99, b"\x0a\x02\x08\x06"))
        await writer.drain()
        async with asyncio.timeout(5):
            data = await reader.readexactly(len(keepalive_reply()))
        writer.close()
    frame = decode_frame(data)
    assert (frame.proto_id, frame.serial_no, frame.body) == (keepalive, 99, b"\x08\x00\x22\x02\x08\x05")


def test_a_bitmart_binary_frame_that_is_not_deflate(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = write(tmp_path, "notdeflate", lines(opened(), binary(b"hello, not deflate")))
    code, doc = check_json(capsys, path)
    assert code == 1
    assert labels(doc) == {"bitmart ws binary frame that does not inflate": 1}
    assert len(failures(doc)) == 1
    assert "not raw DEFLATE" in failures(doc)[0]


def test_a_bitmart_frame_that_inflates_past_the_cap(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    bomb = deflated(b"[" + b" " * (DEFAULT_MAX_MESSAGE_SIZE + 10) + b"]")
    assert len(bomb) < DEFAULT_MAX_MESSAGE_SIZE // 100
    path = write(tmp_path, "bomb", lines(opened(), binary(bomb)))
    code, doc = check_json(capsys, path)
    assert code == 1
    assert failures(doc) == [f"inflates to more than {DEFAULT_MAX_MESSAGE_SIZE} bytes"]


@pytest.mark.parametrize("transport", ["ws-text", "ws-binary"])
def test_a_message_nested_10000_deep_is_drift_not_a_crash(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, transport: str
) -> None:
    frame = record(text=DEEP) if transport == "ws-text" else binary(deflated(DEEP.encode()))
    path = write(tmp_path, "deep", lines(opened(), frame))
    code, doc = check_json(capsys, path)
    assert code == 1
    assert labels(doc) == {"bitmart ws frame that is not JSON": 1}


def test_invalid_utf8_in_a_binary_frame_is_drift(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = write(tmp_path, "utf8", lines(opened(), binary(deflated(b'{"table":"spot/depth5","data":"\xff\xfe"}'))))
    code, doc = check_json(capsys, path)
    assert code == 1
    assert doc["records"] == 1


# Fuzz: random values in every field of a record -----------------------------------------------

VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=30),
    st.sampled_from(
        [
            "in",
            "out",
            "meta",
            "open",
            "close",
            "opend",
            "ws-text",
            "ws-binary",
            "http-request",
            "http-response",
            "futu",
            "bitmart",
            "coinw",
            "infoway",
            "qfex",
            "AA==",
            "eJyrVgIA",
        ]
    ),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(
        st.sampled_from(["url", "status", "request", "method", "target", "headers"]),
        st.one_of(st.integers(), st.text(max_size=20), st.none()),
        max_size=4,
    ),
)
FIELDS = ["seq", "mono", "wall", "conn", "venue", "dir", "transport", "text", "b64", "meta"]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    changes=st.lists(st.tuples(st.integers(min_value=0, max_value=3), st.sampled_from(FIELDS), VALUES), max_size=6),
    drop=st.lists(st.tuples(st.integers(min_value=0, max_value=3), st.sampled_from(FIELDS)), max_size=2),
)
def test_fuzz_random_record_fields(
    tmp_path: Path, changes: list[tuple[int, str, Any]], drop: list[tuple[int, str]]
) -> None:
    records = [
        opened(seq=0),
        record(seq=1, text='{"table":"spot/depth5","data":[]}'),
        opened("coinw", "https://api.coinw.com", seq=2) | {"conn": 2},
        record(seq=3, conn=2, venue="coinw", dir="in", transport="http-response", meta={"request": 1, "status": 200}),
    ]
    for index, name, value in changes:
        records[index][name] = value
    for index, name in drop:
        records[index].pop(name, None)
    path = tmp_path / "fuzz.jsonl"
    path.write_bytes(lines(*records))
    try:
        capture = read_capture(path)
    except CaptureFormatError as exc:
        assert str(exc).startswith(f"{path}: ")
        assert "\n" not in str(exc)
        return
    report = check_capture(capture)
    doc = report.to_json()
    json.dumps(doc)
    assert render(doc).splitlines()[-1] in ("drift", "no drift")
    with tempfile.TemporaryDirectory() as folder:
        for written in write_fixtures(report, folder):
            assert written.resolve().is_relative_to(Path(folder).resolve())
    assert doc["records"] == sum(1 for r in capture.records if r.transport not in ("open", "close"))
    try:
        ReplayPlan.from_capture(capture)
    except CaptureFormatError as exc:
        assert str(exc).startswith(f"{path}: seq ")


def opend_failures(capsys: pytest.CaptureFixture[str], tmp_path: Path, frame: bytes) -> list[str]:
    path = write(tmp_path, "opend", lines(opened("futu", "tcp://127.0.0.1:11111"), opend(frame)))
    code, doc = check_json(capsys, path)
    assert code == 1
    return failures(doc)


def test_an_opend_record_without_the_magic(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    frame = b"XX" + keepalive_reply()[2:]
    assert opend_failures(capsys, tmp_path, frame) == ["no OpenD magic b'FT' at the start (found b'XX')"]


@pytest.mark.parametrize(
    ("fmt", "body", "needle"),
    [
        (1, DEEP.encode(), "Failed to load JSON"),
        (1, b"\xff\xfe{", "not valid UTF-8"),
        (0, b"\xff" * 64, "corrupt protobuf body"),
    ],
)
def test_an_opend_body_that_does_not_decode_is_a_decode_failure(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, fmt: int, body: bytes, needle: str
) -> None:
    frame = encode_frame(int(OpenDProtoID.Qot_UpdateOrderBook), 1, body, proto_fmt=fmt)
    found = opend_failures(capsys, tmp_path, frame)
    assert len(found) == 1
    assert needle in found[0]


PAYLOADS = st.one_of(
    st.binary(max_size=200),
    st.builds(deflated, st.binary(max_size=200)),
    st.builds(
        lambda v: json.dumps(v).encode(),
        st.recursive(
            st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=10)),
            lambda inner: (
                st.lists(inner, max_size=3)
                | st.dictionaries(
                    st.sampled_from(["table", "data", "code", "op", "args", "type", "ms_t", "bids", "asks", "symbol"]),
                    inner,
                    max_size=4,
                )
            ),
            max_leaves=12,
        ),
    ),
    st.builds(lambda body: encode_frame(int(OpenDProtoID.Qot_UpdateOrderBook), 1, body), st.binary(max_size=100)),
)
TRANSPORTS = st.sampled_from(["ws-text", "ws-binary", "opend", "http-request", "http-response"])


VENUES = st.sampled_from(["futu", "bitmart", "coinw", "infoway", "qfex"])
MESSAGES = st.tuples(VENUES, st.sampled_from(["in", "out"]), TRANSPORTS, PAYLOADS)


@settings(max_examples=200, deadline=None)
@given(messages=st.lists(MESSAGES, min_size=1, max_size=5))
def test_fuzz_well_formed_records_with_random_payloads(messages: list[tuple[str, str, str, bytes]]) -> None:
    """Every well-formed record is read; whatever its payload, check reports it (never raises)
    and a replay plan is made or refused with a CaptureFormatError."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzz.jsonl"
        with CaptureWriter(path) as writer:
            conns: dict[str, int] = {}
            request = -1
            for venue, way, transport, payload in messages:
                if venue not in conns:
                    url = "tcp://127.0.0.1:11111" if venue == "futu" else WS_BITMART_SPOT_DEPTH.url
                    conns[venue] = writer.connection(venue, url)
                meta: dict[str, Any] = {}
                if transport == "http-request":
                    meta = {"method": "GET", "target": "/v1/x?a=1", "headers": {}}
                elif transport == "http-response":
                    meta = {"status": 200, "request": request, "headers": {}}
                seq = writer.write(conns[venue], venue, way, transport, payload, meta=meta)  # type: ignore[arg-type]
                request = seq if transport == "http-request" else request
        capture = read_capture(path)
        assert len(capture.records) == len(messages) + len(conns)
        report = check_capture(capture)
        assert report.to_json()["records"] == len(messages)
        try:
            ReplayPlan.from_capture(capture)
        except CaptureFormatError as exc:
            assert "OpenD record" in str(exc)


def test_a_client_frame_of_a_push_only_protocol_is_an_unknown_message(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    frame = encode_frame(int(OpenDProtoID.Qot_UpdateBasicQot), 1, b"")
    path = write(tmp_path, "push", lines(opened("futu", "tcp://127.0.0.1:11111"), opend(frame, "out")))
    code, doc = check_json(capsys, path)
    assert code == 1
    proto_id = int(OpenDProtoID.Qot_UpdateBasicQot)
    assert labels(doc) == {f"futu Request protoID {proto_id} (Qot_UpdateBasicQot has no Request)": 1}
