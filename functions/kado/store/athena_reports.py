"""Report jobs on Athena: the report's SELECT (Athena writes its rows as CSV where the
workgroup says, infra/lake.yaml) and an UNLOAD of the same query as Parquet under the
job's own folder of the lake's bucket, both started at once and polled by the job.

The workgroup enforces its result location and a scan cutoff per query, so a report can
neither write elsewhere nor cost more than the cutoff allows."""

from __future__ import annotations

import time
from typing import Any

from kado.config import settings
from kado.domain.reports import DONE, FAILED, PREVIEW_ROWS, RUNNING, File, Progress
from kado.store.kernel.s3 import client as s3

WAIT_POLL_S, WAIT_POLLS = 1.0, 240  # a worker waits up to four minutes for a query
LINK_SECONDS = 900  # a download link: long enough to click, short enough to leak little
ENDED = {"SUCCEEDED": DONE, "FAILED": FAILED, "CANCELLED": FAILED}

_athena: Any = None


def _client() -> Any:
    global _athena  # noqa: PLW0603 - one connection pool per process
    if _athena is None:
        from botocore.config import Config
        from botocore.session import get_session

        _athena = get_session().create_client(
            "athena", region_name=settings().region, config=Config(retries={"mode": "standard"}))
    return _athena


def _started(sql: str, token: str | None = None) -> str:
    """A query started in the reports' workgroup (a token makes a retry start nothing new)."""
    cfg = settings()
    return str(_client().start_query_execution(
        QueryString=sql, QueryExecutionContext={"Database": cfg.facts_database or "kado_facts"},
        WorkGroup=cfg.reports_workgroup,
        # The workgroup enforces this very place; named so a query never depends on a
        # workgroup that does not.
        ResultConfiguration={"OutputLocation": f"s3://{cfg.facts_bucket}/athena-results/"},
        **({"ClientRequestToken": token} if token else {}))["QueryExecutionId"])


def parquet_prefix(job_id: str) -> str:
    return f"reports/{job_id}/parquet/"


class AthenaReports:
    def start(self, job_id: str, sql: str) -> dict[str, Any]:
        # The Parquet copy is written by the query itself (UNLOAD), so it is exactly the rows
        # of the CSV; its folder is the job's, so a retry's copy lands in the same place.
        unload = (f"UNLOAD ({sql}) TO 's3://{settings().facts_bucket}/"
                  f"{parquet_prefix(job_id)}' WITH (format = 'PARQUET', compression = 'SNAPPY')")
        return {"job": job_id, **{name: _started(text, f"{job_id}-{name}".ljust(32, "0"))
                                  for name, text in (("csv", sql), ("parquet", unload))}}

    def rows(self, sql: str) -> list[dict[str, Any]]:
        """The query's rows, waited for (a worker's call: a statement job's, not a
        request's), read page by page from Athena's results."""
        execution = _started(sql)
        for _ in range(WAIT_POLLS):
            status = _client().get_query_execution(QueryExecutionId=execution)[
                "QueryExecution"]["Status"]
            if status["State"] in ENDED:
                break
            time.sleep(WAIT_POLL_S)
        if status["State"] != "SUCCEEDED":
            raise RuntimeError(f"query {execution} {status['State']}: "
                               f"{status.get('StateChangeReason', 'still running')}")
        found: list[dict[str, Any]] = []
        columns: list[str] = []
        pages = _client().get_paginator("get_query_results")
        for page in pages.paginate(QueryExecutionId=execution):
            for row in page["ResultSet"]["Rows"]:
                cells = [cell.get("VarCharValue") for cell in row["Data"]]
                if not columns:
                    columns = [str(c) for c in cells]  # the header, on the first page
                    continue
                found.append(dict(zip(columns, cells, strict=False)))
        return found

    def progress(self, handles: dict[str, Any]) -> Progress:
        executions = [_client().get_query_execution(QueryExecutionId=handles[name])[
            "QueryExecution"] for name in ("csv", "parquet")]
        states = [ENDED.get(e["Status"]["State"], RUNNING) for e in executions]
        scanned = sum(int(e.get("Statistics", {}).get("DataScannedInBytes", 0))
                      for e in executions)
        if FAILED in states:
            reasons = [e["Status"].get("StateChangeReason", "") for e in executions]
            return Progress(FAILED, scanned, error="; ".join(r for r in reasons if r)[:500])
        if RUNNING in states:
            return Progress(RUNNING, scanned)
        columns, preview, complete = self._preview(handles["csv"])
        return Progress(DONE, scanned, len(preview) if complete else None, preview, columns)

    def _preview(self, execution: str) -> tuple[list[str], list[dict[str, Any]], bool]:
        """The first rows for the console (the header is Athena's first row)."""
        page = _client().get_query_results(QueryExecutionId=execution,
                                           MaxResults=PREVIEW_ROWS + 1)
        rows = [[cell.get("VarCharValue") for cell in row["Data"]]
                for row in page["ResultSet"]["Rows"]]
        columns = [str(c) for c in (rows[0] if rows else [])]
        preview = [dict(zip(columns, row, strict=False)) for row in rows[1:]]
        return columns, preview, "NextToken" not in page

    def files(self, handles: dict[str, Any]) -> list[File]:
        execution = _client().get_query_execution(QueryExecutionId=handles["csv"])
        bucket, key = _split(execution["QueryExecution"]["ResultConfiguration"][
            "OutputLocation"])
        found = [File("CSV", _link(bucket, key))]
        listed = s3().list_objects_v2(Bucket=settings().facts_bucket,
                                      Prefix=parquet_prefix(str(handles["job"])))
        found += [File("PARQUET", _link(settings().facts_bucket or "", o["Key"]))
                  for o in listed.get("Contents", [])]
        return found


def _split(location: str) -> tuple[str, str]:
    bucket, _, key = location.removeprefix("s3://").partition("/")
    return bucket, key


def _link(bucket: str, key: str) -> str:
    link: str = s3().generate_presigned_url("get_object", Params={"Bucket": bucket, "Key": key},
                                            ExpiresIn=LINK_SECONDS)
    return link
