"""Company-to-company referrals (the terms: domain/referrals.py).

Registering is one transaction: the referral keyed by the referred company (so parallel
registrations of one company make one referral) and the advocate's monthly count below
the cap. A referral qualifies on the referred company's first purchase of at least the
minimum within the window, noticed when that purchase is recorded (with referrals on, a
company purchase costs one more read); rewards are idempotent point adjustments keyed by
the referral, so a retry or a second run never pays twice.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from kado.domain import periods
from kado.domain.activities import Activity, ActivityType
from kado.domain.calendar import iso, parse_iso, utcnow
from kado.domain.errors import DomainError, ErrorCode
from kado.domain.principal import Principal, Role
from kado.domain.referrals import ReferralStatus, ReferralTerms, status_at
from kado.domain.validation import require_id
from kado.services.kernel import code_key_ring as code_keys
from kado.services.kernel.loyalty_definitions import cached as definitions
from kado.services.loyalty import adjustments
from kado.store import referrals as store
from kado.store.kernel import transact
from kado.store.ledger import get_member
from kado.store.members import get_account

R = ReferralStatus
CODE_LENGTH = 10
_CODE = re.compile(rf"[A-Za-z0-9]{{{CODE_LENGTH}}}")  # anything else names no one


def code_of(program: str, member_id: str) -> str:
    """The member's referral code (40 bits of a keyed MAC: stable, not guessable from the
    member id), recorded so a partner can look it up."""
    code = code_keys.keys().ticket_mac(program, f"referral\x00{member_id}")[:CODE_LENGTH]
    store.ensure_code(program, code.upper(), member_id)
    return code.upper()


def _terms(program: str) -> ReferralTerms:
    terms = definitions(program).referrals
    if terms is None:
        raise DomainError(ErrorCode.NOT_FOUND, "this program runs no referrals", None)
    return terms


@dataclass(frozen=True)
class Referral:
    referred_account_id: str
    referred_member_id: str
    advocate_id: str
    advocate_account_id: str | None
    status: ReferralStatus
    reason: str | None
    registered_at: datetime
    deadline: datetime
    qualified_at: datetime | None
    reward_due_at: datetime | None


def referral_from(item: dict[str, Any], now: datetime) -> Referral:
    deadline = parse_iso(item["deadline"])
    status = status_at(item["status"], deadline, now)
    reason = item.get("reason") or ("no qualifying purchase in time"
                                    if status is R.EXPIRED else None)
    return Referral(item["referredAccountId"], item["referredMemberId"], item["advocateId"],
                    item.get("advocateAccountId"), status, reason,
                    parse_iso(item["registeredAt"]), deadline,
                    parse_iso(item["qualifiedAt"]) if item.get("qualifiedAt") else None,
                    parse_iso(item["rewardDueAt"]) if item.get("rewardDueAt") else None)


def register(caller: Principal, code: str, referred_account: str,
             referred_member: str) -> Referral:
    """A partner back end registers that the member behind `code` referred a company."""
    program, terms, now = caller.program, _terms(caller.program), utcnow()
    require_id(referred_account, "referredAccountId")
    require_id(referred_member, "referredMemberId")
    advocate = store.member_of_code(program, code.strip().upper()) \
        if _CODE.fullmatch(code.strip()) else None
    if advocate is None:
        raise DomainError(ErrorCode.NOT_FOUND, "no such referral code", "code")
    advocate_account = (get_member(program, advocate) or {}).get("accountId")
    referred_on_file = (get_member(program, referred_member) or {}).get("accountId")
    same_company = advocate_account is not None and \
        advocate_account in (referred_account, referred_on_file)
    if same_company or referred_member == advocate:
        raise DomainError(ErrorCode.SELF_REFERRAL, "a company cannot refer itself",
                          "referredAccountId")
    if get_account(program, referred_account) is not None:
        raise DomainError(ErrorCode.NOT_NEW, "that company is already a customer",
                          "referredAccountId")
    month = periods.month_key(now)
    values = {"status": R.PENDING.value, "advocateId": advocate,
              "advocateAccountId": advocate_account, "referredMemberId": referred_member,
              "registeredAt": iso(now), "deadline": iso(terms.deadline(now)), "code": code}
    try:
        transact.write(store.register_parts(program, referred_account, values, advocate,
                                            month, terms.cap_per_month,
                                            int((now + timedelta(days=40)).timestamp())))
    except transact.Cancelled as refused:
        if refused.failed("referral") is not None:
            raise DomainError(ErrorCode.ALREADY_REFERRED, "that company was referred "
                              "already", "referredAccountId") from None
        raise DomainError(ErrorCode.REFERRAL_CAP_REACHED, f"at most {terms.cap_per_month} "
                          "referrals a month per member", "code") from None
    return referral_from({**values, "referredAccountId": referred_account}, now)


def part_of(program: str, a: Activity, account: str | None,
            purchase: dict[str, Any] | None, taken: int, now: datetime
            ) -> dict[str, Any] | None:
    """What a recorded activity does to a referral, as a part of the activity's own
    transaction (so it can never be lost after it): a purchase may qualify its company's
    referral (the company the activity names, else the member's on file); a return that
    leaves the qualifying purchase below the minimum within the hold rejects it. With
    referrals on, a company purchase costs one more read (the referral)."""
    terms = definitions(program).referrals
    if terms is None:
        return None
    if a.type == ActivityType.PURCHASE:
        company = account or (get_member(program, a.member_id) or {}).get("accountId")
        return _qualifying(program, terms, a, company, now) if company else None
    if a.type == ActivityType.RETURN and purchase is not None:
        company = purchase.get("accountId") or \
            (get_member(program, a.member_id) or {}).get("accountId")
        return _rejecting(program, terms, purchase, taken, str(a.returns), company, now) \
            if company else None
    return None


def _qualifying(program: str, terms: ReferralTerms, a: Activity, account: str,
                now: datetime) -> dict[str, Any] | None:
    found = store.get(program, account)
    if found is None or referral_from(found, now).status is not R.PENDING:
        return None
    amount = a.amount.value if a.amount else 0
    if amount < terms.min_purchase or a.occurred_at >= parse_iso(found["deadline"]) or \
            a.occurred_at < parse_iso(found["registeredAt"]):
        return None
    return store.move_part(program, account, R.PENDING.value, {
        "status": R.QUALIFIED.value, "qualifiedAt": iso(now), "purchase": a.external_id,
        "rewardDueAt": iso(terms.due(now))})


def _rejecting(program: str, terms: ReferralTerms, purchase: dict[str, Any], taken: int,
               purchase_id: str, account: str, now: datetime) -> dict[str, Any] | None:
    found = store.get(program, account)
    if found is None or found.get("status") != R.QUALIFIED or \
            found.get("purchase") != purchase_id or now >= parse_iso(found["rewardDueAt"]):
        return None
    left = (purchase.get("amount") or 0) - purchase.get("returnedAmount", 0) - taken
    if left >= terms.min_purchase:
        return None
    return store.move_part(program, account, R.QUALIFIED.value, {
        "status": R.REJECTED.value, "reason": "the qualifying purchase was returned"},
        purchase=purchase_id)


def after_qualifying(program: str, a: Activity, account: str | None) -> None:
    """Pay the referred member once the purchase that qualified the referral committed. A
    payment cut short is made by the retry of the activity (it comes here again) or by the
    program timers when the hold ends (`settle`); it is keyed by the referral, so it is
    made once."""
    terms = definitions(program).referrals
    if terms is None:
        return
    company = account or (get_member(program, a.member_id) or {}).get("accountId")
    found = store.get(program, company) if company else None
    if company and found is not None and found.get("purchase") == a.external_id:
        _pay(program, company, found["referredMemberId"], terms.referred_points, "referred")


def _pay(program: str, account: str, member_id: str, amount: int, side: str) -> None:
    if amount:
        adjustments.adjust(Principal(Role.ADMIN, program, "referrals"), member_id, amount,
                           f"referral of {account} ({side})", f"referral:{account}:{side}")


def settle(program: str, now: datetime) -> int:
    """Pay advocates whose hold has passed, and mark expired referrals. Returns how many
    referrals moved. Paying is keyed by the referral, so a second run pays nothing."""
    terms = definitions(program).referrals
    if terms is None:
        return 0
    moved = 0
    for item in store.every_referral(program):
        account, current = item["referredAccountId"], referral_from(item, now)
        if current.status is R.EXPIRED and item["status"] == R.PENDING:
            moved += store.move(program, account, R.PENDING.value, {
                "status": R.EXPIRED.value, "reason": "no qualifying purchase in time"})
        elif current.status is R.QUALIFIED and current.reward_due_at and \
                now >= current.reward_due_at:
            _pay(program, account, item["referredMemberId"], terms.referred_points,
                 "referred")  # if the first payment was cut short
            _pay(program, account, item["advocateId"], terms.advocate_points, "advocate")
            moved += store.move(program, account, R.QUALIFIED.value,
                                {"status": R.REWARDED.value, "rewardedAt": iso(now)})
    return moved


def advocate_referrals(program: str, member_id: str, now: datetime | None = None) -> list[Referral]:
    moment = now or utcnow()
    return [referral_from(i, moment) for i in store.every_referral(program)
            if i.get("advocateId") == member_id]


def every(program: str, now: datetime | None = None) -> list[Referral]:
    moment = now or utcnow()
    return [referral_from(i, moment) for i in store.every_referral(program)]
