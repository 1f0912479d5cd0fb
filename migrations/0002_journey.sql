-- 0002_journey.sql: the co-production journey: programmes and their six stages, groups
-- and their members, venues and sessions, ideas and their path to the Board, shared
-- decisions with the balance of power visible, Board meetings and co-delivery, and the
-- organisations' half-yearly returns.
-- Portable SQL as in 0001. "side" columns record, at the moment something happened,
-- whether it came from a local person ('local') or a professional ('professional'), so
-- the balance of power can be counted later even if someone's role changes.
-- Dates are 'YYYY-MM-DD'; local times of sessions are 'YYYY-MM-DDTHH:MM' (Europe/London).

-- The positive reframed statement of a priority area is edited with its history kept.
CREATE TABLE priority_statement_history (
	id INTEGER PRIMARY KEY,
	priority_area_id INTEGER NOT NULL REFERENCES priority_areas(id) ON DELETE CASCADE,
	reframed_statement TEXT NOT NULL,
	changed_by INTEGER REFERENCES accounts(id),
	changed_at TEXT NOT NULL
);
CREATE INDEX priority_statement_history_area ON priority_statement_history(priority_area_id);

CREATE TABLE programmes (
	id INTEGER PRIMARY KEY,
	slug TEXT NOT NULL UNIQUE,
	name TEXT NOT NULL,
	summary TEXT NOT NULL,
	lead_account_id INTEGER REFERENCES accounts(id),
	published INTEGER NOT NULL DEFAULT 1,
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL
);

-- A programme may combine several priority areas (seed 001 section 13.1).
CREATE TABLE programme_priorities (
	programme_id INTEGER NOT NULL REFERENCES programmes(id) ON DELETE CASCADE,
	priority_area_id INTEGER NOT NULL REFERENCES priority_areas(id),
	PRIMARY KEY (programme_id, priority_area_id)
);

-- The six stages: 1 reframe; 2 recruit and induct; 3 local people develop ideas;
-- 4 engage decision-makers; 5 proposals to the Board; 6 co-delivery.
CREATE TABLE programme_stages (
	id INTEGER PRIMARY KEY,
	programme_id INTEGER NOT NULL REFERENCES programmes(id) ON DELETE CASCADE,
	stage INTEGER NOT NULL CHECK (stage BETWEEN 1 AND 6),
	status TEXT NOT NULL DEFAULT 'not_started'
		CHECK (status IN ('not_started', 'in_progress', 'done')),
	planned_start TEXT,
	planned_end TEXT,
	actual_start TEXT,
	actual_end TEXT,
	success_looks_like TEXT NOT NULL DEFAULT '',
	UNIQUE (programme_id, stage)
);

CREATE TABLE equality_impact_assessments (
	id INTEGER PRIMARY KEY,
	programme_id INTEGER NOT NULL UNIQUE REFERENCES programmes(id) ON DELETE CASCADE,
	who_affected TEXT NOT NULL,
	how_affected TEXT NOT NULL,
	mitigations TEXT NOT NULL,
	reviewer_name TEXT NOT NULL,
	assessed_on TEXT NOT NULL,
	review_on TEXT NOT NULL,
	updated_by INTEGER REFERENCES accounts(id),
	updated_at TEXT NOT NULL
);

-- "groups" is avoided as a name: it is a keyword in some SQL dialects.
CREATE TABLE working_groups (
	id INTEGER PRIMARY KEY,
	programme_id INTEGER NOT NULL REFERENCES programmes(id),
	name TEXT NOT NULL,
	purpose TEXT NOT NULL DEFAULT '',
	-- 1 while the group meets as local people only (with their facilitator)
	local_only INTEGER NOT NULL DEFAULT 1,
	opened_on TEXT, -- when decision-makers were invited in
	target_local INTEGER NOT NULL DEFAULT 0,
	target_professional INTEGER NOT NULL DEFAULT 0,
	-- 'local_majority': a decision carries only if most local people agree
	parity_rule TEXT NOT NULL DEFAULT 'local_majority'
		CHECK (parity_rule IN ('none', 'local_majority')),
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL,
	UNIQUE (programme_id, name)
);

CREATE TABLE group_members (
	id INTEGER PRIMARY KEY,
	group_id INTEGER NOT NULL REFERENCES working_groups(id) ON DELETE CASCADE,
	account_id INTEGER NOT NULL REFERENCES accounts(id),
	role_in_group TEXT NOT NULL
		CHECK (role_in_group IN ('local_person', 'decision_maker', 'facilitator')),
	joined_on TEXT NOT NULL,
	left_on TEXT,
	CHECK (left_on IS NULL OR left_on >= joined_on)
);
CREATE INDEX group_members_group ON group_members(group_id);
CREATE INDEX group_members_account ON group_members(account_id);

CREATE TABLE venues (
	id INTEGER PRIMARY KEY,
	name TEXT NOT NULL UNIQUE,
	address TEXT NOT NULL,
	postcode TEXT NOT NULL DEFAULT '',
	step_free INTEGER NOT NULL DEFAULT 0,
	accessible_toilet INTEGER NOT NULL DEFAULT 0,
	hearing_loop INTEGER NOT NULL DEFAULT 0,
	quiet_room INTEGER NOT NULL DEFAULT 0,
	near_transport INTEGER NOT NULL DEFAULT 0,
	transport_note TEXT NOT NULL DEFAULT '',
	capacity INTEGER,
	cost_per_booking_pence INTEGER NOT NULL DEFAULT 0,
	created_at TEXT NOT NULL
);

-- A recurring schedule creates future sessions (e.g. fortnightly).
CREATE TABLE session_schedules (
	id INTEGER PRIMARY KEY,
	group_id INTEGER NOT NULL REFERENCES working_groups(id) ON DELETE CASCADE,
	every_days INTEGER NOT NULL CHECK (every_days BETWEEN 1 AND 92),
	first_date TEXT NOT NULL,
	until_date TEXT NOT NULL,
	start_time TEXT NOT NULL,
	end_time TEXT NOT NULL,
	venue_id INTEGER REFERENCES venues(id),
	created_by INTEGER REFERENCES accounts(id),
	created_at TEXT NOT NULL,
	CHECK (until_date >= first_date)
);

-- Meetings of a group ("sessions" is the sign-in sessions table).
CREATE TABLE group_sessions (
	id INTEGER PRIMARY KEY,
	group_id INTEGER NOT NULL REFERENCES working_groups(id) ON DELETE CASCADE,
	schedule_id INTEGER REFERENCES session_schedules(id),
	title TEXT NOT NULL,
	starts_at TEXT NOT NULL,
	ends_at TEXT NOT NULL,
	venue_id INTEGER REFERENCES venues(id),
	status TEXT NOT NULL DEFAULT 'planned' CHECK (status IN ('planned', 'held', 'cancelled')),
	notes TEXT NOT NULL DEFAULT '',
	uid TEXT NOT NULL UNIQUE,          -- the calendar UID, stable across changes
	sequence INTEGER NOT NULL DEFAULT 0, -- the calendar SEQUENCE, bumped on each change
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL,
	CHECK (ends_at > starts_at)
);
CREATE INDEX group_sessions_group ON group_sessions(group_id, starts_at);

CREATE TABLE agenda_items (
	id INTEGER PRIMARY KEY,
	session_id INTEGER NOT NULL REFERENCES group_sessions(id) ON DELETE CASCADE,
	position INTEGER NOT NULL,
	title TEXT NOT NULL,
	detail TEXT NOT NULL DEFAULT ''
);

-- People expected at a session (by default the group's members when it was made).
CREATE TABLE session_invitees (
	session_id INTEGER NOT NULL REFERENCES group_sessions(id) ON DELETE CASCADE,
	account_id INTEGER NOT NULL REFERENCES accounts(id),
	PRIMARY KEY (session_id, account_id)
);

-- What members were told when a session was cancelled or moved (sending comes later).
CREATE TABLE session_notices (
	id INTEGER PRIMARY KEY,
	session_id INTEGER NOT NULL REFERENCES group_sessions(id) ON DELETE CASCADE,
	kind TEXT NOT NULL CHECK (kind IN ('cancelled', 'moved')),
	message TEXT NOT NULL,
	created_by INTEGER REFERENCES accounts(id),
	created_at TEXT NOT NULL
);

-- Attendance taken by the facilitator: the basis for payments later.
CREATE TABLE attendance (
	session_id INTEGER NOT NULL REFERENCES group_sessions(id) ON DELETE CASCADE,
	account_id INTEGER NOT NULL REFERENCES accounts(id),
	status TEXT NOT NULL CHECK (status IN ('present', 'apologies', 'absent')),
	recorded_by INTEGER REFERENCES accounts(id),
	recorded_at TEXT NOT NULL,
	PRIMARY KEY (session_id, account_id)
);
CREATE INDEX attendance_account ON attendance(account_id);

-- Decisions and actions noted at a session.
CREATE TABLE session_outcomes (
	id INTEGER PRIMARY KEY,
	session_id INTEGER NOT NULL REFERENCES group_sessions(id) ON DELETE CASCADE,
	kind TEXT NOT NULL CHECK (kind IN ('decision', 'action')),
	text TEXT NOT NULL,
	owner_name TEXT NOT NULL DEFAULT '',
	due_on TEXT
);

-- A personal calendar feed at a secret address; only the token's hash is kept.
CREATE TABLE calendar_feeds (
	account_id INTEGER PRIMARY KEY REFERENCES accounts(id) ON DELETE CASCADE,
	token_hash TEXT NOT NULL UNIQUE,
	created_at TEXT NOT NULL
);

-- Ideas on their way from a first thought to delivered change.
CREATE TABLE ideas (
	id INTEGER PRIMARY KEY,
	programme_id INTEGER NOT NULL REFERENCES programmes(id),
	priority_area_id INTEGER NOT NULL REFERENCES priority_areas(id),
	group_id INTEGER REFERENCES working_groups(id),
	title TEXT NOT NULL,
	body TEXT NOT NULL,
	status TEXT NOT NULL DEFAULT 'idea' CHECK (status IN ('idea', 'concept', 'proposal',
		'presented', 'supported', 'not_supported', 'deferred', 'in_delivery', 'delivered')),
	version INTEGER NOT NULL DEFAULT 1,
	created_by INTEGER REFERENCES accounts(id),
	side TEXT NOT NULL CHECK (side IN ('local', 'professional')),
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL
);
CREATE INDEX ideas_programme ON ideas(programme_id, id);
CREATE INDEX ideas_group ON ideas(group_id, id);
CREATE INDEX ideas_status ON ideas(status, id);

-- Authors: recorded_by is the facilitator who wrote it down for a local person.
CREATE TABLE idea_authors (
	idea_id INTEGER NOT NULL REFERENCES ideas(id) ON DELETE CASCADE,
	account_id INTEGER NOT NULL REFERENCES accounts(id),
	side TEXT NOT NULL CHECK (side IN ('local', 'professional')),
	recorded_by INTEGER REFERENCES accounts(id),
	PRIMARY KEY (idea_id, account_id)
);
CREATE INDEX idea_authors_account ON idea_authors(account_id);

CREATE TABLE idea_status_changes (
	id INTEGER PRIMARY KEY,
	idea_id INTEGER NOT NULL REFERENCES ideas(id) ON DELETE CASCADE,
	from_status TEXT,
	to_status TEXT NOT NULL,
	changed_by INTEGER REFERENCES accounts(id),
	on_behalf_of INTEGER REFERENCES accounts(id),
	note TEXT NOT NULL DEFAULT '',
	changed_at TEXT NOT NULL
);
CREATE INDEX idea_status_changes_idea ON idea_status_changes(idea_id);

-- Every version of an idea's text; a revision by someone who is not an author is an
-- amendment.
CREATE TABLE idea_revisions (
	id INTEGER PRIMARY KEY,
	idea_id INTEGER NOT NULL REFERENCES ideas(id) ON DELETE CASCADE,
	version INTEGER NOT NULL,
	title TEXT NOT NULL,
	body TEXT NOT NULL,
	revised_by INTEGER REFERENCES accounts(id),
	on_behalf_of INTEGER REFERENCES accounts(id),
	side TEXT NOT NULL CHECK (side IN ('local', 'professional')),
	is_amendment INTEGER NOT NULL DEFAULT 0,
	revised_at TEXT NOT NULL,
	UNIQUE (idea_id, version)
);

CREATE TABLE idea_comments (
	id INTEGER PRIMARY KEY,
	idea_id INTEGER NOT NULL REFERENCES ideas(id) ON DELETE CASCADE,
	parent_id INTEGER REFERENCES idea_comments(id),
	account_id INTEGER NOT NULL REFERENCES accounts(id),
	on_behalf_of INTEGER REFERENCES accounts(id),
	side TEXT NOT NULL CHECK (side IN ('local', 'professional')),
	body TEXT NOT NULL,
	created_at TEXT NOT NULL
);
CREATE INDEX idea_comments_idea ON idea_comments(idea_id, id);

CREATE TABLE idea_tags (
	idea_id INTEGER NOT NULL REFERENCES ideas(id) ON DELETE CASCADE,
	tag TEXT NOT NULL,
	PRIMARY KEY (idea_id, tag)
);
CREATE INDEX idea_tags_tag ON idea_tags(tag);

CREATE TABLE idea_links (
	idea_id INTEGER NOT NULL REFERENCES ideas(id) ON DELETE CASCADE,
	related_idea_id INTEGER NOT NULL REFERENCES ideas(id) ON DELETE CASCADE,
	created_by INTEGER REFERENCES accounts(id),
	created_at TEXT NOT NULL,
	PRIMARY KEY (idea_id, related_idea_id),
	CHECK (idea_id <> related_idea_id)
);

-- An idea shared with other groups (section 13.2: several groups at once).
CREATE TABLE idea_shares (
	idea_id INTEGER NOT NULL REFERENCES ideas(id) ON DELETE CASCADE,
	group_id INTEGER NOT NULL REFERENCES working_groups(id) ON DELETE CASCADE,
	shared_by INTEGER REFERENCES accounts(id),
	shared_at TEXT NOT NULL,
	PRIMARY KEY (idea_id, group_id)
);

-- Tests of an idea (the Testing principle).
CREATE TABLE idea_tests (
	id INTEGER PRIMARY KEY,
	idea_id INTEGER NOT NULL REFERENCES ideas(id) ON DELETE CASCADE,
	tested_on TEXT NOT NULL,
	tried TEXT NOT NULL,
	expected TEXT NOT NULL,
	happened TEXT NOT NULL,
	changed TEXT NOT NULL,
	recorded_by INTEGER REFERENCES accounts(id),
	created_at TEXT NOT NULL
);

-- A shared decision of a group, on an idea or a question, with its method.
CREATE TABLE decisions (
	id INTEGER PRIMARY KEY,
	group_id INTEGER NOT NULL REFERENCES working_groups(id),
	idea_id INTEGER REFERENCES ideas(id),
	question TEXT NOT NULL,
	method TEXT NOT NULL CHECK (method IN ('consensus', 'consent', 'vote')),
	parity_rule TEXT NOT NULL CHECK (parity_rule IN ('none', 'local_majority')),
	status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
	outcome TEXT,   -- 'carried', 'not_carried', or an option's label
	proposed_by INTEGER REFERENCES accounts(id),
	proposed_side TEXT NOT NULL CHECK (proposed_side IN ('local', 'professional')),
	opened_at TEXT NOT NULL,
	closed_by INTEGER REFERENCES accounts(id),
	closed_at TEXT,
	reopened_by INTEGER REFERENCES accounts(id),
	reopened_at TEXT
);
CREATE INDEX decisions_group ON decisions(group_id, id);

CREATE TABLE decision_options (
	id INTEGER PRIMARY KEY,
	decision_id INTEGER NOT NULL REFERENCES decisions(id) ON DELETE CASCADE,
	position INTEGER NOT NULL,
	label TEXT NOT NULL
);

-- One position per person per decision; recorded_by is the facilitator who wrote down a
-- position given in the room.
CREATE TABLE decision_positions (
	decision_id INTEGER NOT NULL REFERENCES decisions(id) ON DELETE CASCADE,
	account_id INTEGER NOT NULL REFERENCES accounts(id),
	side TEXT NOT NULL CHECK (side IN ('local', 'professional')),
	stance TEXT NOT NULL CHECK (stance IN ('agree', 'disagree', 'abstain', 'object', 'option')),
	option_id INTEGER REFERENCES decision_options(id),
	reason TEXT NOT NULL DEFAULT '',
	recorded_by INTEGER REFERENCES accounts(id),
	recorded_at TEXT NOT NULL,
	PRIMARY KEY (decision_id, account_id)
);

CREATE TABLE board_meetings (
	id INTEGER PRIMARY KEY,
	meets_on TEXT NOT NULL,
	title TEXT NOT NULL,
	location TEXT NOT NULL DEFAULT '',
	created_at TEXT NOT NULL
);

-- A proposal taken to a Board meeting with its paper, and the Board's decision.
CREATE TABLE board_papers (
	id INTEGER PRIMARY KEY,
	meeting_id INTEGER NOT NULL REFERENCES board_meetings(id),
	idea_id INTEGER NOT NULL REFERENCES ideas(id),
	summary TEXT NOT NULL,
	ask TEXT NOT NULL,
	funding_sought_pence INTEGER NOT NULL DEFAULT 0,
	funding_sought_from TEXT NOT NULL DEFAULT '',
	submitted_by INTEGER REFERENCES accounts(id),
	submitted_at TEXT NOT NULL,
	decision TEXT NOT NULL DEFAULT 'pending'
		CHECK (decision IN ('pending', 'supported', 'not_supported', 'deferred')),
	conditions TEXT NOT NULL DEFAULT '',
	funding_agreed_pence INTEGER NOT NULL DEFAULT 0,
	funding_agreed_from TEXT NOT NULL DEFAULT '',
	decided_by INTEGER REFERENCES accounts(id),
	decided_at TEXT,
	UNIQUE (meeting_id, idea_id)
);

-- A supported proposal becomes a co-delivery plan in the Locality Implementation Plan.
CREATE TABLE delivery_plans (
	id INTEGER PRIMARY KEY,
	idea_id INTEGER NOT NULL UNIQUE REFERENCES ideas(id),
	board_paper_id INTEGER REFERENCES board_papers(id),
	title TEXT NOT NULL,
	in_locality_plan INTEGER NOT NULL DEFAULT 1,
	created_by INTEGER REFERENCES accounts(id),
	created_at TEXT NOT NULL
);

CREATE TABLE delivery_actions (
	id INTEGER PRIMARY KEY,
	plan_id INTEGER NOT NULL REFERENCES delivery_plans(id) ON DELETE CASCADE,
	description TEXT NOT NULL,
	owner_account_id INTEGER REFERENCES accounts(id),
	owner_organisation_id INTEGER REFERENCES organisations(id),
	due_on TEXT NOT NULL,
	status TEXT NOT NULL DEFAULT 'not_started'
		CHECK (status IN ('not_started', 'in_progress', 'done', 'blocked')),
	progress TEXT NOT NULL DEFAULT '',
	updated_at TEXT NOT NULL
);

CREATE TABLE delivery_milestones (
	id INTEGER PRIMARY KEY,
	plan_id INTEGER NOT NULL REFERENCES delivery_plans(id) ON DELETE CASCADE,
	title TEXT NOT NULL,
	due_on TEXT NOT NULL,
	reached_on TEXT
);

-- Each Board member's organisation reports back on its own co-production every half year
-- (seed 001 section 7.2), with the rung of the ladder of co-production it reached.
CREATE TABLE organisation_returns (
	id INTEGER PRIMARY KEY,
	organisation_id INTEGER NOT NULL REFERENCES organisations(id),
	period TEXT NOT NULL, -- '2022-H2'
	what_done TEXT NOT NULL,
	ladder_rung TEXT NOT NULL CHECK (ladder_rung IN ('coercion', 'educating', 'informing',
		'consultation', 'engagement', 'co_design', 'co_production')),
	what_changed TEXT NOT NULL,
	filed_by INTEGER REFERENCES accounts(id),
	filed_at TEXT NOT NULL,
	UNIQUE (organisation_id, period)
);
