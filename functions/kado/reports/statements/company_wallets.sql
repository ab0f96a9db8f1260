-- A statement period's movements on some companies' wallets: earned, spent and lapsed,
-- each ledger line counted once. A template, as contributions.sql.
SELECT holder_id AS company_id,
       sum(CASE WHEN delta > 0 THEN delta ELSE 0 END) AS earned,
       sum(CASE WHEN delta < 0 THEN -delta ELSE 0 END) AS spent,
       sum(coalesce(expired, 0)) AS expired
FROM (SELECT DISTINCT id, holder_id, delta, expired
      FROM points_moved_v1
      WHERE program = ? AND holder_kind = 'COMPANY'
        AND day BETWEEN {first_day} AND {last_day}
        AND occurred_at >= {starts} AND occurred_at < {ends}) AS once
WHERE holder_id IN ({companies})
GROUP BY holder_id
ORDER BY holder_id
