"""The console's translations of what members read, and the program's default language."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from kado.api.kernel.context import Context
from kado.api.kernel.errors import UserError, answered
from kado.domain.translations import Subject, Text
from kado.services import translations as service
from kado.services.kernel import translations as catalogue

TranslationInfo = Info[Context, None]
TranslationSubject = strawberry.enum(Subject, name="TranslationSubject",
                                     description="What a translation is of. A prize's id "
                                                 "is '<campaign id>/<prize id>'.")


@strawberry.type
class Translation:
    subject: TranslationSubject  # type: ignore[valid-type]
    subject_id: str
    language: str
    name: str
    description: str | None


@strawberry.input
class TranslateInput:
    subject: TranslationSubject  # type: ignore[valid-type]
    subject_id: str
    language: str = strawberry.field(description="An ISO 639 code in lower case: vi, th, en.")
    name: str | None = strawberry.field(
        default=None, description="Null removes this language's translation.")
    description: str | None = None


@strawberry.type
class TranslatePayload:
    translation: Translation | None
    errors: list[UserError]


@strawberry.type
class DefaultLanguagePayload:
    default_language: str | None
    errors: list[UserError]


@strawberry.type
class AdminTranslationsQuery:
    @strawberry.field(description="Every translation of the program, by subject, then "
                                  "language.")
    def translations(self, info: TranslationInfo) -> list[Translation]:
        texts = catalogue.fresh(info.context.principal.program).texts
        return [Translation(subject=subject, subject_id=subject_id, language=language,
                            name=text.name, description=text.description)
                for (subject, subject_id), languages in sorted(texts.items())
                for language, text in sorted(languages.items())]

    @strawberry.field(description="What members read when their language has no "
                                  "translation; null: the text as defined.")
    def default_language(self, info: TranslationInfo) -> str | None:
        return catalogue.fresh(info.context.principal.program).default_language


@strawberry.type
class AdminTranslationsMutation:
    @strawberry.mutation(description="Set (or remove) one language's name and description "
                                     "of a campaign, prize, reward, quest, event or survey.")
    def translate(self, info: TranslationInfo, input: TranslateInput) -> TranslatePayload:
        principal = info.context.principal
        text = None if input.name is None else Text(input.name, input.description)

        def present(shown: Text) -> Translation | None:
            return None if text is None else Translation(
                subject=input.subject, subject_id=input.subject_id,
                language=input.language, name=shown.name, description=shown.description)

        return answered(TranslatePayload, "translation", present, lambda: service.translate(
            principal.program, Subject(input.subject), input.subject_id, input.language,
            text, principal.subject))

    @strawberry.mutation(description="The language members read when theirs has no "
                                     "translation (null: the text as defined).")
    def set_default_language(self, info: TranslationInfo,
                             language: str | None) -> DefaultLanguagePayload:
        principal = info.context.principal

        def change() -> str | None:
            catalogue.set_default_language(principal.program, language, principal.subject)
            return language

        return answered(DefaultLanguagePayload, "default_language", lambda set_to: set_to,
                        change)
