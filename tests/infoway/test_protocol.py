"""The pure WebSocket protocol: URL, the one merged subscribe frame, heartbeats, and what each
incoming frame becomes (a book, a counted control frame, a kept error, a DecodeFailure)."""

from __future__ import annotations

import itertools
import json
from decimal import Decimal
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from venuewire.credentials import InfowayCredentials
from venuewire.errors import AuthError, InvalidRequest, RateLimited
from venuewire.events import DecodeFailure
from venuewire.generated.infoway.ws_heartbeat import WsHeartbeat
from venuewire.generated.infoway.ws_subscribe import WsDepthSubscribe
from venuewire.infoway.protocol import (
    FRAME_WINDOW_MARGIN,
    HEARTBEAT_INTERVAL_S,
    IDLE_TIMEOUT_S,
    MAX_FRAMES_PER_MINUTE,
    MAX_RAW,
    InfowayDepthProtocol,
    heartbeat_frame,
    send_limiter,
    subscribe_frame,
    ws_url,
)
from venuewire.messages import decode_json
from venuewire.models import OrderBook

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "infoway"
KEY = "k3y/with+odd=chars&more"
CREDS = InfowayCredentials(KEY)


def protocol(market: str = "crypto", codes: tuple[str, ...] = ("BTCUSDT", "ETHUSDT")) -> InfowayDepthProtocol:
    counter = itertools.count(1)
    return InfowayDepthProtocol(
        CREDS, market, codes, base_url="ws://127.0.0.1:1/ws", new_trace=lambda: f"t{next(counter)}"
    )


def test_registry_facts():
    assert (HEARTBEAT_INTERVAL_S, IDLE_TIMEOUT_S, MAX_FRAMES_PER_MINUTE) == (30, 60, 60)
    limiter = send_limiter()
    assert limiter.limit == 60 and limiter.per == pytest.approx(60 * (1 + FRAME_WINDOW_MARGIN))
    assert send_limiter(1.0).per == pytest.approx(1.02)


def test_url_carries_business_and_the_key_percent_encoded():
    url = protocol().url()
    parts = urlsplit(url)
    assert (parts.scheme, parts.netloc, parts.path) == ("ws", "127.0.0.1:1", "/ws")
    assert parts.query.startswith("business=crypto&apikey=")
    assert parse_qs(parts.query) == {"business": ["crypto"], "apikey": [KEY]}
    assert ws_url("wss://x/ws?v=1", "stock", CREDS).startswith("wss://x/ws?v=1&business=stock&")


def test_repr_never_shows_the_key():
    assert KEY not in repr(protocol()) and "k3y" not in repr(protocol())


def test_opening_is_one_subscribe_frame_with_every_code_merged():
    p = protocol(codes=("BTCUSDT", "ETHUSDT", "BTCUSDT", "SOLUSDT"))
    (frame,) = p.opening()
    assert isinstance(frame, str)
    assert json.loads(frame) == {"code": 10003, "trace": "t1", "data": {"codes": "BTCUSDT,ETHUSDT,SOLUSDT"}}
    decode_json(WsDepthSubscribe, frame)
    (again,) = p.opening()
    assert json.loads(again)["trace"] == "t2"  # a fresh trace for each connection
    assert p.stats.connections == 2
    assert subscribe_frame(["A"], "x") == '{"code":10003,"trace":"x","data":{"codes":"A"}}'


def test_heartbeat_every_interval():
    beat = protocol().heartbeat()
    assert beat is not None
    interval, frame = beat
    assert interval == 30
    assert json.loads(frame) == {"code": 10010, "trace": "t1"}
    decode_json(WsHeartbeat, heartbeat_frame("hb"))


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"market": "forex"}, "market"),
        ({"codes": ()}, "at least one"),
        ({"codes": "BTCUSDT"}, "single string"),
        ({"codes": ("BTC USDT",)}, r"codes\[0\]"),
        ({"heartbeat_interval": 0}, "heartbeat_interval"),
    ],
)
def test_bad_arguments_are_refused(kwargs, match):
    args = {"market": "crypto", "codes": ("BTCUSDT",)} | kwargs
    with pytest.raises(ValueError, match=match):
        InfowayDepthProtocol(CREDS, **args)


def test_a_push_becomes_a_normalized_book():
    p = protocol()
    reaction = p.receive((FIXTURES / "ws_depth" / "push.json").read_text())
    (book,) = reaction.items
    assert isinstance(book, OrderBook)
    assert book.symbol == "BTCUSDT" and book.venue == "infoway"
    assert book.best_ask is not None and book.best_ask.price == Decimal("104250.01")
    assert book.best_bid is not None and book.best_bid.size == Decimal("0.75")
    assert reaction.send == []
    assert p.stats.pushes == 1


def test_bytes_frames_decode_too():
    (book,) = protocol().receive((FIXTURES / "ws_depth" / "push.json").read_bytes()).items
    assert isinstance(book, OrderBook)


@pytest.mark.parametrize(
    ("frame", "counter"),
    [
        ('{"code":200,"msg":"ws connect success"}', "welcomes"),
        ('{"code":10004,"trace":"t1","msg":"ok"}', "acks"),
        ('{"code":11010,"trace":"t1"}', "control"),
        ('{"code":10010,"trace":"t1"}', "control"),
        ("You have permission to subscribe to all market data", "notices"),
        ('{"code":10002,"data":{}}', "unknown"),
    ],
)
def test_control_frames_are_consumed_silently_but_counted(frame, counter):
    p = protocol()
    reaction = p.receive(frame)
    assert reaction.items == [] and reaction.send == []
    assert getattr(p.stats, counter) == 1
    assert p.stats.decode_failures == 0


@pytest.mark.parametrize(
    ("frame", "error", "code"),
    [
        ('{"code":501,"msg":"request frequency exceed the limit"}', RateLimited, 501),
        ('{"code":519,"msg":"no permission"}', AuthError, 519),
        ('{"code":506,"msg":"param error"}', InvalidRequest, 506),
        # the WebSocket table, not the REST one: 509 is an invalid key (REST: expired token),
        # 514 a wrong URL (REST: no permission), 515 a frame that is not JSON (not in REST)
        ('{"code":509,"msg":"apikey invalid"}', AuthError, 509),
        ('{"code":514,"msg":"wrong url"}', InvalidRequest, 514),
        ('{"code":515,"msg":"not json"}', InvalidRequest, 515),
        ('{"code":512,"msg":"too many connections"}', RateLimited, 512),
        ("Subscribe fail: business not purchased", InvalidRequest, None),
    ],
)
def test_error_frames_are_kept_typed_and_the_stream_goes_on(frame, error, code, caplog):
    p = protocol()
    assert p.receive(frame).items == []
    (kept,) = p.errors
    assert isinstance(kept, error) and kept.code == code
    assert p.stats.errors == 1
    assert "infoway" in caplog.text


@pytest.mark.parametrize(
    ("frame", "path"),
    [
        ("not json at all", ()),
        ('{"code":10005,"data":{"s":"X","t":1,"a":[["1"],[null]],"b":[[],[]]}}', ("data", "a", 1, 0)),
        ('{"code":10005,"trace":"t"}', ("data",)),
        ('{"code":10005,"data":{"s":"X","t":1,"a":[["1","2"],["3"]],"b":[[],[]]}}', ("data", "a")),
        ('{"code":200,"msg":5}', ("msg",)),
        ('{"code":10004,"trace":7}', ("trace",)),
        ('{"code":"10005"}', ()),
        ("[1, 2]", ()),
        ('{"code":10005,"data":{"s":"X","t":1,"a":[["1"],["2"]],"b":[[],[]]', ()),
    ],
)
def test_anything_undecodable_is_a_decode_failure(frame, path):
    p = protocol()
    (item,) = p.receive(frame).items
    assert isinstance(item, DecodeFailure)
    assert item.raw == frame.encode()
    assert item.error.venue == "infoway"
    if path:
        assert item.error.field_path == path
    assert p.stats.decode_failures == 1


def test_a_huge_bad_frame_keeps_at_most_64_kib():
    (item,) = protocol().receive("x" * (MAX_RAW + 10)).items
    assert isinstance(item, DecodeFailure) and len(item.raw) == MAX_RAW


def test_the_unsubscribe_frame_is_its_schema_and_the_simulator_acks_it():
    from venuewire.generated.infoway.ws_unsubscribe import WsDepthUnsubscribe
    from venuewire.generated.infoway.ws_unsubscribe_ack import WsUnsubscribeAck
    from venuewire.infoway.protocol import unsubscribe_frame
    from venuewire.messages import decode_json
    from venuewire.sim.infoway import SimState, WsSession

    frame = unsubscribe_frame(["BTCUSDT", "ETHUSDT"], "u-1")
    assert json.loads(frame) == {"code": 11001, "trace": "u-1", "data": {"codes": "BTCUSDT,ETHUSDT"}}
    assert decode_json(WsDepthUnsubscribe, frame).data.codes == "BTCUSDT,ETHUSDT"
    session = WsSession(SimState(api_key="k"), 1, "crypto", 0.0)
    session.receive('{"code":10003,"trace":"s","data":{"codes":"BTCUSDT,ETHUSDT"}}', 0.0)
    (ack,) = session.receive(frame, 0.0)
    assert decode_json(WsUnsubscribeAck, ack).trace == "u-1" and session.pushes() == []
    with pytest.raises(ValueError):
        unsubscribe_frame([], "u-2")
