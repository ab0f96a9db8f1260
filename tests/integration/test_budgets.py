from tests.scenarios.budget_scenarios import *  # noqa: F403 - the shared scenarios, on moto


def test_a_batch_of_shard_changes_sums_each_period_once(monkeypatch):
    """Stream records come after their commits: one read of a period's shards sees every
    change of the batch, so the watcher sums each (budget, period) once a batch."""
    from kado.local.streams import stream_record
    from kado.services import budgets
    from kado.services.kernel import outbox

    watched = []
    monkeypatch.setattr(budgets, "watch", lambda *period: watched.append(period) or [])
    shard = {"type": "BUDGET_SHARD", "budgetId": "gifts", "period": "2026-12", "sk": "LEFT"}
    records = [stream_record(n, {**shard, "pk": f"P#p1#BUDGET#gifts#2026-12#{n % 2}",
                                 "spent": n}, {**shard, "pk": f"P#p1#BUDGET#gifts#2026-12#"
                                                              f"{n % 2}", "spent": n + 1})
               for n in range(6)]
    quiet = {**shard, "pk": "P#p1#BUDGET#gifts#2026-12#0", "spent": 9}
    records.append(stream_record(7, quiet, quiet))  # no spending moved: nothing to sum
    assert outbox.publish(records, "bus", watchers=(budgets.ThresholdWatch(),)) == {
        "batchItemFailures": []}
    assert watched == [("p1", "gifts", "2026-12")]

