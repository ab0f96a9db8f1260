"""Codes on packs: the admin makes a batch (codes shown once, as CSV for the printer; kept
only as keyed hashes), a member claims one to earn its points, once program-wide.

A claim is one transaction: the code marked claimed (on the condition that nobody has and
it has not expired), the points moved onto the member's wallet with their ledger line,
the batch's claim count, and what the points cost the program's budgets. A second claim,
by anyone, is refused with when the code was used, never by whom.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Any

from kado.config import settings
from kado.domain.calendar import iso, parse_iso, utcnow
from kado.domain.errors import DomainError, ErrorCode
from kado.domain.ledger.movements import Entry, Movement
from kado.domain.pack_codes import PackBatch, validate
from kado.domain.pages import Page
from kado.domain.principal import Principal
from kado.domain.shards import pick_shard
from kado.domain.validation import require_idempotency_key
from kado.domain.vouchers import codes
from kado.services import budgets
from kado.services.kernel.code_key_ring import keys
from kado.services.kernel.loyalty_definitions import cached
from kado.services.ledger import holders, movements, optimistic
from kado.store import ledger as store
from kado.store import pack_codes as pack_store
from kado.store.kernel.throttle import minute_of
from kado.store.kernel.throttle import over_limit as throttle_over
from kado.store.kernel.transact import Cancelled


@dataclass(frozen=True)
class Claimed:
    points: int
    balance_after: int
    claimed_at: str


def create_batch(admin: Principal, batch: PackBatch) -> str:
    """Make the batch's codes; answers them as CSV (code, batch), the only time they are
    ever shown: the table keeps their keyed hashes."""
    validate(batch, utcnow())
    made = [codes.generate() for _ in range(batch.count)]
    program = admin.program
    if not pack_store.put_batch(program, {
            "id": batch.id, "name": batch.name, "points": batch.points, "count": batch.count,
            "expiresAt": iso(batch.expires_at), "region": batch.region,
            "createdAt": iso(utcnow()), "by": admin.subject},
            [keys().pack_lookup(program, code) for code in made]):
        raise DomainError(ErrorCode.INVALID_INPUT, f"batch {batch.id!r} already exists",
                          "id")
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["code", "qr", "batch"])
    writer.writerows([codes.formatted(c), codes.qr_payload(c), batch.id] for c in made)
    return out.getvalue()


def claim(principal: Principal, typed: str, idempotency_key: str) -> Claimed:
    require_idempotency_key(idempotency_key)
    program, member_id = principal.program, principal.subject
    code = codes.read(typed)  # a typo is refused before any read
    lookup = keys().pack_lookup(program, code)
    found = _unless_guessing(program, member_id, lookup)
    if found.get("claimedAt"):
        return _earlier(found, member_id, idempotency_key)
    points, now = int(found["points"]), utcnow()
    if found["expiresAt"] <= iso(now):
        raise DomainError(ErrorCode.EXPIRED, f"this code expired at {found['expiresAt']}",
                          "code")
    settings = cached(program).settings
    charges = budgets.charges_or_refuse(program, settings.points_paid_at(now),
                                        points * (settings.point_value or 0), "code",
                                        "these points", budgets.POINTS)
    shard = pick_shard(pack_store.STAT_SHARDS)

    def plan_for(items: dict[str, dict[str, Any]]) -> optimistic.Plan[Claimed]:
        member, at = items["member"], iso(utcnow())
        movement = Movement(program, member_id, store.wallet_of(member), Entry(
            points, f"pack code of batch {found['batchId']}", "PACK_CODE", lookup[:16],
            member_id, at), earned=points, expiry=cached(program).expiry())
        balance = movement.settled().balance
        parts = {"code": pack_store.claim_part(program, lookup, member_id, idempotency_key,
                                               at, balance),
                 "stat": pack_store.stat_part(program, str(found["batchId"]), shard),
                 **store.movement_parts(movement), **budgets.parts(program, charges)}
        return optimistic.Plan(parts, {"member": movements.member_after(member, movement)},
                               Claimed(points, balance, at))

    def explain(cancelled: Cancelled) -> Claimed | None:
        nonlocal charges
        if cancelled.failed("code") is not None:
            now_found = pack_store.get_code(program, lookup) or {}
            if now_found.get("claimedAt"):
                return _earlier(now_found, member_id, idempotency_key)
            raise DomainError(ErrorCode.EXPIRED, "this code has expired", "code")
        charges = budgets.recharged_or_refused(program, cancelled, charges, "code",
                                               "these points")
        return None

    return optimistic.commit(program, {"member": member_id}, plan_for, explain)


def _unless_guessing(program: str, member_id: str, lookup: str) -> dict[str, Any]:
    """The code's item, read with its claimant's and their company's failed guesses this
    minute: over the limit, nothing is answered about the code (as at the till); an
    unknown code counts one more failure for both."""
    account = holders.known(program, member_id).get("accountId")
    guessers = [f"M#{member_id}", *([f"A#{account}"] if account else [])]
    minute, limit = minute_of(utcnow()), settings().failed_lookups_per_minute
    found, guesses = pack_store.code_and_guesses(program, lookup, guessers)
    if any(throttle_over(g, minute, limit) for g in guesses):
        raise _guessing()
    if found is None:
        if not all([pack_store.count_guess(program, g, minute, limit) for g in guessers]):
            raise _guessing()
        raise DomainError(ErrorCode.INVALID_CODE, "no pack has this code", "code")
    return found


def _guessing() -> DomainError:
    return DomainError(ErrorCode.TOO_MANY_ATTEMPTS, "too many unknown codes; wait for the "
                       "next minute", "code")


def _earlier(found: dict[str, Any], member_id: str, key: str) -> Claimed:
    """The code's first claim answered again to the same request; anyone else is told when
    it was used, never by whom."""
    if found.get("memberId") == member_id and found.get("idempotencyKey") == key:
        return Claimed(int(found["points"]), int(found["balanceAfter"]),
                       str(found["claimedAt"]))
    used = parse_iso(str(found["claimedAt"]))
    raise DomainError(ErrorCode.ALREADY_REDEEMED, f"this code was used at {iso(used)}",
                      "code")


def batch_stats(program: str, batch_id: str) -> tuple[dict[str, Any], int]:
    batch = pack_store.get_batch(program, batch_id)
    if batch is None:
        raise DomainError(ErrorCode.NOT_FOUND, f"no batch {batch_id!r}", "batchId")
    return batch, pack_store.claimed(program, batch_id)


@dataclass(frozen=True)
class BatchCount:
    batch: dict[str, Any]
    claimed: int


def batches(program: str, first: int, after: str | None) -> tuple[list[BatchCount], Page]:
    """A page of the program's batches, newest first, each with its claims."""
    page = pack_store.batches(program, first, after)
    counts = pack_store.claimed_each(program, [b["id"] for b in page.items])
    return [BatchCount(b, counts[b["id"]]) for b in page.items], page


@dataclass(frozen=True)
class RegionCount:
    region: str | None
    batches: int
    printed: int
    claimed: int


def by_region(program: str) -> list[RegionCount]:
    """Printed and claimed codes per region the batches name (None: no region), over every
    batch of the program (batches are print runs: hundreds, not millions)."""
    totals: dict[str | None, list[int]] = {}
    after = None
    while True:
        found, page = batches(program, 100, after)
        for b in found:
            row = totals.setdefault(b.batch.get("region"), [0, 0, 0])
            row[0] += 1
            row[1] += int(b.batch["count"])
            row[2] += b.claimed
        if not page.has_next:
            break
        after = page.end_cursor
    return [RegionCount(region, *row) for region, row in
            sorted(totals.items(), key=lambda kv: (kv[0] is None, kv[0] or ""))]
