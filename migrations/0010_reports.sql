-- 0010_reports.sql: case studies of co-production (the Locality Plan's own indicator for
-- co-production, seed 001 section 8.5) with their narrative and the quotes chosen for
-- them, each quote only with its speaker's consent.
-- Portable SQL as in 0001. Dates are 'YYYY-MM-DD'; timestamps ISO-8601 UTC text.

-- A case study tells one programme's story. The figures (who took part, decisions and
-- their power balance, what the Board decided) come from the programme's records when it
-- is shown; the narrative below is written by a facilitator of the programme. Only a
-- programme lead publishes it; a published case study is on the public site.
CREATE TABLE case_studies (
	id INTEGER PRIMARY KEY,
	programme_id INTEGER NOT NULL REFERENCES programmes(id),
	title TEXT NOT NULL,
	summary TEXT NOT NULL,
	-- the narrative, one text per part of the story
	issue_text TEXT NOT NULL DEFAULT '',      -- the issue, reframed
	people_text TEXT NOT NULL DEFAULT '',     -- who took part
	coproduced_text TEXT NOT NULL DEFAULT '', -- what was co-produced
	decisions_text TEXT NOT NULL DEFAULT '',  -- decisions and the balance of power
	board_text TEXT NOT NULL DEFAULT '',      -- what the Board decided
	changed_text TEXT NOT NULL DEFAULT '',    -- what changed
	learned_text TEXT NOT NULL DEFAULT '',    -- what was learned
	status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published')),
	published_on TEXT,
	published_by INTEGER REFERENCES accounts(id),
	created_by INTEGER REFERENCES accounts(id),
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL
);
CREATE INDEX case_studies_programme ON case_studies(programme_id, id);
CREATE INDEX case_studies_status ON case_studies(status, id);

-- A quote in a case study: taken from an idea comment or a session outcome, or typed
-- with a named speaker. It may be published only once the speaker's consent is recorded
-- (consent = 1 with the date it was given); consent withdrawn hides it again.
CREATE TABLE case_study_quotes (
	id INTEGER PRIMARY KEY,
	case_study_id INTEGER NOT NULL REFERENCES case_studies(id) ON DELETE CASCADE,
	position INTEGER NOT NULL,
	quote TEXT NOT NULL,
	speaker TEXT NOT NULL,       -- as it will be shown, e.g. "Demo Jordan, group member"
	speaker_account_id INTEGER REFERENCES accounts(id),
	source TEXT NOT NULL DEFAULT 'typed'
		CHECK (source IN ('typed', 'idea_comment', 'session_outcome')),
	source_id INTEGER,           -- the idea comment or session outcome quoted
	consent INTEGER NOT NULL DEFAULT 0,
	consent_on TEXT,             -- the day the speaker agreed
	consent_recorded_by INTEGER REFERENCES accounts(id),
	created_by INTEGER REFERENCES accounts(id),
	created_at TEXT NOT NULL,
	CHECK (consent = 0 OR consent_on IS NOT NULL)
);
CREATE INDEX case_study_quotes_study ON case_study_quotes(case_study_id, position);
