-- Each quest's day (UTC): members who started it (those who joined, for an opt-in quest,
-- among them) and members who completed a cycle of it, each fact counted once.
WITH started AS (
    SELECT DISTINCT id, quest_id, day, member_id, joined
    FROM quest_started_v1
    WHERE program = ?
), completed AS (
    SELECT DISTINCT id, quest_id, day, member_id
    FROM quest_completed_v1
    WHERE program = ?
), days AS (
    SELECT quest_id, day FROM started
    UNION
    SELECT quest_id, day FROM completed
)
SELECT d.quest_id, d.day,
       (SELECT count(DISTINCT s.member_id) FROM started s
        WHERE s.quest_id = d.quest_id AND s.day = d.day) AS started,
       (SELECT count(DISTINCT s.member_id) FROM started s
        WHERE s.quest_id = d.quest_id AND s.day = d.day AND s.joined) AS joined,
       (SELECT count(DISTINCT c.member_id) FROM completed c
        WHERE c.quest_id = d.quest_id AND c.day = d.day) AS completed
FROM days d
ORDER BY d.quest_id, d.day
