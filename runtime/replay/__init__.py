"""Replay a capture as a simulator: `venuewire replay FILE`, or `async with Replay(path) as r:`.

Every recorded connection is served on 127.0.0.1, one listener per venue:

- OpenD (TCP): each request frame is answered by protoID with the recorded reply, its serial
  renumbered to the live request's (the recorded InitConnect reply serves an unencrypted
  session); pushes follow the request that preceded them in the recording.
- HTTP: matched on method, path and query (parameters in any order; timestamps, signatures and
  redacted values match any of their kind), then on the body; repeated requests get the
  recorded answers in order, then the last again.
- WebSocket: the i-th live connection to a path replays the i-th recorded one; each recorded
  incoming frame is sent after the client frame that preceded it in the recording (matched
  loosely, in order), at the recorded pace divided by `speed` (0: as fast as possible). Pings
  (the venue's rule from the registry) are answered at once, from the recorded pong when the
  capture has one, and never hold the pushes back. Ids the client makes up and the venue
  echoes (the registry's `pair_by`, e.g. QFEX's client_order_id) are taken from the live
  frame and put into the recorded answers and pushes, so the client pairs them.

A request with no recorded answer is listed in `Replay.unanswered` and fails clearly at the
client: an OpenD reply with retType Failed and a retMsg naming it, an HTTP 404, a WebSocket
closed with code 1008.
"""

from venuewire.replay.plan import ReplayPlan, Unanswered
from venuewire.replay.server import Replay

__all__ = ["Replay", "ReplayPlan", "Unanswered"]
