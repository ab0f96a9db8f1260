"""A statement as the page its link opens: plain HTML with its own styles (it is opened
without signing in, from an email or a chat, so it needs nothing else), every value
escaped."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from typing import Any

from kado.services.loyalty.statements import Statement

STYLE = ("body{font-family:system-ui,sans-serif;max-width:44rem;margin:2rem auto;padding:0 1rem;"
         "color:#1b1f24}table{border-collapse:collapse;width:100%}td,th{padding:.3rem .5rem;"
         "border-bottom:1px solid #ddd;text-align:left}td.n,th.n{text-align:right}"
         ".muted{color:#5b6470}")


def _page(title: str, body: str) -> bytes:
    return (f'<!doctype html><html lang="en"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width,initial-scale=1">'
            f'<meta name="robots" content="noindex"><title>{escape(title)}</title>'
            f"<style>{STYLE}</style></head><body>{body}</body></html>").encode()


def _rows(pairs: list[tuple[str, Any]]) -> str:
    return "".join(f'<tr><th>{escape(label)}</th><td class="n">{escape(str(value))}</td></tr>'
                   for label, value in pairs)


def member_page(program: str, member_id: str, s: Statement) -> bytes:
    lines = "".join(
        f'<tr><td>{escape(str(e["at"])[:10])}</td><td>{escape(str(e.get("reason") or e["source"]))}'
        f'</td><td class="n">{e["delta"]:+d}</td><td class="n">{e["balanceAfter"]}</td></tr>'
        for e in s.lines)
    summary = _rows([("Opening balance", s.opening_balance), ("Earned", s.earned),
                     ("Spent", s.spent), ("Returned", s.returned), ("Adjusted", s.adjusted),
                     ("Lapsed", s.expired), ("Closing balance", s.closing_balance),
                     ("Tier", s.standing.tier)])
    body = (f"<h1>Points statement</h1><p class=muted>{escape(program)} · member "
            f"{escape(member_id)} · {escape(s.period.name)}</p><table>{summary}</table>"
            f"<h2>Lines</h2><table><tr><th>Day</th><th>What</th><th class=n>Points</th>"
            f"<th class=n>Balance</th></tr>{lines}</table>"
            + ("<p class=muted>The newest lines are shown.</p>" if s.more_lines else ""))
    return _page(f"Points statement {s.period.name}", body)


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


def company_page(program: str, c: CompanyStatement) -> bytes:
    summary: list[tuple[str, Any]] = [("Tier", c.tier)]
    if c.progress is not None:
        summary.append(("Progress this period", c.progress))
        summary.append(("Next tier", c.next_tier or "the top"))
    if c.wallet is not None:
        summary += [("Wallet earned", c.wallet.get("earned", 0)),
                    ("Wallet spent", c.wallet.get("spent", 0)),
                    ("Wallet lapsed", c.wallet.get("expired", 0)),
                    ("Wallet balance now", c.balance)]
    if c.contributions is None:
        members = "<p class=muted>Each member's contribution needs the facts lake.</p>"
    else:
        members = ("<table><tr><th>Member</th><th class=n>Activities</th><th class=n>Points"
                   "</th><th class=n>Revenue</th></tr>" + "".join(
                       f'<tr><td>{escape(str(r["member_id"]))}</td><td class="n">'
                       f'{escape(str(r["activities"]))}</td><td class="n">'
                       f'{escape(str(r["points"]))}</td><td class="n">'
                       f'{escape(str(r["revenue"]))}</td></tr>' for r in c.contributions)
                   + "</table>")
    body = (f"<h1>Company statement</h1><p class=muted>{escape(program)} · "
            f"{escape(c.name)} ({escape(c.account_id)}) · {escape(c.period)}</p>"
            f"<table>{_rows(summary)}</table><h2>Each member's contribution</h2>{members}")
    return _page(f"Company statement {c.period}", body)
