"""Marketing's translations of what members read: checked against the thing translated
(a translation of a campaign nobody defined is a typo, refused with NOT_FOUND)."""

from __future__ import annotations

from kado.domain.errors import DomainError, ErrorCode
from kado.domain.translations import Subject, Text, require_subject
from kado.services import surveys
from kado.services.campaigns import definitions as campaigns
from kado.services.events import definitions as events
from kado.services.kernel import loyalty_definitions as loyalty
from kado.services.kernel import translations as catalogue
from kado.services.quests import definitions as quests


def defined(program: str, subject: Subject, subject_id: str) -> Text:
    """The text as defined, or NOT_FOUND naming subjectId."""
    require_subject(subject, subject_id)
    try:
        if subject is Subject.PRIZE:
            campaign_id, _, prize_id = subject_id.partition("/")
            prize = next((p for p in campaigns.get(program, campaign_id).prizes
                          if p.id == prize_id), None)
            if prize is not None:
                return Text(prize.name)
        elif subject is Subject.CAMPAIGN:
            return Text(campaigns.get(program, subject_id).name)
        elif subject is Subject.REWARD:
            reward = loyalty.load(program).reward(subject_id)
            if reward is not None:
                return Text(reward.name)
        elif subject is Subject.QUEST:
            quest = quests.get(program, subject_id).current
            return Text(quest.name, quest.description or None)
        elif subject is Subject.EVENT:
            event = events.get(program, subject_id)
            return Text(event.name, event.description or None)
        else:
            return Text(surveys.get(program, subject_id).name)
    except DomainError as error:
        if error.code is not ErrorCode.NOT_FOUND:
            raise
    raise DomainError(ErrorCode.NOT_FOUND, f"no {subject.value.lower()} {subject_id!r}",
                      "subjectId")


def translate(program: str, subject: Subject, subject_id: str, language: str,
              text: Text | None, actor: str) -> Text:
    """Set one language's text (None removes it); answers the text members of that
    language now read."""
    original = defined(program, subject, subject_id)
    catalogue.translate(program, subject, subject_id, language, text, actor)
    return catalogue.fresh(program).text(subject, subject_id, (language,), original)
