-- Companies by the revenue their members' purchases brought (returns taken off), with the
-- points those activities earned and how many members bought: the top 50. A purchase
-- counts for the member's company on record when it was recorded (company_id), and for
-- the company the partner named where that was not read (a program with no company
-- wallet or ladder). Each fact counted once. Valid on DuckDB (kado) and Athena.
WITH once AS (
    SELECT DISTINCT id, coalesce(company_id, account_id) AS company_id, member_id, activity_type, amount, points
    FROM activity_recorded_v1
    WHERE program = ? AND coalesce(company_id, account_id) IS NOT NULL
)
SELECT company_id,
       sum(CASE WHEN activity_type = 'PURCHASE' THEN amount
                WHEN activity_type = 'RETURN' THEN -amount ELSE 0 END) AS revenue,
       sum(coalesce(points, 0)) AS points,
       count(DISTINCT CASE WHEN activity_type = 'PURCHASE' THEN member_id END) AS buyers
FROM once
GROUP BY company_id
ORDER BY revenue DESC, company_id
LIMIT 50
