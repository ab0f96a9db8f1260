"""The CLI's way into the admin GraphQL API, over HTTP like any partner back end."""

from __future__ import annotations

from typing import Any

import httpx


class AdminCallError(Exception):
    """The call failed; `problems` says why, one line each."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


def call(endpoint: str, token: str, query: str, variables: dict[str, Any]) -> dict[str, Any]:
    response = httpx.post(endpoint, json={"query": query, "variables": variables},
                          headers={"Authorization": f"Bearer {token}"}, timeout=60)
    if response.status_code != 200:
        raise AdminCallError([f"HTTP {response.status_code}: {response.text[:500]}"])
    body: dict[str, Any] = response.json()
    if body.get("errors"):
        raise AdminCallError([e.get("message", str(e)) for e in body["errors"]])
    return body["data"]
