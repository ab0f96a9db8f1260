"""Claims: members submit what they bought, reviewers decide, approval earns.

- Submitting writes the claim and its invoice's program-wide document item in one
  transaction on the condition that neither exists: of 50 members of different companies
  sending one invoice at once, one is taken, and the others are told when it was claimed
  (never by whom).
- Approving records a PURCHASE activity (`claim:<id>`, by the program's rules: points,
  tiers, quests, budgets) with the claim's move out of PENDING in the same transaction, so
  a claim earns exactly once: a second approval, or an approval racing a rejection, finds
  the claim no longer pending and changes nothing.
- The company a claim is filed under is the member's on record, never the app's say.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from kado.config import settings
from kado.domain import claims as domain
from kado.domain.activities import Activity, ActivityType, Money
from kado.domain.calendar import iso, local_day, utcnow
from kado.domain.claims import ClaimRules, ClaimStatus, Decision, Submission
from kado.domain.errors import DomainError, ErrorCode, ValidationFailed
from kado.domain.idempotency import fingerprint, require_same
from kado.domain.ids import derived_id
from kado.domain.pages import Page
from kado.domain.principal import Principal, Role
from kado.domain.validation import MAX_REASON, require_id, require_idempotency_key
from kado.services.activities import recording as activities
from kado.services.kernel.loyalty_definitions import cached as definitions
from kado.store import claim_photos as photos
from kado.store import claims as store
from kado.store.kernel.transact import Cancelled, write
from kado.store.ledger import get_member


@dataclass(frozen=True)
class Upload:
    url: str
    fields: dict[str, str]
    photo_key: str


@dataclass(frozen=True)
class Decided:
    claim: dict[str, Any]
    points: int  # what an approval earned (0 otherwise, or on a retry)


def rules(program: str) -> ClaimRules:
    found = store.get_rules(program)
    if found is None:
        return ClaimRules()
    return ClaimRules(int(found["windowDays"]), tuple(found["rejectReasons"]),
                      int(found.get("autoApproveUpTo", 0)),
                      tuple(found.get("trustedAccounts", ())))


def set_rules(admin: Principal, r: ClaimRules) -> ClaimRules:
    domain.validate_rules(r)
    store.put_rules(admin.program, {"windowDays": r.window_days,
                                    "rejectReasons": list(r.reject_reasons),
                                    "autoApproveUpTo": r.auto_approve_up_to,
                                    "trustedAccounts": list(r.trusted_accounts),
                                    "updatedAt": iso(utcnow()), "by": admin.subject})
    return r


def _photo_prefix(program: str, member_id: str) -> str:
    return f"claims/{program}/{member_id}/"


def photo_upload(member: Principal, content_type: str, size: int) -> Upload:
    ext = domain.PHOTO_TYPES.get(content_type)
    problems = []
    if ext is None:
        problems.append(("contentType", "one of " + ", ".join(domain.PHOTO_TYPES)))
    if not 1 <= size <= domain.MAX_PHOTO_BYTES:
        problems.append(("size", f"1 to {domain.MAX_PHOTO_BYTES} bytes"))
    if problems:
        raise ValidationFailed(problems)
    bucket = settings().claim_photos_bucket
    if bucket is None:
        raise DomainError(ErrorCode.UNAVAILABLE, "receipt photos are not set up here "
                          "(KADO_CLAIM_PHOTOS_BUCKET)", None)
    key = f"{_photo_prefix(member.program, member.subject)}{secrets.token_urlsafe(18)}.{ext}"
    form = photos.upload_form(bucket, key, content_type, domain.MAX_PHOTO_BYTES)
    return Upload(form["url"], dict(form["fields"]), key)


def _program_today(program: str) -> date:
    ladder = definitions(program).ladder
    return date.fromisoformat(local_day(utcnow(), ladder.timezone if ladder else "UTC"))


def submit(member: Principal, s: Submission, idempotency_key: str) -> dict[str, Any]:
    require_idempotency_key(idempotency_key)
    program, member_id = member.program, member.subject
    in_force = rules(program)
    domain.validate(s, _program_today(program), in_force, _photo_prefix(program, member_id))
    n = s.normalised()
    claim_id = derived_id("claim", member_id, idempotency_key)
    asked = fingerprint("submitClaim", n.seller_tax_id, n.invoice_number,
                        n.invoice_date.isoformat(), n.amount, n.currency, n.photo_key,
                        [(line.product, line.quantity, line.amount) for line in n.lines])
    earlier = store.get_claim(program, claim_id)
    if earlier is not None:
        require_same(earlier.get("fingerprint"), asked)
        return earlier
    _require_photo(n.photo_key)
    now = utcnow()
    # The company on record at submission, for the reviewer and the rule (never the token's).
    company = (get_member(program, member_id) or {}).get("accountId")
    claim = {
        "id": claim_id, "memberId": member_id, "accountId": company,
        "status": ClaimStatus.PENDING.value, "sellerTaxId": n.seller_tax_id,
        "invoiceNumber": n.invoice_number, "invoiceDate": n.invoice_date.isoformat(),
        "amount": n.amount, "currency": n.currency, "photoKey": n.photo_key,
        "lines": [{"product": line.product, "quantity": line.quantity,
                   "amount": line.amount} for line in n.lines],
        "documentKey": s.document_key(), "submittedAt": iso(now),
        "idempotencyKey": idempotency_key, "fingerprint": asked,
        "history": [{"at": iso(now), "by": member_id, "to": ClaimStatus.PENDING.value}]}
    if in_force.approves(n.amount, company):
        return _approved_on_arrival(program, claim, now)
    try:
        write(store.submit_parts(program, claim, int(now.timestamp() * 1000)))
    except Cancelled as cancelled:
        if cancelled.failed("claim") is not None:  # the same request, sent twice at once
            again = store.get_claim(program, claim_id) or {}
            require_same(again.get("fingerprint"), asked)
            return again
        raise _already_claimed(program, claim, cancelled) from None
    return claim


AUTO = "claim-rule"  # who decides the claims the program's rule approves


def _approved_on_arrival(program: str, claim: dict[str, Any], now: datetime
                         ) -> dict[str, Any]:
    """A claim the program's rule approves: written approved, out of the queue, in the
    transaction that records its purchase (so it too earns exactly once)."""
    at = iso(now)
    entry = {"at": at, "by": AUTO, "from": ClaimStatus.PENDING.value,
             "to": ClaimStatus.APPROVED.value, "note": "approved by the program's rule"}
    approved = {**claim, "status": ClaimStatus.APPROVED.value, "decidedAt": at,
                "decidedBy": AUTO, "approvedAmount": claim["amount"],
                "history": [*claim["history"], entry]}
    parts = store.submit_parts(program, approved, int(now.timestamp() * 1000), queued=False)

    def refused(cancelled: Cancelled) -> None:
        if cancelled.failed("document") is not None:
            raise _already_claimed(program, approved, cancelled)

    recorded = activities.record_one(
        Principal(Role.ADMIN, program, AUTO), _purchase(approved, int(claim["amount"])),
        definitions(program), now, activities.Rider(0, f"claim {claim['id']}", parts, refused))
    if recorded.outcome is not activities.RECORDED:  # this request's retry: already written
        again = _claim(program, claim["id"])
        require_same(again.get("fingerprint"), claim["fingerprint"])
        return again
    return approved


def _purchase(claim: dict[str, Any], amount: int) -> Activity:
    """The purchase a claim records when approved, dated on the invoice's day."""
    return Activity(f"claim:{claim['id']}", claim["memberId"], ActivityType.PURCHASE,
                    domain.purchase_moment(date.fromisoformat(claim["invoiceDate"])),
                    amount=Money(amount, claim["currency"]), tags=("claim",))


def _already_claimed(program: str, claim: dict[str, Any], cancelled: Cancelled
                     ) -> DomainError:
    failure = cancelled.failed("document")
    document = (failure.item if failure else None) or \
        store.get_document(program, str(claim["documentKey"])) or {}
    return DomainError(ErrorCode.ALREADY_CLAIMED, "this invoice was claimed in this program "
                       f"at {document.get('at', 'an earlier time')}", "invoiceNumber")


def _require_photo(key: str) -> None:
    """The photo is in the bucket, of a kind and size the upload form allowed (S3 enforced
    them; this also refuses a key that was never uploaded)."""
    bucket = settings().claim_photos_bucket
    if bucket is None:
        return  # dev without a bucket: nothing to look at
    found = photos.arrived(bucket, key)
    if found is None:
        raise DomainError(ErrorCode.INVALID_INPUT, "upload the photo with the form from "
                          "claimPhotoUpload first", "photoKey")
    size, kind = found
    if size > domain.MAX_PHOTO_BYTES or kind not in domain.PHOTO_TYPES:
        raise DomainError(ErrorCode.INVALID_INPUT, "the photo must be a JPEG, PNG, WebP, "
                          f"HEIC or PDF of at most {domain.MAX_PHOTO_BYTES} bytes", "photoKey")


def _claim(program: str, claim_id: str) -> dict[str, Any]:
    require_id(claim_id, "id")
    found = store.get_claim(program, claim_id)
    if found is None:
        raise DomainError(ErrorCode.NOT_FOUND, f"no claim {claim_id!r}", "id")
    return found


def claim_of(reviewer: Principal, claim_id: str) -> dict[str, Any]:
    return _claim(reviewer.program, claim_id)


def of_member(member: Principal, claim_id: str) -> dict[str, Any]:
    found = _claim(member.program, claim_id)
    if found["memberId"] != member.subject:  # another member's claim does not exist for you
        raise DomainError(ErrorCode.NOT_FOUND, f"no claim {claim_id!r}", "id")
    return found


def decide(reviewer: Principal, claim_id: str, decision: Decision, idempotency_key: str,
           approved_amount: int | None = None, reason: str | None = None,
           note: str | None = None) -> Decided:
    require_idempotency_key(idempotency_key)
    program = reviewer.program
    claim = _claim(program, claim_id)
    asked = fingerprint("decideClaim", claim_id, decision.value, approved_amount, reason, note)
    if claim.get("decisionKey") == idempotency_key:
        require_same(claim.get("decisionAsked"), asked)  # the key with another decision
        return Decided(claim, 0)  # this decision's retry: its first outcome stands
    domain.validate_decision(decision, int(claim["amount"]), approved_amount, reason, note,
                             rules(program))
    _require_pending(claim, ClaimStatus.PENDING)
    now, status = iso(utcnow()), domain.DECIDED[decision]
    amount = approved_amount or int(claim["amount"]) if decision is Decision.APPROVE else None
    changes: dict[str, Any] = {"status": status.value, "decidedAt": now,
                               "decidedBy": reviewer.subject, "decisionKey": idempotency_key,
                               "decisionAsked": asked,
                               "reason": reason, "note": note, "approvedAmount": amount}
    entry = {"at": now, "by": reviewer.subject, "from": ClaimStatus.PENDING.value,
             "to": status.value, "reason": reason, "note": note, "amount": amount}
    part = store.decision_part(program, claim_id, ClaimStatus.PENDING.value, changes, entry)
    decided = {**claim, **changes, "history": [*claim.get("history", []), entry]}
    if decision is not Decision.APPROVE:
        try:
            write({"decision": part})
        except Cancelled:
            _require_pending(_claim(program, claim_id), ClaimStatus.PENDING)
            raise
        return Decided(decided, 0)
    assert amount is not None
    recorded = activities.record_one(
        reviewer, _purchase(claim, amount), definitions(program), utcnow(),
        activities.Rider(0, f"claim {claim_id}", {"decision": part},
                         lambda c: _moved_on(program, claim_id, c)))
    if recorded.outcome is not activities.RECORDED:  # approved meanwhile: by this request?
        now_claim = _claim(program, claim_id)
        if now_claim.get("decisionKey") != idempotency_key:
            _require_pending(now_claim, ClaimStatus.PENDING)  # another reviewer's: refused
        return Decided(now_claim, 0)
    return Decided(decided, recorded.points)


def _moved_on(program: str, claim_id: str, cancelled: Cancelled) -> None:
    if cancelled.failed("decision") is not None:
        _require_pending(_claim(program, claim_id), ClaimStatus.PENDING)


def _require_pending(claim: dict[str, Any], expected: ClaimStatus) -> None:
    if claim["status"] != expected.value:
        by = f" by {claim['decidedBy']}" if claim.get("decidedBy") else ""
        raise DomainError(ErrorCode.INVALID_TRANSITION, f"this claim is {claim['status']}"
                          f"{by}, not {expected.value}", "id")


def answer(member: Principal, claim_id: str, note: str, photo_key: str | None,
           idempotency_key: str) -> dict[str, Any]:
    """The member's answer to NEEDS_INFO (a note, perhaps a new photo): back in the queue."""
    require_idempotency_key(idempotency_key)
    program = member.program
    claim = of_member(member, claim_id)
    asked = fingerprint("answerClaim", claim_id, note, photo_key)
    if claim.get("answerKey") == idempotency_key:
        require_same(claim.get("answerAsked"), asked)
        return claim
    problems = []
    if not note.strip() or len(note) > MAX_REASON:
        problems.append(("note", f"1-{MAX_REASON} characters"))
    prefix = _photo_prefix(program, member.subject)
    if photo_key is not None and (not photo_key.startswith(prefix) or ".." in photo_key):
        problems.append(("photoKey", "the key claimPhotoUpload gave this member"))
    if problems:
        raise ValidationFailed(problems)
    _require_pending(claim, ClaimStatus.NEEDS_INFO)
    if photo_key is not None:
        _require_photo(photo_key)
    now = iso(utcnow())
    changes = {"status": ClaimStatus.PENDING.value, "answeredAt": now,
               "answerKey": idempotency_key, "answerAsked": asked,
               "photoKey": photo_key or claim["photoKey"]}
    entry = {"at": now, "by": member.subject, "from": ClaimStatus.NEEDS_INFO.value,
             "to": ClaimStatus.PENDING.value, "note": note}
    try:
        write({"answer": store.decision_part(program, claim_id, ClaimStatus.NEEDS_INFO.value,
                                             changes, entry, requeue_since=now)})
    except Cancelled:
        again = of_member(member, claim_id)
        if again.get("answerKey") == idempotency_key:
            require_same(again.get("answerAsked"), asked)
            return again
        _require_pending(again, ClaimStatus.NEEDS_INFO)
        raise
    return {**claim, **changes, "history": [*claim.get("history", []), entry]}


def queue(reviewer: Principal, first: int, after: str | None) -> Page:
    return store.queue(reviewer.program, first, after)


def member_claims(program: str, member_id: str, first: int, after: str | None) -> Page:
    return store.of_member(program, member_id, first, after)


def near_duplicates(program: str, claim: dict[str, Any]) -> list[dict[str, Any]]:
    """Other claims of the same seller, day and amount: a number typed differently, or an
    invoice photographed twice."""
    ids = [i for i in store.near(program, claim["sellerTaxId"], claim["invoiceDate"],
                                 int(claim["amount"])) if i != claim["id"]]
    return [c for c in store.get_claims(program, ids) if c is not None]


def photo_link(claim: dict[str, Any]) -> str | None:
    bucket = settings().claim_photos_bucket
    return photos.view_link(bucket, claim["photoKey"]) if bucket else None
