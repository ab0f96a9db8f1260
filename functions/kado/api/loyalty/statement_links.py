"""Links to the statements the statement job made: a member's own on the member API, any
holder's (and revoking them) on the admin API. A link opens without signing in, on the
member API's host (`GET /statements/<token>`, api/kernel/statement_route.py)."""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry.types import Info

from kado.api.kernel.app import reply, reply_message
from kado.api.kernel.context import Context
from kado.api.kernel.errors import UserError, answered
from kado.domain.statement_links import VALID_DAYS, HolderKind
from kado.services.loyalty import statement_links as links

PATH = links.PATH

AnyInfo = Info[Context, None]
StatementHolder = strawberry.enum(HolderKind, name="StatementHolder")


@strawberry.type
class StatementLink:
    period: str
    path: str = strawberry.field(description=f"On the member API's host; opens without "
                                             f"signing in for {VALID_DAYS} days, unless "
                                             "revoked.")


@strawberry.type
class MemberStatementLinksQuery:
    @strawberry.field(description="A link to each monthly (or other period's) statement "
                                  "the program made, newest first.")
    def my_statements(self, info: AnyInfo) -> list[StatementLink]:
        return [StatementLink(period=p, path=path)
                for p, path in links.mine(info.context.principal)]


@strawberry.type
class RevokedStatementLinks:
    version: int | None
    errors: list[UserError]


@strawberry.type
class AdminStatementLinksQuery:
    @strawberry.field(description="A link to a member's or company's statement of a period "
                                  "the statement export made.")
    def statement_link(self, info: AnyInfo, holder: StatementHolder,  # type: ignore[valid-type]
                       holder_id: str, period: str) -> StatementLink:
        return StatementLink(period=period, path=links.for_holder(
            info.context.principal.program, HolderKind(holder), holder_id, period))


@strawberry.type
class AdminStatementLinksMutation:
    @strawberry.mutation(description="Every statement link made for the holder so far "
                                     "stops opening, at once; new links work.")
    def revoke_statement_links(self, info: AnyInfo,
                               holder: StatementHolder,  # type: ignore[valid-type]
                               holder_id: str) -> RevokedStatementLinks:
        return answered(RevokedStatementLinks, "version", int, lambda: links.revoke(
            info.context.principal.program, HolderKind(holder), holder_id))


OPENED_HEADERS = [(b"cache-control", b"no-store"), (b"x-robots-tag", b"noindex"),
                  (b"referrer-policy", b"no-referrer")]
# The page carries its own styles and nothing else: no script, no image, no request out.
PAGE_POLICY = (b"content-security-policy",
               b"default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'")


async def open_statement(scope: dict[str, Any], send: Any) -> None:
    """GET /statements/<token>: the statement's page in the reader's language, or 404 for a
    link forged, expired, revoked or naming nothing, all alike."""
    languages = next((v.decode() for k, v in scope.get("headers", [])
                      if k.lower() == b"accept-language"), "")
    found = links.opened(scope["path"].removeprefix(links.PATH), languages)
    if found is None:
        await reply_message(send, 404, "no statement here: the link is wrong, expired or "
                                       "was revoked")
        return
    await reply(send, 200, found, b"text/html; charset=utf-8",
                [*OPENED_HEADERS, PAGE_POLICY, (b"vary", b"accept-language")])
