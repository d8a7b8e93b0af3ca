"""The committed sample capture (tests/replay/data/session.jsonl, made by sample.py) replays to
our clients of every venue in it with nothing unanswered, and holds none of the simulators'
credentials."""

from __future__ import annotations

from venuewire.capture.format import read_capture
from venuewire.replay import Replay

from .sample import SAMPLE, SECRETS
from .test_opend_replay import PUSHES, opend_session
from .test_web_replay import BOOKS, bitmart_session, coinw_session, infoway_session


async def test_the_sample_replays_to_every_client_in_it() -> None:
    capture = read_capture(SAMPLE)
    assert not capture.truncated
    async with Replay(capture, speed=1) as replay:
        assert replay.venues == ("futu", "bitmart", "infoway", "coinw")
        _book, pushes = await opend_session(*replay.address_for("futu"))
        books = await bitmart_session(replay.url_for("bitmart"))
        [ws] = [url for url in replay.endpoints("infoway") if url.startswith("ws://")]
        rest, infoway_books = await infoway_session(replay.url_for("infoway"), ws.split("?")[0])
        orders = await coinw_session(replay.url_for("coinw"))
    assert len(pushes) == PUSHES and len(books) == len(infoway_books) == BOOKS
    assert rest[0].data and orders[0]
    assert replay.unanswered == []


def test_the_sample_holds_no_credential() -> None:
    raw = SAMPLE.read_bytes()
    assert all(secret.encode() not in raw for secret in SECRETS)
    assert b"[redacted]" in raw
