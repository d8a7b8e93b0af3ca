"""The CoinW simulator driven with raw aiohttp requests signed by hand (not with venuewire's
signer), plus its pure parts on their own. Every wait is bounded."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from multidict import CIMultiDict

from venuewire.errors import error_code
from venuewire.generated.registry import AUTH_SCHEMES
from venuewire.generated.registry import REST_COINW_GET_ORDER_INFORMATION as ENDPOINT
from venuewire.sim import coinw as sim_module
from venuewire.sim.coinw import (
    DEFAULT_API_KEY,
    DEFAULT_SECRET,
    GARBAGE,
    ORDERS,
    CoinwSimulator,
    Fault,
    expected_sign,
    orders_reply,
    verify_request,
)
from venuewire.sim.rest import KeyRateLimit

pytestmark = pytest.mark.timeout(30)

KEY = "sim-coinw-key"
SECRET = "sim-coinw-secret"
PATH = "/v1/perpum/order"
NOW_MS = 1_740_906_000_000
TOLERANCE_MS = 30_000
VECTORS = json.loads((Path(__file__).parents[1] / "signing" / "vectors.json").read_text())["coinw_futures"]


def hand_sign(secret: str, timestamp: str, query: str) -> str:
    """CoinW's documented formula, written out here independently of venuewire.signing."""
    text = f"{timestamp}GET{PATH}" + (f"?{query}" if query else "")
    return base64.b64encode(hmac.new(secret.encode(), text.encode(), hashlib.sha256).digest()).decode()


def signed(query: str, *, key: str = KEY, secret: str = SECRET, ts: int | None = None) -> dict[str, str]:
    timestamp = str(ts if ts is not None else int(time.time() * 1000))
    return {"api_key": key, "timestamp": timestamp, "sign": hand_sign(secret, timestamp, query)}


@pytest.fixture
async def sim() -> AsyncIterator[CoinwSimulator]:
    async with CoinwSimulator(api_key=KEY, secret=SECRET, rate_limit=1000) as server:
        yield server


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


async def get(
    http: aiohttp.ClientSession, sim: CoinwSimulator, query: str, headers: dict[str, str] | None = None
) -> tuple[int, bytes]:
    url = f"{sim.url}{PATH}" + (f"?{query}" if query else "")
    sent = headers if headers is not None else signed(query)
    async with http.get(aiohttp.client.URL(url, encoded=True), headers=sent) as response:
        return response.status, await response.read()


async def code_of(http: aiohttp.ClientSession, sim: CoinwSimulator, query: str, **options: Any) -> int:
    status, body = await get(http, sim, query, **options)
    assert status == 200
    value = json.loads(body)
    return int(value["code"])


# --- pure parts -----------------------------------------------------------------------------------


@pytest.mark.parametrize("vector", [v for v in VECTORS if v["method"] == "GET"])
def test_expected_sign_reproduces_the_shared_vectors(vector):
    sign = expected_sign(vector["secret"], str(vector["timestamp_ms"]), "GET", vector["path"], vector["query"])
    assert sign == vector["expect"]


def test_expected_sign_without_a_query_has_no_question_mark():
    assert expected_sign("s", "1", "GET", PATH, "") == hand_sign("s", "1", "")


def verify(headers: dict[str, str], query: str = "positionType=plan", now_ms: int = NOW_MS) -> object:
    return verify_request({KEY: SECRET}, CIMultiDict(headers), "GET", PATH, query, now_ms, TOLERANCE_MS)


def test_verify_request_accepts_exactly_coinws_signature():
    assert verify(signed("positionType=plan", ts=NOW_MS)) is None
    assert verify({k.upper(): v for k, v in signed("positionType=plan", ts=NOW_MS).items()}) is None


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"api_key": "someone-else"}, 6000),
        ({"api_key": ""}, 6000),
        ({"sign": "AAAA"}, 6001),
        ({"sign": ""}, 6001),
        ({"timestamp": "soon"}, 6001),
        ({"timestamp": str(NOW_MS - TOLERANCE_MS - 1)}, 6001),
        ({"timestamp": str(NOW_MS + TOLERANCE_MS + 1)}, 6001),
    ],
)
def test_verify_request_refusals(change, code):
    headers = signed("positionType=plan", ts=NOW_MS) | change
    refused = verify(headers)
    assert isinstance(refused, tuple) and refused[0] == code


def test_missing_headers_are_refused():
    assert verify({})[0] == 6000  # type: ignore[index]
    headers = signed("positionType=plan", ts=NOW_MS)
    for name in ("timestamp", "sign"):
        assert verify({k: v for k, v in headers.items() if k != name})[0] == 6001  # type: ignore[index]


def test_the_signature_covers_the_raw_query_byte_for_byte():
    raw = "positionType=plan&sourceIds=1,2"
    headers = signed(raw, ts=NOW_MS)
    assert verify(headers, raw) is None
    assert verify(headers, "positionType=plan&sourceIds=1%2C2")[0] == 6001  # type: ignore[index]
    assert verify(headers, "sourceIds=1,2&positionType=plan")[0] == 6001  # type: ignore[index]


def test_a_timestamp_at_the_edge_of_the_window_is_accepted():
    for ts in (NOW_MS - TOLERANCE_MS, NOW_MS + TOLERANCE_MS):
        assert verify(signed("positionType=plan", ts=ts)) is None


def ids(reply: dict[str, Any]) -> list[str]:
    return [str(o["id"]) for o in reply["data"]]


def test_orders_per_position_type_are_fixed_and_mixed_like_the_seed():
    assert set(ORDERS) == set(ENDPOINT.choices["positionType"])  # every choice the registry declares
    for kind in ORDERS:
        first, second = orders_reply([("positionType", kind)]), orders_reply([("positionType", kind)])
        assert first == second and first["code"] == 0 and first["data"]
    every = [o for orders in ORDERS.values() for o in orders]
    assert any(isinstance(o["id"], int) and o["id"] > 2**53 for o in every)
    assert any(isinstance(o["id"], str) for o in every)
    for name in ("fee", "orderPrice", "quantity", "margin"):
        kinds = {type(o[name]) for o in every if name in o}
        assert str in kinds and kinds & {int, float}, name
    execute = orders_reply([("positionType", "execute")])["data"]
    assert {o["posType"] for o in execute} == {"execute", "plan"}  # the venue may add plan orders


def test_sourceids_and_instrument_filter_case_insensitively():
    plan = [("positionType", "plan")]
    assert ids(orders_reply([*plan, ("sourceIds", "33308753605637070")])) == ["33308753605637070"]
    assert ids(orders_reply([*plan, ("sourceIds", "33308753606524437,1,33308753605637070")])) == [
        "33308753605637070",
        "33308753606524437",
    ]
    assert ids(orders_reply([*plan, ("sourceIds", "5")])) == []
    for name in ("eth", "ETH", "Eth"):
        assert ids(orders_reply([*plan, ("instrument", name)])) == ["33308753606524437"]
    move = [("positionType", "moveStop")]
    assert ids(orders_reply([*move, ("instrument", "BTC")])) == ids(orders_reply(move))  # served as "btc"
    assert ids(orders_reply([*plan, ("instrument", "SOL")])) == []


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ([], 402),
        ([("positionType", "")], 402),
        ([("instrument", "BTC")], 402),
        ([("positionType", "market")], 1),
        ([("positionType", "EXECUTE")], 1),
        ([("positionType", "plan"), ("sourceIds", "")], 1),
        ([("positionType", "plan"), ("sourceIds", "1,,2")], 1),
        ([("positionType", "plan"), ("sourceIds", "1, 2")], 1),
        ([("positionType", "plan"), ("sourceIds", ",".join(map(str, range(21))))], 1),
        ([("positionType", "plan"), ("instrument", "BTC/USDT")], 1),
        ([("positionType", "plan"), ("instrument", "DOGE")], 9111),
    ],
)
def test_bad_or_missing_parameters(params, code):
    reply = orders_reply(params)
    assert reply["code"] == code and reply["data"] is None and reply["msg"]


def test_the_simulators_facts_are_the_registrys():
    assert ENDPOINT.path == sim_module.PATH
    assert ENDPOINT.choices["positionType"] == sim_module.POSITION_TYPES
    assert (ENDPOINT.max_ids, ENDPOINT.requests_per_second) == (sim_module.MAX_IDS, sim_module.RATE_LIMIT)
    auth = AUTH_SCHEMES[ENDPOINT.auth]
    assert auth.headers == (sim_module.SIGN_HEADER, sim_module.API_KEY_HEADER, sim_module.TIMESTAMP_HEADER)
    assert CoinwSimulator().tolerance_ms == auth.timestamp_tolerance_s * 1000
    assert sim_module.UNKNOWN_KEY[0] == error_code("coinw", "auth_failed")
    assert sim_module.BAD_SIGN[0] == sim_module.STALE[0] == error_code("coinw", "bad_sign")
    assert sim_module.RATE_LIMITED[0] == error_code("coinw", "rate_limited")
    assert orders_reply([])["code"] == error_code("coinw", "missing_parameter")
    assert orders_reply([("positionType", "nope")])["code"] == error_code("coinw", "invalid_parameter")
    doge = orders_reply([("positionType", "plan"), ("instrument", "DOGE")])
    assert doge["code"] == error_code("coinw", "not_tradable")


@pytest.mark.parametrize("kind", ["planTrigger", "moveStopProfitLoss"])
def test_the_kinds_from_the_precautions_are_served(kind):
    reply = orders_reply([("positionType", kind)])
    assert reply["code"] == 0 and reply["data"]


def test_a_triggered_market_order_has_null_price_margin_and_client_id():
    (row,) = orders_reply([("positionType", "planTrigger")])["data"]
    assert row["orderPrice"] is None and row["margin"] is None and row["thirdOrderId"] is None
    assert row["triggerType"] == 1 and row["processStatus"] == 0


def test_twenty_ids_are_fine():
    assert orders_reply([("positionType", "plan"), ("sourceIds", ",".join(map(str, range(20))))])["code"] == 0


def test_key_rate_limit_is_a_sliding_window_per_key():
    limit = KeyRateLimit(10, 1.0)
    assert all(limit.wait("a", 0.05 * i) is None for i in range(10))
    assert limit.wait("a", 0.5) is not None
    assert limit.wait("b", 0.5) is None
    assert limit.wait("a", 0.99) is not None
    assert limit.wait("a", 1.0) is None  # the first one left the window
    assert limit.most_in_window == 10


# --- over HTTP ---------------------------------------------------------------------------------------


async def test_a_signed_request_gets_the_orders_with_bare_big_integer_ids(sim, http):
    status, body = await get(http, sim, "positionType=plan")
    assert status == 200
    assert b'"id":33308753605637070' in body and b'"id":"33308753606524437"' in body
    value = json.loads(body)
    assert value["code"] == 0 and value["msg"] == "" and ids(value) == ["33308753605637070", "33308753606524437"]
    assert sim.stats.served == 1 and sim.seen[-1].raw_query == "positionType=plan" and sim.seen[-1].code == 0


async def test_the_raw_query_is_verified_as_it_arrived(sim, http):
    raw = "positionType=plan&sourceIds=33308753605637070,33308753606524437&instrument=btc"
    assert await code_of(http, sim, raw) == 0
    assert sim.seen[-1].raw_query == raw
    encoded = raw.replace(",", "%2C")
    assert await code_of(http, sim, encoded, headers=signed(raw)) == 6001  # signed raw, sent encoded
    assert await code_of(http, sim, encoded) == 0  # signed as sent: fine, and decoded for use
    assert sim.seen[-1].raw_query == encoded


async def test_unknown_key_wrong_secret_and_stale_timestamp(sim, http):
    query = "positionType=execute"
    assert await code_of(http, sim, query, headers=signed(query, key="nobody")) == 6000
    assert await code_of(http, sim, query, headers=signed(query, secret="wrong")) == 6001
    stale = int(time.time() * 1000) - 31_000
    assert await code_of(http, sim, query, headers=signed(query, ts=stale)) == 6001
    assert await code_of(http, sim, query, headers={}) == 6000
    assert (sim.stats.unknown_key, sim.stats.bad_signature, sim.stats.bad_timestamp) == (2, 1, 1)
    assert sim.stats.served == 0


async def test_parameters_are_checked_after_authentication(sim, http):
    assert await code_of(http, sim, "") == 402
    assert await code_of(http, sim, "instrument=BTC") == 402
    assert await code_of(http, sim, "positionType=nope") == 1
    assert await code_of(http, sim, "positionType=plan&sourceIds=" + ",".join(map(str, range(21)))) == 1
    assert await code_of(http, sim, "positionType=plan&instrument=DOGE") == 9111
    assert sim.stats.bad_params == 5


async def test_add_key_accepts_another_account(sim, http):
    sim.add_key("second", "second-secret")
    query = "positionType=moveStop"
    assert await code_of(http, sim, query, headers=signed(query, key="second", secret="second-secret")) == 0


async def test_more_than_ten_a_second_from_one_key_gets_29001(http):
    async with CoinwSimulator(api_key=KEY, secret=SECRET, rate_window_s=30) as sim:
        sim.add_key("other", "other-secret")
        query = "positionType=plan"
        codes = [await code_of(http, sim, query) for _ in range(11)]
        assert codes == [0] * 10 + [29001]
        assert await code_of(http, sim, query, headers=signed(query, key="other", secret="other-secret")) == 0
        assert sim.stats.rate_limited == 1 and sim.limit.most_in_window == 10


async def test_the_rate_limit_can_answer_http_429(http):
    async with CoinwSimulator(
        api_key=KEY, secret=SECRET, rate_limit=1, rate_window_s=30, rate_limit_reply="http429"
    ) as sim:
        assert (await get(http, sim, "positionType=plan"))[0] == 200
        status, body = await get(http, sim, "positionType=plan")
        assert status == 429 and json.loads(body)["code"] == 29001


async def test_fault_drop_connection(sim, http):
    sim.faults.add(Fault.DROP_CONNECTION)
    with pytest.raises(aiohttp.ClientError):
        await get(http, sim, "positionType=plan")
    # aiohttp's client retries an idempotent request once when the server disconnects
    assert sim.stats.dropped_by_fault in (1, 2) and sim.seen[-1].code is None


async def test_fault_garbage_frame_is_a_non_json_body(sim, http):
    sim.faults.add(Fault.GARBAGE_FRAME)
    status, body = await get(http, sim, "positionType=plan")
    assert status == 200 and body == GARBAGE
    with pytest.raises(json.JSONDecodeError):
        json.loads(body)


async def test_fault_slow_reply(http):
    async with CoinwSimulator(api_key=KEY, secret=SECRET, slow_reply_s=0.4) as sim:
        sim.faults.add(Fault.SLOW_REPLY)
        started = time.monotonic()
        assert await code_of(http, sim, "positionType=plan") == 0
        assert time.monotonic() - started >= 0.4
        sim.faults.clear()
        started = time.monotonic()
        assert await code_of(http, sim, "positionType=plan") == 0
        assert time.monotonic() - started < 0.4


def test_simulator_arguments_are_checked():
    with pytest.raises(ValueError, match="api_key"):
        CoinwSimulator(api_key="")
    with pytest.raises(ValueError, match="rate_limit_reply"):
        CoinwSimulator(rate_limit_reply="teapot")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="rate_limit"):
        CoinwSimulator(rate_limit=0)


async def test_serve_uses_the_environment_and_stops_when_cancelled(monkeypatch, http):
    monkeypatch.setenv("VENUEWIRE_COINW_API_KEY", KEY)
    monkeypatch.setenv("VENUEWIRE_COINW_SECRET", SECRET)
    ready: asyncio.Future[tuple[str, int]] = asyncio.get_running_loop().create_future()
    task = asyncio.create_task(sim_module.serve("127.0.0.1", 0, lambda h, p: ready.set_result((h, p))))
    host, port = await asyncio.wait_for(ready, 5)
    url = f"http://{host}:{port}{PATH}?positionType=plan"
    async with http.get(url, headers=signed("positionType=plan")) as response:
        assert json.loads(await response.read())["code"] == 0
    default = signed("positionType=plan", key=DEFAULT_API_KEY, secret=DEFAULT_SECRET)
    async with http.get(url, headers=default) as response:
        assert json.loads(await response.read())["code"] == 6000
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await asyncio.wait_for(task, 5)


@pytest.mark.timeout(60)
def test_venuewire_sim_coinw_serves_and_stops_on_sigterm():
    env = {**os.environ, "VENUEWIRE_COINW_API_KEY": KEY, "VENUEWIRE_COINW_SECRET": SECRET}
    command = [sys.executable, "-m", "venuewire", "sim", "coinw", "--port", "0"]
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        match = re.fullmatch(r"listening on 127\.0\.0\.1:(\d+)\n", line)
        assert match, line

        async def one() -> int:
            async with aiohttp.ClientSession() as session:
                url = f"http://127.0.0.1:{match.group(1)}{PATH}?positionType=execute"
                async with session.get(url, headers=signed("positionType=execute")) as response:
                    return int(json.loads(await response.read())["code"])

        assert asyncio.run(one()) == 0
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=20)
        assert proc.returncode == 0, err
        assert out == "" and "Traceback" not in err
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate(timeout=10)
