// volunteers.test.js: two people who share an email or phone (a parent and an adult
// child sharing a phone) marked by a facilitator as different people, so that the pair
// is no longer flagged, with the mark shown, audited and taken back; and the public form
// to take part protected from programs that would fill it with made-up people (a limit
// per connection and a field hidden from everyone), while people sending it as usual,
// and facilitators recording someone met in person, notice nothing.
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
async function volunteerFrom(address, fill, extra = []) {
	const visitor = srv.client();
	const headers = { 'X-Real-IP': address };
	const res = await visitor.get(PAGE, { headers });
	assert.strictEqual(res.status, 200);
	return visitor.post(PAGE, [...formData(findForm(res.body, PAGE), fill), ...extra], { headers });
}

function escapeRe(s) {
	return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

// "3:45pm" (GOV.UK style, Salford's clock) for the first minute after the hour since the
// first form counted for ADDRESS, as the page says it, with " tomorrow" past midnight.
function expectedAfter(address) {
	const first = sql(srv.dbPath, `SELECT MIN(at) AS at FROM sign_in_failures WHERE key = 'interest ${q(address)}'`)[0].at;
	const until = Date.parse(first) + 3600 * 1000 + 59 * 1000;
	const parts = (ms) => Object.fromEntries(new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(new Date(ms)).map((p) => [p.type, p.value]));
	const p = parts(until);
	const h = Number(p.hour);
	const m = Number(p.minute);
	let t;
	if (m === 0 && h === 0) t = 'midnight';
	else if (m === 0 && h === 12) t = 'midday';
	else t = `${h % 12 || 12}${m ? ':' + String(m).padStart(2, '0') : ''}${h < 12 ? 'am' : 'pm'}`;
	const today = parts(Date.now());
	return p.day !== today.day ? `${t} tomorrow` : t;
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
	assert.match(textOf(main(page.body)), /These two records have the same phone number\./, 'says what they share');
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
	assert.strictEqual(undo.headers.location, `${base}/${low}?done=duplicate_again&with=${high}`);
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
	// Their comparison says so, offers no "different people", and merging stays possible.
	const compare = `/programmes/${PROGRAMME}/volunteers/${a}/merge/${b}`;
	const page = await fac.get(compare);
	assert.strictEqual(page.status, 200);
	const text = textOf(main(page.body));
	assert.match(text, /These two records do not have the same email address or phone number/);
	assert.ok(!/have the same email address or phone number\. If they are the same person/.test(text));
	assert.ok(!/These are different people/.test(text), 'no offer that would lead nowhere');
	assert.ok(!page.body.includes(`/different/${b}"`));
	findForm(page.body, compare);
	const merged = await submit(fac, compare, compare, { keep: String(a) });
	assert.strictEqual(merged.status, 303);
	assert.strictEqual(merged.headers.location, `/programmes/${PROGRAMME}/volunteers/${a}?done=merged`);
});

test('the public form has a field hidden from everyone; left empty, as people leave it, the form is kept as usual', async () => {
	const visitor = srv.client();
	const page = await visitor.get(PAGE, { headers: { 'X-Real-IP': '192.0.2.10' } });
	const body = main(page.body);
	const wrapper = body.match(/<div class="govuk-visually-hidden" aria-hidden="true">([\s\S]*?)<\/div>/);
	assert.ok(wrapper, 'a visually hidden wrapper, hidden from screen readers too');
	// Named so that no autofill (address profiles, password managers) fills it in.
	assert.match(wrapper[1], /<label for="leave_this_empty">Leave this empty<\/label>/);
	const input = wrapper[1].match(/<input[^>]*name="leave_this_empty"[^>]*>/);
	assert.match(input[0], /id="leave_this_empty"/);
	assert.ok(!/name="(website|url|company|organization)"/.test(page.body), 'no field an autofill would fill');
	assert.ok(input, 'the hidden field');
	assert.match(input[0], /tabindex="-1"/);
	assert.match(input[0], /autocomplete="off"/);
	// The facilitator's own form for someone met in person has no such field.
	const inPerson = await fac.get(`/programmes/${PROGRAMME}/volunteers/new`);
	assert.ok(!/name="leave_this_empty"/.test(inPerson.body));

	const res = await visitor.post(PAGE, formData(findForm(page.body, PAGE), { name: 'Real Person', email: 'real.person@example.org', consent: 'yes' }), { headers: { 'X-Real-IP': '192.0.2.10' } });
	assert.strictEqual(res.status, 303);
	assert.match(res.headers.location, /^\/programmes\/young-adults\/interest\/[0-9a-f]{64}$/);
	assert.strictEqual(count("SELECT COUNT(*) AS n FROM volunteers WHERE name = 'Real Person'"), 1);
});

test('a form with the hidden field filled in gets the usual thank-you page and nothing is kept, but facilitators see how many were set aside', async () => {
	const before = count('SELECT COUNT(*) AS n FROM volunteers');
	const auditBefore = count("SELECT COUNT(*) AS n FROM audit_log WHERE entity = 'volunteer'");
	const volunteersPage = `/programmes/${PROGRAMME}/volunteers`;
	assert.ok(!/set aside as automated/.test(textOf(main((await fac.get(volunteersPage)).body))), 'nothing said while none were set aside');
	// A field called "website" is no longer the hidden one: an autofill filling it harms nobody.
	const autofilled = await volunteerFrom('192.0.2.11', { name: 'Autofilled Person', email: 'autofilled@example.org', consent: 'yes' }, [['website', 'http://my.example']]);
	assert.strictEqual(autofilled.status, 303);
	assert.strictEqual(count("SELECT COUNT(*) AS n FROM volunteers WHERE name = 'Autofilled Person'"), 1);
	const res = await volunteerFrom('192.0.2.11', { name: 'Spam Bot', email: 'bot@example.org', consent: 'yes', leave_this_empty: 'http://spam.example' });
	assert.strictEqual(res.status, 200);
	const text = textOf(main(res.body));
	assert.match(text, /Thank you for volunteering/);
	assert.match(text, /What happens next/);
	assert.ok(!/about-you/.test(res.body), 'no link to questions about someone who was not kept');
	assert.strictEqual(count('SELECT COUNT(*) AS n FROM volunteers'), before + 1);
	assert.strictEqual(count("SELECT COUNT(*) AS n FROM volunteers WHERE name = 'Spam Bot'"), 0);
	assert.strictEqual(count("SELECT COUNT(*) AS n FROM audit_log WHERE entity = 'volunteer'"), auditBefore + 1);
	// A trace without anything that was sent, nor who sent it.
	const trace = sql(srv.dbPath, "SELECT account_id, address, before_json, after_json FROM audit_log WHERE action = 'interest_set_aside'");
	assert.strictEqual(trace.length, 1);
	assert.deepStrictEqual([trace[0].account_id, trace[0].address, trace[0].before_json, trace[0].after_json], [null, null, null, null]);
	const shown = textOf(main((await fac.get(volunteersPage)).body));
	assert.match(shown, /1 form sent in the last 30 days was set aside as automated/);
	// Only the programme's own staff see it.
	const local = await signedIn(LOCAL);
	assert.strictEqual((await local.get(volunteersPage)).status, 403);
});

test('ten forms an hour from one connection, then a plain message with 429; other connections and facilitators are not held back', async () => {
	const address = '203.0.113.7';
	for (let i = 1; i <= 10; i++) {
		// A mistake is not counted: people may correct a form as often as they need.
		if (i === 3) {
			const mistake = await volunteerFrom(address, { name: '', email: 'limit@example.org', consent: 'yes' });
			assert.strictEqual(mistake.status, 400);
		}
		const fill = { name: `Limit Person ${i}`, email: `limit.${i}@example.org`, consent: 'yes' };
		if (i === 5) fill.leave_this_empty = 'http://spam.example'; // the hidden field counts too
		const res = await volunteerFrom(address, fill);
		assert.strictEqual(res.status, i === 5 ? 200 : 303, `form ${i}: ${res.status}`);
	}
	assert.strictEqual(count("SELECT COUNT(*) AS n FROM volunteers WHERE name LIKE 'Limit Person %'"), 9);

	// The eleventh gets the form back with everything typed, and ways on.
	const refused = await volunteerFrom(address, { name: HOSTILE, email: 'limit.11@example.org', phone: '07700 900411', cares_about: 'Parks & buses', consent: 'yes' });
	assert.strictEqual(refused.status, 429);
	const text = textOf(main(refused.body));
	assert.match(summary(refused.body), /Your form has not been sent yet, because many forms have been sent from this connection in the last hour/);
	assert.match(refused.body, /<a href="#limit">/, 'the summary links to the explanation');
	assert.match(text, /shared computer or Wi-Fi, for example in a library/);
	assert.match(text, new RegExp(`send this form again after ${escapeRe(expectedAfter(address))}`));
	assert.match(text, /ask a facilitator at any of the Young adults[^.]* sessions to add you/i);
	assert.ok(main(refused.body).includes(`href="/programmes/${PROGRAMME}"`), 'links to the programme for its contacts');
	assert.ok(!/429|Too many/.test(text), 'no jargon');
	const kept = findForm(refused.body, PAGE);
	const value = (n) => (kept.fields.find((f) => f.name === n) || {}).value;
	assert.strictEqual(value('name'), HOSTILE, 'the name is kept');
	assert.strictEqual(value('email'), 'limit.11@example.org');
	assert.strictEqual(value('phone'), '07700 900411');
	assert.ok(refused.body.includes('>Parks &amp; buses</textarea>'), 'what they care about is kept');
	assert.match(refused.body, /id="consent" name="consent" type="checkbox" value="yes" checked/);
	assert.ok(main(refused.body).includes('value="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; son"'), 'kept as text');
	assert.ok(!main(refused.body).includes('<script>alert'));
	assert.strictEqual(count("SELECT COUNT(*) AS n FROM volunteers WHERE email = 'limit.11@example.org'"), 0);

	// Before typing anything, the form warns them.
	const warned = await srv.client().get(PAGE, { headers: { 'X-Real-IP': address } });
	assert.strictEqual(warned.status, 200);
	assert.match(textOf(main(warned.body)), new RegExp(`You may not be able to send this form from here until after ${escapeRe(expectedAfter(address))}`));
	assert.ok(!/govuk-error-summary/.test(warned.body), 'not an error before they have done anything');
	const fresh = await srv.client().get(PAGE, { headers: { 'X-Real-IP': '203.0.113.99' } });
	assert.ok(!/You may not be able to send this form/.test(fresh.body), 'other connections are not warned');

	// The form itself can still be read, and another connection can still send it.
	const visitor = srv.client();
	assert.strictEqual((await visitor.get(PAGE, { headers: { 'X-Real-IP': address } })).status, 200);
	assert.strictEqual((await volunteerFrom('203.0.113.8', { name: 'Neighbour Person', email: 'neighbour@example.org', consent: 'yes' })).status, 303);

	// A facilitator recording someone met in person, on the same connection, is not limited.
	const newPage = `/programmes/${PROGRAMME}/volunteers/new`;
	const headers = { 'X-Real-IP': address };
	const form = await fac.get(newPage, { headers });
	assert.strictEqual(form.status, 200);
	const recorded = await fac.post(newPage, formData(findForm(form.body, newPage), { name: 'Met In Person', phone: '07700 900999', consent: 'yes' }), { headers });
	assert.strictEqual(recorded.status, 303, recorded.body.slice(0, 300));
	assert.strictEqual(count("SELECT COUNT(*) AS n FROM volunteers WHERE name = 'Met In Person'"), 1);
	// Nor is someone signed in sending the public form.
	const me = await fac.get(PAGE, { headers });
	const own = await fac.post(PAGE, formData(findForm(me.body, PAGE), { phone: '07700 900998', consent: 'yes' }), { headers });
	assert.strictEqual(own.status, 303);
	// Sign-in from that connection is not affected by the forms it sent.
	assert.strictEqual(count("SELECT COUNT(*) AS n FROM sign_in_failures WHERE key = '203.0.113.7'"), 0);
});

test('a household on IPv6 is one connection: its whole /64 shares the limit, and the next /64 does not', async () => {
	for (let i = 1; i <= 10; i++) {
		const res = await volunteerFrom(`2001:db8:77:1:${i.toString(16)}::${i}`, { name: `Six Person ${i}`, email: `six.${i}@example.org`, consent: 'yes' });
		assert.strictEqual(res.status, 303, `form ${i}: ${res.status}`);
	}
	const refused = await volunteerFrom('2001:db8:77:1:abcd::99', { name: 'Six Person 11', email: 'six.11@example.org', consent: 'yes' });
	assert.strictEqual(refused.status, 429);
	assert.strictEqual((await volunteerFrom('2001:db8:77:2::1', { name: 'Six Neighbour', email: 'six.n@example.org', consent: 'yes' })).status, 303);
	// An IPv4 visitor written the IPv6 way is the same connection as written plainly.
	for (let i = 1; i <= 10; i++) {
		const res = await volunteerFrom('::ffff:203.0.113.60', { name: `Mapped Person ${i}`, email: `mapped.${i}@example.org`, consent: 'yes' });
		assert.strictEqual(res.status, 303);
	}
	assert.strictEqual((await volunteerFrom('203.0.113.60', { name: 'Mapped Person 11', email: 'mapped.11@example.org', consent: 'yes' })).status, 429);
});

test('taking back "different people" for two people in a published lottery warns that the panel lead must resolve it before the draw', async () => {
	for (const name of ['Pat Pooled', 'Kim Pooled']) {
		assert.strictEqual((await volunteerFrom('198.51.100.40', { name, phone: '07700 900777', consent: 'yes' })).status, 303);
	}
	const one = volunteerId('Pat Pooled');
	const two = volunteerId('Kim Pooled');
	const [low, high] = one < two ? [one, two] : [two, one];
	const base = `/programmes/${PROGRAMME}/volunteers`;
	const compare = `${base}/${low}/merge/${high}`;
	const different = `${base}/${low}/different/${high}`;
	assert.strictEqual((await submit(fac, compare, different, { note: '' })).status, 303);
	const programme = sql(srv.dbPath, `SELECT id FROM programmes WHERE slug = '${PROGRAMME}'`)[0].id;
	sql(srv.dbPath, `INSERT INTO panels (programme_id, name, places, status, created_at, updated_at) VALUES (${programme}, 'Test <Spring> panel', 2, 'published', 'x', 'x'), (${programme}, 'Test draft panel', 2, 'draft', 'x', 'x')`);
	sql(srv.dbPath, `INSERT INTO panel_pool (panel_id, volunteer_id) SELECT p.id, v.id FROM panels p, volunteers v WHERE p.name IN ('Test <Spring> panel', 'Test draft panel') AND v.id IN (${one}, ${two})`);

	const warning = /Both of them are in the pool of Test <Spring> panel, whose lottery has been published\. If you mark them as possible duplicates again, the panel’s lead will have to resolve this before the draw\./;
	const page = await fac.get(compare);
	assert.match(textOf(main(page.body)), warning);
	assert.ok(main(page.body).includes('Test &lt;Spring&gt; panel'), 'the panel name is text');
	assert.ok(!/Test draft panel/.test(page.body), 'a draft panel has no lottery to warn about');
	assert.match(textOf(main((await fac.get(`${base}/${low}`)).body)), warning);

	const undo = await submit(fac, compare, `${different}/undo`, {});
	assert.strictEqual(undo.status, 303);
	const after = textOf(main((await fac.get(undo.headers.location)).body));
	assert.match(after, /They are shown as possible duplicates of each other again\. Both are in the pool of Test <Spring> panel, whose lottery has been published: the panel’s lead will have to resolve this before the draw\./);

	// Without a published panel holding both, the usual words and no warning.
	sql(srv.dbPath, "UPDATE panels SET status = 'drawn' WHERE name = 'Test <Spring> panel'");
	assert.strictEqual((await submit(fac, compare, different, { note: '' })).status, 303);
	assert.ok(!/whose lottery has been published/.test(textOf(main((await fac.get(compare)).body))));
	const again = await submit(fac, compare, `${different}/undo`, {});
	const plain = textOf(main((await fac.get(again.headers.location)).body));
	assert.match(plain, /They are shown as possible duplicates of each other again\./);
	assert.ok(!/whose lottery/.test(plain));
});
