"""Discovery of JSON messages, their schemas and fixtures, shared by the contract tests."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from importlib import import_module
from pathlib import Path
from typing import Any

import msgspec
import msgspec.inspect as mi
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from venuewire.generated.registry import MESSAGES, VENUES, MessageInfo

ROOT = Path(__file__).resolve().parents[2]
SCHEMAS = ROOT / "schemas"
FIXTURES = ROOT / "tests" / "fixtures"

JSON_MESSAGES = [m for m in MESSAGES if m.format == "json"]
DECIMALS_ON_WIRE = {v.key: v.decimals_on_wire for v in VENUES}


@dataclass(frozen=True)
class InvalidFixture:
    path: Path
    field: list[str | int]
    why: str
    payload: Any


def message_id(m: MessageInfo) -> str:
    return f"{m.venue}/{m.name}"


def message_class(m: MessageInfo) -> Any:
    return getattr(import_module(m.module), m.class_name)


@cache
def schema_registry(venue: str) -> Registry:
    resources = []
    for path in sorted((SCHEMAS / "json" / venue).glob("*.json")):
        contents = json.loads(path.read_text(encoding="utf-8"))
        resources.append((path.name, Resource.from_contents(contents, default_specification=DRAFT202012)))
    return Registry().with_resources(resources)


def validator(m: MessageInfo) -> Draft202012Validator:
    schema_path = SCHEMAS / m.schema
    # No $id in our schemas: give the root its file name as base URI, so "order.json" resolves.
    registry = schema_registry(m.venue)
    resolved = registry.resolver(base_uri=schema_path.name).lookup(schema_path.name)
    return Draft202012Validator(resolved.contents, registry=registry, _resolver=resolved.resolver)


def encoder(venue: str) -> msgspec.json.Encoder:
    if DECIMALS_ON_WIRE[venue] == "number":
        return msgspec.json.Encoder(decimal_format="number")
    return msgspec.json.Encoder()


def as_json_value(raw: bytes | str) -> Any:
    """JSON value with exact numbers, for comparing a re-encoded message with its input."""
    return json.loads(raw, parse_float=Decimal)


def _bare(t: mi.Type) -> mi.Type:
    while isinstance(t, mi.Metadata):
        t = t.type
    return t


def _decimal_positions(value: Any, t: mi.Type) -> Any:
    """`value` with every string or number that sits in a Decimal-typed field of `t` made
    a Decimal (exactly: from the text, never through float); everything else as it is."""
    members = [_bare(m) for m in (_bare(t).types if isinstance(_bare(t), mi.UnionType) else (t,))]
    if isinstance(value, str | int | Decimal) and not isinstance(value, bool):
        if any(isinstance(m, mi.DecimalType) for m in members):
            return Decimal(str(value))
        return value
    for m in members:
        if isinstance(value, dict) and isinstance(m, mi.StructType):
            fields = {f.encode_name: f.type for f in m.fields}
            return {k: _decimal_positions(v, fields[k]) if k in fields else v for k, v in value.items()}
        if isinstance(value, list) and isinstance(m, mi.ListType | mi.TupleType | mi.VarTupleType):
            if isinstance(m, mi.TupleType):
                return [_decimal_positions(v, it) for v, it in zip(value, m.item_types, strict=False)]
            return [_decimal_positions(v, m.item_type) for v in value]
    return value


def round_trip_value(m: MessageInfo, raw: bytes | str) -> Any:
    """What re-encoding `raw` through its class must give, as a JSON value (exact numbers).

    Venues whose decimals are "mixed" (the same field a string in one reply and a number in
    the next) decode such a field to one exact Decimal and re-encode it as a decimal string,
    so for them a Decimal-typed field compares by exact value (84 and "84" agree, 0.1 and
    "0.10000000000000000001" do not); every other field, and every field of the other
    venues, must come back in its own wire form."""
    value = as_json_value(raw)
    if DECIMALS_ON_WIRE[m.venue] != "mixed":
        return value
    return _decimal_positions(value, mi.type_info(message_class(m)))


def valid_fixtures(m: MessageInfo) -> list[Path]:
    return sorted((FIXTURES / m.venue / m.name).glob("*.json"))


def invalid_fixtures(m: MessageInfo) -> list[InvalidFixture]:
    out = []
    for path in sorted((FIXTURES / m.venue / m.name / "invalid").glob("*.json")):
        wrapper = json.loads(path.read_text(encoding="utf-8"))
        out.append(InvalidFixture(path, wrapper["field"], wrapper.get("why", ""), wrapper["payload"]))
    return out


_REQUIRED = re.compile(r"^'(?P<name>[^']+)' is a required property")


def schema_error_paths(errors: list[Any]) -> list[list[str | int]]:
    """Field paths of jsonschema errors, descending into anyOf/oneOf; a missing
    required property's path ends with its own name."""
    paths: list[list[str | int]] = []
    for err in errors:
        path = list(err.absolute_path)
        if err.validator == "required":
            match = _REQUIRED.match(err.message)
            if match:
                path.append(match.group("name"))
        paths.append(path)
        if err.context:
            paths.extend(schema_error_paths(list(err.context)))
    return paths


_AT = re.compile(r" - at `\$(?P<path>[^`]*)`$")
_MISSING = re.compile(r"missing required field `(?P<name>[^`]+)`")
_STEP = re.compile(r"\.(?P<key>[A-Za-z_][A-Za-z0-9_]*)|\[(?P<index>\d+)\]|\[(?P<quoted>'[^']*'|\"[^\"]*\")\]")


def msgspec_error_path(message: str) -> list[str | int]:
    """Field path named by a msgspec ValidationError message ("... - at `$.data[0].a`")."""
    path: list[str | int] = []
    at = _AT.search(message)
    if at:
        for step in _STEP.finditer(at.group("path")):
            if step.group("key") is not None:
                path.append(step.group("key"))
            elif step.group("index") is not None:
                path.append(int(step.group("index")))
            else:
                path.append(step.group("quoted")[1:-1])
    missing = _MISSING.search(message)
    if missing:
        path.append(missing.group("name"))
    return path
