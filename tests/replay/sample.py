"""The sample capture `tests/replay/data/session.jsonl` (used by the README's replay example
and by test_sample.py): our clients' sessions against our simulators, recorded through the
proxy with the simulators' credentials redacted. Regenerate with

    .venv/bin/python -m tests.replay.sample tests/replay/data/session.jsonl
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from venuewire.capture.format import CaptureWriter
from venuewire.sim import coinw as coinw_sim
from venuewire.sim import infoway as infoway_sim
from venuewire.sim.bitmart import BitmartSimulator
from venuewire.sim.opend import OpenDSimulator

from .recording import OpenDRecorder, WebRecorder
from .test_opend_replay import opend_session
from .test_web_replay import bitmart_session, coinw_session, infoway_session

SAMPLE = Path(__file__).parent / "data" / "session.jsonl"
SECRETS = (coinw_sim.DEFAULT_API_KEY, coinw_sim.DEFAULT_SECRET, infoway_sim.DEFAULT_API_KEY)


async def record_sample(path: Path) -> None:
    with CaptureWriter(path, redact=SECRETS) as writer:
        async with (
            OpenDSimulator(port=0, push_interval=0.05) as sim,
            OpenDRecorder(writer, sim.host, sim.port) as proxy,
        ):
            await opend_session(proxy.host, proxy.port)
        async with (
            BitmartSimulator(port=0, push_interval=0.05) as sim,
            WebRecorder(writer, "bitmart", sim.address("http")) as proxy,
        ):
            await bitmart_session(sim.url.replace(f":{sim.port}", f":{proxy.port}"))
        async with (
            infoway_sim.InfowaySimulator(port=0, push_interval=0.05) as sim,
            WebRecorder(writer, "infoway", sim.url) as proxy,
        ):
            await infoway_session(proxy.url(), sim.ws_url.replace(f":{sim.port}", f":{proxy.port}"))
        async with coinw_sim.CoinwSimulator(port=0) as sim, WebRecorder(writer, "coinw", sim.url) as proxy:
            await coinw_session(proxy.url())


if __name__ == "__main__":
    asyncio.run(record_sample(Path(sys.argv[1])))
