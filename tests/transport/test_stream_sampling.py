"""The unknown-field sample of a stream takes exactly the messages its rule names (the first
`first` of each kind, then every `every`th), although the stream's reader calls the sampler only
for the messages it may take (`observe` says how many of the next ones it will not, the reader
counts those with one `passed` call): kinds interleaved, messages with no item, a reconnect."""

from __future__ import annotations

import asyncio
import itertools
from collections import Counter
from dataclasses import dataclass
from typing import Any

import pytest
from aiohttp import web

from tests.hostile.peers import ws_peer
from tests.transport.toy import ToyProtocol
from venuewire.drift.sample import UnknownFieldSampler
from venuewire.events import Gap
from venuewire.transport import Reaction, WsStream

pytestmark = pytest.mark.timeout(30)


class Recording(UnknownFieldSampler):
    """A sampler that records what it compares instead of comparing."""

    __slots__ = ("taken",)

    def __init__(self, first: int, every: int) -> None:
        super().__init__("test", Counter(), first=first, every=every)
        self.taken: list[str | bytes] = []

    def compare(self, raw: str | bytes) -> None:
        self.compared += 1
        self.taken.append(raw)


def by_rule(messages: list[tuple[str, object]], first: int, every: int) -> list[str]:
    """The messages the rule takes: per kind, the first `first`, then every `every`th."""
    seen: dict[object, int] = {}
    out = []
    for raw, kind in messages:
        seen[kind] = seen.get(kind, 0) + 1
        if seen[kind] <= first or (every and seen[kind] % every == 0):
            out.append(raw)
    return out


def runs(pattern: str, repeat: int) -> list[tuple[str, object]]:
    """Messages named by their index, kinds as the letters of `pattern` ("-" is None), repeated."""
    kinds = [None if c == "-" else c for c in pattern] * repeat
    return [(f"m{i}", kind) for i, kind in enumerate(kinds)]


@pytest.mark.parametrize(("first", "every"), [(16, 1024), (0, 0), (0, 1), (1, 1), (3, 0), (2, 5), (0, 7), (5, 2)])
@pytest.mark.parametrize("pattern", ["a", "ab", "aab-", "aaaaabbbbb--"])
def test_skipping_as_observe_says_takes_what_the_rule_takes(first: int, every: int, pattern: str) -> None:
    messages = runs(pattern, 300)
    sampler = Recording(first, every)
    kind: object = object()
    left = pending = 0
    for raw, k in messages:
        if k is kind and left:
            left -= 1
            pending += 1
            continue
        if pending:
            sampler.passed(kind, pending)
            pending = 0
        left, kind = sampler.observe(raw, k), k
    assert sampler.taken == by_rule(messages, first, every)
    assert sampler.compared == len(sampler.taken)


@dataclass(frozen=True)
class A:
    n: int


@dataclass(frozen=True)
class B:
    n: int


class Kinds(ToyProtocol):
    """Message "a<n>" is an A, "b<n>" a B, "-<n>" no item at all."""

    def receive(self, data: str | bytes) -> Reaction[Any]:
        text = data if isinstance(data, str) else data.decode()
        kind, n = text[0], int(text[1:])
        return Reaction(items=[] if kind == "-" else [(A if kind == "a" else B)(n)])

    def heartbeat(self) -> tuple[float, str | bytes] | None:
        return None


async def test_a_stream_samples_what_the_rule_takes_across_kinds_and_a_reconnect() -> None:
    # Kinds interleaved, then a long run of one kind that the first session ends in (the
    # messages it skipped are counted at the end of the session), then more of both.
    letters = [*itertools.islice(itertools.cycle("aaaab-bba--ab"), 1200), *"a" * 150, *"a" * 200, *"ab-" * 300, "a"]
    wire = [f"{c}{i}" for i, c in enumerate(letters)]
    halves = [wire[:1350], wire[1350:]]
    kinds: dict[str, object] = {"a": A, "b": B, "-": None}
    done = asyncio.Event()

    async def handler(ws: web.WebSocketResponse, request: web.Request) -> None:
        await ws.receive()  # the opening
        for text in halves.pop(0) if halves else []:
            await ws.send_str(text)
        if halves:  # the first session ends: the stream reconnects for the second half
            return
        await done.wait()

    async with ws_peer(handler) as peer:
        stream: WsStream[Any] = WsStream(Kinds(peer.ws_url), buffer=4096, backoff_initial=0.01, unknown_first=3)
        recording = Recording(3, 64)
        recording.counter = stream._unknowns.counter
        stream._unknowns = recording
        try:
            items = 0
            async with asyncio.timeout(20):
                async for item in stream:
                    if isinstance(item, Gap):
                        continue
                    items += 1
                    if items == sum(1 for t in wire if t[0] != "-"):
                        break  # the last message's item: every message was received
        finally:
            done.set()
            await stream.aclose()
    assert stream.stats.reconnects == 1 and stream.stats.received == len(wire)
    assert recording.taken == by_rule([(t, kinds[t[0]]) for t in wire], 3, 64)
