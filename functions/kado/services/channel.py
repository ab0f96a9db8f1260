"""The channel's tree where it meets the tier ladder: an account placed or moved in the tree
takes its place on its new parent's board at once, and a distributor's staff read the
board of the companies right under their distributor."""

from __future__ import annotations

from kado.domain.calendar import utcnow
from kado.domain.principal import Principal
from kado.services import members
from kado.services.quests import leaderboards
from kado.services.tiers import company_standing
from kado.store.leaderboards import BoardEntry


def place_account(program: str, account_id: str, name: str, policy: members.GiftPolicy,
                  parent_id: str | members.Keep | None) -> members.Account:
    """members.upsert_account, then (where it moved) its board entries follow it; an upsert
    that keeps its place costs nothing more (a file of 20,000 retailers re-sent). If that
    second step is lost to a fault, the hourly tidy-up posts every company again."""
    account = members.upsert_account(program, account_id, name, policy, parent_id)
    if account.moved:
        company_standing.moved(program, account_id, utcnow())
    return account


def staff_board(staff: Principal, period: str | None, first: int) -> list[BoardEntry]:
    """The ladder's board of the companies right under the staff's distributor, as
    recorded now: its own index partition, so no other subtree's company is on it."""
    return leaderboards.under(staff.program, members.staff_account(staff), period, first)
