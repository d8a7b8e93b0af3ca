"""REST replies count the fields their schemas do not declare (a sample per endpoint), next to
the streams' `stats.unknown_fields`; the typed decode stays as strict as before."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiohttp import web

from venuewire.coinw import CoinwClient
from venuewire.credentials import CoinwCredentials
from venuewire.drift.sample import RestUnknownFields

SEED = Path(__file__).resolve().parents[1] / "fixtures" / "coinw" / "order_response" / "seed_example.json"


@pytest.fixture
async def server() -> AsyncIterator[tuple[str, list[int]]]:
    """A 127.0.0.1 CoinW stand-in answering every GET with the seed order reply, the first
    order carrying one field the schema does not know; `hits` counts the requests."""
    body = json.loads(SEED.read_text(encoding="utf-8"))
    body["data"][0]["brandNewField"] = "x"
    raw = json.dumps(body).encode()
    hits: list[int] = []

    async def answer(_request: web.Request) -> web.Response:
        hits.append(1)
        return web.Response(body=raw, content_type="application/json")

    app = web.Application()
    app.router.add_route("GET", "/{tail:.*}", answer)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    try:
        yield f"http://127.0.0.1:{port}", hits
    finally:
        await runner.cleanup()


async def test_a_coinw_reply_with_an_unknown_field_decodes_and_is_counted(server: tuple[str, list[int]]) -> None:
    url, hits = server
    async with CoinwClient(CoinwCredentials("key", "secret"), url) as client:
        for _ in range(20):
            orders = await client.get_open_orders("plan")
            assert orders  # decoded as usual: the extra field does not break the strict decode
        assert len(hits) == 20
        # the first 16 replies of the endpoint are compared, the next 4 are not
        assert client.unknown_fields == {("coinw/order_response", "data[].brandNewField"): 16}


def test_rest_sampling_takes_the_first_replies_of_each_message_then_every_kth() -> None:
    from collections import Counter

    raw = json.loads(SEED.read_text(encoding="utf-8"))
    known = json.dumps(raw).encode()
    raw["extra"] = 1
    unknown = json.dumps(raw).encode()
    counter: Counter[tuple[str, str]] = Counter()
    sampler = RestUnknownFields("coinw", counter, first=2, every=10)
    for _ in range(30):
        sampler.reply("coinw/order_response", unknown)
    sampler.reply("coinw/order_response", known)  # the 31st: not sampled
    assert sampler.compared == 5  # the 1st and 2nd, then the 10th, 20th and 30th
    assert counter == {("coinw/order_response", "extra"): 5}
    sampler.reply("coinw/positions_response", known)  # another message: its own first ones
    assert sampler.compared == 6 and counter[("coinw/order_response", "extra")] == 5


def test_rest_counting_never_raises_on_a_body_it_cannot_read(caplog: pytest.LogCaptureFixture) -> None:
    from collections import Counter

    counter: Counter[tuple[str, str]] = Counter()
    sampler = RestUnknownFields("coinw", counter)
    sampler.reply("coinw/order_response", b"not json")
    sampler.reply("coinw/no_such_message", b"{}")
    assert not counter
    assert sum("counting unknown fields failed" in r.message for r in caplog.records) == 1
