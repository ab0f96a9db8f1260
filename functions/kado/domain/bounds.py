"""The largest numbers Kado stores: what is written must be readable, and GraphQL's Int is
a signed 32-bit integer. So a balance, a lifetime total and any single award stay within
MAX_INT, checked where they are written (store/ledger.py refuses a movement past them,
on the seq it was planned from, so no interleaving gets past either)."""

from __future__ import annotations

MAX_INT = 2**31 - 1
# One award, price or adjustment: far below the ceiling, so a few never reach it.
MAX_POINTS_AT_ONCE = 10**9
# A balance or a lifetime total of points, of a member or a company.
MAX_BALANCE = MAX_INT
