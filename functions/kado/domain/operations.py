"""Persisted operations: the GraphQL documents a partner's app is built with, published as
a versioned manifest per program. With the program's allowlist on, the member API runs
only the documents of the manifest in force; anything else is refused before it runs.

A document is known by the SHA-256 of its text (what Apollo's persisted-query link sends),
so the manifest and the app agree without a shared registry of names.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from kado.domain.errors import ValidationFailed

MAX_OPERATIONS = 200  # one app's operations, with room for several screens' worth
MAX_DOCUMENT = 20_000  # characters: the member API's own limit on a request is tighter
_VERSION = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,99}")


def digest(document: str) -> str:
    return hashlib.sha256(document.encode()).hexdigest()


@dataclass(frozen=True)
class Operation:
    name: str
    document: str

    @property
    def hash(self) -> str:
        return digest(self.document)


@dataclass(frozen=True)
class Manifest:
    version: str
    operations: tuple[Operation, ...]

    def hashes(self) -> frozenset[str]:
        return frozenset(op.hash for op in self.operations)


def validate(manifest: Manifest) -> None:
    problems: list[tuple[str, str]] = []
    if not _VERSION.fullmatch(manifest.version):
        problems.append(("version", "1-64 letters, digits, '.', '-' or '_' (your app's "
                                    "build, e.g. 4.2.0)"))
    if not 1 <= len(manifest.operations) <= MAX_OPERATIONS:
        problems.append(("operations", f"1-{MAX_OPERATIONS} operations"))
    names: set[str] = set()
    for i, op in enumerate(manifest.operations):
        if not _NAME.fullmatch(op.name) or op.name in names:
            problems.append((f"operations[{i}].name", "a GraphQL operation name, once"))
        names.add(op.name)
        if not op.document.strip() or len(op.document) > MAX_DOCUMENT:
            problems.append((f"operations[{i}].document", f"1-{MAX_DOCUMENT} characters"))
    if problems:
        raise ValidationFailed(problems)
