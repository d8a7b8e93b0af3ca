"""Codegen refuses an `x-open-enum` it would turn into a closed enum, naming file and pointer."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any

import pytest

from codegen import jsonschema

ROOT = Path(__file__).resolve().parents[2]
CONFIG = tomllib.loads((ROOT / "codegen" / "config.toml").read_text(encoding="utf-8"))["jsonschema"]

pytestmark = pytest.mark.timeout(60)


def _generate(tmp_path: Path, properties: dict[str, Any]) -> Path:
    (tmp_path / "schemas" / "json" / "v").mkdir(parents=True)
    (tmp_path / "codegen").symlink_to(ROOT / "codegen")
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "Thing",
        "type": "object",
        "properties": properties,
    }
    (tmp_path / "schemas" / "json" / "v" / "thing.json").write_text(json.dumps(schema), encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    jsonschema.generate(tmp_path, {**CONFIG, "venues": ["v"]}, out)
    return out / "v" / "thing.py"


def _open(title: str) -> dict[str, Any]:
    return {"title": title, "type": "string", "x-open-enum": ["A", "B"]}


@pytest.mark.parametrize(
    ("properties", "pointer", "title"),
    [
        # an inline open enum under array items: the generator names it StatusEnum, without the fallback
        ({"status": {"type": "array", "items": _open("Status")}}, "#/properties/status/items", "Status"),
        # two inline open enums with one title: the generator names them A and B, both closed
        ({"a": _open("Status"), "b": _open("Status")}, "#/properties/b", "Status"),
        # an open enum titled like the root class
        ({"a": _open("Thing")}, "#/properties/a", "Thing"),
    ],
)
def test_an_open_enum_that_would_come_out_closed_is_refused(tmp_path, properties, pointer, title):
    with pytest.raises(SystemExit) as refused:
        _generate(tmp_path, properties)
    text = str(refused.value)
    assert f"thing.json: {pointer}:" in text
    assert f"x-open-enum {title} would come out as a closed enum" in text


def test_an_inline_open_enum_that_keeps_its_title_is_generated_open(tmp_path):
    module = _generate(tmp_path, {"status": _open("Status")}).read_text(encoding="utf-8")
    assert "class Status(StrEnum):" in module
    assert "def _missing_(cls, value: object) -> Status | None:" in module
