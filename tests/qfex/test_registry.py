"""QFEX facts in the registry: the documented rate-limit budget and weights, the auth window,
the nonce rules and the error codes the simulator and the client read by name."""

from __future__ import annotations

import pytest

from venuewire.errors import AuthError, InvalidRequest, RateLimited, error_for
from venuewire.generated.registry import WS_QFEX_TRADE
from venuewire.qfex.errors import code_named
from venuewire.sim import qfex as sim


def test_the_documented_rate_limit_is_registry_data():
    limit = WS_QFEX_TRADE.rate_limit
    assert limit is not None
    assert (limit.limit, limit.window_s, limit.scope, limit.after_auth, limit.model) == (12000, 60, "user", True, "ema")
    assert (limit.weights["get_order"], limit.weights["add_order"], limit.weights["subscribe"]) == (2.0, 1.0, 0.1)
    assert "cancel_order" in limit.buckets["cancel"] and "add_order" not in limit.buckets["cancel"]
    assert all(kind in limit.weights for kinds in limit.buckets.values() for kind in kinds)


def test_auth_window_and_nonce_rules_reach_the_simulator_from_the_registry():
    channel = WS_QFEX_TRADE
    assert (channel.auth_within_s, channel.max_nonce_len, channel.nonce_unique_window_s) == (60, 100, 900)
    assert (sim.AUTH_WITHIN_S, sim.MAX_NONCE_LEN, sim.NONCE_WINDOW_S) == (60, 100, 900)
    assert channel.ping_interval_s == sim.PING_INTERVAL_S


@pytest.mark.parametrize(
    ("name", "code", "kind"),
    [
        ("rate_limited", "RateLimited", RateLimited),
        ("invalid_json", "InvalidJSONFormat", InvalidRequest),
        ("already_authenticated", "AlreadyAuthenticated", InvalidRequest),
        ("invalid_parameter", "InvalidParameter", InvalidRequest),
        ("permission_denied", "PermissionDenied", AuthError),
    ],
)
def test_error_codes_are_looked_up_by_name(name: str, code: str, kind: type):
    assert code_named(name) == code
    assert isinstance(error_for("qfex", code, ""), kind)
    assert getattr(sim, name.upper()) == code  # the simulator's constants are the registry's


def test_an_unknown_error_name_is_a_key_error():
    with pytest.raises(KeyError, match="no qfex error"):
        code_named("no_such_name")


def test_the_client_pairs_answers_as_the_registry_says():
    from venuewire.credentials import QfexCredentials
    from venuewire.qfex.client import QfexTradeClient

    assert WS_QFEX_TRADE.correlation == "order"
    client = QfexTradeClient(QfexCredentials("k", "s"), "ws://127.0.0.1:1/")
    assert client._engine.correlation == WS_QFEX_TRADE.correlation
