"""Reading the files partners send: the encodings spreadsheets save and the separators they use.

Excel saves "CSV" as UTF-8 with or without a BOM, as UTF-16 ("Unicode text") or in the
machine's legacy code page: Windows-1258 in Vietnam, TIS-620 (Windows-874) in Thailand.
Where Excel's list separator is the comma used as a decimal mark (much of Europe and Asia),
its CSV is separated by semicolons. charset-normalizer tells the two legacy code pages
apart by which decoding reads as text; a file it cannot place is refused, never guessed.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator
from pathlib import Path

LEGACY = {"cp1258": "Windows-1258", "tis_620": "TIS-620"}
SEPARATORS = ",;\t|"
# A decoding whose text looks this messy (charset-normalizer's chaos) is not the file's.
MAX_CHAOS = 0.1


class FileProblem(ValueError):
    """A file that cannot be read as text or as a table: what to do about it, in a line."""


def read_text(path: Path) -> tuple[str, str]:
    """The file's text and the encoding it was read in."""
    raw = path.read_bytes()
    if raw.startswith(codecs.BOM_UTF8):
        return raw[len(codecs.BOM_UTF8):].decode("utf-8"), "UTF-8 with BOM"
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return raw.decode("utf-16"), "UTF-16"
    try:
        return raw.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(raw, cp_isolation=list(LEGACY)).best()
    if best is None or best.encoding not in LEGACY or best.chaos > MAX_CHAOS:
        raise FileProblem(f"{path}: not text in UTF-8, UTF-16, Windows-1258 or TIS-620: "
                          "save it from the spreadsheet as 'CSV UTF-8'")
    return str(best), LEGACY[best.encoding]


def rows(path: Path) -> Iterator[list[str]]:
    """The file's rows, split on the separator its first line uses."""
    text, _ = read_text(path)
    first = next((line for line in text.splitlines() if line.strip()), "")
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(first, SEPARATORS)
    except csv.Error:
        dialect = csv.excel  # one column: no separator to find
    return csv.reader(io.StringIO(text, newline=""), dialect)
