-- 0005_equality.sql: equality monitoring kept apart from identity, and the local
-- population that participants are compared with.
-- Special-category answers (UK GDPR Article 9: ethnicity, religion, health, sexual
-- orientation) are keyed only by a volunteer's opaque monitoring_ref (volunteers in 0004):
-- no account id, no name. The app reads them only in aggregate, except for a programme
-- lead viewing one person's answers with that person's recorded consent (audited).
-- Portable SQL as in 0001; timestamps are ISO-8601 UTC text.

-- Per programme: the lawful basis shown on the form ('explicit-consent', or DPA 2018
-- Schedule 1 paragraph 8 "equality of opportunity or treatment") with its wording.
CREATE TABLE equality_settings (
	programme_id INTEGER PRIMARY KEY REFERENCES programmes(id) ON DELETE CASCADE,
	lawful_basis TEXT NOT NULL DEFAULT 'explicit-consent'
		CHECK (lawful_basis IN ('explicit-consent', 'dpa-sch1-para8')),
	basis_wording TEXT NOT NULL DEFAULT '',
	updated_by INTEGER REFERENCES accounts(id),
	updated_at TEXT NOT NULL
);

-- The lived-experience questions a programme chooses to ask (e.g. 'poverty',
-- 'care-leaver'); answers are stored under the category 'lived:<flag>'.
CREATE TABLE equality_lived_flags (
	programme_id INTEGER NOT NULL REFERENCES programmes(id) ON DELETE CASCADE,
	flag TEXT NOT NULL,
	label TEXT NOT NULL,
	position INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (programme_id, flag)
);

-- One answer per person per category. 'prefer_not_to_say' is stored as given; a
-- question left blank has no row. Withdrawal deletes every row of the person.
CREATE TABLE equality_answers (
	monitoring_ref TEXT NOT NULL,
	category TEXT NOT NULL,
	value TEXT NOT NULL,
	answered_at TEXT NOT NULL,
	PRIMARY KEY (monitoring_ref, category)
);

-- Consent, one row per person and kind: 'answer' (to answering, with the wording version
-- shown) and 'lead_view' (to a programme lead seeing this person's answers).
CREATE TABLE equality_consents (
	monitoring_ref TEXT NOT NULL,
	kind TEXT NOT NULL CHECK (kind IN ('answer', 'lead_view')),
	status TEXT NOT NULL CHECK (status IN ('granted', 'withdrawn')),
	wording_version TEXT NOT NULL,
	recorded_at TEXT NOT NULL,
	PRIMARY KEY (monitoring_ref, kind)
);

-- The local population's distribution per category value, imported by a programme lead.
-- Either a count or a share (parts per million) is given; illustrative = 1 marks figures
-- that are examples, not facts (shown as "Illustrative figures").
CREATE TABLE population_figures (
	id INTEGER PRIMARY KEY,
	programme_id INTEGER NOT NULL REFERENCES programmes(id) ON DELETE CASCADE,
	category TEXT NOT NULL,
	value TEXT NOT NULL,
	count INTEGER CHECK (count IS NULL OR count >= 0),
	share_ppm INTEGER CHECK (share_ppm IS NULL OR share_ppm BETWEEN 0 AND 1000000),
	source TEXT NOT NULL DEFAULT '',
	as_of TEXT NOT NULL DEFAULT '',
	illustrative INTEGER NOT NULL DEFAULT 0,
	imported_by INTEGER REFERENCES accounts(id),
	imported_at TEXT NOT NULL,
	UNIQUE (programme_id, category, value)
);

-- Postcode to Index of Multiple Deprivation decile (1 most deprived), per programme;
-- postcodes are stored upper case with one space before the inward code.
CREATE TABLE postcode_deciles (
	programme_id INTEGER NOT NULL REFERENCES programmes(id) ON DELETE CASCADE,
	postcode TEXT NOT NULL,
	decile INTEGER NOT NULL CHECK (decile BETWEEN 1 AND 10),
	PRIMARY KEY (programme_id, postcode)
);
