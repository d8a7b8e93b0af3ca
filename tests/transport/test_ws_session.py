"""WsSession, the request/response half of the one WebSocket engine, with a toy protocol
against peers on 127.0.0.1: the login answered before any request, answers paired by order,
pushes delivered alongside, a message over the size cap failing the call that waits, a
protocol's fatal error, a refused login, re-login on reconnect. Bounded waits."""

from __future__ import annotations

import asyncio
import json

import pytest
from aiohttp import WSMsgType, web

from tests.hostile.peers import ws_peer
from venuewire.errors import AuthError, ConnectionLost, DecodeError, PayloadTooLarge, VenueError
from venuewire.events import DecodeFailure
from venuewire.transport import Answer, Frame, Reaction, WsSession

pytestmark = pytest.mark.timeout(20)


class Toy:
    """Frames are JSON: {"login": ok} answers the login, {"answer": x} a request, {"push": x}
    is a push, {"fatal": text} ends the call, anything else is ignored."""

    venue = "toy"

    def __init__(self, url: str) -> None:
        self._url = url
        self.logins = 0

    def url(self) -> str:
        return self._url

    def login(self) -> Frame | None:
        self.logins += 1
        return json.dumps({"login": self.logins})

    def receive(self, data: Frame) -> Reaction[str]:
        try:
            message = json.loads(data)
        except ValueError:
            return Reaction(answer=Answer(error=DecodeError("toy", "frame", (), "not JSON"), unpaired=True))
        if "login" in message:
            ok = message["login"]
            return Reaction(answer=Answer(True) if ok else Answer(error=AuthError("toy", "login refused")))
        if "answer" in message:
            return Reaction(answer=Answer(message["answer"]))
        if "push" in message:
            return Reaction(items=[message["push"]])
        if "fatal" in message:
            return Reaction(fatal=VenueError("toy", message["fatal"]))
        return Reaction()


def peer_handler(before_answer: list[str] | None = None, *, refuse_login: bool = False, big: int = 0):
    """Answers the login, then each request {"n": k} with the pushes in `before_answer`
    first and {"answer": k*10}; `big` > 0 sends a message of that many bytes instead."""

    async def handler(ws: web.WebSocketResponse, request: web.Request) -> None:
        async for message in ws:
            if message.type is not WSMsgType.TEXT:
                continue
            frame = json.loads(message.data)
            if "login" in frame:
                await ws.send_str(json.dumps({"login": not refuse_login}))
                continue
            for text in before_answer or []:
                await ws.send_str(text)
            if big:
                await ws.send_str("x" * big)
                continue
            await ws.send_str(json.dumps({"answer": frame["n"] * 10}))

    return handler


def ask(n: int):
    return lambda: json.dumps({"n": n})


async def test_login_then_requests_paired_by_order_with_pushes_alongside():
    pushes = [json.dumps({"push": "p1"}), json.dumps({"other": 1}), json.dumps({"push": "p2"})]
    async with ws_peer(peer_handler(pushes)) as peer:
        toy = Toy(peer.ws_url)
        async with WsSession(toy, timeout=2.0) as session:
            assert session.connected and toy.logins == 1
            results = await asyncio.gather(*(session.request(ask(n), f"ask {n}") for n in range(3)))
            assert results == [0, 10, 20]
            assert [await asyncio.wait_for(session.next_push(), 1.0) for _ in range(6)] == ["p1", "p2"] * 3
            assert (session.stats.requests, session.stats.answered, session.stats.ignored_frames) == (3, 3, 3)
            assert session.stats.pushes == 6 and session.stats.connects == 1


async def test_pushes_beyond_the_buffer_drop_the_oldest():
    pushes = [json.dumps({"push": f"p{i}"}) for i in range(5)]
    async with ws_peer(peer_handler(pushes)) as peer, WsSession(Toy(peer.ws_url), timeout=2.0, buffer=2) as session:
        assert await session.request(ask(1), "ask") == 10
        assert session.stats.dropped == 3
        assert [await session.next_push(), await session.next_push()] == ["p3", "p4"]


async def test_a_refused_login_raises_its_error_and_counts():
    async with ws_peer(peer_handler(refuse_login=True)) as peer:
        session = WsSession(Toy(peer.ws_url), timeout=2.0)
        with pytest.raises(AuthError, match="login refused"):
            await session.connect()
        assert not session.connected and session.stats.auth_failures == 1
        await session.close()


async def test_a_message_over_the_cap_fails_the_waiting_call_then_it_reconnects_and_logs_in_again():
    async with ws_peer(peer_handler(big=4096)) as peer:
        toy = Toy(peer.ws_url)
        async with WsSession(toy, timeout=2.0, max_message_size=1024, backoff_initial=0.01) as session:
            with pytest.raises(PayloadTooLarge):
                await session.request(ask(1), "ask")
            with pytest.raises(PayloadTooLarge):  # a new connection, logged in again
                await session.request(ask(2), "ask")
            assert toy.logins == 2 and peer.connections == 2


async def test_a_fatal_reaction_fails_the_call_and_drops_the_connection():
    async with (
        ws_peer(peer_handler([json.dumps({"fatal": "venue says stop"})])) as peer,
        WsSession(Toy(peer.ws_url), timeout=2.0, backoff_initial=0.01) as session,
    ):
        with pytest.raises(VenueError, match="venue says stop"):
            await session.request(ask(1), "ask")
        assert not session.connected
        with pytest.raises(VenueError, match="venue says stop"):
            await session.request(ask(2), "ask")
        assert session.stats.connects == 2


async def test_a_drop_fails_the_call_in_flight_with_connection_lost():
    async def handler(ws: web.WebSocketResponse, request: web.Request) -> None:
        async for message in ws:
            if "login" in json.loads(message.data):
                await ws.send_str(json.dumps({"login": True}))
            else:
                await ws.close()

    async with ws_peer(handler) as peer, WsSession(Toy(peer.ws_url), timeout=2.0) as session:
        with pytest.raises(ConnectionLost):
            await session.request(ask(1), "ask")
        assert session.stats.connections_lost == 1


async def test_a_receive_that_raises_is_a_decode_failure_push_not_a_dead_session():
    class Buggy(Toy):
        def receive(self, data: Frame) -> Reaction[str]:
            if "boom" in str(data):
                raise RuntimeError("protocol bug")
            return super().receive(data)

    async with ws_peer(peer_handler(['{"boom": 1}'])) as peer, WsSession(Buggy(peer.ws_url), timeout=2.0) as session:
        assert await session.request(ask(3), "ask") == 30
        failure = await asyncio.wait_for(session.next_push(), 1.0)
        assert isinstance(failure, DecodeFailure) and "protocol bug" in str(failure.error)


def test_settings_are_checked_and_only_known_correlations_accepted():
    toy = Toy("ws://127.0.0.1:1/")
    assert WsSession(toy).correlation == "order"
    for bad in ({"correlation": "id"}, {"timeout": 0}, {"backoff_initial": 0}, {"healthy_after": 0}, {"buffer": 0}):
        with pytest.raises(ValueError):
            WsSession(toy, **bad)
