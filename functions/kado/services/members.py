"""Accounts (companies) and members."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from kado.domain.calendar import iso, utcnow
from kado.domain.eligibility import DEFAULT_TIER
from kado.domain.errors import DomainError, ErrorCode
from kado.domain.principal import Principal
from kado.domain.validation import MAX_NAME_TEXT, require_id, require_text
from kado.services.kernel import references
from kado.services.kernel.loyalty_definitions import UnknownMembers
from kado.services.ledger import holders
from kado.store import ledger as loyalty
from kado.store import members as store
from kado.store.kernel.pages import Page
from kado.store.kernel.transact import Cancelled


class GiftPolicy(StrEnum):
    ACCEPTS = "ACCEPTS"
    DECLINES = "DECLINES"


@dataclass(frozen=True)
class Account:
    id: str
    name: str
    gift_policy: GiftPolicy


@dataclass(frozen=True)
class Member:
    id: str
    account_id: str | None
    tier: str  # as stored; services.standing gives the tier in force now
    created_at: str | None
    item: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)


def upsert_account(program: str, account_id: str, name: str, policy: GiftPolicy) -> Account:
    require_id(account_id, "id")
    require_text(name, "name", MAX_NAME_TEXT)
    store.put_account(program, account_id, name, policy.value, iso(utcnow()))
    return Account(account_id, name, policy)


def get_account(program: str, account_id: str) -> Account | None:
    item = store.get_account(program, require_id(account_id, "id"))
    return _account(item) if item else None


def _account(item: dict[str, Any]) -> Account:
    return Account(item["id"], item["name"], GiftPolicy(item["giftPolicy"]))


def upsert_member(program: str, member_id: str, account_id: str | None, tier: str) -> Member:
    require_id(member_id, "id")
    if account_id is not None:
        require_id(account_id, "accountId")
    require_id(tier, "tier")
    if account_id is not None:
        references.require_accounts(program, [account_id], "accountId")
    if tier != DEFAULT_TIER:  # the default is "no tier given"
        references.require_tiers(program, [tier], "tier")
    item = store.put_member(program, member_id, account_id, tier, iso(utcnow()))
    store.list_member(program, item)
    return _member(item)


def me(principal: Principal) -> Member:
    """The caller's profile. The first call creates it with no company: a member's company
    comes from the program (`upsertMember`, or an activity that names it), never the caller."""
    item = store.get_member(principal.program, principal.subject)
    if item is None:
        item = store.create_listed_member(principal.program, principal.subject, DEFAULT_TIER,
                                          iso(utcnow()))
    # What this instance now knows of the member (their company, for their next spin):
    # every write that relies on it holds it in its condition.
    holders.remember(principal.program, principal.subject, item)
    return _member(item)


def _member(item: dict[str, Any]) -> Member:
    return Member(item["id"], item.get("accountId"), item.get("tier", DEFAULT_TIER),
                  item.get("createdAt"), item)


def members_page(program: str, first: int, after: str | None) -> tuple[list[Member], Page]:
    """The program's roster: members it registered, and members who opened the app."""
    page = store.list_members(program, first, after)
    return [_member(i) for i in page.items], page


def accounts_page(program: str, first: int, after: str | None) -> tuple[list[Account], Page]:
    page = store.list_accounts(program, first, after)
    return [_account(i) for i in page.items], page


def get_member(program: str, member_id: str) -> Member | None:
    item = store.get_member(program, member_id)
    return _member(item) if item and "id" in item else None


@dataclass
class FirstSight:
    """A movement (an activity, an adjustment) for a member its plan knows nothing of,
    under the program's rule for members not on file: with REFUSE, that they are on file
    (the member's own update says so, else a check); with ENROL, their first roster line,
    in the movement's own transaction."""

    program: str
    member_id: str
    rule: UnknownMembers
    account_id: str | None = None
    enrolled: bool = False  # the member's roster line is there already

    def parts(self, member: dict[str, Any], planned: dict[str, dict[str, Any]],
              at: str) -> dict[str, dict[str, Any]]:
        if loyalty.seen(member):
            return {}
        if self.rule is UnknownMembers.ENROL:
            return {} if self.enrolled else {"enrol": store.first_listing_part(
                self.program, self.member_id, self.account_id, DEFAULT_TIER, at)}
        return {} if "member" in planned else {
            "memberOnFile": loyalty.on_file_part(self.program, self.member_id)}

    def explain(self, cancelled: Cancelled) -> None:
        if cancelled.failed("enrol") is not None:
            self.enrolled = True  # on the roster already: plan again without the line
        for part in ("member", "memberOnFile") if self.rule is UnknownMembers.REFUSE else ():
            refused = cancelled.failed(part)
            if refused is not None and not refused.item:  # nothing on file under that id
                raise DomainError(ErrorCode.NOT_FOUND, f"no member {self.member_id!r} in "
                                  "this program: add them with upsertMember first (or set "
                                  "unknownMembers: ENROL)", "memberId")
