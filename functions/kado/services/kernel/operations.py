"""The operations a program's member API runs when its allowlist is on.

What is in force (the manifest's hashes) is held per instance for the definition TTL:
turning the allowlist on or moving it to a new manifest reaches every instance within
that time (docs/guide/api.md says so), as an IAM change propagates. No balance or prize
rests on it; it narrows what may be asked.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from graphql import GraphQLError, parse

from kado.domain.calendar import iso, utcnow
from kado.domain.errors import DomainError, ErrorCode, ValidationFailed
from kado.domain.operations import Manifest, validate
from kado.services.kernel.ttl_cache import TtlCache
from kado.store.kernel import operations as store


@dataclass(frozen=True)
class InForce:
    version: str | None  # None: the allowlist is off
    hashes: frozenset[str] = frozenset()


def _load(program: str) -> InForce:
    setting = store.allowlist(program) or {}
    version = setting.get("version")
    if not version:
        return InForce(None)
    listed = store.manifest(program, version) or {}
    return InForce(version, frozenset(op["hash"] for op in listed.get("operations", [])))


_in_force: TtlCache[str, InForce] = TtlCache(_load)


_last_known: dict[str, InForce] = {}


def in_force(program: str) -> InForce:
    found = _in_force.get(program) or InForce(None)
    _last_known[program] = found
    return found


def forget(program: str) -> None:
    """As if this instance's copy had run out of time (the next request reads it again)."""
    _in_force.forget(program)


def last_known(program: str) -> InForce:
    """What this instance last read, however long ago (none: the allowlist off)."""
    return _last_known.get(program, InForce(None))


def listed_document(program: str, digest: str) -> str | None:
    """A document of the manifest in force, by its hash (for a hash-only request that this
    instance has not seen yet: the app need not send the document at all)."""
    return store.document(program, digest) if digest in in_force(program).hashes else None


def publish(program: str, manifest: Manifest, actor: str) -> Manifest:
    validate(manifest)
    problems = []
    for i, op in enumerate(manifest.operations):
        try:
            parse(op.document)
        except GraphQLError as error:
            problems.append((f"operations[{i}].document", error.message))
    if problems:
        raise ValidationFailed(problems)
    if store.manifest(program, manifest.version) is not None:
        raise DomainError(ErrorCode.INVALID_INPUT, f"version {manifest.version!r} is already "
                          "published; a shipped app relies on it: publish a new version",
                          "version")
    store.publish(program, manifest, actor, iso(utcnow()))
    return manifest


def enforce(program: str, version: str | None, actor: str) -> str | None:
    """Run only `version`'s operations on the member API (None: any operation)."""
    if version is not None and store.manifest(program, version) is None:
        raise DomainError(ErrorCode.NOT_FOUND, f"no manifest {version!r}", "version")
    store.set_allowlist(program, version, actor, iso(utcnow()))
    _in_force.forget(program)
    return version


def manifests(program: str) -> list[dict[str, Any]]:
    return store.manifests(program)
