"""get_order_book's own round trip against a scripted OpenD peer: the request bytes it sends
(the same as encoding the Request each time, whatever it keeps between calls) and what it makes
of each reply: a fresh typed S2C for a good one, the same typed errors as the generic request
path for a bad one, and the session goes on after each."""

from __future__ import annotations

import asyncio
import contextlib
import struct
from collections.abc import AsyncIterator, Iterator

import pytest
from google.protobuf.message import Message

import venuewire
from venuewire import OpenDClient, OpenDError
from venuewire.errors import DecodeError
from venuewire.generated.futu import InitConnect_pb2, Qot_Common_pb2, Qot_GetOrderBook_pb2
from venuewire.generated.registry import OpenDProtoID
from venuewire.messages import encode_proto
from venuewire.opend.frame import HEADER_SIZE, Frame, decode_frame, encode_frame

pytestmark = pytest.mark.timeout(30)


def level(price: float, volume: int | None = 100, count: int = 1) -> Qot_Common_pb2.OrderBook:
    out = Qot_Common_pb2.OrderBook(price=price, orederCount=count)
    if volume is not None:
        out.volume = volume
    return out


def good_book(price: float = 400.2) -> Qot_GetOrderBook_pb2.Response:
    s2c = Qot_GetOrderBook_pb2.S2C(
        security=Qot_Common_pb2.Security(market=1, code="00700"),
        name="TENCENT",
        orderBookAskList=[level(price), level(400.4, 9_007_199_254_740_993)],  # above 2^53
        orderBookBidList=[level(400.0, 200, 2)],
        svrRecvTimeAskTimestamp=1.7e9,
    )
    return Qot_GetOrderBook_pb2.Response(retType=0, s2c=s2c)


class Peer:
    """A scripted OpenD: InitConnect, then each request recorded and answered with the next
    reply (a message, sent as is: required fields unchecked)."""

    def __init__(self, replies: Iterator[Message]) -> None:
        self.replies = replies
        self.requests: list[Frame] = []
        self.port = 0

    async def serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        with contextlib.suppress(asyncio.IncompleteReadError, ConnectionError):
            while True:
                header = await reader.readexactly(HEADER_SIZE)
                (body_len,) = struct.unpack_from("<I", header, 12)
                request = decode_frame(header + await reader.readexactly(body_len))
                reply: Message
                if request.proto_id == OpenDProtoID.InitConnect:
                    reply = InitConnect_pb2.Response(
                        retType=0,
                        s2c=InitConnect_pb2.S2C(
                            serverVer=1011, loginUserID=7, connID=99, connAESKey="k" * 16, keepAliveInterval=10
                        ),
                    )
                else:
                    self.requests.append(request)
                    reply = next(self.replies)
                body = reply.SerializePartialToString()
                writer.write(encode_frame(request.proto_id, request.serial_no, body))
                await writer.drain()


@contextlib.asynccontextmanager
async def peer(replies: list[Message]) -> AsyncIterator[tuple[Peer, OpenDClient]]:
    fake = Peer(iter(replies))
    server = await asyncio.start_server(fake.serve, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        async with OpenDClient(host="127.0.0.1", port=port, reconnect=False, timeout=2) as client:
            yield fake, client
    finally:
        server.close()


def expected_request(symbol: str, num: int) -> bytes:
    market, code = {"HK.00700": (1, "00700"), "US.AAPL": (11, "AAPL")}[symbol]
    c2s = Qot_GetOrderBook_pb2.C2S(security=Qot_Common_pb2.Security(market=market, code=code), num=num)
    return encode_proto(Qot_GetOrderBook_pb2.Request(c2s=c2s))


async def test_each_call_sends_the_encoded_request_and_gets_a_fresh_s2c() -> None:
    async with peer([good_book()] * 4) as (fake, client):
        calls = [("HK.00700", 5), ("HK.00700", 5), ("US.AAPL", 5), ("HK.00700", 1)]
        books = [await client.get_order_book(symbol, num) for symbol, num in calls]
        assert [r.body for r in fake.requests] == [expected_request(s, n) for s, n in calls]
        assert [r.proto_id for r in fake.requests] == [OpenDProtoID.Qot_GetOrderBook] * 4
        assert len({r.serial_no for r in fake.requests}) == 4
        assert books[0] == books[1] and books[0] is not books[1]
        books[0].orderBookAskList[0].price = 1.0  # the caller's own message: the next one is untouched
        assert books[1].orderBookAskList[0].price == 400.2
        book = venuewire.order_book_from_s2c(books[1])
        assert [(str(x.price), str(x.size)) for x in book.asks] == [("400.2", "100"), ("400.4", "9007199254740993")]
        assert client.stats.requests == 4  # InitConnect is not counted


async def test_bad_arguments_are_refused_before_anything_is_sent_every_time() -> None:
    async with peer([good_book()]) as (fake, client):
        await client.get_order_book("HK.00700", 3)
        for _ in range(2):
            with pytest.raises(ValueError, match="HK00700"):
                await client.get_order_book("HK00700", 3)
            with pytest.raises(ValueError, match="num"):
                await client.get_order_book("HK.00700", 0)
        assert len(fake.requests) == 1


async def test_bad_replies_are_the_typed_errors_and_the_session_goes_on() -> None:
    missing = good_book()
    missing.s2c.orderBookAskList[0].ClearField("volume")  # a required field left out
    nan = good_book(float("nan"))
    refused = Qot_GetOrderBook_pb2.Response(retType=-1, retMsg="no quote right", errCode=7)
    replies: list[Message] = [good_book(), missing, good_book(), nan, good_book(), refused, good_book()]
    async with peer(replies) as (_, client):
        first = await client.get_order_book("HK.00700")
        with pytest.raises(DecodeError) as caught:
            await client.get_order_book("HK.00700")
        assert caught.value.message_name == "Qot_GetOrderBook.Response"
        assert caught.value.field_path == ("s2c", "orderBookAskList", 0, "volume")
        assert await client.get_order_book("HK.00700") == first
        with pytest.raises(DecodeError) as caught:
            await client.get_order_book("HK.00700")
        assert caught.value.message_name == "Qot_GetOrderBook.S2C"
        assert caught.value.field_path == ("orderBookAskList", 0, "price")
        assert await client.get_order_book("HK.00700") == first
        with pytest.raises(OpenDError) as refusal:
            await client.get_order_book("HK.00700")
        assert (refusal.value.ret_type, refusal.value.ret_msg, refusal.value.err_code) == (-1, "no quote right", 7)
        assert await client.get_order_book("HK.00700") == first
        assert client.stats.decode_errors == 2
        assert client.connected


def test_checked_reply_decodes_each_body_afresh_and_never_accepts_a_bad_one() -> None:
    from venuewire.opend import book as book_module

    body = good_book().SerializeToString()
    first = book_module.checked_reply(body, Qot_GetOrderBook_pb2.Response)
    again = book_module.checked_reply(bytes(bytearray(body)), Qot_GetOrderBook_pb2.Response)  # equal, not the same
    assert first is not None and again is not None
    assert first == again == Qot_GetOrderBook_pb2.Response.FromString(body)
    assert first is not again and first.s2c is not again.s2c
    books = [venuewire.order_book_from_s2c(r.s2c) for r in (first, again)]
    assert [str(x.size) for x in books[1].asks] == ["100", "9007199254740993"]
    assert books[0] == books[1] == venuewire.opend.book.checked_order_book_from_s2c(first.s2c)
    again.s2c.orderBookAskList[0].price = 401.0  # changed after the read: read again, never the kept parts
    assert str(venuewire.order_book_from_s2c(again.s2c).asks[0].price) == "401.0"
    for bad in (good_book(float("nan")), Qot_GetOrderBook_pb2.Response(retType=-1)):
        assert book_module.checked_reply(bad.SerializeToString(), Qot_GetOrderBook_pb2.Response) is None
    missing = good_book()
    missing.s2c.orderBookAskList[0].ClearField("volume")
    assert book_module.checked_reply(missing.SerializePartialToString(), Qot_GetOrderBook_pb2.Response) is None
