"""API Gateway HTTP API (payload v2) events, as the JWT authorizer hands them to Lambda.

Tests and the benchmark drive the real handlers with these, so a request takes
exactly the path it takes in AWS: Powertools, Mangum, Strawberry, the store.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any


@dataclass
class LambdaContext:
    function_name: str = "kado-api"
    memory_limit_in_mb: int = 1024
    invoked_function_arn: str = "arn:aws:lambda:us-east-1:123456789012:function:kado"
    aws_request_id: str = "req-1"


def event(path: str, body: dict[str, Any], claims: dict[str, Any] | None) -> dict[str, Any]:
    authorizer = {"jwt": {"claims": claims, "scopes": None}} if claims is not None else None
    return {
        "version": "2.0", "routeKey": f"POST {path}", "rawPath": path, "rawQueryString": "",
        "headers": {"content-type": "application/json", "host": "api.example.com"},
        "requestContext": {
            "accountId": "123456789012", "apiId": "api", "domainName": "api.example.com",
            "http": {"method": "POST", "path": path, "protocol": "HTTP/1.1",
                     "sourceIp": "203.0.113.9", "userAgent": "kado"},
            "requestId": "r1", "routeKey": f"POST {path}", "stage": "$default",
            "time": "23/Nov/2026:10:00:00 +0000", "timeEpoch": 1795428000000,
            **({"authorizer": authorizer} if authorizer else {}),
        },
        "body": json.dumps(body), "isBase64Encoded": False,
    }


def graphql_event(path: str, query: str, claims: dict[str, Any] | None,
                  variables: dict[str, Any] | None = None) -> dict[str, Any]:
    return event(path, {"query": query, "variables": variables}, claims)


def get_event(path: str, headers: dict[str, str] | None = None) -> dict[str, Any]:
    """A GET with no token (a link opened from an email)."""
    found = event(path, {}, None)
    found.update(routeKey=f"GET {path}", body=None)
    found["headers"].update(headers or {})
    found["requestContext"]["http"]["method"] = "GET"
    found["requestContext"]["routeKey"] = f"GET {path}"
    return found
