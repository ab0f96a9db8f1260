"""The one outbox of Kado: domain facts read off the table's change stream.

Every fact is already a committed change of one item (a registration's status, a spin,
a voucher's owner or balance), so the stream is the outbox: nothing is written twice to
announce it, and a fact exists exactly when its change committed. `facts_of` turns one
stream record into the facts it carries; the publisher (handlers/outbox_publisher.py)
sends them to the program's EventBridge bus. docs/events.md documents each fact.

Each fact's `id` is derived from the stream record, so a fact sent again (see the
publisher) carries the same id and consumers can drop it.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from kado.config import settings
from kado.domain.calendar import iso
from kado.store.kernel import codec
from kado.store.kernel import outbox as marks

_log = logging.getLogger("kado.outbox")

SOURCE = "kado"
# The item types whose changes carry facts. The template's stream filter wakes the publisher
# for these alone (tests/unit/test_template.py holds the two together), so a fact of a new
# item type is named here or it never leaves the table in AWS.
FACT_ITEM_TYPES = ("REGISTRATION", "SPIN", "VOUCHER", "ACTIVITY", "BUDGET_ALERT",
                   "POINTS_ENTRY", "TIER_CHANGE", "QUEST_PROGRESS")
SEAT_HOLDING = ("CONFIRMED", "OFFERED", "CHECKED_IN")


@dataclass(frozen=True)
class Fact:
    id: str
    type: str  # the EventBridge detail-type
    program: str
    member_id: str
    occurred_at: str
    detail: dict[str, Any] = field(default_factory=dict)

    def entry(self, bus: str) -> dict[str, Any]:
        """The PutEvents entry."""
        return {"Source": SOURCE, "DetailType": self.type, "EventBusName": bus,
                "Detail": json.dumps({"id": self.id, "program": self.program,
                                      "memberId": self.member_id,
                                      "occurredAt": self.occurred_at, **self.detail},
                                     sort_keys=True, default=str)}


def facts_of(record: dict[str, Any]) -> list[Fact]:
    """The facts one DynamoDB stream record carries (most carry none)."""
    change = record.get("dynamodb") or {}
    new = codec.load(change.get("NewImage")) or {}
    old = codec.load(change.get("OldImage")) or {}
    if not new or new.get("type") not in FACT_ITEM_TYPES:
        return []
    program = str(change.get("Keys", {}).get("pk", {}).get("S", "P#?#")).split("#")[1]
    found: list[tuple[str, str, str, dict[str, Any]]] = []  # type, member, at, detail
    kind = new.get("type")
    if kind == "REGISTRATION":
        found = _registration(old or {}, new)
    elif kind == "SPIN" and not old:
        # Every spin is played (the reports' participation); a winning one also won.
        played = ("SpinPlayed", new["memberId"], new["createdAt"], {
            "campaignId": new["campaignId"], "spinId": new["id"], "won": bool(new.get("won")),
            "outcome": new.get("outcome")})
        found = [played, *([("SpinWon", new["memberId"], new["createdAt"], {
            "campaignId": new["campaignId"], "spinId": new["id"],
            "prizeId": new.get("prizeId"), "voucherId": new.get("voucherId"),
            "prizeKind": new.get("prizeKind"), "cost": new.get("prizeCost")})]
            if new.get("won") else [])]
    elif kind == "VOUCHER":
        found = _voucher(old or {}, new)
    elif kind == "QUEST_PROGRESS":
        found = _quest(old or {}, new)
    elif kind == "ACTIVITY" and not old:  # recorded once; a resend writes nothing
        found = [("ActivityRecorded", new["memberId"], new["occurredAt"], {
            "externalId": new.get("externalId"), "activityType": new.get("activityType"),
            "amount": new.get("amount"), "currency": new.get("currency"),
            "points": new.get("points"), "accountId": new.get("accountId"),
            "companyId": new.get("companyId")})]
    elif kind == "POINTS_ENTRY" and not old:  # a ledger line is written once, never changed
        found = [("PointsMoved", new.get("memberId") or "", new["at"], {
            **_holder(change), "delta": new["delta"], "balanceAfter": new.get("balanceAfter"),
            "expired": new.get("expired") or 0, "source": new.get("source"),
            "sourceRef": new.get("sourceRef"), "actor": new.get("actor")})]
    elif kind == "TIER_CHANGE" and not old:  # one per holder, period and tier reached
        holder = _holder(change)
        found = [("TierChanged", holder["holderId"] if holder["holderKind"] == "MEMBER" else "",
                  new["at"], {**holder, "tier": new["tier"], "previous": new.get("previous"),
                              "period": new.get("period"), "reason": new.get("reason")})]
    elif kind == "BUDGET_ALERT" and not old:  # written once per budget, period, threshold
        found = [("BudgetThresholdReached", "", new["at"], {
            key: new[key] for key in ("budgetId", "period", "percent", "spent", "amount")})]
    base = str(record.get("eventID", ""))
    # Changes that carry no moment of their own are dated by the stream (to the second).
    stamped = datetime.fromtimestamp(float(change.get("ApproximateCreationDateTime", 0)), UTC)
    return [Fact(f"{base}:{i}" if len(found) > 1 else base, kind_of, program, member,
                 at or iso(stamped), {**detail, "sequence": change.get("SequenceNumber")})
            for i, (kind_of, member, at, detail) in enumerate(found)]


def _holder(change: dict[str, Any]) -> dict[str, str]:
    """Whose ledger or tier an item is, from its key: a member's (P#p#M#id) or a company's
    (P#p#A#id, its wallet's shards included)."""
    parts = str(change.get("Keys", {}).get("pk", {}).get("S", "")).split("#")
    kind = {"M": "MEMBER", "A": "COMPANY"}.get(parts[2] if len(parts) > 3 else "", "OTHER")
    return {"holderKind": kind, "holderId": parts[3] if len(parts) > 3 else ""}


def _registration(old: dict[str, Any], new: dict[str, Any]
                  ) -> list[tuple[str, str, str, dict[str, Any]]]:
    was, now = old.get("status"), new["status"]
    about = {"eventId": new["eventId"]}
    member = new["memberId"]
    if was == now:
        if new.get("remindedAt") and not old.get("remindedAt"):
            return [("EventReminder", member, new["remindedAt"], about)]
        return []
    if now == "CONFIRMED":
        if was == "WAITLISTED":
            return [("Promoted", member, new.get("promotedAt", ""), about)]
        at = new.get("confirmedAt") or new["acceptedAt"]
        return [("RegistrationConfirmed", member, at, {**about, "fromOffer": was == "OFFERED"})]
    if now == "WAITLISTED":
        return [("Waitlisted", member, new["acceptedAt"], about)]
    if now == "OFFERED":
        return [("SeatOffered", member, new.get("promotedAt", ""),
                 {**about, "offerExpiresAt": new.get("offerExpiresAt")})]
    if now == "CHECKED_IN":
        return [("CheckedIn", member, new["checkedInAt"], about)]
    if now == "OFFER_EXPIRED":
        return [("OfferExpired", member, new.get("endedAt", ""), about)]
    if now in ("CANCELLED", "DECLINED"):
        return [("Cancelled", member, new.get("endedAt", ""),
                 {**about, "reason": new.get("endReason"), "was": was})]
    return []


def _voucher(old: dict[str, Any], new: dict[str, Any]
             ) -> list[tuple[str, str, str, dict[str, Any]]]:
    member = new.get("memberId")
    if not member:
        return []  # an unissued pool code
    about = {"voucherId": new["id"], "productId": new.get("productId")}
    if not old.get("memberId"):
        return [("VoucherIssued", member, new.get("issuedAt", ""),
                 {**about, "expiresAt": new.get("expiresAt"), "balance": new.get("balance")})]
    before, after = old.get("balance"), new.get("balance")
    if before is None or after is None or before == after:
        return []
    at = new.get("updatedAt") or new.get("redeemedAt") or ""
    kind = "VoucherRedeemed" if after < before else "RedemptionReversed"
    return [(kind, member, at, {**about, "amount": abs(before - after), "balance": after,
                                "merchantId": new.get("lastMerchantId")})]


def _quest(old: dict[str, Any], new: dict[str, Any]
           ) -> list[tuple[str, str, str, dict[str, Any]]]:
    """A member's progress on a quest's cycle: started (joined, for an opt-in quest) when
    the item is first written, completed when it first says so; the moves between say
    nothing (they are the activities' own facts)."""
    about = {"questId": new["questId"], "cycle": new.get("cycle"),
             "accountId": new.get("accountId")}
    member = new["memberId"]
    found = []
    if not old:
        found.append(("QuestStarted", member, new.get("joinedAt") or new.get("updatedAt", ""),
                      {**about, "joined": bool(new.get("joinedAt"))}))
    if new.get("status") == "COMPLETED" and old.get("status") != "COMPLETED":
        found.append(("QuestCompleted", member, new.get("completedAt", ""), about))
    return found


_events: Any = None


def _client() -> Any:
    global _events  # noqa: PLW0603 - one connection pool per process
    if _events is None:
        from botocore.session import get_session

        _events = get_session().create_client("events", region_name=settings().region)
    return _events


def send(facts: list[Fact], bus: str) -> None:
    """PutEvents, all or nothing for one record (at most a handful of facts)."""
    if not facts:
        return
    answer = _client().put_events(Entries=[f.entry(bus) for f in facts])
    if answer.get("FailedEntryCount"):
        failed = [e.get("ErrorCode") for e in answer["Entries"] if e.get("ErrorCode")]
        raise RuntimeError(f"EventBridge refused {failed}")


Watcher = Callable[[dict[str, Any]], None]


def publish(records: list[dict[str, Any]], bus: str,
            watchers: tuple[Watcher, ...] = ()) -> dict[str, list[dict[str, str]]]:
    """The stream's records in order (see handlers/outbox_publisher.py): at the first that
    cannot be sent, stop and report it, so Lambda retries from there. Each watcher sees
    each record first and may write what it derives (a budget's threshold marker), which
    comes back on the stream as a fact of its own; a watcher that fails stops the batch
    the same way, so nothing it owes is lost."""
    for record in records:
        record_id = str(record.get("eventID", ""))
        try:
            for watch in watchers:
                watch(record)
            facts = facts_of(record)
            if facts and not marks.sent(record_id):
                send(facts, bus)
                marks.mark_sent(record_id)
        except Exception:  # any failure: stop here, and Lambda retries from this record
            _log.exception("outbox record not sent; the batch stops here")
            sequence = record.get("dynamodb", {}).get("SequenceNumber", "")
            return {"batchItemFailures": [{"itemIdentifier": sequence}]}
    return {"batchItemFailures": []}
