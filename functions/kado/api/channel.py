"""A distributor's staff on the field API: the companies under their distributor and
where each stands, read only. What they may read is the record's (which distributor) and
the tree's (which companies are under it), checked on every request."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from kado.api.kernel.connections import Connection
from kado.api.kernel.context import Context
from kado.api.loyalty.points import CompanyStanding
from kado.domain.pages import Page
from kado.services import channel
from kado.services import members as member_service

ChannelInfo = Info[Context, None]


@strawberry.type
class ChannelCompany:
    id: str
    name: str
    parent_id: str | None
    program: strawberry.Private[str]

    @classmethod
    def of(cls, program: str, a: member_service.Account) -> ChannelCompany:
        return cls(id=a.id, name=a.name, parent_id=a.parent_id, program=program)

    @strawberry.field(description="Its tier and progress, where the ladder is the company's.")
    def standing(self) -> CompanyStanding:
        return CompanyStanding.of(self.program, self.id)

    @classmethod
    def page_of(cls, program: str, page: Page) -> Connection[ChannelCompany]:
        return Connection.of([cls.of(program, member_service.account_of(i))
                              for i in page.items], page)

    @strawberry.field(description="The companies right under it (in your subtree too).")
    def children(self, first: int = 20, after: str | None = None) -> Connection[ChannelCompany]:
        return ChannelCompany.page_of(self.program, member_service.account_children(
            self.program, self.id, first, after))


@strawberry.type
class ChannelBoardEntry:
    rank: int
    account_id: str
    score: int = strawberry.field(description="The ladder's metric in the period (with what "
                                              "is under it, where the ladder counts subtrees).")


@strawberry.type
class FieldDistributorQuery:
    @strawberry.field(description="The companies right under your distributor.")
    def my_companies(self, info: ChannelInfo, first: int = 20,
                     after: str | None = None) -> Connection[ChannelCompany]:
        staff = info.context.distributor_staff
        return ChannelCompany.page_of(staff.program,
                                      member_service.staff_children(staff, first, after))

    @strawberry.field(description="A company in your distributor's subtree.")
    def channel_company(self, info: ChannelInfo, id: str) -> ChannelCompany:
        staff = info.context.distributor_staff
        return ChannelCompany.of(staff.program, member_service.staff_company(staff, id))

    @strawberry.field(description="The tier ladder's board of the companies right under "
                                  "your distributor (period: the current one by default). "
                                  "Posted when a company's tier is settled and hourly.")
    def my_leaderboard(self, info: ChannelInfo, period: str | None = None,
                       first: int = 10) -> list[ChannelBoardEntry]:
        entries = channel.staff_board(info.context.distributor_staff, period, first)
        return [ChannelBoardEntry(rank=i + 1, account_id=e.entrant, score=e.score)
                for i, e in enumerate(entries)]
