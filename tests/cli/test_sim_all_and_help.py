"""`venuewire sim all` (ready lines, clean stop on SIGINT/SIGTERM) and `--help` on every command."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from venuewire.cli import SIM_ALL, main

VENUEWIRE = str(Path(sys.executable).with_name("venuewire"))
READY = re.compile(r"^(?P<name>[a-z]+): listening on (?P<host>127\.0\.0\.1):(?P<port>\d+)$")


def _read_lines(proc: subprocess.Popen[str], count: int, timeout: float) -> list[str]:
    """Up to `count` stdout lines within `timeout` s (a thread reads; the test never hangs)."""
    lines: list[str] = []
    done = threading.Event()

    def reader() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            lines.append(line.rstrip("\n"))
            if len(lines) >= count:
                break
        done.set()

    threading.Thread(target=reader, daemon=True).start()
    done.wait(timeout)
    return list(lines)


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM])
def test_sim_all_prints_one_ready_line_per_simulator_and_stops_cleanly(stop: signal.Signals) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("VENUEWIRE_")}
    proc = subprocess.Popen(
        [VENUEWIRE, "sim", "all", "--host", "127.0.0.1"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        lines = _read_lines(proc, len(SIM_ALL), timeout=30)
        matches = [READY.match(line) for line in lines]
        assert all(matches), lines
        ready = {m["name"]: int(m["port"]) for m in matches if m}
        assert sorted(ready) == sorted(SIM_ALL)
        assert len(set(ready.values())) == len(SIM_ALL)
        for port in ready.values():  # each one really listens
            with socket.create_connection(("127.0.0.1", port), timeout=5):
                pass
        proc.send_signal(stop)
        assert proc.wait(timeout=20) == 0
        assert proc.stderr is not None
        assert "Traceback" not in proc.stderr.read()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=10)


def _free(port: int) -> bool:
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _taken_base_port() -> socket.socket:
    """A listening socket on a port whose next ports (the other simulators') are free, so that
    only futu's port is taken, by the test."""
    for _ in range(50):
        taken = socket.socket()
        taken.bind(("127.0.0.1", 0))
        port = taken.getsockname()[1]
        if port + len(SIM_ALL) <= 65535 and all(_free(port + i) for i in range(1, len(SIM_ALL))):
            taken.listen()
            return taken
        taken.close()
    raise AssertionError("no base port with free neighbours in 50 tries")


def test_sim_all_with_a_taken_base_port_exits_1_with_one_line() -> None:
    with _taken_base_port() as taken:
        port = taken.getsockname()[1]
        result = subprocess.run(
            [VENUEWIRE, "sim", "all", "--port", str(port)], capture_output=True, text=True, timeout=30, check=False
        )
    assert result.returncode == 1
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"venuewire sim all: futu cannot run on 127.0.0.1:{port}")


@pytest.mark.parametrize(
    "command",
    [
        [],
        ["demo"],
        ["book"],
        ["sim"],
        ["sim", "all"],
        ["sim", "futu"],
        *[["sim", name] for name in SIM_ALL if name != "futu"],
        ["schemas"],
        ["decode"],
    ],
)
def test_every_command_has_help_with_an_example(command: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main([*command, "--help"]) == 0
    out = capsys.readouterr().out
    example = re.search(r"^example:\n  (venuewire .+)$", out, re.MULTILINE)
    assert example is not None, out
    assert example.group(1).split()[1 : 1 + len(command)] == command or not command


def test_version_prints_the_installed_distributions_version(capsys: pytest.CaptureFixture[str]) -> None:
    from importlib import metadata

    assert main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"venuewire {metadata.version('venuewire')}"


WITHOUT_RICH = "import sys; sys.modules['rich'] = None; from venuewire.cli import main; sys.exit(main(sys.argv[1:]))"


@pytest.mark.parametrize("command", [["demo", "--venue", "coinw"], ["book", "futu", "HK.00700"]])
def test_commands_that_draw_tables_say_how_to_get_the_cli_extras(command: list[str]) -> None:
    result = subprocess.run(
        [sys.executable, "-c", WITHOUT_RICH, *command], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"venuewire {command[0]}: needs the command line's extras (rich): pip install 'venuewire[cli]'"
    ]


def test_the_other_commands_work_without_the_cli_extras() -> None:
    result = subprocess.run(
        [sys.executable, "-c", WITHOUT_RICH, "decode", "futu", "GetGlobalState.Request"],
        input="0a020800",
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "userID" in result.stdout


def test_the_demo_runs_every_venue_of_the_registry() -> None:
    from venuewire.demo import VENUES
    from venuewire.generated.registry import VENUES as REGISTRY

    assert sorted(VENUES) == sorted(v.key for v in REGISTRY)


@pytest.mark.parametrize(
    "argv",
    [
        ["sim", "opend"],
        ["sim", "opend", "--port", "0"],
        ["book", "opend", "HK.00700"],
        ["decode", "opend", "GetGlobalState.Request"],
        ["demo", "--venue", "opend"],
        ["schemas", "--venue", "opend"],
    ],
)
def test_opend_is_not_a_venue_key_and_the_error_names_futu(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(argv) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    (line,) = captured.err.splitlines()
    assert line.startswith(f"venuewire {argv[0]}: unknown venue 'opend'; did you mean 'futu'?"), line


def test_a_mistyped_simulator_gets_the_closest_key(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["sim", "bitmrt"]) == 2
    (line,) = capsys.readouterr().err.splitlines()
    assert "unknown venue 'bitmrt'; did you mean 'bitmart'?" in line


def test_the_venue_table_is_the_registrys_venues_in_its_order() -> None:
    from venuewire.cli.venues import TOOLS
    from venuewire.generated.registry import VENUES as REGISTRY

    assert [tool.key for tool in TOOLS] == [v.key for v in REGISTRY]
    assert [tool.title for tool in TOOLS] == [v.title for v in REGISTRY]
    assert tuple(v.key for v in REGISTRY) == SIM_ALL
    for tool in TOOLS:  # every row's simulator and demo section resolve
        sim = tool.simulator.create("127.0.0.1", 0)
        assert (sim.host, sim.port) == ("127.0.0.1", 0)
        assert callable(tool.section())
        assert bool(tool.books) != bool(tool.no_book), tool.key


@pytest.mark.parametrize("name", SIM_ALL)
def test_each_simulator_help_names_its_key(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["sim", name, "--help"]) == 0
    assert f"venuewire sim {name} " in capsys.readouterr().out
