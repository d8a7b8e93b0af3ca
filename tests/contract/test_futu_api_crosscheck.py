"""Our OpenD classes against the official futu-api package's own protobuf classes.

futu-api is a test dependency only. Both sets of classes load in one interpreter (ours
register as "futu/X.proto" in their own proto packages), and for every message in
schemas/proto/futu: the declared fields match theirs, and values encoded by one side parse
on the other to equal messages, field by field, both ways, including zero values and
unknown fields.
"""

from __future__ import annotations

import random
from importlib import import_module
from typing import Any

import pytest
from google.protobuf.descriptor import Descriptor, FieldDescriptor
from google.protobuf.message import Message

from venuewire.generated.registry import MESSAGES

pytestmark = pytest.mark.interop

FILES = sorted({m.schema.rsplit("/", 1)[1].removesuffix(".proto") for m in MESSAGES if m.format == "protobuf"})
PAIRS = [
    (f"{stem}.{m.class_name}", m.module, f"futu.common.pb.{stem}_pb2", m.class_name)
    for stem in FILES
    for m in MESSAGES
    if m.format == "protobuf" and m.schema == f"proto/futu/{stem}.proto"
]


def classes(ours_module: str, theirs_module: str, name: str) -> tuple[type[Message], type[Message]]:
    return getattr(import_module(ours_module), name), getattr(import_module(theirs_module), name)


# protobuf 7 has only FieldDescriptor.is_required/is_repeated, protobuf 5 only .label (the matrix runs both).
def is_required(f: FieldDescriptor) -> bool:
    return bool(f.is_required) if hasattr(f, "is_required") else f.label == FieldDescriptor.LABEL_REQUIRED


def is_repeated(f: FieldDescriptor) -> bool:
    return bool(f.is_repeated) if hasattr(f, "is_repeated") else f.label == FieldDescriptor.LABEL_REPEATED


def field_facts(d: Descriptor) -> dict[str, tuple[Any, ...]]:
    facts = {}
    for f in d.fields:
        label = "required" if is_required(f) else "repeated" if is_repeated(f) else "optional"
        default = f.default_value if f.has_default_value else None
        ref = f.message_type.name if f.message_type else f.enum_type.name if f.enum_type else None
        facts[f.name] = (f.number, f.type, label, default, ref)
    return facts


def test_both_packages_load_in_one_interpreter():
    ours, theirs = classes(
        "venuewire.generated.futu.Qot_GetOrderBook_pb2", "futu.common.pb.Qot_GetOrderBook_pb2", "Response"
    )
    assert ours.DESCRIPTOR.file.name == "futu/Qot_GetOrderBook.proto"
    assert theirs.DESCRIPTOR.file.name == "Qot_GetOrderBook.proto"
    assert ours.DESCRIPTOR.full_name != theirs.DESCRIPTOR.full_name


@pytest.mark.parametrize(("name", "ours_mod", "theirs_mod", "cls"), PAIRS, ids=[p[0] for p in PAIRS])
def test_declared_fields_match_the_official_definition(name, ours_mod, theirs_mod, cls):
    ours, theirs = classes(ours_mod, theirs_mod, cls)
    assert field_facts(ours.DESCRIPTOR) == field_facts(theirs.DESCRIPTOR)


@pytest.mark.parametrize("stem", FILES)
def test_declared_enum_values_match_the_official_definition(stem):
    ours = import_module(f"venuewire.generated.futu.{stem}_pb2").DESCRIPTOR
    theirs = import_module(f"futu.common.pb.{stem}_pb2").DESCRIPTOR
    for enum_name, enum in ours.enum_types_by_name.items():
        official = {v.name: v.number for v in theirs.enum_types_by_name[enum_name].values}
        assert {v.name: v.number for v in enum.values} == official, enum_name


# ---------------------------------------------------------------- values, both ways


def scalar(f: FieldDescriptor, rng: random.Random, zero: bool) -> Any:
    t = FieldDescriptor
    if f.enum_type is not None:
        return 0 if zero else rng.choice([v.number for v in f.enum_type.values])
    if f.type in (t.TYPE_INT32, t.TYPE_SINT32, t.TYPE_SFIXED32):
        return 0 if zero else rng.choice([-(2**31), -500, -1, 1, 2**31 - 1, rng.randint(-(2**31), 2**31 - 1)])
    if f.type in (t.TYPE_INT64, t.TYPE_SINT64, t.TYPE_SFIXED64):
        return 0 if zero else rng.choice([-(2**63), -1, 2**53 + 1, 2**63 - 1, rng.randint(-(2**63), 2**63 - 1)])
    if f.type in (t.TYPE_UINT32, t.TYPE_FIXED32):
        return 0 if zero else rng.choice([1, 2**32 - 1, rng.randint(0, 2**32 - 1)])
    if f.type in (t.TYPE_UINT64, t.TYPE_FIXED64):
        return 0 if zero else rng.choice([1, 2**53 + 1, 2**64 - 1, rng.randint(0, 2**64 - 1)])
    if f.type in (t.TYPE_DOUBLE, t.TYPE_FLOAT):
        return 0.0 if zero else rng.choice([-0.5, 601.5, 1e-9, 1.7976931348623157e308, rng.uniform(-1e6, 1e6)])
    if f.type == t.TYPE_BOOL:
        return False if zero else rng.choice([True, False])
    if f.type == t.TYPE_STRING:
        return "" if zero else rng.choice(["00700", "US.AAPL", "騰訊控股", "a" * 300, ""])
    if f.type == t.TYPE_BYTES:
        return b"" if zero else bytes(rng.randrange(256) for _ in range(8))
    raise AssertionError(f"unhandled field type {f.type} of {f.full_name}")


def populate(msg: Message, rng: random.Random, zero: bool, depth: int = 0) -> Message:
    """Set every field (required, optional and repeated), nested messages included."""
    for f in msg.DESCRIPTOR.fields:
        if f.message_type is not None:
            if depth >= 4:
                continue
            if is_repeated(f):
                for _ in range(1 if zero else rng.randint(1, 3)):
                    populate(getattr(msg, f.name).add(), rng, zero, depth + 1)
            else:
                sub = getattr(msg, f.name)
                sub.SetInParent()
                populate(sub, rng, zero, depth + 1)
        elif is_repeated(f):
            getattr(msg, f.name).extend(scalar(f, rng, zero) for _ in range(1 if zero else rng.randint(1, 3)))
        else:
            setattr(msg, f.name, scalar(f, rng, zero))
    return msg


def assert_same_fields(a: Message, b: Message, path: str = "$") -> None:
    """Field by field, by name: presence, repeated lengths and values, recursively."""
    a_fields = {f.name: f for f in a.DESCRIPTOR.fields}
    b_fields = {f.name: f for f in b.DESCRIPTOR.fields}
    assert set(a_fields) == set(b_fields), path
    for name, f in a_fields.items():
        where = f"{path}.{name}"
        if is_repeated(f):
            left, right = list(getattr(a, name)), list(getattr(b, name))
            assert len(left) == len(right), where
            for i, (x, y) in enumerate(zip(left, right, strict=True)):
                if f.message_type is not None:
                    assert_same_fields(x, y, f"{where}[{i}]")
                else:
                    assert x == y, f"{where}[{i}]"
            continue
        assert a.HasField(name) == b.HasField(name), where
        if f.message_type is not None:
            if a.HasField(name):
                assert_same_fields(getattr(a, name), getattr(b, name), where)
        else:
            assert getattr(a, name) == getattr(b, name), where


CASES = [(p, seed, zero) for p in PAIRS for seed, zero in ((0, True), (1, False), (2, False), (3, False))]


@pytest.mark.parametrize(("pair", "seed", "zero"), CASES, ids=[f"{p[0]}-{'zero' if z else s}" for p, s, z in CASES])
def test_values_cross_parse_both_ways(pair, seed, zero):
    _, ours_mod, theirs_mod, cls = pair
    ours_cls, theirs_cls = classes(ours_mod, theirs_mod, cls)
    ours = populate(ours_cls(), random.Random(seed), zero)
    theirs = theirs_cls.FromString(ours.SerializeToString())
    assert_same_fields(ours, theirs)
    assert theirs.IsInitialized()

    theirs2 = populate(theirs_cls(), random.Random(seed + 100), zero)
    ours2 = ours_cls.FromString(theirs2.SerializeToString())
    assert_same_fields(theirs2, ours2)
    # identical content gives identical bytes from both sides
    assert ours2.SerializeToString(deterministic=True) == theirs2.SerializeToString(deterministic=True)


@pytest.mark.parametrize("pair", PAIRS, ids=[p[0] for p in PAIRS])
def test_unknown_fields_survive_both_ways(pair):
    _, ours_mod, theirs_mod, cls = pair
    ours_cls, theirs_cls = classes(ours_mod, theirs_mod, cls)
    base = populate(ours_cls(), random.Random(7), zero=False).SerializeToString()
    unknown = bytes.fromhex("f8ff3f2a") + bytes.fromhex(
        "82804002abcd"
    )  # field 131071 varint 42, field 131072 bytes abcd
    wire = base + unknown
    theirs = theirs_cls.FromString(wire)
    back = theirs.SerializeToString()
    ours = ours_cls.FromString(back)
    assert ours.SerializeToString().endswith(unknown)
    assert_same_fields(ours, theirs)
