// volunteers.test.js: two people who share an email or phone (a parent and an adult
// child sharing a phone) marked by a facilitator as different people, so that the pair
// is no longer flagged, with the mark shown, audited and taken back.
'use strict';

const { test, before, after } = require('node:test');
const assert = require('assert');
const { startServer } = require('./lib');
const { sql, submit, findForm, formData, textOf } = require('./helpers_basic');

const PASSWORD = 'demo-password-2026';
const FACILITATOR = 'facilitator@example.org';
const LOCAL = 'local.person@example.org';
const PROGRAMME = 'young-adults';
const PAGE = `/programmes/${PROGRAMME}/interest`;
const HOSTILE = '<script>alert("x")</script> & son';

let srv;
let fac;

async function signedIn(email) {
	const c = srv.client();
	const res = await c.signIn(email, PASSWORD);
	assert.strictEqual(res.status, 303, `signing in as ${email}: ${res.status}`);
	return c;
}

function main(html) {
	const m = html.match(/<main[\s\S]*<\/main>/);
	return m ? m[0] : html;
}

function summary(html) {
	const m = html.match(/<div class="govuk-error-summary"[\s\S]*?<\/ul>/);
	return m ? textOf(m[0]).trim() : '';
}

function q(s) {
	return s.replace(/'/g, "''");
}

function count(query) {
	return sql(srv.dbPath, query)[0].n;
}

// Sends the public form to take part as a visitor on the connection ADDRESS (nginx on
// the same machine passes the visitor's address in X-Real-IP).
async function volunteerFrom(address, fill) {
	const visitor = srv.client();
	const headers = { 'X-Real-IP': address };
	const res = await visitor.get(PAGE, { headers });
	assert.strictEqual(res.status, 200);
	return visitor.post(PAGE, formData(findForm(res.body, PAGE), fill), { headers });
}

function volunteerId(name) {
	const rows = sql(srv.dbPath, `SELECT id FROM volunteers WHERE name = '${q(name)}' AND merged_into IS NULL ORDER BY id DESC`);
	assert.ok(rows.length, `no volunteer called ${name}`);
	return rows[0].id;
}

before(async () => {
	srv = await startServer();
	fac = await signedIn(FACILITATOR);
});

after(async () => {
	if (srv) await srv.stop();
});

test('a facilitator says two people sharing a phone are different people: only that pair stops being flagged, and it can be taken back', async () => {
	for (const name of ['Mo Sharer', 'Sam Sharer']) {
		const res = await volunteerFrom('198.51.100.1', { name, phone: '07700 900321', consent: 'yes' });
		assert.strictEqual(res.status, 303, res.body);
	}
	const mum = volunteerId('Mo Sharer');
	const son = volunteerId('Sam Sharer');
	const [low, high] = mum < son ? [mum, son] : [son, mum];
	const base = `/programmes/${PROGRAMME}/volunteers`;
	const compare = `${base}/${low}/merge/${high}`;
	const different = `${base}/${low}/different/${high}`;

	let list = await fac.get(base);
	assert.ok(list.body.includes(`href="${compare}"`), 'the pair is flagged on the list');

	// The comparison offers to say they are different people, with a note.
	const page = await fac.get(compare);
	assert.strictEqual(page.status, 200);
	const form = findForm(page.body, different);
	assert.match(textOf(main(page.body)), /These are different people/);
	assert.ok(form.fields.some((f) => f.name === 'note'), 'the form has a note');

	// A note too long is a mistake beside the field, and what was typed is kept.
	const long = 'x'.repeat(201);
	const bad = await submit(fac, compare, different, { note: long });
	assert.strictEqual(bad.status, 400);
	assert.match(summary(bad.body), /The note must be 200 characters or fewer/);
	assert.match(main(bad.body), /<p id="note-error" class="govuk-error-message">/);
	assert.ok(bad.body.includes(`>${long}</textarea>`), 'the note is kept');
	assert.strictEqual(count('SELECT COUNT(*) AS n FROM volunteer_not_duplicates'), 0);

	const done = await submit(fac, compare, different, { note: HOSTILE });
	assert.strictEqual(done.status, 303);
	assert.strictEqual(done.headers.location, `${base}/${low}?done=different`);
	const shown = await fac.get(done.headers.location);
	const text = textOf(main(shown.body));
	assert.match(text, /Marked as different people/);
	assert.match(text, /Checked: not the same person/);
	assert.ok(!/This may be the same person as/.test(text), 'no longer flagged on their page');
	assert.ok(main(shown.body).includes('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; son'), 'the note is shown as text');
	assert.ok(!main(shown.body).includes('<script>alert'), 'the note is never markup');
	list = await fac.get(base);
	assert.ok(!list.body.includes(`href="${compare}"`), 'the pair leaves the list of possible duplicates');
	assert.strictEqual(count(`SELECT COUNT(*) AS n FROM audit_log WHERE entity = 'volunteer' AND action = 'not_duplicate' AND entity_id IN (${mum}, ${son})`), 2);

	// The comparison now says so, and offers to take it back instead.
	const again = await fac.get(compare);
	assert.match(textOf(main(again.body)), /You have said these are different people/);
	assert.ok(!again.body.includes(`action="${different}"`));
	findForm(again.body, `${different}/undo`);
	// Saying it twice changes nothing.
	assert.strictEqual((await fac.post(different, { csrf: await fac.csrf(compare), note: '' })).status, 404);

	// Someone else with the same phone is flagged with each of them.
	assert.strictEqual((await volunteerFrom('198.51.100.1', { name: 'Third Sharer', phone: '+44 7700 900321', consent: 'yes' })).status, 303);
	const third = volunteerId('Third Sharer');
	list = await fac.get(base);
	assert.ok(list.body.includes(`href="${base}/${low}/merge/${third}"`), 'the new record is flagged');
	assert.ok(!list.body.includes(`href="${compare}"`), 'the checked pair stays unflagged');

	// Taken back from the person's page: the pair is flagged again.
	const undo = await submit(fac, `${base}/${low}`, `${different}/undo`, {});
	assert.strictEqual(undo.status, 303);
	assert.strictEqual(undo.headers.location, `${base}/${low}?done=duplicate_again`);
	const back = textOf(main((await fac.get(undo.headers.location)).body));
	assert.match(back, /shown as possible duplicates of each other again/);
	assert.match(back, /This may be the same person as/);
	assert.strictEqual(count('SELECT COUNT(*) AS n FROM volunteer_not_duplicates'), 0);
	assert.strictEqual(count(`SELECT COUNT(*) AS n FROM audit_log WHERE action = 'duplicate_again' AND entity_id IN (${mum}, ${son})`), 2);
	assert.strictEqual((await fac.post(`${different}/undo`, { csrf: await fac.csrf(compare) })).status, 404, 'nothing left to take back');
});

test('only the facilitators and leads of the programme may mark people as different, and only people flagged together', async () => {
	sql(srv.dbPath, "INSERT INTO programmes (slug, name, summary, published, created_at, updated_at) VALUES ('test-vol-other', 'Another programme', 'For tests', 1, '2022-01-01T00:00:00Z', '2022-01-01T00:00:00Z')");
	for (const name of ['Other One', 'Other Two']) {
		const visitor = srv.client();
		const page = '/programmes/test-vol-other/interest';
		const form = await visitor.get(page, { headers: { 'X-Real-IP': '198.51.100.2' } });
		const res = await visitor.post(page, formData(findForm(form.body, page), { name, email: 'other.family@example.org', consent: 'yes' }), { headers: { 'X-Real-IP': '198.51.100.2' } });
		assert.strictEqual(res.status, 303);
	}
	const one = volunteerId('Other One');
	const two = volunteerId('Other Two');
	const [low, high] = one < two ? [one, two] : [two, one];
	const other = `/programmes/test-vol-other/volunteers/${low}`;
	const csrf = await fac.csrf('/home');
	// A facilitator who does not run that programme is told it is not there.
	assert.strictEqual((await fac.get(`${other}/merge/${high}`)).status, 404);
	assert.strictEqual((await fac.post(`${other}/different/${high}`, { csrf, note: '' })).status, 404);
	// A local person is refused outright.
	const local = await signedIn(LOCAL);
	assert.strictEqual((await local.post(`${other}/different/${high}`, { csrf: await local.csrf('/home'), note: '' })).status, 403);
	// Without the form's token nothing happens.
	assert.strictEqual((await fac.post(`${other}/different/${high}`, { note: '' })).status, 403);
	assert.strictEqual(count('SELECT COUNT(*) AS n FROM volunteer_not_duplicates'), 0);

	// Two people who share no contact details are not a pair to mark.
	for (const [name, email] of [['Solo Person', 'solo.one@example.org'], ['Lone Person', 'lone.two@example.org']]) {
		assert.strictEqual((await volunteerFrom('198.51.100.3', { name, email, consent: 'yes' })).status, 303);
	}
	const a = volunteerId('Solo Person');
	const b = volunteerId('Lone Person');
	assert.strictEqual((await fac.post(`/programmes/${PROGRAMME}/volunteers/${a}/different/${b}`, { csrf, note: '' })).status, 404);
	assert.strictEqual(count('SELECT COUNT(*) AS n FROM volunteer_not_duplicates'), 0);
});
