"""What a campaign returned, measured against its holdout (domain/campaigns/holdout.py).

Incremental revenue per member is the treated group's mean revenue less the held-out
group's, over the campaign's window and a tail; its 95 % confidence interval is Welch's
(the groups' variances need not be equal). ROI = (incremental revenue per member * treated
members * margin - cost) / cost. Groups too small, or an interval that holds zero, are said
to be inconclusive in words, not hidden behind a number.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

MIN_GROUP = 30  # below this, a mean's normal approximation is not to be trusted
Z_95 = 1.959964


@dataclass(frozen=True)
class Group:
    members: int
    revenue: int  # minor units, over the window
    mean: float
    variance: float  # sample variance of the members' revenue


@dataclass(frozen=True)
class Return:
    treated: Group
    held_out: Group
    incremental_per_member: float
    interval: tuple[float, float] | None  # 95 %; None when the groups are too small
    cost: int
    margin_percent: int
    roi: float | None  # None when there is no cost to return on, or groups are too small
    verdict: str


def measured(treated: Group, held_out: Group, cost: int, margin_percent: int) -> Return:
    lift = treated.mean - held_out.mean
    if min(treated.members, held_out.members) < MIN_GROUP:
        return Return(treated, held_out, lift, None, cost, margin_percent, None,
                      f"too small to conclude: each group needs {MIN_GROUP} members "
                      f"(treated {treated.members}, held out {held_out.members})")
    error = math.sqrt(treated.variance / treated.members +
                      held_out.variance / held_out.members)
    interval = (lift - Z_95 * error, lift + Z_95 * error)
    roi = (lift * treated.members * margin_percent / 100 - cost) / cost if cost else None
    if interval[0] > 0:
        verdict = "the campaign raised revenue per member (95 % interval above zero)"
    elif interval[1] < 0:
        verdict = "the campaign lowered revenue per member (95 % interval below zero)"
    else:
        verdict = "no effect shown: the 95 % interval holds zero"
    return Return(treated, held_out, lift, interval, cost, margin_percent, roi, verdict)
