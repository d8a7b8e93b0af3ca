"""A distinctive secret never shows: not in repr/str/format, errors, tracebacks or logs."""

from __future__ import annotations

import logging
import pickle
import traceback
from collections.abc import Callable

import pytest

from venuewire import signing
from venuewire.credentials import BitmartCredentials, CoinwCredentials, InfowayCredentials, QfexCredentials, Secret
from venuewire.errors import AuthError

SECRET = "SeCrEt-Do-Not-Leak-123"
MEMO = "MeMo-Do-Not-Leak-456"
INFOWAY_KEY = "InFoWaY-Key-Do-Not-Leak-789"
LEAKS = (SECRET, MEMO, INFOWAY_KEY)

COINW = CoinwCredentials("cw-key", SECRET)
BITMART = BitmartCredentials("bm-key", SECRET, MEMO)
QFEX = QfexCredentials("qf-pub", SECRET)
INFOWAY = InfowayCredentials(INFOWAY_KEY)
ALL = [COINW, BITMART, QFEX, INFOWAY, Secret(SECRET), BITMART.memo, INFOWAY.api_key]

TS = 1_700_000_000_000


def assert_clean(text: str) -> None:
    for leak in LEAKS:
        assert leak not in text


def renderings(obj: object) -> list[str]:
    return [repr(obj), str(obj), f"{obj}", f"{obj!r}", f"{obj!s}", f"{obj:>40}", str([obj]), str({"k": obj})]


@pytest.mark.parametrize("obj", ALL, ids=lambda o: type(o).__name__)
def test_no_rendering_shows_a_secret(obj: object) -> None:
    for text in renderings(obj):
        assert_clean(text)
        assert "***" in text


def test_no_attribute_rendering_shows_a_secret() -> None:
    assert_clean(f"{COINW.secret} {BITMART.secret!r} {BITMART.memo:s} {QFEX.secret} {INFOWAY.api_key}")


FAILING_CALLS: list[tuple[str, Callable[[], object]]] = [
    ("coinw negative ts", lambda: signing.coinw_headers(COINW, -1, "GET", "/p", None, None)),
    ("coinw seconds ts", lambda: signing.coinw_headers(COINW, 1_700_000_000, "GET", "/p", None, None)),
    ("coinw bad method", lambda: signing.coinw_headers(COINW, TS, "FETCH", "/p", None, None)),
    ("coinw bad path", lambda: signing.coinw_headers(COINW, TS, "GET", "p", None, None)),
    ("coinw bad query", lambda: signing.coinw_headers(COINW, TS, "GET", "/p", "?a", None)),
    ("coinw bad body", lambda: signing.coinw_headers(COINW, TS, "GET", "/p", None, b"{}")),  # type: ignore[arg-type]
    ("coinw empty secret", lambda: signing.sign_coinw("", TS, "GET", "/p", None, None)),
    ("coinw secret not str", lambda: signing.sign_coinw(SECRET.encode(), TS, "GET", "/p", None, None)),  # type: ignore[arg-type]
    ("bitmart negative ts", lambda: signing.bitmart_headers(BITMART, -1, "")),
    ("bitmart bad payload", lambda: signing.bitmart_headers(BITMART, TS, None)),  # type: ignore[arg-type]
    ("bitmart ws bad ts", lambda: signing.bitmart_ws_login_frame(BITMART, -1)),
    ("bitmart ws float ts", lambda: signing.bitmart_ws_login_frame(BITMART, 1.5)),  # type: ignore[arg-type]
    ("bitmart empty memo", lambda: signing.sign_bitmart(SECRET, "", TS, "")),
    ("qfex long nonce", lambda: signing.qfex_auth_frame(QFEX, "a" * 101, 1_700_000_000)),
    ("qfex non-hex nonce", lambda: signing.qfex_auth_frame(QFEX, "zz", 1_700_000_000)),
    ("qfex empty nonce", lambda: signing.qfex_rest_headers(QFEX, "", 1_700_000_000)),
    ("qfex negative ts", lambda: signing.qfex_rest_headers(QFEX, "ab", -1)),
    ("qfex ms ts", lambda: signing.qfex_auth_frame(QFEX, "ab", TS)),
    ("qfex empty secret", lambda: signing.sign_qfex("", "ab", 1)),
    ("coinw query", lambda: signing.coinw_query([("a", "b c")])),
    ("coinw url", lambda: signing.coinw_url("ftp://x", "/p", None)),
    ("bitmart body", lambda: signing.bitmart_json_body({"a": object()})),
    ("credentials bad key", lambda: CoinwCredentials("bad key", SECRET)),
    ("credentials empty secret", lambda: QfexCredentials("qf-pub", "")),
    ("credentials bad infoway key", lambda: InfowayCredentials(INFOWAY_KEY + " \n")),
    ("credentials secret not str", lambda: CoinwCredentials("k", SECRET.encode())),  # type: ignore[arg-type]
    ("env missing", lambda: BitmartCredentials.from_env({"VENUEWIRE_BITMART_SECRET": SECRET})),
    ("env bad infoway", lambda: InfowayCredentials.from_env({"VENUEWIRE_INFOWAY_API_KEY": INFOWAY_KEY + " x"})),
    (
        "env bad coinw",
        lambda: CoinwCredentials.from_env({"VENUEWIRE_COINW_API_KEY": "a b", "VENUEWIRE_COINW_SECRET": SECRET}),
    ),
    ("pickle credentials", lambda: pickle.dumps(BITMART)),
    ("pickle secret", lambda: pickle.dumps(Secret(SECRET))),
    ("mutate", lambda: setattr(QFEX, "secret", SECRET)),
]


@pytest.mark.parametrize(("name", "call"), FAILING_CALLS, ids=[n for n, _ in FAILING_CALLS])
def test_failing_calls_never_show_a_secret(
    name: str, call: Callable[[], object], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    with pytest.raises((ValueError, TypeError, AttributeError, AuthError)) as caught:
        call()
    exc = caught.value
    assert_clean(str(exc))
    assert_clean(repr(exc))
    assert_clean("".join(traceback.format_exception(exc)))
    assert_clean(repr(exc.args))
    logging.getLogger("venuewire.test").exception("call %s failed", name)
    assert_clean(caplog.text)


def test_successful_calls_and_logging_credentials_never_show_a_secret(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    log = logging.getLogger("venuewire.test")
    headers = signing.coinw_headers(COINW, TS, "GET", "/p", "a=1", None)
    frame = signing.bitmart_ws_login_frame(BITMART, TS)
    auth = signing.qfex_auth_frame(QFEX, signing.new_nonce(), 1_700_000_000)
    rest = signing.qfex_rest_headers(QFEX, "ab", 1_700_000_000)
    bm = signing.bitmart_headers(BITMART, TS, "{}")
    for obj in (*ALL, headers, frame, auth, rest, bm):
        log.debug("object %s / %r", obj, obj)
        assert_clean(repr(obj))
    log.info("credentials: %s", {"coinw": COINW, "bitmart": BITMART, "qfex": QFEX, "infoway": INFOWAY})
    assert caplog.records
    assert_clean(caplog.text)
