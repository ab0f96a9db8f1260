"""Names of transaction parts that one module writes into a plan and another reads back
from a refusal (`Cancelled.failed(name)`), so the two cannot drift apart.

A name used by one function only (its plan and its explanation side by side) stays a
literal there.
"""

from __future__ import annotations

COMPANY_TIER = "companyTier"  # a company's tier pinned at the seq it was read (or checked)
QUEST_GATE = "questGate"  # the live-quest epoch an activity planned with

_QUEST, _CAP = "quest:", "cap:"


def quest(quest_id: str) -> str:
    """The member's progress item in one quest."""
    return f"{_QUEST}{quest_id}"


def is_quest(name: str) -> bool:
    return name.startswith(_QUEST)


def cap(rule_id: str, window: str) -> str:
    """An earning cap's counter for one rule and window."""
    return f"{_CAP}{rule_id}:{window}"


def is_cap(name: str) -> bool:
    return name.startswith(_CAP)


TREE_STEP = "treeStep:"  # an account above a company pinned under the parent it was read with


def tree_step(account_id: str) -> str:
    return TREE_STEP + account_id


def is_tree_step(name: str) -> bool:
    return name.startswith(TREE_STEP)


def tree_step_account(name: str) -> str:
    return name[len(TREE_STEP):]
