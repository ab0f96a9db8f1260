"""How the reports' SQL scales: synthetic facts in the lake's own layout, each report timed
on DuckDB in a fresh process (time and peak memory), and what Athena would charge for it.

The facts are made by DuckDB itself (a million rows a second, where building Fact objects
would take the whole run), written as the lake's tables with the lake's partitions, with
1 % of them delivered twice, as the outbox's at-least-once delivery does. One program holds
40 % of them (the large customer whose reports are slowest); the reports run for it.

Athena bills the bytes it reads, at least 10 MB a query. The estimate is the size of the
files in the program's partitions of each table the report reads: partition projection
prunes the rest, and Parquet's column pruning makes the real figure smaller, so it is an
upper bound.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from kado.local import lake

ATHENA_USD_PER_TB = 5.0  # us-east-1, as published on 2026-11-01
ATHENA_MIN_BYTES = 10 * 1024 ** 2
BIG = "p00"
PROGRAMS = 20
DAYS = 365
DUPLICATED = 0.01
# Each fact kind's share of the facts, and how its own columns are made from row number i.
SHARES = {
    "ActivityRecorded": (0.4, {
        "externalId": "'x' || i", "activityType": "CASE WHEN i % 10 = 0 THEN 'RETURN' "
                                                  "ELSE 'PURCHASE' END",
        "amount": "10000 + (i * 7919) % 990000", "currency": "'VND'",
        "points": "(i * 31) % 500", "accountId": "'acct-' || (i % 5000)",
        "companyId": "'acct-' || (i % 5000)"}),
    "SpinPlayed": (0.1, {
        "campaignId": "'camp-' || (i % 12)", "spinId": "'p' || i", "won": "i % 3 = 0",
        "outcome": "CASE WHEN i % 3 = 0 THEN 'WON' ELSE 'NO_PRIZE' END"}),
    "SpinWon": (0.2, {
        "campaignId": "'camp-' || (i % 12)", "spinId": "'s' || i",
        "prizeId": "'prize-' || (i % 5)", "voucherId": "'v' || i"}),
    "VoucherRedeemed": (0.1, {
        "voucherId": "'v' || i", "productId": "'prod-' || (i % 8)",
        "amount": "50000 + (i * 104729) % 450000", "balance": "0"}),
    "PointsMoved": (0.18, {
        "holderKind": "CASE WHEN i % 20 = 0 THEN 'COMPANY' ELSE 'MEMBER' END",
        "holderId": "'m' || ((i * 48271) % 1000000)",
        "delta": "CASE WHEN i % 4 = 0 THEN -((i * 13) % 300) ELSE (i * 31) % 500 END",
        "balanceAfter": "(i * 17) % 10000", "expired": "CASE WHEN i % 50 = 0 THEN 20 ELSE 0 END",
        "source": "'ACTIVITY'", "sourceRef": "'x' || i", "actor": "'partner'"}),
    "TierChanged": (0.02, {
        "holderKind": "'MEMBER'", "holderId": "'m' || ((i * 48271) % 1000000)",
        "tier": "CASE WHEN i % 3 = 0 THEN 'gold' ELSE 'silver' END", "previous": "'blue'",
        "period": "'2026'", "reason": "'earned'"}),
}
# The parameters each report takes after the program.
PARAMETERS: dict[str, tuple[Any, ...]] = {
    # A quarter-long campaign's window, from the first day the facts cover.
    "member_revenue": ("2026-01-01T00:00:00Z", "2026-04-01T00:00:00Z", "2026-01-01",
                       "2026-03-31"),
}


def generate(root: Path, facts: int, days: int = DAYS) -> dict[str, int]:
    """Write about `facts` facts over `days` days under `root` (the lake's layout); the rows
    written per table, the repeated deliveries included."""
    import duckdb

    written = {}
    with duckdb.connect() as con:
        con.execute("SET enable_progress_bar = false")
        for fact, (share, own) in SHARES.items():
            table = lake.TABLES[fact]
            rows = int(facts * share)
            program = (f"CASE WHEN i % 10 < 4 THEN '{BIG}' "
                       f"ELSE 'p' || lpad(CAST(1 + i % {PROGRAMS - 1} AS VARCHAR), 2, '0') END")
            moment = f"TIMESTAMP '2026-01-01' + INTERVAL ((i // {PROGRAMS}) % {days}) DAY + " \
                     "INTERVAL ((i * 13) % 86400) SECOND"
            columns = [f"'{fact}-' || i AS id", f"{program} AS program",
                       "'m' || ((i * 48271) % 1000000) AS member_id",
                       f"strftime({moment}, '%Y-%m-%dT%H:%M:%SZ') AS occurred_at",
                       *(f"{expression} AS {lake.snake(field)}"
                         for field, expression in own.items())]
            twice = int(rows * DUPLICATED)
            select = (f"SELECT {', '.join(columns)} FROM range({rows}) AS r(i) "  # noqa: S608
                      f"UNION ALL SELECT {', '.join(columns)} FROM range({twice}) AS r(i)")
            target = root / table.qualified
            con.execute(f"COPY (SELECT *, substr(occurred_at, 1, 10) AS day FROM ({select})) "  # noqa: S608
                        f"TO '{target}' (FORMAT PARQUET, PARTITION_BY (program, day), "
                        "OVERWRITE_OR_IGNORE true)")
            written[table.qualified] = rows + twice
    return written


def _tables_read(name: str) -> list[str]:
    sql = (lake.REPORTS / f"{name}.sql").read_text(encoding="utf-8")
    return sorted({t.qualified for t in lake.TABLES.values()
                   if re.search(rf"\b{t.qualified}\b", sql)})


def _bytes_of(root: Path, tables: list[str], program: str) -> int:
    return sum(f.stat().st_size for t in tables
               for f in (root / t / f"program={program}").rglob("*.parquet"))


def time_report(name: str, root: Path) -> dict[str, Any]:
    """One report on DuckDB in a fresh process: its seconds, peak memory and rows."""
    code = (
        "import json, sys, time\n"
        "from pathlib import Path\n"
        "from kado.local import lake\n"
        "name, root, params = sys.argv[1], Path(sys.argv[2]), json.loads(sys.argv[3])\n"
        "started = time.perf_counter()\n"
        f"rows = lake.report(name, root, {BIG!r}, *params)\n"
        "seconds = time.perf_counter() - started\n"
        # VmHWM, not ru_maxrss: Linux starts a child's ru_maxrss at its parent's size
        "status = Path('/proc/self/status').read_text().split('VmHWM:')[1]\n"
        "peak = int(status.split()[0]) * 1024\n"
        "print(json.dumps({'seconds': seconds, 'peak_bytes': peak, 'rows': len(rows), "
        "'first': rows[0] if rows else None}, default=str))\n")
    done = subprocess.run([sys.executable, "-c", code, name, str(root),  # noqa: S603
                           json.dumps(PARAMETERS.get(name, ()))],
                          capture_output=True, text=True, check=True)
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def measure(root: Path, facts: int, days: int = DAYS,
            names: list[str] | None = None) -> dict[str, Any]:
    """Generate the facts, then time each report (every one in kado/reports/ unless `names`)."""
    started = time.perf_counter()
    written = generate(root, facts, days)
    made = time.perf_counter() - started
    reports = {}
    for name in names or sorted(p.stem for p in lake.REPORTS.glob("*.sql")):
        ran = time_report(name, root)
        tables = _tables_read(name)
        scanned = _bytes_of(root, tables, BIG)
        billed = max(scanned, ATHENA_MIN_BYTES)
        reports[name] = {
            "duckdb_seconds": round(ran["seconds"], 3),
            "duckdb_peak_memory_mb": round(ran["peak_bytes"] / 1024 ** 2, 1),
            "rows": ran["rows"], "tables": tables,
            "parquet_mb_in_the_programs_partitions": round(scanned / 1024 ** 2, 1),
            "athena_usd_at_most": round(billed / 1024 ** 4 * ATHENA_USD_PER_TB, 6)}
    sizes = {t: round(sum(f.stat().st_size for f in (root / t).rglob("*.parquet"))
                      / 1024 ** 2, 1) for t in written}
    return {
        "facts": sum(written.values()), "rows_per_table": written,
        "duplicated_share": DUPLICATED, "programs": PROGRAMS, "days": days,
        "reported_program": BIG, "reported_program_share": 0.4,
        "seconds_to_generate": round(made, 1), "parquet_mb_per_table": sizes,
        "athena_price": {"usd_per_tb_scanned": ATHENA_USD_PER_TB,
                         "minimum_mb_per_query": 10, "date": "2026-11-01"},
        "method": "each report in a fresh Python process on DuckDB (all cores), peak memory "
                  "being that process's high-water resident set (VmHWM, the interpreter "
                  "and DuckDB included); Athena's figure is the size "
                  "of the program's partitions of the tables read: an upper bound, since "
                  "Parquet lets Athena read only the columns a query names",
        "reports": reports,
    }
