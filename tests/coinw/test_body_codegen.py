"""Codegen refuses a body schema it could not translate into a class that encodes to the JSON
the venue takes, naming the file and the JSON pointer (codegen.restapi._check_body)."""

from __future__ import annotations

import inspect
import json
from pathlib import Path

import pytest

from codegen.restapi import _check_body
from venuewire.generated.coinw.api import CoinwRestAPI

ROOT = Path(__file__).resolve().parents[2]
WHERE = Path("schemas/json/coinw/bad_body.json")


@pytest.mark.parametrize(
    ("schema", "pointer", "words"),
    [
        ({"type": "array"}, "#", "an object with properties"),
        ({"type": "object", "properties": {"price": {"type": "number"}}}, "#/properties/price", "format"),
        (
            {"type": "object", "properties": {"id": {"anyOf": [{"type": "string"}, {"type": "integer"}]}}},
            "#/properties/id",
            "one type",
        ),
        ({"type": "object", "properties": {"id": {"type": ["string", "null"]}}}, "#/properties/id", "one type"),
        ({"type": "object", "properties": {"1x": {"type": "string"}}}, "#/properties/1x", "class attribute"),
        (
            {"type": "object", "properties": {"ids": {"type": "array", "items": {"type": "number"}}}},
            "#/properties/ids/items",
            "format",
        ),
        ({"type": "object", "properties": {"blob": {"type": "object"}}}, "#/properties/blob", "got 'object'"),
    ],
)
def test_an_untranslatable_body_is_refused_naming_file_and_pointer(schema, pointer, words):
    with pytest.raises(SystemExit) as refused:
        _check_body(schema, WHERE)
    text = str(refused.value)
    assert f"{WHERE}: {pointer}:" in text and words in text


@pytest.mark.parametrize(
    ("method", "name"),
    [
        ("place_order", "place_order_body"),
        ("modify_order", "modify_order_body"),
        ("cancel_order", "cancel_order_body"),
        ("batch_cancel_orders", "batch_cancel_body"),
        ("close_position", "close_position_body"),
    ],
)
def test_every_declared_body_passes_the_check_and_types_its_method(method, name):
    path = ROOT / "schemas" / "json" / "coinw" / f"{name}.json"
    schema = json.loads(path.read_text(encoding="utf-8"))
    assert _check_body(schema, path) is None
    signature = inspect.signature(getattr(CoinwRestAPI, method))
    assert list(signature.parameters) == ["self", "body"]
    assert signature.parameters["body"].annotation == schema["title"]
