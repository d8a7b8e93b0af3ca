"""Infoway market depth over REST (`batch_depth`) and the WebSocket depth stream.

    async with InfowayClient(InfowayCredentials.from_env()) as client:
        books = await client.order_books("stock", ["00700.HK", "AAPL.US"])
        async with client.depth_stream("crypto", ["BTCUSDT", "ETHUSDT"]) as stream:
            async for item in stream:          # OrderBook, or a Gap / DecodeFailure event
                ...

The thin I/O layer: requests go through `venuewire.transport.Http`, streams are
`venuewire.transport.WsStream`s driven by the pure `InfowayDepthProtocol`; checks, paths,
reply interpretation and normalization are pure functions in `rest`, `protocol`, `book`.
Arguments are checked before anything is sent (ValueError naming the argument). The API key
never appears in a repr, a log line or an exception text.

Notes on `WsStream` (venuewire.transport), worked around in `InfowayDepthStream` until the
shared layer changes: it ends a stream on any failure of its first connection (also one
that fails long after it was made), reuses the first outage's start and reason for every
later Gap, reports a refused handshake as a retryable ConnectionLost, and puts aiohttp's
exception text, which holds the URL with its query (here: the API key), into its errors
and logs.
"""

from __future__ import annotations

import logging
import re
import weakref
from collections.abc import Sequence
from types import TracebackType
from urllib.parse import quote

from venuewire.credentials import InfowayCredentials
from venuewire.errors import AuthError, ConnectionLost, Timeout, VenueError
from venuewire.generated.infoway.batch_depth_response import BatchDepthResponse
from venuewire.generated.registry import REST_INFOWAY_BATCH_DEPTH, WS_INFOWAY_DEPTH
from venuewire.infoway.book import VENUE, order_books_from_response
from venuewire.infoway.protocol import HEARTBEAT_INTERVAL_S, IDLE_TIMEOUT_S, InfowayDepthProtocol, send_limiter
from venuewire.infoway.rest import batch_depth_path, batch_depth_result
from venuewire.models import OrderBook
from venuewire.signing import infoway_headers
from venuewire.transport import Http, RateLimiter, WsStream, positive_seconds

__all__ = ["InfowayClient", "InfowayDepthStream"]

log = logging.getLogger("venuewire.infoway")
_KEY_IN_QUERY = re.compile(r"(?i)(apikey=)[^&'\"\s]*")


class InfowayDepthStream(WsStream[OrderBook]):
    """A `WsStream` of Infoway depth books (see `WsStream` for reconnects, `Gap` and
    `DecodeFailure` events, and slow-consumer drops in `dropped`).

    On top of it (workarounds for `WsStream`, see the module notes):
    - an HTTP 401/403 at the WebSocket handshake is an `AuthError`, raised by the first
      connection; on a reconnect it ends the stream (ConnectionLost naming it) instead of
      retrying a refused key;
    - the API key is removed from every error text (aiohttp puts the URL, query included,
      into its handshake errors);
    - a first connection that was made and is later lost (idle timeout, network error)
      reconnects with a Gap like any later one; only a first connection that cannot be made
      raises from the iterator;
    - each Gap starts when its own outage started and names its own reason.

    `depth` is the protocol, with its counters (`depth.stats`) and the error frames the
    venue sent (`depth.errors`).
    """

    def __init__(
        self,
        protocol: InfowayDepthProtocol,
        credentials: InfowayCredentials,
        *,
        buffer: int = 1024,
        reconnect: bool = True,
        backoff_initial: float = 0.1,
        backoff_max: float = 10.0,
        connect_timeout: float = 10.0,
        idle_timeout: float | None = IDLE_TIMEOUT_S,
        send_limiter: RateLimiter | None = None,
    ) -> None:
        super().__init__(
            protocol,
            buffer=buffer,
            reconnect=reconnect,
            backoff_initial=backoff_initial,
            backoff_max=backoff_max,
            connect_timeout=connect_timeout,
            idle_timeout=idle_timeout,
            send_limiter=send_limiter,
        )
        self.depth = protocol
        self._credentials = credentials

    def __repr__(self) -> str:
        return f"InfowayDepthStream({self.depth!r}, stats={self.stats!r})"

    def _scrub(self, text: str) -> str:
        key = self._credentials.api_key.reveal()
        for secret in (key, quote(key, safe="")):
            text = text.replace(secret, "***")
        return _KEY_IN_QUERY.sub(r"\1***", text)

    async def _connect_and_read(self) -> None:
        # Defence in depth: whatever an error text says, the API key never leaves in it.
        try:
            await super()._connect_and_read()
        except (AuthError, ConnectionLost, Timeout) as exc:
            raise type(exc)(exc.venue, self._scrub(exc.message), exc.code) from None
        except VenueError as exc:
            raise ConnectionLost(exc.venue, self._scrub(exc.message), exc.code) from None


class InfowayClient:
    """Infoway REST batch depth and WebSocket depth streams for one API key.

    `base_url` / `ws_url` default to the venue's (the registry's) and may point at
    `venuewire.sim.infoway`. `timeout` (s) bounds every request and every WebSocket connect.
    `limiter` (optional) paces REST requests on our side (the venue's per-key limit depends on
    the plan and is not in the registry). Use as `async with`; `close()` also ends every
    stream made by `depth_stream`.
    """

    def __init__(
        self,
        credentials: InfowayCredentials,
        base_url: str = REST_INFOWAY_BATCH_DEPTH.base_url,
        ws_url: str = WS_INFOWAY_DEPTH.url,
        *,
        timeout: float = 10.0,
        limiter: RateLimiter | None = None,
    ) -> None:
        if not isinstance(credentials, InfowayCredentials):
            raise TypeError("credentials must be InfowayCredentials")
        for name, url in (("base_url", base_url), ("ws_url", ws_url)):
            if not isinstance(url, str) or "://" not in url:
                raise ValueError(f"{name} must be an absolute URL, got {url!r}")
        self.timeout = positive_seconds("timeout", timeout)
        self.base_url = base_url.rstrip("/")
        self.ws_url = ws_url
        self._credentials = credentials
        self._http = Http(VENUE, self.base_url, timeout=self.timeout, limiter=limiter)
        self._streams: weakref.WeakSet[InfowayDepthStream] = weakref.WeakSet()

    def __repr__(self) -> str:
        return f"InfowayClient(base_url={self.base_url!r}, ws_url={self.ws_url!r}, credentials={self._credentials!r})"

    async def __aenter__(self) -> InfowayClient:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.close()

    async def close(self) -> None:
        """Close the HTTP session and every stream this client made."""
        for stream in list(self._streams):
            await stream.aclose()
        await self._http.close()

    # -- REST ----------------------------------------------------------------------------------
    async def batch_depth(self, market: str, codes: Sequence[str]) -> BatchDepthResponse:
        """`GET /{market}/batch_depth/{codes}` as the typed reply (prices and volumes Decimal).

        `market`: one of the registry's markets (stock, crypto, common, japan, india, korea,
        taiwan); `codes`: 1 to 100 product codes (`00700.HK`, `AAPL.US`, `BTCUSDT`), checked
        before sending (ValueError). Raises AuthError (HTTP 401, ret 509/514), RateLimited
        (HTTP 429, a `{"detail":...}` body, ret 501/502), InvalidRequest / NotFound (other
        `ret` codes), Timeout, ConnectionLost, DecodeError.
        """
        path = batch_depth_path(market, codes)
        reply = await self._http.request(
            REST_INFOWAY_BATCH_DEPTH.method, path, headers=infoway_headers(self._credentials)
        )
        return batch_depth_result(reply.status, reply.headers, reply.body)

    async def order_books(self, market: str, codes: Sequence[str]) -> list[OrderBook]:
        """`batch_depth` normalized: one `OrderBook` per snapshot the venue returned, in its
        order (codes without data are absent). Same arguments and errors as `batch_depth`."""
        return order_books_from_response(await self.batch_depth(market, codes))

    # -- WebSocket -----------------------------------------------------------------------------
    def depth_stream(
        self,
        market: str,
        codes: Sequence[str],
        *,
        buffer: int = 1024,
        reconnect: bool = True,
        heartbeat_interval: float = HEARTBEAT_INTERVAL_S,
        idle_timeout: float = IDLE_TIMEOUT_S,
        backoff_initial: float = 0.1,
        backoff_max: float = 10.0,
        frame_window_s: float = 60.0,
    ) -> InfowayDepthStream:
        """A reconnecting stream of depth books for `codes` on the `market` channel.

        One subscribe frame carries every code; a heartbeat goes every `heartbeat_interval`
        s (registry: 30); nothing received for `idle_timeout` s (registry: 60) counts as a
        lost connection. Sends never exceed the venue's 60 frames per minute per connection
        (`frame_window_s` is that minute; only tests shorten it). Items are `OrderBook`s,
        `Gap`s after reconnects and `DecodeFailure`s for frames that do not decode. Checks
        the arguments now (ValueError); connects on the first `anext`.
        """
        protocol = InfowayDepthProtocol(
            self._credentials, market, codes, base_url=self.ws_url, heartbeat_interval=heartbeat_interval
        )
        stream = InfowayDepthStream(
            protocol,
            self._credentials,
            buffer=buffer,
            reconnect=reconnect,
            backoff_initial=positive_seconds("backoff_initial", backoff_initial),
            backoff_max=positive_seconds("backoff_max", backoff_max),
            connect_timeout=self.timeout,
            idle_timeout=positive_seconds("idle_timeout", idle_timeout),
            send_limiter=send_limiter(positive_seconds("frame_window_s", frame_window_s)),
        )
        self._streams.add(stream)
        return stream
