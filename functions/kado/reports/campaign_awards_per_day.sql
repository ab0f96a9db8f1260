-- Each campaign's day (UTC): the prizes its wins gave, by kind (ITEM, VOUCHER), and what
-- they cost its budgets (minor units of the budgets' currency), each win counted once.
-- Wins recorded before facts carried their kind are counted under UNKNOWN.
SELECT campaign_id, day, coalesce(prize_kind, 'UNKNOWN') AS prize_kind,
       count(*) AS wins,
       count(DISTINCT member_id) AS winners,
       sum(coalesce(cost, 0)) AS cost
FROM (SELECT DISTINCT id, campaign_id, day, member_id, prize_kind, cost
      FROM spin_won_v1
      WHERE program = ?) AS once
GROUP BY campaign_id, day, 3
ORDER BY campaign_id, day, 3
