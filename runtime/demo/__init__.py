"""`venuewire demo`: every typed client against its embedded simulator, in one process.

For each venue of the command line's table (`venuewire.cli.venues.TOOLS`, in the registry's
order), on 127.0.0.1 and a free port: its simulator, its client against it, and its demo
section (venuewire.demo.sections says what each one shows). After each venue one summary
line: messages received, decode errors, gaps, and the round-trip latency percentiles the
demo measured itself. The clients use the simulators' keys; no secret is ever printed.

Every client records its wire into one capture (`DemoOptions.capture`, `venuewire demo
--capture PATH`; else a temporary file). The last section (venuewire.demo.replay) replays a
part of it through `venuewire.replay.Replay` (BitMart v3 depth, an Infoway batch_depth: read
back equal to the recording) and prints its drift report (`venuewire check`), which on our
simulators must find no drift; a failed venue's records are left out of both.

Every await is bounded (STEP_TIMEOUT_S per step, a budget per venue). A venue that fails
gives ONE line, `venuewire demo: VENUE failed while STEP: WHAT`, on stderr (no traceback); the
other venues still run and the exit code is 1.

Test hooks (not part of the command line): `DemoOptions.unreachable` points a venue's client
at a closed 127.0.0.1 port (the command reads it from VENUEWIRE_DEMO_UNREACHABLE, comma
separated venues); `DemoOptions.prepare(venue, simulator)` runs once a simulator listens
(tests add faults there).
"""

from __future__ import annotations

from typing import Final

from venuewire.cli.venues import KEYS
from venuewire.demo.run import (
    CLIENT_TIMEOUT_S,
    STEP_TIMEOUT_S,
    DemoFailed,
    DemoOptions,
    Run,
    Summary,
    closed_port,
    percentile,
    run_demo,
    run_venue,
)

__all__ = [
    "CLIENT_TIMEOUT_S",
    "STEP_TIMEOUT_S",
    "VENUES",
    "DemoFailed",
    "DemoOptions",
    "Run",
    "Summary",
    "closed_port",
    "percentile",
    "run_demo",
    "run_venue",
]

VENUES: Final = KEYS
"""The venues the demo runs, in order: every venue of the registry."""
