"""`venuewire replay FILE` as a subprocess: its ready lines, --port, --speed 0, --exit-after-idle,
the unanswered requests at exit and the exit status."""

from __future__ import annotations

import asyncio
import json
import re
import sys
from pathlib import Path

import aiohttp
import pytest

from venuewire.cli import main

from .test_rules import SUBSCRIBE, bitmart_ws, http_capture

pytestmark = pytest.mark.timeout(60)

READY = re.compile(r"(\w+): listening on (\S+)")


async def start(*args: str) -> tuple[asyncio.subprocess.Process, dict[str, str]]:
    """Run `venuewire replay ARGS`; (the process, venue -> URL once both ready lines came)."""
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "venuewire",
        "replay",
        *args,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    assert proc.stdout is not None
    urls: dict[str, str] = {}
    async with asyncio.timeout(20):
        while len(urls) < 2:
            line = (await proc.stdout.readline()).decode()
            match = READY.fullmatch(line.strip())
            assert match, f"unexpected line {line!r}"
            urls[match.group(1)] = match.group(2)
    return proc, urls


async def finish(proc: asyncio.subprocess.Process) -> tuple[int, str]:
    try:
        out, _err = await asyncio.wait_for(proc.communicate(), 20)
    except TimeoutError:
        proc.kill()
        await proc.wait()
        raise
    assert proc.returncode is not None
    return proc.returncode, out.decode()


def both(tmp_path: Path) -> Path:
    """The BitMart WebSocket and the CoinW HTTP captures in one file."""
    ws = bitmart_ws(tmp_path / "ws.jsonl").read_text().splitlines()
    http = [json.loads(line) for line in http_capture(tmp_path / "http.jsonl").read_text().splitlines()[1:]]
    after = len(ws)  # the HTTP records follow, with seqs and connection ids after the WebSocket's
    for row in http:
        row["seq"] += after
        row["conn"] += after
        if "request" in row.get("meta", {}):
            row["meta"]["request"] += after
    path = tmp_path / "both.jsonl"
    path.write_text("\n".join([*ws, *map(json.dumps, http)]) + "\n")
    return path


async def test_served_until_idle_then_exits_0_when_all_was_answered(tmp_path: Path) -> None:
    proc, urls = await start(str(both(tmp_path)), "--speed", "0", "--exit-after-idle", "1")
    assert urls["bitmart"].startswith("ws://127.0.0.1:") and urls["bitmart"].endswith("/api?protocol=1.1")
    async with aiohttp.ClientSession() as session:
        async with session.ws_connect(urls["bitmart"]) as ws:
            await ws.send_str(SUBSCRIBE)
            frames = [(await asyncio.wait_for(ws.receive(), 5)).data for _ in range(3)]
        async with session.get(urls["coinw"] + "/v1/x?a=1&b=2") as response:
            answer = await response.text()
    code, out = await finish(proc)
    assert frames[-1] == '{"push":2}' and answer == '{"n":1}'
    assert (code, out) == (0, "unanswered requests: 0\n")


async def test_unanswered_requests_are_printed_at_exit_with_status_1(tmp_path: Path) -> None:
    proc, urls = await start(str(both(tmp_path)), "--port", "coinw=0", "--exit-after-idle", "0.5")
    async with aiohttp.ClientSession() as session, session.get(urls["coinw"] + "/v2/nothing?x=1") as response:
        assert response.status == 404
    code, out = await finish(proc)
    assert (code, out) == (1, "unanswered requests: 1\n  coinw http: GET /v2/nothing?x=1\n")


def test_unusable_input_exits_2_with_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"format": "something-else"}\n')
    assert main(["replay", str(bad)]) == 2
    assert main(["replay", str(both(tmp_path)), "--port", "qfex=1"]) == 2
    assert main(["replay", str(both(tmp_path)), "--speed", "-1"]) == 2
    err = capsys.readouterr().err
    assert "not a venuewire capture" in err
    assert "the capture has no 'qfex' (venues: bitmart, coinw)" in err
    assert "--speed must be 0 (as fast as possible) to 10000" in err


def test_a_port_in_use_exits_1_with_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert main(["replay", str(both(tmp_path)), "--port", "0", str(port), "--exit-after-idle", "1"]) == 1
    captured = capsys.readouterr()
    assert "venuewire replay: cannot listen on 127.0.0.1:" in captured.err and captured.out == ""
