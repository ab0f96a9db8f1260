-- Points liability and breakage month by month, from the ledgers' lines: what was earned,
-- used and lapsed each month (UTC), and what holders owed at each month's end (the running
-- sum of earned - used - lapsed), by holder kind (members, company wallets). Each line
-- counted once. Valid on DuckDB (kado) and Athena.
WITH once AS (
    SELECT DISTINCT id, holder_kind, substr(day, 1, 7) AS month, delta, expired
    FROM points_moved_v1
    WHERE program = ?
), monthly AS (
    SELECT holder_kind, month,
           sum(CASE WHEN delta > 0 THEN delta ELSE 0 END) AS earned,
           sum(CASE WHEN delta < 0 THEN -delta ELSE 0 END) AS used,
           sum(coalesce(expired, 0)) AS lapsed
    FROM once
    GROUP BY holder_kind, month
)
SELECT holder_kind, month, earned, used, lapsed,
       sum(earned - used - lapsed) OVER (PARTITION BY holder_kind ORDER BY month
                                         ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
           AS outstanding
FROM monthly
ORDER BY holder_kind, month
