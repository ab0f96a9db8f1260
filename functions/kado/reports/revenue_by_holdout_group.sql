-- Revenue per member in each group of a campaign's holdout (treated, held_out), over a
-- window: purchases less returns, each fact counted once. `exposure` lists every eligible
-- member and their group. Valid on DuckDB (kado) and Athena (Trino).
WITH once AS (
    SELECT DISTINCT id, member_id, activity_type, amount
    FROM activity_recorded_v1
    WHERE program = ? AND activity_type IN ('PURCHASE', 'RETURN')
      AND occurred_at >= ? AND occurred_at < ?
), revenue AS (
    SELECT member_id,
           sum(CASE WHEN activity_type = 'RETURN' THEN -amount ELSE amount END) AS revenue
    FROM once
    GROUP BY member_id
)
SELECT e.grp,
       count(*) AS members,
       sum(coalesce(r.revenue, 0)) AS revenue,
       avg(coalesce(r.revenue, 0)) AS mean,
       coalesce(var_samp(coalesce(r.revenue, 0)), 0) AS variance
FROM exposure AS e
LEFT JOIN revenue AS r ON r.member_id = e.member_id
GROUP BY e.grp
ORDER BY e.grp
