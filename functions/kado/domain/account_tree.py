"""The channel as a tree of companies: a brand's distributors, their retailers (whose staff
are members). Shallow (at most four levels) but wide: a distributor may have tens of
thousands of retailers, so an account names only its parent, and a retailer moves to
another distributor by one write (an account with accounts under it keeps its place)."""

from __future__ import annotations

from kado.domain.errors import ValidationFailed

MAX_DEPTH = 4


def check_parent(account_id: str, parent_id: str, parents_chain: list[str]) -> None:
    """`parents_chain`: the parent's own ancestors, nearest first."""
    problems: list[tuple[str, str]] = []
    if account_id == parent_id or account_id in parents_chain:
        problems.append(("parentId", "an account cannot be under itself"))
    elif 2 + len(parents_chain) > MAX_DEPTH:
        problems.append(("parentId", f"the tree is at most {MAX_DEPTH} levels deep"))
    if problems:
        raise ValidationFailed(problems)


def first_in_scope(chain: list[str], scope: tuple[str, ...]) -> int | None:
    """Where the first of `chain` (an account, then its ancestors) in `scope` is."""
    return next((i for i, account in enumerate(chain) if account in scope), None)
