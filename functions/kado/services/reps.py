"""Sales reps award points to members of the companies in their scope, from their budget.

An award is one transaction: the member's movement and ledger line (the rep, the reason and
the note on it), the award itself (by an id derived from the rep and the request's key, so
a retry answers the first outcome), a check that the rep is active with the member's
company in scope, the rep's and the member's points this period under their limits, and
the debit of the rep's budget. Forty awards at once never take the budget or a limit past
its end. The scope is the rep's record and the member's company on record, both checked
when the transaction commits, never a token's say.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from kado.domain import account_tree
from kado.domain import reps as domain
from kado.domain.budgets import BudgetLink
from kado.domain.calendar import iso, parse_iso, utcnow
from kado.domain.errors import DomainError, ErrorCode
from kado.domain.idempotency import fingerprint, require_same
from kado.domain.ids import derived_id
from kado.domain.ledger.movements import Entry, Movement
from kado.domain.pages import Page
from kado.domain.principal import Principal
from kado.domain.reps import Rep, RepLimits
from kado.domain.validation import MAX_REASON, require_id, require_idempotency_key, require_text
from kado.services import budgets, members
from kado.services.kernel.loyalty_definitions import cached
from kado.services.ledger import holders, movements, optimistic
from kado.store import ledger as store
from kado.store import members as member_store
from kado.store import reps as rep_store
from kado.store.kernel.transact import Cancelled, pinned


@dataclass(frozen=True)
class Awarded:
    id: str
    member_id: str
    points: int
    balance_after: int
    at: str


def _values(r: Rep, by: str) -> dict[str, Any]:
    return {"id": r.id, "name": r.name, "accounts": list(r.accounts), "budgetId": r.budget_id,
            "reasons": list(r.reasons), "active": r.active, "perAward": r.limits.per_award,
            "perMember": r.limits.per_member_per_period,
            "perRep": r.limits.per_rep_per_period, "updatedAt": iso(utcnow()), "by": by}


def from_item(item: dict[str, Any]) -> Rep:
    return Rep(item["id"], item["name"], tuple(item["accounts"]), item["budgetId"],
               tuple(item["reasons"]), RepLimits(int(item["perAward"]), int(item["perMember"]),
                                                 int(item["perRep"])), bool(item["active"]))


def upsert(admin: Principal, r: Rep) -> Rep:
    domain.validate(r)
    program = admin.program
    budgets.get(program, r.budget_id)  # NOT_FOUND at budgetId if there is none
    if not cached(program).settings.point_value:
        raise DomainError(ErrorCode.INVALID_INPUT, "set the program's point value first: a "
                          "rep's awards are paid from their budget", "budgetId")
    rep_store.put_rep(program, _values(r, admin.subject))
    return r


def get(program: str, rep_id: str) -> Rep:
    require_id(rep_id, "id")
    found = rep_store.get_rep(program, rep_id)
    if found is None:
        raise DomainError(ErrorCode.NOT_FOUND, f"no rep {rep_id!r}", "id")
    return from_item(found)


def _acting(rep: Principal) -> Rep:
    """The rep as their record says now (read on each award: a change holds everywhere)."""
    found = rep_store.get_rep(rep.program, rep.subject)
    if found is None or not found.get("active"):
        raise DomainError(ErrorCode.FORBIDDEN, "you are not an active rep of this program")
    return from_item(found)


def award(rep: Principal, member_id: str, points: int, reason: str, note: str | None,
          idempotency_key: str) -> Awarded:
    require_idempotency_key(idempotency_key)
    require_id(member_id, "memberId")
    program, me = rep.program, _acting(rep)
    domain.validate_award(me, points, reason, note)
    award_id = derived_id("rep-award", me.id, idempotency_key)
    asked = fingerprint("awardPoints", member_id, points, reason, note)
    earlier = rep_store.get_award(program, award_id)
    if earlier is not None:
        return _again(earlier, asked)
    now = utcnow()
    period = budgets.get(program, me.budget_id).period_key(now)
    value = cached(program).settings.point_value or 0
    charges = budgets.charges_or_refuse(program, (BudgetLink(me.budget_id),), points * value,
                                        "points", "this award", f"rep:{me.id}")
    if not holders.on_file(program, member_id).get("type"):
        raise DomainError(ErrorCode.NOT_FOUND, f"no member {member_id!r}", "memberId")
    # The tree above a company, read once per award: a plan made again for a busy budget
    # shard does not read it again; a tree pin refused (a move) forgets it.
    chains: dict[str, list[str]] = {}

    def chain_of(company: str) -> list[str]:
        if company not in chains:
            chains[company] = [company, *members.ancestors(program, company)]
        return chains[company]

    def plan_for(items: dict[str, dict[str, Any]]) -> optimistic.Plan[Awarded]:
        member, at = items["member"], iso(utcnow())
        company = member.get("accountId")
        # The company, then the accounts above it: a rep of a distributor reaches its
        # retailers' members. Each step up is pinned, so a retailer moved meanwhile is not.
        chain = chain_of(company) if company else []
        reach = account_tree.first_in_scope(chain, me.accounts)
        if reach is None:
            raise _out_of_scope()
        movement = Movement(program, member_id, store.wallet_of(member), Entry(
            points, f"{reason}{': ' + note if note else ''}", "REP_AWARD", award_id, me.id, at),
            earned=points, expiry=cached(program).expiry())
        done = Awarded(award_id, member_id, points, movement.settled().balance, at)
        moved = store.movement_parts(movement)
        # The company the scope was judged on is the member's when this commits.
        moved["member"] = pinned(moved["member"], "accountId", str(company))
        pins = {f"tree{i}": member_store.parent_pin(program, chain[i], chain[i + 1])
                for i in range(reach)}
        parts = {**moved, **pins, "scope": rep_store.scope_part(program, me.id, chain[reach]),
                 "repLimit": rep_store.cap_part(program, f"R#{me.id}", period, points,
                                                me.limits.per_rep_per_period),
                 "memberLimit": rep_store.cap_part(program, f"M#{member_id}", period, points,
                                                   me.limits.per_member_per_period),
                 "award": rep_store.award_part(program, {
                     "id": award_id, "repId": me.id, "memberId": member_id, "accountId": company,
                     "points": points, "reason": reason, "note": note, "at": at,
                     "period": period, "balanceAfter": done.balance_after,
                     "fingerprint": asked, "charges": budgets.taken(charges)}),
                 **budgets.parts(program, charges)}
        return optimistic.Plan(parts, {"member": movements.member_after(member, movement)}, done)

    def explain(cancelled: Cancelled) -> Awarded | None:
        nonlocal charges
        if cancelled.failed("award") is not None:
            return _again(rep_store.get_award(program, award_id) or {}, asked)
        if cancelled.failed("scope") is not None:
            _acting(rep)  # inactive now: FORBIDDEN; else the company left the scope
            raise _out_of_scope()
        if any(name.startswith("tree") for name in cancelled.failures):
            chains.clear()
            return None  # an account moved in the tree meanwhile: judge the scope again
        for part, field, most in (("repLimit", "perRepPerPeriod", me.limits.per_rep_per_period),
                                  ("memberLimit", "perMemberPerPeriod",
                                   me.limits.per_member_per_period)):
            if cancelled.failed(part) is not None:
                who = f"R#{me.id}" if part == "repLimit" else f"M#{member_id}"
                left = most - rep_store.given(program, who, period)
                raise DomainError(ErrorCode.REP_LIMIT_REACHED, f"the {field} limit of {most} "
                                  f"points leaves {max(left, 0)} this period", "points")
        charges = budgets.recharged_or_refused(program, cancelled, charges, "points",
                                               "this award")
        return None

    return optimistic.commit(program, {"member": member_id}, plan_for, explain)


def _out_of_scope() -> DomainError:
    return DomainError(ErrorCode.FORBIDDEN, "this member's company is not in your scope",
                       "memberId")


def _again(earlier: dict[str, Any], asked: str) -> Awarded:
    require_same(earlier.get("fingerprint"), asked)
    return Awarded(earlier["id"], earlier["memberId"], int(earlier["points"]),
                   int(earlier["balanceAfter"]), earlier["at"])


def awards(program: str, rep_id: str, first: int, after: str | None) -> Page:
    return rep_store.awards(program, rep_id, first, after)


@dataclass(frozen=True)
class Standing:
    rep: Rep
    given: int  # points the rep gave this period
    budget_left: int  # money left in the rep's budget this period (minor units)
    budget_currency: str


def standing(program: str, rep_id: str) -> Standing:
    me = get(program, rep_id)
    budget = budgets.get(program, me.budget_id)
    state = budgets.state(program, budget)
    return Standing(me, rep_store.given(program, f"R#{me.id}", budget.period_key(utcnow())),
                    state.left, budget.currency)


REVERSAL_DAYS = 30  # how long an admin may take an award back


def reverse(admin: Principal, award_id: str, reason: str, idempotency_key: str) -> Awarded:
    """Take an award back, once: its points off the member (not below zero: points spent
    meanwhile are refused INSUFFICIENT_POINTS), its cost back to the budget, and its points
    off the rep's and member's counts for its period, in one transaction."""
    require_idempotency_key(idempotency_key)
    require_id(award_id, "id")
    require_text(reason, "reason", MAX_REASON)
    program = admin.program
    award = rep_store.get_award(program, award_id)
    if award is None:
        raise DomainError(ErrorCode.NOT_FOUND, f"no award {award_id!r}", "id")
    if award.get("reversedAt"):
        return _reversed(award, idempotency_key)
    if utcnow() - parse_iso(award["at"]) > timedelta(days=REVERSAL_DAYS):
        raise DomainError(ErrorCode.REVERSAL_WINDOW_CLOSED, f"awards are reversed within "
                          f"{REVERSAL_DAYS} days", "id")
    member_id, points = award["memberId"], int(award["points"])

    def plan_for(items: dict[str, dict[str, Any]]) -> optimistic.Plan[Awarded]:
        member, at = items["member"], iso(utcnow())
        movement = Movement(program, member_id, store.wallet_of(member), Entry(
            -points, f"reversed: {reason}", "REP_AWARD_REVERSED", award_id, admin.subject,
            at), earned=-points, expiry=cached(program).expiry())
        parts = {**store.movement_parts(movement),
                 "award": rep_store.reversal_part(program, award_id, at, admin.subject,
                                                  idempotency_key),
                 **rep_store.uncounted_parts(program, award),
                 **budgets.refund_parts(program, award.get("charges") or [])}
        return optimistic.Plan(parts, {"member": movements.member_after(member, movement)},
                               Awarded(award_id, member_id, -points,
                                       movement.settled().balance, at), spends="id")

    def explain(cancelled: Cancelled) -> Awarded | None:
        if cancelled.failed("award") is not None:
            return _reversed(rep_store.get_award(program, award_id) or {}, idempotency_key)
        return None

    return optimistic.commit(program, {"member": member_id}, plan_for, explain)


def _reversed(award: dict[str, Any], key: str) -> Awarded:
    if award.get("reversalKey") != key:
        raise DomainError(ErrorCode.ALREADY_REVERSED, f"this award was reversed at "
                          f"{award.get('reversedAt')}", "id")
    return Awarded(award["id"], award["memberId"], -int(award["points"]), 0,
                   str(award["reversedAt"]))
