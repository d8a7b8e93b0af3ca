"""OpenD simulator: a Qot_Sub that registers the push of a subscription type brings the push
protocol the registry links to it (OPEND.sub_types); a sub type with no code of its own in the
simulator brings that push's example data, so a new push needs only its schema and example."""

from __future__ import annotations

import pytest

from tests.sim.test_opend_sim import HK_00700, RawClient
from venuewire.generated.futu import Qot_UpdateOrderBook_pb2
from venuewire.generated.futu.enums import RetType, SubType
from venuewire.generated.registry import OPEND, OPEND_SUB_TYPE_PUSHES, OpenDProtoID
from venuewire.messages import decode_proto
from venuewire.sim import opend as sim_module
from venuewire.sim.opend import OpenDSimulator, example_body

pytestmark = pytest.mark.timeout(20)


def test_the_registry_links_each_sub_type_to_a_declared_push() -> None:
    declared = {p.name: p for p in OPEND.protocols}
    assert OPEND_SUB_TYPE_PUSHES[SubType.OrderBook] == OpenDProtoID.Qot_UpdateOrderBook
    for sub in OPEND.sub_types:
        assert SubType[sub.name] == sub.sub_type
        assert declared[sub.push].kind == "push"
        assert OPEND_SUB_TYPE_PUSHES[sub.sub_type] == declared[sub.push].proto_id


async def _frames(raw: RawClient, count: int) -> list[tuple[int, bytes]]:
    return [(f.proto_id, f.body) for f in [await raw.recv() for _ in range(count)]]


async def test_a_sub_type_without_code_pushes_its_push_example(monkeypatch: pytest.MonkeyPatch) -> None:
    # Link Broker to a push that has a proto and example data (the registry's own links need
    # pushes whose schemas exist) and take away the simulator's code for Broker: it pushes the example.
    monkeypatch.setitem(sim_module.OPEND_SUB_TYPE_PUSHES, SubType.Broker, OpenDProtoID.Qot_UpdateOrderBook)
    monkeypatch.setattr(sim_module, "_OWN_PUSHES", sim_module._OWN_PUSHES - {SubType.Broker})
    example = example_body(OpenDProtoID.Qot_UpdateOrderBook)
    async with OpenDSimulator(port=0, push_interval=0.05) as sim:
        raw = await RawClient.connect(sim)
        try:
            await raw.init()
            assert await raw.silent(0.15)  # nothing subscribed: nothing pushed
            reply = await raw.sub(HK_00700, push=False, sub_types=(SubType.Broker,))
            assert reply.retType == RetType.Succeed
            assert await raw.silent(0.15)  # subscribed without registering the push: nothing
            await raw.sub(HK_00700, push=True, first_push=True, sub_types=(SubType.Broker,))
            frames = await _frames(raw, 3)  # the first push at once, then one per interval
            assert frames == [(OpenDProtoID.Qot_UpdateOrderBook, example)] * 3
            await raw.sub(HK_00700, push=False, sub_types=(SubType.Broker,))
            while not await raw.silent(0.15):  # a push already on its way may still arrive
                await raw.recv()
        finally:
            await raw.close()


async def test_order_book_keeps_its_real_book_pushes_beside_example_pushes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sim_module.OPEND_SUB_TYPE_PUSHES, SubType.Broker, OpenDProtoID.Qot_UpdateOrderBook)
    monkeypatch.setattr(sim_module, "_OWN_PUSHES", sim_module._OWN_PUSHES - {SubType.Broker})
    example = example_body(OpenDProtoID.Qot_UpdateOrderBook)
    async with OpenDSimulator(port=0, push_interval=0.05) as sim:
        raw = await RawClient.connect(sim)
        try:
            await raw.init()
            await raw.sub(HK_00700, push=True, sub_types=(SubType.OrderBook, SubType.Broker))
            frames = await _frames(raw, 6)
            books = [decode_proto(Qot_UpdateOrderBook_pb2.Response, b) for p, b in frames if b != example]
            assert len(books) == 3 and [b for _, b in frames].count(example) == 3  # one of each per interval
            for book in books:  # the generated book of the subscribed security, not the example
                assert (book.s2c.security.market, book.s2c.security.code) == (HK_00700.market, HK_00700.code)
                assert book.s2c.orderBookBidList
        finally:
            await raw.close()


async def test_a_linked_push_without_example_data_is_not_sent(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sim_module.OPEND_SUB_TYPE_PUSHES, SubType.Broker, OpenDProtoID.Qot_UpdateOrderBook)
    monkeypatch.setattr(sim_module, "_OWN_PUSHES", sim_module._OWN_PUSHES - {SubType.Broker})
    monkeypatch.delitem(sim_module.examples.RESPONSES, OpenDProtoID.Qot_UpdateOrderBook)
    async with OpenDSimulator(port=0, push_interval=0.05) as sim:
        raw = await RawClient.connect(sim)
        try:
            await raw.init()
            reply = await raw.sub(HK_00700, push=True, first_push=True, sub_types=(SubType.Broker,))
            assert reply.retType == RetType.Succeed
            assert await raw.silent(0.2)
        finally:
            await raw.close()
