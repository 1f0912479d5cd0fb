// recruitment.test.js: community assets, expressions of interest, volunteers' stages,
// duplicates and induction, through the real server as people meet them: a resident
// volunteering on the public form (mistakes kept beside the field, hostile text shown as
// text, the confirmation linking to the optional questions); a facilitator recording
// someone met in person, moving people through the stages, merging two records of the
// same person and ticking the induction checklist; and everyone else refused (403 for a
// role the page is not for, 404 for a programme they do not run).
'use strict';

const { test, before, after } = require('node:test');
const assert = require('assert');
const { startServer } = require('./lib');
const { sql, submit, findForm, formData, textOf } = require('./helpers_basic');

const PASSWORD = 'demo-password-2026';
const LEAD = 'programme.lead@example.org';
const LOCAL = 'local.person@example.org';
const FACILITATOR = 'facilitator@example.org';
const MAKER = 'decision.maker@example.org';
const BOARD = 'board.member@example.org';
const HOSTILE = '<script>alert("x")</script> & friends';
const PROGRAMME = 'young-adults';
const ORDSALL = 'E05013028';

let srv;
let fac;
let lead;

async function signedIn(email) {
	const c = srv.client();
	const res = await c.signIn(email, PASSWORD);
	assert.strictEqual(res.status, 303, `signing in as ${email}: ${res.status}`);
	return c;
}

function summary(html) {
	const m = html.match(/<div class="govuk-error-summary"[\s\S]*?<\/ul>/);
	return m ? textOf(m[0]).trim() : '';
}

function main(html) {
	const m = html.match(/<main[\s\S]*<\/main>/);
	return m ? m[0] : html;
}

function q(s) {
	return s.replace(/'/g, "''");
}

// Sends the public form to take part, as a visitor who is not signed in.
async function volunteer(client, fill, extra = []) {
	const page = `/programmes/${PROGRAMME}/interest`;
	const res = await client.get(page);
	assert.strictEqual(res.status, 200);
	const form = findForm(res.body, page);
	return client.post(page, [...formData(form, fill), ...extra]);
}

function volunteerId(name) {
	const rows = sql(srv.dbPath, `SELECT id FROM volunteers WHERE name = '${q(name)}' AND merged_into IS NULL ORDER BY id`);
	assert.ok(rows.length, `no volunteer called ${name}`);
	return rows[rows.length - 1].id;
}

before(async () => {
	srv = await startServer();
	// Two wards, whatever the demo holds, so the ward question has answers.
	sql(srv.dbPath, `INSERT OR IGNORE INTO wards (code, name, population_2021) VALUES ('${ORDSALL}', 'Ordsall', 10094), ('E05013024', 'Eccles', 14523)`);
	// A programme that the demo facilitator does not run.
	sql(srv.dbPath, "INSERT INTO programmes (slug, name, summary, published, created_at, updated_at) VALUES ('test-recruit-other', 'Another programme', 'For tests', 1, '2022-01-01T00:00:00Z', '2022-01-01T00:00:00Z'), ('test-recruit-draft', 'A draft programme', 'For tests', 0, '2022-01-01T00:00:00Z', '2022-01-01T00:00:00Z')");
	fac = await signedIn(FACILITATOR);
	lead = await signedIn(LEAD);
});

after(async () => {
	if (srv) await srv.stop();
});

test('anyone can volunteer: mistakes are explained beside the field and what was typed is kept', async () => {
	const visitor = srv.client();
	const form = await visitor.get(`/programmes/${PROGRAMME}/interest`);
	assert.strictEqual(form.status, 200);
	assert.match(form.body, /name="csrf"/);
	assert.match(form.body, /I’m not sure/);
	assert.match(form.body, new RegExp(`<option value="${ORDSALL}">Ordsall</option>`));
	assert.match(form.body, /British Sign Language/);
	assert.match(form.body, /Only the facilitators and programme leads who run it will see them/);

	const bad = await volunteer(visitor, { name: HOSTILE, email: 'not-an-email', postcode: '??' });
	assert.strictEqual(bad.status, 400);
	const errors = summary(bad.body);
	assert.match(errors, /Enter an email address in the correct format/);
	assert.match(errors, /Enter a real postcode/);
	assert.match(errors, /Tick the box to say you agree/);
	assert.ok(!bad.body.includes('<script>alert'), 'the typed name is escaped');
	assert.ok(bad.body.includes('value="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; friends"'), 'the typed name is kept');

	const none = await volunteer(visitor, { name: 'Nobody To Reach', consent: 'yes' });
	assert.strictEqual(none.status, 400);
	assert.match(summary(none.body), /Give at least one way to get in touch/);
	assert.strictEqual(sql(srv.dbPath, "SELECT COUNT(*) AS n FROM volunteers WHERE name = 'Nobody To Reach'")[0].n, 0);
});

test('a volunteer is told what happens next and can answer the optional questions', async () => {
	const visitor = srv.client();
	const res = await volunteer(visitor, {
		name: 'Robin Tester', email: 'robin.tester@example.org', ward: ORDSALL,
		cares_about: 'Buses in the evening', consent: 'yes',
	}, [['access_needs', 'bsl'], ['access_needs', 'step-free'], ['preferred_times', 'saturdays']]);
	assert.strictEqual(res.status, 303, res.body);
	const m = res.headers.location.match(/^\/programmes\/young-adults\/interest\/([0-9a-f]{64})$/);
	assert.ok(m, res.headers.location);
	const row = sql(srv.dbPath, "SELECT stage, consent_version, consent_method, access_needs, preferred_times, monitoring_ref, ward_code FROM volunteers WHERE name = 'Robin Tester'")[0];
	assert.strictEqual(row.stage, 'volunteered');
	assert.strictEqual(row.consent_method, 'online');
	assert.ok(row.consent_version.length > 0);
	assert.strictEqual(row.access_needs, 'bsl,step-free');
	assert.strictEqual(row.preferred_times, 'saturdays');
	assert.strictEqual(row.ward_code, ORDSALL);
	assert.strictEqual(row.monitoring_ref, m[1]);

	const thanks = await visitor.get(res.headers.location);
	assert.strictEqual(thanks.status, 200);
	assert.match(thanks.body, /Thank you for volunteering/);
	assert.match(thanks.body, /What happens next/);
	assert.ok(thanks.body.includes(`href="/interest/${m[1]}/about-you"`));
	assert.match(thanks.body, /Answer some optional questions about yourself/);
	assert.ok(!thanks.body.includes('robin.tester'), 'the confirmation shows nothing personal');

	assert.strictEqual((await visitor.get(`/programmes/${PROGRAMME}/interest/${'0'.repeat(64)}`)).status, 404);
	assert.strictEqual((await visitor.get('/programmes/test-recruit-other/interest/' + m[1])).status, 404);
	assert.strictEqual((await visitor.get('/programmes/test-recruit-draft/interest')).status, 404);
});

test('only the facilitators and leads of a programme see its volunteers', async () => {
	const visitor = srv.client();
	const list = `/programmes/${PROGRAMME}/volunteers`;
	const signedOut = await visitor.get(list);
	assert.strictEqual(signedOut.status, 303);
	for (const email of [LOCAL, MAKER, BOARD]) {
		const c = await signedIn(email);
		assert.strictEqual((await c.get(list)).status, 403, email);
		assert.strictEqual((await c.get(`/programmes/${PROGRAMME}/induction`)).status, 403, email);
		assert.strictEqual((await c.get('/asset-register')).status, 403, email);
	}
	const mine = await fac.get(list);
	assert.strictEqual(mine.status, 200);
	assert.match(mine.body, /Robin Tester/);
	assert.strictEqual((await lead.get(list)).status, 200);
	// A facilitator who does not run a programme's groups is told it is not there.
	assert.strictEqual((await fac.get('/programmes/test-recruit-other/volunteers')).status, 404);
	assert.strictEqual((await lead.get('/programmes/test-recruit-other/volunteers')).status, 200);
	const id = volunteerId('Robin Tester');
	assert.strictEqual((await fac.get(`/programmes/test-recruit-other/volunteers/${id}`)).status, 404);
	assert.strictEqual((await lead.get(`/programmes/test-recruit-other/volunteers/${id}`)).status, 404);
	assert.strictEqual((await fac.get(`/programmes/${PROGRAMME}/volunteers/999999`)).status, 404);
	assert.strictEqual((await fac.get(`/programmes/${PROGRAMME}/volunteers?stage=famous`)).status, 404);
});

test('a facilitator records someone met in person, with their consent', async () => {
	const page = `/programmes/${PROGRAMME}/volunteers/new`;
	const refused = await submit(fac, page, page, { name: HOSTILE, phone: '0161 496 0000' });
	assert.strictEqual(refused.status, 400);
	assert.match(summary(refused.body), /Confirm that they agreed/);
	assert.match(refused.body, /I have read this to them and they agreed/);

	const ok = await submit(fac, page, page, { name: HOSTILE, phone: '0161 496 0000', household_key: 'Flat 2', consent: 'yes' });
	assert.strictEqual(ok.status, 303);
	assert.match(ok.headers.location, /^\/programmes\/young-adults\/volunteers\/\d+\?done=recorded$/);
	const shown = await fac.get(ok.headers.location);
	assert.strictEqual(shown.status, 200);
	assert.match(shown.body, /They have been recorded/);
	assert.match(shown.body, /Given in person on .* recorded by Demo Facilitator Priya/);
	// With them, the facilitator can go through the optional questions, kept apart.
	assert.match(shown.body, /href="\/interest\/[0-9a-f]{64}\/about-you"/);
	assert.ok(!shown.body.includes('<script>alert'));
	assert.ok(shown.body.includes('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; friends'));
	const listed = await fac.get(`/programmes/${PROGRAMME}/volunteers`);
	assert.ok(!listed.body.includes('<script>alert'));
	assert.ok(listed.body.includes('&lt;script&gt;'));
});

test('stages change with a reason for leaving, and the history says who and when', async () => {
	const id = volunteerId('Robin Tester');
	const page = `/programmes/${PROGRAMME}/volunteers/${id}`;
	const action = `${page}/stage`;
	const noReason = await submit(fac, page, action, { stage: 'left' });
	assert.strictEqual(noReason.status, 400);
	assert.match(summary(noReason.body), /Say why they left/);
	assert.match(noReason.body, /value="left" checked/);

	const contacted = await submit(fac, page, action, { stage: 'contacted', reason: 'Phoned on Monday' });
	assert.strictEqual(contacted.status, 303);
	const shown = await fac.get(page);
	assert.match(main(shown.body), /Stage: <strong class="govuk-tag">Contacted<\/strong>/);
	assert.match(textOf(shown.body), /Volunteered to Contacted Phoned on Monday Demo Facilitator Priya/);
	assert.ok(!/about-you/.test(shown.body), 'someone who volunteered online answers for themselves');

	const counts = await fac.get(`/programmes/${PROGRAMME}/volunteers?stage=contacted`);
	assert.strictEqual(counts.status, 200);
	assert.match(counts.body, /Robin Tester/);
	const others = await fac.get(`/programmes/${PROGRAMME}/volunteers?stage=active`);
	assert.ok(!others.body.includes('Robin Tester'));
});

test('a facilitator corrects a volunteer\'s details without asking for consent again', async () => {
	const id = volunteerId('Robin Tester');
	const page = `/programmes/${PROGRAMME}/volunteers/${id}/edit`;
	const form = await fac.get(page);
	assert.strictEqual(form.status, 200);
	assert.match(form.body, /Change their details/);
	assert.ok(form.body.includes('value="robin.tester@example.org"'), 'the stored email is shown');
	assert.match(form.body, /value="bsl" checked/);
	assert.ok(!form.body.includes('name="consent"'), 'consent is not asked again');

	const bad = await submit(fac, page, page, { phone: 'call me maybe' });
	assert.strictEqual(bad.status, 400);
	assert.match(summary(bad.body), /Enter a phone number/);
	assert.ok(bad.body.includes('value="call me maybe"'));

	const ok = await submit(fac, page, page, { phone: '07700 900321', access_needs_other: HOSTILE });
	assert.strictEqual(ok.status, 303);
	assert.match(ok.headers.location, /\?done=updated$/);
	const shown = await fac.get(ok.headers.location);
	assert.match(shown.body, /Their details have been changed/);
	assert.match(shown.body, /07700 900321/);
	assert.ok(shown.body.includes('&lt;script&gt;alert'));
	assert.ok(!shown.body.includes('<script>alert'));
	const audit = sql(srv.dbPath, `SELECT after_json FROM audit_log WHERE entity = 'volunteer' AND action = 'update' AND entity_id = ${id}`);
	assert.strictEqual(audit.length, 1);
	assert.deepStrictEqual(JSON.parse(audit[0].after_json), { changed: ['phone', 'access_needs_other'] });
	const local = await signedIn(LOCAL);
	assert.strictEqual((await local.get(page)).status, 403);
	assert.strictEqual((await fac.get(`/programmes/test-recruit-other/volunteers/${id}/edit`)).status, 404);
});

test('two records of one person are flagged and merged by a facilitator, never silently', async () => {
	const visitor = srv.client();
	let res = await volunteer(visitor, { name: 'Dee Double', email: 'dee.double@example.org', consent: 'yes' });
	assert.strictEqual(res.status, 303);
	res = await volunteer(visitor, { name: 'D. Double', email: ' DEE.Double@Example.org ', phone: '07700 900555', consent: 'yes' });
	assert.strictEqual(res.status, 303);
	const list = await fac.get(`/programmes/${PROGRAMME}/volunteers`);
	assert.match(list.body, /Possible duplicate/);
	const links = [...list.body.matchAll(/href="(\/programmes\/young-adults\/volunteers\/\d+\/merge\/\d+)"/g)].map((x) => x[1]);
	const first = volunteerId('Dee Double');
	const second = volunteerId('D. Double');
	const compare = `/programmes/${PROGRAMME}/volunteers/${first}/merge/${second}`;
	assert.ok(links.includes(compare), `compare link ${compare} among ${links.join(' ')}`);
	assert.strictEqual(sql(srv.dbPath, `SELECT COUNT(*) AS n FROM volunteers WHERE merged_into IS NOT NULL AND id IN (${first}, ${second})`)[0].n, 0);

	const page = await fac.get(compare);
	assert.strictEqual(page.status, 200);
	assert.match(page.body, /Are these the same person\?/);
	assert.match(page.body, /Dee Double/);
	assert.match(page.body, /D\. Double/);
	const noChoice = await submit(fac, compare, compare, {});
	assert.strictEqual(noChoice.status, 400);
	assert.match(summary(noChoice.body), /Choose which record to keep/);

	const merged = await submit(fac, compare, compare, { keep: String(first) });
	assert.strictEqual(merged.status, 303);
	assert.strictEqual(merged.headers.location, `/programmes/${PROGRAMME}/volunteers/${first}?done=merged`);
	const kept = await fac.get(merged.headers.location);
	assert.match(kept.body, /merged into this one/);
	assert.match(kept.body, /07700 900555/, 'the phone number came over from the other record');
	assert.strictEqual(sql(srv.dbPath, `SELECT merged_into FROM volunteers WHERE id = ${second}`)[0].merged_into, first);
	assert.strictEqual(sql(srv.dbPath, `SELECT COUNT(*) AS n FROM audit_log WHERE entity = 'volunteer' AND action = 'merge' AND entity_id IN (${first}, ${second})`)[0].n, 2);
	const after = await fac.get(`/programmes/${PROGRAMME}/volunteers`);
	assert.ok(!after.body.includes('D. Double'), 'the merged record leaves the list');
	assert.strictEqual((await fac.get(compare)).status, 404, 'a merged pair cannot be merged again');
});

test('the induction checklist: the last tick makes someone inducted, and the programme sees who waits', async () => {
	const id = volunteerId('Robin Tester');
	const page = `/programmes/${PROGRAMME}/volunteers/${id}/induction`;
	const form = await fac.get(page);
	assert.strictEqual(form.status, 200);
	for (const label of ['Welcome conversation', 'Consent checked', 'Access needs arranged', 'Payment preference asked', 'Safeguarding information given', 'Travel arranged']) {
		assert.ok(form.body.includes(label), label);
	}
	const f = findForm(form.body, page);
	const base = formData(f, { 'note-access_needs': HOSTILE }).filter(([k]) => k !== 'done');
	let res = await fac.post(page, [...base, ['done', 'welcome'], ['done', 'consent']]);
	assert.strictEqual(res.status, 303);
	assert.match(res.headers.location, /\?done=induction$/);
	const waiting = await fac.get(`/programmes/${PROGRAMME}/induction`);
	assert.strictEqual(waiting.status, 200);
	assert.match(textOf(waiting.body), /Robin Tester Contacted 2 of 6/);
	const again = await fac.get(page);
	assert.ok(again.body.includes('value="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; friends"'));
	assert.ok(!again.body.includes('<script>alert'));

	const tooLong = await fac.post(page, [...formData(f, { 'note-travel': 'x'.repeat(300) }).filter(([k]) => k !== 'done'), ['done', 'welcome']]);
	assert.strictEqual(tooLong.status, 400);
	assert.match(summary(tooLong.body), /The note must be 200 characters or fewer/);

	const all = ['welcome', 'consent', 'access_needs', 'payment', 'safeguarding', 'travel'].map((s) => ['done', s]);
	res = await fac.post(page, [...base, ...all]);
	assert.strictEqual(res.status, 303);
	assert.match(res.headers.location, /\?done=inducted$/);
	const shown = await fac.get(res.headers.location);
	assert.match(shown.body, /they are now inducted/);
	assert.match(main(shown.body), /Stage: <strong class="govuk-tag">Inducted<\/strong>/);
	assert.match(textOf(shown.body), /Induction checklist complete/);
	const none = await fac.get(`/programmes/${PROGRAMME}/induction`);
	assert.ok(!none.body.includes('Robin Tester'));
	for (const email of [LOCAL, MAKER]) {
		const c = await signedIn(email);
		assert.strictEqual((await c.get(page)).status, 403, email);
	}
});

test('community assets: staff add and search them; the public sees only public ones', async () => {
	const visitor = srv.client();
	assert.strictEqual((await visitor.get('/community-assets')).status, 200);
	assert.strictEqual((await visitor.get('/asset-register')).status, 303);

	const bad = await submit(fac, '/asset-register/new', '/asset-register/new', { name: '', area_note: 'Kept area' });
	assert.strictEqual(bad.status, 400);
	assert.match(summary(bad.body), /Enter the name/);
	assert.match(summary(bad.body), /Choose what kind of asset this is/);
	assert.ok(bad.body.includes('value="Kept area"'));

	let res = await submit(fac, '/asset-register/new', '/asset-register/new', {
		name: HOSTILE, kind: 'participation_group', ward: ORDSALL,
		who_they_reach: 'Parents of disabled children', tags: 'Test Tag, carers', public: 'yes',
	});
	assert.strictEqual(res.status, 303);
	res = await submit(fac, '/asset-register/new', '/asset-register/new', { name: 'Staff Only Test Asset', kind: 'service', tags: 'test-tag' });
	assert.strictEqual(res.status, 303);
	const publicId = sql(srv.dbPath, `SELECT id FROM assets WHERE name = '${q(HOSTILE)}'`)[0].id;
	const staffId = sql(srv.dbPath, "SELECT id FROM assets WHERE name = 'Staff Only Test Asset'")[0].id;
	assert.strictEqual(sql(srv.dbPath, `SELECT tags FROM assets WHERE id = ${publicId}`)[0].tags, 'test-tag,carers');

	const pub = await visitor.get('/community-assets?tag=test-tag');
	assert.strictEqual(pub.status, 200);
	assert.ok(pub.body.includes('&lt;script&gt;alert'));
	assert.ok(!pub.body.includes('<script>alert'));
	assert.ok(!pub.body.includes('Staff Only Test Asset'));
	assert.strictEqual((await visitor.get(`/community-assets/${publicId}`)).status, 200);
	assert.strictEqual((await visitor.get(`/community-assets/${staffId}`)).status, 404);

	const staff = await fac.get('/asset-register?tag=test-tag');
	assert.match(staff.body, /Staff Only Test Asset/);
	assert.match(staff.body, /No, staff only/);
	const byWard = await fac.get(`/asset-register?ward=${ORDSALL}&kind=participation_group`);
	assert.ok(byWard.body.includes('&lt;script&gt;alert'));
	assert.ok(!byWard.body.includes('Staff Only Test Asset'));
	const byText = await visitor.get('/community-assets?q=DISABLED+children');
	assert.ok(byText.body.includes('&lt;script&gt;alert'));

	const edit = await submit(fac, `/asset-register/${staffId}`, `/asset-register/${staffId}`, { public: 'yes' });
	assert.strictEqual(edit.status, 303);
	assert.strictEqual((await visitor.get(`/community-assets/${staffId}`)).status, 200);
	assert.strictEqual((await fac.get('/asset-register/999999')).status, 404);
	const local = await signedIn(LOCAL);
	assert.strictEqual((await local.post('/asset-register/new', { name: 'x', kind: 'group', csrf: await local.csrf('/home') })).status, 403);
});

test('wards: staff see the Census populations; only a programme lead imports, whole or not at all', async () => {
	const page = await fac.get('/asset-register/wards');
	assert.strictEqual(page.status, 200);
	assert.match(page.body, /Ordsall/);
	assert.match(page.body, /10,094/);
	assert.ok(!page.body.includes('action="/asset-register/wards"'), 'a facilitator has no import form');
	const local = await signedIn(LOCAL);
	assert.strictEqual((await local.get('/asset-register/wards')).status, 403);
	assert.strictEqual((await fac.post('/asset-register/wards', { csv: 'code,name,population_2021\nE05013028,Ordsall,1', csrf: await fac.csrf('/asset-register/new') })).status, 403);

	const bad = await submit(lead, '/asset-register/wards', '/asset-register/wards', {
		csv: 'code,name,population_2021\nE05013028,Ordsall,99\nnot-a-code,<script>alert(1)</script> & co,5\nE05013024,Eccles,lots\n',
	});
	assert.strictEqual(bad.status, 400);
	const errors = summary(bad.body);
	assert.match(errors, /Line 3: The code must be an ONS ward code/);
	assert.match(errors, /Line 4: population_2021 must be a whole number/);
	assert.ok(!bad.body.includes('<script>alert'), 'the pasted text is escaped');
	assert.ok(bad.body.includes('&lt;script&gt;alert'), 'the pasted text is kept');
	assert.strictEqual(sql(srv.dbPath, `SELECT population_2021 AS n FROM wards WHERE code = '${ORDSALL}'`)[0].n, 10094, 'nothing was applied');

	const ok = await submit(lead, '/asset-register/wards', '/asset-register/wards', {
		csv: 'name,code,population_2021,population_2011,source\r\n"Weaste & Seedley",E05013036,16357,13162,ONS Census\r\n',
	});
	assert.strictEqual(ok.status, 303);
	const after = await lead.get(ok.headers.location);
	assert.match(after.body, /The wards have been imported/);
	assert.match(after.body, /Weaste &amp; Seedley/);
	assert.match(after.body, /16,357/);
	const form = await fac.get(`/programmes/${PROGRAMME}/volunteers/new`);
	assert.match(form.body, /<option value="E05013036">Weaste &amp; Seedley<\/option>/, 'the imported ward can be chosen');
});

test('a facilitator removes someone\'s details when they ask', async () => {
	const visitor = srv.client();
	const res = await volunteer(visitor, { name: 'Erin Erase', phone: '07700 900777', consent: 'yes' });
	assert.strictEqual(res.status, 303);
	const id = volunteerId('Erin Erase');
	const page = `/programmes/${PROGRAMME}/volunteers/${id}`;
	const shown = await fac.get(page);
	assert.ok(shown.body.includes(`href="${page}/remove"`));
	const confirm = await fac.get(`${page}/remove`);
	assert.strictEqual(confirm.status, 200);
	assert.match(confirm.body, /This cannot be undone/);
	const local = await signedIn(LOCAL);
	assert.strictEqual((await local.get(`${page}/remove`)).status, 403);
	assert.strictEqual((await fac.get(`/programmes/test-recruit-other/volunteers/${id}/remove`)).status, 404);

	const done = await submit(fac, `${page}/remove`, `${page}/remove`, {});
	assert.strictEqual(done.status, 303);
	assert.strictEqual(done.headers.location, `/programmes/${PROGRAMME}/volunteers?done=removed`);
	const list = await fac.get(done.headers.location);
	assert.match(list.body, /Their details have been removed/);
	assert.ok(!list.body.includes('Erin Erase'));
	const row = sql(srv.dbPath, `SELECT name, phone, stage FROM volunteers WHERE id = ${id}`)[0];
	assert.deepStrictEqual(row, { name: 'Details removed', phone: null, stage: 'left' });
	const after = await fac.get(page);
	assert.match(after.body, /Their details were removed at their request/);
	assert.strictEqual((await fac.get(`${page}/remove`)).status, 404);
});

// The input named NAME on HTML, as a tag, or '' when there is none.
function inputTag(html, name) {
	const m = html.match(new RegExp(`<input[^>]*\\sname="${name}"[^>]*>`));
	return m ? m[0] : '';
}

test('a postcode is checked as a postcode: a wrong one is a mistake beside the field, and every spelling is stored one way', async () => {
	const visitor = srv.client();
	const typed = { name: 'Postcode Tester', email: 'postcode.tester@example.org', cares_about: 'Parks & <b>play</b>', consent: 'yes' };
	for (const postcode of ['not a postcode', 'abc def', 'M6 5ZZZ', 'M6', 'M'.repeat(500)]) {
		const res = await volunteer(visitor, { ...typed, postcode });
		assert.strictEqual(res.status, 400, `${postcode}: ${res.status}`);
		assert.ok(!/problem with the service/i.test(res.body), `${postcode} is not a failure of the service`);
		assert.match(summary(res.body), /Enter a real postcode, like M6 5FX/);
		const page = main(res.body);
		assert.match(page, /<p id="postcode-error" class="govuk-error-message"><span class="govuk-visually-hidden">Error:<\/span> Enter a real postcode/);
		assert.match(inputTag(page, 'postcode'), /govuk-input--error/);
		// Everything typed is kept, escaped.
		assert.ok(inputTag(page, 'name').includes('value="Postcode Tester"'));
		assert.ok(inputTag(page, 'email').includes('value="postcode.tester@example.org"'));
		assert.ok(page.includes('Parks &amp; &lt;b&gt;play&lt;/b&gt;</textarea>'), 'what they care about is kept');
		assert.match(inputTag(page, 'consent'), /\schecked/);
	}
	assert.strictEqual(sql(srv.dbPath, "SELECT COUNT(*) AS n FROM volunteers WHERE name = 'Postcode Tester'")[0].n, 0);

	for (const [postcode, stored] of [['m65zz', 'M6 5ZZ'], ['M6  5ZZ', 'M6 5ZZ'], [' m50 3ab ', 'M50 3AB']]) {
		const name = `Postcode Stored ${postcode.trim()}`;
		const res = await volunteer(visitor, { name, email: 'postcode.stored@example.org', postcode, consent: 'yes' });
		assert.strictEqual(res.status, 303, `${postcode}: ${res.status}`);
		assert.strictEqual(sql(srv.dbPath, `SELECT postcode FROM volunteers WHERE name = '${q(name)}'`)[0].postcode, stored);
	}
	// Both spellings of one postcode land on the same value.
	assert.strictEqual(sql(srv.dbPath, "SELECT COUNT(*) AS n FROM volunteers WHERE name LIKE 'Postcode Stored %' AND postcode = 'M6 5ZZ'")[0].n, 2);
});

test('someone signed in volunteers from their account: name and email filled in, and the record is theirs under About you', async () => {
	const me = sql(srv.dbPath, `SELECT id, display_name FROM accounts WHERE email = '${LOCAL}'`)[0];
	const c = await signedIn(LOCAL);
	sql(srv.dbPath, `UPDATE volunteers SET account_id = NULL WHERE account_id = ${me.id}`);
	const none = await c.get('/account/about-you');
	assert.match(none.body, /You have not volunteered/);

	const page = `/programmes/${PROGRAMME}/interest`;
	const form = await c.get(page);
	assert.strictEqual(form.status, 200);
	assert.ok(inputTag(form.body, 'name').includes(`value="${me.display_name}"`), 'their name is filled in');
	assert.ok(inputTag(form.body, 'email').includes(`value="${LOCAL}"`), 'their email is filled in');
	assert.match(form.body, /You are signed in, so we have filled in your name and email address/);

	const res = await c.post(page, formData(findForm(form.body, page), { phone: '07700 900 456', consent: 'yes' }));
	assert.strictEqual(res.status, 303, res.body);
	const row = sql(srv.dbPath, `SELECT id, name, email, account_id, consent_method FROM volunteers WHERE account_id = ${me.id}`);
	assert.strictEqual(row.length, 1);
	assert.strictEqual(row[0].name, me.display_name);
	assert.strictEqual(row[0].email, LOCAL);
	assert.strictEqual(row[0].consent_method, 'online');
	const audit = sql(srv.dbPath, `SELECT account_id, after_json FROM audit_log WHERE entity = 'volunteer' AND action = 'create' AND entity_id = ${row[0].id}`);
	assert.strictEqual(audit.length, 1);
	assert.strictEqual(audit[0].account_id, me.id);

	// The thank-you page offers their own "About you"; the page itself now finds them.
	const thanks = await c.get(res.headers.location);
	assert.strictEqual(thanks.status, 200);
	assert.match(thanks.body, /As you are signed in, this is saved on your account/);
	assert.ok(thanks.body.includes('href="/account/about-you"'));
	const about = await c.get('/account/about-you');
	assert.strictEqual(about.status, 200);
	assert.ok(!/You have not volunteered/.test(about.body), 'About you finds what they sent');

	// Someone else looking at the same thank-you page is not told to sign in.
	const other = await srv.client().get(res.headers.location);
	assert.strictEqual(other.status, 200);
	assert.ok(!other.body.includes('href="/account/about-you"'));
});

test('the thank-you page tells someone without an account how to change their details, not to sign in', async () => {
	const visitor = srv.client();
	const res = await volunteer(visitor, { name: 'No Account Person', contact_via_org: 'Demo Community Hub', consent: 'yes' });
	assert.strictEqual(res.status, 303, res.body);
	assert.strictEqual(sql(srv.dbPath, "SELECT account_id FROM volunteers WHERE name = 'No Account Person'")[0].account_id, null);
	const thanks = await visitor.get(res.headers.location);
	const text = textOf(main(thanks.body));
	assert.match(text, /Changing what you told us/);
	assert.match(text, /tell the facilitator when they get in touch with you/);
	assert.match(text, /You do not need an account or an email address to do this/);
	assert.ok(!/sign in/i.test(text), 'nobody is sent to sign in to an account they do not have');
	assert.ok(!thanks.body.includes('href="/account/about-you"'));
	assert.ok(thanks.body.includes('href="/privacy"'));
	const lead = sql(srv.dbPath, `SELECT a.display_name FROM programmes p JOIN accounts a ON a.id = p.lead_account_id WHERE p.slug = '${PROGRAMME}'`);
	if (lead.length) assert.ok(text.includes(`${lead[0].display_name}, who leads`), 'the programme lead is named as someone who can help');
});

test('a facilitator acting for someone fills in the form for them: it is linked to that person and consent is recorded as in person', async () => {
	const c = await signedIn(FACILITATOR);
	const facId = sql(srv.dbPath, `SELECT id FROM accounts WHERE email = '${FACILITATOR}'`)[0].id;
	const person = sql(srv.dbPath, 'SELECT id, display_name FROM accounts WHERE assisted = 1 AND disabled_at IS NULL ORDER BY id LIMIT 1')[0];
	assert.ok(person, 'the demo has someone taking part through a facilitator');
	assert.strictEqual((await c.post(`/acting-for/${person.id}`, { csrf: await c.csrf('/assisted') })).status, 303);
	try {
		const page = `/programmes/${PROGRAMME}/interest`;
		const form = await c.get(page);
		assert.strictEqual(form.status, 200);
		assert.ok(inputTag(form.body, 'name').includes(`value="${person.display_name}"`), 'their name is filled in');
		assert.match(textOf(main(form.body)), new RegExp(`You are filling this in for ${person.display_name}`));
		const res = await c.post(page, formData(findForm(form.body, page), { contact_via_org: 'Demo Community Hub', consent: 'yes' }));
		assert.strictEqual(res.status, 303, res.body);
		const rows = sql(srv.dbPath, `SELECT account_id, consent_method, recorded_by FROM volunteers WHERE account_id = ${person.id} ORDER BY id DESC LIMIT 1`);
		assert.strictEqual(rows.length, 1);
		assert.strictEqual(rows[0].consent_method, 'in_person');
		assert.strictEqual(rows[0].recorded_by, facId);
		const audit = sql(srv.dbPath, "SELECT account_id, on_behalf_of FROM audit_log WHERE entity = 'volunteer' AND action = 'create' ORDER BY id DESC LIMIT 1")[0];
		assert.strictEqual(audit.account_id, facId);
		assert.strictEqual(audit.on_behalf_of, person.id);
	} finally {
		await c.post('/acting-for/stop', { csrf: await c.csrf('/home') });
	}
});
