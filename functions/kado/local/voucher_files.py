"""`kado vouchers import|issue`: files of any size through the admin API, in batches.

Both are safe to run again after an interruption: an import reports codes
already on file instead of adding them twice, and an issue derives each batch's
idempotency key from the file, product and batch, so a re-run issues nothing new.
"""

from __future__ import annotations

import csv
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from tqdm import tqdm

from kado.local.admin_client import AdminCallError, call

IMPORT_BATCH = 1000
ISSUE_BATCH = 100
ALREADY_ON_FILE = "already in the program"
IMPORT = """mutation($i: ImportCodesInput!) { importVoucherCodes(input: $i) {
  imported rejected { index code error { code message } } errors { code message } } }"""
ISSUE = """mutation($i: IssueVouchersInput!) { issueVouchers(input: $i) {
  results { memberId voucher { id } errors { code message } } errors { code message } } }"""


@dataclass
class Tally:
    done: int = 0
    skipped: int = 0  # already imported / already issued by an earlier run
    problems: list[str] = field(default_factory=list)


def _first_column(path: Path) -> list[tuple[int, str]]:
    """(line number, value) of each non-empty row; a header row named code/member is skipped."""
    rows: list[tuple[int, str]] = []
    with path.open(newline="") as handle:
        for number, row in enumerate(csv.reader(handle), start=1):
            value = row[0].strip() if row else ""
            if not value or (number == 1 and value.lower() in ("code", "member", "memberid")):
                continue
            rows.append((number, value))
    return rows


def _batches(rows: list[tuple[int, str]], size: int) -> Iterator[list[tuple[int, str]]]:
    for start in range(0, len(rows), size):
        yield rows[start:start + size]


def import_codes(path: Path, product: str, endpoint: str, token: str) -> Tally:
    rows, tally = _first_column(path), Tally()
    with tqdm(total=len(rows), unit="code", desc=f"import {product}") as bar:
        for batch in _batches(rows, IMPORT_BATCH):
            result = call(endpoint, token, IMPORT, {"i": {
                "productId": product, "codes": [code for _, code in batch]}})["importVoucherCodes"]
            _raise_errors(result["errors"])
            tally.done += result["imported"]
            for rejected in result["rejected"]:
                line = batch[rejected["index"]][0]
                if ALREADY_ON_FILE in rejected["error"]["message"]:
                    tally.skipped += 1
                else:
                    tally.problems.append(f"{path}:{line}: {rejected['code']!r}: "
                                          f"{rejected['error']['message']}")
            bar.update(len(batch))
    return tally


def issue(path: Path, product: str, reason: str, endpoint: str, token: str) -> Tally:
    rows, tally = _first_column(path), Tally()
    run = hashlib.sha256(path.read_bytes() + product.encode()).hexdigest()[:16]
    with tqdm(total=len(rows), unit="member", desc=f"issue {product}") as bar:
        for index, batch in enumerate(_batches(rows, ISSUE_BATCH)):
            result = call(endpoint, token, ISSUE, {"i": {
                "productId": product, "memberIds": [m for _, m in batch], "reason": reason,
                "idempotencyKey": f"cli-issue-{run}-{index}"}})["issueVouchers"]
            _raise_errors(result["errors"])
            for (line, member), outcome in zip(batch, result["results"], strict=True):
                if outcome["voucher"]:
                    tally.done += 1
                else:
                    tally.problems += [f"{path}:{line}: {member}: {e['code']}: {e['message']}"
                                       for e in outcome["errors"]]
            bar.update(len(batch))
    return tally


def _raise_errors(errors: list[dict[str, str]]) -> None:
    if errors:
        raise AdminCallError([f"{e['code']}: {e['message']}" for e in errors])
