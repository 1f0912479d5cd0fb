-- 0007_budget.sql: the engagement's own budget: where the money comes from (funding
-- sources such as the Adult and the Children's Commissioning Committees), how each
-- programme splits it into budget lines, and what has been committed and spent.
-- Portable SQL as in 0001. Money is integer pence; dates are 'YYYY-MM-DD'.

CREATE TABLE funding_sources (
	id INTEGER PRIMARY KEY,
	name TEXT NOT NULL UNIQUE,
	organisation_or_committee TEXT NOT NULL,
	amount_pence INTEGER NOT NULL CHECK (amount_pence >= 0),
	financial_year TEXT NOT NULL, -- e.g. '2021-22'
	conditions TEXT NOT NULL DEFAULT '',
	starts_on TEXT,
	ends_on TEXT,
	created_by INTEGER REFERENCES accounts(id),
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL,
	CHECK (ends_on IS NULL OR starts_on IS NULL OR ends_on >= starts_on)
);

-- One line per programme, source and kind of cost. cost_code is finance's own code for
-- the line, carried into the participant payments export.
CREATE TABLE budget_lines (
	id INTEGER PRIMARY KEY,
	programme_id INTEGER NOT NULL REFERENCES programmes(id),
	source_id INTEGER NOT NULL REFERENCES funding_sources(id),
	kind TEXT NOT NULL CHECK (kind IN ('participant-payments', 'expenses', 'venues',
		'refreshments', 'facilitation', 'interpreters-bsl', 'childcare-carer-cover',
		'accessibility-support', 'materials', 'other')),
	amount_pence INTEGER NOT NULL CHECK (amount_pence >= 0),
	note TEXT NOT NULL DEFAULT '',
	cost_code TEXT NOT NULL DEFAULT '',
	created_by INTEGER REFERENCES accounts(id),
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL,
	UNIQUE (programme_id, source_id, kind)
);
CREATE INDEX budget_lines_programme ON budget_lines(programme_id);
CREATE INDEX budget_lines_source ON budget_lines(source_id);

-- A commitment is money promised but not yet paid (a venue booked for ten sessions); a
-- spend is money paid. Entries are never edited: a mistake is put right by a correcting
-- entry of the opposite amount that names the entry it reverses. over_approved_by and
-- over_reason are set when a programme lead approved taking the line over its budget.
-- closes is set on a spend that settles (part of) an earlier commitment, so the money
-- is not counted twice.
CREATE TABLE budget_entries (
	id INTEGER PRIMARY KEY,
	line_id INTEGER NOT NULL REFERENCES budget_lines(id),
	kind TEXT NOT NULL CHECK (kind IN ('commitment', 'spend')),
	entry_date TEXT NOT NULL,
	supplier TEXT NOT NULL DEFAULT '',
	amount_pence INTEGER NOT NULL, -- net of VAT; negative only in a correcting entry
	vat_pence INTEGER NOT NULL DEFAULT 0,
	reference TEXT NOT NULL DEFAULT '',
	what_for TEXT NOT NULL DEFAULT '',
	session_id INTEGER REFERENCES group_sessions(id),
	over_approved_by INTEGER REFERENCES accounts(id),
	over_reason TEXT,
	reverses INTEGER REFERENCES budget_entries(id),
	closes INTEGER REFERENCES budget_entries(id),
	created_by INTEGER REFERENCES accounts(id),
	created_at TEXT NOT NULL,
	CHECK (reverses IS NOT NULL OR amount_pence >= 0),
	CHECK (vat_pence >= 0 OR reverses IS NOT NULL)
);
CREATE INDEX budget_entries_line ON budget_entries(line_id, entry_date);
