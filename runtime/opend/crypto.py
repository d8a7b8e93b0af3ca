"""OpenD body encryption. Pure: bytes in, bytes out, keys as arguments.

- InitConnect (request AND reply): RSA PKCS#1 v1.5, plaintext cut into 100-byte chunks,
  each giving one 128-byte block (1024-bit key); blocks concatenated. Both ends hold the
  same PKCS#1 PEM private key: the sender encrypts with its public half, the receiver
  decrypts with the private half.
- Every later frame, both ways: AES-128 with the 16 ASCII bytes of connAESKey,
  - AES-CBC when InitConnect's reply carries aesCBCiv: PKCS#7 padding, a fresh cipher per
    body, the same IV every time;
  - otherwise "FTAES_ECB": zero-pad to 16, AES-ECB, then a plain 16-byte trailer whose
    last byte is len(plaintext) % 16.

`SessionCipher` applies the right one per protoID and is what the frame codec calls.
Every detectable failure is a `CryptoError` (a ValueError). A wrong RSA key is not
detectable here (OpenSSL's PKCS#1 v1.5 implicit rejection returns random bytes); the
frame's SHA-1 of the plaintext catches it, so garbage is never passed on.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import padding, serialization
from cryptography.hazmat.primitives.asymmetric import padding as asym_padding
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from venuewire.generated.registry import OPEND, OpenDProtoID

BLOCK = 16


class CryptoError(ValueError):
    """A body could not be encrypted or decrypted (wrong key, corrupted ciphertext), or a
    session key is unusable. `field` names the InitConnect field at fault, when one is.
    The text never holds key material."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


def load_rsa_key(path: str | Path) -> RSAPrivateKey:
    """Read OpenD's RSA key file: a PEM private key (PKCS#1 or PKCS#8), 1024 bits."""
    data = Path(path).read_bytes()
    return rsa_key_from_pem(data, source=str(path))


def rsa_key_from_pem(data: bytes, source: str = "key") -> RSAPrivateKey:
    try:
        key = serialization.load_pem_private_key(data, password=None)
    except (ValueError, TypeError) as exc:
        raise CryptoError(f"{source}: not an unencrypted PEM private key ({exc})") from None
    if not isinstance(key, RSAPrivateKey):
        raise CryptoError(f"{source}: not an RSA private key")
    if key.key_size != OPEND.rsa_key_bits:
        raise CryptoError(f"{source}: RSA key is {key.key_size} bits, OpenD uses {OPEND.rsa_key_bits}")
    return key


def rsa_encrypt(key: RSAPrivateKey, plain: bytes) -> bytes:
    public = key.public_key()
    step = OPEND.rsa_plain_chunk
    chunks = [plain[i : i + step] for i in range(0, len(plain), step)] or [b""]
    return b"".join(public.encrypt(chunk, asym_padding.PKCS1v15()) for chunk in chunks)


def rsa_decrypt(key: RSAPrivateKey, data: bytes) -> bytes:
    block = OPEND.rsa_cipher_block
    if not data or len(data) % block:
        raise CryptoError(f"RSA body of {len(data)} bytes is not a whole number of {block}-byte blocks")
    try:
        return b"".join(key.decrypt(data[i : i + block], asym_padding.PKCS1v15()) for i in range(0, len(data), block))
    except ValueError:
        raise CryptoError("RSA decryption failed: wrong key or corrupted body") from None


def _aes_key(key: bytes) -> bytes:
    if len(key) != OPEND.aes_key_len:
        raise CryptoError(f"connAESKey must be {OPEND.aes_key_len} bytes, got {len(key)}", "connAESKey")
    return key


def aes_cbc_encrypt(key: bytes, iv: bytes, plain: bytes) -> bytes:
    padder = padding.PKCS7(128).padder()
    padded = padder.update(plain) + padder.finalize()
    enc = Cipher(algorithms.AES(_aes_key(key)), modes.CBC(iv)).encryptor()
    return enc.update(padded) + enc.finalize()


def aes_cbc_decrypt(key: bytes, iv: bytes, data: bytes) -> bytes:
    if not data or len(data) % BLOCK:
        raise CryptoError(f"AES-CBC body of {len(data)} bytes is not a whole number of blocks")
    dec = Cipher(algorithms.AES(_aes_key(key)), modes.CBC(iv)).decryptor()
    padded = dec.update(data) + dec.finalize()
    unpadder = padding.PKCS7(128).unpadder()
    try:
        return unpadder.update(padded) + unpadder.finalize()
    except ValueError:
        raise CryptoError("AES-CBC padding is invalid: wrong key or corrupted body") from None


def ftaes_ecb_encrypt(key: bytes, plain: bytes) -> bytes:
    tail = len(plain) % BLOCK
    padded = plain + bytes(BLOCK - tail if tail else 0)
    enc = Cipher(algorithms.AES(_aes_key(key)), modes.ECB()).encryptor()
    trailer = bytes(BLOCK - 1) + bytes([tail])
    return enc.update(padded) + enc.finalize() + trailer


def ftaes_ecb_decrypt(key: bytes, data: bytes) -> bytes:
    if len(data) < BLOCK or len(data) % BLOCK:
        raise CryptoError(f"FTAES_ECB body of {len(data)} bytes is not blocks plus a 16-byte trailer")
    body, trailer = data[:-BLOCK], data[-BLOCK:]
    tail = trailer[-1]
    if tail >= BLOCK or (tail and not body):
        raise CryptoError(f"FTAES_ECB trailer says {tail} tail bytes: corrupted body")
    dec = Cipher(algorithms.AES(_aes_key(key)), modes.ECB()).decryptor()
    plain = dec.update(body) + dec.finalize()
    if tail:
        cut = BLOCK - tail
        if any(plain[-cut:]):
            raise CryptoError("FTAES_ECB zero padding is not zero: wrong key or corrupted body")
        plain = plain[:-cut]
    return plain


@dataclass
class SessionCipher:
    """The encryption state of one OpenD connection, applied per protoID.

    With no RSA key everything is plaintext. With one, InitConnect bodies use RSA and,
    once `set_aes` has recorded connAESKey (and aesCBCiv, for CBC), every other body
    uses AES. Bodies other than InitConnect sent before that are refused.
    """

    rsa_key: RSAPrivateKey | None = None
    aes_key: bytes | None = None
    cbc_iv: bytes | None = None

    @property
    def enabled(self) -> bool:
        return self.rsa_key is not None

    def set_aes(self, conn_aes_key: str, aes_cbc_iv: str | None) -> None:
        """Record InitConnect's connAESKey (and aesCBCiv): 16 ASCII characters each, else
        CryptoError naming the field (and nothing is recorded)."""
        for name, text in (("connAESKey", conn_aes_key), ("aesCBCiv", aes_cbc_iv or "")):
            if not text.isascii():
                raise CryptoError(f"{name} must be ASCII", name)
        key = conn_aes_key.encode("ascii")
        iv = aes_cbc_iv.encode("ascii") if aes_cbc_iv else None
        _aes_key(key)
        if iv is not None and len(iv) != BLOCK:
            raise CryptoError(f"aesCBCiv must be {BLOCK} bytes, got {len(iv)}", "aesCBCiv")
        self.aes_key, self.cbc_iv = key, iv

    def encrypt(self, proto_id: int, plain: bytes) -> bytes:
        return self._cipher(proto_id, plain, rsa_encrypt, aes_cbc_encrypt, ftaes_ecb_encrypt)

    def decrypt(self, proto_id: int, wire: bytes) -> bytes:
        return self._cipher(proto_id, wire, rsa_decrypt, aes_cbc_decrypt, ftaes_ecb_decrypt)

    def _cipher(
        self,
        proto_id: int,
        data: bytes,
        rsa: Callable[[RSAPrivateKey, bytes], bytes],
        cbc: Callable[[bytes, bytes, bytes], bytes],
        ecb: Callable[[bytes, bytes], bytes],
    ) -> bytes:
        """`data` through the cipher the connection uses for `proto_id`: none without an RSA
        key, RSA for InitConnect, then AES (CBC with an agreed IV, else OpenD's ECB)."""
        if self.rsa_key is None:
            return data
        if proto_id == OpenDProtoID.InitConnect:
            return rsa(self.rsa_key, data)
        if self.aes_key is None:
            raise CryptoError(f"protoID {proto_id} before InitConnect agreed an AES key")
        if self.cbc_iv is not None:
            return cbc(self.aes_key, self.cbc_iv, data)
        return ecb(self.aes_key, data)
