"""Claims: a member shows what they bought (an invoice or receipt photo and its fields) and
earns by the program's rules once a reviewer approves it.

A document is claimable once across the whole program: its key is the seller's tax id and
the invoice number, both normalised (spaces, dots and dashes dropped, letters upper case),
so "0312-345-678 / hd 00123" and "0312345678 / HD00123" are one invoice whoever sends it.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum

from kado.domain.activities import MAX_AMOUNT
from kado.domain.errors import ValidationFailed
from kado.domain.validation import MAX_REASON, is_id

# What a receipt photo may be, and how large: a phone's photo, or the PDF of an e-invoice
# (Vietnam's e-invoices are PDF or XML; a PDF is what a member can forward).
PHOTO_TYPES = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp",
               "image/heic": "heic", "application/pdf": "pdf"}
MAX_PHOTO_BYTES = 5 * 1024 * 1024
MAX_LINES = 50
DEFAULT_WINDOW_DAYS = 90
DEFAULT_REJECT_REASONS = ("UNREADABLE", "NOT_OUR_PRODUCTS", "WRONG_SELLER", "TOO_OLD",
                          "ALTERED", "OTHER")
MAX_REASONS = 30
MAX_TRUSTED = 500
# Vietnam's tax codes are 10 digits (13 with a branch suffix), Thailand's 13.
_TAX_ID = re.compile(r"[0-9]{10}|[0-9]{13}")
_INVOICE = re.compile(r"[A-Z0-9/]{1,40}")
_CURRENCY = re.compile(r"[A-Z]{3}")
_DROPPED = re.compile(r"[\s.\-_]")


class ClaimStatus(StrEnum):
    PENDING = "PENDING"
    APPROVED = "APPROVED"
    REJECTED = "REJECTED"
    NEEDS_INFO = "NEEDS_INFO"


class Decision(StrEnum):
    APPROVE = "APPROVE"
    REJECT = "REJECT"
    NEEDS_INFO = "NEEDS_INFO"


# A reviewer decides a PENDING claim only; a member answers a NEEDS_INFO one, which makes it
# PENDING again. APPROVED and REJECTED are final.
DECIDED = {Decision.APPROVE: ClaimStatus.APPROVED, Decision.REJECT: ClaimStatus.REJECTED,
           Decision.NEEDS_INFO: ClaimStatus.NEEDS_INFO}


@dataclass(frozen=True)
class ClaimLine:
    product: str
    quantity: int
    amount: int  # minor units


@dataclass(frozen=True)
class Submission:
    seller_tax_id: str
    invoice_number: str
    invoice_date: date
    amount: int  # minor units
    currency: str
    photo_key: str
    lines: tuple[ClaimLine, ...] = ()

    def normalised(self) -> Submission:
        return Submission(normal(self.seller_tax_id), normal(self.invoice_number),
                          self.invoice_date, self.amount, self.currency.upper(),
                          self.photo_key, self.lines)

    def document_key(self) -> str:
        """The invoice, program-wide: the same seller and number are one document."""
        n = self.normalised()
        return hashlib.sha256(f"{n.seller_tax_id}|{n.invoice_number}".encode()).hexdigest()


@dataclass(frozen=True)
class ClaimRules:
    window_days: int = DEFAULT_WINDOW_DAYS  # how old an invoice may be when claimed
    reject_reasons: tuple[str, ...] = DEFAULT_REJECT_REASONS
    # Claims up to this amount (minor units) from members of these companies are approved as
    # they arrive, by the rule (0: every claim waits for a reviewer).
    auto_approve_up_to: int = 0
    trusted_accounts: tuple[str, ...] = ()

    def approves(self, amount: int, account_id: str | None) -> bool:
        return bool(self.auto_approve_up_to) and amount <= self.auto_approve_up_to and \
            account_id is not None and account_id in self.trusted_accounts


def normal(text: str) -> str:
    return _DROPPED.sub("", text).upper()


def validate(s: Submission, today: date, rules: ClaimRules, photo_prefix: str) -> None:
    """Refuses the submission with every problem named, before anything is read or written.
    `today` is the program's date: an invoice dated tomorrow there does not exist yet."""
    n = s.normalised()
    problems: list[tuple[str, str]] = []
    if not _TAX_ID.fullmatch(n.seller_tax_id):
        problems.append(("sellerTaxId", "10 or 13 digits (spaces, dots and dashes ignored)"))
    if not _INVOICE.fullmatch(n.invoice_number):
        problems.append(("invoiceNumber", "1-40 letters, digits or '/'"))
    if s.invoice_date > today:
        problems.append(("invoiceDate", "is after today"))
    elif s.invoice_date < today - timedelta(days=rules.window_days):
        problems.append(("invoiceDate", f"older than the program's {rules.window_days}-day "
                                        "claim window"))
    if not 1 <= s.amount <= MAX_AMOUNT:
        problems.append(("amount", f"1 to {MAX_AMOUNT} (minor units)"))
    if not _CURRENCY.fullmatch(n.currency):
        problems.append(("currency", "an ISO 4217 code such as VND or THB"))
    if not s.photo_key.startswith(photo_prefix) or ".." in s.photo_key:
        problems.append(("photoKey", "the key claimPhotoUpload gave this member"))
    if len(s.lines) > MAX_LINES:
        problems.append(("lines", f"at most {MAX_LINES}"))
    for i, line in enumerate(s.lines):
        if not is_id(line.product):
            problems.append((f"lines[{i}].product", "a product id"))
        if not 1 <= line.quantity <= 1_000_000:
            problems.append((f"lines[{i}].quantity", "1 to 1,000,000"))
        if not 0 <= line.amount <= MAX_AMOUNT:
            problems.append((f"lines[{i}].amount", f"0 to {MAX_AMOUNT}"))
    if s.lines and sum(line.amount for line in s.lines) > s.amount:
        problems.append(("lines", "add up to more than the claim's amount"))
    if problems:
        raise ValidationFailed(problems)


def validate_rules(r: ClaimRules) -> None:
    problems: list[tuple[str, str]] = []
    if not 1 <= r.window_days <= 730:
        problems.append(("windowDays", "1 to 730 days"))
    if not 1 <= len(r.reject_reasons) <= MAX_REASONS or len(set(r.reject_reasons)) != len(
            r.reject_reasons) or not all(is_id(x) for x in r.reject_reasons):
        problems.append(("rejectReasons", f"1-{MAX_REASONS} distinct ids"))
    if not 0 <= r.auto_approve_up_to <= MAX_AMOUNT:
        problems.append(("autoApproveUpTo", f"0 (off) to {MAX_AMOUNT}"))
    if len(r.trusted_accounts) > MAX_TRUSTED or not all(is_id(a) for a in r.trusted_accounts):
        problems.append(("trustedAccounts", f"at most {MAX_TRUSTED} company ids"))
    if r.auto_approve_up_to and not r.trusted_accounts:
        problems.append(("trustedAccounts", "name the companies whose claims are approved "
                                            "by the rule"))
    if problems:
        raise ValidationFailed(problems)


def validate_decision(decision: Decision, amount: int, approved: int | None,
                      reason: str | None, note: str | None, rules: ClaimRules) -> None:
    problems: list[tuple[str, str]] = []
    if decision is Decision.APPROVE and approved is not None and not 1 <= approved <= amount:
        problems.append(("approvedAmount", f"1 to the claimed {amount}"))
    if decision is Decision.REJECT and reason not in rules.reject_reasons:
        problems.append(("reason", "one of the program's reasons: " +
                         ", ".join(rules.reject_reasons)))
    if decision is Decision.NEEDS_INFO and not (note or "").strip():
        problems.append(("note", "what the member should send"))
    if note is not None and len(note) > MAX_REASON:
        problems.append(("note", f"at most {MAX_REASON} characters"))
    if problems:
        raise ValidationFailed(problems)


def purchase_moment(invoice_date: date) -> datetime:
    """When the claimed purchase is dated: noon UTC of the invoice's day, which is that same
    calendar day from UTC-11 to UTC+11 (Vietnam and Thailand are UTC+7)."""
    return datetime(invoice_date.year, invoice_date.month, invoice_date.day, 12, tzinfo=UTC)
