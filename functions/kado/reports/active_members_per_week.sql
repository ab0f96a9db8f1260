-- Members who did something the program counts (an activity) each ISO week, by the day
-- the activity happened (UTC): each fact counted once. Valid on DuckDB (kado) and Athena.
SELECT CAST(date_trunc('week', CAST(day AS DATE)) AS VARCHAR) AS week,
       count(DISTINCT member_id) AS active_members,
       count(DISTINCT id) AS activities
FROM activity_recorded_v1
WHERE program = ?
GROUP BY 1
ORDER BY 1
