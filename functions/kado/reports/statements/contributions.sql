-- A statement period's activity of some companies, by member: what each member's
-- activities earned and bought for their company (revenue: purchases less returns, minor
-- units), each fact counted once. A template: `?` is the program; {starts} and {ends} the
-- period's bounds, {first_day} and {last_day} its partitions; {companies} the companies.
SELECT company_id, member_id,
       count(*) AS activities,
       sum(coalesce(points, 0)) AS points,
       sum(CASE WHEN activity_type = 'PURCHASE' THEN coalesce(amount, 0)
                WHEN activity_type = 'RETURN' THEN -coalesce(amount, 0) ELSE 0 END) AS revenue
FROM (SELECT DISTINCT id, coalesce(company_id, account_id) AS company_id, member_id,
             activity_type, amount, points
      FROM activity_recorded_v1
      WHERE program = ? AND day BETWEEN {first_day} AND {last_day}
        AND occurred_at >= {starts} AND occurred_at < {ends}) AS once
WHERE company_id IN ({companies})
GROUP BY company_id, member_id
ORDER BY company_id, points DESC, member_id
