"""Captures written by the clients themselves (`capture=`, the recording hooks) replay like the
proxy's: each of our clients, recorded against our simulator, reads the same typed messages
from the replay; the encrypted OpenD session's capture (decrypted bodies) serves a plain one."""

from __future__ import annotations

from pathlib import Path

import futu
import pytest

from venuewire.capture.format import read_capture
from venuewire.replay import Replay
from venuewire.sim import infoway as infoway_sim
from venuewire.sim.bitmart import BitmartSimulator
from venuewire.sim.coinw import CoinwSimulator
from venuewire.sim.opend import OpenDSimulator

from .test_opend_replay import opend_session
from .test_web_replay import bitmart_session, coinw_session, infoway_session

pytestmark = pytest.mark.timeout(60)

KEY = Path(futu.__file__).parent / "common" / "conn_key.txt"


@pytest.mark.parametrize("encrypted", [False, True], ids=["plain", "rsa-aes"])
async def test_opend_capture_replays(tmp_path: Path, encrypted: bool) -> None:
    path = tmp_path / "futu.jsonl"
    rsa = str(KEY) if encrypted else None
    async with OpenDSimulator(port=0, push_interval=0.05, rsa_key_path=rsa) as sim:
        recorded_book, _pushes = await opend_session(sim.host, sim.port, capture=path, rsa_key_path=rsa)
    async with Replay(path, speed=1) as replay:
        book, pushes = await opend_session(*replay.address_for("futu"))  # plain: the bodies are recorded clear
    assert book == recorded_book and len(pushes) == 3
    assert replay.unanswered == []


async def test_bitmart_infoway_and_coinw_captures_replay(tmp_path: Path) -> None:
    async with BitmartSimulator(port=0, push_interval=0.05) as sim:
        bitmart = await bitmart_session(sim.url, capture=tmp_path / "bitmart.jsonl")
    async with infoway_sim.InfowaySimulator(port=0, push_interval=0.05) as sim:
        infoway = await infoway_session(sim.url, sim.ws_url, capture=tmp_path / "infoway.jsonl")
    async with CoinwSimulator(port=0) as sim:
        coinw = await coinw_session(sim.url, capture=tmp_path / "coinw.jsonl")
    async with Replay(tmp_path / "bitmart.jsonl", speed=0) as replay:
        assert await bitmart_session(replay.url_for("bitmart")) == bitmart
        assert replay.unanswered == []
    capture = read_capture(tmp_path / "infoway.jsonl")
    assert infoway_sim.DEFAULT_API_KEY.encode() not in capture.path.read_bytes()
    async with Replay(capture, speed=0) as replay:
        [ws] = [url for url in replay.endpoints("infoway") if url.startswith("ws://")]
        assert await infoway_session(replay.url_for("infoway"), ws.split("?")[0]) == infoway
        assert replay.unanswered == []
    async with Replay(tmp_path / "coinw.jsonl", speed=0) as replay:
        assert await coinw_session(replay.url_for("coinw")) == coinw
        assert replay.unanswered == []
