"""What members read, in their language: the names and descriptions marketing writes for
campaigns, prizes, rewards, quests, events and surveys, with a translation per language.

A definition keeps the text it was written with; a translation is kept beside it (not in
it), so a translator never needs the definition's version and an edit of the definition
never drops a translation. The member API picks the caller's language, then the
program's default language, then the text as defined.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum

from kado.domain.errors import ValidationFailed
from kado.domain.validation import MAX_NAME_TEXT, is_id

MAX_DESCRIPTION = 2000
# A header longer than this is not a browser's: read no further than its first entries.
MAX_ACCEPT_LANGUAGE = 256
_LANGUAGE = re.compile(r"[a-z]{2,3}")
# One entry of Accept-Language (RFC 9110 12.5.4): a range and an optional weight.
_RANGE = re.compile(
    r"\s*([A-Za-z]{1,8}|\*)(?:-[A-Za-z0-9]{1,8})*\s*(?:;\s*q\s*=\s*([0-9.]{1,5}))?\s*")


class Subject(StrEnum):
    CAMPAIGN = "CAMPAIGN"
    PRIZE = "PRIZE"  # its id is "<campaign id>/<prize id>"
    REWARD = "REWARD"
    QUEST = "QUEST"
    EVENT = "EVENT"
    SURVEY = "SURVEY"


def prize_subject(campaign_id: str, prize_id: str) -> str:
    return f"{campaign_id}/{prize_id}"


@dataclass(frozen=True)
class Text:
    name: str
    description: str | None = None


@dataclass(frozen=True)
class Catalogue:
    """A program's translations: by subject, then by language."""

    default_language: str | None = None
    texts: dict[tuple[Subject, str], dict[str, Text]] = field(default_factory=dict)

    def text(self, subject: Subject, subject_id: str, wanted: tuple[str, ...],
             defined: Text) -> Text:
        """The first wanted language that has a translation, else the program's default
        language, else the text as defined. A translation without a description takes
        the defined one, so a description is never lost to a half-done translation."""
        languages = self.texts.get((subject, subject_id), {})
        for language in (*wanted, self.default_language):
            found = languages.get(language or "")
            if found:
                return Text(found.name, found.description or defined.description)
        return defined


def is_language(value: object) -> bool:
    """An ISO 639 language code in lower case: 'vi', 'th', 'en'."""
    return isinstance(value, str) and _LANGUAGE.fullmatch(value) is not None


def preferred(argument: str | None, accept_language: str | None) -> tuple[str, ...]:
    """The languages a caller asked for, best first: the argument alone when given,
    else the header's ranges by weight (a region is read as its language: vi-VN is vi).
    Anything unreadable asks for nothing, so it falls back to the program's language."""
    if argument:
        language = argument.split("-")[0].lower()
        return (language,) if is_language(language) else ()
    weighted: list[tuple[float, int, str]] = []
    for order, entry in enumerate((accept_language or "")[:MAX_ACCEPT_LANGUAGE].split(",")):
        match = _RANGE.fullmatch(entry)
        if not match or match.group(1) == "*":
            continue
        try:
            weight = float(match.group(2)) if match.group(2) else 1.0
        except ValueError:
            continue
        language = match.group(1).lower()
        if weight > 0 and is_language(language):
            weighted.append((-weight, order, language))
    return tuple(dict.fromkeys(language for _, _, language in sorted(weighted)))


def _subject_problems(subject: Subject, subject_id: str) -> list[tuple[str, str]]:
    ids = subject_id.split("/") if subject is Subject.PRIZE else [subject_id]
    if len(ids) == (2 if subject is Subject.PRIZE else 1) and all(map(is_id, ids)):
        return []
    return [("subjectId", "the id of what is translated (a prize: "
                          "'<campaign id>/<prize id>')")]


def require_subject(subject: Subject, subject_id: str) -> None:
    problems = _subject_problems(subject, subject_id)
    if problems:
        raise ValidationFailed(problems)


def checked(subject: Subject, subject_id: str, language: str, text: Text) -> Text:
    """A translation as given, or every problem with it named."""
    problems = _subject_problems(subject, subject_id)
    if not is_language(language):
        problems.append(("language", "an ISO 639 code in lower case, such as vi, th or en"))
    if not text.name.strip() or len(text.name) > MAX_NAME_TEXT:
        problems.append(("name", f"must be 1-{MAX_NAME_TEXT} characters"))
    if text.description is not None and len(text.description) > MAX_DESCRIPTION:
        problems.append(("description", f"at most {MAX_DESCRIPTION} characters"))
    if problems:
        raise ValidationFailed(problems)
    return Text(text.name.strip(), (text.description or "").strip() or None)
