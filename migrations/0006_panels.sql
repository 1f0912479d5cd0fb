-- 0006_panels.sql: fair selection of panels from a programme's volunteers (issue 4 §5).
-- A panel has k places, a pool of volunteers, quotas per category value, the selection
-- probabilities computed by LEXIMIN (with the greedy method's beside them), a published
-- lottery of m tickets with its SHA-256 hash, and the public draw that chose one ticket.
-- Probabilities are integers in parts per billion (no floating-point column types, so
-- the same schema runs on PostgreSQL). Portable SQL as in 0001.

-- status: draft -> computed (probabilities stored) -> published (lottery and hash
-- public, before the draw) -> drawn (a public number chose a ticket).
CREATE TABLE panels (
	id INTEGER PRIMARY KEY,
	programme_id INTEGER NOT NULL REFERENCES programmes(id),
	name TEXT NOT NULL,
	places INTEGER NOT NULL CHECK (places >= 1),
	one_per_household INTEGER NOT NULL DEFAULT 0,
	status TEXT NOT NULL DEFAULT 'draft'
		CHECK (status IN ('draft', 'computed', 'published', 'drawn')),
	-- the last computation
	min_probability_ppb INTEGER,
	legacy_min_probability_ppb INTEGER,
	panels_used INTEGER,
	compute_ms INTEGER,
	computed_at TEXT,
	-- the published lottery: its text exactly as served at /panels/:id/lottery.txt
	tickets INTEGER,
	tolerance_ppb INTEGER,
	lottery_text TEXT,
	lottery_sha256 TEXT,
	published_at TEXT,
	-- the draw: the public number as entered and the ticket it chose (1..tickets)
	public_number TEXT,
	drawn_ticket INTEGER,
	drawn_at TEXT,
	drawn_by INTEGER REFERENCES accounts(id),
	created_by INTEGER REFERENCES accounts(id),
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL,
	UNIQUE (programme_id, name)
);
CREATE INDEX panels_programme ON panels(programme_id);

-- The pool: the volunteers a panel selects from. public_id is the opaque id (six
-- letters) given on joining the pool; public pages show only that, from publication on.
-- role_value is the panel's own role for this volunteer (e.g. 'lived experience' or
-- 'professional') when the lead uses a role category; volunteers have no role column.
-- outcome: NULL before the draw; 'selected' (by the draw or as a replacement) or
-- 'waiting' after it.
CREATE TABLE panel_pool (
	id INTEGER PRIMARY KEY,
	panel_id INTEGER NOT NULL REFERENCES panels(id) ON DELETE CASCADE,
	volunteer_id INTEGER NOT NULL REFERENCES volunteers(id),
	public_id TEXT,
	role_value TEXT,
	probability_ppb INTEGER,
	legacy_probability_ppb INTEGER,
	outcome TEXT CHECK (outcome IS NULL OR outcome IN ('selected', 'waiting')),
	selected_by TEXT CHECK (selected_by IS NULL OR selected_by IN ('draw', 'replacement')),
	replaces_volunteer_id INTEGER REFERENCES volunteers(id),
	outcome_at TEXT,
	UNIQUE (panel_id, volunteer_id),
	UNIQUE (panel_id, public_id)
);
CREATE INDEX panel_pool_volunteer ON panel_pool(volunteer_id);

-- Quotas per category value, inclusive. category is 'ward', 'role' or an equality
-- category's key; a volunteer who did not answer has the value 'not said'.
CREATE TABLE panel_quotas (
	id INTEGER PRIMARY KEY,
	panel_id INTEGER NOT NULL REFERENCES panels(id) ON DELETE CASCADE,
	category TEXT NOT NULL,
	value TEXT NOT NULL,
	min_count INTEGER NOT NULL CHECK (min_count >= 0),
	max_count INTEGER NOT NULL CHECK (max_count >= min_count),
	position INTEGER NOT NULL DEFAULT 0,
	UNIQUE (panel_id, category, value)
);
