"""`venuewire book`: one venue's normalized book from its simulator, and every way it refuses."""

from __future__ import annotations

import re

import pytest

from venuewire.cli import infoway_market, main
from venuewire.demo import closed_port

PRICE_ROW = re.compile(r"^\s*(\d+\s+)?[\d.]+\s+[\d.]+\s+[\d.]+\s+[\d.]+(\s+\d+)?\s*$", re.MULTILINE)


@pytest.fixture(autouse=True)
def _no_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    for var in (
        "VENUEWIRE_INFOWAY_API_KEY",
        "VENUEWIRE_BITMART_API_KEY",
        "VENUEWIRE_BITMART_SECRET",
        "VENUEWIRE_BITMART_MEMO",
    ):
        monkeypatch.delenv(var, raising=False)


@pytest.mark.parametrize(
    ("venue", "symbol", "title"),
    [
        ("futu", "HK.00700", "futu HK.00700 TENCENT"),
        ("futu", "US.AAPL", "futu US.AAPL APPLE"),
        ("bitmart", "BTC_USDT", "bitmart BTC_USDT"),
        ("bitmart-legacy", "BMX_ETH", "bitmart BMX_ETH"),
        ("infoway", "00700.HK", "infoway 00700.HK"),
        ("infoway", "BTCUSDT", "infoway BTCUSDT"),
    ],
)
def test_book_prints_the_simulators_book_with_the_levels_asked(
    venue: str, symbol: str, title: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["book", venue, symbol, "--levels", "4"]) == 0
    captured = capsys.readouterr()
    assert captured.err == ""
    assert title in captured.out
    assert "bid size" in captured.out and "ask size" in captured.out
    assert len(PRICE_ROW.findall(captured.out)) == 4, captured.out
    assert "4 levels, spread " in captured.out


def test_book_sim_is_the_default_and_explicit(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["book", "futu", "HK.00700", "--sim", "--levels", "1"]) == 0
    assert "futu HK.00700" in capsys.readouterr().out


@pytest.mark.parametrize(("venue", "symbol"), [("futu", "US.AAPL"), ("bitmart", "ETH_USDT"), ("infoway", "ETHUSDT")])
def test_book_watch_redraws_until_seconds_run_out(venue: str, symbol: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["book", venue, symbol, "--levels", "3", "--watch", "--seconds", "1"]) == 0
    out = capsys.readouterr().out
    updates = re.search(r"\(update (\d+)\)", out)
    assert updates is not None, out
    assert int(updates.group(1)) >= 2  # the simulators push every 0.2 s
    assert out.count("bid size") == 1  # not a terminal: the final state, printed once


@pytest.mark.parametrize("venue", ["coinw", "qfex"])
def test_venues_without_a_book_exit_2_with_one_line(venue: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["book", venue, "BTC"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    (line,) = captured.err.splitlines()
    assert line.startswith(f"venuewire book: {venue} has no order book")
    assert "futu, bitmart, bitmart-legacy, infoway" in line


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["book", "nasdaq", "X"], "unknown venue 'nasdaq'"),
        (["book", "futu", "00700"], "must look like MARKET.CODE"),
        (["book", "bitmart", "BTCUSDT"], "symbol must be BASE_QUOTE"),
        (["book", "futu", "HK.00700", "--url", "127.0.0.1:1"], "--url needs --live"),
    ],
)
def test_bad_input_exits_2_with_one_line(argv: list[str], expected: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(argv) == 2
    (line,) = capsys.readouterr().err.splitlines()
    assert expected in line


def test_bad_levels_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["book", "futu", "HK.00700", "--levels", "0"]) == 2
    assert "--levels" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("venue", "url"),
    [
        ("futu", "127.0.0.1:{port}"),
        ("bitmart", "ws://127.0.0.1:{port}/api"),
        ("bitmart-legacy", "ws://127.0.0.1:{port}/"),
        ("infoway", "http://127.0.0.1:{port}"),
    ],
)
def test_live_with_no_network_exits_1_with_one_line_and_no_traceback(
    venue: str, url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    secret = "infoway-key-that-must-not-leak-42"
    monkeypatch.setenv("VENUEWIRE_INFOWAY_API_KEY", secret)
    symbol = {"futu": "HK.00700", "bitmart": "BTC_USDT", "bitmart-legacy": "BMX_ETH", "infoway": "00700.HK"}[venue]
    argv = ["book", venue, symbol, "--live", "--url", url.format(port=closed_port()), "--timeout", "5"]
    assert main(argv) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    (line,) = captured.err.splitlines()
    assert line.startswith(f"venuewire book: {venue} (live): ")
    assert "connect" in line.lower()
    assert secret not in captured.err
    assert "Traceback" not in captured.err


def test_live_infoway_without_credentials_names_the_variable(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["book", "infoway", "00700.HK", "--live", "--url", f"http://127.0.0.1:{closed_port()}"]) == 1
    (line,) = capsys.readouterr().err.splitlines()
    assert "VENUEWIRE_INFOWAY_API_KEY" in line


def test_live_infoway_watch_with_no_network_exits_1(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("VENUEWIRE_INFOWAY_API_KEY", "a-key")
    port = closed_port()
    argv = ["book", "infoway", "BTCUSDT", "--live", "--watch", "--url", f"http://127.0.0.1:{port}"]
    assert main([*argv, "--ws-url", f"ws://127.0.0.1:{port}/ws", "--timeout", "5"]) == 1
    (line,) = capsys.readouterr().err.splitlines()
    assert line.startswith("venuewire book: infoway (live): ")


@pytest.mark.parametrize(
    ("code", "market"),
    [
        ("00700.HK", "stock"),
        ("AAPL.US", "stock"),
        ("600519.SH", "stock"),
        ("BTCUSDT", "crypto"),
        ("ETHBTC", "common"),
        ("SOLUSDC", "crypto"),
        ("EURUSD", "common"),
        ("7203.JP", "japan"),
        ("005930.KS", "korea"),
        ("2330.TW", "taiwan"),
        ("RELIANCE.IN", "india"),
    ],
)
def test_infoway_market_is_inferred_from_the_code(code: str, market: str) -> None:
    assert infoway_market(code) == market


def test_book_watch_stops_cleanly_on_ctrl_c() -> None:
    import signal
    import subprocess
    import sys
    import time
    from pathlib import Path

    venuewire = str(Path(sys.executable).with_name("venuewire"))
    proc = subprocess.Popen(
        [venuewire, "book", "futu", "HK.00700", "--watch", "--levels", "2"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        time.sleep(2)
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=20)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=10)
    assert proc.returncode == 0, err
    assert err == ""
    assert "futu HK.00700 TENCENT (update" in out


def test_rich_is_a_declared_runtime_dependency() -> None:
    from importlib import metadata

    requires = metadata.requires("venuewire") or []
    assert any(re.match(r"rich\b", requirement) for requirement in requires), requires
