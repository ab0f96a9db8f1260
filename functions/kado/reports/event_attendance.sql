-- Each event's registrations over its whole life: members who held a seat (confirmed),
-- cancelled a held seat, checked in, and the no-shows (held a seat to the end, never
-- checked in). Each fact counted once; a member counted once per event.
WITH confirmed AS (
    SELECT DISTINCT event_id, member_id FROM registration_confirmed_v1 WHERE program = ?
), checked AS (
    SELECT DISTINCT event_id, member_id FROM checked_in_v1 WHERE program = ?
), cancelled AS (
    SELECT DISTINCT event_id, member_id FROM registration_cancelled_v1
    WHERE program = ? AND was IN ('CONFIRMED', 'OFFERED')
)
SELECT c.event_id,
       count(*) AS registered,
       count(x.member_id) AS cancelled,
       count(k.member_id) AS checked_in,
       sum(CASE WHEN x.member_id IS NULL AND k.member_id IS NULL THEN 1 ELSE 0 END)
           AS no_shows
FROM confirmed c
LEFT JOIN checked k ON k.event_id = c.event_id AND k.member_id = c.member_id
LEFT JOIN cancelled x ON x.event_id = c.event_id AND x.member_id = c.member_id
GROUP BY c.event_id
ORDER BY c.event_id
