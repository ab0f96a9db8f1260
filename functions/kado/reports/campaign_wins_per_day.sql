-- Wins per campaign and day (UTC), and how many members won: each fact counted once,
-- however often it was delivered. Valid on DuckDB (kado) and Athena (Trino).
SELECT campaign_id, day,
       count(DISTINCT id) AS wins,
       count(DISTINCT member_id) AS winners
FROM spin_won_v1
WHERE program = ?
GROUP BY campaign_id, day
ORDER BY campaign_id, day
