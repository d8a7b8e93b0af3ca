"""Futu / moomoo OpenD: frame codec, encryption and the asyncio client.

`frame` and `crypto` are pure protocol code (bytes in, bytes out, no I/O); `client`
is the thin asyncio layer around them; `sync` is its synchronous facade
(`venuewire.sync.OpenDClient`).
"""
