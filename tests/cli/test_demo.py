"""`venuewire demo`: each venue against its simulator, the whole run, and failures as one line."""

from __future__ import annotations

import asyncio
import io
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console

from venuewire.demo import VENUES, DemoFailed, DemoOptions, Summary, percentile, run_demo

VENUEWIRE = str(Path(sys.executable).with_name("venuewire"))
SUMMARY = re.compile(
    r"^(?P<venue>\w+): (?P<messages>\d+) messages, (?P<decode>\d+) decode errors, (?P<gaps>\d+) gaps, "
    r"round trip p50 [\d.]+ ms p90 [\d.]+ ms p99 [\d.]+ ms \(n=(?P<n>\d+), [^)]+\), [\d.]+ s$",
    re.MULTILINE,
)

# What each venue's section must show (symbols, prices from the simulators' catalogues, orders).
EXPECTED: dict[str, list[str | re.Pattern[str]]] = {
    "futu": [
        "futu HK.00700 TENCENT",
        "futu US.AAPL APPLE",
        "futu HK.00700 live",
        re.compile(r"\b(39\d|40\d)\.\d\b"),  # a Tencent price (mid 400, tick 0.2)
        re.compile(r"\b1(8\d|9\d)\.\d\d\b"),  # an Apple price (mid 190)
    ],
    "bitmart": [
        "legacy BMX_ETH @6",
        "v3 depth20 BTC_USDT",
        "BitMart spot order life cycle (BTC_USDT, signed REST):",
        re.compile(r"^after cancel +\d+  BTC_USDT buy limit 0\.001 @ \S+  canceled  filled 0  left 0$", re.M),
        re.compile(r"\b0\.0001\d\d\b"),
        re.compile(r"\b599\d\d\.\d\d\b"),
    ],
    "infoway": [
        "batch_depth: 7 books from 3 markets",
        "infoway 00700.HK",
        "infoway AAPL.US",
        "infoway 600519.SH",
        "infoway EURUSD",
        "infoway XAUUSD",
        "infoway BTCUSDT live",
        "infoway ETHUSDT live",
    ],
    "coinw": ["execute", "plan", "moveStop", "stopProfitLoss", "33308753605637070", "1000PEPE"],
    "qfex": ["authenticated to ws://127.0.0.1:", "AAPL-USD", "57cc1941-8ad1-4df3-b34c-bb556518befc", "LIMIT"],
}


def _console() -> tuple[Console, io.StringIO]:
    out = io.StringIO()
    return Console(file=out, width=160, force_terminal=False, color_system=None), out


async def _run(venues: list[str], **options: Any) -> tuple[list[DemoFailed], list[str], str]:
    console, out = _console()
    errors: list[str] = []
    async with asyncio.timeout(60):
        failures = await run_demo(venues, console, DemoOptions(**options), errors.append)
    return failures, errors, out.getvalue()


def test_percentile_is_nearest_rank() -> None:
    samples = [float(i) for i in range(1, 101)]
    assert percentile(samples, 50) == 50.0
    assert percentile(samples, 90) == 90.0
    assert percentile(samples, 99) == 99.0
    assert percentile([3.0, 1.0, 2.0], 50) == 2.0
    assert percentile([7.0], 99) == 7.0
    with pytest.raises(ValueError, match="no samples"):
        percentile([], 50)


def test_summary_line_names_counts_and_percentiles() -> None:
    summary = Summary("coinw", messages=4, latencies=[0.001, 0.002, 0.003, 0.004], seconds=0.5)
    line = summary.line()
    assert SUMMARY.match(line), line
    assert "p50 2.00 ms p90 4.00 ms p99 4.00 ms (n=4" in line


@pytest.mark.parametrize("venue", VENUES)
async def test_each_venue_runs_against_its_simulator(venue: str) -> None:
    failures, errors, out = await _run([venue], seconds=1.0)
    assert failures == [] and errors == [], errors
    for expected in EXPECTED[venue]:
        if isinstance(expected, re.Pattern):
            assert expected.search(out), f"{expected.pattern} not in output:\n{out}"
        else:
            assert expected in out, f"{expected!r} not in output:\n{out}"
    (line,) = {m.group(0) for m in SUMMARY.finditer(out)}  # printed after the venue and in the recap
    match = SUMMARY.match(line)
    assert match is not None
    assert match["venue"] == venue
    assert int(match["messages"]) > 0
    assert match["decode"] == "0"
    assert match["gaps"] == "0"
    assert int(match["n"]) >= 3
    assert "1 venue(s), all passed" in out


@pytest.mark.parametrize(
    ("venue", "step"),
    [("coinw", "get_open_orders(execute)"), ("infoway", "batch_depth stock")],
)
async def test_a_simulator_fault_fails_that_venue_with_one_line(venue: str, step: str) -> None:
    def prepare(name: str, sim: Any) -> None:
        if name == venue:
            sim.faults.add(sys.modules[type(sim).__module__].Fault.GARBAGE_FRAME)

    failures, errors, out = await _run([venue], seconds=1.0, prepare=prepare)
    assert [f.venue for f in failures] == [venue]
    (line,) = errors
    assert line.startswith(f"venuewire demo: {venue} failed while {step}")
    assert "\n" not in line
    assert f"{venue}: FAILED while {step}" in out


async def test_the_other_venues_still_run_after_one_fails() -> None:
    failures, errors, out = await _run(["coinw", "qfex"], seconds=1.0, unreachable=frozenset({"coinw"}))
    assert [f.venue for f in failures] == ["coinw"]
    assert len(errors) == 1
    assert re.search(r"^qfex: \d+ messages, 0 decode errors", out, re.MULTILINE)
    assert "2 venue(s), 1 failed" in out


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("VENUEWIRE_")}
    env.update(extra)
    return env


def test_whole_demo_exits_0_within_a_minute_and_shows_every_venue(tmp_path: Path) -> None:
    capture = tmp_path / "demo.jsonl"
    started = time.monotonic()
    result = subprocess.run(
        [VENUEWIRE, "demo", "--capture", str(capture)],
        capture_output=True,
        text=True,
        timeout=60,
        env=_env(),
        check=False,
    )
    elapsed = time.monotonic() - started
    print(f"venuewire demo took {elapsed:.1f} s")  # measured, not asserted (the 60 s bound is the timeout)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    venues = [m["venue"] for m in SUMMARY.finditer(result.stdout.split("summary")[-1])]
    assert venues == list(VENUES)
    assert all(m["decode"] == "0" for m in SUMMARY.finditer(result.stdout))
    assert "5 venue(s), all passed" in result.stdout
    assert "\x1b[" not in result.stdout  # a pipe gets plain text, no cursor movement or colour
    for secret in ("venuewire-sim-coinw-secret", "venuewire-demo-secret", "venuewire-demo-memo"):
        assert secret not in result.stdout
        assert secret.encode() not in capture.read_bytes()
    # The last section: the whole session recorded, a part replayed, the drift report clean.
    where = re.escape(str(capture))
    recorded = re.search(rf"^recorded (\d+) messages on (\d+) connections to {where}$", result.stdout, re.M)
    assert recorded is not None and int(recorded[1]) > 0
    assert "replayed: bitmart v3 depth20 BTC_USDT" in result.stdout
    assert "replayed: infoway batch_depth stock" in result.stdout
    report = r"^drift report: \d+ messages checked, \d+ message types, .* 0 unknown, no drift$"
    assert re.search(report, result.stdout, re.M)
    # ... and the kept capture is what `venuewire check` reads: every venue, no drift (exit 0).
    command = [VENUEWIRE, "check", str(capture), "--json"]
    check = subprocess.run(command, capture_output=True, text=True, timeout=60, env=_env(), check=False)
    assert check.returncode == 0, check.stdout[-2000:]
    doc = json.loads(check.stdout)
    assert doc["drift"] is False
    assert {m["venue"] for m in doc["messages"]} == set(VENUES)


@pytest.mark.parametrize("venue", ["futu", "coinw"])
def test_an_unreachable_venue_exits_1_with_one_clear_line(venue: str) -> None:
    result = subprocess.run(
        [VENUEWIRE, "demo", "--venue", venue, "--seconds", "1"],
        capture_output=True,
        text=True,
        timeout=60,
        env=_env(VENUEWIRE_DEMO_UNREACHABLE=venue),
        check=False,
    )
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"venuewire demo: {venue} failed while ")
    assert "connect" in lines[0].lower()
    assert "Traceback" not in result.stderr + result.stdout


def test_demo_rejects_an_unknown_venue_and_bad_seconds(capsys: pytest.CaptureFixture[str]) -> None:
    from venuewire.cli import main

    assert main(["demo", "--venue", "nasdaq"]) == 2
    assert main(["demo", "--seconds", "0"]) == 2
    assert main(["demo", "--seconds", "soon"]) == 2
    capsys.readouterr()
