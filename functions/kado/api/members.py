"""Who is who: the signed-in member (`me`), and the companies and members marketing keeps."""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry.types import Info

from kado.api.kernel.connections import Connection
from kado.api.kernel.context import Context
from kado.api.kernel.errors import UserError, attempt
from kado.api.loyalty.points import CompanyStanding, PointsBalance, TierProgress
from kado.domain.calendar import parse_iso, utcnow
from kado.services import channel
from kado.services import members as member_service
from kado.services.loyalty import company_wallets
from kado.services.tiers import member_standing as standing_service

MemberInfo = Info[Context, None]
AdminInfo = Info[Context, None]
GiftPolicy = strawberry.enum(member_service.GiftPolicy, name="GiftPolicy")


@strawberry.type
class Me:
    id: str
    program: str
    account_id: str | None
    tier: str = strawberry.field(description="The tier in force now (a lapse holds from its "
                                             "moment, whether or not anything ran).")
    points: PointsBalance
    tier_progress: TierProgress | None = strawberry.field(
        description="Progress in the current period of the program's tier ladder, if any.")
    program_id: strawberry.Private[str] = ""

    @strawberry.field(description="The company wallet, where the program keeps points with "
                                  "companies (read only when asked for).")
    def company_points(self) -> PointsBalance | None:
        if not self.account_id:
            return None
        return PointsBalance.of(company_wallets.balance_of(self.program_id, self.account_id))

    @strawberry.field(description="The company's tier and progress, where the ladder's level "
                                  "is ACCOUNT (read only when asked for).")
    def company_standing(self) -> CompanyStanding | None:
        return CompanyStanding.of(self.program_id, self.account_id) if self.account_id else None


@strawberry.type
class AccountMove:
    moved_from: str | None = strawberry.field(name="from")
    moved_to: str | None = strawberry.field(name="to")
    at: datetime


@strawberry.type
class Account:
    id: str
    name: str
    gift_policy: GiftPolicy  # type: ignore[valid-type]
    parent_id: str | None = strawberry.field(description="The account above it in the "
                                                         "channel (a retailer's distributor).")

    @classmethod
    def of(cls, a: member_service.Account) -> Account:
        return cls(id=a.id, name=a.name, gift_policy=a.gift_policy, parent_id=a.parent_id)

    @strawberry.field(description="The accounts right under this one, by when they joined.")
    def children(self, info: AdminInfo, first: int = 20,
                 after: str | None = None) -> Connection[Account]:
        page = member_service.account_children(info.context.principal.program, self.id,
                                               first, after)
        return Connection.of([Account.of(member_service.account_of(i)) for i in page.items],
                             page)

    @strawberry.field(description="Where it sat before: every move, oldest first.")
    def moves(self, info: AdminInfo) -> list[AccountMove]:
        return [AccountMove(moved_from=m.get("from"), moved_to=m.get("to"),
                            at=parse_iso(m["at"]))
                for m in member_service.account_moves(info.context.principal.program, self.id)]


@strawberry.type
class DistributorStaffPayload:
    staff_id: str
    account_id: str | None = strawberry.field(description="The account they now read.")
    errors: list[UserError]


@strawberry.input
class AccountInput:
    id: str
    name: str
    gift_policy: GiftPolicy = member_service.GiftPolicy.ACCEPTS  # type: ignore[valid-type]
    parent_id: str | None = strawberry.field(
        default=strawberry.UNSET, description="Its place in the channel: the account above "
        "it (null: a root). Left out, the account keeps its place.")


@strawberry.type
class AccountPayload:
    account: Account | None
    errors: list[UserError]


@strawberry.type
class Member:
    id: str
    account_id: str | None
    tier: str


@strawberry.input
class MemberInput:
    id: str
    account_id: str | None = None
    tier: str = "STANDARD"


@strawberry.type
class MemberPayload:
    member: Member | None
    errors: list[UserError]


@strawberry.type
class MemberQuery:
    """The signed-in member, as the record has them."""

    @strawberry.field
    def me(self, info: MemberInfo) -> Me:
        principal = info.context.principal
        member = member_service.me(principal)
        standing = standing_service.standing_of(principal.program, member.item, utcnow())
        return Me(id=member.id, program=principal.program, account_id=member.account_id,
                  tier=standing.tier,
                  points=PointsBalance.of(standing.points, standing.expiring,
                                          standing.pending),
                  tier_progress=TierProgress.of(standing.progress),
                  program_id=principal.program)


@strawberry.type
class AdminAccountsQuery:
    """The program's companies."""

    @strawberry.field(description="The program's companies, by id, with their gift policy.")
    def accounts(self, info: AdminInfo, first: int = 20,
                 after: str | None = None) -> Connection[Account]:
        found, page = member_service.accounts_page(info.context.principal.program, first, after)
        return Connection.of([Account.of(a) for a in found], page)

    @strawberry.field
    def account(self, info: AdminInfo, id: strawberry.ID) -> Account | None:
        found, _ = attempt(lambda: member_service.get_account(info.context.principal.program, id))
        return Account.of(found) if found else None


@strawberry.type
class AdminMembersMutation:
    """Companies and members, as the program keeps them."""

    @strawberry.mutation
    def upsert_account(self, info: AdminInfo, input: AccountInput) -> AccountPayload:
        policy = member_service.GiftPolicy(input.gift_policy)
        place = member_service.KEEP_PLACE if input.parent_id is strawberry.UNSET \
            else input.parent_id
        result, errors = attempt(lambda: channel.place_account(
            info.context.principal.program, input.id, input.name, policy, place))
        return AccountPayload(account=Account.of(result) if result else None, errors=errors)

    @strawberry.mutation(description="Let a distributor's staff member read the companies "
                                     "under an account (null: no longer).")
    def set_distributor_staff(self, info: AdminInfo, id: str,
                              account_id: str | None) -> DistributorStaffPayload:
        _, errors = attempt(lambda: member_service.set_distributor_staff(
            info.context.principal.program, id, account_id))
        return DistributorStaffPayload(staff_id=id, account_id=None if errors else account_id,
                                       errors=errors)

    @strawberry.mutation
    def upsert_member(self, info: AdminInfo, input: MemberInput) -> MemberPayload:
        result, errors = attempt(lambda: member_service.upsert_member(
            info.context.principal.program, input.id, input.account_id, input.tier))
        member = Member(id=result.id, account_id=result.account_id, tier=result.tier) \
            if result else None
        return MemberPayload(member=member, errors=errors)
