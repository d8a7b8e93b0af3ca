"""A program that knows nothing of capture (run by test_env_capture.py with VENUEWIRE_CAPTURE
set): a CoinW simulator and client and an Infoway stream in one process, forever (bounded),
printing one line once both have talked."""

from __future__ import annotations

import asyncio
import sys

from venuewire.coinw import CoinwClient
from venuewire.credentials import CoinwCredentials, InfowayCredentials
from venuewire.infoway import InfowayClient
from venuewire.sim.coinw import CoinwSimulator
from venuewire.sim.infoway import InfowaySimulator

KEY, SECRET, INFOWAY_KEY = "env-capture-key-1234", "env-capture-secret-5678", "env-capture-infoway-key"


async def main(rounds: int) -> None:
    async with (
        CoinwSimulator(api_key=KEY, secret=SECRET) as coinw_sim,
        InfowaySimulator(api_key=INFOWAY_KEY, push_interval=0.01) as infoway_sim,
        CoinwClient(CoinwCredentials(KEY, SECRET), coinw_sim.url) as coinw,
        InfowayClient(InfowayCredentials(INFOWAY_KEY), infoway_sim.url, infoway_sim.ws_url, timeout=3) as infoway,
    ):
        stream = infoway.depth_stream("stock", ["00700.HK"])
        for n in range(rounds):
            await asyncio.wait_for(coinw.get_open_orders("plan"), 5)
            await asyncio.wait_for(anext(stream), 5)
            if n == 2:
                print("talking", flush=True)


if __name__ == "__main__":
    asyncio.run(asyncio.wait_for(main(int(sys.argv[1])), 60))
