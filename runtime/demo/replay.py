"""The demo's last section: what it recorded, a part of it replayed, and the drift report.

Every demo client records its wire into one capture (venuewire.capture; `venuewire demo
--capture PATH` keeps it, else it is a temporary file). Once the venues have run, this section
reads the capture back and

- replays it (venuewire.replay.Replay, as fast as possible): a new BitmartClient reads the
  v3 depth stream from the replay, and its books must be the recorded pushes, in order;
  a new InfowayClient asks the replay for the first batch_depth, and its reply must be the
  recorded one;
- prints the drift report (venuewire.drift, what `venuewire check` prints in full): per venue
  the message types and messages it decoded, and the verdict, which for our own simulators
  must be "no drift".

Each part runs only when its venue ran; every step is bounded like the venues' steps.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Iterator, Sequence
from typing import Any, Final

from rich import box
from rich.table import Table
from rich.text import Text

from venuewire.bitmart.book import VENUE as BITMART
from venuewire.capture.format import Capture, Record
from venuewire.demo.run import CLIENT_TIMEOUT_S, DemoFailed, Run
from venuewire.demo.sections import BITMART_SPOT, INFOWAY_REST
from venuewire.drift import Classified, DriftReport, check_capture, classify
from venuewire.drift.fields import message_class
from venuewire.infoway.book import VENUE as INFOWAY
from venuewire.messages import decode_json
from venuewire.models import OrderBook
from venuewire.render import book_table

__all__ = ["REPLAY_BOOKS", "drift_summary", "recorded_messages", "replay_section"]

REPLAY_BOOKS: Final = 5
"""How many recorded BitMart books the replay section reads back (fewer when fewer came)."""
_CONNECTION_RECORDS: Final = frozenset({"open", "close"})


def recorded_messages(capture: Capture) -> list[Record]:
    """The records that carry a message (a connection's open and close records left out)."""
    return [r for r in capture.records if r.transport not in _CONNECTION_RECORDS]


def _opened(capture: Capture) -> dict[int, str]:
    return {r.conn: str(r.meta.get("url", "")) for r in capture.records if r.transport == "open"}


def _of(capture: Capture, message: str) -> Iterator[Classified]:
    """The classified records of `message` ("venue/name"), in capture order."""
    return (item for item in classify(capture.records) if item.kind == "json" and item.label == message)


def _decoded(item: Classified) -> Any:
    assert item.info is not None  # a "json" item always names its schema message
    return decode_json(message_class(item.info), item.payload)


async def _replay_bitmart(run: Run, capture: Capture, replay: Any) -> None:
    """The recorded v3 depth connection, read back by a new BitmartClient from the replay."""
    from venuewire.bitmart.client import BitmartClient
    from venuewire.generated.registry import WS_BITMART_SPOT_DEPTH

    symbol, depth = BITMART_SPOT
    assert WS_BITMART_SPOT_DEPTH.push is not None  # the channel's push message, from the registry
    pushes = list(_of(capture, WS_BITMART_SPOT_DEPTH.push))
    if not pushes:
        raise DemoFailed(run.venue, "finding the recorded BitMart depth pushes", "the capture has none")
    conn = pushes[0].record.conn
    entries = [entry for p in pushes if p.record.conn == conn for entry in _decoded(p).data]  # one book each
    recorded = entries[:REPLAY_BOOKS]
    url = replay.url_for(BITMART, _opened(capture)[conn])
    client = BitmartClient(url, url, timeout=CLIENT_TIMEOUT_S, reconnect=False)
    run.closing("closing the replay's BitMart client", client.close)
    stream = client.depth_stream(symbol, depth)
    run.closing("closing the replayed depth stream", stream.aclose)
    books: list[OrderBook] = []
    for n in range(1, len(recorded) + 1):
        books.append(await run.next_of(f"reading replayed book {n} of {symbol}", stream, OrderBook))
    if [b.raw for b in books] != recorded:
        raise DemoFailed(run.venue, f"reading {symbol} from the replay", "the books differ from the recorded pushes")
    run.console.print(
        f"replayed: bitmart v3 depth{depth} {symbol}, {len(books)} books read back by a new BitmartClient,"
        " identical to the recorded pushes",
        markup=False,
    )
    title = f"replayed bitmart {symbol}, book {len(books)} of {len(books)}"
    run.console.print(book_table(books[-1], run.options.levels, title=title))


async def _replay_infoway(run: Run, capture: Capture, replay: Any) -> None:
    """The first recorded batch_depth, asked again by a new InfowayClient of the replay."""
    from venuewire.credentials import InfowayCredentials
    from venuewire.generated.registry import REST_INFOWAY_BATCH_DEPTH
    from venuewire.infoway.client import InfowayClient
    from venuewire.sim.infoway import DEFAULT_API_KEY

    market, codes = INFOWAY_REST[0]
    answers = list(_of(capture, REST_INFOWAY_BATCH_DEPTH.response))
    if not answers:
        raise DemoFailed(run.venue, "finding the recorded Infoway batch_depth", "the capture has none")
    recorded = _decoded(answers[0])
    base = replay.url_for(INFOWAY)
    client = InfowayClient(InfowayCredentials(DEFAULT_API_KEY), base, base, timeout=CLIENT_TIMEOUT_S, reconnect=False)
    run.closing("closing the replay's Infoway client", client.close)
    reply = await run.timed(f"batch_depth {market} from the replay", client.batch_depth(market, codes))
    if reply != recorded:
        raise DemoFailed(run.venue, f"batch_depth {market} from the replay", "the reply differs from the recorded one")
    count = len(reply.data) if isinstance(reply.data, list) else 0
    run.console.print(
        f"replayed: infoway batch_depth {market} ({', '.join(codes)}), {count} books, identical to the recorded reply",
        markup=False,
    )


def _drift_table(report: DriftReport) -> Table:
    types: Counter[str] = Counter()
    messages: Counter[str] = Counter()
    drifting: Counter[str] = Counter()
    for entry in report.messages.values():
        types[entry.venue] += 1
        messages[entry.venue] += entry.count
        drifting[entry.venue] += entry.drift
    for (_label, venue), count in report.unknown.items():
        messages[venue] += count
        drifting[venue] += 1
    title = Text("drift report (venuewire check)")
    table = Table(title=title, box=box.SIMPLE_HEAD, title_style="bold", pad_edge=False)
    for column in ("venue", "message types", "messages", "drift"):
        table.add_column(column, justify="left" if column in ("venue", "drift") else "right")
    for venue in sorted(messages):
        table.add_row(venue, str(types[venue]), str(messages[venue]), "yes" if drifting[venue] else "no")
    return table


def drift_summary(report: DriftReport) -> str:
    """`drift report: 178 messages checked, 52 message types, 3 control frames, 0 unknown, no drift`
    (requests whose path is all they carry have nothing to check and are not counted)."""
    count = sum(m.count for m in report.messages.values())
    unknown = sum(report.unknown.values())
    control = sum(report.control.values())
    verdict = "DRIFT" if report.drift else "no drift"
    return (
        f"drift report: {count} messages checked, {len(report.messages)} message types, {control} control frames,"
        f" {unknown} unknown, {verdict}"
    )


async def replay_section(run: Run, capture: Capture, where: str, left_out: Sequence[str] = ()) -> DriftReport:
    """Print what was recorded, replay a part of it, print the drift report (see the module
    doc); the records of the `left_out` venues (those whose section failed) take no part.
    Raises DemoFailed when a replayed message differs or the report finds drift."""
    from venuewire.replay import Replay

    records = recorded_messages(capture)
    connections = len(_opened(capture))
    run.console.print(f"recorded {len(records)} messages on {connections} connections to {where}", markup=False)
    if left_out:
        kept = tuple(r for r in capture.records if r.venue not in left_out)
        capture = dataclasses.replace(capture, records=kept)
        records = recorded_messages(capture)
        run.console.print(f"left out of the replay and the report: {', '.join(left_out)} (failed)", markup=False)
    venues = {r.venue for r in records}
    if venues & {BITMART, INFOWAY}:
        replay = Replay(capture, speed=0)
        await run.step("starting the replay of the capture", replay.start())
        run.closing("stopping the replay", replay.close)
        if BITMART in venues:
            await _replay_bitmart(run, capture, replay)
        if INFOWAY in venues:
            await _replay_infoway(run, capture, replay)
        if replay.unanswered:
            first = replay.unanswered[0]
            raise DemoFailed(run.venue, "replaying the capture", f"{len(replay.unanswered)} unanswered, first {first}")
    report = check_capture(capture)
    run.console.print(_drift_table(report))
    run.console.print(drift_summary(report), markup=False)
    if report.drift:
        drifting = sorted({m.message for m in report.messages.values() if m.drift} | {k for k, _ in report.unknown})
        raise DemoFailed(run.venue, "checking the capture", f"drift in {', '.join(drifting)} (venuewire check FILE)")
    return report
