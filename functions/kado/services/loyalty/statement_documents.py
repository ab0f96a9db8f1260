"""A statement as its link shows it. The job keeps each statement's figures (JSON); the page
is made when the link is opened, in the reader's language (Vietnamese, Thai or English, by
the browser's Accept-Language), as plain HTML with its own styles: it is opened without
signing in, from an email or a chat, so it needs nothing else. Every value is escaped."""

from __future__ import annotations

import json
from dataclasses import dataclass
from html import escape
from typing import Any

from kado.services.loyalty.statements import Statement

STYLE = ("body{font-family:system-ui,sans-serif;max-width:44rem;margin:2rem auto;padding:0 1rem;"
         "color:#1b1f24}table{border-collapse:collapse;width:100%}td,th{padding:.3rem .5rem;"
         "border-bottom:1px solid #ddd;text-align:left}td.n,th.n{text-align:right}"
         ".muted{color:#5b6470}td{overflow-wrap:anywhere}td.n{white-space:nowrap;"
         "overflow-wrap:normal}.wide{overflow-x:auto}")
LANGUAGES = ("vi", "th", "en")
LABELS: dict[str, dict[str, str]] = {
    "en": {"MEMBER": "Points statement", "COMPANY": "Company statement", "member": "member",
           "opening": "Opening balance", "earned": "Earned", "spent": "Spent",
           "returned": "Returned", "adjusted": "Adjusted", "lapsed": "Lapsed",
           "closing": "Closing balance", "tier": "Tier", "lines": "Lines", "day": "Day",
           "what": "What", "points": "Points", "balance": "Balance",
           "more": "The newest lines are shown.", "progress": "Progress this period",
           "next": "Next tier", "top": "the top", "walletEarned": "Wallet earned",
           "walletSpent": "Wallet spent", "walletLapsed": "Wallet lapsed",
           "walletBalance": "Wallet balance now", "contributions": "Each member's contribution",
           "activities": "Activities", "revenue": "Revenue",
           "noLake": "Each member's contribution needs the facts lake."},
    "vi": {"MEMBER": "Sao kê điểm", "COMPANY": "Sao kê doanh nghiệp", "member": "thành viên",
           "opening": "Số dư đầu kỳ", "earned": "Đã tích", "spent": "Đã dùng",
           "returned": "Trả hàng", "adjusted": "Điều chỉnh", "lapsed": "Hết hạn",
           "closing": "Số dư cuối kỳ", "tier": "Hạng", "lines": "Chi tiết", "day": "Ngày",
           "what": "Nội dung", "points": "Điểm", "balance": "Số dư",
           "more": "Chỉ hiện các dòng mới nhất.", "progress": "Tiến độ kỳ này",
           "next": "Hạng kế tiếp", "top": "hạng cao nhất", "walletEarned": "Ví đã tích",
           "walletSpent": "Ví đã dùng", "walletLapsed": "Ví hết hạn",
           "walletBalance": "Số dư ví hiện tại", "contributions": "Đóng góp của từng thành viên",
           "activities": "Hoạt động", "revenue": "Doanh thu",
           "noLake": "Cần kho dữ kiện để tính đóng góp của từng thành viên."},
    "th": {"MEMBER": "รายการแต้มสะสม", "COMPANY": "รายการของบริษัท", "member": "สมาชิก",
           "opening": "ยอดยกมา", "earned": "ได้รับ", "spent": "ใช้ไป", "returned": "คืนสินค้า",
           "adjusted": "ปรับปรุง", "lapsed": "หมดอายุ", "closing": "ยอดคงเหลือ",
           "tier": "ระดับ", "lines": "รายการ", "day": "วันที่", "what": "รายละเอียด",
           "points": "แต้ม", "balance": "คงเหลือ", "more": "แสดงเฉพาะรายการล่าสุด",
           "progress": "ความคืบหน้างวดนี้", "next": "ระดับถัดไป", "top": "ระดับสูงสุด",
           "walletEarned": "กระเป๋าได้รับ", "walletSpent": "กระเป๋าใช้ไป",
           "walletLapsed": "กระเป๋าหมดอายุ", "walletBalance": "ยอดกระเป๋าขณะนี้",
           "contributions": "ส่วนร่วมของสมาชิกแต่ละคน", "activities": "กิจกรรม",
           "revenue": "ยอดขาย", "noLake": "ต้องใช้คลังข้อเท็จจริงเพื่อคำนวณส่วนร่วมของสมาชิก"},
}


def language_of(accept_language: str) -> str:
    """The first of the reader's languages the page comes in (English otherwise)."""
    for part in accept_language.split(","):
        code = part.split(";")[0].strip().lower()[:2]
        if code in LANGUAGES:
            return code
    return "en"


def member_figures(program: str, member_id: str, s: Statement) -> bytes:
    return json.dumps({
        "kind": "MEMBER", "program": program, "holder": member_id, "period": s.period.name,
        "summary": [["opening", s.opening_balance], ["earned", s.earned], ["spent", s.spent],
                    ["returned", s.returned], ["adjusted", s.adjusted],
                    ["lapsed", s.expired], ["closing", s.closing_balance],
                    ["tier", s.standing.tier]],
        "lines": [[str(e["at"])[:10], str(e.get("reason") or e["source"]), int(e["delta"]),
                   int(e["balanceAfter"])] for e in s.lines],
        "more": s.more_lines}).encode()


@dataclass(frozen=True)
class CompanyStatement:
    account_id: str
    name: str
    period: str
    tier: str
    progress: int | None  # the ladder's metric in its current period
    next_tier: str | None
    wallet: dict[str, int] | None  # earned, spent, expired in the period; None: no wallet
    balance: int | None  # the company wallet now
    contributions: list[dict[str, Any]] | None  # None: the facts lake is not there (dev)


def company_figures(program: str, c: CompanyStatement) -> bytes:
    summary: list[list[Any]] = [["tier", c.tier]]
    if c.progress is not None:
        summary += [["progress", c.progress], ["next", c.next_tier]]
    if c.wallet is not None:
        summary += [["walletEarned", c.wallet.get("earned", 0)],
                    ["walletSpent", c.wallet.get("spent", 0)],
                    ["walletLapsed", c.wallet.get("expired", 0)],
                    ["walletBalance", c.balance]]
    return json.dumps({
        "kind": "COMPANY", "program": program, "holder": c.account_id, "name": c.name,
        "period": c.period, "summary": summary,
        "contributions": None if c.contributions is None else [
            [r["member_id"], r["activities"], r["points"], r["revenue"]]
            for r in c.contributions]}).encode()


def page(figures: bytes, language: str) -> bytes:
    """The statement's page in `language` (one of LANGUAGES)."""
    f = json.loads(figures)
    words = LABELS[language]
    summary = "".join(
        f'<tr><th>{escape(words[key])}</th><td class="n">'
        f'{escape(words["top"] if key == "next" and value is None else str(value))}</td></tr>'
        for key, value in f["summary"])
    who = (f'{escape(words["member"])} {escape(f["holder"])}' if f["kind"] == "MEMBER"
           else f'{escape(f["name"])} ({escape(f["holder"])})')
    body = (f'<h1>{escape(words[f["kind"]])}</h1><p class=muted>{escape(f["program"])} · '
            f'{who} · {escape(f["period"])}</p><table>{summary}</table>')
    if f["kind"] == "MEMBER":
        body += _table(words["lines"], [words[k] for k in ("day", "what", "points", "balance")],
                       [[day, what, f"{delta:+d}", balance]
                        for day, what, delta, balance in f["lines"]], text_columns=2)
        body += f'<p class=muted>{escape(words["more"])}</p>' if f["more"] else ""
    elif f["contributions"] is None:
        body += f'<h2>{escape(words["contributions"])}</h2>' \
                f'<p class=muted>{escape(words["noLake"])}</p>'
    else:
        body += _table(words["contributions"],
                       [words[k] for k in ("member", "activities", "points", "revenue")],
                       f["contributions"])
    return (f'<!doctype html><html lang="{language}"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width,initial-scale=1">'
            f'<meta name="robots" content="noindex"><title>{escape(words[f["kind"]])} '
            f'{escape(f["period"])}</title><style>{STYLE}</style></head>'
            f"<body>{body}</body></html>").encode()


def _table(title: str, header: list[str], rows: list[list[Any]], text_columns: int = 1) -> str:
    """A table whose first `text_columns` are text and the others figures (right-aligned)."""
    def cell(tag: str, i: int, value: Any) -> str:
        aligned = ' class="n"' if i >= text_columns else ""
        return f"<{tag}{aligned}>{escape(str(value))}</{tag}>"

    head = "".join(cell("th", i, h) for i, h in enumerate(header))
    cells = "".join("<tr>" + "".join(cell("td", i, v) for i, v in enumerate(row)) + "</tr>"
                    for row in rows)
    return f"<h2>{escape(title)}</h2><div class=wide><table><tr>{head}</tr>{cells}</table></div>"
