"""Test-wide settings. CI=true selects the thorough hypothesis profile (10,000 examples)."""

from __future__ import annotations

import os

from hypothesis import settings

settings.register_profile("ci", max_examples=10_000, deadline=None, print_blob=True)
settings.register_profile("dev", max_examples=500, deadline=None)
settings.load_profile("ci" if os.environ.get("CI") else os.environ.get("HYPOTHESIS_PROFILE", "dev"))
