"""The `venuewire` command: help everywhere, usage errors, and `sim futu` as a real process
(ready line, SIGTERM and Ctrl-C stop it with exit 0)."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import socket
import subprocess
import sys

import pytest

from venuewire.cli import main
from venuewire.generated.futu import InitConnect_pb2
from venuewire.generated.registry import OpenDProtoID
from venuewire.messages import decode_proto, encode_proto
from venuewire.opend.frame import FrameDecoder, encode_frame

READY = re.compile(r"listening on 127\.0\.0\.1:(\d+)\n")


@pytest.mark.parametrize("argv", [[], ["sim"], ["sim", "futu"]], ids=["venuewire", "sim", "sim-futu"])
def test_every_command_has_help_with_an_example(argv, capsys):
    assert main([*argv, "--help"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: venuewire") and "example:\n  venuewire sim futu" in out


@pytest.mark.parametrize("argv", [[], ["sim"]])
def test_a_command_group_alone_prints_its_usage(argv, capsys):
    assert main(argv) == 2
    assert "usage: venuewire" in capsys.readouterr().err


@pytest.mark.parametrize(
    "argv",
    [
        ["sim", "nowhere"],
        ["sim", "futu", "--cbc", "--ecb"],
        ["sim", "futu", "--port", "eleven"],
        ["sim", "futu", "--push-interval", "0"],
        ["sim", "futu", "--rsa-key", "/nonexistent/conn_key.txt"],
    ],
)
def test_usage_errors_exit_2(argv, capsys):
    assert main(argv) == 2
    assert capsys.readouterr().err


def start(*options: str) -> subprocess.Popen[str]:
    command = [sys.executable, "-m", "venuewire", "sim", "futu", "--port", "0", *options]
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def ready_port(proc: subprocess.Popen[str]) -> int:
    assert proc.stdout is not None
    line = proc.stdout.readline()  # printed within a second; the test's timeout bounds the wait
    match = READY.fullmatch(line)
    assert match, f"ready line {line!r}"
    return int(match.group(1))


async def init_connect(port: int) -> int:
    reader, writer = await asyncio.wait_for(asyncio.open_connection("127.0.0.1", port), 5)
    try:
        body = encode_proto(InitConnect_pb2.Request(c2s=InitConnect_pb2.C2S(clientVer=300, clientID="cli")))
        writer.write(encode_frame(OpenDProtoID.InitConnect, 1, body))
        decoder = FrameDecoder()
        while not (frames := decoder.frames(await asyncio.wait_for(reader.read(4096), 5))):
            pass
        return decode_proto(InitConnect_pb2.Response, frames[0].body).retType
    finally:
        writer.close()


@pytest.mark.timeout(30)
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_sim_futu_serves_then_stops_cleanly_on_a_signal(sig):
    proc = start("--push-interval", "0.5")
    try:
        assert asyncio.run(init_connect(ready_port(proc))) == 0
        proc.send_signal(sig)
        out, err = proc.communicate(timeout=10)
        assert proc.returncode == 0, err
        assert out == "" and "Traceback" not in err
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate(timeout=10)


@pytest.mark.timeout(30)
def test_sim_futu_on_a_busy_port_exits_1():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        env = {**os.environ, "PYTHONWARNINGS": "ignore"}
        command = [sys.executable, "-m", "venuewire", "sim", "futu", "--port", str(port)]
        done = subprocess.run(command, capture_output=True, text=True, timeout=20, env=env, check=False)
    assert done.returncode == 1
    assert f"cannot listen on 127.0.0.1:{port}" in done.stderr
