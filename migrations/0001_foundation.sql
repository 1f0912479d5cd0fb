-- 0001_foundation.sql: people, access, the audit log and the priority areas.
-- Portable SQL (SQLite and PostgreSQL): timestamps are ISO-8601 UTC text written by the
-- app, booleans are 0/1 integers, ids are integer primary keys.

CREATE TABLE organisations (
	id INTEGER PRIMARY KEY,
	name TEXT NOT NULL UNIQUE,
	kind TEXT NOT NULL CHECK (kind IN ('anchor', 'vcse', 'community', 'other')),
	created_at TEXT NOT NULL
);

-- role: local_person, decision_maker, facilitator, programme_lead, board_member.
-- email is NULL for assisted accounts (people without email, registered in person by a
-- facilitator); password_hash is NULL until a password is set (assisted accounts may
-- never have one).
CREATE TABLE accounts (
	id INTEGER PRIMARY KEY,
	email TEXT UNIQUE,
	display_name TEXT NOT NULL,
	role TEXT NOT NULL CHECK (role IN ('local_person', 'decision_maker', 'facilitator',
		'programme_lead', 'board_member')),
	organisation_id INTEGER REFERENCES organisations(id),
	password_hash TEXT,
	assisted INTEGER NOT NULL DEFAULT 0,
	contact_note TEXT,
	consent_recorded_by INTEGER REFERENCES accounts(id),
	consent_recorded_at TEXT,
	consent_wording TEXT,
	is_demo INTEGER NOT NULL DEFAULT 0,
	disabled_at TEXT,
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL
);

-- Server-side sessions: only a hash of the 256-bit token is stored, so a copy of the
-- database cannot be used to sign in. acting_for is set while a facilitator acts for an
-- assisted person.
CREATE TABLE sessions (
	id INTEGER PRIMARY KEY,
	token_hash TEXT NOT NULL UNIQUE,
	account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
	csrf_token TEXT NOT NULL,
	acting_for INTEGER REFERENCES accounts(id),
	created_at TEXT NOT NULL,
	last_seen_at TEXT NOT NULL,
	expires_at TEXT NOT NULL
);
CREATE INDEX sessions_account ON sessions(account_id);

-- Failed sign-ins, by account email and by client address, for rate limiting.
CREATE TABLE sign_in_failures (
	id INTEGER PRIMARY KEY,
	kind TEXT NOT NULL CHECK (kind IN ('account', 'address')),
	key TEXT NOT NULL,
	at TEXT NOT NULL
);
CREATE INDEX sign_in_failures_key ON sign_in_failures(kind, key, at);

CREATE TABLE password_resets (
	id INTEGER PRIMARY KEY,
	token_hash TEXT NOT NULL UNIQUE,
	account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
	created_by INTEGER REFERENCES accounts(id),
	created_at TEXT NOT NULL,
	expires_at TEXT NOT NULL,
	used_at TEXT
);

CREATE TABLE audit_log (
	id INTEGER PRIMARY KEY,
	at TEXT NOT NULL,
	account_id INTEGER REFERENCES accounts(id),
	on_behalf_of INTEGER REFERENCES accounts(id),
	address TEXT,
	entity TEXT NOT NULL,
	entity_id INTEGER NOT NULL,
	action TEXT NOT NULL,
	before_json TEXT,
	after_json TEXT
);
CREATE INDEX audit_log_entity ON audit_log(entity, entity_id);

-- The partnership boards a priority area relates to.
CREATE TABLE partnerships (
	id INTEGER PRIMARY KEY,
	name TEXT NOT NULL UNIQUE
);

CREATE TABLE priority_areas (
	id INTEGER PRIMARY KEY,
	slug TEXT NOT NULL UNIQUE,
	name TEXT NOT NULL,
	original_framing TEXT NOT NULL,
	reframed_statement TEXT NOT NULL,
	summary TEXT NOT NULL,
	partnership_id INTEGER REFERENCES partnerships(id),
	sort_order INTEGER NOT NULL DEFAULT 0,
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL
);

CREATE TABLE priority_indicators (
	id INTEGER PRIMARY KEY,
	priority_area_id INTEGER NOT NULL REFERENCES priority_areas(id) ON DELETE CASCADE,
	name TEXT NOT NULL,
	sort_order INTEGER NOT NULL DEFAULT 0
);
