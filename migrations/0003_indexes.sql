-- 0003_indexes.sql: indexes found by the benchmark with 100,000 ideas (bench/scale.sh), so
-- an idea page and a group's member counts cost the same however large a programme grows.

-- The decisions taken on an idea, shown on every idea page.
CREATE INDEX decisions_idea ON decisions(idea_id);
-- Ideas linked to an idea from the other side of the link.
CREATE INDEX idea_links_related ON idea_links(related_idea_id);
-- Counting a group's current members on each side reads only this index.
CREATE INDEX group_members_current ON group_members(group_id, left_on, role_in_group);
-- A person's upcoming sessions and the decisions waiting for them, on every home page.
CREATE INDEX session_invitees_account ON session_invitees(account_id, session_id);
CREATE INDEX decisions_status ON decisions(status, id);
