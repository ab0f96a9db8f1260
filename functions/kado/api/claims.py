"""Claims: a member uploads a receipt photo and submits what they bought; a reviewer works
the queue (photo, fields, the member's other claims, near-duplicates) and decides."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import strawberry
from strawberry.types import Info

from kado.api.kernel.connections import Connection
from kado.api.kernel.context import Context
from kado.api.kernel.errors import UserError, answered
from kado.api.kernel.scalars import Amount
from kado.domain import claims as domain
from kado.domain.calendar import parse_iso
from kado.services import claims as service

ClaimInfo = Info[Context, None]
ClaimStatus = strawberry.enum(domain.ClaimStatus, name="ClaimStatus")
ClaimDecision = strawberry.enum(domain.Decision, name="ClaimDecision")


def _moment(text: str | None) -> datetime | None:
    return parse_iso(text) if text else None


@strawberry.type
class ClaimLine:
    product: str
    quantity: int
    amount: Amount


@strawberry.type
class ClaimStep:
    at: datetime
    status: ClaimStatus = strawberry.field(  # type: ignore[valid-type]
        description="What the claim became.")
    note: str | None
    reason: str | None


@strawberry.type
class Claim:
    id: str
    status: ClaimStatus  # type: ignore[valid-type]
    seller_tax_id: str
    invoice_number: str
    invoice_date: date
    amount: Amount
    currency: str
    approved_amount: Amount | None
    reason: str | None = strawberry.field(description="Why it was rejected (the program's "
                                                      "list).")
    note: str | None = strawberry.field(description="The reviewer's last word to the member.")
    submitted_at: datetime
    decided_at: datetime | None
    lines: list[ClaimLine]
    history: list[ClaimStep]

    @classmethod
    def fields_of(cls, item: dict[str, Any]) -> dict[str, Any]:
        return {
            "id": item["id"], "status": domain.ClaimStatus(item["status"]),
            "seller_tax_id": item["sellerTaxId"], "invoice_number": item["invoiceNumber"],
            "invoice_date": date.fromisoformat(item["invoiceDate"]),
            "amount": int(item["amount"]), "currency": item["currency"],
            "approved_amount": item.get("approvedAmount"), "reason": item.get("reason"),
            "note": item.get("note"), "submitted_at": parse_iso(item["submittedAt"]),
            "decided_at": _moment(item.get("decidedAt")),
            "lines": [ClaimLine(product=x["product"], quantity=int(x["quantity"]),
                                amount=Amount(int(x["amount"]))) for x in item.get("lines", [])],
            "history": [ClaimStep(at=parse_iso(h["at"]), status=domain.ClaimStatus(h["to"]),
                                  note=h.get("note"), reason=h.get("reason"))
                        for h in item.get("history", [])]}

    @classmethod
    def of(cls, item: dict[str, Any]) -> Claim:
        return cls(**cls.fields_of(item))


@strawberry.type
class ReviewedClaim(Claim):
    member_id: str
    account_id: str | None = strawberry.field(description="The member's company on record "
                                                          "when the claim was submitted.")
    decided_by: str | None
    photo_key: strawberry.Private[str]

    @strawberry.field(description="A link to the receipt photo, valid for five minutes.")
    def photo_url(self) -> str | None:
        return service.photo_link({"photoKey": self.photo_key})

    @strawberry.field(description="Other claims of the same seller, day and amount.")
    def near_duplicates(self, info: ClaimInfo) -> list[Claim]:
        mine = {"id": self.id, "sellerTaxId": self.seller_tax_id,
                "invoiceDate": self.invoice_date.isoformat(), "amount": self.amount}
        return [Claim.of(c) for c in service.near_duplicates(info.context.principal.program,
                                                             mine)]

    @strawberry.field(description="The member's latest claims, this one included.")
    def member_claims(self, info: ClaimInfo, first: int = 10) -> list[Claim]:
        page = service.member_claims(info.context.principal.program, self.member_id, first,
                                     None)
        return [Claim.of(c) for c in page.items]

    @classmethod
    def reviewed(cls, item: dict[str, Any]) -> ReviewedClaim:
        return cls(**cls.fields_of(item), member_id=item["memberId"],
                   account_id=item.get("accountId"), decided_by=item.get("decidedBy"),
                   photo_key=item["photoKey"])


@strawberry.type
class FormField:
    name: str
    value: str


@strawberry.type
class ClaimPhotoUpload:
    url: str = strawberry.field(description="POST the form here, the file last, as "
                                            "multipart/form-data.")
    fields: list[FormField]
    photo_key: str = strawberry.field(description="Name it in submitClaim.")


@strawberry.input
class ClaimPhotoUploadInput:
    content_type: str = strawberry.field(description="image/jpeg, image/png, image/webp, "
                                                     "image/heic or application/pdf.")
    size: int = strawberry.field(description="In bytes; at most 5 MB.")


@strawberry.type
class ClaimPhotoUploadPayload:
    upload: ClaimPhotoUpload | None
    errors: list[UserError]


@strawberry.input
class ClaimLineInput:
    product: str
    quantity: int
    amount: Amount


@strawberry.input
class SubmitClaimInput:
    seller_tax_id: str
    invoice_number: str
    invoice_date: date
    amount: Amount = strawberry.field(description="The invoice's total, in minor units.")
    currency: str
    photo_key: str
    idempotency_key: str
    lines: list[ClaimLineInput] = strawberry.field(default_factory=list)


@strawberry.type
class ClaimPayload:
    claim: Claim | None
    errors: list[UserError]


@strawberry.input
class AnswerClaimInput:
    id: str
    note: str
    idempotency_key: str
    photo_key: str | None = None


@strawberry.input
class DecideClaimInput:
    id: str
    decision: ClaimDecision  # type: ignore[valid-type]
    idempotency_key: str
    approved_amount: Amount | None = strawberry.field(
        default=None, description="Approve part of the claim (default: all of it).")
    reason: str | None = strawberry.field(default=None, description="A rejection's reason, "
                                                                     "from the program's list.")
    note: str | None = strawberry.field(default=None, description="For the member (required "
                                                                   "with NEEDS_INFO).")


@strawberry.type
class DecidedClaim:
    claim: ReviewedClaim
    points: int = strawberry.field(description="What the approval earned the member.")


@strawberry.type
class DecideClaimPayload:
    decided: DecidedClaim | None
    errors: list[UserError]


@strawberry.type
class ClaimRules:
    window_days: int
    reject_reasons: list[str]
    auto_approve_up_to: Amount
    trusted_accounts: list[str]


@strawberry.input
class ClaimRulesInput:
    window_days: int = strawberry.field(description="How old an invoice may be: 1-730 days.")
    reject_reasons: list[str]
    auto_approve_up_to: Amount = strawberry.field(
        default=Amount(0), description="Claims up to this amount from members of the trusted "
                                       "companies are approved as they arrive (0: never).")
    trusted_accounts: list[str] = strawberry.field(default_factory=list)


@strawberry.type
class ClaimRulesPayload:
    rules: ClaimRules | None
    errors: list[UserError]


def _rules(r: domain.ClaimRules) -> ClaimRules:
    return ClaimRules(window_days=r.window_days, reject_reasons=list(r.reject_reasons),
                      auto_approve_up_to=Amount(r.auto_approve_up_to),
                      trusted_accounts=list(r.trusted_accounts))


@strawberry.type
class MemberClaimsQuery:
    @strawberry.field(description="Your claims, newest first.")
    def my_claims(self, info: ClaimInfo, first: int = 20,
                  after: str | None = None) -> Connection[Claim]:
        who = info.context.principal
        page = service.member_claims(who.program, who.subject, first, after)
        return Connection.of([Claim.of(c) for c in page.items], page)

    @strawberry.field(description="One of your claims.")
    def my_claim(self, info: ClaimInfo, id: str) -> Claim:
        return Claim.of(service.of_member(info.context.principal, id))


@strawberry.type
class MemberClaimsMutation:
    @strawberry.mutation(description="A form to upload a receipt photo straight to storage.")
    def claim_photo_upload(self, info: ClaimInfo,
                           input: ClaimPhotoUploadInput) -> ClaimPhotoUploadPayload:
        return answered(ClaimPhotoUploadPayload, "upload", lambda u: ClaimPhotoUpload(
            url=u.url, fields=[FormField(name=k, value=v) for k, v in u.fields.items()],
            photo_key=u.photo_key), lambda: service.photo_upload(
            info.context.principal, input.content_type, input.size))

    @strawberry.mutation(description="Claim a purchase: an invoice is claimed once in the "
                                     "program, by anyone.")
    def submit_claim(self, info: ClaimInfo, input: SubmitClaimInput) -> ClaimPayload:
        submission = domain.Submission(
            input.seller_tax_id, input.invoice_number, input.invoice_date, input.amount,
            input.currency, input.photo_key,
            tuple(domain.ClaimLine(x.product, x.quantity, x.amount) for x in input.lines))
        return answered(ClaimPayload, "claim", Claim.of, lambda: service.submit(
            info.context.principal, submission, input.idempotency_key))

    @strawberry.mutation(description="Answer a reviewer's question: the claim is reviewed "
                                     "again.")
    def answer_claim(self, info: ClaimInfo, input: AnswerClaimInput) -> ClaimPayload:
        return answered(ClaimPayload, "claim", Claim.of, lambda: service.answer(
            info.context.principal, input.id, input.note, input.photo_key,
            input.idempotency_key))


@strawberry.type
class AdminClaimsQuery:
    @strawberry.field(description="Claims waiting for a decision, oldest first.")
    def claim_queue(self, info: ClaimInfo, first: int = 20,
                    after: str | None = None) -> Connection[ReviewedClaim]:
        page = service.queue(info.context.principal, first, after)
        return Connection.of([ReviewedClaim.reviewed(c) for c in page.items], page)

    @strawberry.field(description="A claim, with what its reviewer needs.")
    def claim(self, info: ClaimInfo, id: str) -> ReviewedClaim:
        return ReviewedClaim.reviewed(service.claim_of(info.context.principal, id))

    @strawberry.field(description="How old a claimed invoice may be; the rejection reasons.")
    def claim_rules(self, info: ClaimInfo) -> ClaimRules:
        return _rules(service.rules(info.context.principal.program))


@strawberry.type
class AdminClaimsMutation:
    @strawberry.mutation(description="Approve (all or part), reject with a reason, or ask "
                                     "the member for more.")
    def decide_claim(self, info: ClaimInfo, input: DecideClaimInput) -> DecideClaimPayload:
        return answered(DecideClaimPayload, "decided", lambda d: DecidedClaim(
            claim=ReviewedClaim.reviewed(d.claim), points=d.points),
            lambda: service.decide(info.context.principal, input.id, input.decision,
                                   input.idempotency_key, input.approved_amount, input.reason,
                                   input.note))

    @strawberry.mutation(description="Set the claim window and the rejection reasons.")
    def set_claim_rules(self, info: ClaimInfo, input: ClaimRulesInput) -> ClaimRulesPayload:
        return answered(ClaimRulesPayload, "rules", _rules, lambda: service.set_rules(
            info.context.principal,
            domain.ClaimRules(input.window_days, tuple(input.reject_reasons),
                              input.auto_approve_up_to, tuple(input.trusted_accounts))))
