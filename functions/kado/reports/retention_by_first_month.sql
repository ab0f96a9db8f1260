-- Retention cohorts: members grouped by the month of their first activity (the lake has no
-- sign-up fact; a member counts from the month they first did something), and how many of
-- each cohort were active in each month since. Valid on DuckDB (kado) and Athena.
WITH months AS (
    SELECT DISTINCT member_id, substr(day, 1, 7) AS month
    FROM activity_recorded_v1
    WHERE program = ?
), firsts AS (
    SELECT member_id, min(month) AS cohort
    FROM months
    GROUP BY member_id
)
SELECT f.cohort, m.month,
       count(DISTINCT m.member_id) AS active_members
FROM months AS m
JOIN firsts AS f ON f.member_id = m.member_id
GROUP BY f.cohort, m.month
ORDER BY f.cohort, m.month
