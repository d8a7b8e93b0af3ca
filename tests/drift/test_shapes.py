"""The generated shape tables agree with the JSON Schemas: every valid fixture of every JSON
message has no finding but the new values of open enums, and every invalid fixture is drift
(a finding, or a failure of the strict decode)."""

from __future__ import annotations

import json

import pytest

from tests.contract.jsonfixtures import JSON_MESSAGES, invalid_fixtures, message_id, valid_fixtures
from venuewire.drift.fields import json_findings, shape_of
from venuewire.errors import DecodeError
from venuewire.messages import decode_json

VALID = [(m, p) for m in JSON_MESSAGES for p in valid_fixtures(m)]
INVALID = [(m, f) for m in JSON_MESSAGES for f in invalid_fixtures(m)]


@pytest.mark.parametrize(("message", "path"), VALID, ids=[f"{message_id(m)}:{p.name}" for m, p in VALID])
def test_valid_fixture_has_no_finding_but_open_enum_values(message, path):
    for finding in json_findings(message, json.loads(path.read_bytes())):
        assert finding.kind == "new_enum_value", finding
        field = shape_of(message).get(finding.path) or _through_refs(message, finding.path)
        assert field.open_enum, finding


@pytest.mark.parametrize(("message", "fixture"), INVALID, ids=[f"{message_id(m)}:{f.path.name}" for m, f in INVALID])
def test_invalid_fixture_is_drift(message, fixture):
    found = json_findings(message, fixture.payload)
    if not found:  # a constraint the tables do not hold (a pattern, a range): the strict decode has it
        with pytest.raises(DecodeError):
            decode_json(message_class(message), json.dumps(fixture.payload))


def message_class(message):
    from venuewire.drift.fields import message_class as cls

    return cls(message)


def _through_refs(message, path):
    """The FieldShape of a pattern path that runs through a `ref` to another message."""
    from venuewire.drift.fields import find_message

    shape = shape_of(message)
    for cut in range(len(path), 0, -1):
        head, rest = path[:cut], path[cut:]
        if head in shape and shape[head].ref is not None:
            inner = find_message(message.venue, shape[head].ref)
            return shape_of(inner).get(rest.removeprefix(".")) or _through_refs(inner, rest.removeprefix("."))
    raise AssertionError(f"{path} not in the tables of {message_id(message)}")


def test_shared_messages_are_named_not_copied():
    from venuewire.generated.coinw.shapes import SHAPES

    assert SHAPES["order_response"]["data[]"].ref == "order"
    assert not any(p.startswith("data[].") for p in SHAPES["order_response"])
