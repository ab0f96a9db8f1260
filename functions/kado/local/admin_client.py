"""The CLI's way into the admin GraphQL API, over HTTP like any partner back end."""

from __future__ import annotations

from typing import Any

import httpx

ADMIN_PATH = "/admin/graphql"


class AdminCallError(Exception):
    """The call failed; `problems` says why, one line each."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


def admin_url(base: str) -> str:
    """`--endpoint` is the server's base URL in every command (a full GraphQL URL is
    accepted too); one without a scheme is refused with what to type."""
    base = base.rstrip("/")
    if not base.startswith(("http://", "https://")):
        raise AdminCallError([f"--endpoint {base!r} has no scheme: give the server's base URL "
                              f"with it, e.g. http://{base or '127.0.0.1:8000'}"])
    return base if base.endswith("/graphql") else base + ADMIN_PATH


def call(endpoint: str, token: str, query: str, variables: dict[str, Any]) -> dict[str, Any]:
    url = admin_url(endpoint)
    try:
        response = httpx.post(url, json={"query": query, "variables": variables},
                              headers={"Authorization": f"Bearer {token}"}, timeout=60)
    except httpx.TransportError as failure:
        raise AdminCallError([f"cannot reach {url} ({type(failure).__name__}): start the "
                              "server with `kado dev`, or pass --endpoint with its base URL"]
                             ) from None
    if response.status_code in (401, 403):
        raise AdminCallError([f"{url} refused the token ({_why_refused(response.text)}): mint "
                              "one with `kado token --admin` against the same dev key, or "
                              "set KADO_TOKEN"])
    if response.status_code != 200:
        raise AdminCallError([f"{url} answered HTTP {response.status_code}: "
                              f"{response.text[:300]}"])
    body: dict[str, Any] = response.json()
    if body.get("errors"):
        raise AdminCallError([e.get("message", str(e)) for e in body["errors"]])
    return body["data"]


def _why_refused(text: str) -> str:
    """The server's reason in words a user acts on, not the JWT library's."""
    lowered = text.lower()
    for clue, why in (("expired", "it has expired"), ("signature", "it was signed with "
                      "another key"), ("not enough segments", "it is not a token"),
                      ("invalid header", "it is not a token"), ("decode", "it is not a token"),
                      ("missing", "there is none"), ("audience", "it is for another audience"),
                      ("issuer", "it is from another issuer")):
        if clue in lowered:
            return why
    return "not accepted"
