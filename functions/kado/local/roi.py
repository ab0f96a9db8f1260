"""`kado report roi`: what a campaign returned against its holdout, from the dev server's
facts lake on DuckDB, by the same service the admin API's measure runs
(services/campaigns/returns.py)."""

from __future__ import annotations

from pathlib import Path

from kado.domain.roi import Return
from kado.local.lake import LakeEngine
from kado.services.campaigns import returns


def campaign_return(program: str, campaign_id: str, root: Path, margin_percent: int,
                    tail_days: int) -> Return:
    return returns.measure(program, campaign_id, margin_percent, tail_days,
                           LakeEngine(root, root))
