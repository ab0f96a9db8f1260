"""One ASGI app per schema: authenticate from claims, then serve GraphQL."""

from __future__ import annotations

import json
from typing import Any

import strawberry
from strawberry.asgi import GraphQL
from strawberry.extensions import (
    AddValidationRules,
    DisableIntrospection,
    MaskErrors,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    ParserCache,
    QueryDepthLimiter,
    ValidationCache,
)

from kado.api.context import Context, Unauthorized, principal_from_claims
from kado.config import settings
from kado.domain.errors import DomainError
from kado.domain.principal import Role

CLAIMS_SCOPE_KEY = "kado.claims"
MAX_DEPTH = 8
MAX_ALIASES = 15
MAX_TOKENS = 2_000


def _is_expected(error: Any) -> bool:
    # Parse and validation errors tell the client what it did wrong; anything
    # raised inside a resolver is a bug or an outage and is masked.
    original = getattr(error, "original_error", None)
    return original is None or isinstance(original, DomainError)


def build_schema(query: type, mutation: type | None = None) -> strawberry.Schema:
    # Factories: a fresh extension per request, but one shared cache for the
    # process, so a hot operation is parsed and validated once per Lambda instance.
    # The validation cache is keyed by the rule classes too; the limiters build a
    # new rule class per instance, so their rules are built once here and reused.
    parser_cache = ParserCache(maxsize=256)
    validation_cache = ValidationCache(maxsize=256)
    limits = tuple(QueryDepthLimiter(max_depth=MAX_DEPTH).validation_rules +
                   MaxAliasesLimiter(max_alias_count=MAX_ALIASES).validation_rules)
    extensions: list[Any] = [
        lambda: AddValidationRules(list(limits)),
        lambda: MaxTokensLimiter(max_token_count=MAX_TOKENS),
        lambda: parser_cache,
        lambda: validation_cache,
        lambda: MaskErrors(should_mask_error=lambda e: not _is_expected(e)),
    ]
    if not settings().is_dev:
        extensions.append(DisableIntrospection)
    return strawberry.Schema(query=query, mutation=mutation, extensions=extensions)


def claims_from_scope(scope: dict[str, Any]) -> dict[str, Any] | None:
    event = scope.get("aws.event")
    if event is not None:
        authorizer = event.get("requestContext", {}).get("authorizer") or {}
        claims = (authorizer.get("jwt") or {}).get("claims")
        return claims if isinstance(claims, dict) else None
    claims = scope.get(CLAIMS_SCOPE_KEY)
    return claims if isinstance(claims, dict) else None


class KadoGraphQL(GraphQL[Context, None]):
    def __init__(self, schema: strawberry.Schema, role: Role) -> None:
        dev = settings().is_dev
        super().__init__(schema, graphql_ide="graphiql" if dev else None,
                         allow_queries_via_get=False)
        self.role = role

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http" and scope["method"] == "POST":
            claims = None
            try:
                claims = claims_from_scope(scope)
                if claims is None:
                    raise Unauthorized("missing token")
                scope[f"kado.principal.{self.role.value}"] = principal_from_claims(
                    claims, self.role)
            except Unauthorized as refusal:
                body = json.dumps({"message": str(refusal)}).encode()
                await reply(send, 403 if claims else 401, body)
                return
        await super().__call__(scope, receive, send)

    async def get_context(self, request: Any, response: Any) -> Context:
        return Context(caller=request.scope.get(f"kado.principal.{self.role.value}"))


async def reply(send: Any, status: int, body: bytes,
                content_type: bytes = b"application/json") -> None:
    """A whole HTTP response in raw ASGI, for answers given before GraphQL runs."""
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", content_type),
                            (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})
