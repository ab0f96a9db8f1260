"""Surveys: marketing asks, members answer once, and the answer is a rewarded activity.

A submission is recorded as a SURVEY_COMPLETED activity keyed by survey and member, with
the answers and the survey's reward riding in the activity's own transaction: so it earns
by the program's rules, moves quest steps, and is rewarded once, however many times (or
in parallel) the member submits. A retry with the same idempotency key answers the first
submission.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from kado.domain import surveys as domain
from kado.domain.activities import Activity
from kado.domain.calendar import iso, parse_iso, utcnow
from kado.domain.errors import DomainError, ErrorCode
from kado.domain.idempotency import fingerprint, require_same
from kado.domain.ids import derived_id
from kado.domain.principal import Principal, Role
from kado.domain.spreadsheet import csv_text
from kado.domain.surveys import Answer, Question, QuestionKind, Survey, SurveyEligibility
from kado.domain.validation import require_id, require_idempotency_key
from kado.services.activities import recording as activities
from kado.services.kernel import references
from kado.services.kernel.loyalty_definitions import cached as definitions
from kado.services.tiers.member_standing import tier_in_force
from kado.store import surveys as store
from kado.store.kernel.pages import Page
from kado.store.ledger import get_member


def to_item(s: Survey) -> dict[str, Any]:
    return {"id": s.id, "name": s.name, "opensAt": iso(s.opens_at),
            "closesAt": iso(s.closes_at), "rewardPoints": s.reward_points,
            "questions": [{"id": q.id, "text": q.text, "kind": q.kind.value,
                           "required": q.required, "options": list(q.options),
                           "scaleMin": q.scale_min, "scaleMax": q.scale_max}
                          for q in s.questions],
            "eligibility": {"tiers": list(s.eligibility.tiers),
                            "accountIds": list(s.eligibility.account_ids),
                            "memberIds": list(s.eligibility.member_ids)}}


def from_item(item: dict[str, Any]) -> Survey:
    rules = item.get("eligibility") or {}
    return Survey(
        id=item["id"], name=item["name"], opens_at=parse_iso(item["opensAt"]),
        closes_at=parse_iso(item["closesAt"]), reward_points=item.get("rewardPoints", 0),
        questions=tuple(Question(q["id"], q["text"], QuestionKind(q["kind"]),
                                 q.get("required", True), tuple(q.get("options", ())),
                                 q.get("scaleMin", 1), q.get("scaleMax", 5))
                        for q in item["questions"]),
        eligibility=SurveyEligibility(tuple(rules.get("tiers", ())),
                                      tuple(rules.get("accountIds", ())),
                                      tuple(rules.get("memberIds", ()))))


def upsert(program: str, s: Survey) -> Survey:
    domain.validate(s)
    references.require_audience(program, s.eligibility.tiers, s.eligibility.account_ids)
    store.put_survey(program, to_item(s))
    return s


def get(program: str, survey_id: str) -> Survey:
    item = store.get_survey(program, require_id(survey_id, "surveyId"))
    if item is None:
        raise DomainError(ErrorCode.NOT_FOUND, f"no survey {survey_id!r}", "surveyId")
    return from_item(item)


@dataclass(frozen=True)
class Submission:
    survey_id: str
    member_id: str
    submitted_at: datetime
    reward_points: int


def _submission(item: dict[str, Any]) -> Submission:
    return Submission(item["surveyId"], item["memberId"], parse_iso(item["submittedAt"]),
                      item.get("rewardPoints", 0))


def submit(principal: Principal, survey_id: str, answers: list[Answer],
           idempotency_key: str) -> Submission:
    require_idempotency_key(idempotency_key)
    program, member_id = principal.program, principal.subject
    s = get(program, survey_id)
    answered = {a.question_id: {"choices": list(a.choices), "scale": a.scale,
                                "text": a.text} for a in answers}
    asked = fingerprint("submitSurvey", s.id, answered)
    earlier = _earlier(program, member_id, s.id, idempotency_key, asked)
    if earlier is not None:
        return earlier
    now = utcnow()
    if not s.open_at(now):
        raise DomainError(ErrorCode.SURVEY_CLOSED, "this survey is not open", "surveyId")
    d = definitions(program)
    member = get_member(program, member_id) or {}
    account = member.get("accountId")
    if not s.admits(member_id, account, tier_in_force(program, d, member, now, account)):
        raise DomainError(ErrorCode.NOT_ELIGIBLE, "this survey is not open to you", "surveyId")
    domain.check_answers(s, answers)
    at = iso(now)
    submitted = store.submission_part(program, member_id, s.id, {
        "submittedAt": at, "idempotencyKey": idempotency_key, "rewardPoints": s.reward_points,
        "answers": answered, "fingerprint": asked})
    recorded = activities.record_one(
        Principal(Role.ADMIN, program, "survey"),
        Activity(f"survey:{derived_id(s.id, member_id)}", member_id, "SURVEY_COMPLETED", now,
                 account_id=account, tags=(s.id,)),
        d, now, activities.Rider(s.reward_points, f"survey {s.id}", {"submission": submitted}))
    if recorded.outcome is activities.RECORDED:
        return Submission(s.id, member_id, now, s.reward_points)
    # Another submission of this member won the race: answer it, or refuse this one.
    found = _earlier(program, member_id, s.id, idempotency_key, asked)
    if found is None:
        raise DomainError(ErrorCode.BUSY, "your submission is being recorded; retry", None)
    return found


def _earlier(program: str, member_id: str, survey_id: str, idempotency_key: str,
             asked: str) -> Submission | None:
    found = store.get_submission(program, member_id, survey_id)
    if found is None:
        return None
    if found.get("idempotencyKey") != idempotency_key:
        raise DomainError(ErrorCode.ALREADY_SUBMITTED, "you answered this survey on "
                          f"{found['submittedAt'][:10]}", "surveyId")
    require_same(found.get("fingerprint"), asked)
    return _submission(found)


@dataclass(frozen=True)
class QuestionResult:
    question: Question
    answered: int
    counts: dict[str, int]  # option -> times chosen (choice questions)
    average: float | None  # scale questions


def results(program: str, survey_id: str) -> tuple[int, list[QuestionResult]]:
    """Submissions, and per question how often each option was chosen and the average
    of a scale (read from the submissions when asked)."""
    s = get(program, survey_id)
    rows = [item.get("answers") or {} for item in store.submissions(program, s.id)]
    found = []
    for q in s.questions:
        given = [r[q.id] for r in rows if q.id in r]
        counts = {o: sum(o in (g.get("choices") or []) for g in given) for o in q.options}
        scales = [g["scale"] for g in given if g.get("scale") is not None]
        found.append(QuestionResult(q, len(given), counts,
                                    round(sum(scales) / len(scales), 2) if scales else None))
    return len(rows), found


def answers_csv(program: str, survey_id: str) -> str:
    """Every submission as a CSV row: member, time, then one column per question (choices
    joined by '|')."""
    s = get(program, survey_id)
    return csv_text(["memberId", "submittedAt", *(q.id for q in s.questions)],
                    ([item["memberId"], item["submittedAt"],
                      *(_cell((item.get("answers") or {}).get(q.id)) for q in s.questions)]
                     for item in store.submissions(program, s.id)))


def _cell(answer: dict[str, Any] | None) -> str:
    if not answer:
        return ""
    if answer.get("choices"):
        return "|".join(answer["choices"])
    if answer.get("scale") is not None:
        return str(answer["scale"])
    return str(answer.get("text") or "")


def surveys_page(program: str, first: int, after: str | None) -> Page:
    return store.surveys_page(program, first, after)
