from dataclasses import replace
from datetime import timedelta

import pytest

from kado.domain.campaigns.rules import (
    CampaignStatus,
    Prize,
    PrizeKind,
    check_change_allowed,
    transition,
    validate,
)
from kado.domain.errors import DomainError, ErrorCode, ValidationFailed
from tests.support import campaign


def test_a_sound_campaign_validates():
    validate(campaign())


def test_every_problem_is_reported_with_its_path():
    bad = replace(campaign(), id="no spaces", timezone="Nowhere/Land",
                  ends_at=campaign().starts_at - timedelta(days=1),
                  prizes=(Prize("a", "A", PrizeKind.ITEM, 1, 5),
                          Prize("b", "B", PrizeKind.ITEM, 0, 5),
                          Prize("a", "A again", PrizeKind.NONE, 2, 3)))
    with pytest.raises(ValidationFailed) as failure:
        validate(bad)
    paths = {path for path, _ in failure.value.problems}
    assert {"id", "timezone", "endsAt", "prizes[1].weight", "prizes[2].id",
            "prizes[2].stock"} <= paths
    assert ("prizes[1].weight", "must be > 0") in failure.value.problems


def live(c):
    return replace(c, status=CampaignStatus.LIVE)


def test_live_odds_are_frozen():
    current = live(campaign())
    heavier = replace(current, prizes=(replace(current.prizes[0], weight=99), current.prizes[1]))
    fewer = replace(current, prizes=(replace(current.prizes[0], stock=5), current.prizes[1]))
    reordered = replace(current, prizes=tuple(reversed(current.prizes)))
    for proposed in (heavier, fewer, reordered):
        with pytest.raises(DomainError) as refusal:
            check_change_allowed(current, proposed)
        assert refusal.value.code is ErrorCode.ODDS_FROZEN


def test_live_stock_may_grow_and_drafts_may_change_freely():
    current = live(campaign())
    more = replace(current, prizes=(replace(current.prizes[0], stock=50), current.prizes[1]))
    check_change_allowed(current, more)
    draft = campaign()
    check_change_allowed(draft, replace(draft, prizes=(replace(draft.prizes[0], weight=1),
                                                       draft.prizes[1])))


def test_lifecycle():
    c = campaign()
    c = transition(c, CampaignStatus.LIVE)
    c = transition(c, CampaignStatus.PAUSED)
    c = transition(c, CampaignStatus.LIVE)
    c = transition(c, CampaignStatus.ENDED)
    with pytest.raises(DomainError) as refusal:
        transition(c, CampaignStatus.LIVE)
    assert refusal.value.code is ErrorCode.INVALID_TRANSITION
    with pytest.raises(DomainError):
        transition(campaign(), CampaignStatus.PAUSED)


def test_a_survey_answer_carries_only_what_its_question_takes():
    from datetime import UTC, datetime

    from kado.domain.errors import ValidationFailed
    from kado.domain.surveys import Answer, Question, QuestionKind, Survey, check_answers

    moment = datetime(2026, 1, 1, tzinfo=UTC)
    s = Survey("s", "S", (Question("pick", "Pick", QuestionKind.SINGLE_CHOICE, options=("a",)),
                          Question("say", "Say", QuestionKind.TEXT, required=False),
                          Question("rate", "Rate", QuestionKind.SCALE, required=False)),
               moment, moment)
    check_answers(s, [Answer("pick", choices=("a",)), Answer("say", text="fine")])
    for wrong in ([Answer("pick", choices=("a",), text="sneaky")],
                  [Answer("pick", choices=("a",)), Answer("say", text="nul\x00")],
                  [Answer("pick", choices=("a",)), Answer("say", text="lone\ud800")],
                  [Answer("pick", choices=("a",)), Answer("rate", scale=3, choices=("a",))],
                  [Answer("pick", choices=("a",)), Answer("say", scale=2)]):
        with pytest.raises(ValidationFailed):
            check_answers(s, wrong)
