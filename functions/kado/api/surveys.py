"""GraphQL for surveys: what marketing asks, what members answer, and the results."""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry.types import Info

from kado.api.kernel.context import Context
from kado.api.kernel.errors import UserError, answered, attempt
from kado.api.kernel.translations import Translated, translated
from kado.domain import surveys as domain
from kado.domain.translations import Subject
from kado.services import surveys as survey_service

SurveyInfo = Info[Context, None]
QuestionKind = strawberry.enum(domain.QuestionKind, name="QuestionKind")


@strawberry.type
class SurveyQuestion:
    id: str
    text: str
    kind: QuestionKind  # type: ignore[valid-type]
    required: bool
    options: list[str]
    scale_min: int
    scale_max: int


@strawberry.type
class Survey(Translated):
    id: str
    opens_at: datetime
    closes_at: datetime
    reward_points: int
    questions: list[SurveyQuestion]

    @classmethod
    def of(cls, s: domain.Survey) -> Survey:
        return cls(id=s.id, **translated(Subject.SURVEY, s.id, s.name), opens_at=s.opens_at,
                   closes_at=s.closes_at,
                   reward_points=s.reward_points,
                   questions=[SurveyQuestion(id=q.id, text=q.text, kind=q.kind,
                                             required=q.required, options=list(q.options),
                                             scale_min=q.scale_min, scale_max=q.scale_max)
                              for q in s.questions])


@strawberry.input
class AnswerInput:
    question_id: str
    choices: list[str] = strawberry.field(default_factory=list)
    scale: int | None = None
    text: str | None = None


@strawberry.input
class SubmitSurveyInput:
    survey_id: str
    answers: list[AnswerInput]
    idempotency_key: str


@strawberry.type
class Submission:
    survey_id: str
    submitted_at: datetime
    reward_points: int


@strawberry.type
class SubmissionPayload:
    submission: Submission | None
    errors: list[UserError]


@strawberry.type
class MemberSurveysQuery:
    @strawberry.field
    def survey(self, info: SurveyInfo, id: str) -> Survey | None:
        found, _ = attempt(lambda: survey_service.get(info.context.principal.program, id))
        return Survey.of(found) if found else None


@strawberry.type
class MemberSurveysMutation:
    @strawberry.mutation(description="Answer a survey, once: the answers are checked against "
                                     "its questions (each problem names its question), the "
                                     "reward is given once, and a SURVEY_COMPLETED activity "
                                     "counts toward quests.")
    def submit_survey(self, info: SurveyInfo, input: SubmitSurveyInput) -> SubmissionPayload:
        answers = [domain.Answer(a.question_id, tuple(a.choices), a.scale, a.text)
                   for a in input.answers]
        done, errors = attempt(lambda: survey_service.submit(
            info.context.principal, input.survey_id, answers, input.idempotency_key))
        return SubmissionPayload(
            submission=Submission(survey_id=done.survey_id, submitted_at=done.submitted_at,
                                  reward_points=done.reward_points) if done else None,
            errors=errors)


@strawberry.input
class QuestionInput:
    id: str
    text: str
    kind: QuestionKind  # type: ignore[valid-type]
    required: bool = True
    options: list[str] = strawberry.field(default_factory=list)
    scale_min: int = 1
    scale_max: int = 5


@strawberry.input
class SurveyInput:
    id: str
    name: str
    opens_at: datetime
    closes_at: datetime
    questions: list[QuestionInput]
    reward_points: int = 0
    tiers: list[str] = strawberry.field(default_factory=list)
    account_ids: list[str] = strawberry.field(default_factory=list)
    member_ids: list[str] = strawberry.field(default_factory=list)

    def to_domain(self) -> domain.Survey:
        return domain.Survey(
            id=self.id, name=self.name, opens_at=self.opens_at, closes_at=self.closes_at,
            reward_points=self.reward_points,
            questions=tuple(domain.Question(q.id, q.text, domain.QuestionKind(q.kind),
                                            q.required, tuple(q.options), q.scale_min,
                                            q.scale_max) for q in self.questions),
            eligibility=domain.SurveyEligibility(tuple(self.tiers), tuple(self.account_ids),
                                                 tuple(self.member_ids)))


@strawberry.type
class SurveyPayload:
    survey: Survey | None
    errors: list[UserError]


@strawberry.type
class OptionCount:
    option: str
    count: int


@strawberry.type
class QuestionResult:
    question_id: str
    answered: int
    counts: list[OptionCount]
    average: float | None


@strawberry.type
class SurveyResults:
    submissions: int
    questions: list[QuestionResult]


@strawberry.type
class AdminSurveysQuery:
    @strawberry.field(description="The program's surveys.")
    def surveys(self, info: SurveyInfo, first: int = 20,
                after: str | None = None) -> list[Survey]:
        page = survey_service.surveys_page(info.context.principal.program, first, after)
        return [Survey.of(survey_service.from_item(i)) for i in page.items
                if i.get("type") == "SURVEY"]

    @strawberry.field(description="Counts per option and averages, read when asked.")
    def survey_results(self, info: SurveyInfo, survey_id: str) -> SurveyResults:
        total, found = survey_service.results(info.context.principal.program, survey_id)
        return SurveyResults(submissions=total, questions=[
            QuestionResult(question_id=r.question.id, answered=r.answered,
                           counts=[OptionCount(option=o, count=c) for o, c in r.counts.items()],
                           average=r.average) for r in found])

    @strawberry.field(description="Every submission as CSV: memberId, submittedAt, then one "
                                  "column per question (choices joined by '|').")
    def survey_answers_csv(self, info: SurveyInfo, survey_id: str) -> str:
        return survey_service.answers_csv(info.context.principal.program, survey_id)


@strawberry.type
class AdminSurveysMutation:
    @strawberry.mutation
    def upsert_survey(self, info: SurveyInfo, input: SurveyInput) -> SurveyPayload:
        return answered(SurveyPayload, "survey", Survey.of, lambda: survey_service.upsert(
            info.context.principal.program, input.to_domain()))
