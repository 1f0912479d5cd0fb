-- 0009_evidence.sql: the evidence side of co-production: outcome indicators with their
-- values over time, the two self-assessments (the ladder of co-production and the six
-- principles) that local people and professionals answer, and the learning log.
-- Portable SQL as in 0001. Numbers that people read (indicator values, confidence limits,
-- counts) are stored as integer thousandths ("_milli"): 12.3 is 12300. Text would sort
-- badly and floating point would show 12.299999; thousandths keep every figure exactly as
-- it was imported and are enough for any published rate or percentage.

-- An outcome indicator, as its source defines it. "code" is the indicator id used in CSV
-- imports: the source's own id where there is one (OHID Fingertips 93701, ...).
CREATE TABLE indicators (
	id INTEGER PRIMARY KEY,
	code TEXT NOT NULL UNIQUE,
	name TEXT NOT NULL,
	unit TEXT NOT NULL,                 -- e.g. '%', 'per 100,000', 'µg/m³'
	polarity TEXT NOT NULL CHECK (polarity IN ('higher_is_better', 'lower_is_better')),
	source TEXT NOT NULL,               -- e.g. 'OHID Fingertips'
	source_id TEXT NOT NULL DEFAULT '', -- e.g. '93701'
	geography TEXT NOT NULL DEFAULT '', -- e.g. 'Upper tier local authority'
	period_type TEXT NOT NULL CHECK (period_type IN ('calendar_year', 'financial_year',
		'three_years', 'other')),
	decimals INTEGER NOT NULL DEFAULT 1 CHECK (decimals BETWEEN 0 AND 3),
	description TEXT NOT NULL DEFAULT '',
	created_by INTEGER REFERENCES accounts(id),
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL
);

-- The priority areas an indicator tells about (priority_indicators in 0001 keeps the
-- Locality Plan's names as written; these are the definitions with data behind them).
CREATE TABLE indicator_priority_areas (
	indicator_id INTEGER NOT NULL REFERENCES indicators(id) ON DELETE CASCADE,
	priority_area_id INTEGER NOT NULL REFERENCES priority_areas(id) ON DELETE CASCADE,
	PRIMARY KEY (indicator_id, priority_area_id)
);
CREATE INDEX indicator_priority_areas_area ON indicator_priority_areas(priority_area_id);

-- One value of an indicator for one area and one period. Periods are the source's labels
-- ('2019', '2019/20', '2017 - 19'); they sort by their first year. A re-import of the same
-- indicator, area and period replaces the row (audited with the value before).
-- illustrative = 1: an invented figure for the demo, labelled "Illustrative figures".
CREATE TABLE indicator_values (
	id INTEGER PRIMARY KEY,
	indicator_id INTEGER NOT NULL REFERENCES indicators(id) ON DELETE CASCADE,
	area_code TEXT NOT NULL,            -- ONS code, e.g. E08000006 Salford, E92000001 England
	area_name TEXT NOT NULL,
	period TEXT NOT NULL,
	value_milli INTEGER NOT NULL,
	lower_milli INTEGER,
	upper_milli INTEGER,
	count_milli INTEGER,
	denominator_milli INTEGER,
	illustrative INTEGER NOT NULL DEFAULT 0,
	updated_by INTEGER REFERENCES accounts(id),
	updated_at TEXT NOT NULL,
	UNIQUE (indicator_id, area_code, period)
);

-- The ladder of co-production (facts.md 1.1): rung 1 coercion, 2 educating, 3 informing,
-- 4 consultation, 5 engagement, 6 co-design, 7 co-production. A participant rates a
-- session, a decision or a programme stage (subject_id is group_sessions.id, decisions.id
-- or programme_stages.id). One rating per person per thing: rating again replaces it.
-- side is the person's side when they rated ('local' or 'professional').
CREATE TABLE ladder_ratings (
	id INTEGER PRIMARY KEY,
	programme_id INTEGER NOT NULL REFERENCES programmes(id) ON DELETE CASCADE,
	subject_kind TEXT NOT NULL CHECK (subject_kind IN ('session', 'decision', 'stage')),
	subject_id INTEGER NOT NULL,
	account_id INTEGER NOT NULL REFERENCES accounts(id),
	side TEXT NOT NULL CHECK (side IN ('local', 'professional')),
	rung INTEGER NOT NULL CHECK (rung BETWEEN 1 AND 7),
	rated_at TEXT NOT NULL,
	UNIQUE (subject_kind, subject_id, account_id)
);
CREATE INDEX ladder_ratings_programme ON ladder_ratings(programme_id, subject_kind, subject_id);

-- A half-yearly round of the six principles questionnaire (seed 001 section 3).
CREATE TABLE principle_rounds (
	id INTEGER PRIMARY KEY,
	programme_id INTEGER NOT NULL REFERENCES programmes(id) ON DELETE CASCADE,
	period_label TEXT NOT NULL,         -- e.g. '2022 H1'
	opens_on TEXT NOT NULL,
	closes_on TEXT NOT NULL,
	opened_by INTEGER REFERENCES accounts(id),
	created_at TEXT NOT NULL,
	UNIQUE (programme_id, period_label),
	CHECK (closes_on >= opens_on)
);

-- Who has answered a round (so no one answers twice). Their answers are kept apart, in
-- principle_answers, with only their side: no one can read back one person's ratings.
CREATE TABLE principle_respondents (
	round_id INTEGER NOT NULL REFERENCES principle_rounds(id) ON DELETE CASCADE,
	account_id INTEGER NOT NULL REFERENCES accounts(id),
	side TEXT NOT NULL CHECK (side IN ('local', 'professional')),
	answered_at TEXT NOT NULL,
	PRIMARY KEY (round_id, account_id)
);

CREATE TABLE principle_answers (
	id INTEGER PRIMARY KEY,
	round_id INTEGER NOT NULL REFERENCES principle_rounds(id) ON DELETE CASCADE,
	side TEXT NOT NULL CHECK (side IN ('local', 'professional')),
	principle TEXT NOT NULL CHECK (principle IN ('strengths', 'power', 'relationships',
		'diversity', 'knowledges', 'testing')),
	rating INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 5),
	comment TEXT NOT NULL DEFAULT ''
);
CREATE INDEX principle_answers_round ON principle_answers(round_id, side, principle);

-- The learning log: "there is no failure". One entry per thing learned, at a stage of a
-- programme, with the success indicators noticed (seed 003) and optionally what it was
-- about (a session, an idea, a test of an idea or a decision of the programme).
CREATE TABLE learning_entries (
	id INTEGER PRIMARY KEY,
	programme_id INTEGER NOT NULL REFERENCES programmes(id) ON DELETE CASCADE,
	stage INTEGER NOT NULL CHECK (stage BETWEEN 1 AND 6),
	happened_on TEXT NOT NULL,
	what_happened TEXT NOT NULL,
	what_learned TEXT NOT NULL,
	what_change TEXT NOT NULL DEFAULT '',
	noticed_language INTEGER NOT NULL DEFAULT 0,
	noticed_flexibility INTEGER NOT NULL DEFAULT 0,
	noticed_new_ideas INTEGER NOT NULL DEFAULT 0,
	noticed_shift INTEGER NOT NULL DEFAULT 0,
	session_id INTEGER REFERENCES group_sessions(id),
	idea_id INTEGER REFERENCES ideas(id),
	idea_test_id INTEGER REFERENCES idea_tests(id),
	decision_id INTEGER REFERENCES decisions(id),
	created_by INTEGER REFERENCES accounts(id),
	created_at TEXT NOT NULL
);
CREATE INDEX learning_entries_programme ON learning_entries(programme_id, happened_on);
