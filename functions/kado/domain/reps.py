"""Sales reps: people in the field who award points to members of the companies in their
scope, for a reason from the program's list, paid from their own budget.

A rep's limits count in the periods of the rep's budget (its day, week or month, in its
zone), so "per period" means the same thing for the money and for the points.
"""

from __future__ import annotations

from dataclasses import dataclass

from kado.domain.errors import ValidationFailed
from kado.domain.validation import ID_RULE, MAX_NAME_TEXT, MAX_REASON, is_id, named_problems

MAX_SCOPE = 500  # companies named on one rep (a subtree comes with the account tree)
MAX_REASONS = 30
MAX_AWARD = 1_000_000


@dataclass(frozen=True)
class RepLimits:
    per_award: int  # points
    per_member_per_period: int
    per_rep_per_period: int


@dataclass(frozen=True)
class Rep:
    id: str
    name: str
    accounts: tuple[str, ...]  # the companies whose members the rep may award
    budget_id: str  # what the rep's awards cost is debited from
    reasons: tuple[str, ...]  # the reasons the rep may give
    limits: RepLimits
    active: bool = True


def validate(r: Rep) -> None:
    problems = named_problems(r.id, r.name, MAX_NAME_TEXT)
    if not 1 <= len(r.accounts) <= MAX_SCOPE or not all(is_id(a) for a in r.accounts) or \
            len(set(r.accounts)) != len(r.accounts):
        problems.append(("accounts", f"1-{MAX_SCOPE} distinct company ids"))
    if not is_id(r.budget_id):
        problems.append(("budgetId", ID_RULE))
    if not 1 <= len(r.reasons) <= MAX_REASONS or not all(is_id(x) for x in r.reasons):
        problems.append(("reasons", f"1-{MAX_REASONS} reason ids"))
    lim = r.limits
    if not 1 <= lim.per_award <= MAX_AWARD:
        problems.append(("limits.perAward", f"1 to {MAX_AWARD} points"))
    if not lim.per_award <= lim.per_member_per_period <= lim.per_rep_per_period:
        problems.append(("limits", "per award <= per member per period <= per rep per period"))
    if problems:
        raise ValidationFailed(problems)


def validate_award(r: Rep, points: int, reason: str, note: str | None) -> None:
    problems: list[tuple[str, str]] = []
    if not 1 <= points <= r.limits.per_award:
        problems.append(("points", f"1 to {r.limits.per_award} (your limit per award)"))
    if reason not in r.reasons:
        problems.append(("reason", "one of " + ", ".join(r.reasons)))
    if note is not None and len(note) > MAX_REASON:
        problems.append(("note", f"at most {MAX_REASON} characters"))
    if problems:
        raise ValidationFailed(problems)
