"""Published operation manifests as items: one per version (names and hashes), one per
document (by hash, shared by the versions that list it), and the allowlist setting."""

from __future__ import annotations

from typing import Any

from kado.domain.operations import Manifest
from kado.store.kernel import codec, transact
from kado.store.kernel import item_keys as keys
from kado.store.kernel.client import dynamodb, table
from kado.store.kernel.reads import get_one, partition_items

MAX_PARTS = 100  # one transaction's items


def publish(program: str, manifest: Manifest, actor: str, at: str) -> None:
    """The manifest, once per version (a version is never rewritten: an app build that
    shipped with it must keep running), and every document it lists."""
    manifest_item = {**keys.operation_manifest(program, manifest.version), **codec.dump({
        "type": "OPERATION_MANIFEST", "version": manifest.version, "publishedAt": at,
        "by": actor, "operations": [{"name": op.name, "hash": op.hash}
                                    for op in manifest.operations]})}
    transact.write({"manifest": transact.put(manifest_item, "attribute_not_exists(pk)")})
    for op in manifest.operations:  # documents are content-addressed: writing one twice is
        dynamodb().put_item(TableName=table(), Item={  # harmless
            **keys.operation_document(program, op.hash),
            **codec.dump({"type": "OPERATION_DOCUMENT", "name": op.name,
                          "document": op.document})})


def manifest(program: str, version: str) -> dict[str, Any] | None:
    return get_one(keys.operation_manifest(program, version))


def document(program: str, digest: str) -> str | None:
    item = get_one(keys.operation_document(program, digest), consistent=False)
    return str(item["document"]) if item else None


def set_allowlist(program: str, version: str | None, actor: str, at: str) -> None:
    """Enforce manifest `version` (None: turn the allowlist off)."""
    dynamodb().put_item(TableName=table(), Item={
        **keys.operation_allowlist(program),
        **codec.dump({"type": "OPERATION_ALLOWLIST", "version": version, "by": actor,
                      "at": at})})


def allowlist(program: str) -> dict[str, Any] | None:
    return get_one(keys.operation_allowlist(program))


def manifests(program: str) -> list[dict[str, Any]]:
    return partition_items(keys.operations(program), "MANIFEST#", consistent=False)
