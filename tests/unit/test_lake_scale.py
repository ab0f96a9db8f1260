"""The scale measurement's synthetic lake is read by the reports as the real one is: every
fact once however often delivered, the large program's share where it should be."""

from kado.local import lake, lake_scale


def test_reports_count_each_synthetic_fact_once(tmp_path):
    written = lake_scale.generate(tmp_path, 20_000, days=20)
    spins = int(20_000 * lake_scale.SHARES["SpinWon"][0])
    assert written["spin_won_v1"] == spins + int(spins * lake_scale.DUPLICATED)
    rows = lake.report("campaign_wins_per_day", tmp_path, lake_scale.BIG)
    in_big = sum(1 for i in range(spins) if i % 10 < 4)  # the generator's rule, counted here
    assert sum(r["wins"] for r in rows) == in_big
    assert {r["day"] for r in rows} == {f"2026-01-{d:02d}" for d in range(1, 21)}
    assert lake.report("campaign_wins_per_day", tmp_path, "p99") == []


def test_the_measurement_times_every_report_and_prices_it_on_athena(tmp_path):
    # Two reports, each in its own process (the others run the same way; the 10-million
    # run, bench/results/lake-scale.json, has them all).
    chosen = ["campaign_wins_per_day", "member_revenue"]
    report = lake_scale.measure(tmp_path, 5_000, days=5, names=chosen)
    assert sorted(report["reports"]) == chosen
    for name, figures in report["reports"].items():
        assert figures["rows"] > 0, name
        assert figures["tables"], name
        # Athena's 10 MB minimum: tiny partitions are billed as 10 MB.
        assert figures["athena_usd_at_most"] >= 10 / 1024 ** 2 * 5.0 - 1e-9
        assert figures["duckdb_peak_memory_mb"] > 0
