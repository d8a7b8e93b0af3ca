"""The example data codegen ships in generated/ (served by the simulators) is typed-valid."""

from __future__ import annotations

from importlib import import_module

import msgspec
import pytest

from venuewire.generated.registry import MESSAGES, REST_ENDPOINTS
from venuewire.messages import decode_json

RESPONSES = sorted({e.response for e in REST_ENDPOINTS})
SHIPPED = sorted(
    (venue, name)
    for venue in sorted({e.venue for e in REST_ENDPOINTS})
    for name in import_module(f"venuewire.generated.{venue}.examples").EXAMPLES
)


@pytest.mark.parametrize("ref", RESPONSES)
def test_every_rest_response_has_an_example(ref):
    venue, name = ref.split("/", 1)
    assert import_module(f"venuewire.generated.{venue}.examples").EXAMPLES[name]


@pytest.mark.parametrize(("venue", "name"), SHIPPED)
def test_every_shipped_example_decodes_typed_and_round_trips(venue, name):
    (info,) = [m for m in MESSAGES if m.venue == venue and m.name == name]
    cls = getattr(import_module(info.module), info.class_name)
    for raw in import_module(f"venuewire.generated.{venue}.examples").EXAMPLES[name]:
        typed = decode_json(cls, raw)
        assert decode_json(cls, msgspec.json.encode(typed)) == typed
