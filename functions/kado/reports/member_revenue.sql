-- Revenue per member over a window (a campaign's, for its return against the holdout):
-- purchases less returns, minor units, each fact counted once; only members who bought
-- or returned are listed (the others had none). Parameters after the program: the window's
-- first moment and the moment after it, then its first and last day (the partitions read).
SELECT member_id,
       sum(CASE WHEN activity_type = 'RETURN' THEN -amount ELSE amount END) AS revenue
FROM (SELECT DISTINCT id, member_id, activity_type, coalesce(amount, 0) AS amount
      FROM activity_recorded_v1
      WHERE program = ? AND activity_type IN ('PURCHASE', 'RETURN')
        AND occurred_at >= ? AND occurred_at < ?
        AND day BETWEEN ? AND ?) AS once
GROUP BY member_id
ORDER BY member_id
