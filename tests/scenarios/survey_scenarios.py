"""Surveys: answers checked per question, rewarded once, and counted toward quests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from kado.domain.errors import ErrorCode
from kado.domain.quests import QuestReward, Step
from kado.domain.surveys import Answer, Question, QuestionKind, Survey
from kado.handlers import admin_api
from kado.services import surveys
from kado.store import ledger as store
from tests import support
from tests.scenarios.points_scenarios import (  # noqa: F401 - autouse: a new instance each
    fresh_instance,
    loyal_program,
)
from tests.scenarios.quest_scenarios import live, new_range, progress
from tests.scenarios.voucher_scenarios import refused
from tests.support import key, member

NOW = datetime(2026, 6, 1, 9, tzinfo=UTC)


@pytest.fixture
def clock(monkeypatch):
    return support.test_clock(monkeypatch, NOW)


def dealer_survey(**more) -> Survey:
    terms = {"id": "dealer-2026", "name": "Dealer survey", "reward_points": 75,
             "opens_at": NOW - timedelta(days=1), "closes_at": NOW + timedelta(days=30),
             "questions": (
                 Question("brand", "Which brands do you stock?", QuestionKind.MULTI_CHOICE,
                          options=("acme", "globex", "initech")),
                 Question("main", "Your main brand?", QuestionKind.SINGLE_CHOICE,
                          options=("acme", "globex")),
                 Question("nps", "Would you recommend us?", QuestionKind.SCALE,
                          scale_min=0, scale_max=10),
                 Question("why", "Why?", QuestionKind.TEXT, required=False))}
    return Survey(**{**terms, **more})


GOOD = [Answer("brand", ("acme", "globex")), Answer("main", ("acme",)), Answer("nps", scale=9)]


def balance(program: str, member_id: str = "alice") -> int:
    return store.wallet_of(store.get_member(program, member_id) or {}).balance


def test_answers_are_checked_and_each_problem_names_its_question(clock):
    program = loyal_program(ladder=None)
    surveys.upsert(program, dealer_survey())
    bad = [Answer("brand", ("acme", "umbrella")), Answer("main", ("acme", "globex")),
           Answer("nps", scale=11), Answer("ghost", text="boo")]
    problems = refused(ErrorCode.INVALID_INPUT, lambda: surveys.submit(
        member(program), "dealer-2026", bad, key())).problems
    assert dict(problems) == {
        "answers[brand]": "not an option: umbrella", "answers[main]": "choose one option",
        "answers[nps]": "a whole number from 0 to 10",
        "answers[ghost]": "no such question in this survey"}
    missing = refused(ErrorCode.INVALID_INPUT, lambda: surveys.submit(
        member(program), "dealer-2026", GOOD[:2], key())).problems
    assert missing == [("answers[nps]", "required: Would you recommend us?")]
    assert balance(program) == 0  # nothing changed


def test_a_survey_rewards_once_earns_by_rules_and_moves_quests(clock):
    program = loyal_program(ladder=None)  # the program's rule: 50 for a survey
    live(program, new_range(steps=(Step("survey", "The survey", "SURVEY_COMPLETED",
                                        target_count=1),),
                            reward=QuestReward(points=10)))
    surveys.upsert(program, dealer_survey())
    idem = key()
    first = surveys.submit(member(program), "dealer-2026", GOOD, idem)
    again = surveys.submit(member(program), "dealer-2026", GOOD, idem)
    assert (first.reward_points, again.submitted_at) == (75, first.submitted_at)
    refused(ErrorCode.ALREADY_SUBMITTED,
            lambda: surveys.submit(member(program), "dealer-2026", GOOD, key()))
    assert balance(program) == 50 + 75 + 10  # the rule, the survey, the quest
    assert progress(program)["status"] == "COMPLETED"


def test_a_closed_survey_refuses(clock):
    program = loyal_program(ladder=None)
    surveys.upsert(program, dealer_survey())
    clock["at"] = NOW + timedelta(days=30)
    refused(ErrorCode.SURVEY_CLOSED,
            lambda: surveys.submit(member(program), "dealer-2026", GOOD, key()))


def test_results_count_options_and_average_scales_and_export_as_csv(clock):
    program = loyal_program(ladder=None)
    surveys.upsert(program, dealer_survey())
    surveys.submit(member(program, "ann"), "dealer-2026", GOOD, key())
    surveys.submit(member(program, "bob"), "dealer-2026",
                   [Answer("brand", ("globex",)), Answer("main", ("globex",)),
                    Answer("nps", scale=6), Answer("why", text="fast, friendly")], key())
    found = support.execute(admin_api.schema, """{ surveyResults(surveyId: "dealer-2026") {
        submissions questions { questionId answered counts { option count } average } }
        surveyAnswersCsv(surveyId: "dealer-2026") }""", support.admin(program))
    results = found["surveyResults"]
    assert results["submissions"] == 2
    by_id = {q["questionId"]: q for q in results["questions"]}
    assert by_id["brand"]["counts"] == [{"option": "acme", "count": 1},
                                        {"option": "globex", "count": 2},
                                        {"option": "initech", "count": 0}]
    assert (by_id["nps"]["average"], by_id["why"]["answered"]) == (7.5, 1)
    lines = found["surveyAnswersCsv"].splitlines()
    assert lines[0] == "memberId,submittedAt,brand,main,nps,why"
    assert lines[2].startswith("bob,") and lines[2].endswith(',globex,globex,6,"fast, friendly"')
