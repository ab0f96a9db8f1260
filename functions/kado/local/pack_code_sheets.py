"""Printable sheets of pack codes: the CSV `createPackCodeBatch` answered (code, qr, batch),
laid out as QR codes with the typed code under each, on A4 pages, as one PDF for the
printer. Made on the marketer's machine (`kado pack-codes sheet`), never in the API: the
codes are shown once, and the PDF is what leaves with them.

Each QR holds the CSV's `qr` payload (the code with its scheme, what `claimPackCode` reads
back); the text under it is the code as a member would type it.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

# A4 in millimetres, with a quiet margin and cells large enough for a phone to scan a QR
# printed at 30 mm (about 4 cm is comfortable at arm's length, 3 cm at close range).
PAGE_W, PAGE_H, MARGIN = 210.0, 297.0, 12.0
COLUMNS, ROWS = 4, 6
QR_MM = 30.0
PER_PAGE = COLUMNS * ROWS


@dataclass(frozen=True)
class Printed:
    code: str
    qr: str
    batch: str


@dataclass(frozen=True)
class Placed:
    page: int  # from 0
    x: float  # the QR's top left, in mm
    y: float
    printed: Printed


def read_csv(text: str) -> list[Printed]:
    rows = list(csv.DictReader(io.StringIO(text)))
    if not rows or not {"code", "qr", "batch"} <= set(rows[0]):
        raise ValueError("expected the CSV createPackCodeBatch answers: code,qr,batch")
    return [Printed(r["code"], r["qr"], r["batch"]) for r in rows]


def layout(codes: list[Printed]) -> list[Placed]:
    """Where each code goes: left to right, top to bottom, PER_PAGE to a page."""
    cell_w = (PAGE_W - 2 * MARGIN) / COLUMNS
    cell_h = (PAGE_H - 2 * MARGIN) / ROWS
    placed = []
    for n, printed in enumerate(codes):
        page, slot = divmod(n, PER_PAGE)
        row, column = divmod(slot, COLUMNS)
        placed.append(Placed(page, MARGIN + column * cell_w + (cell_w - QR_MM) / 2,
                             MARGIN + row * cell_h + 4, printed))
    return placed


def _qr_png(payload: str) -> io.BytesIO:
    import segno

    out = io.BytesIO()
    # Error correction M: a scuffed or creased pack still scans.
    segno.make_qr(payload, error="m").save(out, kind="png", scale=8, border=2)
    out.seek(0)
    return out


def render(codes: list[Printed]) -> bytes:
    from fpdf import FPDF

    pdf = FPDF(format="A4", unit="mm")
    pdf.set_auto_page_break(False)
    pdf.set_font("Helvetica", size=9)
    page = -1
    for spot in layout(codes):
        if spot.page != page:
            pdf.add_page()
            page = spot.page
            pdf.set_xy(MARGIN, 4)
            pdf.cell(0, 5, f"{spot.printed.batch} - page {page + 1}")
        pdf.image(_qr_png(spot.printed.qr), x=spot.x, y=spot.y, w=QR_MM, h=QR_MM)
        pdf.set_xy(spot.x - 5, spot.y + QR_MM + 1)
        pdf.cell(QR_MM + 10, 4, spot.printed.code, align="C")
    return bytes(pdf.output())


def sheet(csv_file: Path, out: Path) -> int:
    """Write the PDF for a batch's CSV; the number of pages."""
    codes = read_csv(csv_file.read_text(encoding="utf-8"))
    out.write_bytes(render(codes))
    return -(-len(codes) // PER_PAGE)
