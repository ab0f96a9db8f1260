"""Names and descriptions in the member's language, for every type a member reads.

A type that inherits `Translated` answers `name` and `description` from the program's
translations: in the `language` argument's language, else the request's
Accept-Language, else the program's default language, else as defined. The console
(admin API) sees the text as defined unless it asks for a language, so an edit form is
never filled with a translation and saved over the original.
"""

from __future__ import annotations

from typing import Annotated, TypedDict

import strawberry
from strawberry.types import Info

from kado.api.kernel.context import Context
from kado.domain.principal import Role
from kado.domain.translations import Subject, Text, preferred
from kado.services.kernel import translations

Language = Annotated[str | None, strawberry.argument(
    description="An ISO 639 code (vi, th, en). Omitted: the request's Accept-Language, "
                "then the program's default language.")]


@strawberry.type
class Translated:
    subject: strawberry.Private[tuple[Subject, str]]
    defined: strawberry.Private[Text]

    def _text(self, info: Info[Context, None], language: str | None) -> Text:
        context = info.context
        if language is None and context.principal.role is not Role.MEMBER:
            return self.defined
        program = context.principal.program
        catalogue = context.once(("translations", program),
                                 lambda: translations.catalogue(program))
        return catalogue.text(*self.subject, preferred(language, context.accept_language),
                              self.defined)

    @strawberry.field(description="In the member's language (see the language argument).")
    def name(self, info: Info[Context, None], language: Language = None) -> str:
        return self._text(info, language).name

    @strawberry.field(description="In the member's language, as name; empty when none.")
    def description(self, info: Info[Context, None], language: Language = None) -> str:
        return self._text(info, language).description or ""


class TranslatedFields(TypedDict):
    subject: tuple[Subject, str]
    defined: Text


def translated(subject: Subject, subject_id: str, name: str,
               description: str | None = None) -> TranslatedFields:
    """The fields a Translated type is built with."""
    return {"subject": (subject, subject_id), "defined": Text(name, description or None)}
