-- 0012_not_duplicates.sql: pairs of volunteer records that share an email address or a
-- phone number but that a facilitator checked and found to be two different people (a
-- parent and an adult child sharing a phone, a family sharing an email). Such a pair is
-- no longer flagged as a possible duplicate; other records with the same contact details
-- still are. Deleting the row flags the pair again. Portable SQL as in 0001.

-- low_id is always the smaller of the two ids, so a pair has exactly one row.
CREATE TABLE volunteer_not_duplicates (
	id INTEGER PRIMARY KEY,
	low_id INTEGER NOT NULL REFERENCES volunteers(id),
	high_id INTEGER NOT NULL REFERENCES volunteers(id),
	note TEXT NOT NULL DEFAULT '',
	marked_by INTEGER REFERENCES accounts(id),
	marked_at TEXT NOT NULL,
	CHECK (low_id < high_id),
	UNIQUE (low_id, high_id)
);
CREATE INDEX volunteer_not_duplicates_high ON volunteer_not_duplicates(high_id);
