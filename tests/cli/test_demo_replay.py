"""`venuewire demo`'s last section: the session recorded by the clients' own capture, a part of
it replayed (BitMart v3 depth, an Infoway batch_depth) and read back equal, and the drift
report, which finds nothing on our simulators and names what a doctored capture breaks."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import json
import re
import tempfile
from pathlib import Path
from typing import Any

import pytest

from tests.cli.test_demo import _console, _run
from venuewire.capture.format import Record, read_capture
from venuewire.demo import DemoFailed, DemoOptions, Run
from venuewire.demo.replay import REPLAY_BOOKS, recorded_messages, replay_section

pytestmark = pytest.mark.timeout(60)

RECORDED = re.compile(r"^recorded (?P<messages>\d+) messages on (?P<conns>\d+) connections to (?P<where>.+)$", re.M)
REPORT = re.compile(
    r"^drift report: (?P<checked>\d+) messages checked, (?P<types>\d+) message types, \d+ control frames,"
    r" (?P<unknown>\d+) unknown, (?P<verdict>no drift|DRIFT)$",
    re.M,
)
SECRETS = ("venuewire-demo-secret", "venuewire-demo-memo", "venuewire-sim-coinw-secret")


async def _demo(venues: list[str], **options: Any) -> tuple[list[DemoFailed], list[str], str]:
    return await _run(venues, seconds=1.0, **options)


def _rows(out: str) -> dict[str, tuple[int, int, str]]:
    """The drift table's rows: venue -> (message types, messages, drift)."""
    table = out.split("drift report (venuewire check)")[1].split("drift report:", maxsplit=1)[0]
    found = re.findall(r"^ (\w+) +(\d+) +(\d+) +(no|yes) *$", table, re.M)
    return {venue: (int(types), int(count), drift) for venue, types, count, drift in found}


async def test_the_demo_records_replays_and_reports_no_drift(tmp_path: Path) -> None:
    path = tmp_path / "demo.jsonl"
    failures, errors, out = await _demo(["bitmart", "infoway", "coinw"], capture=path)
    assert failures == [] and errors == [], errors
    capture = read_capture(path)  # kept where asked, whole
    assert not capture.truncated
    recorded = RECORDED.search(out)
    assert recorded is not None, out
    assert recorded["where"] == str(path)
    assert int(recorded["messages"]) == len(recorded_messages(capture)) > 0
    assert int(recorded["conns"]) == sum(r.transport == "open" for r in capture.records)
    assert {r.venue for r in capture.records} == {"bitmart", "infoway", "coinw"}
    assert f"replayed: bitmart v3 depth20 BTC_USDT, {REPLAY_BOOKS} books read back by a new BitmartClient" in out
    assert "identical to the recorded pushes" in out
    assert f"replayed bitmart BTC_USDT, book {REPLAY_BOOKS} of {REPLAY_BOOKS}" in out
    assert "replayed: infoway batch_depth stock (00700.HK, AAPL.US, 600519.SH), 3 books, identical" in out
    report = REPORT.search(out)
    assert report is not None, out
    assert (report["verdict"], report["unknown"]) == ("no drift", "0")
    rows = _rows(out)
    assert set(rows) == {"bitmart", "infoway", "coinw"}
    assert all(drift == "no" and count > 0 for _types, count, drift in rows.values())
    assert sum(types for types, _count, _drift in rows.values()) == int(report["types"])
    assert sum(count for _types, count, _drift in rows.values()) == int(report["checked"])
    raw = path.read_bytes()
    for secret in SECRETS:
        assert secret.encode() not in raw
    assert "3 venue(s), all passed" in out


async def test_an_existing_capture_path_gets_a_new_file_beside_it(tmp_path: Path) -> None:
    path = tmp_path / "demo.jsonl"
    path.write_text("someone else's file\n")
    failures, _errors, out = await _demo(["coinw"], capture=path)
    assert failures == []
    assert path.read_text() == "someone else's file\n"
    beside = tmp_path / "demo-1.jsonl"
    assert {r.venue for r in read_capture(beside).records} == {"coinw"}
    assert f"connections to {beside}" in out
    assert "replayed:" not in out  # nothing of BitMart or Infoway to replay: the report only
    assert REPORT.search(out) is not None and "no drift" in out


async def test_without_a_capture_path_the_recording_is_a_temporary_file_removed_at_the_end(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    failures, _errors, out = await _demo(["qfex"])
    assert failures == []
    assert "connections to a temporary file (venuewire demo --capture PATH keeps it)" in out
    assert "no drift" in out
    assert not any(tmp_path.iterdir())  # noqa: ASYNC240 - a look at a test folder once the demo ended


async def test_a_failed_venue_is_left_out_of_the_replay_and_the_report(tmp_path: Path) -> None:
    unreachable = frozenset({"coinw"})
    failures, errors, out = await _demo(["coinw", "infoway"], capture=tmp_path / "c.jsonl", unreachable=unreachable)
    assert [f.venue for f in failures] == ["coinw"] and len(errors) == 1
    assert "left out of the replay and the report: coinw (failed)" in out
    assert set(_rows(out)) == {"infoway"}
    assert "replayed: infoway batch_depth stock" in out and "no drift" in out
    assert "2 venue(s), 1 failed" in out


def _doctored(record: Record) -> Record:
    """`record` with an unknown field in its first data entry (an Infoway depth push)."""
    frame = json.loads(record.data)
    frame["data"]["checksum"] = 7
    return dataclasses.replace(record, data=json.dumps(frame).encode())


async def test_the_section_fails_naming_the_message_type_that_drifted(tmp_path: Path) -> None:
    path = tmp_path / "infoway.jsonl"
    failures, _errors, _out = await _demo(["infoway"], capture=path)
    assert failures == []
    capture = read_capture(path)
    incoming = [i for i, r in enumerate(capture.records) if r.direction == "in" and r.transport == "ws-text"]
    pushes = [i for i in incoming if isinstance(json.loads(capture.records[i].data).get("data"), dict)]
    assert pushes, "the recorded depth stream has pushes"
    records = list(capture.records)
    records[pushes[-1]] = _doctored(records[pushes[-1]])
    doctored = dataclasses.replace(capture, records=tuple(records))
    console, out = _console()
    async with contextlib.AsyncExitStack() as stack:
        run = Run("replay", console, DemoOptions(seconds=1.0), stack)
        with pytest.raises(DemoFailed) as failed:
            await asyncio.wait_for(replay_section(run, doctored, str(path)), 30)
    assert failed.value.step == "checking the capture"
    assert "infoway/ws_depth" in failed.value.what
    assert "DRIFT" in out.getvalue()
    assert re.search(r"^ infoway .* yes *$", out.getvalue(), re.M)
