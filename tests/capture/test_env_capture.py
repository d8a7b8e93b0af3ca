"""VENUEWIRE_CAPTURE for programs the user cannot change: every client of the process in one
file, a new file beside an existing one (numeric suffix, nothing appended or overwritten), a
capture cut by SIGKILL readable up to its last whole record; `capture=` through the sync facade."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from venuewire import SubType, sync
from venuewire.capture import read_capture
from venuewire.capture.tap import ENV_VAR, new_capture
from venuewire.coinw import CoinwClient
from venuewire.credentials import CoinwCredentials
from venuewire.generated.registry import OpenDProtoID
from venuewire.sim.coinw import CoinwSimulator
from venuewire.sim.opend import OpenDSimulator

from ._recorded_program import INFOWAY_KEY, KEY, SECRET
from ._support import assert_no_secrets

pytestmark = pytest.mark.timeout(60)

PROGRAM = Path(__file__).with_name("_recorded_program.py")
ROOT = Path(__file__).resolve().parents[2]


def run(capture: Path, rounds: int) -> subprocess.Popen[str]:
    env = {**os.environ, ENV_VAR: str(capture), "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, "-m", "tests.capture._recorded_program", str(rounds)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_the_environment_variable_records_every_client_of_a_process_into_one_new_file(tmp_path: Path) -> None:
    target = tmp_path / "session.jsonl"
    for _ in range(2):
        done = run(target, 4)
        _, err = done.communicate(timeout=50)
        assert done.returncode == 0, err
    first, second = target, tmp_path / "session-1.jsonl"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["session-1.jsonl", "session.jsonl"]
    for path in (first, second):
        capture = assert_no_secrets(path, KEY, SECRET, INFOWAY_KEY)
        assert not capture.truncated
        assert {r.venue for r in capture.records} == {"coinw", "infoway"}
        assert [r.seq for r in capture.records] == list(range(len(capture.records)))
        transports = {r.transport for r in capture.records}
        assert {"open", "close", "http-request", "http-response", "ws-text"} <= transports
    assert read_capture(first).header.started < read_capture(second).header.started


def test_a_capture_killed_mid_session_is_readable_up_to_its_last_whole_record(tmp_path: Path) -> None:
    target = tmp_path / "killed.jsonl"
    program = run(target, 100_000)
    try:
        assert program.stdout is not None
        assert program.stdout.readline().strip() == "talking"
        deadline = time.monotonic() + 20
        while target.read_bytes().count(b"\n") < 40 and time.monotonic() < deadline:
            time.sleep(0.01)
        program.send_signal(signal.SIGKILL)
        program.wait(10)
    finally:
        if program.poll() is None:
            program.kill()
            program.wait(10)
    assert program.returncode == -signal.SIGKILL
    raw = target.read_bytes()
    whole = raw.count(b"\n") - 1  # the header line
    capture = assert_no_secrets(target, KEY, SECRET, INFOWAY_KEY)
    assert len(capture.records) == whole >= 39
    assert capture.truncated == (not raw.endswith(b"\n"))
    assert all(r.seq == n for n, r in enumerate(capture.records))
    assert not any(r.transport == "close" for r in capture.records if r.venue == "coinw")  # never closed
    cut = tmp_path / "cut.jsonl"  # the kill may land between lines: cut one for sure, mid-record
    cut.write_bytes(raw[: raw.rstrip(b"\n").rfind(b"\n") + 1 + 7])
    shorter = read_capture(cut)
    assert shorter.truncated and len(shorter.records) == len(capture.records) - (0 if capture.truncated else 1)


def test_a_new_capture_never_opens_an_existing_file(tmp_path: Path) -> None:
    taken = tmp_path / "run.jsonl"
    taken.write_bytes(b"another session\n")
    (tmp_path / "run-1.jsonl").write_bytes(b"and another\n")
    writer = new_capture(taken)
    writer.close()
    assert writer.path == tmp_path / "run-2.jsonl"
    assert taken.read_bytes() == b"another session\n" and (tmp_path / "run-1.jsonl").read_bytes() == b"and another\n"


def test_capture_passes_through_the_sync_facade(tmp_path: Path) -> None:
    path = tmp_path / "sync.jsonl"
    with (
        sync.serve(CoinwSimulator(api_key=KEY, secret=SECRET)) as sim,
        sync.CoinwClient(CoinwCredentials(KEY, SECRET), sim.url, capture=path) as client,
    ):
        assert client.get_open_orders("plan")
        assert client.capture is not None and client.capture.writer.path == path
    capture = assert_no_secrets(path, KEY, SECRET)
    assert [r.transport for r in capture.records] == ["open", "http-request", "http-response", "close"]


async def test_no_capture_without_the_parameter_or_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV_VAR, raising=False)
    async with (
        CoinwSimulator(api_key=KEY, secret=SECRET) as sim,
        CoinwClient(CoinwCredentials(KEY, SECRET), sim.url) as client,
    ):
        await client.get_open_orders("plan")
    assert client.capture is None and client._rest.http.capture is None


def test_capture_passes_through_the_sync_opend_facade(tmp_path: Path) -> None:
    path = tmp_path / "sync-opend.jsonl"
    with (
        sync.serve(OpenDSimulator(port=0)) as sim,
        sync.OpenDClient(sim.host, sim.port, capture=path) as futu,
    ):
        futu.subscribe(["HK.00700"], sub_types=[SubType.OrderBook])
        assert futu.get_order_book("HK.00700").security.code == "00700"
    capture = read_capture(path)
    frames = [(r.direction, r.meta["proto_id"]) for r in capture.records if r.transport == "opend"]
    assert frames[:2] == [("out", OpenDProtoID.InitConnect), ("in", OpenDProtoID.InitConnect)]
    assert ("in", OpenDProtoID.Qot_GetOrderBook) in frames
    assert capture.records[-1].transport == "close"
