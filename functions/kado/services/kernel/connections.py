"""The process's connection to DynamoDB, as a service sees it: dropped after a SnapStart
restore (handlers/restore.py), so the first call opens its own instead of a pooled one
opened before the snapshot."""

from __future__ import annotations

from kado.store.kernel.client import reset_client


def drop() -> None:
    reset_client()
