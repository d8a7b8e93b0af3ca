"""Test-wide settings. CI=true selects the thorough hypothesis profile (10,000 examples)."""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator

import pytest
from hypothesis import settings

settings.register_profile("ci", max_examples=10_000, deadline=None, print_blob=True)
settings.register_profile("dev", max_examples=500, deadline=None)
settings.load_profile("ci" if os.environ.get("CI") else os.environ.get("HYPOTHESIS_PROFILE", "dev"))


# Importing the official futu package replaces the SIGINT handler with one that calls
# os._exit(0), which would turn a Ctrl-C during the tests into a silent "success".
# Put the interpreter's own handler back after collection and after every test.
_SIGINT_HANDLER = signal.getsignal(signal.SIGINT)


def _restore_sigint() -> None:
    if signal.getsignal(signal.SIGINT) is not _SIGINT_HANDLER:
        signal.signal(signal.SIGINT, _SIGINT_HANDLER)


def pytest_collection_finish(session: pytest.Session) -> None:
    _restore_sigint()


@pytest.fixture(autouse=True)
def _keep_ctrl_c() -> Iterator[None]:
    yield
    _restore_sigint()
