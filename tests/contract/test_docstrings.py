"""The schemas' descriptions reach the generated classes: help() and editors show them."""

from __future__ import annotations

import importlib
import json
import re
from pathlib import Path

import pytest

from venuewire.generated.registry import MESSAGES

ROOT = Path(__file__).resolve().parents[2]
JSON_MESSAGES = [m for m in MESSAGES if m.format == "json"]


def _words(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("info", JSON_MESSAGES, ids=lambda m: f"{m.venue}/{m.name}")
def test_every_generated_json_class_carries_its_schema_description(info) -> None:
    schema = json.loads((ROOT / "schemas" / info.schema).read_text(encoding="utf-8"))
    cls = getattr(importlib.import_module(info.module), info.class_name)
    assert schema["description"], info.schema
    assert _words(schema["description"]) in _words(cls.__doc__ or "")


def test_enums_carry_their_descriptions_too() -> None:
    from venuewire.generated.bitmart.spot_subscribe import SubscribeOp

    assert "Subscription action" in (SubscribeOp.__doc__ or "")


# ---------------------------------------------------------------- OpenD: the .proto comments

PROTO_DIR = ROOT / "schemas" / "proto" / "futu"
FIELD = re.compile(r"^\s*(required|optional|repeated)\s+([\w.]+)\s+(\w+)\s*=\s*\d+[^;]*;\s*//\s*(.+?)\s*$")
MESSAGE = re.compile(r"^message (\w+)")


def _proto_comments() -> list[tuple[str, str, str, str, str]]:
    """(file stem, message, "" or field, label + type, comment) for each commented message
    (its leading // lines) and field (its trailing // comment) of schemas/proto/futu."""
    found = []
    for path in sorted(PROTO_DIR.glob("*.proto")):
        lines = path.read_text(encoding="utf-8").splitlines()
        message = None
        for i, line in enumerate(lines):
            if match := MESSAGE.match(line):
                message = match.group(1)
                above = []
                for prev in reversed(lines[:i]):
                    if not prev.startswith("//"):
                        break
                    above.insert(0, prev.removeprefix("//").strip())
                if above and lines[i - len(above) - 1 : i - len(above)] == [""]:
                    found.append((path.stem, message, "", "", " ".join(above)))
            elif message and (match := FIELD.match(line)):
                label, kind, name, comment = match.groups()
                found.append((path.stem, message, name, f"{label} {kind.rsplit('.', 1)[-1]}", comment))
            elif line.startswith("}"):
                message = None
    return found


COMMENTS = _proto_comments()


def test_the_protos_have_comments_to_carry() -> None:
    assert len([c for c in COMMENTS if c[2]]) >= 20 and len([c for c in COMMENTS if not c[2]]) >= 3


@pytest.mark.parametrize("comment", COMMENTS, ids=lambda c: f"{c[0]}.{c[1]}.{c[2]}".rstrip("."))
def test_proto_comments_reach_help_and_the_stubs(comment: tuple[str, str, str, str, str]) -> None:
    stem, message, field, kind, text = comment
    cls = getattr(importlib.import_module(f"venuewire.generated.futu.{stem}_pb2"), message)
    doc = _words(cls.__doc__ or "")
    stub = (ROOT / "generated" / "futu" / f"{stem}_pb2.pyi").read_text(encoding="utf-8")
    body = stub.split(f"\nclass {message}(_message.Message):\n", 1)[1].split("\nclass ", 1)[0]
    if field:  # help(): "name (required int32): comment"; editors: a docstring under the attribute
        assert f"{field} ({kind}): {_words(text)}" in doc
        assert re.search(rf"\n    {field}: [^\n]+\n    \"\"\"{re.escape(text)}\"\"\"\n", body), body
    else:
        assert _words(text) in doc
        assert body.startswith(f'    """{text}"""\n')


def test_a_message_without_a_comment_names_its_file_and_lists_its_fields() -> None:
    from venuewire.generated.futu import KeepAlive_pb2

    doc = KeepAlive_pb2.C2S.__doc__ or ""
    assert "schemas/proto/futu/KeepAlive.proto" in doc
    assert "time (required int64): client unix time, seconds" in doc


def test_proto_enums_carry_their_comments() -> None:
    from venuewire.generated.futu.enums import RetType

    assert "carried in every Response.retType" in (RetType.__doc__ or "")
