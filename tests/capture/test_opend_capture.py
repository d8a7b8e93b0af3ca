"""OpenD sessions recorded against the simulator, plain and encrypted (RSA + AES-CBC, RSA +
FTAES_ECB): one `opend` record per whole frame, the 44-byte header as it crossed the wire and
the body in the clear (it decodes as the protoID's message), and neither the AES key and IV,
the RSA key nor the trade password (or its MD5) anywhere in the file."""

from __future__ import annotations

import asyncio
import hashlib
import importlib.util
from pathlib import Path

import pytest

from venuewire import OpenDClient, SubType
from venuewire.capture import Record
from venuewire.credentials import Secret
from venuewire.generated.futu import InitConnect_pb2, Qot_GetOrderBook_pb2, Qot_Sub_pb2, Trd_UnlockTrade_pb2
from venuewire.generated.registry import OPEND, OpenDProtoID
from venuewire.opend import OpenDTrade
from venuewire.opend.frame import HEADER
from venuewire.sim.opend import OpenDSimulator

from ._support import assert_no_secrets, only

pytestmark = pytest.mark.timeout(30)

PASSWORD = "capture-trade-pw-42"
MD5 = hashlib.md5(PASSWORD.encode(), usedforsecurity=False).hexdigest()


def sample_key() -> Path:
    """futu-api's sample RSA key, found without importing futu (which pulls in pandas)."""
    spec = importlib.util.find_spec("futu")
    assert spec is not None and spec.origin is not None, "futu-api is a test dependency"
    return Path(spec.origin).parent / "common" / "conn_key.txt"


def key_lines() -> list[str]:
    """The base64 lines of the RSA key's PEM (each a piece of the key)."""
    text = sample_key().read_text()
    return [line for line in text.splitlines() if line and not line.startswith("-----")]


def split(record: Record) -> tuple[tuple[object, ...], bytes]:
    header = HEADER.unpack_from(record.data, 0)
    return header, record.data[OPEND.header_size :]


async def _session(path: Path, **sim_options: object) -> tuple[bytes | None, bytes | None]:
    """Connect, subscribe, read a book, unlock trading; the AES key and IV the client used."""
    sim = OpenDSimulator(host="127.0.0.1", port=0, trade_password=PASSWORD, push_interval=0.05, **sim_options)  # type: ignore[arg-type]
    async with sim:
        rsa = sample_key() if "rsa_key_path" in sim_options else None
        async with OpenDClient(host="127.0.0.1", port=sim.port, rsa_key_path=rsa, capture=path) as client:
            await asyncio.wait_for(client.subscribe(["HK.00700"], sub_types=[SubType.OrderBook], push=False), 10)
            await asyncio.wait_for(client.get_order_book("HK.00700", num=5), 10)
            await asyncio.wait_for(OpenDTrade(client, env="real").unlock(Secret(PASSWORD)), 10)
            assert client._conn is not None
            cipher = client._conn.cipher
            return cipher.aes_key, cipher.cbc_iv


@pytest.mark.parametrize("mode", ["plain", "cbc", "ecb"])
async def test_an_opend_session_is_recorded_frame_by_frame_in_the_clear(tmp_path: Path, mode: str) -> None:
    path = tmp_path / f"opend-{mode}.jsonl"
    options: dict[str, object] = {} if mode == "plain" else {"rsa_key_path": sample_key(), "aes_mode": mode}
    key, iv = await _session(path, **options)
    assert (key is None) == (mode == "plain")
    secrets: list[str | bytes] = [PASSWORD, MD5, *key_lines()]
    secrets += [s for s in (key, iv) if s]
    capture = assert_no_secrets(path, *secrets)
    records = only(capture, "futu")
    assert records[0].transport == "open" and records[0].meta["url"].startswith("tcp://127.0.0.1:")
    assert records[-1].transport == "close" and records[-1].meta["reason"] == "client closed"
    frames = [r for r in records if r.transport == "opend"]
    assert len({r.conn for r in records}) == 1
    ids = [(r.direction, r.meta["proto_id"]) for r in frames if r.meta["proto_id"] != OpenDProtoID.KeepAlive]
    expected = [
        ("out", OpenDProtoID.InitConnect),
        ("in", OpenDProtoID.InitConnect),
        ("out", OpenDProtoID.Qot_Sub),
        ("in", OpenDProtoID.Qot_Sub),
        ("out", OpenDProtoID.Qot_GetOrderBook),
        ("in", OpenDProtoID.Qot_GetOrderBook),
    ]
    assert ids[: len(expected)] == expected
    assert OpenDProtoID.Trd_UnlockTrade in [r.meta["proto_id"] for r in frames]
    for record in frames:
        (magic, proto_id, _fmt, _ver, serial, wire_len, digest, _reserved), body = split(record)
        assert magic == OPEND.magic.encode("ascii")
        assert (proto_id, serial) == (record.meta["proto_id"], record.meta["serial"])
        if proto_id == OpenDProtoID.Qot_GetOrderBook:  # no secret in it: the header's SHA-1 is the body's
            assert digest == hashlib.sha1(body).digest()
            if mode == "plain":
                assert wire_len == len(body)
            else:  # the header says how long the encrypted body was on the wire
                assert wire_len % 16 == 0 and wire_len >= len(body)
    classes = {
        OpenDProtoID.InitConnect: (InitConnect_pb2.Request, InitConnect_pb2.Response),
        OpenDProtoID.Qot_Sub: (Qot_Sub_pb2.Request, Qot_Sub_pb2.Response),
        OpenDProtoID.Qot_GetOrderBook: (Qot_GetOrderBook_pb2.Request, Qot_GetOrderBook_pb2.Response),
        OpenDProtoID.Trd_UnlockTrade: (Trd_UnlockTrade_pb2.Request, Trd_UnlockTrade_pb2.Response),
    }
    decoded: dict[tuple[str, int], object] = {}
    for record in frames:
        if record.meta["proto_id"] in classes:
            request, response = classes[record.meta["proto_id"]]
            message = (request if record.direction == "out" else response)()
            message.ParseFromString(split(record)[1])  # the body in the clear, still a valid message
            decoded.setdefault((record.direction, record.meta["proto_id"]), message)
    init_reply = decoded["in", OpenDProtoID.InitConnect]
    assert isinstance(init_reply, InitConnect_pb2.Response) and init_reply.retType == 0
    assert init_reply.s2c.connAESKey == "[redacted]"
    book = decoded["in", OpenDProtoID.Qot_GetOrderBook]
    assert isinstance(book, Qot_GetOrderBook_pb2.Response) and book.s2c.security.code == "00700"
    unlock = decoded["out", OpenDProtoID.Trd_UnlockTrade]
    assert isinstance(unlock, Trd_UnlockTrade_pb2.Request) and unlock.c2s.pwdMD5 == "[redacted]"
    assert unlock.c2s.unlock
