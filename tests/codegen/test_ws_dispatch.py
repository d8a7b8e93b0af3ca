"""The WebSocket dispatch tables (which generated class decodes which frame) come from the
registry: each [[ws]] channel with a `dispatch` key, its message roles and their schemas."""

from __future__ import annotations

import dataclasses
import json
import shutil
from importlib import import_module
from pathlib import Path

import pytest

from codegen import registry_model, wsdispatch
from venuewire.generated import registry
from venuewire.generated.ws_dispatch import WsDispatch

ROOT = Path(__file__).resolve().parents[2]
SCHEMAS = ROOT / "schemas"
MESSAGES = list(registry.MESSAGES)
CLASSES = {
    f"{m.venue}/{m.name}": getattr(import_module(m.module), m.class_name) for m in MESSAGES if m.format == "json"
}
DISPATCHED = [c for c in registry.WS_CHANNELS if c.dispatch is not None]


def _table(venue: str, channel: str, direction: str) -> WsDispatch:
    module = import_module(f"venuewire.generated.{venue}.ws_dispatch")
    table = getattr(module, f"{venue}_{channel}_{direction}".upper())
    assert isinstance(table, WsDispatch)
    return table


def test_the_infoway_and_bitmart_legacy_channels_have_dispatch_tables():
    assert {(c.venue, c.name) for c in DISPATCHED} >= {("infoway", "depth"), ("bitmart", "legacy_depth")}


@pytest.mark.parametrize("channel", DISPATCHED, ids=lambda c: f"{c.venue}.{c.name}")
def test_each_table_holds_exactly_the_registrys_messages_by_role(channel):
    for direction, roles in (("server", wsdispatch.SERVER_ROLES), ("client", wsdispatch.CLIENT_ROLES)):
        table = _table(channel.venue, channel.name, direction)
        expected = {r: CLASSES[getattr(channel, r)] for r in roles if getattr(channel, r, None) is not None}
        assert {route.role: route.cls for route in table.routes} == expected
        assert table.key == channel.dispatch


def test_infoway_routes_carry_the_registrys_codes():
    server = _table("infoway", "depth", "server")
    codes = registry.WS_INFOWAY_DEPTH.codes
    for role in ("push", "ack", "unsubscribe_ack", "welcome", "heartbeat", "heart_apply"):
        assert server.by_role(role).value == codes[role]
    error = server.by_role("error")
    assert (error.minimum, error.maximum) == (400, 9999)
    client = _table("infoway", "depth", "client")
    assert client.by_role("unsubscribe").value == codes["unsubscribe"] == 11001


def _out(tmp: Path) -> None:
    for channel in DISPATCHED:
        (tmp / channel.venue).mkdir(exist_ok=True)


def _load() -> registry_model.Registry:
    return registry_model.load(SCHEMAS / "registry.toml")


def _with_channel(reg: registry_model.Registry, venue: str, name: str, **changes: object) -> registry_model.Registry:
    ws = tuple(dataclasses.replace(c, **changes) if (c.venue, c.name) == (venue, name) else c for c in reg.ws)
    return dataclasses.replace(reg, ws=ws)


def test_a_role_the_registry_drops_leaves_the_table(tmp_path):
    _out(tmp_path)
    reg = _with_channel(_load(), "infoway", "depth", heart_apply=None)
    wsdispatch.generate_dispatch(reg, MESSAGES, SCHEMAS, tmp_path)  # type: ignore[arg-type]
    text = (tmp_path / "infoway" / "ws_dispatch.py").read_text(encoding="utf-8")
    assert "WsHeartApply" not in text and "WsUnsubscribeAck, value=11010" in text


def test_a_schema_code_that_disagrees_with_the_registry_is_refused_naming_file_and_pointer(tmp_path):
    _out(tmp_path)
    codes = {**registry.WS_INFOWAY_DEPTH.codes, "unsubscribe_ack": 11011}
    reg = _with_channel(_load(), "infoway", "depth", codes=codes)
    with pytest.raises(SystemExit) as refused:
        wsdispatch.generate_dispatch(reg, MESSAGES, SCHEMAS, tmp_path)  # type: ignore[arg-type]
    assert "ws_unsubscribe_ack.json: #/properties/code/const" in str(refused.value)
    assert "codes.unsubscribe_ack = 11011" in str(refused.value)


def test_a_frame_with_no_way_to_tell_it_apart_is_refused(tmp_path):
    schemas = tmp_path / "schemas"
    shutil.copytree(SCHEMAS, schemas)
    error = schemas / "json" / "bitmart" / "legacy_error.json"
    schema = json.loads(error.read_text(encoding="utf-8"))
    schema["required"] = []
    error.write_text(json.dumps(schema), encoding="utf-8")
    _out(tmp_path)
    with pytest.raises(SystemExit) as refused:
        wsdispatch.generate_dispatch(_load(), MESSAGES, schemas, tmp_path)  # type: ignore[arg-type]
    assert "legacy_error.json: #/required" in str(refused.value)


def test_two_frames_on_one_value_are_refused(tmp_path):
    _out(tmp_path)
    codes = {k: v for k, v in registry.WS_INFOWAY_DEPTH.codes.items() if k != "heart_apply"}
    reg = _with_channel(_load(), "infoway", "depth", heart_apply="infoway/ws_heartbeat", codes=codes)
    with pytest.raises(SystemExit) as refused:
        wsdispatch.generate_dispatch(reg, MESSAGES, SCHEMAS, tmp_path)  # type: ignore[arg-type]
    assert "ws_heartbeat.json: #/properties/code/const: 10010 is also" in str(refused.value)
