"""The facts lake: what the API did, read off the table's stream by the outbox's own code,
written as Parquet, and the reports' SQL run on DuckDB, counting each fact once however
often it was delivered, and matching what the API itself reads."""

from __future__ import annotations

from datetime import UTC, datetime

from kado.local import event_watch, lake
from kado.services.campaigns import definitions as campaigns
from kado.services.campaigns import spins
from kado.services.kernel import outbox
from kado.services.vouchers import redemptions
from kado.store.kernel.tables import ensure_table  # noqa: F401 - the table has its stream
from tests import support
from tests.scenarios.voucher_scenarios import shop, won_voucher
from tests.support import key, member, new_program, till


def test_reports_on_the_lake_count_what_the_api_did(tmp_path):
    from kado.config import settings
    program = new_program()
    shop(program, partial_redemption=True)
    campaigns.upsert(program, support.campaign(prizes=support.sure_win(10)))
    campaigns.launch(program, "wheel")
    for who in ("ann", "ben", "ann"):
        spins.play(member(program, who), "wheel", key())
    won = won_voucher(program, "cat")  # a voucher wheel of its own: one more win
    redemptions.redeem(till(program), won.code, 300, key(), None)
    redemptions.redeem(till(program), won.code, 200, key(), None)

    facts = [f for r in event_watch.every_record(None, settings().table_name)
             for f in outbox.facts_of(r) if f.program == program]
    lake.write(facts, tmp_path)
    lake.write(facts[:3], tmp_path)  # a retried batch delivers some facts again
    today = datetime.now(UTC).date().isoformat()

    wins = lake.report("campaign_wins_per_day", tmp_path, program)
    stats = campaigns.stats(program, campaigns.get(program, "wheel"))
    assert [(w["campaign_id"], w["day"], w["wins"], w["winners"]) for w in wins] == [
        ("w-cat", today, 1, 1), ("wheel", today, stats.wins, 2)]
    assert stats.wins == 3
    redeemed = lake.report("voucher_redemptions_per_day", tmp_path, program)
    assert [(r["product_id"], r["redemptions"], r["amount"]) for r in redeemed] == [
        ("tenner", 2, 500)]
    assert lake.report("campaign_wins_per_day", tmp_path, new_program()) == []
