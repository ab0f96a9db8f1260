"""The printer's sheet of a pack-code batch: every code once, on A4 pages, each QR reading
back as the payload claimPackCode takes."""

import re
from collections import Counter

import pytest
import zxingcpp
from PIL import Image

from kado.cli import main
from kado.domain.vouchers import codes
from kado.local import pack_code_sheets as sheets


def batch(count):
    made = [codes.generate() for _ in range(count)]
    lines = ["code,qr,batch", *(f"{codes.formatted(c)},{codes.qr_payload(c)},tet-a"
                                for c in made)]
    return "\n".join(lines) + "\n", made


def test_every_code_is_placed_once_inside_its_page_without_overlap():
    text, _ = batch(30)
    placed = sheets.layout(sheets.read_csv(text))
    assert Counter(p.page for p in placed) == {0: 24, 1: 6}
    assert len({p.printed.code for p in placed}) == 30
    for page in (0, 1):
        spots = [(p.x, p.y) for p in placed if p.page == page]
        assert len(set(spots)) == len(spots)
        for x, y in spots:
            assert x >= sheets.MARGIN and x + sheets.QR_MM <= sheets.PAGE_W - sheets.MARGIN
            assert y >= sheets.MARGIN and y + sheets.QR_MM + 5 <= sheets.PAGE_H - sheets.MARGIN


def test_each_qr_reads_back_as_the_payload_a_member_scans():
    text, made = batch(3)
    for printed, code in zip(sheets.read_csv(text), made, strict=True):
        [found] = zxingcpp.read_barcodes(Image.open(sheets._qr_png(printed.qr)))
        assert found.text == codes.qr_payload(code)
        assert codes.read(found.text) == code  # what claimPackCode reads from it


def test_the_cli_writes_the_pdf_with_its_pages(tmp_path, capsys):
    text, _ = batch(25)
    source = tmp_path / "tet-a.csv"
    source.write_text(text)
    out = tmp_path / "tet-a.pdf"
    assert main(["pack-codes", "sheet", str(source), "--out", str(out)]) == 0
    pdf = out.read_bytes()
    assert pdf.startswith(b"%PDF") and len(re.findall(rb"/Type /Page\b", pdf)) == 2
    assert "2 pages" in capsys.readouterr().out
    source.write_text("member\nann\n")  # not a batch's CSV
    assert main(["pack-codes", "sheet", str(source), "--out", str(out)]) != 0


def test_a_csv_without_the_batch_columns_is_refused():
    with pytest.raises(ValueError, match="code,qr,batch"):
        sheets.read_csv("code\nABCD\n")
