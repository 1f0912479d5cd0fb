-- 0004_recruitment.sql: recruitment and induction: Salford's wards, the community assets
-- and participation groups a programme starts from, the people who volunteer for a
-- programme (expressions of interest) with their stages and history, and each person's
-- induction checklist.
-- Portable SQL as in 0001. Equality monitoring answers are NEVER kept here: a volunteer's
-- monitoring_ref is an opaque random id that the equality tables use to link their answers.

-- Electoral wards with their usual residents at the 2011 and 2021 Censuses (real ONS
-- figures, loaded from data; the names are those people know, the codes ONS's E05...).
CREATE TABLE wards (
	code TEXT PRIMARY KEY,
	name TEXT NOT NULL UNIQUE,
	population_2011 INTEGER,
	population_2021 INTEGER NOT NULL CHECK (population_2021 >= 0),
	source TEXT NOT NULL DEFAULT ''
);

-- Community assets: groups, venues, services and participation groups that already reach
-- people. tags is a comma-separated list of lower-case words ("young-adults,carers").
CREATE TABLE assets (
	id INTEGER PRIMARY KEY,
	name TEXT NOT NULL,
	kind TEXT NOT NULL
		CHECK (kind IN ('group', 'venue', 'service', 'participation_group', 'other')),
	ward_code TEXT REFERENCES wards(code),
	area_note TEXT NOT NULL DEFAULT '',
	contact TEXT NOT NULL DEFAULT '',
	who_they_reach TEXT NOT NULL DEFAULT '',
	accessibility TEXT NOT NULL DEFAULT '',
	tags TEXT NOT NULL DEFAULT '',
	public INTEGER NOT NULL DEFAULT 0 CHECK (public IN (0, 1)),
	created_by INTEGER REFERENCES accounts(id),
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL
);
CREATE INDEX assets_name ON assets(name);

-- People who volunteered for a programme, online or met in person by a facilitator.
-- access_needs and preferred_times are comma-separated slugs (see volunteers.h);
-- email_key and phone_key are the normalised forms used to find likely duplicates.
CREATE TABLE volunteers (
	id INTEGER PRIMARY KEY,
	programme_id INTEGER NOT NULL REFERENCES programmes(id),
	account_id INTEGER REFERENCES accounts(id),
	name TEXT NOT NULL,
	email TEXT,
	phone TEXT,
	contact_via_org TEXT,
	email_key TEXT,
	phone_key TEXT,
	ward_code TEXT REFERENCES wards(code),
	postcode TEXT,
	household_key TEXT,
	cares_about TEXT NOT NULL DEFAULT '',
	access_needs TEXT NOT NULL DEFAULT '',
	access_needs_other TEXT NOT NULL DEFAULT '',
	preferred_times TEXT NOT NULL DEFAULT '',
	preferred_times_note TEXT NOT NULL DEFAULT '',
	heard_from TEXT NOT NULL DEFAULT '',
	consent_version TEXT NOT NULL,
	consent_at TEXT NOT NULL,
	consent_method TEXT NOT NULL DEFAULT 'online'
		CHECK (consent_method IN ('online', 'in_person')),
	recorded_by INTEGER REFERENCES accounts(id),
	stage TEXT NOT NULL CHECK (stage IN ('volunteered', 'contacted', 'selected', 'waiting',
		'inducted', 'active', 'left')),
	left_reason TEXT,
	stage_changed_at TEXT NOT NULL,
	monitoring_ref TEXT NOT NULL UNIQUE,
	merged_into INTEGER REFERENCES volunteers(id),
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL,
	CHECK (stage <> 'left' OR left_reason IS NOT NULL),
	CHECK (consent_method <> 'in_person' OR recorded_by IS NOT NULL)
);
CREATE INDEX volunteers_programme_stage ON volunteers(programme_id, stage);
CREATE INDEX volunteers_email_key ON volunteers(email_key);
CREATE INDEX volunteers_phone_key ON volunteers(phone_key);
CREATE INDEX volunteers_account ON volunteers(account_id);

-- Every change of a volunteer's stage, with who made it and why.
CREATE TABLE volunteer_stage_changes (
	id INTEGER PRIMARY KEY,
	volunteer_id INTEGER NOT NULL REFERENCES volunteers(id) ON DELETE CASCADE,
	from_stage TEXT,
	to_stage TEXT NOT NULL,
	reason TEXT NOT NULL DEFAULT '',
	changed_by INTEGER REFERENCES accounts(id),
	changed_at TEXT NOT NULL
);
CREATE INDEX volunteer_stage_changes_volunteer ON volunteer_stage_changes(volunteer_id, id);

-- The induction checklist: one row per volunteer and item once something is recorded;
-- done_at is set when the item is ticked.
CREATE TABLE induction_items (
	volunteer_id INTEGER NOT NULL REFERENCES volunteers(id) ON DELETE CASCADE,
	item TEXT NOT NULL CHECK (item IN ('welcome', 'consent', 'access_needs', 'payment',
		'safeguarding', 'travel')),
	done_at TEXT,
	done_by INTEGER REFERENCES accounts(id),
	note TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (volunteer_id, item)
);
