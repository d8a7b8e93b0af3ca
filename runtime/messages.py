"""Typed decoding and encoding of generated messages, with venuewire errors.

Pure functions, no I/O. JSON messages are msgspec Structs generated from schemas/json;
OpenD messages are protobuf classes generated from schemas/proto. Every failure is a
`DecodeError` (venue, message, field path) or `MissingRequiredFields`; nothing else escapes.
"""

from __future__ import annotations

import json
import re
from functools import cache
from typing import TYPE_CHECKING, Any, Protocol, TypeVar, cast

import msgspec

from venuewire.errors import DecodeError, MissingRequiredFields
from venuewire.generated.registry import MESSAGES, VENUES, MessageInfo

if TYPE_CHECKING:
    from google.protobuf.descriptor import Descriptor
    from google.protobuf.message import Message

# google.protobuf is imported only by the OpenD (proto) functions, when first needed, so that
# JSON-only users (decode_json, encode_json) never load it.
T = TypeVar("T")
P = TypeVar("P", bound="Message")

_DECIMALS_ON_WIRE = {v.key: v.decimals_on_wire for v in VENUES}
_BY_CLASS: dict[tuple[str, str], MessageInfo] = {(m.module, m.class_name): m for m in MESSAGES}

_AT = re.compile(r" - at `\$(?P<path>[^`]*)`$")
_MISSING = re.compile(r"missing required field `(?P<name>[^`]+)`")
_STEP = re.compile(r"\.(?P<key>[A-Za-z_][A-Za-z0-9_]*)|\[(?P<index>\d+)\]|\[(?P<quoted>'[^']*'|\"[^\"]*\")\]")


def message_info(cls: type[Any]) -> MessageInfo:
    """The catalogue entry (venue, name, schema) of a generated class."""
    try:
        return _BY_CLASS[(cls.__module__, cls.__qualname__)]
    except KeyError:
        raise ValueError(f"{cls.__module__}.{cls.__qualname__} is not a documented venue message") from None


def _msgspec_field_path(text: str) -> tuple[list[str | int], str]:
    path: list[str | int] = []
    detail = text
    at = _AT.search(text)
    if at:
        detail = text[: at.start()]
        for step in _STEP.finditer(at.group("path")):
            if step.group("key") is not None:
                path.append(step.group("key"))
            elif step.group("index") is not None:
                path.append(int(step.group("index")))
            else:
                path.append(step.group("quoted")[1:-1])
    missing = _MISSING.search(text)
    if missing:
        path.append(missing.group("name"))
    return path, detail


_DECODERS: dict[type[Any], msgspec.json.Decoder[Any]] = {}


def _decoder(cls: type[T]) -> msgspec.json.Decoder[T]:
    decoder = _DECODERS.get(cls)
    if decoder is None:
        decoder = _DECODERS[cls] = msgspec.json.Decoder(cls)
    return cast("msgspec.json.Decoder[T]", decoder)


class _ProtoChecks(Protocol):
    def FindInitializationErrors(self) -> list[str]: ...


def _missing_fields(msg: Message) -> list[str]:
    """Dotted paths of every unset proto2 required field, nested ones included."""
    return cast(_ProtoChecks, msg).FindInitializationErrors()


@cache
def _encoder(venue: str) -> msgspec.json.Encoder:
    if _DECIMALS_ON_WIRE.get(venue) == "number":
        return msgspec.json.Encoder(decimal_format="number")
    return msgspec.json.Encoder()


def decode_json(cls: type[T], data: bytes | str) -> T:
    """Decode one JSON payload into the generated class `cls`.

    Raises DecodeError naming the venue, the message and the field path; a payload that
    is not JSON at all (malformed, invalid UTF-8 in a string, nested too deeply) gets an
    empty path. Nothing else escapes.
    """
    try:
        return _decoder(cls).decode(data)
    except msgspec.ValidationError as exc:
        info = message_info(cls)
        path, detail = _msgspec_field_path(str(exc))
        raise DecodeError(info.venue, info.name, path, detail) from None
    except msgspec.DecodeError as exc:
        info = message_info(cls)
        raise DecodeError(info.venue, info.name, (), f"not valid JSON: {exc}") from None
    except UnicodeDecodeError as exc:  # msgspec raises it for invalid UTF-8 inside a string
        info = message_info(cls)
        raise DecodeError(info.venue, info.name, (), f"not valid UTF-8 at byte {exc.start}: {exc.reason}") from None
    except RecursionError:  # msgspec's own depth limit, for arrays or objects nested too deep
        info = message_info(cls)
        raise DecodeError(info.venue, info.name, (), "not valid JSON: nested too deeply") from None


def encode_json(obj: msgspec.Struct) -> bytes:
    """Encode a generated JSON message the way its venue sends it (decimals as strings,
    or as numbers for venues whose decimals are JSON numbers)."""
    return _encoder(message_info(type(obj)).venue).encode(obj)


def encode_proto(msg: Message) -> bytes:
    """Serialize an OpenD message after checking every proto2 required field.

    Zero-valued required fields are encoded (proto2 presence). Raises
    MissingRequiredFields, naming each missing field, before producing any bytes.
    """
    missing = _missing_fields(msg)
    if missing:
        info = message_info(type(msg))
        raise MissingRequiredFields(info.venue, info.name, missing)
    return msg.SerializeToString()


@cache
def _corrupt_body_errors() -> tuple[type[Exception], ...]:
    """What protobuf's parsers raise for a corrupt body (evaluated only when one is raised)."""
    from google.protobuf.message import DecodeError as ProtobufDecodeError

    return (ProtobufDecodeError, ValueError, RuntimeError)


_PROTO_FIELD = re.compile(r"Failed to parse (?P<name>\w+) field: ")
_PROTO_AT = re.compile(r" at (?P<type>\w+)(?P<path>(?:\.\w+|\[\d+\])+)[.\s]*$")
_PROTO_STEP = re.compile(r"(?P<name>\w+)|\[(?P<index>\d+)\]")


def _proto_path(dotted: str) -> list[str | int]:
    """`s2c.orderBookBidList[0].orederCount` as `["s2c", "orderBookBidList", 0, "orederCount"]`."""
    return [
        int(m.group("index")) if m.group("index") is not None else m.group("name") for m in _PROTO_STEP.finditer(dotted)
    ]


def _check_required(msg: Message, venue: str, name: str) -> None:
    missing = _missing_fields(msg)
    if missing:
        raise DecodeError(venue, name, _proto_path(missing[0]), f"missing required field(s): {', '.join(missing)}")


def _locate_in_json(cls: type[Message], data: str, names: list[str]) -> list[str | int]:
    """The field path of a JSON parse error when protobuf names only the chain of fields
    (protobuf 5 does, for some errors: "Failed to parse volume field: ..." without
    "at Response.s2c.orderBookAskList[0].volume"): follows `names` through the JSON and,
    at each list, finds the first element that alone fails to parse. Error path only."""
    from google.protobuf import json_format, message_factory

    path: list[str | int] = []
    if not names:
        return path
    try:
        node: Any = json.loads(data)
    except (ValueError, RecursionError):
        return list(names)
    descriptor: Descriptor | None = cast("Descriptor", cls.DESCRIPTOR)
    for step, name in enumerate(names):
        path.append(name)
        field = descriptor.fields_by_name.get(name) if descriptor is not None else None
        if descriptor is None or field is None or not isinstance(node, dict):
            return path + list(names[step + 1 :])
        node = node.get(field.json_name, node.get(name))
        if isinstance(node, list):
            holder = message_factory.GetMessageClass(descriptor)
            for index, item in enumerate(node):
                try:
                    json_format.ParseDict({name: [item]}, holder())
                except (json_format.ParseError, RecursionError):
                    path.append(index)
                    node = item
                    break
            else:
                return path + list(names[step + 1 :])
        descriptor = field.message_type
    return path


def decode_proto_json(cls: type[P], data: bytes | str) -> P:
    """Parse an OpenD message body in its JSON form (protoFmtType 1, and the examples in
    OpenD's documentation), with the same required-field checks as `decode_proto`."""
    from google.protobuf import json_format

    msg = cls()
    info = message_info(cls)
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise DecodeError(info.venue, info.name, (), f"not valid UTF-8 at byte {exc.start}: {exc.reason}") from None
    try:
        json_format.Parse(data, msg)
    except json_format.ParseError as exc:
        text = str(exc).strip()
        at = _PROTO_AT.search(text)
        # protobuf names the full path ("at Response.s2c.orderBookAskList[0].price") for
        # values it cannot convert; otherwise the chain of "Failed to parse X field" does.
        if at:
            path = _proto_path(at.group("path"))
        else:
            path = _locate_in_json(cls, data, [m.group("name") for m in _PROTO_FIELD.finditer(text)])
        detail = _PROTO_FIELD.sub("", text[: at.start()] if at else text).strip().rstrip(".")
        raise DecodeError(info.venue, info.name, path, detail) from None
    _check_required(msg, info.venue, info.name)
    return msg


def decode_proto(cls: type[P], data: bytes, *, check_required: bool = True) -> P:
    """Parse an OpenD message body and check its proto2 required fields.

    Raises DecodeError naming the message and the field path (for missing required
    fields) or the whole message (for corrupt bytes). `check_required=False` skips the
    required-field walk (about 2x the parse time on large books), for bodies whose
    integrity is otherwise assured; a missing field then reads as its default.
    """
    try:
        msg = cls.FromString(data)
    except _corrupt_body_errors() as exc:
        info = message_info(cls)
        raise DecodeError(info.venue, info.name, (), f"corrupt protobuf body: {exc}") from None
    if check_required and not msg.IsInitialized():
        info = message_info(cls)
        _check_required(msg, info.venue, info.name)
    return msg
