"""The optimistic transaction engine: plan from the remembered items, write on the
condition that they have not moved, and on a stale item plan again.

Every movement of points, every company wallet spend and every free or paid event
registration runs through `commit`: one TransactWriteItems per attempt, in which each
seq-moved item (a holder) goes from the `seq` the plan read to the next. A holder this
instance has not seen costs a second round trip only when it has moved on (its ALL_OLD
copy comes back in the cancellation, so there is never a separate read).
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from kado.domain.errors import DomainError, ErrorCode
from kado.services.ledger.holders import known, remember
from kado.store import ledger as store
from kado.store.kernel import transact

T = TypeVar("T")
# Every retry follows a movement that another request committed first (so each is
# progress: a writer loses at most once per writer ahead of it); the pause before it
# grows, so parallel writers of one member spread out instead of colliding.
MAX_ATTEMPTS = 40
BACKOFF_BASE_S = 0.003


@dataclass(frozen=True)
class Plan(Generic[T]):
    parts: dict[str, dict[str, Any]]
    after: dict[str, dict[str, Any]]  # part -> the item that part leaves (remembered)
    result: T
    spends: str | None = None  # the input field to blame when the payer is short
    payer: str = "member"  # the part whose balance pays, if the plan spends


def commit(program: str, holders: dict[str, str],
           plan_for: Callable[[dict[str, dict[str, Any]]], Plan[T]],
           explain: Callable[[transact.Cancelled], T | None],
           attempts: int = MAX_ATTEMPTS) -> T:
    """Plan from the remembered items, write, and on a stale item plan again.

    `holders` names the seq-moved items of the transaction: part name -> holder (a member
    id, or a company wallet shard). `explain` turns any other refusal into a final answer
    (returned) or an error (raised); None means "plan again".
    """
    for attempt in range(attempts):
        if attempt > 1:
            time.sleep(random.uniform(0, BACKOFF_BASE_S * 2 ** min(attempt, 6)))
        planned = {part: known(program, holder) for part, holder in holders.items()}
        plan = plan_for(planned)
        try:
            transact.write(plan.parts)
        except DomainError as busy:  # lost races past transact's own retries: pause, again
            if busy.code is not ErrorCode.BUSY:
                raise
            continue
        except transact.Cancelled as cancelled:
            final = explain(cancelled)
            if final is not None:
                return final
            for part, holder in holders.items():
                refused = cancelled.failed(part)
                if refused is None:
                    continue
                current = refused.item or {}
                if plan.spends and part == plan.payer and _unchanged(planned[part], current):
                    raise DomainError(ErrorCode.INSUFFICIENT_POINTS,
                                      f"the balance is {current.get(store.POINTS, 0)}",
                                      plan.spends) from None
                remember(program, holder, current)
            continue
        for part, item in plan.after.items():
            remember(program, holders[part], item)
        return plan.result
    raise DomainError(ErrorCode.BUSY, "these points are busy; retry", None)


def _unchanged(planned_from: dict[str, Any], current: dict[str, Any]) -> bool:
    """The member item is where the plan left it: a refusal was the balance, not a race."""
    return all(planned_from.get(name) == current.get(name) for name in (store.SEQ, store.TIER))
