-- 0008_payments.sql: fair payment of participants for their time and expenses: each
-- programme's payment policy (versioned by the date it starts), each person's choice of
-- how to be paid (or to decline), claims proposed from attendance and approved by a
-- second person, batches exported to finance and marked paid, and reversals.
-- Portable SQL as in 0001. Money is integer pence; dates are 'YYYY-MM-DD'; timestamps are
-- ISO-8601 UTC text. Bank details are never stored here: the council's finance team holds
-- them and matches them to a person's reference ("CP-000042", from the account id).

-- A policy is never edited: a change is a new version from a later start date, and a
-- claim uses the version in force on its session's date.
CREATE TABLE payment_policies (
	id INTEGER PRIMARY KEY,
	programme_id INTEGER NOT NULL REFERENCES programmes(id),
	version INTEGER NOT NULL CHECK (version >= 1),
	starts_on TEXT NOT NULL,
	rate_kind TEXT NOT NULL CHECK (rate_kind IN ('hour', 'session')),
	rate_pence INTEGER NOT NULL CHECK (rate_pence >= 0),
	-- preparation time, paid by the hour; 0 hours means preparation is not paid
	prep_max_minutes INTEGER NOT NULL DEFAULT 0 CHECK (prep_max_minutes >= 0),
	prep_rate_pence INTEGER NOT NULL DEFAULT 0 CHECK (prep_rate_pence >= 0),
	expenses_rules TEXT NOT NULL DEFAULT '',
	created_by INTEGER REFERENCES accounts(id),
	created_at TEXT NOT NULL,
	UNIQUE (programme_id, version),
	UNIQUE (programme_id, starts_on)
);

-- Extra roles paid as a fixed amount on top (co-chair, speaking at the Board, ...).
CREATE TABLE payment_policy_roles (
	id INTEGER PRIMARY KEY,
	policy_id INTEGER NOT NULL REFERENCES payment_policies(id) ON DELETE CASCADE,
	name TEXT NOT NULL,
	amount_pence INTEGER NOT NULL CHECK (amount_pence >= 0),
	UNIQUE (policy_id, name)
);

-- Each choice is kept; the latest one for a person is the one in force. programme_id is
-- NULL for a choice that holds for every programme. notice_version is the version of the
-- benefits and tax notice the person was shown before choosing.
CREATE TABLE payment_choices (
	id INTEGER PRIMARY KEY,
	account_id INTEGER NOT NULL REFERENCES accounts(id),
	programme_id INTEGER REFERENCES programmes(id),
	method TEXT NOT NULL
		CHECK (method IN ('bank-transfer', 'voucher', 'cash', 'charity', 'decline')),
	charity_name TEXT NOT NULL DEFAULT '',
	chosen_at TEXT NOT NULL,
	recorded_by INTEGER REFERENCES accounts(id),
	notice_version INTEGER NOT NULL,
	CHECK (method <> 'charity' OR charity_name <> '')
);
CREATE INDEX payment_choices_account ON payment_choices(account_id, id);

CREATE TABLE payment_batches (
	id INTEGER PRIMARY KEY,
	programme_id INTEGER NOT NULL REFERENCES programmes(id),
	created_by INTEGER REFERENCES accounts(id),
	created_at TEXT NOT NULL,
	exported_at TEXT,
	exported_by INTEGER REFERENCES accounts(id),
	paid_on TEXT,      -- the date finance paid, 'YYYY-MM-DD'
	paid_at TEXT,      -- when it was marked paid
	paid_by INTEGER REFERENCES accounts(id)
);
CREATE INDEX payment_batches_programme ON payment_batches(programme_id, id);

-- One claim per person per session (a reversed claim no longer counts, so the session
-- can be claimed again correctly). method and charity_name are the person's choice when
-- the claim was submitted. Amounts are in claim_items; a paid claim is never edited.
CREATE TABLE payment_claims (
	id INTEGER PRIMARY KEY,
	account_id INTEGER NOT NULL REFERENCES accounts(id),
	session_id INTEGER NOT NULL REFERENCES group_sessions(id),
	programme_id INTEGER NOT NULL REFERENCES programmes(id),
	policy_id INTEGER NOT NULL REFERENCES payment_policies(id),
	status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'submitted', 'returned',
		'approved', 'batched', 'paid', 'reversed')),
	method TEXT NOT NULL DEFAULT '',
	charity_name TEXT NOT NULL DEFAULT '',
	created_by INTEGER REFERENCES accounts(id),
	created_at TEXT NOT NULL,
	submitted_by INTEGER REFERENCES accounts(id),
	submitted_at TEXT,
	approved_by INTEGER REFERENCES accounts(id),
	approved_at TEXT,
	returned_by INTEGER REFERENCES accounts(id),
	returned_at TEXT,
	returned_reason TEXT NOT NULL DEFAULT '',
	batch_id INTEGER REFERENCES payment_batches(id),
	updated_at TEXT NOT NULL
);
CREATE UNIQUE INDEX payment_claims_live ON payment_claims(account_id, session_id)
	WHERE status <> 'reversed';
CREATE INDEX payment_claims_programme ON payment_claims(programme_id, status);
CREATE INDEX payment_claims_batch ON payment_claims(batch_id);

-- The parts of a claim. kind 'attendance', 'preparation' and 'role' are payment (income
-- for benefits and tax); 'expense' is reimbursed at cost and is not income.
CREATE TABLE payment_claim_items (
	id INTEGER PRIMARY KEY,
	claim_id INTEGER NOT NULL REFERENCES payment_claims(id) ON DELETE CASCADE,
	kind TEXT NOT NULL CHECK (kind IN ('attendance', 'preparation', 'role', 'expense')),
	description TEXT NOT NULL DEFAULT '',
	minutes INTEGER NOT NULL DEFAULT 0 CHECK (minutes >= 0),
	expense_kind TEXT CHECK (expense_kind IS NULL OR expense_kind IN ('travel', 'care',
		'other')),
	receipt_ref TEXT NOT NULL DEFAULT '',
	amount_pence INTEGER NOT NULL CHECK (amount_pence >= 0)
);
CREATE INDEX payment_claim_items_claim ON payment_claim_items(claim_id);

-- A paid claim put right: the correcting entry of the opposite amounts, with the reason.
CREATE TABLE payment_reversals (
	id INTEGER PRIMARY KEY,
	claim_id INTEGER NOT NULL UNIQUE REFERENCES payment_claims(id),
	payment_pence INTEGER NOT NULL CHECK (payment_pence <= 0),
	expenses_pence INTEGER NOT NULL CHECK (expenses_pence <= 0),
	reason TEXT NOT NULL,
	reversed_on TEXT NOT NULL,
	created_by INTEGER REFERENCES accounts(id),
	created_at TEXT NOT NULL
);
