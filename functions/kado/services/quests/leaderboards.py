"""Leaderboards for a quest or the tier ladder, of members or of companies.

  quest, members     score: per mille of the quest done, moved with the member's progress
  quest, companies   score: members of the company who completed it, counted by the
                     completing transaction
  ladder, members    score: the member's ladder metric in the period, set by the activity
                     transaction that moves it (exact, in commit order)
  ladder, companies  score: the company's metric summed over its progress shards, set
                     when its tier is settled and by the hourly tidy-up (so at most about
                     an hour behind: its progress is spread over shards precisely so that
                     no single item takes every activity of a big company)

Each board is read from GSI2 (store/leaderboards.py): SHARDS queries of `first` items, whatever
the number of players.
"""

from __future__ import annotations

import re
from datetime import datetime
from enum import Enum

from kado.domain import tiers
from kado.domain.calendar import utcnow
from kado.domain.errors import DomainError, ErrorCode
from kado.services.kernel.loyalty_definitions import cached
from kado.services.quests import definitions as quests
from kado.store import leaderboards as boards

# once, 2026, 2026-03, 2026-Q1, 2026-W09, 2026-03-02
PERIOD = re.compile(r"^(once|[0-9]{4}(-[0-9A-Z]{2,3}(-[0-9]{2})?)?)$")


class BoardOf(Enum):
    MEMBERS = "MEMBERS"
    COMPANIES = "COMPANIES"


def _checked(period: str | None) -> str | None:
    if period is not None and not PERIOD.match(period):
        raise DomainError(ErrorCode.INVALID_INPUT, "period is a cycle key such as 2026, "
                          "2026-03, 2026-Q1, 2026-W09, 2026-03-02 or once", "period")
    return period


def of_quest(program: str, quest_id: str, period: str | None, of: BoardOf,
             first: int) -> list[boards.BoardEntry]:
    q = quests.get(program, quest_id).current
    cycle = _checked(period) or q.cycle(utcnow())
    board = boards.quest_members if of is BoardOf.MEMBERS else boards.quest_companies
    return boards.top(board(program, q.id, cycle), first)


def of_ladder(program: str, period: str | None, of: BoardOf, first: int,
              now: datetime | None = None) -> list[boards.BoardEntry]:
    board = boards.ladder_members if of is BoardOf.MEMBERS else boards.ladder_companies
    return boards.top(board(program, _ladder_period(program, period, now)), first)


def under(program: str, parent: str, period: str | None, first: int) -> list[boards.BoardEntry]:
    """The ladder's board of the companies right under `parent` (a distributor's retailers),
    from that parent's own index partition."""
    return boards.top(boards.ladder_children(program, parent, _ladder_period(
        program, period, None)), first)


def _ladder_period(program: str, period: str | None, now: datetime | None) -> str:
    ladder = cached(program).ladder
    if ladder is None:
        raise DomainError(ErrorCode.NOT_FOUND, "this program has no tier ladder", "ladder")
    return _checked(period) or tiers.period_of(now or utcnow(), ladder.window,
                                               ladder.timezone).key
