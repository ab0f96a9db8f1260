"""The facts lake, locally: the facts the outbox publishes (services/kernel/outbox.facts_of,
the same code the publisher runs in AWS) written as Parquet under the dev data dir, one
table per fact kind, partitioned by program and day, and the reports' SQL
(functions/kado/reports/*.sql) run on them with DuckDB. In AWS the same facts reach S3 as
Parquet through EventBridge and Firehose and the same SQL runs on Athena
(docs/adr/0010-a-facts-lake-on-parquet.md).

Facts are delivered at least once (a retried stream batch sends some again), so a file
may repeat a fact: every report counts a fact once, by its `id`.
"""

from __future__ import annotations

import re
import secrets
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kado.domain.reports import SQL_FOLDER
from kado.services.kernel.outbox import Fact

REPORTS = SQL_FOLDER  # the reports' SQL, one folder for both engines


@dataclass(frozen=True)
class Table:
    """One fact kind's table: the envelope's columns, then its own, in snake case."""

    name: str
    fact: str
    version: int
    columns: tuple[tuple[str, str], ...]  # (detail field, SQL type)

    @property
    def qualified(self) -> str:
        """The name reports query, the Glue table's name on Athena and the folder's."""
        return f"{self.name}_v{self.version}"


ENVELOPE = (("id", "VARCHAR"), ("program", "VARCHAR"), ("member_id", "VARCHAR"),
            ("occurred_at", "VARCHAR"))
TABLES = {t.fact: t for t in (
    Table("spin_played", "SpinPlayed", 1, (("campaignId", "VARCHAR"), ("spinId", "VARCHAR"),
                                           ("won", "BOOLEAN"), ("outcome", "VARCHAR"))),
    Table("spin_won", "SpinWon", 1, (("campaignId", "VARCHAR"), ("spinId", "VARCHAR"),
                                     ("prizeId", "VARCHAR"), ("voucherId", "VARCHAR"),
                                     # added later: null in older files
                                     ("prizeKind", "VARCHAR"), ("cost", "BIGINT"))),
    Table("voucher_issued", "VoucherIssued", 1, (("voucherId", "VARCHAR"),
                                                 ("productId", "VARCHAR"),
                                                 ("balance", "BIGINT"))),
    Table("voucher_redeemed", "VoucherRedeemed", 1, (("voucherId", "VARCHAR"),
                                                     ("productId", "VARCHAR"),
                                                     ("amount", "BIGINT"),
                                                     ("balance", "BIGINT"),
                                                     # added later: null in older files
                                                     ("merchantId", "VARCHAR"))),
    Table("registration_confirmed", "RegistrationConfirmed", 1, (("eventId", "VARCHAR"),)),
    Table("checked_in", "CheckedIn", 1, (("eventId", "VARCHAR"),)),
    Table("registration_cancelled", "Cancelled", 1, (("eventId", "VARCHAR"),
                                                     ("reason", "VARCHAR"),
                                                     ("was", "VARCHAR"))),
    Table("quest_started", "QuestStarted", 1, (("questId", "VARCHAR"), ("cycle", "VARCHAR"),
                                               ("accountId", "VARCHAR"),
                                               ("joined", "BOOLEAN"))),
    Table("quest_completed", "QuestCompleted", 1, (("questId", "VARCHAR"),
                                                   ("cycle", "VARCHAR"),
                                                   ("accountId", "VARCHAR"))),
    Table("activity_recorded", "ActivityRecorded", 1, (
        ("externalId", "VARCHAR"), ("activityType", "VARCHAR"), ("amount", "BIGINT"),
        ("currency", "VARCHAR"), ("points", "BIGINT"), ("accountId", "VARCHAR"),
        # Added after the first files: a column at the end, null in older files (Parquet
        # and Glue read a table whose later files have one more column).
        ("companyId", "VARCHAR"))),
    Table("points_moved", "PointsMoved", 1, (
        ("holderKind", "VARCHAR"), ("holderId", "VARCHAR"), ("delta", "BIGINT"),
        ("balanceAfter", "BIGINT"), ("expired", "BIGINT"), ("source", "VARCHAR"),
        ("sourceRef", "VARCHAR"), ("actor", "VARCHAR"))),
    Table("tier_changed", "TierChanged", 1, (
        ("holderKind", "VARCHAR"), ("holderId", "VARCHAR"), ("tier", "VARCHAR"),
        ("previous", "VARCHAR"), ("period", "VARCHAR"), ("reason", "VARCHAR"))),
)}


def snake(name: str) -> str:
    return re.sub(r"(?<!^)([A-Z])", r"_\1", name).lower()


def write(facts: list[Fact], root: Path) -> list[Path]:
    """Append `facts` to the lake under `root`: one new Parquet file per table, program and
    day (files are never rewritten, as Firehose never rewrites an object)."""
    import duckdb

    groups: dict[tuple[Table, str, str], list[tuple[Any, ...]]] = defaultdict(list)
    for fact in facts:
        table = TABLES.get(fact.type)
        if table is None:
            continue
        row = (fact.id, fact.program, fact.member_id, fact.occurred_at,
               *(fact.detail.get(field) for field, _ in table.columns))
        groups[(table, fact.program, fact.occurred_at[:10])].append(row)
    written = []
    with duckdb.connect() as con:
        for (table, program, day), rows in groups.items():
            columns = [*ENVELOPE, *((snake(f), kind) for f, kind in table.columns)]
            con.execute("CREATE OR REPLACE TEMP TABLE batch (" +
                        ", ".join(f"{name} {kind}" for name, kind in columns) + ")")
            marks = ", ".join("?" * len(columns))
            con.executemany(f"INSERT INTO batch VALUES ({marks})", rows)  # noqa: S608
            folder = root / table.qualified / f"program={program}" / \
                f"day={day}"
            folder.mkdir(parents=True, exist_ok=True)
            target = folder / f"part-{secrets.token_hex(8)}.parquet"
            con.execute(f"COPY batch TO '{target}' (FORMAT PARQUET)")
            written.append(target)
    return written


def _view(table: Table, files: Path, con: Any) -> str:
    """The table as a view over its Parquet files (day and program from the partition
    folders, as Athena reads them), or an empty one where nothing was written yet. A column
    added after the older files were written reads as null in them (union_by_name), and as
    null everywhere while no file has it yet (the newest file says which columns files have
    now: one footer read, not every file's). Names come from TABLES and the path from the
    data dir, never from a request."""
    columns = [*ENVELOPE, *((snake(f), k) for f, k in table.columns)]
    newest = max(files.rglob("*.parquet"), key=lambda f: f.stat().st_mtime, default=None)
    if newest is not None:
        source = (f"read_parquet('{files}/**/*.parquet', hive_partitioning = true, "
                  "union_by_name = true, hive_types = {'program': VARCHAR, 'day': VARCHAR})")
        present = {row[0] for row in con.execute("DESCRIBE SELECT * FROM read_parquet(?)",
                                                  [str(newest)]).fetchall()}
        listed = ", ".join(n if n in present else f"CAST(NULL AS {k}) AS {n}"
                           for n, k in columns)
        return f"CREATE VIEW {table.qualified} AS SELECT {listed}, day FROM {source}"  # noqa: S608
    nulls = ", ".join(f"CAST(NULL AS {k}) AS {n}" for n, k in (*columns, ("day", "VARCHAR")))
    return f"CREATE VIEW {table.qualified} AS SELECT * FROM (SELECT {nulls}) WHERE false"  # noqa: S608


def report(name: str, root: Path, program: str, *more: Any) -> list[dict[str, Any]]:
    """Run kado/reports/<name>.sql on DuckDB over the lake under `root`, with `program` (and
    `more`) as its parameters."""
    sql = (REPORTS / f"{name}.sql").read_text(encoding="utf-8")
    with _connected(root, sql) as con:
        # Every `?` of a report is its program (a table named twice names it twice), but
        # for a report that takes more (a window), whose parameters follow it.
        cursor = con.execute(sql, [program, *more] if more else [program] * sql.count("?"))
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _connected(root: Path, sql: str | None = None) -> Any:
    """A DuckDB connection with the lake's tables under `root` as views: those `sql` names
    (each view binds its files' schemas when made, so a report pays for its own tables
    only), or all of them."""
    import duckdb

    con = duckdb.connect()
    for table in TABLES.values():
        if sql is None or table.qualified in sql:
            con.execute(_view(table, root / table.qualified, con))
    return con


class LakeEngine:
    """Report jobs on DuckDB over the local lake (services/reports.py's engine in dev and
    tests): the query runs when the job starts, its rows written as CSV (the one safe CSV
    writer) and Parquet under `out`, and the files' links are their paths."""

    def __init__(self, root: Path, out: Path) -> None:
        self.root, self.out = root, out

    def start(self, job_id: str, sql: str) -> dict[str, Any]:
        from kado.domain.spreadsheet import csv_text

        folder = self.out / "reports" / job_id
        folder.mkdir(parents=True, exist_ok=True)
        csv_path, parquet_path = folder / "report.csv", folder / "report.parquet"
        with _connected(self.root, sql) as con:
            con.execute(f"CREATE TEMP TABLE result AS {sql}")
            # DuckDB sums integers to HUGEINT, which Parquet keeps as a double; Athena's
            # sums are BIGINT, so the files read the same from either engine.
            listed = ", ".join(f"CAST({name} AS BIGINT) AS {name}" if kind == "HUGEINT"
                               else name for name, kind, *_ in
                               con.execute("DESCRIBE result").fetchall())
            cursor = con.execute(f"SELECT {listed} FROM result")  # noqa: S608 - its own names
            columns = [d[0] for d in cursor.description]
            rows = cursor.fetchall()
            con.execute(f"COPY (SELECT {listed} FROM result) TO '{parquet_path}' "  # noqa: S608
                        "(FORMAT PARQUET)")
        csv_path.write_text(csv_text(columns, rows), encoding="utf-8")
        return {"job": job_id, "csv": str(csv_path), "parquet": str(parquet_path)}

    def rows(self, sql: str) -> list[dict[str, Any]]:
        """The query's rows, as text (as Athena gives them), waited for."""
        with _connected(self.root, sql) as con:
            cursor = con.execute(sql)
            columns = [d[0] for d in cursor.description]
            return [{c: None if v is None else str(v) for c, v in zip(columns, row, strict=True)}
                    for row in cursor.fetchall()]

    def progress(self, handles: dict[str, Any]) -> Any:
        from kado.domain.reports import DONE, PREVIEW_ROWS, Progress

        with _connected(self.root, "") as con:  # the job's own file: no table of the lake
            cursor = con.execute("SELECT * FROM read_parquet(?)", [handles["parquet"]])
            columns = [d[0] for d in cursor.description]
            rows = cursor.fetchall()
        preview = [{c: None if v is None else str(v) for c, v in zip(columns, row, strict=True)}
                   for row in rows[:PREVIEW_ROWS]]
        return Progress(DONE, Path(handles["parquet"]).stat().st_size, len(rows), preview,
                        columns)

    def files(self, handles: dict[str, Any]) -> list[Any]:
        from kado.domain.reports import File

        return [File("CSV", Path(handles["csv"]).resolve().as_uri()),
                File("PARQUET", Path(handles["parquet"]).resolve().as_uri())]
