"""How one raw message differs from its schema, without loosening the strict decode. Pure.

A JSON message is compared with its venue's shape table (venuewire.generated.<venue>.shapes,
written by codegen from the JSON Schemas); an OpenD protobuf body with its descriptor. The
result lists fields the schema does not know, required fields that are absent, values outside
a listed set (an enum or a const), and values of a JSON type the schema does not allow (a
number where a string was declared, and the reverse). The strict decode
(venuewire.messages.decode_json / decode_proto) is untouched: these functions only look.

Paths use the shape tables' pattern syntax: object fields joined by ".", array items "[]",
tuple positions "[0]", map values "{}"; a protobuf field unknown by number is "#<number>".
`Finding.at` is the same path with the concrete indices ("data[2].asks[0][1]").
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import import_module
from typing import TYPE_CHECKING, Any, Literal

from venuewire.generated.registry import MESSAGES, MessageInfo
from venuewire.generated.shapes import FieldShape

if TYPE_CHECKING:
    from google.protobuf.message import Message

FindingKind = Literal["unknown_field", "missing_required", "new_enum_value", "type_change"]


@dataclass(frozen=True, slots=True)
class Finding:
    """One difference: its kind, the pattern `path`, the concrete path `at`, and for
    new enum values and type changes the `value` seen (a type change: the JSON type or the
    protobuf wire type seen) and what the schema `declared`."""

    kind: FindingKind
    path: str
    at: str
    value: str | int | float | bool | None = None
    declared: tuple[str, ...] = ()


_BY_NAME: dict[tuple[str, str], MessageInfo] = {(m.venue, m.name): m for m in MESSAGES}


def find_message(venue: str, name: str) -> MessageInfo:
    """The catalogue entry of `venue`/`name` (KeyError when the registry has none)."""
    return _BY_NAME[(venue, name)]


@cache
def _shapes(venue: str) -> dict[str, dict[str, FieldShape]]:
    module = import_module(f"venuewire.generated.{venue}.shapes")
    shapes: dict[str, dict[str, FieldShape]] = module.SHAPES
    return shapes


def shape_of(info: MessageInfo) -> dict[str, FieldShape]:
    """The field shapes of a JSON message (path -> FieldShape)."""
    return _shapes(info.venue)[info.schema.rsplit("/", 1)[-1].removesuffix(".json")]


def json_type(value: object) -> str:
    """The JSON type name of a decoded JSON value."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"


def _type_fits(seen: str, declared: tuple[str, ...]) -> bool:
    return not declared or seen in declared or (seen == "integer" and "number" in declared)


def _join(base: str, name: str) -> str:
    return f"{base}.{name}" if base else name


def json_findings(info: MessageInfo, value: Any) -> list[Finding]:
    """Every difference between a decoded JSON value and the shape table of its message."""
    out: list[Finding] = []
    _walk(_Table(_shapes(info.venue), shape_of(info), ""), value, "", "", out)
    return out


@dataclass(frozen=True, slots=True)
class _Table:
    """A message's shape table while walking: the venue's tables (for `ref`), the table, and
    the pattern path of the value it describes (reported paths are relative to the message
    being checked, not to the referenced one)."""

    venue: dict[str, dict[str, FieldShape]]
    shape: dict[str, FieldShape]
    prefix: str

    def full(self, path: str) -> str:
        if not path:
            return self.prefix
        if not self.prefix or path.startswith("["):
            return self.prefix + path
        return f"{self.prefix}.{path}"


def _scalar(value: object) -> str | int | float | bool | None:
    return value if isinstance(value, str | int | float | bool) or value is None else json.dumps(value)


def _walk(table: _Table, value: Any, path: str, at: str, out: list[Finding]) -> None:
    shape = table.shape
    field = shape[path]
    seen = json_type(value)
    if not _type_fits(seen, field.types):
        out.append(Finding("type_change", table.full(path), at, seen, field.types))
        return
    if field.ref is not None and value is not None:
        _walk(_Table(table.venue, table.venue[field.ref], table.full(path)), value, "", at, out)
        return
    listed = field.known is not None and seen not in ("object", "array") and value is not None
    if listed and not any(value == k and json_type(k) == seen for k in field.known or ()):
        known = tuple(str(k) for k in field.known or ())
        out.append(Finding("new_enum_value", table.full(path), at, _scalar(value), known))
    if field.free:
        return
    if isinstance(value, dict):
        mapped = f"{path}{{}}"
        if mapped in shape:
            for key, item in value.items():
                _walk(table, item, mapped, f"{at}[{json.dumps(key)}]", out)
            return
        prefix = f"{path}." if path else ""
        for key, item in value.items():
            child = prefix + key
            if child in shape:
                _walk(table, item, child, _join(at, key), out)
            else:
                out.append(Finding("unknown_field", table.full(child), _join(at, key)))
        for child, sub in shape.items():
            name = child[len(prefix) :]
            if sub.required and child.startswith(prefix) and is_direct(child, prefix) and name not in value:
                out.append(Finding("missing_required", table.full(child), _join(at, name)))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            position = f"{path}[{index}]"
            if position in shape:
                _walk(table, item, position, f"{at}[{index}]", out)
            elif f"{path}[]" in shape:
                _walk(table, item, f"{path}[]", f"{at}[{index}]", out)
            elif any(p.startswith(f"{path}[") for p in shape):  # a closed tuple: an extra position
                out.append(Finding("unknown_field", table.full(position), f"{at}[{index}]"))
        index = len(value)
        while f"{path}[{index}]" in shape:  # a tuple cut short: its missing positions
            if shape[f"{path}[{index}]"].required:
                out.append(Finding("missing_required", table.full(f"{path}[{index}]"), f"{at}[{index}]"))
            index += 1


def is_direct(child: str, prefix: str) -> bool:
    """`child` is a field of the object at `prefix` (e.g. "data.t" of "data."), not deeper."""
    rest = child[len(prefix) :]
    return bool(rest) and "." not in rest and "[" not in rest and "{" not in rest


def proto_findings(msg: Message) -> list[Finding]:
    """Every difference between a parsed OpenD message and its descriptor: unknown fields
    (by number), a value of a closed enum the schema does not list (protobuf keeps it as an
    unknown field with the enum field's number), a wire type other than the field's (a type
    change), and unset required fields."""
    out: list[Finding] = []
    _walk_proto(msg, "", "", out)
    return out


_WIRE_TYPES = {0: "varint", 1: "fixed64", 2: "length-delimited", 3: "group", 4: "group-end", 5: "fixed32"}


def _walk_proto(msg: Message, path: str, at: str, out: list[Finding]) -> None:
    from google.protobuf.descriptor import FieldDescriptor
    from google.protobuf.unknown_fields import UnknownFieldSet

    descriptor = msg.DESCRIPTOR
    unknowns = UnknownFieldSet(msg)
    for index in range(len(unknowns)):
        unknown = unknowns[index]
        field = descriptor.fields_by_number.get(unknown.field_number)
        if field is None:
            name = f"#{unknown.field_number}"
            out.append(Finding("unknown_field", _join(path, name), _join(at, name)))
        elif field.enum_type is not None and unknown.wire_type == 0:
            values = tuple(str(v.number) for v in field.enum_type.values)
            out.append(Finding("new_enum_value", _join(path, field.name), _join(at, field.name), unknown.data, values))
        else:
            seen = _WIRE_TYPES.get(unknown.wire_type, str(unknown.wire_type))
            declared = (_type_name(field),)
            out.append(Finding("type_change", _join(path, field.name), _join(at, field.name), seen, declared))
    for field in descriptor.fields:
        child, child_at = _join(path, field.name), _join(at, field.name)
        repeated = _is_repeated(field)
        if field.type != FieldDescriptor.TYPE_MESSAGE:
            if _is_required(field) and not msg.HasField(field.name) and not _shadowed(out, child_at):
                out.append(Finding("missing_required", child, child_at))
            continue
        if repeated:
            for index, item in enumerate(getattr(msg, field.name)):
                _walk_proto(item, f"{child}[]", f"{child_at}[{index}]", out)
        elif msg.HasField(field.name):
            _walk_proto(getattr(msg, field.name), child, child_at, out)
        elif _is_required(field) and not _shadowed(out, child_at):
            out.append(Finding("missing_required", child, child_at))


def _shadowed(out: list[Finding], at: str) -> bool:
    """A required field whose value came with the wrong wire type or an unknown enum value
    is reported as that, not also as missing."""
    return any(f.at == at and f.kind in ("type_change", "new_enum_value") for f in out)


def _is_repeated(field: Any) -> bool:
    """protobuf 6.30+ has `is_repeated` (and dropped `label` in 7); 5.x only `label`."""
    flag = getattr(field, "is_repeated", None)
    if flag is not None:
        return bool(flag)
    return bool(getattr(field, "label") == field.LABEL_REPEATED)  # noqa: B009  # pragma: no cover - protobuf 5


def _is_required(field: Any) -> bool:
    flag = getattr(field, "is_required", None)
    if flag is not None:
        return bool(flag)
    return bool(getattr(field, "label") == field.LABEL_REQUIRED)  # noqa: B009  # pragma: no cover - protobuf 5


def _type_name(field: Any) -> str:
    if field.message_type is not None:
        return str(field.message_type.name)
    if field.enum_type is not None:
        return str(field.enum_type.name)
    names = {v: k.removeprefix("TYPE_").lower() for k, v in vars(type(field)).items() if k.startswith("TYPE_")}
    return str(names.get(field.type, field.type))


def message_class(info: MessageInfo) -> Any:
    """The generated class of a catalogue entry."""
    return getattr(import_module(info.module), info.class_name)
