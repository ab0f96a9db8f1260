"""Which language a member reads: the argument, then Accept-Language by weight, then the
program's default, then the text as defined."""

from __future__ import annotations

import pytest

from kado.domain.errors import ValidationFailed
from kado.domain.translations import Catalogue, Subject, Text, checked, preferred

DEFINED = Text("Spring wheel", "Spin once a day")
VI = Text("Vòng quay mùa xuân", None)
TH = Text("วงล้อฤดูใบไม้ผลิ", "หมุนวันละครั้ง")


@pytest.mark.parametrize(("argument", "header", "wanted"), [
    (None, "vi-VN,vi;q=0.9,en-US;q=0.8,en;q=0.7", ("vi", "en")),
    (None, "en;q=0.2, th-TH", ("th", "en")),
    (None, "*, fr;q=0", ()),
    (None, "vi;q=abc, th;q=1.5.2, en", ("en",)),
    (None, None, ()),
    (None, "x" * 5000, ()),
    ("th-TH", "vi", ("th",)),
    ("TH", None, ("th",)),
    ("123", "vi", ()),
])
def test_the_languages_asked_for_come_best_first(argument, header, wanted):
    assert preferred(argument, header) == wanted


def test_a_translation_then_the_default_language_then_the_text_as_defined():
    catalogue = Catalogue("th", {(Subject.CAMPAIGN, "spring"): {"vi": VI, "th": TH}})
    assert catalogue.text(Subject.CAMPAIGN, "spring", ("vi",), DEFINED) == \
        Text(VI.name, DEFINED.description)  # a translation without a description keeps it
    assert catalogue.text(Subject.CAMPAIGN, "spring", ("fr",), DEFINED) == TH
    assert catalogue.text(Subject.CAMPAIGN, "spring", ("fr", "vi"), DEFINED).name == VI.name
    assert catalogue.text(Subject.QUEST, "spring", ("vi",), DEFINED) == DEFINED
    assert Catalogue().text(Subject.CAMPAIGN, "spring", ("vi",), DEFINED) == DEFINED


def test_a_bad_translation_names_every_problem():
    with pytest.raises(ValidationFailed) as refused:
        checked(Subject.PRIZE, "spring", "Vietnamese", Text("  ", "x" * 3000))
    assert [field for field, _ in refused.value.problems] == \
        ["subjectId", "language", "name", "description"]
    assert checked(Subject.PRIZE, "spring/mug", "vi", Text(" Cốc ", " ")) == Text("Cốc", None)
