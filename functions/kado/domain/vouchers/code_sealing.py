"""Keys that keep voucher codes out of the database in clear.

One master secret (Secrets Manager in AWS, a machine-local file in dev) is
stretched with HKDF into:
  - a lookup key per program: the item key of a voucher is
    HMAC-SHA256(program lookup key, normalised code), so the table can find a
    code it cannot read, and the same code in two programs never collides;
  - one AES-256-GCM key that seals the owner's copy of the code. The voucher id
    and program are the associated data, so a sealed code copied onto another
    item does not open.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from functools import cached_property, lru_cache

SEALED_PREFIX = "v1:"
NONCE_BYTES = 12
MIN_MASTER_CHARS = 32


def _derive(master: bytes, purpose: str) -> bytes:
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None,
                info=f"kado/{purpose}".encode()).derive(master)


class CodeKeys:
    def __init__(self, master: str) -> None:
        if len(master) < MIN_MASTER_CHARS:
            raise ValueError(f"the code master key needs at least {MIN_MASTER_CHARS} characters")
        self._master = master.encode()

    @lru_cache(maxsize=64)  # noqa: B019 - one instance per process; programs are few
    def _lookup_key(self, program: str) -> bytes:
        return _derive(self._master, f"code-lookup/v1/{program}")

    def lookup(self, program: str, code: str) -> str:
        return hmac.new(self._lookup_key(program), code.encode(), hashlib.sha256).hexdigest()

    @lru_cache(maxsize=64)  # noqa: B019 - one instance per process; programs are few
    def _pack_key(self, program: str) -> bytes:
        return _derive(self._master, f"pack-lookup/v1/{program}")

    def pack_lookup(self, program: str, code: str) -> str:
        """A pack code's key: its own derivation, so no voucher code finds a pack code."""
        return hmac.new(self._pack_key(program), code.encode(), hashlib.sha256).hexdigest()

    @lru_cache(maxsize=64)  # noqa: B019 - one instance per process; programs are few
    def statement_link_key(self, program: str) -> bytes:
        """Seals the links to a program's statements (domain/statement_links.py)."""
        return _derive(self._master, f"statement-link/v1/{program}")

    @lru_cache(maxsize=64)  # noqa: B019 - one instance per process; programs are few
    def _ticket_key(self, program: str) -> bytes:
        return _derive(self._master, f"event-ticket/v1/{program}")

    def ticket_mac(self, program: str, message: str) -> str:
        """128 bits of HMAC over an event ticket: a QR payload nobody can forge."""
        return hmac.new(self._ticket_key(program), message.encode(),
                        hashlib.sha256).hexdigest()[:32]

    @cached_property
    def _aead(self):
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        return AESGCM(_derive(self._master, "code-seal/v1"))

    def seal(self, program: str, voucher_id: str, code: str) -> str:
        nonce = secrets.token_bytes(NONCE_BYTES)
        sealed = self._aead.encrypt(nonce, code.encode(), _bound_to(program, voucher_id))
        return SEALED_PREFIX + base64.b64encode(nonce + sealed).decode()

    def open(self, program: str, voucher_id: str, sealed: str) -> str:
        if not sealed.startswith(SEALED_PREFIX):
            raise ValueError("unknown sealed-code format")
        raw = base64.b64decode(sealed[len(SEALED_PREFIX):])
        nonce, body = raw[:NONCE_BYTES], raw[NONCE_BYTES:]
        return str(self._aead.decrypt(nonce, body, _bound_to(program, voucher_id)).decode())


def _bound_to(program: str, voucher_id: str) -> bytes:
    return f"{program}\x00{voucher_id}".encode()
