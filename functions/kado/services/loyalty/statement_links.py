"""Links to statements: made for a holder and period, opened by anyone who has one (no
sign-in), revoked for a holder all at once (domain/statement_links.py says how)."""

from __future__ import annotations

from datetime import timedelta

from kado.domain import statement_links as links
from kado.domain.calendar import utcnow
from kado.domain.errors import DomainError, ErrorCode
from kado.domain.principal import Principal
from kado.domain.statement_links import HolderKind, Link
from kado.domain.validation import require_id
from kado.services.kernel.code_key_ring import keys
from kado.services.loyalty import statement_documents as documents
from kado.store import statement_files
from kado.store.loyalty import exports as store

PATH = "/statements/"


def _key(program: str) -> bytes:
    return keys().statement_link_key(program)


def link_for(program: str, kind: HolderKind, holder: str, period: str) -> str:
    """The link's path (on the member API's host), valid VALID_DAYS from now."""
    expires = int((utcnow() + timedelta(days=links.VALID_DAYS)).timestamp())
    version = store.link_version(program, kind.value, holder)
    return PATH + links.seal(_key(program), Link(program, kind, holder, period, version,
                                                 expires))


def mine(member: Principal) -> list[tuple[str, str]]:
    """(period, link) for each period the program made statements for, newest first."""
    version = store.link_version(member.program, HolderKind.MEMBER.value, member.subject)
    expires = int((utcnow() + timedelta(days=links.VALID_DAYS)).timestamp())
    return [(period, PATH + links.seal(_key(member.program), Link(
        member.program, HolderKind.MEMBER, member.subject, period, version, expires)))
        for period in store.periods(member.program)]


def for_holder(program: str, kind: HolderKind, holder: str, period: str) -> str:
    require_id(holder, "holderId")
    if period not in store.periods(program):
        raise DomainError(ErrorCode.NOT_FOUND, f"no statements for {period!r} yet", "period")
    return link_for(program, kind, holder, period)


def revoke(program: str, kind: HolderKind, holder: str) -> int:
    """Every link made for the holder so far stops opening; the new version."""
    return store.revoke_links(program, kind.value, require_id(holder, "holderId"))


def opened(token: str, accept_language: str) -> bytes | None:
    """The page a link opens, in the reader's language; None for a link that is forged,
    expired, revoked, or names no statement."""
    found = links.opened(_key, token, int(utcnow().timestamp()))
    if found is None or found.version != store.link_version(found.program, found.kind.value,
                                                            found.holder):
        return None
    figures = statement_files.read(found.program, found.period, found.kind.value, found.holder)
    return None if figures is None else documents.page(
        figures, documents.language_of(accept_language))
