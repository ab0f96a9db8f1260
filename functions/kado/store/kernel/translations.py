"""Translations as items: one per translated thing, one attribute per language, and the
program's default language, all in one partition read by one paged Query."""

from __future__ import annotations

from typing import Any

from kado.store.kernel import codec
from kado.store.kernel import item_keys as keys
from kado.store.kernel.client import dynamodb, table
from kado.store.kernel.reads import partition_items

# An attribute per language, so a translator's write never touches another language.
LANGUAGE_PREFIX = "t_"


def put(program: str, subject: str, subject_id: str, language: str,
        text: dict[str, Any] | None, actor: str, at: str) -> None:
    """Set one language's text of one thing (None removes it)."""
    names = {"#l": LANGUAGE_PREFIX + language, "#s": "subject", "#i": "subjectId",
             "#by": "updatedBy", "#at": "updatedAt"}
    values: dict[str, Any] = {":s": subject, ":i": subject_id, ":by": actor, ":at": at}
    update = "SET #s = :s, #i = :i, #by = :by, #at = :at"
    if text is None:
        update += " REMOVE #l"
    else:
        update += ", #l = :t"
        values[":t"] = text
    dynamodb().update_item(
        TableName=table(), Key=keys.translation(program, subject, subject_id),
        UpdateExpression=update, ExpressionAttributeNames=names,
        ExpressionAttributeValues=codec.dump(values))


def put_default_language(program: str, language: str | None, actor: str, at: str) -> None:
    dynamodb().put_item(TableName=table(), Item={
        **keys.language_setting(program),
        **codec.dump({"language": language, "updatedBy": actor, "updatedAt": at})})


def every_item(program: str) -> list[dict[str, Any]]:
    return partition_items(keys.translations(program), consistent=False)
