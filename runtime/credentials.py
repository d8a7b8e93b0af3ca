"""API credentials for the venues that need them, with secrets that do not leak.

One class per venue: `CoinwCredentials`, `BitmartCredentials`, `QfexCredentials`,
`InfowayCredentials`. Every secret value is held in a `Secret`, whose `repr`, `str` and
`format` are `Secret('***')` and which refuses to be pickled or hashed; the value comes out
only through `Secret.reveal()`, which the signers in `venuewire.signing` call. For Infoway
the API key is itself the secret, so it is a `Secret` too. The BitMart memo is an input of
every signature and is kept as a `Secret` as well.

Construction checks the values: an empty value, or whitespace/control characters in a value
that is sent as is (API keys), raises `InvalidCredential` (a `ValueError`) naming the
argument, never its value; a non-string raises `TypeError`. Credentials are immutable,
unhashable and refuse to be pickled. `from_env()` reads the documented environment variables
(per class in `ENV_VARS`, all of them in the module's `ENV_VARS`) and raises
`venuewire.errors.AuthError` naming the variables that are unset or empty, or the one whose
value is refused (names only, never values):

    VENUEWIRE_COINW_API_KEY, VENUEWIRE_COINW_SECRET
    VENUEWIRE_BITMART_API_KEY, VENUEWIRE_BITMART_SECRET, VENUEWIRE_BITMART_MEMO
    VENUEWIRE_QFEX_PUBLIC_KEY, VENUEWIRE_QFEX_SECRET
    VENUEWIRE_INFOWAY_API_KEY
"""

from __future__ import annotations

import hmac
import os
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any, ClassVar, Final, NoReturn, Self, TypeAlias, final

from venuewire.errors import AuthError

__all__ = [
    "ENV_VARS",
    "BitmartCredentials",
    "CoinwCredentials",
    "Credentials",
    "InfowayCredentials",
    "InvalidCredential",
    "QfexCredentials",
    "Secret",
]

_MASK: Final = "Secret('***')"


@final
class Secret:
    """A secret string that never shows itself.

    `repr`, `str` and `format` give `Secret('***')` (a format spec pads it); `pickle`, `copy.copy` and
    `copy.deepcopy` do not duplicate it (pickling raises `TypeError`, copies return the same
    object); it is unhashable and compares in constant time. `reveal()` returns the value.
    Raises `ValueError` on an empty value and `TypeError` on a non-string.
    """

    __slots__ = ("_value",)
    _value: str

    def __init__(self, value: str) -> None:
        if not isinstance(value, str):
            raise TypeError("Secret value must be a str")
        if not value:
            raise ValueError("Secret value must not be empty")
        object.__setattr__(self, "_value", value)

    def reveal(self) -> str:
        """The secret value. Call it only where the value is used (signing, a header)."""
        return self._value

    def __repr__(self) -> str:
        return _MASK

    __str__ = __repr__

    def __format__(self, format_spec: str) -> str:
        return format(_MASK, format_spec)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Secret):
            return NotImplemented
        return hmac.compare_digest(self._value.encode(), other._value.encode())

    __hash__ = None  # type: ignore[assignment]

    def __setattr__(self, name: str, value: object) -> NoReturn:
        raise AttributeError("Secret is immutable")

    def __delattr__(self, name: str) -> NoReturn:
        raise AttributeError("Secret is immutable")

    def __reduce_ex__(self, protocol: Any) -> NoReturn:
        raise TypeError("a Secret cannot be pickled; store credentials outside the process, e.g. in the environment")

    def __copy__(self) -> Secret:
        return self

    def __deepcopy__(self, memo: dict[int, Any]) -> Secret:
        return self


class InvalidCredential(ValueError):
    """A credential value was refused; `argument` names it (the value never appears)."""

    def __init__(self, argument: str, problem: str) -> None:
        self.argument = argument
        super().__init__(f"{argument} {problem}")


def _secret(name: str, value: str | Secret) -> Secret:
    """`value` as a Secret; errors name `name`, never the value."""
    if isinstance(value, Secret):
        return value
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a str or a Secret")
    if not value:
        raise InvalidCredential(name, "must not be empty")
    return Secret(value)


def _check_token(name: str, raw: str) -> None:
    if not raw.isprintable() or any(ch.isspace() for ch in raw):
        raise InvalidCredential(name, "must not contain whitespace or control characters")


def _public(name: str, value: str) -> str:
    """A non-empty public value that goes into a header or URL: no whitespace or control characters."""
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a str")
    if not value:
        raise InvalidCredential(name, "must not be empty")
    _check_token(name, value)
    return value


def _token_secret(name: str, value: str | Secret) -> Secret:
    """A secret that is sent as is (a header or URL value): same rules as `_public`."""
    secret = _secret(name, value)
    _check_token(name, secret.reveal())
    return secret


class _Credentials:
    """Shared behaviour: unhashable, not picklable, compared by value, `from_env`.

    Subclasses are frozen dataclasses (immutable; mypy knows it) with their own `__init__`,
    which accepts a plain string or a `Secret` for each secret.
    """

    __slots__ = ()
    venue: ClassVar[str]
    ENV_VARS: ClassVar[tuple[str, ...]]
    """The environment variables `from_env` reads (those of `_ENV_ARGS`, in order)."""
    _ENV_ARGS: ClassVar[tuple[tuple[str, str], ...]]  # (constructor argument, environment variable)

    def __init_subclass__(cls) -> None:
        super().__init_subclass__()
        cls.ENV_VARS = tuple(var for _, var in cls._ENV_ARGS)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Self:
        """Credentials from `ENV_VARS` in `environ` (default `os.environ`).

        Raises `AuthError` (venue set) naming every variable that is unset or empty, or the
        variable whose value is not acceptable; values never appear in the message.
        """
        env = os.environ if environ is None else environ
        missing = [var for _, var in cls._ENV_ARGS if not env.get(var)]
        if missing:
            raise AuthError(cls.venue, f"missing environment variable(s): {', '.join(missing)} (unset or empty)")
        variables = dict(cls._ENV_ARGS)
        try:
            return cls(**{arg: env[var] for arg, var in cls._ENV_ARGS})
        except InvalidCredential as exc:
            var = variables.get(exc.argument, exc.argument)
            raise AuthError(cls.venue, f"environment variable {var} is not valid: {exc}") from None

    def _set(self, **values: object) -> None:
        """Set the frozen fields (from a subclass's `__init__`, once its values are checked)."""
        for name, value in values.items():
            object.__setattr__(self, name, value)

    def __repr__(self) -> str:
        """Every field by name, each `Secret` masked."""
        values = ((f.name, getattr(self, f.name)) for f in fields(self))  # type: ignore[arg-type]
        shown = ", ".join(f"{name}={_MASK if isinstance(v, Secret) else repr(v)}" for name, v in values)
        return f"{type(self).__name__}({shown})"

    def __format__(self, format_spec: str) -> str:
        return format(repr(self), format_spec)

    def __eq__(self, other: object) -> bool:
        """Same class and equal fields (secrets compared in constant time)."""
        if type(other) is not type(self):
            return NotImplemented
        return all(getattr(self, f.name) == getattr(other, f.name) for f in fields(self))  # type: ignore[arg-type]

    __hash__ = None  # type: ignore[assignment]

    def __reduce_ex__(self, protocol: Any) -> NoReturn:
        raise TypeError(f"{type(self).__name__} cannot be pickled: it holds secrets")

    def __copy__(self) -> Self:
        return self

    def __deepcopy__(self, memo: dict[int, Any]) -> Self:
        return self


@final
@dataclass(frozen=True, slots=True, init=False, repr=False, eq=False)
class CoinwCredentials(_Credentials):
    """CoinW futures API key and secret (headers `api_key`, `sign`)."""

    venue: ClassVar[str] = "coinw"
    ENV_API_KEY: ClassVar[str] = "VENUEWIRE_COINW_API_KEY"
    ENV_SECRET: ClassVar[str] = "VENUEWIRE_COINW_SECRET"
    _ENV_ARGS: ClassVar[tuple[tuple[str, str], ...]] = (("api_key", ENV_API_KEY), ("secret", ENV_SECRET))

    api_key: str
    secret: Secret

    def __init__(self, api_key: str, secret: str | Secret) -> None:
        self._set(api_key=_public("api_key", api_key), secret=_secret("secret", secret))


@final
@dataclass(frozen=True, slots=True, init=False, repr=False, eq=False)
class BitmartCredentials(_Credentials):
    """BitMart API key, secret and memo (REST headers `X-BM-*`, WebSocket login).

    The memo is part of every signed string, so it is held as a `Secret` like the secret.
    """

    venue: ClassVar[str] = "bitmart"
    ENV_API_KEY: ClassVar[str] = "VENUEWIRE_BITMART_API_KEY"
    ENV_SECRET: ClassVar[str] = "VENUEWIRE_BITMART_SECRET"
    ENV_MEMO: ClassVar[str] = "VENUEWIRE_BITMART_MEMO"
    _ENV_ARGS: ClassVar[tuple[tuple[str, str], ...]] = (
        ("api_key", ENV_API_KEY),
        ("secret", ENV_SECRET),
        ("memo", ENV_MEMO),
    )

    api_key: str
    secret: Secret
    memo: Secret

    def __init__(self, api_key: str, secret: str | Secret, memo: str | Secret) -> None:
        self._set(api_key=_public("api_key", api_key), secret=_secret("secret", secret), memo=_secret("memo", memo))


@final
@dataclass(frozen=True, slots=True, init=False, repr=False, eq=False)
class QfexCredentials(_Credentials):
    """QFEX public key and HMAC secret (WebSocket `auth` frame, `x-qfex-*` REST headers)."""

    venue: ClassVar[str] = "qfex"
    ENV_PUBLIC_KEY: ClassVar[str] = "VENUEWIRE_QFEX_PUBLIC_KEY"
    ENV_SECRET: ClassVar[str] = "VENUEWIRE_QFEX_SECRET"
    _ENV_ARGS: ClassVar[tuple[tuple[str, str], ...]] = (("public_key", ENV_PUBLIC_KEY), ("secret", ENV_SECRET))

    public_key: str
    secret: Secret

    def __init__(self, public_key: str, secret: str | Secret) -> None:
        self._set(public_key=_public("public_key", public_key), secret=_secret("secret", secret))


@final
@dataclass(frozen=True, slots=True, init=False, repr=False, eq=False)
class InfowayCredentials(_Credentials):
    """Infoway API key. It is the only secret, so it is held as a `Secret`."""

    venue: ClassVar[str] = "infoway"
    ENV_API_KEY: ClassVar[str] = "VENUEWIRE_INFOWAY_API_KEY"
    _ENV_ARGS: ClassVar[tuple[tuple[str, str], ...]] = (("api_key", ENV_API_KEY),)

    api_key: Secret

    def __init__(self, api_key: str | Secret) -> None:
        self._set(api_key=_token_secret("api_key", api_key))


Credentials: TypeAlias = CoinwCredentials | BitmartCredentials | QfexCredentials | InfowayCredentials
"""Any venue's credentials."""

ENV_VARS: Final[dict[str, tuple[str, ...]]] = {
    CoinwCredentials.venue: CoinwCredentials.ENV_VARS,
    BitmartCredentials.venue: BitmartCredentials.ENV_VARS,
    QfexCredentials.venue: QfexCredentials.ENV_VARS,
    InfowayCredentials.venue: InfowayCredentials.ENV_VARS,
}
"""Every documented environment variable, by venue key (for the README and the CLI)."""
