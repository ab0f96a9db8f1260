"""The program's translations, read whole and held per instance for the definition TTL.

No rule rests on them: a name shown in the old wording for up to the TTL after a
translator's edit harms nothing, and it saves every member request a read. The instance
that writes forgets its copy at once.
"""

from __future__ import annotations

from kado.domain.calendar import iso, utcnow
from kado.domain.errors import ValidationFailed
from kado.domain.translations import Catalogue, Subject, Text, checked, is_language
from kado.services.kernel.ttl_cache import TtlCache
from kado.store.kernel import translations as store


def _load(program: str) -> Catalogue:
    default: str | None = None
    texts: dict[tuple[Subject, str], dict[str, Text]] = {}
    for item in store.every_item(program):
        if "subject" not in item:
            default = item.get("language")
            continue
        texts[(Subject(item["subject"]), item["subjectId"])] = {
            name[len(store.LANGUAGE_PREFIX):]: Text(value["name"], value.get("description"))
            for name, value in item.items() if name.startswith(store.LANGUAGE_PREFIX)}
    return Catalogue(default, texts)


_catalogues: TtlCache[str, Catalogue] = TtlCache(_load)


def catalogue(program: str) -> Catalogue:
    return _catalogues.get(program) or Catalogue()


def fresh(program: str) -> Catalogue:
    """Read now, for the console that has just written."""
    _catalogues.forget(program)
    return catalogue(program)


def translate(program: str, subject: Subject, subject_id: str, language: str,
              text: Text | None, actor: str) -> None:
    """Set (or, with None, remove) one language's text of one thing."""
    if text is not None:
        text = checked(subject, subject_id, language, text)
    elif not is_language(language):
        raise ValidationFailed([("language", "an ISO 639 code in lower case")])
    store.put(program, subject.value, subject_id, language,
              None if text is None else {"name": text.name, "description": text.description},
              actor, iso(utcnow()))
    _catalogues.forget(program)


def set_default_language(program: str, language: str | None, actor: str) -> None:
    if language is not None and not is_language(language):
        raise ValidationFailed([("language", "an ISO 639 code in lower case")])
    store.put_default_language(program, language, actor, iso(utcnow()))
    _catalogues.forget(program)
