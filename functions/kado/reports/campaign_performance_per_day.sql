-- Each campaign's day (UTC): how many members played, how many spins, how many won, and
-- the spins that drew a prize but could not give it (out of stock, out of budget). Each
-- spin counted once however often its fact was delivered. Valid on DuckDB and Athena.
WITH once AS (
    SELECT DISTINCT id, campaign_id, day, member_id, won, outcome
    FROM spin_played_v1
    WHERE program = ?
)
SELECT campaign_id, day,
       count(DISTINCT member_id) AS players,
       count(*) AS spins,
       sum(CASE WHEN won THEN 1 ELSE 0 END) AS wins,
       sum(CASE WHEN outcome IN ('OUT_OF_STOCK', 'OUT_OF_BUDGET') THEN 1 ELSE 0 END)
           AS prizes_not_given
FROM once
GROUP BY campaign_id, day
ORDER BY campaign_id, day
