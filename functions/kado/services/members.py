"""Accounts (companies) and members."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from kado.domain import account_tree
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
    parent_id: str | None = None  # the account above it in the channel's tree
    moved: bool = field(default=False, compare=False)  # this upsert placed it elsewhere


@dataclass(frozen=True)
class Member:
    id: str
    account_id: str | None
    tier: str  # as stored; services.standing gives the tier in force now
    created_at: str | None
    item: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)


class Keep:
    """upsert_account's parent when the caller is not placing the account in the tree."""


KEEP_PLACE = Keep()


def upsert_account(program: str, account_id: str, name: str, policy: GiftPolicy,
                   parent_id: str | Keep | None = KEEP_PLACE) -> Account:
    """The account; with `parent_id` (None: a root), its place in the tree too. A retailer
    moved to another distributor is under it from this write on, everywhere (what is
    checked against the tree pins the parent when it commits), and the move is kept."""
    require_id(account_id, "id")
    require_text(name, "name", MAX_NAME_TEXT)
    now = utcnow()
    if isinstance(parent_id, Keep):
        store.put_account(program, account_id, name, policy.value, iso(now))
        current = store.get_account(program, account_id) or {}
        return Account(account_id, name, policy, current.get(store.PARENT))
    current = store.get_account(program, account_id, consistent=True) or {}
    previous = current.get(store.PARENT)
    if parent_id is not None:
        require_id(parent_id, "parentId")
        if store.get_account(program, parent_id, consistent=True) is None:
            raise DomainError(ErrorCode.NOT_FOUND, f"no account {parent_id!r}", "parentId")
        account_tree.check_parent(account_id, parent_id, ancestors(program, parent_id))
    if previous != parent_id and store.children(program, account_id, 1, None).items:
        raise DomainError(ErrorCode.INVALID_INPUT, "an account with accounts under it keeps "
                          "its place (move the accounts under it first)", "parentId")
    store.put_account(program, account_id, name, policy.value, iso(now), store.Placement(
        parent_id, previous, int(now.timestamp() * 1000)))
    return Account(account_id, name, policy, parent_id, moved=previous != parent_id)


def ancestors(program: str, account_id: str, item: dict[str, Any] | None = None) -> list[str]:
    """The accounts above `account_id` (whose item the caller may have read just now),
    nearest first, as recorded now (consistent reads, one a level: at most four deep)."""
    chain: list[str] = []
    here = item if item is not None else \
        store.get_account(program, account_id, consistent=True) or {}
    while here.get(store.PARENT) and len(chain) < account_tree.MAX_DEPTH:
        chain.append(here[store.PARENT])
        here = store.get_account(program, here[store.PARENT], consistent=True) or {}
    return chain


def account_moves(program: str, account_id: str) -> list[dict[str, Any]]:
    return store.account_moves(program, require_id(account_id, "id"))


def account_children(program: str, account_id: str, first: int, after: str | None) -> Page:
    return store.children(program, require_id(account_id, "id"), first, after)


def get_account(program: str, account_id: str) -> Account | None:
    item = store.get_account(program, require_id(account_id, "id"))
    return account_of(item) if item else None


def account_of(item: dict[str, Any]) -> Account:
    return Account(item["id"], item["name"], GiftPolicy(item["giftPolicy"]),
                   item.get(store.PARENT))


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
    return [account_of(i) for i in page.items], page


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


def set_distributor_staff(program: str, staff_id: str, account_id: str | None) -> None:
    """Let a staff member read `account_id`'s subtree (None: no longer)."""
    require_id(staff_id, "id")
    if account_id is not None and store.get_account(program, require_id(
            account_id, "accountId"), consistent=True) is None:
        raise DomainError(ErrorCode.NOT_FOUND, f"no account {account_id!r}", "accountId")
    store.put_distributor_staff(program, staff_id, account_id, iso(utcnow()))


def staff_account(staff: Principal) -> str:
    """The distributor this staff member reads, as recorded now (read on every request, so
    access taken away or moved holds at once in every instance)."""
    found = store.distributor_of(staff.program, staff.subject)
    if found is None:
        raise DomainError(ErrorCode.FORBIDDEN, "no distributor on record for you")
    return found


def staff_children(staff: Principal, first: int, after: str | None) -> Page:
    """The companies right under the staff's distributor: its own index partition, so
    another's cannot be listed (a cursor from another list is refused)."""
    return store.children(staff.program, staff_account(staff), first, after)


def staff_company(staff: Principal, account_id: str) -> Account:
    """A company in the staff's subtree; any other is not found (its existence not told)."""
    mine = staff_account(staff)
    require_id(account_id, "id")
    item = store.get_account(staff.program, account_id, consistent=True)
    if item is None or (account_id != mine and mine not in ancestors(staff.program,
                                                                      account_id, item)):
        raise DomainError(ErrorCode.NOT_FOUND, f"no account {account_id!r}", "id")
    return account_of(item)
