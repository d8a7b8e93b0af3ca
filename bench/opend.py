"""OpenD benchmarks (issue targets in brackets):
(a) Qot_GetOrderBook response frame -> typed message, vs futu-api's parse_rsp + unpack_rsp
    on the same bytes [>= 10x]; -> normalized OrderBook (`order_book_from_body`: levels read
    straight from the bytes, exact texts, Decimal on read) vs the same peer path [>= 3x];
(b) get_order_book round trips per second against one local simulator, our client vs the
    official OpenQuoteContext: one at a time [>= 2x], 64 in flight [>= 10x];
(c) frame decoding throughput on a 1 MB stream of frames vs hashlib.sha1 alone [>= 0.5].
"""

from __future__ import annotations

import asyncio
import hashlib
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

from bench.harness import Result, compare
from venuewire.generated.futu import Qot_GetOrderBook_pb2
from venuewire.generated.registry import OpenDProtoID
from venuewire.messages import decode_proto, encode_proto
from venuewire.opend.book import order_book_from_body, order_book_from_s2c
from venuewire.opend.frame import FrameDecoder, decode_frame, encode_frame


def order_book_response(levels: int, details: int) -> Qot_GetOrderBook_pb2.Response:
    response = Qot_GetOrderBook_pb2.Response(retType=0, retMsg="", errCode=0)
    s2c = response.s2c
    s2c.security.market, s2c.security.code = 1, "00700"
    s2c.name = "TENCENT"
    s2c.svrRecvTimeBid = s2c.svrRecvTimeAsk = "2025-04-07 09:30:00.120"
    s2c.svrRecvTimeBidTimestamp = s2c.svrRecvTimeAskTimestamp = 1744018200.12
    for side, sign in ((s2c.orderBookAskList, 1), (s2c.orderBookBidList, -1)):
        for i in range(levels):
            level = side.add(price=600.0 + sign * (0.5 + i * 0.2), volume=100 * (i + 1), orederCount=i % 50 + 1)
            for d in range(details):
                level.detailList.add(orderID=10_000_000 + i * 10 + d, volume=100)
    return response


def frame_bytes(levels: int, details: int) -> bytes:
    body = encode_proto(order_book_response(levels, details))
    return encode_frame(OpenDProtoID.Qot_GetOrderBook, 7, body)


def bench_decode() -> list[Result]:
    from futu.common.utils import parse_rsp
    from futu.quote.quote_query import OrderBookQuery

    results = []
    for levels, details in ((10, 0), (1000, 0), (1000, 5)):
        data = frame_bytes(levels, details)
        informational = details > 0

        def typed_fast(data: bytes = data) -> object:
            return decode_proto(Qot_GetOrderBook_pb2.Response, decode_frame(data).body, check_required=False)

        def typed_checked(data: bytes = data) -> object:
            return decode_proto(Qot_GetOrderBook_pb2.Response, decode_frame(data).body)

        def book(data: bytes = data) -> object:
            return order_book_from_body(decode_frame(data).body, Qot_GetOrderBook_pb2.Response)

        def book_via_message(data: bytes = data) -> object:
            return order_book_from_s2c(decode_proto(Qot_GetOrderBook_pb2.Response, decode_frame(data).body).s2c)

        def peer(data: bytes = data) -> object:
            return OrderBookQuery.unpack_rsp(parse_rsp(data, 0, False).rsp_pb)

        label = f"{levels}-level" + (f" x {details} order details" if details else "")
        peer_name = "futu-api parse_rsp + unpack_rsp"
        results += [
            Result(
                f"(a) {label} frame -> typed message",
                "decode_frame + decode_proto(check_required=False)",
                peer_name,
                compare(typed_fast, peer),
                None if informational else 10,
            ),
            Result(
                f"(a) {label} frame -> typed, required fields checked",
                "decode_frame + decode_proto",
                peer_name,
                compare(typed_checked, peer),
                None,
            ),
            Result(
                f"(a) {label} frame -> normalized OrderBook",
                "decode_frame + order_book_from_body (exact text, Decimal on read)",
                peer_name,
                compare(book, peer),
                3,
            ),
            Result(
                f"(a) {label} frame -> typed message -> normalized OrderBook",
                "decode_frame + decode_proto + order_book_from_s2c",
                peer_name,
                compare(book_via_message, peer),
                None,
            ),
        ]
    return results


def bench_frame_throughput() -> list[Result]:
    results = []
    for levels, label in ((10, "10-level"), (1000, "1000-level")):
        frame = frame_bytes(levels, 0)
        stream = frame * max(1, (1 << 20) // len(frame))
        chunks = [stream[k : k + 65536] for k in range(0, len(stream), 65536)]

        def ours(chunks: list[bytes] = chunks) -> object:
            decoder = FrameDecoder()
            return sum(len(decoder.frames(chunk)) for chunk in chunks)

        def sha1_only(stream: bytes = stream) -> object:
            return hashlib.sha1(stream).digest()

        # ratio = time(SHA-1 of the whole MB) / time(decoding it): the share of SHA-1 speed kept
        results.append(
            Result(
                f"(c) 1 MB of {label} book frames ({len(frame)} B each), decode",
                "FrameDecoder.frames",
                "hashlib.sha1 over the same bytes",
                compare(ours, sha1_only),
                0.5,
            )
        )
    return results


def small_frames(count: int = 2000) -> list[bytes]:
    """`count` small OpenD frames: 1-level order book pushes (about 100 B each)."""
    return [frame_bytes(1, 0)] * count


def bench_small_frames() -> list[Result]:
    frames = small_frames()
    size = len(frames[0])
    bodies = [decode_frame(frame).body for frame in frames]
    stream = b"".join(frames)

    def ours() -> object:  # the same loop shape as the floor's: a comprehension, bound method
        decode = FrameDecoder().frames
        return [decode(frame) for frame in frames]

    def sha1_per_frame() -> object:
        sha1 = hashlib.sha1
        return [sha1(body).digest() for body in bodies]

    def sha1_once() -> object:
        return hashlib.sha1(stream).digest()

    return [
        Result(
            f"(c) {len(frames)} small frames ({size} B each), decode",
            "FrameDecoder.frames, one frame a call",
            "floor: hashlib.sha1(body).digest() per frame",
            compare(ours, sha1_per_frame),
            0.8,
        ),
        Result(
            f"(c) {len(frames)} small frames ({size} B each), decode",
            "FrameDecoder.frames, one frame a call",
            "one hashlib.sha1 over all the bytes",
            compare(ours, sha1_once),
            None,
        ),
    ]


def start_simulator() -> tuple[subprocess.Popen[str], int]:
    """`venuewire sim opend --port 0` in its own process, as a real OpenD would be."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "venuewire", "sim", "futu", "--port", "0", "--push-interval", "3600"],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    line = proc.stdout.readline().strip()
    if not line.startswith("listening on "):
        proc.kill()
        raise RuntimeError(f"simulator did not start: {line!r}")
    return proc, int(line.rsplit(":", 1)[1])


def bench_round_trips(requests_single: int = 500, requests_parallel: int = 4000) -> list[Result]:
    from futu import RET_OK, OpenQuoteContext, SubType

    from bench.e2e import quiet_futu
    from venuewire.opend.client import OpenDClient

    quiet_futu()
    results: dict[str, float] = {}
    proc, port = start_simulator()
    try:

        async def ours() -> None:
            async with OpenDClient(host="127.0.0.1", port=port) as client:
                await client.subscribe(["HK.00700"], push=False)
                await client.get_order_book("HK.00700", num=10)
                start = time.perf_counter()
                for _ in range(requests_single):
                    await client.get_order_book("HK.00700", num=10)
                results["ours_single"] = requests_single / (time.perf_counter() - start)
                per_worker = requests_parallel // 64

                async def worker() -> None:  # 64 of these keep 64 requests in flight
                    for _ in range(per_worker):
                        await client.get_order_book("HK.00700", num=10)

                start = time.perf_counter()
                await asyncio.gather(*(worker() for _ in range(64)))
                results["ours_parallel"] = per_worker * 64 / (time.perf_counter() - start)

        asyncio.run(ours())

        ctx = OpenQuoteContext(host="127.0.0.1", port=port)
        try:
            ret, _ = ctx.subscribe(["HK.00700"], [SubType.ORDER_BOOK], subscribe_push=False)
            if ret != RET_OK:
                raise RuntimeError("official client could not subscribe")
            start = time.perf_counter()
            for _ in range(requests_single):
                ctx.get_order_book("HK.00700", num=10)
            results["peer_single"] = requests_single / (time.perf_counter() - start)
            per_thread = requests_parallel // 4 // 64

            def thread_worker(_: int) -> None:  # 64 threads, one request in flight each
                for _ in range(per_thread):
                    ctx.get_order_book("HK.00700", num=10)

            with ThreadPoolExecutor(64) as pool:
                start = time.perf_counter()
                list(pool.map(thread_worker, range(64)))
                results["peer_parallel"] = per_thread * 64 / (time.perf_counter() - start)
        finally:
            ctx.close()
    finally:
        proc.terminate()
        proc.wait(10)
    print("(b) round trips/s: " + ", ".join(f"{k} {v:,.0f}" for k, v in sorted(results.items())), file=sys.stderr)
    return [
        Result(
            "(b) get_order_book round trips/s, one at a time",
            "OpenDClient",
            "OpenQuoteContext",
            results["ours_single"] / results["peer_single"],
            2,
        ),
        Result(
            "(b) get_order_book round trips/s, 64 in flight",
            "OpenDClient (asyncio, one connection)",
            "OpenQuoteContext (64 threads)",
            results["ours_parallel"] / results["peer_parallel"],
            10,
        ),
    ]


def run(quick: bool = False) -> list[Result]:
    results = bench_decode()
    results += bench_frame_throughput()
    results += bench_small_frames()
    try:
        results += bench_round_trips(*((100, 640) if quick else ()))
    except ImportError as exc:  # the simulator arrives with the same issue
        print(f"(b) skipped: {exc}", file=sys.stderr)
    return results
