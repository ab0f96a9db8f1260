"""`kado vouchers import|issue`: files of any size through the admin API, in batches.

A file is CSV: the values are read from one column (`--column`, a name from the header or
a number from 1; by default the column named code / member, else the first). Whether the
first line is a header is detected (`--header auto`): it is when it names a known column
or its value is not a plausible code or member id; `--header yes|no` says so outright.
Each bad line is reported with its number and the rest go on.

Both are safe to run again after an interruption: an import reports codes already on
file instead of adding them twice, and an issue derives each batch's idempotency key from
the file, product and batch, so a re-run issues nothing new and says "already issued".
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from tqdm import tqdm

from kado.domain.validation import is_id
from kado.domain.vouchers import codes
from kado.local import text_files
from kado.local.admin_client import AdminCallError, call

IMPORT_BATCH = 1000
ISSUE_BATCH = 100
ALREADY_ON_FILE = "already in the program"
CODE_COLUMNS = ("code", "codes", "voucher", "voucher_code")
MEMBER_COLUMNS = ("member", "memberid", "member_id", "id")
IMPORT = """mutation($i: ImportCodesInput!) { importVoucherCodes(input: $i) {
  imported rejected { index code error { code message } } errors { code message } } }"""
ISSUE = """mutation($i: IssueVouchersInput!) { issueVouchers(input: $i) {
  results { memberId alreadyIssued voucher { id } errors { code message } }
  errors { code message } } }"""


@dataclass
class Tally:
    done: int = 0
    skipped: int = 0  # already imported / already issued by an earlier run
    problems: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Columns:
    column: str | None = None  # a header name or a 1-based number; None: detect
    header: str = "auto"  # auto | yes | no


def _plausible_code(value: str) -> bool:
    return bool(codes.POOL_CODE.fullmatch(codes.normalise(value)))


def read_column(path: Path, how: Columns, known: tuple[str, ...],
                plausible: Callable[[str], bool]) -> tuple[list[tuple[int, str]], list[str]]:
    """(line, value) of each non-empty row of the chosen column, and per-line problems."""
    table = text_files.rows(path)
    rows = [(n, [cell.strip() for cell in row]) for n, row in enumerate(table, start=1)
            if any(cell.strip() for cell in row)]
    if not rows:
        return [], [f"{path}: no values in the file"]
    first = [cell.lower() for cell in rows[0][1]]
    named = how.column is not None and not how.column.isdigit()
    has_header = {"yes": True, "no": False}.get(how.header, named or any(
        cell in known for cell in first) or not plausible(rows[0][1][0]))
    if named and not has_header:
        raise AdminCallError([f"{path}: --column {how.column!r} names a header column, but "
                              "--header no says there is none: give a number instead"])
    if how.column is None:
        index = next((first.index(name) for name in known if name in first), 0) \
            if has_header else 0
    elif how.column.isdigit():
        index = int(how.column) - 1
    elif how.column.lower() in first:
        index = first.index(how.column.lower())
    else:
        raise AdminCallError([f"{path}: no column {how.column!r} in the header "
                              f"({', '.join(rows[0][1])}): pass --column with one of them"])
    values, problems = [], []
    for line, cells in rows[1:] if has_header else rows:
        if index >= len(cells) or not cells[index]:
            problems.append(f"{path}:{line}: no value in column {index + 1}")
        else:
            values.append((line, cells[index]))
    return values, problems


def _batches(rows: list[tuple[int, str]], size: int) -> Iterator[list[tuple[int, str]]]:
    for start in range(0, len(rows), size):
        yield rows[start:start + size]


def import_codes(path: Path, product: str, endpoint: str, token: str,
                 how: Columns = Columns()) -> Tally:
    rows, problems = read_column(path, how, CODE_COLUMNS, _plausible_code)
    tally = Tally(problems=problems)
    with tqdm(total=len(rows), unit="code", desc=f"import {product}", disable=None) as bar:
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


def issue(path: Path, product: str, reason: str, endpoint: str, token: str,
          how: Columns = Columns()) -> Tally:
    rows, problems = read_column(path, how, MEMBER_COLUMNS, is_id)
    tally = Tally(problems=problems)
    first_seen: dict[str, int] = {}
    unique = []
    for line, member in rows:  # the API refuses a batch naming a member twice: say where
        if member in first_seen:
            tally.problems.append(f"{path}:{line}: {member}: listed twice (first on line "
                                  f"{first_seen[member]}); issued once")
        else:
            first_seen[member] = line
            unique.append((line, member))
    run = hashlib.sha256(path.read_bytes() + product.encode()).hexdigest()[:16]
    with tqdm(total=len(unique), unit="member", desc=f"issue {product}",
              disable=None) as bar:  # a bar only on a terminal
        for index, batch in enumerate(_batches(unique, ISSUE_BATCH)):
            result = call(endpoint, token, ISSUE, {"i": {
                "productId": product, "memberIds": [m for _, m in batch], "reason": reason,
                "idempotencyKey": f"cli-issue-{run}-{index}"}})["issueVouchers"]
            _raise_errors(result["errors"])
            for (line, member), outcome in zip(batch, result["results"], strict=True):
                if outcome["voucher"] and outcome["alreadyIssued"]:
                    tally.skipped += 1
                elif outcome["voucher"]:
                    tally.done += 1
                else:
                    tally.problems += [f"{path}:{line}: {member}: {e['code']}: {e['message']}"
                                       for e in outcome["errors"]]
            bar.update(len(batch))
    return tally


def _raise_errors(errors: list[dict[str, str]]) -> None:
    if errors:
        raise AdminCallError([f"{e['code']}: {e['message']}" for e in errors])
