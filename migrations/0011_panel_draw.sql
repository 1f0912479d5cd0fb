-- 0011_panel_draw.sql: when and where a panel's public draw will take place (issue 4 §5),
-- so the public can come and watch the dice rolled, or check the draw afterwards.
-- draw_at is the planned local time in Salford (Europe/London) as "YYYY-MM-DDTHH:MM",
-- as sessions store theirs. Once the lottery is published the plan may still move before
-- the draw; the plan it moved from is kept so the public page can say so, and
-- draw_sequence counts the changes for calendar apps (SEQUENCE in the .ics file).
-- Portable SQL as in 0001.
ALTER TABLE panels ADD COLUMN draw_at TEXT;
ALTER TABLE panels ADD COLUMN draw_place TEXT;
ALTER TABLE panels ADD COLUMN draw_roller TEXT;
ALTER TABLE panels ADD COLUMN draw_moved_from_at TEXT;
ALTER TABLE panels ADD COLUMN draw_moved_from_place TEXT;
ALTER TABLE panels ADD COLUMN draw_sequence INTEGER NOT NULL DEFAULT 0;
