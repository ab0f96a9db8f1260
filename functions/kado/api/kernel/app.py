"""One ASGI app per schema: authenticate from claims, then serve GraphQL."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Awaitable, Callable
from typing import Any

import strawberry
from cross_web import HTTPException
from graphql import GraphQLError
from starlette.requests import Request
from strawberry.asgi import GraphQL
from strawberry.extensions import (
    AddValidationRules,
    DisableIntrospection,
    MaskErrors,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    ParserCache,
    QueryDepthLimiter,
)
from strawberry.types import ExecutionContext, ExecutionResult

from kado.api.kernel import persisted_queries, scalars
from kado.api.kernel.allowlist import OperationAllowlist
from kado.api.kernel.context import Context, Unauthorized, principal_from_claims
from kado.api.kernel.cost import PricedValidation
from kado.api.kernel.errors import ErrorCodes
from kado.config import settings
from kado.domain.errors import DomainError
from kado.domain.principal import Role
from kado.services.kernel import operations, programs

CLAIMS_SCOPE_KEY = "kado.claims"
MAX_DEPTH = 8
MAX_ALIASES = 15
MAX_TOKENS = 2_000
# The largest legitimate body is an import of 1,000 pool codes (about 70 KB).
MAX_BODY_BYTES = 256 * 1024
GRAPHQL_RESPONSE = "application/graphql-response+json"
# graphql-core's "Did you mean 'code'?" names fields that disabled introspection hides.
_SUGGESTION = re.compile(r"\s*Did you mean [^?]*\?")
_log = logging.getLogger("kado.api")


def is_expected(error: GraphQLError) -> bool:
    """Parse, validation and variable errors tell the caller what it did wrong; anything
    raised inside a resolver (it has a path) is a bug or an outage and is masked."""
    original = error.original_error
    if original is None or isinstance(original, DomainError):
        return True
    return isinstance(original, GraphQLError) and error.path is None


class KadoSchema(strawberry.Schema):
    """Logs errors without the query text outside dev: a voucher code typed inline in a
    query, or given as a variable, must not reach the logs."""

    def process_errors(self, errors: list[GraphQLError],
                       execution_context: ExecutionContext | None = None) -> None:
        if settings().is_dev:
            super().process_errors(errors, execution_context)
            return
        for error in errors:
            if is_expected(error):
                _log.info("caller error", extra={"graphql_path": error.path})
            else:
                # Our own traceback, never the request: str(error) would quote the source.
                _log.error("resolver failed", exc_info=error.original_error,
                           extra={"graphql_path": error.path})


def build_schema(query: type, mutation: type | None = None) -> strawberry.Schema:
    # Factories: a fresh extension per request, but one shared cache for the
    # process, so a hot operation is parsed and validated once per Lambda instance.
    # The validation cache is keyed by the rule classes too; the limiters build a
    # new rule class per instance, so their rules are built once here and reused.
    parser_cache = ParserCache(maxsize=256)
    validation_cache = PricedValidation(maxsize=256)
    limits = tuple(QueryDepthLimiter(max_depth=MAX_DEPTH).validation_rules +
                   MaxAliasesLimiter(max_alias_count=MAX_ALIASES).validation_rules)
    extensions: list[Any] = [
        lambda: AddValidationRules(list(limits)),
        lambda: MaxTokensLimiter(max_token_count=MAX_TOKENS),
        lambda: parser_cache,
        lambda: validation_cache,
        lambda: MaskErrors(should_mask_error=lambda e: not is_expected(e)),
        ErrorCodes,
        OperationAllowlist,
    ]
    if not settings().is_dev:
        extensions.append(DisableIntrospection)
    return KadoSchema(query=query, mutation=mutation, extensions=extensions,
                      scalar_overrides=scalars.OVERRIDES)


def claims_from_scope(scope: dict[str, Any]) -> dict[str, Any] | None:
    event = scope.get("aws.event")
    if event is not None:
        authorizer = event.get("requestContext", {}).get("authorizer") or {}
        claims = (authorizer.get("jwt") or {}).get("claims")
        return claims if isinstance(claims, dict) else None
    claims = scope.get(CLAIMS_SCOPE_KEY)
    return claims if isinstance(claims, dict) else None


# Dev only (the IDE is off elsewhere). The token goes in the Headers tab, or arrives as
# #token=... in the link, which never reaches a server log.
GRAPHIQL_PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Kado GraphiQL</title><meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" type="image/svg+xml" href="/console/icon.svg">
<link rel="stylesheet" href="/graphiql/graphiql.min.css">
<style>body{margin:0;height:100vh}#graphiql{height:100vh}</style></head><body>
<div id="graphiql">Loading GraphiQL&hellip;</div>
<script src="/graphiql/react.production.min.js"></script>
<script src="/graphiql/react-dom.production.min.js"></script>
<script src="/graphiql/graphiql.min.js"></script>
<script>
const token = new URLSearchParams(location.hash.slice(1)).get("token");
const headers = JSON.stringify({Authorization: "Bearer " + (token || "<a token from kado token>")},
  null, 2);
ReactDOM.createRoot(document.getElementById("graphiql")).render(
  React.createElement(GraphiQL, {fetcher: GraphiQL.createFetcher({url: location.pathname}),
    defaultHeaders: headers, defaultEditorToolsVisibility: "headers",
    shouldPersistHeaders: true}));
</script></body></html>"""


# A page an API serves by GET beside its GraphQL endpoint, under a path prefix, to anyone
# (a statement's link: it opens without signing in, so it checks its own token).
PublicPage = Callable[[dict[str, Any], Any], Awaitable[None]]


class KadoGraphQL(GraphQL[Context, None]):
    def __init__(self, schema: strawberry.Schema, role: Role,
                 pages: dict[str, PublicPage] | None = None) -> None:
        self.dev = settings().is_dev
        super().__init__(schema, graphql_ide="graphiql" if self.dev else None,
                         allow_queries_via_get=False)
        self.role = role
        self.pages = pages or {}

    @property
    def graphql_ide_html(self) -> str:
        """GraphiQL from files `kado dev` serves (web/ builds them): nothing from a CDN, so
        it works offline."""
        return GRAPHIQL_PAGE

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        page = next((p for prefix, p in self.pages.items()
                     if scope["path"].startswith(prefix)), None)
        if page is not None and scope["method"] == "GET":
            await page(scope, send)
            return
        if scope["method"] == "POST":
            claims = None
            try:
                claims = claims_from_scope(scope)
                if claims is None:
                    raise Unauthorized("missing token")
                scope[f"kado.principal.{self.role.value}"] = principal_from_claims(
                    claims, self.role)
            except Unauthorized as refusal:
                await reply_message(send, 403 if claims else 401, str(refusal))
                return
            if _declared_length(scope) > MAX_BODY_BYTES:
                await reply_message(send, 413, f"request body over {MAX_BODY_BYTES} bytes")
                return
        try:
            response = await self.run(Request(scope=scope, receive=receive))
        except HTTPException as refusal:  # every refusal is JSON, as 401 and 403 are
            await reply_message(send, refusal.status_code, refusal.reason)
            return
        except persisted_queries.Refused as refusal:
            await reply(send, refusal.status, json.dumps(refusal.answer).encode())
            return
        await response(scope, receive, send)

    async def execute_single(self, request: Any, request_adapter: Any, sub_response: Any,
                             context: Any, root_value: Any, request_data: Any) -> Any:
        """The document found by hash when it is a persisted query (kept by this instance,
        or listed in the program's manifest in force: api/kernel/allowlist.py enforces it)."""
        program = context.caller.program if context.caller is not None else None
        listed = (lambda digest: operations.listed_document(program, digest)) \
            if program and self.role is Role.MEMBER else None
        request_data.query = persisted_queries.resolve(request_data.query,
                                                       request_data.extensions, listed)
        return await super().execute_single(request, request_adapter, sub_response, context,
                                            root_value, request_data)

    def decode_json(self, data: str | bytes) -> object:
        if len(data) > MAX_BODY_BYTES:  # a body sent without a length
            raise HTTPException(413, f"request body over {MAX_BODY_BYTES} bytes")
        try:
            return json.loads(data)
        except RecursionError:
            raise HTTPException(400, "request body nests too deeply") from None

    async def get_sub_response(self, request: Any) -> Any:
        """The response this request builds up: it remembers the media type the client
        asked for, which decides the status of a request error (see create_response)."""
        response: Any = await super().get_sub_response(request)
        response.kado_wants = GRAPHQL_RESPONSE if GRAPHQL_RESPONSE in \
            request.headers.get("accept", "") else None
        response.kado_state = request.state
        return response

    async def process_result(self, request: Any, result: ExecutionResult) -> Any:
        answer: dict[str, Any] = dict(await super().process_result(request, result))
        if not self.dev:
            for error in answer.get("errors") or ():
                error["message"] = _SUGGESTION.sub("", str(error["message"]))
        if result.data is None and result.errors and \
                all(error.path is None for error in result.errors):
            # Nothing ran (the document did not parse, validate, or its variables did not
            # coerce): a request error, answered without `data` in the spec's media type.
            request.state.kado_request_error = True
        return answer

    def create_response(self, response_data: Any, sub_response: Any) -> Any:
        """GraphQL over HTTP: a client that accepts application/graphql-response+json gets
        it, and a request error as 400 without `data`; application/json stays as it was
        (200, `data: null`) for the clients that rely on it."""
        wants = getattr(sub_response, "kado_wants", None)
        state = getattr(sub_response, "kado_state", None)
        request_error = bool(state is not None and getattr(state, "kado_request_error", False))
        if wants and request_error and isinstance(response_data, dict):
            response_data = {k: v for k, v in response_data.items() if k != "data"}
        response = super().create_response(response_data, sub_response)
        if wants:
            response.headers["content-type"] = f"{wants}; charset=utf-8"
            if request_error:
                response.status_code = 400
        return response

    async def get_context(self, request: Any, response: Any) -> Context:
        caller = request.scope.get(f"kado.principal.{self.role.value}")
        if caller is not None and self.role is Role.ADMIN:
            programs.register(caller.program)  # so the timers find it (once an instance)
        return Context(caller=caller, accept_language=request.headers.get("accept-language"))


def _declared_length(scope: dict[str, Any]) -> int:
    for name, value in scope.get("headers", []):
        if name.lower() == b"content-length":
            return int(value) if value.isdigit() else MAX_BODY_BYTES + 1
    return 0


async def reply_message(send: Any, status: int, message: str) -> None:
    await reply(send, status, json.dumps({"message": message}).encode())


async def reply(send: Any, status: int, body: bytes,
                content_type: bytes = b"application/json",
                headers: list[tuple[bytes, bytes]] | None = None) -> None:
    """A whole HTTP response in raw ASGI, for answers given before GraphQL runs."""
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", content_type),
                            (b"content-length", str(len(body)).encode()), *(headers or [])]})
    await send({"type": "http.response.body", "body": body})
