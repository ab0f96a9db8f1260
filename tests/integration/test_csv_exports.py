"""Every CSV the product writes is safe to open in a spreadsheet: text that would run as a
formula is written as text; numbers stay numbers."""

from __future__ import annotations

import csv
from datetime import UTC, datetime, timedelta

from kado.domain.spreadsheet import cell, csv_text
from kado.domain.surveys import Answer, Question, QuestionKind, Survey
from kado.services import surveys
from tests.support import admin, member, new_program

ATTACKS = ["=HYPERLINK(\"http://x\",\"y\")", "@SUM(1+9)*cmd|' /C calc'!A0", "+cmd|' /C x'!A0",
           "-1-2-3-4-5", "\tfoo", "\rbar"]


def test_the_writer_neutralises_formula_cells_and_keeps_numbers():
    assert [cell(a)[0] for a in ATTACKS] == ["'"] * len(ATTACKS)
    assert cell(-100) == -100 and cell("plain") == "plain" and cell(None) == ""
    rows = list(csv.reader(csv_text(["a", "b"], [[-5, "=1+1"]]).splitlines()))
    assert rows == [["a", "b"], ["-5", "'=1+1"]]


def test_survey_answers_come_out_as_text():
    program = new_program()
    now = datetime.now(UTC)
    surveys.upsert(program, Survey(id="voice", name="Voice", opens_at=now - timedelta(days=1),
                                   closes_at=now + timedelta(days=1), questions=(
                                       Question("q1", "Anything?", QuestionKind.TEXT),)))
    for i, text in enumerate(ATTACKS[:3]):
        surveys.submit(member(program, f"m{i}"), "voice", [Answer("q1", text=text)],
                       f"survey-key-{i:04d}")
    rows = list(csv.DictReader(surveys.answers_csv(program, "voice").splitlines()))
    assert sorted(r["q1"] for r in rows) == sorted("'" + a for a in ATTACKS[:3])


def test_one_export_runs_per_program_at_a_time(monkeypatch, tmp_path):
    monkeypatch.setenv("KADO_EXPORT_DIR", str(tmp_path))
    from kado.config import reset_settings
    from kado.domain.errors import DomainError, ErrorCode
    from kado.services.loyalty import exports

    reset_settings()
    held: list[str] = []
    monkeypatch.setattr(exports, "_hand_on", lambda program, job_id: held.append(job_id))
    program = new_program()
    first = exports.start(admin(program), "2026", "export-one-0001")
    assert exports.start(admin(program), "2026", "export-one-0001") == first  # a retry
    try:
        exports.start(admin(program), "2026-Q1", "export-two-0001")
        raise AssertionError("a second export started while the first was running")
    except DomainError as refused:
        assert refused.code is ErrorCode.EXPORT_RUNNING and first.id in refused.message
    assert exports.start(admin(new_program()), "2026", "export-one-0001").status == "QUEUED"
    exports.run(program, held[0])
    assert exports.start(admin(program), "2026-Q1", "export-two-0001").status == "QUEUED"
