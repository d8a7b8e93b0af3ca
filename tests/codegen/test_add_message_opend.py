"""Adding an OpenD message is a schema, a registry entry and example data, nothing else.

From a temporary copy of schemas/ with one extra request/response (Qot_GetMarketState,
protoID 3223) and one extra push (Notify, protoID 1003, declared in the registry without a
proto until now), codegen writes a temporary generated/ (the repository's is never touched)
whose dispatch holds the typed request() / pushes() overloads; run against that output
through a path overlay, the simulator answers the new request and pushes the new push, and
an OpenDClient gets both as their typed classes.
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from tests.codegen.overlay import ROOT, changed, codegen, overlay, run_with, workspace

pytestmark = pytest.mark.timeout(60)

# Our own small .proto files, written from the facts of futu-api 10.11.7108's files.
MARKET_STATE_PROTO = (
    (
        "// OpenD Qot_GetMarketState (protoID 3223): the market state of each security asked for.\n"
        "// source: [run] futu-api 10.11.7108, futu/common/pb/Qot_GetMarketState.proto (field names, numbers,"
        " labels, defaults) and futu/common/constant.py (ProtoId.Qot_GetMarketState = 3223)\n"
    )
    + """\
syntax = "proto2";
package venuewire.futu.Qot_GetMarketState;

import "futu/Qot_Common.proto";

message C2S
{
	repeated venuewire.futu.Qot_Common.Security securityList = 1; // the securities asked about
	optional venuewire.futu.Qot_Common.QotHeader header = 100;
}

message MarketInfo
{
	required venuewire.futu.Qot_Common.Security security = 1;
	required string name = 2; // the security's name
	required int32 marketState = 3; // Qot_Common.QotMarketState
}

message S2C
{
	repeated MarketInfo marketInfoList = 1; // one entry per security
}

message Request
{
	required C2S c2s = 1;
}

message Response
{
	required int32 retType = 1 [default = -400]; // Common.RetType
	optional string retMsg = 2;
	optional int32 errCode = 3;
	optional S2C s2c = 4;
}
"""
)

NOTIFY_PROTO = (
    (
        "// OpenD Notify (protoID 1003): events OpenD pushes unasked; here the connection-status subset.\n"
        "// source: [run] futu-api 10.11.7108, futu/common/pb/Notify.proto (field names, numbers, labels of S2C,"
        " ConnectStatus, Response)\n"
    )
    + """\
syntax = "proto2";
package venuewire.futu.Notify;

message ConnectStatus
{
	required bool qotLogined = 1; // logged in to the quote server
	required bool trdLogined = 2; // logged in to the trade server
}

message S2C
{
	required int32 type = 1; // NotifyType: 3 is ConnStatus
	optional ConnectStatus connectStatus = 4;
}

message Response
{
	required int32 retType = 1 [default = -400]; // Common.RetType
	optional string retMsg = 2;
	optional int32 errCode = 3;
	optional S2C s2c = 4;
}
"""
)

EXAMPLES = {
    "Qot_GetMarketState.Request.json": {"c2s": {"securityList": [{"market": 1, "code": "00700"}]}},
    "Qot_GetMarketState.Response.json": {
        "retType": 0,
        "s2c": {"marketInfoList": [{"security": {"market": 1, "code": "00700"}, "name": "TENCENT", "marketState": 5}]},
    },
    "Notify.Response.json": {
        "retType": 0,
        "s2c": {"type": 3, "connectStatus": {"qotLogined": True, "trdLogined": False}},
    },
}

NOTIFY_DECLARED = 'name = "Notify"\nproto_id = 1003\nkind = "push"\n'
REGISTRY_ADDITION = (
    'proto = "Notify"\n\n'
    "[[opend.protocols]]\n"
    'name = "Qot_GetMarketState"  # [run] futu-api 10.11.7108 futu/common/constant.py ProtoId\n'
    "proto_id = 3223\n"
    'kind = "request"\n'
    'proto = "Qot_GetMarketState"\n'
)

CLIENT_SCRIPT = textwrap.dedent(
    """
    import asyncio, json, typing
    import venuewire
    from venuewire import OpenDClient
    from venuewire.generated.futu import Notify_pb2, Qot_Common_pb2, Qot_GetMarketState_pb2, dispatch
    from venuewire.sim.opend import OpenDSimulator

    def hints(func):
        return [{k: v for k, v in f.__annotations__.items() if k != "timeout"} for f in typing.get_overloads(func)]

    async def main():
        # A brand-new request has no simulator code: take away the code the simulator now has
        # for Qot_GetMarketState, so its reply is the example data, as for any new message.
        from venuewire.sim import opend as sim_opend
        sim_opend._HANDLERS.pop(3223)
        out = {"venuewire": venuewire.__file__, "generated": dispatch.__file__}
        out["request_overloads"] = hints(dispatch.OpenDTypedAPI.request)
        out["push_overloads"] = hints(dispatch.OpenDTypedAPI.pushes)
        out["sync_request_overloads"] = hints(dispatch.OpenDSyncTypedAPI.request)
        async with OpenDSimulator(port=0) as sim, OpenDClient(port=sim.port) as client:
            c2s = Qot_GetMarketState_pb2.C2S(securityList=[Qot_Common_pb2.Security(market=1, code="00700")])
            reply = await client.request(Qot_GetMarketState_pb2.Request(c2s=c2s), timeout=5)
            out["reply"] = [type(reply).DESCRIPTOR.full_name, reply.s2c.marketInfoList[0].marketState]
            out["sent"] = [p for p, _ in sim.requests][-1]
            stream = client.pushes(Notify_pb2.Response)
            await sim.push_example(1003)
            item = await asyncio.wait_for(anext(stream), 5)
            out["push"] = [type(item).DESCRIPTOR.full_name, item.connectStatus.qotLogined]
            await sim.drop_connections()  # the new stream reconnects like the order books'
            out["after_drop"] = type(await asyncio.wait_for(anext(stream), 5)).__name__
            await sim.push_example(1003)
            out["again"] = type(await asyncio.wait_for(anext(stream), 5)).DESCRIPTOR.full_name
            out["doc"] = Qot_GetMarketState_pb2.MarketInfo.__doc__
        print(json.dumps(out))

    asyncio.run(main())
    """
)


def _workspace(tmp: Path) -> Path:
    """The shared workspace copy, without the two messages the repository now has."""
    root = workspace(tmp)
    _remove_the_two_messages(root / "schemas")
    return root


def _remove_the_two_messages(schemas: Path) -> None:
    """The repository has both messages now: the copy goes back to the state before them."""
    futu = schemas / "proto" / "futu"
    for name in ["Notify.proto", "Qot_GetMarketState.proto", *EXAMPLES]:
        (futu / ("examples/" + name if name.endswith(".json") else name)).unlink()
    registry = schemas / "registry.toml"
    text = registry.read_text(encoding="utf-8")
    block = (
        '[[opend.protocols]]\nname = "Qot_GetMarketState"\nproto_id = 3223\nkind = "request"\n'
        'proto = "Qot_GetMarketState"\n\n'
    )
    assert text.count(NOTIFY_DECLARED + 'proto = "Notify"\n') == 1 and text.count(block) == 1
    text = text.replace(NOTIFY_DECLARED + 'proto = "Notify"\n', NOTIFY_DECLARED).replace(block, "")
    registry.write_text(text, encoding="utf-8")


def _add_the_two_messages(schemas: Path) -> None:
    futu = schemas / "proto" / "futu"
    (futu / "Qot_GetMarketState.proto").write_text(MARKET_STATE_PROTO, encoding="utf-8")
    (futu / "Notify.proto").write_text(NOTIFY_PROTO, encoding="utf-8")
    for name, data in EXAMPLES.items():
        (futu / "examples" / name).write_text(json.dumps(data), encoding="utf-8")
    registry = schemas / "registry.toml"
    text = registry.read_text(encoding="utf-8")
    assert text.count(NOTIFY_DECLARED) == 1
    registry.write_text(text.replace(NOTIFY_DECLARED, NOTIFY_DECLARED + REGISTRY_ADDITION), encoding="utf-8")


def test_a_request_and_a_push_need_only_proto_registry_and_examples(tmp_path: Path) -> None:
    root = _workspace(tmp_path)
    _add_the_two_messages(root / "schemas")
    assert changed(root / "schemas", ROOT / "schemas") == [
        "proto/futu/Notify.proto",
        "proto/futu/Qot_GetMarketState.proto",
        "proto/futu/examples/Notify.Response.json",
        "proto/futu/examples/Qot_GetMarketState.Request.json",
        "proto/futu/examples/Qot_GetMarketState.Response.json",
        "registry.toml",
    ]
    before = {p: p.stat().st_mtime_ns for p in (ROOT / "generated").rglob("*") if p.is_file()}
    built = codegen(root)
    assert built.returncode == 0, built.stderr
    assert {p: p.stat().st_mtime_ns for p in (ROOT / "generated").rglob("*") if p.is_file()} == before
    generated = root / "generated"
    stub = (generated / "futu" / "Qot_GetMarketState_pb2.pyi").read_text(encoding="utf-8")
    assert '    marketState: int\n    """Qot_Common.QotMarketState"""' in stub  # the comment reaches the editor

    src = overlay(tmp_path, generated)
    run = run_with(src, tmp_path, CLIENT_SCRIPT)
    assert run.returncode == 0, run.stderr
    out = json.loads(run.stdout)
    assert out["venuewire"].startswith(str(src)) and out["generated"].startswith(str(src))
    request = {"message": "Qot_GetMarketState_pb2.Request", "return": "Qot_GetMarketState_pb2.Response"}
    assert request in out["request_overloads"] and request in out["sync_request_overloads"]
    assert {"response": "type[Notify_pb2.Response]", "return": "PushStream[Notify_pb2.S2C]"} in out["push_overloads"]
    assert out["reply"] == ["venuewire.futu.Qot_GetMarketState.Response", 5]
    assert out["sent"] == 3223
    assert out["push"] == ["venuewire.futu.Notify.S2C", True]
    assert out["after_drop"] == "Gap"
    assert out["again"] == "venuewire.futu.Notify.S2C"
    assert "the security's name" in out["doc"] and "marketState (required int32)" in out["doc"]


def test_codegen_refuses_a_declared_message_without_example_data(tmp_path: Path) -> None:
    root = _workspace(tmp_path)
    _add_the_two_messages(root / "schemas")
    (root / "schemas" / "proto" / "futu" / "examples" / "Qot_GetMarketState.Response.json").unlink()
    built = codegen(root)
    assert built.returncode != 0
    assert "Qot_GetMarketState" in built.stderr and "examples/Qot_GetMarketState.Response.json" in built.stderr
    assert not (root / "generated").exists()


def test_codegen_refuses_example_data_missing_a_required_field(tmp_path: Path) -> None:
    root = _workspace(tmp_path)
    _add_the_two_messages(root / "schemas")
    bad = {"retType": 0, "s2c": {"marketInfoList": [{"security": {"market": 1, "code": "00700"}, "name": "X"}]}}
    (root / "schemas" / "proto" / "futu" / "examples" / "Qot_GetMarketState.Response.json").write_text(json.dumps(bad))
    built = codegen(root)
    assert built.returncode != 0
    assert "marketState" in built.stderr and "Qot_GetMarketState.Response.json" in built.stderr
