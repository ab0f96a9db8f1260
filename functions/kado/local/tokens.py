"""Dev JWTs, signed with a key that lives only on this machine (never in the repo)."""

from __future__ import annotations

import secrets
import time
from pathlib import Path
from typing import Any

import jwt

ISSUER = "kado-dev"
AUDIENCE = "kado"
ALGORITHM = "HS256"
KEY_FILE = "dev-signing-key"
DEFAULT_TTL_S = 12 * 3600


def signing_key(data_dir: Path) -> str:
    return machine_secret(data_dir, KEY_FILE)


def machine_secret(data_dir: Path, name: str) -> str:
    """A dev secret under data_dir, created on first use with 256 bits from `secrets`."""
    path = data_dir / name
    if not path.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def mint(key: str, program: str, subject: str, role: str, account: str | None = None,
         ttl_s: int = DEFAULT_TTL_S, venue: str | None = None) -> str:
    now = int(time.time())
    claims: dict[str, Any] = {"iss": ISSUER, "aud": AUDIENCE, "sub": subject,
                              "program": program, "iat": now, "exp": now + ttl_s}
    if role != "member":
        claims["role"] = role
    if account:  # a claim the server ignores (the record decides): for trying exactly that
        claims["account"] = account
    if venue:  # door staff: the venue whose events they check in
        claims["venue"] = venue
    return jwt.encode(claims, key, algorithm=ALGORITHM)


def verify(key: str, token: str) -> dict[str, Any]:
    """Claims of a valid token; raises jwt.PyJWTError for missing, expired or forged ones."""
    claims: dict[str, Any] = jwt.decode(
        token, key, algorithms=[ALGORITHM], audience=AUDIENCE, issuer=ISSUER,
        options={"require": ["exp", "iat", "sub", "iss", "aud"]})
    return claims
