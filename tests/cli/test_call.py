"""`venuewire call`: every name the registry declares, sent to its venue's simulator."""

from __future__ import annotations

import json
import re
import sys
from decimal import Decimal

import pytest

from venuewire.cli import main
from venuewire.cli.call import EXACT_INT, targets, to_plain
from venuewire.cli.venues import KEYS
from venuewire.generated.futu import examples as futu_examples
from venuewire.generated.registry import OpenDProtoID
from venuewire.sim.qfex import DEMO_ORDER_ID, DEMO_SYMBOL

# Sample values for the JSON venues' parameters, by parameter name (the registry has request
# examples only for OpenD). A new [[rest]] or [[ws.requests]] entry is tested by the
# parametrization below; one with a required parameter named nowhere here fails loudly.
SAMPLES: dict[str, str] = {
    "instrument": "BTC",
    "positionType": "plan",
    "direction": "long",
    "leverage": "10",
    "quantityUnit": "1",
    "quantity": "1",
    "positionModel": "1",
    "openPrice": "20000",
    "id": "33308760000000001",
    "sourceIds": "[33308760000000001]",
    "base": "btc",
    "klineType": "1",
    "side": "BUY",
    "order_type": "LIMIT",
    "order_time_in_force": "GTC",
    "price": "187.6",
    "cancel_order_id_type": "order_id",
    "cancel_on_disconnect": "true",
    "klineNum": "2",
    "type": "STOCK_US",
    "symbols": "AAPL.US",
    "market": "crypto",
    "codes": '["BTCUSDT"]',
    "symbol": DEMO_SYMBOL,
    "order_id": DEMO_ORDER_ID,
    "orderId": "9007199254740993",
}
# What a simulator may answer a sample request with, other than a reply: the venue's own typed
# refusal (an order id the sample invented, a quote not subscribed on a fresh connection).
REFUSALS = ("NotFound", "InvalidRequest", "OpenDError", "CoinwError", "QfexInvalidRequest")

SIDEWAYS = json.dumps(
    {"instrument": "BTC", "direction": "sideways", "leverage": "1", "quantityUnit": "1", "quantity": "1",
     "positionModel": "1", "positionType": "plan"}
)  # fmt: skip
HK_00700 = '{"market":1,"code":"00700"}'

NAMES = [(venue, name) for venue in KEYS for name in targets(venue)]


def _args(venue: str, name: str) -> list[str]:
    if venue == "futu":
        return [json.dumps(json.loads(futu_examples.REQUESTS[OpenDProtoID[name]])["c2s"])]
    target = targets(venue)[name]
    missing = [p.name for p in target.params if p.required and p.name not in SAMPLES]
    assert not missing, f"{venue} {name}: add a sample for {missing}"
    return [f"{p.name}={SAMPLES[p.name]}" for p in target.params if p.name in SAMPLES]


def test_every_venue_with_messages_is_parametrized() -> None:
    venues = {venue for venue, _ in NAMES}
    assert {"futu", "coinw", "infoway", "qfex"} <= venues
    assert len([n for v, n in NAMES if v == "coinw"]) >= 13


@pytest.mark.parametrize(("venue", "name"), NAMES, ids=[f"{v}-{n}" for v, n in NAMES])
def test_every_declared_name_is_callable_against_its_simulator(
    venue: str, name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["call", venue, name, "--sim", "--json", "--timeout", "5", *_args(venue, name)])
    out, err = capsys.readouterr()
    if code == 0:
        reply = json.loads(out)
        assert isinstance(reply, dict)  # an OpenD S2C may be empty ({}: Qot_Sub, Trd_UnlockTrade)
        assert err == ""
    else:  # the simulator's typed answer to a sample it does not hold: one line, never a usage error
        assert code == 1, err
        assert len(err.strip().splitlines()) == 1
        assert re.match(rf"venuewire call: ({'|'.join(REFUSALS)}) {venue}\b", err), err


def test_most_names_answer_with_a_reply(capsys: pytest.CaptureFixture[str]) -> None:
    answered = 0
    for venue, name in NAMES:
        answered += main(["call", venue, name, "--sim", "--json", "--timeout", "5", *_args(venue, name)]) == 0
        capsys.readouterr()
    assert answered >= len(NAMES) * 2 // 3, f"{answered} of {len(NAMES)}"


def test_a_quote_after_its_subscription(capsys: pytest.CaptureFixture[str]) -> None:
    security = '[{"market":1,"code":"00700"}]'
    sub = f'Qot_Sub {{"securityList":{security},"subTypeList":[1],"isSubOrUnSub":true}}'
    code = main(["call", "futu", "Qot_GetBasicQot", "--sim", "--json", "--before", sub, f"securityList={security}"])
    out, err = capsys.readouterr()
    assert code == 0, err
    quote = json.loads(out)["basicQotList"][0]
    assert quote["security"] == {"market": 1, "code": "00700"}
    assert float(quote["curPrice"]) > 0


def test_coinw_place_order_then_open_orders_table(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(
        ["call", "coinw", "place_order", "--sim", "instrument=BTC", "direction=long", "leverage=10",
         "quantityUnit=1", "quantity=2", "positionModel=1", "positionType=plan", "openPrice=20000.5"]
    )  # fmt: skip
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "coinw place_order" in out and re.search(r"data\.value\s*│?\s*\d{10,}", out), out


def test_json_keeps_exact_numbers_as_text() -> None:
    import msgspec

    from venuewire.generated.coinw.modify_order_response import ModifyOrderResponse

    reply = msgspec.json.decode(
        b'{"code":0,"data":{"editId":33308760000000003,"originId":9007199254740993},"msg":""}',
        type=ModifyOrderResponse,
    )
    plain = to_plain(reply)
    assert plain["data"] == {"editId": "33308760000000003", "originId": "9007199254740993"}
    assert plain["code"] == 0
    big = Decimal("123456789012345678901.000000000001")
    assert to_plain({"p": big, "n": EXACT_INT, "m": EXACT_INT - 1, "neg": -EXACT_INT}) == {
        "p": "123456789012345678901.000000000001",
        "n": str(EXACT_INT),
        "m": EXACT_INT - 1,
        "neg": str(-EXACT_INT),
    }


def test_json_from_the_command_line_keeps_20_digit_numbers(capsys: pytest.CaptureFixture[str]) -> None:
    price = "123456789012345678901.000000001"
    place = json.dumps(
        {"instrument": "BTC", "direction": "long", "leverage": "10", "quantityUnit": "1", "quantity": "1",
         "positionModel": "1", "positionType": "plan", "openPrice": price}
    )  # fmt: skip
    argv = ["call", "coinw", "get_current_orders", "--sim", "--json", "--before", f"place_order {place}"]
    code = main([*argv, "instrument=BTC", "positionType=plan"])
    out, err = capsys.readouterr()
    assert code == 0, err
    (row,) = json.loads(out)["data"]["rows"]
    assert row["orderPrice"] == price or row.get("openPrice") == price, row
    assert isinstance(row["id"], str) and int(row["id"]) >= EXACT_INT


def test_futu_int64_ids_beyond_2_53_are_text(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["call", "futu", "Trd_GetAccList", "--sim", "--json", "userID=0"])
    out, err = capsys.readouterr()
    assert code == 0, err
    ids = [acc["accID"] for acc in json.loads(out)["accList"]]
    assert "18000000000000000001" in ids and "9007199254740993" in ids  # 2**53 + 1: a double would say ...992


@pytest.mark.parametrize(
    ("argv", "field"),
    [
        (["coinw", "get_depth", "bse=btc"], "bse"),
        (["coinw", "place_order", "instrument=BTC"], "direction"),
        (["coinw", "place_order", SIDEWAYS], "direction"),
        (["futu", "Qot_GetKL", "klType=1"], "rehabType"),
        (["futu", "Qot_GetKL", "rehabType=1", "klType=x", "reqNum=1", f"security={HK_00700}"], "klType"),
        (["qfex", "get_order", "symbol=X"], "order_id"),
    ],
)
def test_bad_arguments_exit_2_naming_the_field(argv: list[str], field: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["call", argv[0], argv[1], "--sim", *argv[2:]]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1
    assert f"bad argument {field}" in err, err


def test_an_error_reply_exits_1_with_the_typed_error(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["call", "futu", "Qot_GetBasicQot", "--sim", 'securityList=[{"market":1,"code":"00700"}]'])
    err = capsys.readouterr().err
    assert code == 1
    assert err.startswith("venuewire call: OpenDError futu [-1]: ") and "not subscribed" in err
    code = main(["call", "coinw", "cancel_order", "--sim", "id=1"])
    err = capsys.readouterr().err
    assert code == 1
    assert re.match(r"venuewire call: \w+ coinw \[\w+\]: ", err), err


def test_unknown_venue_and_name_exit_2_with_suggestions(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["call", "opend", "Qot_GetKL", "--sim"]) == 2
    assert "did you mean 'futu'" in capsys.readouterr().err
    assert main(["call", "futu", "Qot_GetKLine", "--sim"]) == 2
    err = capsys.readouterr().err
    assert "did you mean" in err and "Qot_GetKL" in err
    assert main(["call", "coinw", "place"]) == 2
    assert "place_order" in capsys.readouterr().err


@pytest.mark.parametrize("venue", KEYS)
def test_list_names_every_target_with_kind_and_parameters(venue: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["call", venue, "--list"]) == 0
    out = capsys.readouterr().out
    for name, target in targets(venue).items():
        line = next(line for line in out.splitlines() if line.startswith(f"{name}  ["))
        assert target.kind in line
        for param in target.params:
            assert param.name in line
    if not targets(venue):
        assert "no request" in out


def test_plain_text_without_rich(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setitem(sys.modules, "rich.table", None)
    assert main(["call", "coinw", "get_instruments", "--sim", "name=BTC"]) == 0
    out = capsys.readouterr().out
    assert "┃" not in out and "│" not in out
    assert re.search(r"^code\s+0$", out, re.MULTILINE), out
    assert re.search(r"^name\s+BTC$", out, re.MULTILINE), out
    assert re.search(r"^leverage\s+\[5,10,20,50,100,200\]$", out, re.MULTILINE), out


def test_live_targets_read_credentials_from_the_environment_and_honour_overrides(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from venuewire.demo import closed_port

    port = closed_port()
    for var in ("VENUEWIRE_COINW_API_KEY", "VENUEWIRE_COINW_SECRET"):
        monkeypatch.delenv(var, raising=False)
    assert main(["call", "coinw", "get_user_assets", "--url", f"http://127.0.0.1:{port}"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("venuewire call: AuthError coinw: ") and "VENUEWIRE_COINW_API_KEY" in err
    monkeypatch.setenv("VENUEWIRE_COINW_API_KEY", "key")
    monkeypatch.setenv("VENUEWIRE_COINW_SECRET", "never-printed")
    assert main(["call", "coinw", "get_user_assets", "--url", f"http://127.0.0.1:{port}", "--timeout", "2"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("venuewire call: ConnectionLost coinw: ") and f"{port}" in err
    assert "never-printed" not in err
    assert main(["call", "futu", "GetGlobalState", "--host", "127.0.0.1", "--port", str(port), "userID=0"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("venuewire call: ConnectionLost futu: ") and f"127.0.0.1:{port}" in err
    assert main(["call", "futu", "GetGlobalState", "--url", "nonsense", "userID=0"]) == 2
    assert "HOST:PORT" in capsys.readouterr().err


def test_a_name_that_is_a_channel_not_a_request_points_at_the_list(capsys: pytest.CaptureFixture[str]) -> None:
    # every venue declares callable messages now (BitMart: its REST endpoints); a channel is not one
    assert main(["call", "bitmart", "spot_depth"]) == 2
    assert "`venuewire call bitmart --list` lists them" in capsys.readouterr().err
