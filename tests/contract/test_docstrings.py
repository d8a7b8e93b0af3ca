"""The schemas' descriptions reach the generated classes: help() and editors show them."""

from __future__ import annotations

import importlib
import json
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
