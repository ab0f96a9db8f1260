-- How many members and companies held each tier at the end of each month: a holder's
-- latest tier reached up to then (holders who never moved off the base tier have no
-- fact, so they are not counted here). Each change counted once. Valid on DuckDB (kado)
-- and Athena.
WITH changes AS (
    SELECT DISTINCT id, holder_kind, holder_id, tier, occurred_at
    FROM tier_changed_v1
    WHERE program = ?
), months AS (
    SELECT DISTINCT substr(occurred_at, 1, 7) AS month FROM changes
), latest AS (
    SELECT m.month, c.holder_kind, c.holder_id, c.tier,
           row_number() OVER (PARTITION BY m.month, c.holder_kind, c.holder_id
                              ORDER BY c.occurred_at DESC, c.id DESC) AS n
    FROM months AS m
    JOIN changes AS c ON substr(c.occurred_at, 1, 7) <= m.month
)
SELECT month, holder_kind, tier, count(*) AS holders
FROM latest
WHERE n = 1
GROUP BY month, holder_kind, tier
ORDER BY month, holder_kind, tier
