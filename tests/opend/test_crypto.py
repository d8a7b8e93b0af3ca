"""OpenD encryption: RSA for InitConnect, AES-CBC or FTAES_ECB after; typed failures."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from venuewire.generated.futu import InitConnect_pb2, KeepAlive_pb2
from venuewire.generated.registry import OpenDProtoID
from venuewire.messages import decode_proto, encode_proto
from venuewire.opend import crypto
from venuewire.opend.frame import ChecksumMismatch, FrameDecoder, UndecryptableBody, encode_frame
from venuewire.opend.protocol import OpenDConnection, Ready, Reply


def official_sample_key() -> Path:
    import futu

    return Path(os.path.dirname(futu.__file__)) / "common" / "conn_key.txt"


@pytest.fixture(scope="module")
def key() -> rsa.RSAPrivateKey:
    return crypto.load_rsa_key(official_sample_key())


@pytest.fixture(scope="module")
def other_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=1024)


AES_KEY = b"0123456789ABCDEF"
IV = b"FEDCBA9876543210"


@pytest.mark.parametrize("size", [0, 1, 99, 100, 101, 250])
def test_rsa_chunks_of_100_become_blocks_of_128(key, size):
    plain = bytes(range(256))[:size] * 1
    wire = crypto.rsa_encrypt(key, plain)
    assert len(wire) == 128 * max(1, -(-size // 100))
    assert crypto.rsa_decrypt(key, wire) == plain


@pytest.mark.parametrize("size", [0, 1, 15, 16, 17, 1000])
def test_aes_cbc_uses_pkcs7_and_the_same_iv_every_time(size):
    plain = b"x" * size
    wire = crypto.aes_cbc_encrypt(AES_KEY, IV, plain)
    assert len(wire) == 16 * (size // 16 + 1)
    assert wire == crypto.aes_cbc_encrypt(AES_KEY, IV, plain)
    assert crypto.aes_cbc_decrypt(AES_KEY, IV, wire) == plain


@pytest.mark.parametrize("size", [0, 1, 15, 16, 17, 1000])
def test_ftaes_ecb_zero_pads_and_appends_the_tail_trailer(size):
    plain = b"y" * size
    wire = crypto.ftaes_ecb_encrypt(AES_KEY, plain)
    assert len(wire) == -(-size // 16) * 16 + 16
    assert wire[-1] == size % 16
    assert crypto.ftaes_ecb_decrypt(AES_KEY, wire) == plain


def test_wrong_rsa_key_is_caught_by_the_frame_checksum(key, other_key):
    # OpenSSL's PKCS#1 v1.5 "implicit rejection" turns a wrong-key decryption into random
    # bytes instead of an error, so the frame's SHA-1 of the plaintext is what catches it.
    # Where the OpenSSL build refuses instead (seen on Python 3.12 in the matrix), the same
    # frame is an UndecryptableBody: a typed frame error either way, never garbage accepted.
    frame = encode_frame(OpenDProtoID.InitConnect, 1, b"secret", encrypt=crypto.SessionCipher(key).encrypt)
    with pytest.raises((ChecksumMismatch, UndecryptableBody)):
        FrameDecoder(decrypt=crypto.SessionCipher(other_key).decrypt).frames(frame)
    with pytest.raises(crypto.CryptoError, match="blocks"):
        crypto.rsa_decrypt(key, b"x" * 100)


def test_wrong_aes_key_or_corrupted_body_is_a_crypto_error_not_garbage():
    wire = crypto.aes_cbc_encrypt(AES_KEY, IV, b"hello world")
    with pytest.raises(crypto.CryptoError):
        crypto.aes_cbc_decrypt(b"X" * 16, IV, wire)
    with pytest.raises(crypto.CryptoError):
        crypto.aes_cbc_decrypt(AES_KEY, IV, wire[:-1])
    ecb = crypto.ftaes_ecb_encrypt(AES_KEY, b"hello world")
    with pytest.raises(crypto.CryptoError):
        crypto.ftaes_ecb_decrypt(b"X" * 16, ecb)
    with pytest.raises(crypto.CryptoError):
        crypto.ftaes_ecb_decrypt(AES_KEY, ecb[:-1] + b"\x20")


def test_a_frame_under_the_wrong_key_fails_as_a_frame_error():
    sender = crypto.SessionCipher(rsa_key=None)
    frame = encode_frame(3012, 1, b"body", encrypt=lambda pid, b: crypto.aes_cbc_encrypt(AES_KEY, IV, b))
    receiver = crypto.SessionCipher(rsa_key=rsa.generate_private_key(public_exponent=65537, key_size=1024))
    receiver.set_aes("ZZZZZZZZZZZZZZZZ", IV.decode())
    assert not sender.enabled
    with pytest.raises(UndecryptableBody):
        FrameDecoder(decrypt=receiver.decrypt).frames(frame)


def test_key_files_are_checked(tmp_path):
    with pytest.raises(crypto.CryptoError, match="not an unencrypted PEM"):
        crypto.load_rsa_key(_write(tmp_path / "junk.pem", b"not a key"))
    big = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = big.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL, serialization.NoEncryption()
    )
    with pytest.raises(crypto.CryptoError, match="2048 bits"):
        crypto.load_rsa_key(_write(tmp_path / "big.pem", pem))


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def test_aes_before_init_connect_is_refused(key):
    cipher = crypto.SessionCipher(rsa_key=key)
    with pytest.raises(crypto.CryptoError, match="before InitConnect"):
        cipher.encrypt(OpenDProtoID.KeepAlive, b"x")


@pytest.mark.parametrize("iv", [IV.decode(), None], ids=["cbc", "ftaes_ecb"])
def test_encrypted_handshake_then_aes_session(key, iv):
    client = OpenDConnection(crypto.SessionCipher(rsa_key=key))
    server = crypto.SessionCipher(rsa_key=key)
    hello = client.initiate()
    (frame,) = FrameDecoder(decrypt=server.decrypt).frames(hello)
    assert decode_proto(InitConnect_pb2.Request, frame.body).c2s.packetEncAlgo == 2
    s2c = InitConnect_pb2.S2C(serverVer=1, loginUserID=1, connID=5, connAESKey=AES_KEY.decode(), keepAliveInterval=10)
    if iv:
        s2c.aesCBCiv = iv
    reply = encode_proto(InitConnect_pb2.Response(retType=0, s2c=s2c))
    events = client.receive_data(encode_frame(OpenDProtoID.InitConnect, frame.serial_no, reply, encrypt=server.encrypt))
    assert isinstance(events[0], Ready)
    server.set_aes(AES_KEY.decode(), iv)
    serial, request = client.send(OpenDProtoID.KeepAlive, KeepAlive_pb2.Request(c2s=KeepAlive_pb2.C2S(time=3)))
    (frame,) = FrameDecoder(decrypt=server.decrypt).frames(request)
    assert decode_proto(KeepAlive_pb2.Request, frame.body).c2s.time == 3
    answer = encode_proto(KeepAlive_pb2.Response(retType=0, s2c=KeepAlive_pb2.S2C(time=4)))
    (event,) = client.receive_data(encode_frame(OpenDProtoID.KeepAlive, serial, answer, encrypt=server.encrypt))
    assert isinstance(event, Reply)
    assert decode_proto(KeepAlive_pb2.Response, event.body).s2c.time == 4
