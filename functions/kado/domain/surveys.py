"""Surveys: questions, and answers checked against them, each problem naming its question."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from kado.domain.eligibility import Audience
from kado.domain.errors import ValidationFailed
from kado.domain.validation import ID_RULE, MAX_NAME_TEXT, is_id

MAX_QUESTIONS = 50
MAX_OPTIONS = 20
MAX_TEXT = 2_000


class QuestionKind(StrEnum):
    SINGLE_CHOICE = "SINGLE_CHOICE"
    MULTI_CHOICE = "MULTI_CHOICE"
    SCALE = "SCALE"  # a whole number from scale_min to scale_max
    TEXT = "TEXT"


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    kind: QuestionKind
    required: bool = True
    options: tuple[str, ...] = ()
    scale_min: int = 1
    scale_max: int = 5


SurveyEligibility = Audience  # tiers, companies, members


@dataclass(frozen=True)
class Survey:
    id: str
    name: str
    questions: tuple[Question, ...]
    opens_at: datetime
    closes_at: datetime
    reward_points: int = 0
    eligibility: SurveyEligibility = field(default_factory=SurveyEligibility)

    def open_at(self, moment: datetime) -> bool:
        return self.opens_at <= moment < self.closes_at

    def admits(self, member_id: str, account_id: str | None, tier: str) -> bool:
        return self.eligibility.admits(member_id, account_id, tier)


@dataclass(frozen=True)
class Answer:
    question_id: str
    choices: tuple[str, ...] = ()
    scale: int | None = None
    text: str | None = None


def check_answers(s: Survey, answers: list[Answer]) -> None:
    """Every problem, each named answers[<question id>]; none: the answers stand."""
    problems: list[tuple[str, str]] = []
    by_id = {q.id: q for q in s.questions}
    seen: set[str] = set()
    for a in answers:
        where = f"answers[{a.question_id}]"
        q = by_id.get(a.question_id)
        if q is None:
            problems.append((where, "no such question in this survey"))
            continue
        if a.question_id in seen:
            problems.append((where, "answered twice"))
        seen.add(a.question_id)
        problems.extend((where, message) for message in _problems(q, a))
    for q in s.questions:
        if q.required and q.id not in seen:
            problems.append((f"answers[{q.id}]", f"required: {q.text}"))
    if problems:
        raise ValidationFailed(problems)


def _problems(q: Question, a: Answer) -> list[str]:
    """Only the part of an answer its question takes (choices, a scale or text), and text
    that is text: no NUL and no lone surrogate is ever stored."""
    choice = q.kind in (QuestionKind.SINGLE_CHOICE, QuestionKind.MULTI_CHOICE)
    if (a.choices and not choice) or (a.scale is not None and q.kind is not QuestionKind.SCALE) \
            or (a.text is not None and q.kind is not QuestionKind.TEXT):
        return [f"a {q.kind.value.lower().replace('_', ' ')} question takes only "
                f"{_TAKES[q.kind]}"]
    if choice:
        unknown = [c for c in a.choices if c not in q.options]
        if unknown:
            return [f"not an option: {', '.join(unknown)}"]
        if not a.choices:
            return ["choose an option"]
        if q.kind is QuestionKind.SINGLE_CHOICE and len(a.choices) > 1:
            return ["choose one option"]
        return ["an option chosen twice"] if len(set(a.choices)) < len(a.choices) else []
    if q.kind is QuestionKind.SCALE:
        if a.scale is None or not q.scale_min <= a.scale <= q.scale_max:
            return [f"a whole number from {q.scale_min} to {q.scale_max}"]
        return []
    if not a.text or not a.text.strip() or len(a.text) > MAX_TEXT:
        return [f"1-{MAX_TEXT} characters"]
    if not _plain_text(a.text):
        return ["text without NUL or unpaired surrogate characters"]
    return []


_TAKES = {QuestionKind.SINGLE_CHOICE: "choices", QuestionKind.MULTI_CHOICE: "choices",
          QuestionKind.SCALE: "a scale", QuestionKind.TEXT: "text"}


def _plain_text(text: str) -> bool:
    return "\x00" not in text and not any("\ud800" <= c <= "\udfff" for c in text)


def validate(s: Survey) -> None:
    problems: list[tuple[str, str]] = []
    if not is_id(s.id):
        problems.append(("id", ID_RULE))
    if not s.name.strip() or len(s.name) > MAX_NAME_TEXT:
        problems.append(("name", f"must be 1-{MAX_NAME_TEXT} characters"))
    if s.closes_at <= s.opens_at:
        problems.append(("closesAt", "must be after opensAt"))
    if not 1 <= len(s.questions) <= MAX_QUESTIONS:
        problems.append(("questions", f"1-{MAX_QUESTIONS} questions"))
    if len({q.id for q in s.questions}) != len(s.questions):
        problems.append(("questions", "question ids must be unique"))
    if not 0 <= s.reward_points <= 10**9:
        problems.append(("rewardPoints", "0 or more points"))
    for i, q in enumerate(s.questions):
        choice = q.kind in (QuestionKind.SINGLE_CHOICE, QuestionKind.MULTI_CHOICE)
        if not is_id(q.id):
            problems.append((f"questions[{i}].id", ID_RULE))
        if not q.text.strip() or len(q.text) > MAX_TEXT:
            problems.append((f"questions[{i}].text", f"1-{MAX_TEXT} characters"))
        if choice and not 2 <= len(q.options) <= MAX_OPTIONS:
            problems.append((f"questions[{i}].options", f"2-{MAX_OPTIONS} options"))
        if not choice and q.options:
            problems.append((f"questions[{i}].options", "only choice questions have options"))
        if q.kind is QuestionKind.SCALE and not q.scale_min < q.scale_max:
            problems.append((f"questions[{i}].scaleMax", "must be above scaleMin"))
    if problems:
        raise ValidationFailed(problems)
