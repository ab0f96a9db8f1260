"""Automatic persisted queries, as Apollo's clients speak them (Apollo Client's persisted
query link, Apollo Kotlin, Apollo iOS): a request may carry only the SHA-256 of its
document; a server that does not know the hash answers PersistedQueryNotFound, and the
client sends the document once with its hash, which the server checks and keeps.

Kept per instance, in memory, bounded: another instance that has not seen a document yet
answers PersistedQueryNotFound once, and the client sends it again. Nothing is trusted
from the client: a document is kept only under its own hash.
"""

from __future__ import annotations

import hashlib
import re
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

NOT_FOUND = {"errors": [{"message": "PersistedQueryNotFound",
                         "extensions": {"code": "PERSISTED_QUERY_NOT_FOUND"}}]}
MAX_KEPT = 2_000  # a partner app has tens of operations; a few apps, a few versions each
_HASH = re.compile(r"[0-9a-f]{64}")


class Refused(Exception):
    """The request cannot run as sent: `answer` is what the client is told."""

    def __init__(self, status: int, answer: dict[str, Any]) -> None:
        super().__init__(str(answer))
        self.status, self.answer = status, answer


_kept: OrderedDict[str, str] = OrderedDict()


def resolve(query: str | None, extensions: dict[str, Any] | None,
            listed: Callable[[str], str | None] | None = None) -> str | None:
    """The document to run: the one sent (kept under its hash when the client names one),
    or the one kept under the hash the client sent alone (else the program's manifest's,
    through `listed`)."""
    persisted = (extensions or {}).get("persistedQuery")
    if not isinstance(persisted, dict):
        return query
    wanted = persisted.get("sha256Hash")
    if persisted.get("version") != 1 or not isinstance(wanted, str) or not _HASH.fullmatch(wanted):
        raise Refused(400, _error("persistedQuery needs version 1 and a sha256Hash of 64 hex "
                                  "digits", "PERSISTED_QUERY_INVALID"))
    if query is not None:
        if hashlib.sha256(query.encode()).hexdigest() != wanted:
            raise Refused(400, _error("provided sha does not match query",
                                      "PERSISTED_QUERY_HASH_MISMATCH"))
        _keep(wanted, query)
        return query
    found = _kept.get(wanted)
    if found is None and listed is not None:
        found = listed(wanted)
        if found is not None:
            _keep(wanted, found)
    if found is None:
        raise Refused(200, NOT_FOUND)  # the protocol's cue to send the document
    _kept.move_to_end(wanted)
    return found


def _keep(digest: str, query: str) -> None:
    _kept[digest] = query
    _kept.move_to_end(digest)
    while len(_kept) > MAX_KEPT:
        _kept.popitem(last=False)


def _error(message: str, code: str) -> dict[str, Any]:
    return {"errors": [{"message": message, "extensions": {"code": code}}]}


def forget_all() -> None:
    _kept.clear()
