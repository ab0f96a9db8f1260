"""GraphQL for quests: what marketing defines, what members see and join, badges, boards."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import strawberry
from strawberry.types import Info

from kado.api.kernel.audience import AudienceInput
from kado.api.kernel.connections import Connection
from kado.api.kernel.context import Context
from kado.api.kernel.errors import UserError, answered
from kado.api.kernel.translations import Translated, translated
from kado.domain import quests as domain
from kado.domain.calendar import parse_iso, utcnow
from kado.domain.errors import DomainError, ErrorCode
from kado.domain.principal import Principal
from kado.domain.translations import Subject
from kado.domain.validation import require_id
from kado.services.quests import definitions as quest_service
from kado.services.quests import leaderboards

QuestInfo = Info[Context, None]
QuestStatus = strawberry.enum(domain.QuestStatus, name="QuestStatus")
Enrollment = strawberry.enum(domain.Enrollment, name="QuestEnrollment")
Repeat = strawberry.enum(domain.Repeat, name="QuestRepeat")
Period = strawberry.enum(domain.Period, name="QuestPeriod")
RETURNS_AFTER_COMPLETION = "REWARD_STANDS"


@strawberry.type
class QuestStep:
    id: str
    name: str
    activity_type: str
    tags: list[str]
    min_amount: int | None
    target_count: int | None
    target_amount: int | None
    value: int = strawberry.field(description="The member's progress toward the target "
                                              "(in the current period, for a streak).")


@strawberry.type
class QuestRewardType:
    points: int
    product_id: str | None
    badge: str | None
    spin_campaign_id: str | None
    spin_credits: int


@strawberry.type
class StreakType:
    period: Period  # type: ignore[valid-type]
    length: int
    current: int = strawberry.field(description="The member's longest run so far.")


@strawberry.type
class Quest(Translated):
    id: str
    version: int
    status: QuestStatus  # type: ignore[valid-type]
    starts_at: datetime
    ends_at: datetime
    timezone: str
    ordered: bool
    enrollment: Enrollment  # type: ignore[valid-type]
    repeat: Repeat  # type: ignore[valid-type]
    steps: list[QuestStep]
    streak: StreakType | None
    reward: QuestRewardType
    progress_status: str = strawberry.field(description="NOT_STARTED, ACTIVE or COMPLETED "
                                                        "(this cycle).")
    completed_at: datetime | None
    seconds_left: int = strawberry.field(description="Until the quest ends.")
    returns_after_completion: str = strawberry.field(
        default=RETURNS_AFTER_COMPLETION,
        description="What a return does after the quest completed: the reward stands. "
                    "Before, it takes its progress back.")

    @classmethod
    def of(cls, q: domain.Quest, windows: domain.Windows | None = None,
           status: str = "NOT_STARTED", completed_at: datetime | None = None,
           run: int = 0) -> Quest:
        now = utcnow()
        shown = (windows or {}).get(q.window(now), {})
        return cls(
            id=q.id, **translated(Subject.QUEST, q.id, q.name, q.description), version=q.version,
            status=q.status, starts_at=q.starts_at, ends_at=q.ends_at, timezone=q.timezone,
            ordered=q.ordered, enrollment=q.enrollment, repeat=q.repeat,
            steps=[QuestStep(id=s.id, name=s.name, activity_type=s.activity_type,
                             tags=list(s.tags), min_amount=s.min_amount,
                             target_count=s.target_count, target_amount=s.target_amount,
                             value=min(shown.get(s.id, 0), s.target)) for s in q.steps],
            streak=StreakType(period=q.streak.period, length=q.streak.length, current=run)
            if q.streak else None,
            reward=QuestRewardType(points=q.reward.points, product_id=q.reward.product_id,
                                   badge=q.reward.badge,
                                   spin_campaign_id=q.reward.spin_campaign_id,
                                   spin_credits=q.reward.spin_credits),
            progress_status=status, completed_at=completed_at,
            seconds_left=max(0, int((q.ends_at - now).total_seconds())))


@strawberry.type
class Badge:
    badge: str
    quest_id: str
    earned_at: datetime


@strawberry.type
class BoardEntry:
    rank: int
    member_id: str | None = strawberry.field(description="On a board of members.")
    account_id: str | None = strawberry.field(description="On a board of companies.")
    score: int = strawberry.field(description=(
        "A quest's members: per mille of the quest done (1000: complete); its companies: "
        "members who completed it. The ladder: the ladder's metric in the period."))


BoardOf = strawberry.enum(leaderboards.BoardOf, description=(
    "Whom a leaderboard ranks: members, or companies (a company's members together)."))


@strawberry.type
class QuestPayload:
    quest: Quest | None
    errors: list[UserError]


@strawberry.input
class JoinQuestInput:
    quest_id: str
    idempotency_key: str


BOARD_HELP = ("A leaderboard of a quest's cycle (questId) or of the tier ladder's period "
              "(ladder: true), of members or companies; period defaults to the current one. "
              "Highest score first; among equal scores, first there first.")


def _board(program: str, quest_id: str | None, ladder: bool, of: leaderboards.BoardOf,
           period: str | None, first: int) -> list[BoardEntry]:
    if ladder == (quest_id is not None):
        raise DomainError(ErrorCode.INVALID_INPUT, "name a questId or ladder: true", "questId")
    entries = leaderboards.of_ladder(program, period, of, first) if ladder else \
        leaderboards.of_quest(program, require_id(quest_id or "", "questId"), period, of, first)
    members = of is leaderboards.BoardOf.MEMBERS
    return [BoardEntry(rank=i + 1, member_id=e.entrant if members else None,
                       account_id=None if members else e.entrant, score=e.score)
            for i, e in enumerate(entries)]


def quests_of(member: Principal) -> list[Quest]:
    """A member's live quests with progress (the member's own list, and the console's)."""
    return [Quest.of(m.quest, m.windows, m.status, m.completed_at, m.streak_run)
            for m in quest_service.for_member(member)]


@strawberry.type
class MemberQuestsQuery:
    @strawberry.field(description="Live quests open to the member, with their progress, "
                                  "reward and time left.")
    def quests(self, info: QuestInfo) -> list[Quest]:
        return quests_of(info.context.principal)

    @strawberry.field(description="Badges the member earned, newest first.")
    def badges(self, info: QuestInfo, first: int = 20,
               after: str | None = None) -> Connection[Badge]:
        principal = info.context.principal
        page = quest_service.badges_page(principal.program, principal.subject, first, after)
        return Connection.of([Badge(badge=i["badge"], quest_id=i["questId"],
                                    earned_at=parse_iso(i["earnedAt"])) for i in page.items],
                             page)

    @strawberry.field(description=BOARD_HELP)
    def leaderboard(self, info: QuestInfo, quest_id: str | None = None, ladder: bool = False,
                    of: BoardOf = leaderboards.BoardOf.MEMBERS,  # type: ignore[valid-type]
                    period: str | None = None, first: int = 10) -> list[BoardEntry]:
        return _board(info.context.principal.program, quest_id, ladder, of, period, first)


@strawberry.type
class MemberQuestsMutation:
    @strawberry.mutation(description="Join an OPT_IN quest; joining again changes nothing.")
    def join_quest(self, info: QuestInfo, input: JoinQuestInput) -> QuestPayload:
        return answered(QuestPayload, "quest", Quest.of, lambda: quest_service.join(
            info.context.principal, input.quest_id, input.idempotency_key))


@strawberry.input
class QuestStepInput:
    id: str
    name: str
    activity_type: str
    tags: list[str] = strawberry.field(default_factory=list)
    min_amount: int | None = None
    target_count: int | None = None
    target_amount: int | None = None


@strawberry.input
class StreakInput:
    period: Period  # type: ignore[valid-type]
    length: int


@strawberry.input
class QuestRewardInput:
    points: int = 0
    product_id: str | None = None
    badge: str | None = None
    spin_campaign_id: str | None = None
    spin_credits: int = 0


@strawberry.input
class QuestEligibilityInput(AudienceInput):
    pass


@strawberry.input
class QuestInput:
    id: str
    name: str
    starts_at: datetime
    ends_at: datetime
    timezone: str
    steps: list[QuestStepInput]
    reward: QuestRewardInput
    description: str = ""
    ordered: bool = False
    streak: StreakInput | None = None
    repeat: Repeat = domain.Repeat.ONCE  # type: ignore[valid-type]
    period: Period = domain.Period.MONTH  # type: ignore[valid-type]
    eligibility: QuestEligibilityInput | None = None
    enrollment: Enrollment = domain.Enrollment.AUTO  # type: ignore[valid-type]

    def to_domain(self) -> domain.Quest:
        return domain.Quest(
            id=self.id, name=self.name, description=self.description,
            starts_at=self.starts_at, ends_at=self.ends_at, timezone=self.timezone,
            steps=tuple(domain.Step(s.id, s.name, s.activity_type, tuple(s.tags), s.min_amount,
                                    s.target_count, s.target_amount) for s in self.steps),
            reward=domain.QuestReward(self.reward.points, self.reward.product_id,
                                      self.reward.badge, self.reward.spin_campaign_id,
                                      self.reward.spin_credits),
            ordered=self.ordered,
            streak=domain.Streak(domain.Period(self.streak.period), self.streak.length)
            if self.streak else None,
            repeat=domain.Repeat(self.repeat), period=domain.Period(self.period),
            eligibility=(self.eligibility or QuestEligibilityInput()).to_audience(),
            enrollment=domain.Enrollment(self.enrollment))


def _payload(action: Any) -> QuestPayload:
    return answered(QuestPayload, "quest", Quest.of, action)


@strawberry.type
class AdminQuestsQuery:
    @strawberry.field(name="quests", description="Every quest, as it is now.")
    def all_quests(self, info: QuestInfo, first: int = 20,
                   after: str | None = None) -> Connection[Quest]:
        page = quest_service.quests_page(info.context.principal.program, first, after)
        return Connection.of([Quest.of(quest_service.from_item(i)) for i in page.items
                              if i.get("type") == "QUEST"], page)

    @strawberry.field(name="leaderboard", description=BOARD_HELP)
    def quest_board(self, info: QuestInfo, quest_id: str | None = None, ladder: bool = False,
                    of: BoardOf = leaderboards.BoardOf.MEMBERS,  # type: ignore[valid-type]
                    period: str | None = None, first: int = 10) -> list[BoardEntry]:
        return _board(info.context.principal.program, quest_id, ladder, of, period, first)


@strawberry.type
class AdminQuestsMutation:
    @strawberry.mutation(description="Create or edit a quest. Editing a LIVE quest's terms "
                                     "makes a new version for new enrolments; nobody's "
                                     "progress changes.")
    def upsert_quest(self, info: QuestInfo, input: QuestInput) -> QuestPayload:
        return _payload(lambda: quest_service.upsert(info.context.principal.program,
                                                     input.to_domain()))

    @strawberry.mutation(description=f"Start a quest (at most {domain.MAX_LIVE_QUESTS} live "
                                     "per program: each one an activity matches adds to its "
                                     "transaction).")
    def launch_quest(self, info: QuestInfo, id: str) -> QuestPayload:
        return _payload(lambda: quest_service.move(info.context.principal.program, id,
                                                   domain.QuestStatus.LIVE))

    @strawberry.mutation(description="End a quest: no more progress; rewards given stand.")
    def end_quest(self, info: QuestInfo, id: str) -> QuestPayload:
        return _payload(lambda: quest_service.move(info.context.principal.program, id,
                                                   domain.QuestStatus.ENDED))
