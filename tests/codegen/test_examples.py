"""The example data codegen ships in generated/ (served by the simulators) is typed-valid."""

from __future__ import annotations

from importlib import import_module

import msgspec
import pytest

from venuewire.generated.registry import MESSAGES, REST_ENDPOINTS
from venuewire.messages import decode_json

RESPONSES = sorted({e.response for e in REST_ENDPOINTS})


@pytest.mark.parametrize("ref", RESPONSES)
def test_every_rest_response_has_an_example_that_decodes_and_round_trips(ref):
    venue, name = ref.split("/", 1)
    examples = import_module(f"venuewire.generated.{venue}.examples").EXAMPLES
    (info,) = [m for m in MESSAGES if m.venue == venue and m.name == name]
    cls = getattr(import_module(info.module), info.class_name)
    typed = decode_json(cls, examples[name])
    again = decode_json(cls, msgspec.json.encode(typed))
    assert again == typed
