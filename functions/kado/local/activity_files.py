"""`kado activities import FILE.csv|.jsonl`: partner activity files through the admin API.

Safe to run again after an interruption: activities are recorded by externalId, so a
re-run reports those already recorded (DUPLICATE) instead of counting them twice.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from tqdm import tqdm

from kado.domain import activities as domain
from kado.domain.errors import DomainError
from kado.local import text_files
from kado.local.admin_client import AdminCallError, call
from kado.local.voucher_files import Tally

BATCH = domain.MAX_BATCH
CSV_COLUMNS = ("externalId", "memberId", "type", "occurredAt", "amount", "currency",
               "quantity", "tags", "accountId", "returns")
FORMAT_HELP = f"""file formats:
  .jsonl  one JSON object a line, with the fields of the GraphQL ActivityInput:
          {{"externalId": "INV-1", "memberId": "alice", "type": "PURCHASE",
           "occurredAt": "2026-11-20T10:00:00Z", "amount": {{"value": 1250,
           "currency": "EUR"}}, "tags": ["online"], "attributes": {{"store": "12"}},
           "accountId": "acme", "returns": null}}
  .csv    a header row naming some of: {", ".join(CSV_COLUMNS)}
          amount in minor units (1250 = 12.50 EUR; VND has none) with its currency;
          tags separated by ';'. Separated by commas, semicolons or tabs; UTF-8 (with or
          without BOM), UTF-16, Windows-1258 or TIS-620, as spreadsheets save them
Each activity is recorded once by externalId: re-running a file records nothing twice.
Lines that cannot be read or are refused are listed as FILE:LINE and do not stop the rest."""
RECORD = """mutation($i: RecordActivitiesInput!) { recordActivities(input: $i) {
  results { externalId outcome errors { code field message } } errors { code message } } }"""


def _jsonl(path: Path) -> Iterator[tuple[int, Any]]:
    text, _ = text_files.read_text(path)
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            try:
                yield number, json.loads(line)
            except ValueError:
                yield number, None


def _csv(path: Path) -> Iterator[tuple[int, Any]]:
    table = text_files.rows(path)
    header = [cell.strip() for cell in next(table, [])]
    unknown = [name for name in header if name and name not in CSV_COLUMNS]
    if unknown:  # one wrong header would refuse every line: say which, before any line
        raise text_files.FileProblem(
            f"{path}: unknown column{'s' if len(unknown) > 1 else ''} {', '.join(unknown)} "
            f"(the columns are {', '.join(CSV_COLUMNS)})")
    for number, cells in enumerate(table, start=2):
        row = dict(zip(header, cells, strict=False))
        if not any(cell.strip() for cell in cells):
            continue
        data: dict[str, Any] = {k: v.strip() for k, v in row.items() if k and v and v.strip()}
        if "amount" in data:
            data["amount"] = {"value": _int(data["amount"]),
                              "currency": data.pop("currency", "")}
        if "quantity" in data:
            data["quantity"] = _int(data["quantity"])
        if "tags" in data:
            data["tags"] = [t.strip() for t in data["tags"].split(";") if t.strip()]
        yield number, data


def _int(text: str) -> int | str:
    return int(text) if text.lstrip("-").isdigit() else text


def _read(path: Path, tally: Tally) -> list[tuple[int, dict[str, Any]]]:
    """Lines that parse into an activity; the others are reported with their number."""
    rows = _jsonl(path) if path.suffix == ".jsonl" else _csv(path)
    readable = []
    for number, data in rows:
        try:
            domain.from_json(data)
        except DomainError as problem:
            details = getattr(problem, "problems", [(problem.field, problem.message)])
            tally.problems += [f"{path}:{number}: {field}: {message}"
                               for field, message in details]
            continue
        readable.append((number, data))
    return readable


ACCOUNT = "query($id: ID!) { account(id: $id) { id } }"
# The attribute a distributor's file stamps on each of its activities.
DISTRIBUTOR = "distributor"


def import_activities(path: Path, endpoint: str, token: str,
                      distributor: str | None = None) -> Tally:
    """Record a file's activities. With `distributor` (a company on file), it is the
    distributor's data: each activity carries the distributor as an attribute, and its
    externalId is the distributor's own, so two distributors' INV-1 are two activities."""
    if distributor is not None and call(endpoint, token, ACCOUNT,
                                        {"id": distributor})["account"] is None:
        raise AdminCallError([f"no company {distributor!r} on file: upsert it first"])
    tally = Tally()
    rows = _read(path, tally)
    if distributor is not None:
        rows = _from_distributor(path, rows, distributor, tally)
    with tqdm(total=len(rows), unit="activity", desc=f"import {path.name}",
              disable=None) as bar:  # a bar only on a terminal
        for start in range(0, len(rows), BATCH):
            batch = rows[start:start + BATCH]
            result = call(endpoint, token, RECORD, {"i": {"activities": [
                _input(data) for _, data in batch]}})["recordActivities"]
            if result["errors"]:
                raise AdminCallError([f"{e['code']}: {e['message']}" for e in result["errors"]])
            for (number, data), outcome in zip(batch, result["results"], strict=True):
                if outcome["outcome"] == "RECORDED":
                    tally.done += 1
                elif outcome["outcome"] == "DUPLICATE":
                    tally.skipped += 1
                elif outcome["outcome"] == "CONFLICT":
                    tally.problems.append(f"{path}:{number}: {data['externalId']}: CONFLICT: "
                                          "recorded before with other content")
                else:
                    tally.problems += [f"{path}:{number}: {data['externalId']}: {e['code']}: "
                                       f"{e['message']}" for e in outcome["errors"]]
            bar.update(len(batch))
    return tally


def _from_distributor(path: Path, rows: list[tuple[int, dict[str, Any]]], distributor: str,
                      tally: Tally) -> list[tuple[int, dict[str, Any]]]:
    stamped = []
    for number, data in rows:
        named = (data.get("attributes") or {}).get(DISTRIBUTOR)
        if named not in (None, distributor):  # a line saying another distributor sent it
            tally.problems.append(f"{path}:{number}: attributes.{DISTRIBUTOR}: {named!r} in "
                                  f"a file from {distributor!r}")
            continue
        own = {**data, "externalId": f"{distributor}:{data['externalId']}",
               "attributes": {**(data.get("attributes") or {}), DISTRIBUTOR: distributor}}
        if data.get("returns"):  # a return names the purchase as the distributor numbered it
            own["returns"] = f"{distributor}:{data['returns']}"
        stamped.append((number, own))
    return stamped


def _input(data: dict[str, Any]) -> dict[str, Any]:
    """The GraphQL ActivityInput: attributes go as key/value pairs."""
    value = {k: v for k, v in data.items() if k != "attributes"}
    attributes = data.get("attributes") or {}
    if attributes:
        value["attributes"] = [{"key": k, "value": v} for k, v in attributes.items()]
    return value
