"""Contract tests for every JSON message: schema, generated class and fixtures agree."""

from __future__ import annotations

import json

import msgspec
import pytest
from jsonschema import Draft202012Validator

from tests.contract.jsonfixtures import (
    JSON_MESSAGES,
    SCHEMAS,
    encoder,
    invalid_fixtures,
    message_class,
    message_id,
    msgspec_error_path,
    round_trip_value,
    schema_error_paths,
    valid_fixtures,
    validator,
)

VALID = [(m, p) for m in JSON_MESSAGES for p in valid_fixtures(m)]
INVALID = [(m, f) for m in JSON_MESSAGES for f in invalid_fixtures(m)]


@pytest.mark.parametrize("message", JSON_MESSAGES, ids=message_id)
def test_schema_is_valid_2020_12_and_has_fixtures(message):
    schema = json.loads((SCHEMAS / message.schema).read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert valid_fixtures(message), f"{message_id(message)} has no valid fixture"
    assert invalid_fixtures(message), f"{message_id(message)} has no invalid fixture"


@pytest.mark.parametrize(("message", "path"), VALID, ids=[f"{message_id(m)}:{p.name}" for m, p in VALID])
def test_valid_fixture_passes_schema_and_round_trips(message, path):
    raw = path.read_bytes()
    validator(message).validate(json.loads(raw))
    decoded = msgspec.json.decode(raw, type=message_class(message))
    encoded = encoder(message.venue).encode(decoded)
    assert round_trip_value(message, encoded) == round_trip_value(message, raw)
    # and the typed form is stable: decoding what we encoded gives the same object
    assert msgspec.json.decode(encoded, type=message_class(message)) == decoded


@pytest.mark.parametrize(
    ("message", "fixture"), INVALID, ids=[f"{message_id(m)}:invalid/{f.path.name}" for m, f in INVALID]
)
def test_invalid_fixture_is_rejected_by_schema_and_decoder_naming_the_field(message, fixture):
    errors = list(validator(message).iter_errors(fixture.payload))
    assert errors, f"schema accepted {fixture.path.name} ({fixture.why})"
    assert fixture.field in schema_error_paths(errors), [e.message for e in errors]

    with pytest.raises(msgspec.ValidationError) as caught:
        msgspec.json.decode(json.dumps(fixture.payload), type=message_class(message))
    assert msgspec_error_path(str(caught.value)) == fixture.field, str(caught.value)
