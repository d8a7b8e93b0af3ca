"""Memory benchmarks (issue 12, point 2):
(m1) a stream of one million OpenD order-book pushes (frame -> normalized OrderBook with
     `order_book_from_body`, best bid and ask read, the book dropped; 2000 distinct frames,
     so the level and text caches fill to their bounds and are cleared) holds a flat resident
     size: the growth of RSS between the end of the warm-up and the end of the stream is
     reported (target: none asserted; flat means a few MB at most, the allocator's noise);
(m2) a 1000-level book's size in bytes (the object graph, shared strings counted once) next
     to futu-api's dict for the same frame.
"""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Iterator

import msgspec

from bench.harness import Result
from bench.opend import frame_bytes, order_book_response
from venuewire.generated.futu import Qot_GetOrderBook_pb2
from venuewire.generated.registry import OpenDProtoID
from venuewire.messages import decode_proto, encode_proto
from venuewire.opend.book import order_book_from_body, order_book_from_s2c
from venuewire.opend.frame import decode_frame, encode_frame

PUSHES = 1_000_000
QUICK_PUSHES = 20_000


def rss_bytes() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def distinct_frames(count: int = 2000) -> list[bytes]:
    """`count` 10-level frames whose prices all differ (the text cache sees new values)."""
    frames = []
    for k in range(count):
        response = order_book_response(10, 0)
        for level in response.s2c.orderBookAskList:
            level.price += k * 0.001
        frames.append(encode_frame(OpenDProtoID.Qot_GetOrderBook, k, encode_proto(response)))
    return frames


def bench_stream(pushes: int = PUSHES) -> list[Result]:
    frames = distinct_frames()
    gc.collect()

    def one(frame: bytes) -> object:
        book = order_book_from_body(decode_frame(frame).body, Qot_GetOrderBook_pb2.Response)
        return (book.bids[0].price, book.asks[0].price)

    warm = pushes // 10
    for i in range(warm):
        one(frames[i % len(frames)])
    before = rss_bytes()
    for i in range(warm, pushes):
        one(frames[i % len(frames)])
    growth = (rss_bytes() - before) / 1e6
    return [
        Result(
            f"(m1) {pushes:,} 10-level pushes -> OrderBook, best bid/ask read: RSS growth after warm-up",
            "decode_frame + order_book_from_body",
            "(none: flat is the target)",
            growth,
            None,
            " MB",
        )
    ]


def _objects(root: object) -> Iterator[object]:
    seen: set[int] = set()
    stack = [root]
    while stack:
        obj = stack.pop()
        if id(obj) in seen or obj is None or isinstance(obj, bool | type):
            continue
        seen.add(id(obj))
        yield obj
        if isinstance(obj, dict):
            stack.extend(obj.keys())
            stack.extend(obj.values())
        elif isinstance(obj, list | tuple | set | frozenset):
            stack.extend(obj)
        elif isinstance(obj, msgspec.Struct):
            stack.extend(getattr(obj, name) for name in obj.__struct_fields__)
            stack.append(getattr(obj, "__dict__", None))


def deep_size(root: object) -> int:
    return sum(sys.getsizeof(obj) for obj in _objects(root))


def bench_book_size() -> list[Result]:
    from futu.common.utils import parse_rsp
    from futu.quote.quote_query import OrderBookQuery

    frame = frame_bytes(1000, 0)
    ours = order_book_from_s2c(decode_proto(Qot_GetOrderBook_pb2.Response, decode_frame(frame).body).s2c)
    peer = OrderBookQuery.unpack_rsp(parse_rsp(frame, 0, False).rsp_pb)
    ours_size, peer_size = deep_size(ours), deep_size(peer)
    decimals = {id(d): d for side in (ours.bids, ours.asks) for level in side for d in (level.price, level.size)}
    read_size = ours_size + sum(map(sys.getsizeof, decimals.values()))  # the Decimals now kept (shared)
    return [
        Result(
            f"(m2) 1000-level book, bytes: ours {ours_size:,}, futu-api {peer_size:,}",
            "OrderBook (text, no Decimal read)",
            "futu-api unpack_rsp dict",
            peer_size / ours_size,
            None,
        ),
        Result(
            f"(m2) 1000-level book, bytes: ours {read_size:,} after every price and size read, futu-api {peer_size:,}",
            "OrderBook (text + cached Decimals)",
            "futu-api unpack_rsp dict",
            peer_size / read_size,
            None,
        ),
    ]


STREAM_PUSHES = 200_000
QUICK_STREAM_PUSHES = 5_000


def bench_depth_stream(pushes: int = STREAM_PUSHES) -> list[Result]:
    from bench.e2e import stream_rss_growth

    return [
        Result(
            f"(m1) {pushes:,} OpenD pushes through depth_stream from a local server: RSS growth after 10%",
            "OpenDClient.depth_stream, best bid/ask read",
            "(none: flat is the target)",
            stream_rss_growth(pushes),
            None,
            " MB",
        )
    ]


def run(quick: bool = False) -> list[Result]:
    return (
        bench_book_size()
        + bench_stream(QUICK_PUSHES if quick else PUSHES)
        + bench_depth_stream(QUICK_STREAM_PUSHES if quick else STREAM_PUSHES)
    )
