"""The admin's read side for people and things: members, companies, merchants, and any
voucher by its code or id with its ledger (what the console's pages are built on)."""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry.types import Info

from kado.api.campaigns.types import Spin
from kado.api.events import Registration, registrations_of
from kado.api.kernel.connections import Connection
from kado.api.kernel.context import Context
from kado.api.quests import Quest, quests_of
from kado.api.vouchers.admin import Merchant
from kado.api.vouchers.types import VoucherSummary
from kado.domain.calendar import parse_iso, utcnow
from kado.domain.principal import Principal, Role
from kado.domain.validation import require_id
from kado.services import members as member_service
from kado.services.campaigns import spins as spin_service
from kado.services.tiers import member_standing
from kado.services.vouchers import catalogue as voucher_admin
from kado.services.vouchers import issuing as voucher_service

DirectoryInfo = Info[Context, None]


@strawberry.type
class VoucherLedgerEntry:
    event: str = strawberry.field(description="ISSUED, REDEEMED, REVERSED or REVOKED.")
    at: datetime
    actor: str
    actor_role: str
    reason: str
    amount: int | None


@strawberry.type(name="VoucherRecord")
class AdminVoucher(VoucherSummary):
    member_id: str
    product_id: str
    issued_at: datetime
    face: int = strawberry.field(description="The balance it was issued with.")
    ledger: list[VoucherLedgerEntry] = strawberry.field(
        description="Everything that happened to it, oldest first.")

    @classmethod
    def of_record(cls, record: voucher_admin.VoucherRecord) -> AdminVoucher:
        v = record.view
        return cls(**VoucherSummary.fields_of(v),  # type: ignore[arg-type]
                   member_id=v.member_id, product_id=v.product_id,
                   issued_at=parse_iso(v.issued_at), face=v.face,
                   ledger=[VoucherLedgerEntry(event=e["event"], at=parse_iso(e["at"]),
                                              actor=e["actor"], actor_role=e["actorRole"],
                                              reason=e["reason"], amount=e.get("amount"))
                           for e in record.ledger])


@strawberry.type
class MemberProfile:
    id: str
    account_id: str | None
    tier: str = strawberry.field(description="As set on the profile; tierInForce is the one "
                                             "every rule applies now.")
    tier_in_force: str = strawberry.field(description="The tier in force now (a lapse holds "
                                                      "from its moment, whether or not "
                                                      "anything ran).")
    program: strawberry.Private[str]

    @strawberry.field(description="The member's vouchers, newest first.")
    def vouchers(self, first: int = 20, after: str | None = None) -> Connection[VoucherSummary]:
        found, page = voucher_service.member_vouchers(self.program, self.id, first, after)
        return Connection.of([VoucherSummary.of(v) for v in found], page)

    @strawberry.field(description="The member's spins in every campaign, newest first.")
    def spins(self, first: int = 20, after: str | None = None) -> Connection[Spin]:
        found, page = spin_service.spins_of(self.program, self.id, None, first, after)
        return Connection.of([Spin.of(s) for s in found], page)

    @strawberry.field(description="Live quests open to the member, with progress.")
    def quests(self) -> list[Quest]:
        return quests_of(Principal(Role.MEMBER, self.program, self.id))

    @strawberry.field(description="The member's event registrations, newest first.")
    def registrations(self, first: int = 20,
                      after: str | None = None) -> Connection[Registration]:
        return registrations_of(self.program, self.id, first, after)

    @classmethod
    def of(cls, program: str, m: member_service.Member, in_force: str) -> MemberProfile:
        return cls(id=m.id, account_id=m.account_id, tier=m.tier, tier_in_force=in_force,
                   program=program)


@strawberry.type
class AdminDirectoryQuery:
    @strawberry.field(description="The program's members (registered with upsertMember, or "
                                  "who opened the app), by id.")
    def members(self, info: DirectoryInfo, first: int = 20,
                after: str | None = None) -> Connection[MemberProfile]:
        program = info.context.principal.program
        found, page = member_service.members_page(program, first, after)
        in_force = member_standing.tiers_in_force(program, [m.id for m in found], utcnow())
        return Connection.of([MemberProfile.of(program, m, in_force[m.id]) for m in found],
                             page)

    @strawberry.field(description="One member, with vouchers and spins.")
    def member(self, info: DirectoryInfo, id: str) -> MemberProfile | None:
        program = info.context.principal.program
        found = member_service.get_member(program, require_id(id, "id"))
        if found is None:
            return None
        in_force = member_standing.tiers_in_force(program, [found.id], utcnow())
        return MemberProfile.of(program, found, in_force[found.id])

    @strawberry.field(description="The program's merchants, by id.")
    def merchants(self, info: DirectoryInfo, first: int = 20,
                  after: str | None = None) -> Connection[Merchant]:
        found, page = voucher_admin.merchants_page(info.context.principal.program, first, after)
        return Connection.of([Merchant(id=m.id, name=m.name) for m in found], page)

    @strawberry.field(description="A voucher by the code its member shows (as typed or "
                                  "scanned) or by its id, with its ledger; null if none.")
    def voucher(self, info: DirectoryInfo, code: str | None = None,
                id: str | None = None) -> AdminVoucher | None:
        found = voucher_admin.find_voucher(info.context.principal.program, code, id)
        return AdminVoucher.of_record(found) if found else None
