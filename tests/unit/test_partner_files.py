"""Partner files as spreadsheets save them: UTF-8 with or without BOM, UTF-16, the
Vietnamese and Thai legacy code pages, comma or semicolon separated; a wrong header is
named before any line is read."""

from __future__ import annotations

import unicodedata

import pytest

from kado.local import activity_files, text_files

HEADER = "externalId,memberId,type,occurredAt,amount,currency,tags"
VI = (f"{HEADER}\nHD-1,lan,PURCHASE,2026-11-20T10:00:00Z,50000,VND,Hà Nội\n"
      "HD-2,anh,PURCHASE,2026-11-20T10:00:00Z,50000,VND,Thành phố Hồ Chí Minh\n")
TH = (f"{HEADER}\nINV-1,somchai,PURCHASE,2026-11-20T10:00:00Z,5000,THB,กรุงเทพ\n"
      "INV-2,somsri,PURCHASE,2026-11-20T10:00:00Z,5000,THB,ร้านใหม่ เชียงใหม่\n")


def _cp1258(text: str) -> bytes:
    """As Windows saves Vietnamese: a base letter, then a combining tone mark when the code
    page has no precomposed letter for it."""
    out = b""
    for ch in unicodedata.normalize("NFC", text):
        try:
            out += ch.encode("cp1258")
        except UnicodeEncodeError:
            base, *marks = unicodedata.normalize("NFD", ch)
            for mark in marks:  # the letter the code page has, then the other mark
                letter = unicodedata.normalize("NFC", base + mark)
                if len(letter) == 1 and letter.encode("cp1258", errors="ignore"):
                    rest = "".join(m for m in marks if m != mark)
                    out += (letter + rest).encode("cp1258")
                    break
            else:
                out += (base + "".join(marks)).encode("cp1258")
    return out


@pytest.mark.parametrize(("raw", "encoding", "text"), [
    (VI.encode("utf-8"), "UTF-8", VI),
    (VI.encode("utf-8-sig"), "UTF-8 with BOM", VI),
    (VI.encode("utf-16"), "UTF-16", VI),
    (_cp1258(VI), "Windows-1258", VI),
    (TH.encode("tis-620"), "TIS-620", TH),
])
def test_a_file_is_read_in_the_encoding_it_was_saved_in(tmp_path, raw, encoding, text):
    path = tmp_path / "activities.csv"
    path.write_bytes(raw)
    read, found = text_files.read_text(path)
    assert found == encoding
    assert unicodedata.normalize("NFC", read) == text


def test_a_semicolon_file_reads_as_its_columns(tmp_path):
    path = tmp_path / "excel.csv"
    path.write_bytes(VI.replace(",", ";").encode("utf-8-sig"))
    rows = list(activity_files._csv(path))
    assert [(n, d["externalId"], d["amount"]) for n, d in rows] == [
        (2, "HD-1", {"value": 50000, "currency": "VND"}),
        (3, "HD-2", {"value": 50000, "currency": "VND"})]


def test_a_wrong_header_is_named_before_any_line(tmp_path):
    path = tmp_path / "wrong.csv"
    path.write_text("externalId,member,type,when\nA-1,alice,PURCHASE,2026-11-20T10:00:00Z\n")
    with pytest.raises(text_files.FileProblem, match="unknown columns member, when"):
        list(activity_files._csv(path))


def test_bytes_that_are_no_text_are_refused_not_guessed(tmp_path):
    path = tmp_path / "binary.csv"
    path.write_bytes(bytes(range(256)) * 4)
    with pytest.raises(text_files.FileProblem, match="CSV UTF-8"):
        text_files.read_text(path)


def test_a_distributors_file_names_the_distributor_and_numbers_its_own_ids(tmp_path):
    from kado.local import activity_files
    from kado.local.voucher_files import Tally

    rows = [(2, {"externalId": "INV-1", "memberId": "ann", "type": "PURCHASE"}),
            (3, {"externalId": "RET-1", "memberId": "ann", "type": "RETURN", "returns": "INV-1"}),
            (4, {"externalId": "INV-2", "memberId": "ann", "type": "PURCHASE",
                 "attributes": {"distributor": "globex"}})]  # claims to be another's
    tally = Tally()
    stamped = activity_files._from_distributor(tmp_path / "acme.csv", rows, "acme", tally)
    assert [(n, a["externalId"], a.get("returns"), a["attributes"]) for n, a in stamped] == [
        (2, "acme:INV-1", None, {"distributor": "acme"}),
        (3, "acme:RET-1", "acme:INV-1", {"distributor": "acme"})]
    assert tally.problems == [f"{tmp_path / 'acme.csv'}:4: attributes.distributor: 'globex' "
                              "in a file from 'acme'"]
