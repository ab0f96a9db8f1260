"""Identifiers derived from what names an operation, not drawn at random.

A retried request names the same spin or redemption even if the first response
was lost on the way back.
"""

from __future__ import annotations

import base64
import hashlib


def derived_id(*parts: str) -> str:
    digest = hashlib.sha256(":".join(parts).encode()).digest()
    return base64.b32encode(digest[:15]).decode().lower()
