-- bench/scale.sql: grows a fresh demo database (build/coprod demo --db F) to the size of a
-- busy year, so bench/scale.sh can check that pages cost the same with 100,000 ideas as
-- with eight.
--
--   sqlite3 F < bench/scale.sql
--   sqlite3 F '.parameter set @ideas 1000' '.parameter set @people 100' '.read bench/scale.sql'
--
-- (@ideas and @people give other sizes; @people a multiple of 20, at least 20.)
--
-- Adds, all invented and marked is_demo = 1:
--   10,000 people "Demo Person 1" to "Demo Person 10000": nine in ten local people, one in
--     ten decision-makers; no email, no password (nobody can sign in as them);
--   20 groups "Demo scale group 01" to "20" in the young-adults programme, open to
--     decision-makers, each with 500 of those people and the demo facilitator;
--   100,000 ideas, 5,000 in each group, each written by one of its members (side 'local'
--     or 'professional' from their role), with its first version and status history;
--     most are ideas, fewer concepts and proposals, a few went to the Board; one idea in
--     five has a tag, one in fifteen two; one in five is linked to an earlier idea of its
--     group, and one in ten had a decision of its group (10,000 decisions).
-- Plain SQL with recursive CTEs: no extension, no script. Stops at the first error and
-- changes nothing then (one transaction). Runs in a few seconds. It does not ANALYZE:
-- coprod never does, so the query planner sees what it would see in production.
-- (Counts above are for the default size.)

.bail on
PRAGMA foreign_keys = ON;
BEGIN;

-- Unset parameters are NULL: the default size.
CREATE TEMP TABLE scale_size AS
SELECT COALESCE(@ideas, 100000) AS ideas, COALESCE(@people, 10000) AS people;

CREATE TEMP TABLE scale_n (i INTEGER PRIMARY KEY);
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n
	WHERE i < (SELECT MAX(ideas, people) FROM scale_size))
INSERT INTO scale_n SELECT i FROM n;

CREATE TEMP TABLE scale_const AS
SELECT (SELECT id FROM programmes WHERE slug = 'young-adults') AS programme_id,
       (SELECT id FROM accounts WHERE email = 'facilitator@example.org') AS facilitator_id,
       (SELECT COUNT(*) FROM programme_priorities pp JOIN programmes p
          ON p.id = pp.programme_id WHERE p.slug = 'young-adults') AS areas,
       '2022-01-04T10:00:00Z' AS made_at;

-- Refuse anything but a demo database with the young-adults programme and its priorities.
CREATE TEMP TABLE scale_check (ok INTEGER NOT NULL CHECK (ok = 1));
INSERT INTO scale_check
SELECT programme_id IS NOT NULL AND facilitator_id IS NOT NULL AND areas > 0
   AND people >= 20 AND people % 20 = 0 AND ideas >= 1
FROM scale_const, scale_size;

-- --- People ------------------------------------------------------------------------------

CREATE TEMP TABLE scale_people (
	n INTEGER PRIMARY KEY,
	account_id INTEGER,
	role TEXT NOT NULL,
	side TEXT NOT NULL,
	k INTEGER NOT NULL -- which scale group, 1 to 20
);
INSERT INTO scale_people (n, role, side, k)
SELECT i,
       CASE WHEN i % 10 = 0 THEN 'decision_maker' ELSE 'local_person' END,
       CASE WHEN i % 10 = 0 THEN 'professional' ELSE 'local' END,
       (i - 1) % 20 + 1
FROM scale_n WHERE i <= (SELECT people FROM scale_size);

INSERT INTO accounts (display_name, role, is_demo, created_at, updated_at)
SELECT 'Demo Person ' || n, role, 1, (SELECT made_at FROM scale_const),
       (SELECT made_at FROM scale_const)
FROM scale_people ORDER BY n;

-- The accounts just made have the highest ids, in the order of n.
UPDATE scale_people SET account_id = (SELECT MAX(id) FROM accounts)
	- (SELECT people FROM scale_size) + n;

-- --- Groups and members ------------------------------------------------------------------

CREATE TEMP TABLE scale_groups (k INTEGER PRIMARY KEY, group_id INTEGER);
INSERT INTO scale_groups (k) SELECT i FROM scale_n WHERE i <= 20;

INSERT INTO working_groups (programme_id, name, purpose, local_only, opened_on, target_local,
                            target_professional, parity_rule, created_at, updated_at)
SELECT c.programme_id, 'Demo scale group ' || substr('0' || k, -2, 2),
       'An invented group that fills the demo with ideas, for measuring speed.', 0,
       '2022-06-14', z.people / 20 * 9 / 10, z.people / 200, 'local_majority', c.made_at,
       c.made_at
FROM scale_groups, scale_const c, scale_size z ORDER BY k;

UPDATE scale_groups SET group_id = (SELECT g.id FROM working_groups g, scale_const c
	WHERE g.programme_id = c.programme_id
	  AND g.name = 'Demo scale group ' || substr('0' || scale_groups.k, -2, 2));

INSERT INTO group_members (group_id, account_id, role_in_group, joined_on)
SELECT g.group_id, c.facilitator_id, 'facilitator', '2022-01-04'
FROM scale_groups g, scale_const c ORDER BY g.k;

INSERT INTO group_members (group_id, account_id, role_in_group, joined_on)
SELECT g.group_id, p.account_id, p.role,
       CASE WHEN p.role = 'decision_maker' THEN '2022-06-14' ELSE '2022-01-04' END
FROM scale_people p JOIN scale_groups g ON g.k = p.k ORDER BY p.n;

-- --- Ideas -------------------------------------------------------------------------------

-- The programme's priority areas numbered from 0, so ideas can take them in turn.
CREATE TEMP TABLE scale_areas (no INTEGER PRIMARY KEY, area_id INTEGER NOT NULL);
INSERT INTO scale_areas (no, area_id)
SELECT (SELECT COUNT(*) FROM programme_priorities q WHERE q.programme_id = pp.programme_id
          AND q.priority_area_id < pp.priority_area_id), pp.priority_area_id
FROM programme_priorities pp, scale_const c WHERE pp.programme_id = c.programme_id;

-- Idea i belongs to group (i - 1) % 20 + 1 and is written by one of that group's people
-- (people / 20 in each group, taking turns).
-- Its time: one idea every five minutes from the start, so ids and dates rise together.
CREATE TEMP TABLE scale_ideas (
	i INTEGER PRIMARY KEY,
	idea_id INTEGER,
	group_id INTEGER NOT NULL,
	author INTEGER NOT NULL,
	side TEXT NOT NULL,
	status TEXT NOT NULL,
	area_no INTEGER NOT NULL,
	at TEXT NOT NULL
);
INSERT INTO scale_ideas (i, group_id, author, side, status, area_no, at)
SELECT n.i, g.group_id, p.account_id, p.side,
       CASE WHEN n.i % 100 < 70 THEN 'idea'
            WHEN n.i % 100 < 88 THEN 'concept'
            WHEN n.i % 100 < 96 THEN 'proposal'
            WHEN n.i % 100 < 98 THEN 'presented'
            WHEN n.i % 100 = 98 THEN 'supported'
            ELSE 'not_supported' END,
       n.i % (SELECT areas FROM scale_const),
       strftime('%Y-%m-%dT%H:%M:%SZ', '2022-01-04 10:00:00', '+' || (n.i * 5) || ' minutes')
FROM scale_n n, scale_size z
JOIN scale_groups g ON g.k = (n.i - 1) % 20 + 1
JOIN scale_people p ON p.n = (n.i - 1) % 20 + 1 + 20 * (((n.i - 1) / 20) % (z.people / 20))
WHERE n.i <= z.ideas;

INSERT INTO ideas (programme_id, priority_area_id, group_id, title, body, status, version,
                   created_by, side, created_at, updated_at)
SELECT c.programme_id, a.area_id, s.group_id, 'Demo idea ' || s.i,
       'An invented idea, number ' || s.i || ', written to measure how fast the pages are '
           || 'with a year of ideas in them. It says what could change and who it would help.',
       s.status, 1, s.author, s.side, s.at, s.at
FROM scale_ideas s JOIN scale_areas a ON a.no = s.area_no, scale_const c ORDER BY s.i;

UPDATE scale_ideas SET idea_id = (SELECT MAX(id) FROM ideas) - (SELECT ideas FROM scale_size) + i;

INSERT INTO idea_authors (idea_id, account_id, side)
SELECT idea_id, author, side FROM scale_ideas ORDER BY i;

INSERT INTO idea_revisions (idea_id, version, title, body, revised_by, side, revised_at)
SELECT s.idea_id, 1, x.title, x.body, s.author, s.side, s.at
FROM scale_ideas s JOIN ideas x ON x.id = s.idea_id ORDER BY s.i;

-- Every idea starts as an idea; the others moved on once, recorded by the facilitator.
INSERT INTO idea_status_changes (idea_id, from_status, to_status, changed_by, changed_at)
SELECT idea_id, NULL, 'idea', author, at FROM scale_ideas ORDER BY i;
INSERT INTO idea_status_changes (idea_id, from_status, to_status, changed_by, note,
                                 changed_at)
SELECT s.idea_id, 'idea', s.status, c.facilitator_id, 'Agreed at the group''s session.',
       strftime('%Y-%m-%dT%H:%M:%SZ', s.at, '+14 days')
FROM scale_ideas s, scale_const c WHERE s.status <> 'idea' ORDER BY s.i;

INSERT INTO idea_tags (idea_id, tag)
SELECT idea_id, CASE (i / 5) % 6 WHEN 0 THEN 'young people' WHEN 1 THEN 'cost of living'
                    WHEN 2 THEN 'mental health' WHEN 3 THEN 'climate'
                    WHEN 4 THEN 'transport' ELSE 'food' END
FROM scale_ideas WHERE i % 5 = 0;
INSERT INTO idea_tags (idea_id, tag)
SELECT idea_id, 'scale ' || (i % 7) FROM scale_ideas WHERE i % 15 = 0;

-- One idea in five is linked to the idea twenty before it (the same group's earlier one),
-- and one in ten had a shared decision of its group, carried with the facilitator's
-- record.
INSERT INTO idea_links (idea_id, related_idea_id, created_by, created_at)
SELECT s.idea_id, s.idea_id - 20, c.facilitator_id, s.at
FROM scale_ideas s, scale_const c WHERE s.i % 5 = 0 AND s.i > 20 ORDER BY s.i;

INSERT INTO decisions (group_id, idea_id, question, method, parity_rule, status, outcome,
                       proposed_by, proposed_side, opened_at, closed_by, closed_at)
SELECT s.group_id, s.idea_id, 'Shall we take "Demo idea ' || s.i || '" forward?', 'consent',
       'local_majority', 'closed', 'carried', s.author, s.side,
       strftime('%Y-%m-%dT%H:%M:%SZ', s.at, '+7 days'), c.facilitator_id,
       strftime('%Y-%m-%dT%H:%M:%SZ', s.at, '+14 days')
FROM scale_ideas s, scale_const c WHERE s.i % 10 = 0 ORDER BY s.i;

COMMIT;
