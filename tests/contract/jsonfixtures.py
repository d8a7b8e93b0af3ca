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
