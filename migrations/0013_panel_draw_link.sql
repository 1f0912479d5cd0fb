-- 0013_panel_draw_link.sql: an optional https link where the public can watch a panel's
-- draw online (a video call or a stream), shown on the public page and given as the
-- calendar entry's URL. NULL when the draw is only in person. Portable SQL as in 0001.
ALTER TABLE panels ADD COLUMN draw_link TEXT;
