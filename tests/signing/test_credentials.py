"""Credentials: construction, immutability, `from_env` and its documented variables."""

from __future__ import annotations

import copy
import pickle

import pytest

from venuewire.credentials import (
    ENV_VARS,
    BitmartCredentials,
    CoinwCredentials,
    InfowayCredentials,
    InvalidCredential,
    QfexCredentials,
    Secret,
)
from venuewire.errors import AuthError

FULL_ENV = {
    "VENUEWIRE_COINW_API_KEY": "cw-key",
    "VENUEWIRE_COINW_SECRET": "cw-secret",
    "VENUEWIRE_BITMART_API_KEY": "bm-key",
    "VENUEWIRE_BITMART_SECRET": "bm-secret",
    "VENUEWIRE_BITMART_MEMO": "bm-memo",
    "VENUEWIRE_QFEX_PUBLIC_KEY": "qf-pub",
    "VENUEWIRE_QFEX_SECRET": "qf-secret",
    "VENUEWIRE_INFOWAY_API_KEY": "iw-key",
}
CLASSES = [CoinwCredentials, BitmartCredentials, QfexCredentials, InfowayCredentials]
AnyCredentials = type[CoinwCredentials] | type[BitmartCredentials] | type[QfexCredentials] | type[InfowayCredentials]


def test_the_documented_variable_names_are_class_attributes() -> None:
    assert CoinwCredentials.ENV_VARS == ("VENUEWIRE_COINW_API_KEY", "VENUEWIRE_COINW_SECRET")
    assert BitmartCredentials.ENV_VARS == (
        "VENUEWIRE_BITMART_API_KEY",
        "VENUEWIRE_BITMART_SECRET",
        "VENUEWIRE_BITMART_MEMO",
    )
    assert QfexCredentials.ENV_VARS == ("VENUEWIRE_QFEX_PUBLIC_KEY", "VENUEWIRE_QFEX_SECRET")
    assert InfowayCredentials.ENV_VARS == ("VENUEWIRE_INFOWAY_API_KEY",)
    assert CoinwCredentials.ENV_SECRET == "VENUEWIRE_COINW_SECRET"
    assert BitmartCredentials.ENV_MEMO == "VENUEWIRE_BITMART_MEMO"
    assert QfexCredentials.ENV_PUBLIC_KEY == "VENUEWIRE_QFEX_PUBLIC_KEY"
    assert sorted(v for names in ENV_VARS.values() for v in names) == sorted(FULL_ENV)


def test_from_env_reads_every_venue() -> None:
    assert CoinwCredentials.from_env(FULL_ENV) == CoinwCredentials("cw-key", "cw-secret")
    assert BitmartCredentials.from_env(FULL_ENV) == BitmartCredentials("bm-key", "bm-secret", "bm-memo")
    assert QfexCredentials.from_env(FULL_ENV) == QfexCredentials("qf-pub", "qf-secret")
    assert InfowayCredentials.from_env(FULL_ENV).api_key.reveal() == "iw-key"


def test_from_env_defaults_to_the_process_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in FULL_ENV.items():
        monkeypatch.setenv(name, value)
    assert QfexCredentials.from_env().secret.reveal() == "qf-secret"


@pytest.mark.parametrize("cls", CLASSES)
def test_from_env_names_every_missing_variable(cls: AnyCredentials) -> None:
    with pytest.raises(AuthError) as caught:
        cls.from_env({})
    assert caught.value.venue == cls.venue
    for name in cls.ENV_VARS:
        assert name in str(caught.value)


def test_an_empty_variable_counts_as_missing() -> None:
    env = {**FULL_ENV, "VENUEWIRE_BITMART_MEMO": "", "VENUEWIRE_BITMART_API_KEY": ""}
    with pytest.raises(AuthError, match="VENUEWIRE_BITMART_API_KEY, VENUEWIRE_BITMART_MEMO") as caught:
        BitmartCredentials.from_env(env)
    assert caught.value.venue == "bitmart"


def test_from_env_names_the_variable_whose_value_is_refused() -> None:
    with pytest.raises(AuthError, match="VENUEWIRE_COINW_API_KEY is not valid"):
        CoinwCredentials.from_env({**FULL_ENV, "VENUEWIRE_COINW_API_KEY": "key with space"})


@pytest.mark.parametrize(
    ("build", "argument"),
    [
        (lambda: CoinwCredentials("", "s"), "api_key"),
        (lambda: CoinwCredentials("k", ""), "secret"),
        (lambda: CoinwCredentials("k\n", "s"), "api_key"),
        (lambda: BitmartCredentials("k", "s", ""), "memo"),
        (lambda: QfexCredentials("", "s"), "public_key"),
        (lambda: InfowayCredentials(""), "api_key"),
        (lambda: InfowayCredentials("a\r\nX-Evil: 1"), "api_key"),
    ],
)
def test_construction_refuses_bad_values_naming_the_argument(build: object, argument: str) -> None:
    with pytest.raises(InvalidCredential) as caught:
        build()  # type: ignore[operator]
    assert caught.value.argument == argument
    assert isinstance(caught.value, ValueError)


def test_construction_refuses_non_strings() -> None:
    with pytest.raises(TypeError, match="secret"):
        CoinwCredentials("k", 123)  # type: ignore[arg-type]


def test_a_secret_may_be_given_already_wrapped() -> None:
    secret = Secret("s")
    assert CoinwCredentials("k", secret).secret is secret


def test_credentials_are_immutable_unhashable_and_compare_by_value() -> None:
    creds = BitmartCredentials("k", "s", "m")
    with pytest.raises(AttributeError):
        creds.api_key = "other"  # type: ignore[misc]
    with pytest.raises(AttributeError):
        setattr(creds.secret, "_value", "x")  # noqa: B010
    with pytest.raises(TypeError):
        hash(creds)
    assert creds == BitmartCredentials("k", "s", "m")
    assert creds != BitmartCredentials("k", "s", "m2")
    assert creds != CoinwCredentials("k", "s")
    assert Secret("a") == Secret("a")
    assert Secret("a") != Secret("b")


@pytest.mark.parametrize(
    "obj", [Secret("s"), CoinwCredentials("k", "s"), BitmartCredentials("k", "s", "m"), InfowayCredentials("k")]
)
def test_secrets_are_not_pickled_and_copies_are_the_same_object(obj: object) -> None:
    with pytest.raises(TypeError, match="cannot be pickled"):
        pickle.dumps(obj)
    assert copy.copy(obj) is obj
    assert copy.deepcopy(obj) is obj
