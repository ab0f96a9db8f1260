"""The reports an admin can run as a job: which exist, what period a run covers, and the SQL
each engine runs (the report's own file in kado/reports, narrowed to the period's rows).

The same SQL runs on DuckDB (dev, tests) and Athena (AWS). Its parameters are written into
the text as literals, not bound: Athena's UNLOAD (the Parquet copy) takes no parameters.
That is safe only because each literal is checked here first: a program id by the id rule,
dates as ISO dates, nothing else from the request.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from pathlib import Path
from typing import Any

from kado.domain.errors import ValidationFailed
from kado.domain.validation import is_id

SQL_FOLDER = Path(__file__).resolve().parents[1] / "reports"
MAX_DAYS = 731  # two years a run: what a program's review looks back on
PREVIEW_ROWS = 200  # rows kept on the job for the console's chart and table


QUEUED, RUNNING, DONE, FAILED = "QUEUED", "RUNNING", "DONE", "FAILED"


@dataclass(frozen=True)
class Progress:
    """An engine's word on a job: still RUNNING, or DONE / FAILED with what it made."""

    status: str
    scanned_bytes: int | None = None
    rows: int | None = None  # None where the engine does not count them cheaply
    preview: list[dict[str, Any]] | None = None
    columns: list[str] | None = None
    error: str | None = None


@dataclass(frozen=True)
class File:
    format: str  # CSV or PARQUET
    url: str


class Grain(StrEnum):
    """What a report's period column holds: a day, the Monday of a week, a month."""

    DAY = "DAY"
    WEEK = "WEEK"
    MONTH = "MONTH"


@dataclass(frozen=True)
class Report:
    name: str
    title: str
    column: str | None  # the period column its rows are narrowed on (None: whole history)
    grain: Grain = Grain.DAY


CATALOGUE = {r.name: r for r in (
    Report("campaign_performance_per_day", "Campaign performance per day", "day"),
    Report("campaign_wins_per_day", "Campaign wins per day", "day"),
    Report("campaign_awards_per_day", "Campaign awards by kind and cost per day", "day"),
    Report("voucher_redemptions_per_day", "Voucher redemptions per day", "day"),
    Report("redemptions_by_merchant_per_day", "Redemptions by merchant per day", "day"),
    Report("quest_performance_per_day", "Quest performance per day", "day"),
    Report("event_attendance", "Event registrations, check-ins and no-shows", None),
    Report("active_members_per_week", "Active members per week", "week", Grain.WEEK),
    Report("retention_by_first_month", "Retention by first month", "month", Grain.MONTH),
    Report("points_liability_by_month", "Points liability and breakage by month", "month",
           Grain.MONTH),
    Report("tier_distribution_by_month", "Tier distribution by month", "month", Grain.MONTH),
    Report("top_companies", "Top companies by revenue and points", None),
)}


@dataclass(frozen=True)
class Run:
    report: Report
    program: str
    starts: date
    ends: date  # inclusive

    def bounds(self) -> tuple[str, str]:
        """The period column's first and last values inside the run."""
        if self.report.grain is Grain.MONTH:
            return self.starts.isoformat()[:7], self.ends.isoformat()[:7]
        if self.report.grain is Grain.WEEK:
            monday = self.starts - timedelta(days=self.starts.weekday())
            return monday.isoformat(), self.ends.isoformat()
        return self.starts.isoformat(), self.ends.isoformat()

    def sql(self) -> str:
        """The report's SQL for this program and period, literals checked and inlined.
        Every `?` of a catalogue report is its program (each table names it, so Athena
        reads only the program's partitions)."""
        text = filled(self.report.name, self.program)
        if self.report.column is None:
            return text
        body, order = _split_order(text)
        first, last = self.bounds()
        return (f"SELECT * FROM ({body}) AS report "  # noqa: S608 - checked literals only
                f"WHERE {self.report.column} BETWEEN {_literal(first)} AND {_literal(last)}"
                f"{order}")


def partition_days(starts: datetime, ends: datetime) -> tuple[str, str]:
    """The first and last UTC day (the lake's `day` partitions) of the window from `starts`
    up to, not including, `ends`: a query reads those partitions only."""
    last = ends - timedelta(microseconds=1)
    return starts.astimezone(UTC).date().isoformat(), last.astimezone(UTC).date().isoformat()


def filled(name: str, program: str, **values: str | list[str]) -> str:
    """A SQL template of kado/reports (`statements/contributions`) with its literals in:
    every `?` the program, each {name} its value (a list: the values, comma separated),
    each checked to be a safe literal first."""
    text = _text(name).replace("?", _literal(program))
    for key, value in values.items():
        listed = value if isinstance(value, list) else [value]
        text = text.replace("{" + key + "}", ", ".join(_literal(v) for v in listed))
    return text


def bound(name: str, program: str, *more: str) -> str:
    """A report of kado/reports that takes parameters after its program, with them in: the
    first `?` the program, the others `more` in order, each checked to be a safe literal
    (as lake.report binds them on DuckDB)."""
    parts = _text(name).split("?")
    if len(parts) != len(more) + 2:
        raise ValueError(f"{name} takes {len(parts) - 2} parameters after its program")
    literals = [_literal(program), *(_literal(m) for m in more)]
    return "".join(part + (literals[i] if i < len(literals) else "")
                   for i, part in enumerate(parts))


def _text(name: str) -> str:
    return (SQL_FOLDER / f"{name}.sql").read_text(encoding="utf-8").strip().rstrip(";")


_ORDER = re.compile(r"\n\s*ORDER BY [^()]*$", re.IGNORECASE)
# Ids, dates and ISO moments: never a quote, a space or a comment.
_SAFE_LITERAL = re.compile(r"^[A-Za-z0-9_\-:.+]+$")


def _split_order(text: str) -> tuple[str, str]:
    """The report's last ORDER BY moved outside the narrowing (a subquery's order is not
    kept by Athena); it names output columns, so it reads the same there."""
    found = _ORDER.search(text)
    if found is None:
        return text, ""
    return text[:found.start()], "\n" + found.group().strip()


def _literal(value: str) -> str:
    if not _SAFE_LITERAL.match(value):
        raise ValueError(f"not a safe literal: {value!r}")
    return f"'{value}'"


def plan(name: str, program: str, starts: date, ends: date) -> Run:
    """A run of report `name` from `starts` to `ends` (inclusive), refused with every problem
    named where it cannot be run."""
    problems: list[tuple[str, str]] = []
    report = CATALOGUE.get(name)
    if report is None:
        problems.append(("report", f"one of {', '.join(sorted(CATALOGUE))}"))
    if ends < starts:
        problems.append(("to", "on or after from"))
    elif (ends - starts).days >= MAX_DAYS:
        problems.append(("to", f"at most {MAX_DAYS} days after from"))
    if not is_id(program):
        problems.append(("program", "not a program id"))
    if problems or report is None:
        raise ValidationFailed(problems)
    return Run(report, program, starts, ends)
