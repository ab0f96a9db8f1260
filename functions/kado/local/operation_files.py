"""`kado operations publish`: an app's operations, from a folder of .graphql files (each
file one operation, sent by the app exactly as written) or from the manifest Apollo's
generate-persisted-query-manifest writes (the bodies the app really sends, after Apollo's
own transforms), published as one version through the admin API."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from graphql import GraphQLError, OperationDefinitionNode, parse

from kado.local import admin_client
from kado.local.admin_client import AdminCallError

PUBLISH = """mutation($i: OperationManifestInput!) { publishOperations(input: $i) {
  manifest { version operations { name hash } } errors { code field message } } }"""
ENFORCE = """mutation($v: String) { enforceOperations(version: $v) {
  versionInForce errors { code field message } } }"""


def read(source: Path) -> list[dict[str, str]]:
    """The operations as {name, document}; refused with the file and the reason."""
    if source.is_dir():
        found = []
        for path in sorted(source.rglob("*.graphql")):
            document = path.read_text(encoding="utf-8")
            found.append({"name": _name(document, path), "document": document})
        if not found:
            raise AdminCallError([f"{source} holds no .graphql file"])
        return found
    try:
        manifest: dict[str, Any] = json.loads(source.read_text(encoding="utf-8"))
        return [{"name": op["name"], "document": op["body"]} for op in manifest["operations"]]
    except (ValueError, KeyError, TypeError):
        raise AdminCallError([f"{source} is neither a folder of .graphql files nor an Apollo "
                              "persisted query manifest (operations: [{name, body}])"]) from None


def _name(document: str, path: Path) -> str:
    try:
        parsed = parse(document)
    except GraphQLError as error:
        raise AdminCallError([f"{path}: {error.message}"]) from None
    named = [d.name.value for d in parsed.definitions
             if isinstance(d, OperationDefinitionNode) and d.name]
    if len(named) != 1:
        raise AdminCallError([f"{path}: one named operation a file (found {len(named)})"])
    return named[0]


def publish(source: Path, version: str, endpoint: str, token: str, enforce: bool
            ) -> dict[str, Any]:
    operations = read(source)
    answer = admin_client.call(endpoint, token, PUBLISH, {"i": {"version": version,
                                                                "operations": operations}})
    result: dict[str, Any] = answer["publishOperations"]
    if result["errors"]:
        raise AdminCallError([f"{e.get('field') or 'manifest'}: {e['message']}"
                              for e in result["errors"]])
    if enforce:
        enforced = admin_client.call(endpoint, token, ENFORCE, {"v": version})
        if enforced["enforceOperations"]["errors"]:
            raise AdminCallError([e["message"] for e in enforced["enforceOperations"]["errors"]])
    return dict(result["manifest"])
