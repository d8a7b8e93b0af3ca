"""The registry: documented facts reach the runtime as typed constants, and codegen
refuses a registry that does not match its model."""

from __future__ import annotations

from importlib import import_module
from pathlib import Path

import pytest

import venuewire
from codegen import registry_model
from codegen.__main__ import compare
from venuewire.errors import AuthError, InvalidRequest, error_code, error_for
from venuewire.generated import registry
from venuewire.generated.registry import (
    MESSAGES,
    OPEND,
    REST_COINW_GET_ORDER_INFORMATION,
    REST_INFOWAY_BATCH_DEPTH,
    WS_BITMART_SPOT_DEPTH,
    WS_INFOWAY_DEPTH,
    WS_QFEX_TRADE,
    OpenDProtoID,
)

ROOT = Path(__file__).resolve().parents[2]


def test_opend_proto_ids_are_the_documented_ones():
    assert OpenDProtoID.InitConnect == 1001
    assert OpenDProtoID.GetGlobalState == 1002
    assert OpenDProtoID.KeepAlive == 1004
    assert OpenDProtoID.Qot_Sub == 3001
    assert OpenDProtoID.Qot_GetOrderBook == 3012
    assert OpenDProtoID.Qot_UpdateOrderBook == 3013
    pushes = {p.name for p in OPEND.protocols if p.kind == "push"}
    assert pushes == {
        "Notify",
        "Qot_UpdateBasicQot",
        "Qot_UpdateKL",
        "Qot_UpdateRT",
        "Qot_UpdateTicker",
        "Qot_UpdateOrderBook",
        "Qot_UpdateBroker",
        "Trd_UpdateOrder",
        "Trd_UpdateOrderFill",
    }
    assert OpenDProtoID.Notify == 1003 and OpenDProtoID.Qot_GetMarketState == 3223
    assert (OpenDProtoID.Qot_GetKL, OpenDProtoID.Qot_RequestHistoryKL) == (3006, 3103)
    assert (OPEND.magic, OPEND.header_size, OPEND.keepalive_factor) == ("FT", 44, 0.8)


def test_documented_limits_and_paths():
    assert REST_COINW_GET_ORDER_INFORMATION.path == "/v1/perpum/order"
    assert REST_COINW_GET_ORDER_INFORMATION.max_ids == 20
    assert REST_COINW_GET_ORDER_INFORMATION.requests_per_second == 10
    assert REST_INFOWAY_BATCH_DEPTH.max_codes == 100
    assert "taiwan" in REST_INFOWAY_BATCH_DEPTH.choices["market"]
    assert WS_INFOWAY_DEPTH.codes["subscribe"] == 10003
    assert WS_INFOWAY_DEPTH.max_frames_per_minute == 60
    assert WS_BITMART_SPOT_DEPTH.levels == (5, 20, 50)
    assert WS_QFEX_TRADE.auth_within_s == 60
    assert registry.AUTH_SCHEMES[REST_COINW_GET_ORDER_INFORMATION.auth].headers == ("sign", "api_key", "timestamp")


def test_every_catalogued_message_resolves_to_its_generated_class():
    assert {m.venue for m in MESSAGES} == {"futu", "bitmart", "coinw", "infoway", "qfex"}
    for m in MESSAGES:
        cls = getattr(import_module(m.module), m.class_name)
        assert (ROOT / "schemas" / m.schema).is_file(), m
        assert cls.__name__ == m.class_name


def test_every_message_an_endpoint_or_channel_names_is_catalogued():
    names = {f"{m.venue}/{m.name}" for m in MESSAGES if m.format == "json"}
    for item in (*registry.REST_ENDPOINTS, *registry.WS_CHANNELS):
        for field in ("request", "response", "subscribe", "push", "ack", "login", "login_reply", "error"):
            ref = getattr(item, field, None)
            assert ref is None or ref in names, (item.name, field, ref)


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "registry.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_codegen_rejects_an_unknown_key_naming_where(tmp_path):
    text = (ROOT / "schemas" / "registry.toml").read_text(encoding="utf-8")
    bad = text.replace("max_codes = 100", "max_codes = 100\nmax_kodes = 5", 1)
    index = [e.name for e in registry_model.load(ROOT / "schemas" / "registry.toml").rest].index("batch_depth")
    with pytest.raises(registry_model.RegistryError, match=rf"rest\[{index}\]: unknown key\(s\) \['max_kodes'\]"):
        registry_model.load(_write(tmp_path, bad))


def test_codegen_rejects_a_wrong_type_and_an_unknown_venue(tmp_path):
    text = (ROOT / "schemas" / "registry.toml").read_text(encoding="utf-8")
    with pytest.raises(registry_model.RegistryError, match=r"opend.protocols\[0\].proto_id: expected int"):
        registry_model.load(_write(tmp_path, text.replace("proto_id = 1001", 'proto_id = "1001"', 1)))
    with pytest.raises(registry_model.RegistryError, match="unknown venue 'coinx'"):
        registry_model.load(_write(tmp_path, text.replace('venue = "coinw"', 'venue = "coinx"', 1)))


def test_drift_check_reports_changed_missing_and_stale_files(tmp_path):
    fresh, committed = tmp_path / "fresh", tmp_path / "committed"
    for folder in (fresh, committed):
        folder.mkdir()
        (folder / "same.py").write_text("x = 1\n")
    (fresh / "changed.py").write_text("x = 2\n")
    (committed / "changed.py").write_text("x = 1\n")
    (fresh / "new.py").write_text("")
    (committed / "stale.py").write_text("")
    problems = compare(fresh, committed)
    assert any("missing from generated/: new.py" in p for p in problems)
    assert any("stale): generated/stale.py" in p for p in problems)
    assert any("changed.py" in p and "+x = 2" in p for p in problems)
    assert len(problems) == 3


def test_error_scopes_keep_infoways_rest_and_websocket_tables_apart():
    assert type(error_for("infoway", 514, "x", scope="rest")) is AuthError  # REST: no permission
    assert type(error_for("infoway", 514, "x", scope="ws")) is InvalidRequest  # WS: wrong URL
    assert type(error_for("infoway", 515, "x", scope="rest")) is venuewire.VenueError  # not a REST code
    assert type(error_for("bitmart", 30005, "x", scope="ws")) is AuthError  # "any" matches every scope
    assert error_code("infoway", "not_json", scope="ws") == 515
    assert error_code("bitmart", "bad_sign") == 30005
    with pytest.raises(KeyError):
        error_code("infoway", "not_json", scope="rest")


def test_a_code_listed_twice_in_one_scope_or_beside_any_is_rejected(tmp_path):
    source = (ROOT / "schemas" / "registry.toml").read_text(encoding="utf-8")
    for extra in (
        '[[errors]]\nvenue = "infoway"\nscope = "ws"\ncode = "515"\nkind = "server"\nmeaning = "again"\n',
        '[[errors]]\nvenue = "bitmart"\nscope = "ws"\ncode = "30005"\nkind = "auth"\nmeaning = "again"\n',
    ):
        path = tmp_path / "registry.toml"
        path.write_text(source + "\n" + extra, encoding="utf-8")
        with pytest.raises(registry_model.RegistryError, match="duplicate code"):
            registry_model.load(path)
