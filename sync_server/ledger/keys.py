"""The server's Ed25519 signing key: generated on first start under the data directory
(created exclusively, so several processes sharing the directory agree on one key)."""

from __future__ import annotations

import base64
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

KEY_FILE = "ledger-ed25519.pem"


@dataclass(frozen=True)
class Signer:
    """Signs ledger checkpoints as ``origin``; ``key_id`` names the key in notes."""

    private_key: Ed25519PrivateKey
    origin: str

    @property
    def public_raw(self) -> bytes:
        return self.private_key.public_key().public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw
        )

    @property
    def fingerprint(self) -> str:
        return hashlib.sha256(self.public_raw).hexdigest()

    @property
    def key_id(self) -> str:
        return self.fingerprint[:16]

    def sign(self, message: bytes) -> str:
        return base64.b64encode(self.private_key.sign(message)).decode("ascii")


def verify(public_raw: bytes, message: bytes, signature_b64: str) -> bool:
    """True when ``signature_b64`` is a valid Ed25519 signature of ``message``."""
    from cryptography.exceptions import InvalidSignature

    try:
        Ed25519PublicKey.from_public_bytes(public_raw).verify(
            base64.b64decode(signature_b64), message
        )
    except (InvalidSignature, ValueError):
        return False
    return True


def load_or_create_signer(key_dir: Path, origin: str) -> Signer:
    """The signer whose key lives in ``key_dir``; the key is made on first use (mode 0600)."""
    key_dir.mkdir(parents=True, exist_ok=True)
    path = key_dir / KEY_FILE
    if not path.exists():
        pem = Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass  # another process made it first: use theirs
        else:
            with os.fdopen(fd, "wb") as handle:
                handle.write(pem)
                handle.flush()
                os.fsync(handle.fileno())
    return read_signer(key_dir, origin)


def read_signer(key_dir: Path, origin: str) -> Signer:
    """The signer whose key is already in ``key_dir`` (FileNotFoundError when there is none;
    a verifier must never make a new key)."""
    path = key_dir / KEY_FILE
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError(f"{path} does not hold an Ed25519 private key")
    return Signer(private_key=key, origin=origin)
