"""Who is who: the signed-in member (`me`), and the companies and members marketing keeps."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from kado.api.kernel.connections import Connection
from kado.api.kernel.context import Context
from kado.api.kernel.errors import UserError, attempt
from kado.api.loyalty.points import CompanyStanding, PointsBalance, TierProgress
from kado.domain.calendar import utcnow
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
class Account:
    id: str
    name: str
    gift_policy: GiftPolicy  # type: ignore[valid-type]


@strawberry.input
class AccountInput:
    id: str
    name: str
    gift_policy: GiftPolicy = member_service.GiftPolicy.ACCEPTS  # type: ignore[valid-type]


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
        return Connection.of([Account(id=a.id, name=a.name, gift_policy=a.gift_policy)
                              for a in found], page)

    @strawberry.field
    def account(self, info: AdminInfo, id: strawberry.ID) -> Account | None:
        found, _ = attempt(lambda: member_service.get_account(info.context.principal.program, id))
        return Account(id=found.id, name=found.name, gift_policy=found.gift_policy) \
            if found else None


@strawberry.type
class AdminMembersMutation:
    """Companies and members, as the program keeps them."""

    @strawberry.mutation
    def upsert_account(self, info: AdminInfo, input: AccountInput) -> AccountPayload:
        policy = member_service.GiftPolicy(input.gift_policy)
        result, errors = attempt(lambda: member_service.upsert_account(
            info.context.principal.program, input.id, input.name, policy))
        account = Account(id=result.id, name=result.name, gift_policy=result.gift_policy) \
            if result else None
        return AccountPayload(account=account, errors=errors)

    @strawberry.mutation
    def upsert_member(self, info: AdminInfo, input: MemberInput) -> MemberPayload:
        result, errors = attempt(lambda: member_service.upsert_member(
            info.context.principal.program, input.id, input.account_id, input.tier))
        member = Member(id=result.id, account_id=result.account_id, tier=result.tier) \
            if result else None
        return MemberPayload(member=member, errors=errors)
