"""The part every toy WebSocket protocol of the transport tests shares: a venue name, the URL
it connects to and the frame it opens with. Subclasses define `receive`."""

from __future__ import annotations


class ToyProtocol:
    venue = "test"

    def __init__(self, url: str) -> None:
        self._url = url

    def url(self) -> str:
        return self._url

    def opening(self) -> list[str | bytes]:
        return ["start"]
