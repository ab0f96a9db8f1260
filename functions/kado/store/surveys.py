"""Surveys and members' submissions.

  survey      the definition (GSI1: the program's surveys)
  submission  one per member and survey, in the member's partition, written in the same
              transaction as its SURVEY_COMPLETED activity (GSI1: the survey's answers)
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from kado.store.kernel import codec, transact
from kado.store.kernel import item_keys as keys
from kado.store.kernel.pages import Page, every_item, query_index
from kado.store.kernel.reads import get_one
from kado.store.kernel.tables import GSI1_PK, GSI1_SK


def put_survey(program: str, values: dict[str, Any]) -> None:
    item = {**keys.survey(program, values["id"]), **codec.dump({
        **values, "type": "SURVEY", GSI1_PK: keys.surveys_index(program),
        GSI1_SK: values["id"]})}
    transact.write({"survey": transact.put(item)})


def get_survey(program: str, survey_id: str) -> dict[str, Any] | None:
    return get_one(keys.survey(program, survey_id))


def surveys_page(program: str, first: int, after: str | None) -> Page:
    return query_index(keys.surveys_index(program), first, after, newest_first=False)


def submission_part(program: str, member_id: str, survey_id: str,
                    values: dict[str, Any]) -> dict[str, Any]:
    item = {**keys.submission(program, member_id, survey_id), **codec.dump({
        **values, "type": "SURVEY_SUBMISSION", "surveyId": survey_id, "memberId": member_id,
        GSI1_PK: keys.submissions_index(program, survey_id),
        GSI1_SK: f"{values['submittedAt']}#{member_id}"})}
    return transact.put(item, "attribute_not_exists(pk)")


def get_submission(program: str, member_id: str, survey_id: str) -> dict[str, Any] | None:
    return get_one(keys.submission(program, member_id, survey_id))


def submissions(program: str, survey_id: str) -> Iterator[dict[str, Any]]:
    """Every submission of a survey, oldest first."""
    return every_item(keys.submissions_index(program, survey_id), newest_first=False)
