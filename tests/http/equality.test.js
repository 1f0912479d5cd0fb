// equality.test.js: the equality questions, the lead's consented view, withdrawal, the
// population imports and the diversity page with its CSV, JSON and chart: no count of
// fewer than 10 people ever leaves as a number, and each role sees only what it may.
'use strict';

const { test, before, after } = require('node:test');
const assert = require('assert');
const { startServer, DEMO_PASSWORD } = require('./lib');
const { sql, findForm, formData } = require('./helpers_basic');

const SLUG = 'eq-test';
let srv;
let lead;
let ids = {};

function q(s) {
	return `'${String(s).replace(/'/g, "''")}'`;
}

function isoAgo(seconds) {
	return new Date(Date.now() - seconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

// A volunteer of the test programme; returns their id.
function volunteer(ref, opts = {}) {
	const at = opts.at || isoAgo(7 * 24 * 3600);
	sql(srv.dbPath, `INSERT INTO volunteers (programme_id, account_id, name, consent_version, consent_at,
		stage, stage_changed_at, monitoring_ref, created_at, updated_at)
		VALUES (${ids.programme}, ${opts.account || 'NULL'}, ${q(opts.name || 'Demo Test Volunteer')}, 'v1', ${q(at)},
		${q(opts.stage || 'volunteered')}, ${q(at)}, ${q(ref)}, ${q(at)}, ${q(at)})`);
	if (opts.postcode) sql(srv.dbPath, `UPDATE volunteers SET postcode = ${q(opts.postcode)} WHERE monitoring_ref = ${q(ref)}`);
	return sql(srv.dbPath, `SELECT id FROM volunteers WHERE monitoring_ref = ${q(ref)}`)[0].id;
}

// FILL with the consent box ticked when the programme's lawful basis asks for it.
function agreed(form, fill) {
	return form.fields.some((f) => f.name === 'consent') ? { ...fill, consent: 'yes' } : fill;
}

function answer(ref, category, value, leadView) {
	const at = isoAgo(3600);
	sql(srv.dbPath, `INSERT INTO equality_answers (monitoring_ref, category, value, answered_at)
		VALUES (${q(ref)}, ${q(category)}, ${q(value)}, ${q(at)})`);
	sql(srv.dbPath, `INSERT OR REPLACE INTO equality_consents (monitoring_ref, kind, status, wording_version, recorded_at)
		VALUES (${q(ref)}, 'lead_view', ${q(leadView ? 'granted' : 'withdrawn')}, 'v', ${q(at)})`);
}

// A multipart/form-data POST with one file, as a browser sends an upload.
function upload(client, path, fields, fileName, content) {
	const boundary = '----coprodtest' + Math.random().toString(16).slice(2);
	const parts = [];
	for (const [k, v] of Object.entries(fields)) {
		parts.push(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`);
	}
	parts.push(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: text/csv\r\n\r\n${content}\r\n`);
	parts.push(`--${boundary}--\r\n`);
	return client.request('POST', path, {
		body: parts.join(''),
		headers: { 'Content-Type': `multipart/form-data; boundary=${boundary}` },
	});
}

async function signedIn(email) {
	const c = srv.client();
	const res = await c.signIn(email, DEMO_PASSWORD);
	assert.strictEqual(res.status, 303, `sign in as ${email}`);
	return c;
}

// The table row whose header cell is LABEL in the section of CATEGORY's table.
function rowOf(html, categoryId, label) {
	const start = html.indexOf(`id="${categoryId}"`);
	assert.ok(start >= 0, `no section ${categoryId}`);
	const section = html.slice(start, html.indexOf('</section>', start));
	const rows = section.match(/<tr class="govuk-table__row">[\s\S]*?<\/tr>/g) || [];
	const row = rows.find((r) => r.includes(`>${label}</th>`));
	assert.ok(row, `no row ${label} in ${categoryId}`);
	return row.replace(/<th[^>]*>[\s\S]*?<\/th>/, '').match(/<td[^>]*>([\s\S]*?)<\/td>/g).map((c) => c.replace(/<[^>]*>/g, '').trim());
}

before(async () => {
	srv = await startServer();
	const now = new Date().toISOString();
	sql(srv.dbPath, `INSERT INTO programmes (slug, name, summary, created_at, updated_at)
		VALUES ('${SLUG}', 'Demo equality test programme', 'For the tests', '${now}', '${now}')`);
	ids.programme = sql(srv.dbPath, `SELECT id FROM programmes WHERE slug = '${SLUG}'`)[0].id;
	// 3 people answered Pakistani and 12 White British; one White British person agreed
	// that a lead may see their answers.
	for (let i = 0; i < 15; i++) {
		const ref = `eqref-${i}`;
		ids[ref] = volunteer(ref);
		answer(ref, 'ethnicity', i < 3 ? 'pakistani' : 'white_british', i === 5);
		answer(ref, 'religion', 'jewish', i === 5);
	}
	lead = await signedIn('programme.lead@example.org');
});

after(async () => {
	if (srv) await srv.stop();
});

test('the population import reports each bad line by number and applies nothing', async () => {
	const csrf = await lead.csrf(`/programmes/${SLUG}/population`);
	const bad = 'category,value,count,share,source,date\n' +
		'ethnicity,white_british,,80,Illustrative,2021\n' +
		'<b>shoe</b>,nine,5,,Illustrative,2021\n' +
		'sex,male,-4,,Illustrative,2021\n' +
		'religion,jewish,,120,Illustrative,2021\n';
	const res = await upload(lead, `/programmes/${SLUG}/population/figures`, { csrf }, 'bad.csv', bad);
	assert.strictEqual(res.status, 400);
	assert.match(res.body, /Line 3: the category &quot;&lt;b&gt;shoe&lt;\/b&gt;&quot; is not one we ask about|Line 3: the category &#34;&lt;b&gt;shoe&lt;\/b&gt;&#34; is not one we ask about/);
	assert.ok(!res.body.includes('<b>shoe</b>'), 'hostile input is escaped');
	assert.match(res.body, /Line 4: the count must be a whole number/);
	assert.match(res.body, /Line 5: the share must be 100% or less/);
	assert.match(res.body, /nothing was imported/i);
	assert.strictEqual(sql(srv.dbPath, `SELECT COUNT(*) AS n FROM population_figures WHERE programme_id = ${ids.programme}`)[0].n, 0);

	const good = 'category,value,count,share,source,date\n' +
		'ethnicity,white_british,,80,Illustrative,2021\n' +
		'ethnicity,pakistani,,4,Illustrative,2021\n' +
		'ethnicity,african,,6,Illustrative,2021\n' +
		'religion,jewish,,4,Illustrative,2021\n';
	const ok = await upload(lead, `/programmes/${SLUG}/population/figures`, { csrf, illustrative: 'yes' }, 'good.csv', good);
	assert.strictEqual(ok.status, 303, ok.body.slice(0, 400));
	assert.strictEqual(sql(srv.dbPath, `SELECT COUNT(*) AS n FROM population_figures WHERE programme_id = ${ids.programme} AND illustrative = 1`)[0].n, 4);

	const pcs = await upload(lead, `/programmes/${SLUG}/population/postcodes`, { csrf }, 'pc.csv', 'postcode,decile\nM6 5AB,1\nnonsense,2\n');
	assert.strictEqual(pcs.status, 400);
	assert.match(pcs.body, /Line 3: enter a full postcode/);
});

test('the diversity page shows "fewer than 10" for 3 people and rounds the rest', async () => {
	const res = await lead.get(`/programmes/${SLUG}/diversity`);
	assert.strictEqual(res.status, 200);
	const pak = rowOf(res.body, 'category-ethnicity', 'Pakistani');
	// population, 4 stages, share, gap
	assert.strictEqual(pak[0], '4.0%');
	assert.strictEqual(pak[1], 'fewer than 10');
	assert.ok(pak.slice(1).every((c) => !/3/.test(c)), `no 3 in the Pakistani cells: ${pak}`);
	assert.strictEqual(pak[5], '', 'no share from a suppressed count');
	const wb = rowOf(res.body, 'category-ethnicity', 'English, Welsh, Scottish, Northern Irish or British');
	assert.strictEqual(wb[1], '10', '12 people are shown as 10');
	assert.strictEqual(wb[5], '66.7%', 'the share comes from the rounded counts (10 of 15)');
	assert.strictEqual(wb[6], '-13.3');
	assert.match(res.body, /Illustrative figures/);
	assert.ok(!/\}\}|Context/.test(res.body), 'no template text leaks into the page');
	assert.match(res.body, /<img class="app-chart" src="\/programmes\/eq-test\/diversity\/ethnicity\/chart.svg\?stage=volunteered" alt="Ethnicity: [^"]+"/);
	// "Who are we leaving out?" lists only figures that are shown.
	const leaving = res.body.slice(res.body.indexOf('id="leaving-out"'), res.body.indexOf('By category'));
	assert.ok(!/Pakistani/.test(leaving), 'a suppressed value is not compared');
});

test('"Who are we leaving out?" never names the majority because small groups are hidden, and follows the stage', async () => {
	const res = await lead.get(`/programmes/${SLUG}/diversity`);
	const leaving = res.body.slice(res.body.indexOf('id="leaving-out"'), res.body.indexOf('By category'));
	// 12 of 15 are White British against 80% of the population: shown as 10 of 15 only
	// through rounding and the hidden 3, so they are not "left out".
	assert.ok(!/English, Welsh, Scottish, Northern Irish or British/.test(leaving), 'the majority is not listed as left out');
	assert.match(leaving, /approximate/);
	assert.match(leaving, /No group can be shown to be under-represented among people who volunteered/);
	const summary = res.body.slice(res.body.indexOf('id="category-ethnicity"'));
	assert.ok(!/Most under-represented: English, Welsh/.test(summary.slice(0, 600)), 'nor in the one-line summary');
	const selected = await lead.get(`/programmes/${SLUG}/diversity?stage=selected`);
	const sel = selected.body.slice(selected.body.indexOf('id="leaving-out"'), selected.body.indexOf('By category'));
	assert.match(sel, /Comparing people selected with the local population/);
	assert.ok(!/people who volunteered/.test(sel), 'the section follows the stage chosen');
});

test('the CSV, JSON and chart never carry a count under the threshold', async () => {
	const csv = await lead.get(`/programmes/${SLUG}/diversity.csv`);
	assert.strictEqual(csv.status, 200);
	assert.match(csv.headers['content-type'], /text\/csv/);
	const line = csv.body.split('\r\n').find((l) => l.startsWith('ethnicity,pakistani,') && l.includes(',volunteered,'));
	assert.ok(line, 'a Pakistani volunteered line');
	assert.match(line, /,fewer than 10,/);
	assert.ok(!/,3,/.test(line));
	const wb = csv.body.split('\r\n').find((l) => l.startsWith('ethnicity,white_british,') && l.includes(',volunteered,'));
	assert.match(wb, /,volunteered,10,66\.7%,-13\.3$/, 'the gap is a plain number a spreadsheet can sort');
	assert.ok(!csv.body.includes("'-") && !csv.body.includes("'+"), 'no number is turned into text');
	// 15 of 15 answered Jewish against 4%: a positive gap is a bare number, with no sign.
	const jewish = csv.body.split('\r\n').find((l) => l.startsWith('religion,jewish,') && l.includes(',volunteered,'));
	assert.match(jewish, /,volunteered,15,100\.0%,96\.0$/);

	const js = await lead.get(`/api/v1/programmes/${SLUG}/diversity`);
	assert.strictEqual(js.status, 200);
	const data = JSON.parse(js.body);
	const eth = data.categories.find((c) => c.category === 'ethnicity');
	const pak = eth.values.find((v) => v.value === 'pakistani').stages.volunteered;
	assert.deepStrictEqual(pak.participants, { suppressed: true, count: null, shown: 'fewer than 10' });
	assert.strictEqual(pak.share_ppm, null);
	assert.strictEqual(eth.values.find((v) => v.value === 'white_british').stages.volunteered.participants.count, 10);
	assert.strictEqual(eth.totals.volunteered.count, 15);

	const svg = await lead.get(`/programmes/${SLUG}/diversity/ethnicity/chart.svg`);
	assert.strictEqual(svg.status, 200);
	assert.match(svg.headers['content-type'], /image\/svg\+xml/);
	assert.match(svg.body, /<svg/);
	const nope = await lead.get(`/programmes/${SLUG}/diversity/shoe_size/chart.svg`);
	assert.strictEqual(nope.status, 404);
});

test('only programme leads and the programme\'s facilitators see the figures', async () => {
	const local = await signedIn('local.person@example.org');
	assert.strictEqual((await local.get(`/programmes/${SLUG}/diversity`)).status, 403);
	assert.strictEqual((await local.get(`/programmes/${SLUG}/diversity.csv`)).status, 403);
	const board = await signedIn('board.member@example.org');
	assert.strictEqual((await board.get(`/programmes/${SLUG}/diversity`)).status, 403);
	const fac = await signedIn('facilitator@example.org');
	// Not a group of this programme: as if it did not exist.
	assert.strictEqual((await fac.get(`/programmes/${SLUG}/diversity`)).status, 404);
	assert.strictEqual((await fac.get(`/api/v1/programmes/${SLUG}/diversity`)).status, 404);
	assert.strictEqual((await fac.get('/programmes/young-adults/diversity')).status, 200);
	const anon = srv.client();
	assert.notStrictEqual((await anon.get(`/api/v1/programmes/${SLUG}/diversity`)).status, 200);
	assert.strictEqual((await lead.get('/programmes/no-such-programme/diversity')).status, 404);
});

test('a facilitator cannot see anyone\'s answers; a lead only with consent, and it is audited', async () => {
	const fac = await signedIn('facilitator@example.org');
	assert.strictEqual((await fac.get(`/programmes/${SLUG}/equality/people/${ids['eqref-5']}`)).status, 403);

	const without = await lead.get(`/programmes/${SLUG}/equality/people/${ids['eqref-6']}`);
	assert.strictEqual(without.status, 200);
	assert.match(without.body, /has not agreed to a programme lead seeing their answers/);
	assert.ok(!/Jewish/.test(without.body));
	const forced = await lead.post(`/programmes/${SLUG}/equality/people/${ids['eqref-6']}`, { csrf: await lead.csrf(`/programmes/${SLUG}/equality/people/${ids['eqref-5']}`) });
	assert.strictEqual(forced.status, 403);
	assert.ok(!/Jewish/.test(forced.body));
	assert.strictEqual(sql(srv.dbPath, "SELECT COUNT(*) AS n FROM audit_log WHERE action = 'equality.view'")[0].n, 0);

	const page = await lead.get(`/programmes/${SLUG}/equality/people/${ids['eqref-5']}`);
	assert.ok(!/Jewish/.test(page.body), 'nothing is shown until the lead asks');
	const form = findForm(page.body, `/programmes/${SLUG}/equality/people/${ids['eqref-5']}`);
	const shown = await lead.post(form.action, formData(form));
	assert.strictEqual(shown.status, 200);
	assert.match(shown.body, /Jewish/);
	assert.match(shown.body, /English, Welsh, Scottish, Northern Irish or British/);
	const audit = sql(srv.dbPath, "SELECT account_id, after_json FROM audit_log WHERE action = 'equality.view'");
	assert.strictEqual(audit.length, 1);
	assert.ok(!/jewish|white_british/.test(audit[0].after_json), 'the audit names no answer');
	assert.strictEqual((await lead.get(`/programmes/${SLUG}/equality/people/999999`)).status, 404);
});

test('the link after volunteering takes answers for 24 hours and never shows them back', async () => {
	volunteer('fresh-ref', { at: isoAgo(600) });
	volunteer('old-ref', { at: isoAgo(2 * 24 * 3600) });
	const c = srv.client();
	const page = await c.get('/interest/fresh-ref/about-you');
	assert.strictEqual(page.status, 200);
	assert.match(page.body, /Nobody running the programme is shown your individual answers/);
	assert.ok(!/\}\}|Context/.test(page.body), 'no template text leaks into the page');
	assert.match(page.body, /explicit consent/);
	assert.match(page.body, /Gypsy or Irish Traveller/);
	assert.match(page.body, /Asian, Asian British or Asian Welsh/);
	const form = findForm(page.body, '/interest/fresh-ref/about-you');

	const invalid = await c.post(form.action, formData(form, { sex: 'female' }));
	assert.strictEqual(invalid.status, 400, 'no consent ticked');
	assert.match(invalid.body, /Tick the box to agree/);
	assert.match(invalid.body, /value="female" checked/, 'what was chosen is kept');

	const hostile = await c.post(form.action, [...formData(form, { consent: 'yes' }), ['ethnicity', '<script>x</script>']]);
	assert.strictEqual(hostile.status, 400);
	assert.ok(!hostile.body.includes('<script>x</script>'));

	const saved = await c.post(form.action, formData(form, { sex: 'female', religion: 'sikh', consent: 'yes', disability_condition: 'yes', disability_limited: 'a_little' }));
	assert.strictEqual(saved.status, 303);
	const rows = sql(srv.dbPath, "SELECT category, value FROM equality_answers WHERE monitoring_ref = 'fresh-ref' ORDER BY category");
	assert.deepStrictEqual(rows.map((r) => `${r.category}=${r.value}`), ['disability=disabled_a_little', 'religion=sikh', 'sex=female']);
	const again = await c.get('/interest/fresh-ref/about-you');
	assert.ok(!/ checked/.test(again.body), 'saved answers are not shown to someone who knows the link');
	assert.match(again.body, /Your answers are saved/);
	assert.match(again.body, /sign in<\/a> and go to &quot;About you&quot;|sign in<\/a> and go to &#34;About you&#34;|sign in<\/a> and go to "About you"/);
	assert.match(again.body, /ask your facilitator/);
	assert.ok(!/<form method="post" action="\/interest/.test(again.body), 'the link no longer offers the questions');
	assert.ok(!/Sikh/.test(again.body));
	// Someone else who opens the link cannot replace the answers, nor wipe them.
	const csrf = await c.csrf('/sign-in');
	const replace = await c.post('/interest/fresh-ref/about-you', { csrf, sex: 'male', consent: 'yes' });
	assert.strictEqual(replace.status, 409);
	assert.match(replace.body, /Your answers are saved/);
	const wipe = await c.post('/interest/fresh-ref/about-you', { csrf });
	assert.strictEqual(wipe.status, 409);
	const kept = sql(srv.dbPath, "SELECT category, value FROM equality_answers WHERE monitoring_ref = 'fresh-ref' ORDER BY category");
	assert.deepStrictEqual(kept.map((r) => `${r.category}=${r.value}`), ['disability=disabled_a_little', 'religion=sikh', 'sex=female']);

	const old = await c.get('/interest/old-ref/about-you');
	assert.strictEqual(old.status, 200);
	assert.match(old.body, /This link has expired/);
	assert.ok(!/<form method="post" action="\/interest/.test(old.body));
	const late = await c.post('/interest/old-ref/about-you', { csrf: await c.csrf('/sign-in'), sex: 'male', consent: 'yes' });
	assert.strictEqual(late.status, 403);
	assert.strictEqual(sql(srv.dbPath, "SELECT COUNT(*) AS n FROM equality_answers WHERE monitoring_ref = 'old-ref'")[0].n, 0);
	assert.strictEqual((await c.get('/interest/no-such-ref/about-you')).status, 404);
});

test('a person sees, changes and withdraws their answers, and leaves the figures', async () => {
	const me = sql(srv.dbPath, "SELECT id FROM accounts WHERE email = 'local.person@example.org'")[0].id;
	volunteer('mine-ref', { account: me });
	answer('mine-ref', 'ethnicity', 'white_british', false);
	answer('mine-ref', 'sex', 'male', false);
	const c = await signedIn('local.person@example.org');
	const page = await c.get(`/account/about-you?programme=${SLUG}`);
	assert.strictEqual(page.status, 200);
	assert.match(page.body, /value="male" checked/);
	const before = JSON.parse((await lead.get(`/api/v1/programmes/${SLUG}/diversity`)).body);
	const total = (d) => d.categories.find((x) => x.category === 'sex').values.find((v) => v.value === 'male').stages.volunteered.participants;
	const form = findForm(page.body, '/account/about-you/withdraw');
	const gone = await c.post(form.action, formData(form));
	assert.strictEqual(gone.status, 303);
	assert.strictEqual(sql(srv.dbPath, "SELECT COUNT(*) AS n FROM equality_answers WHERE monitoring_ref = 'mine-ref'")[0].n, 0);
	const audit = sql(srv.dbPath, `SELECT after_json FROM audit_log WHERE action = 'equality.withdraw' AND account_id = ${me}`);
	assert.strictEqual(audit.length, 1);
	assert.ok(!/male|white_british/.test(audit[0].after_json));
	const after = JSON.parse((await lead.get(`/api/v1/programmes/${SLUG}/diversity`)).body);
	assert.deepStrictEqual(total(before), { suppressed: true, count: null, shown: 'fewer than 10' });
	assert.deepStrictEqual(total(after), total(before));
	const eth = (d) => d.categories.find((x) => x.category === 'ethnicity').values.find((v) => v.value === 'white_british').stages.volunteered.participants.count;
	assert.strictEqual(eth(before), 15, '13 White British before (rounded to 15)');
	assert.strictEqual(eth(after), 10, '12 after the withdrawal (rounded to 10)');
	const back = await c.get(`/account/about-you?programme=${SLUG}`);
	assert.ok(!/ checked/.test(back.body));
});

test('a facilitator acting for someone records answers without seeing them', async () => {
	const fac = await signedIn('facilitator@example.org');
	const person = sql(srv.dbPath, 'SELECT id FROM accounts WHERE assisted = 1 ORDER BY id LIMIT 1')[0].id;
	volunteer('assisted-ref', { account: person });
	answer('assisted-ref', 'religion', 'buddhist', false);
	const act = await fac.post(`/acting-for/${person}`, { csrf: await fac.csrf('/assisted') });
	assert.strictEqual(act.status, 303);
	const page = await fac.get(`/account/about-you?programme=${SLUG}`);
	assert.strictEqual(page.status, 200);
	assert.match(page.body, /never shown back to you/);
	assert.ok(!/ checked/.test(page.body), 'saved answers are not shown to the facilitator');
	const form = findForm(page.body, '/account/about-you');
	const saved = await fac.post(form.action, formData(form, { carer: 'yes', consent: 'yes' }));
	assert.strictEqual(saved.status, 303);
	const after = await fac.get(saved.headers.location);
	assert.ok(!/ checked/.test(after.body));
	assert.deepStrictEqual(sql(srv.dbPath, "SELECT category, value FROM equality_answers WHERE monitoring_ref = 'assisted-ref'"), [{ category: 'carer', value: 'yes' }]);
	const audit = sql(srv.dbPath, `SELECT on_behalf_of FROM audit_log WHERE action = 'equality.answers' ORDER BY id DESC LIMIT 1`)[0];
	assert.strictEqual(audit.on_behalf_of, person);
	await fac.post('/acting-for/stop', { csrf: await fac.csrf('/home') });
});

test('a lead sets the lawful basis and lived-experience questions; input is escaped', async () => {
	const page = await lead.get(`/programmes/${SLUG}/equality-monitoring`);
	assert.strictEqual(page.status, 200);
	// The people who agreed that a lead may see their answers are listed, and only they.
	assert.ok(page.body.includes(`/programmes/${SLUG}/equality/people/${ids['eqref-5']}"`));
	assert.ok(!page.body.includes(`/programmes/${SLUG}/equality/people/${ids['eqref-6']}"`));
	const form = findForm(page.body, `/programmes/${SLUG}/equality-monitoring`);
	const res = await lead.post(form.action, formData(form, { lawful_basis: 'dpa-sch1-para8', flags: 'Have you been in care?\n<script>alert(1)</script>', basis_wording: '' }));
	assert.strictEqual(res.status, 303);
	const again = await lead.get(`/programmes/${SLUG}/equality-monitoring`);
	assert.ok(again.body.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
	assert.ok(!again.body.includes('<script>alert(1)'));
	volunteer('basis-ref', { at: isoAgo(60) });
	const form2 = await srv.client().get('/interest/basis-ref/about-you');
	assert.match(form2.body, /Schedule 1, paragraph 8/);
	assert.match(form2.body, /Have you been in care\?/);
	assert.ok(!form2.body.includes('<script>alert(1)'));
	const bad = await lead.post(form.action, formData(form, { lawful_basis: 'whim' }));
	assert.strictEqual(bad.status, 400);
	assert.match(bad.body, /Select the lawful basis/);
	const fac = await signedIn('facilitator@example.org');
	assert.strictEqual((await fac.get(`/programmes/${SLUG}/equality-monitoring`)).status, 403);
	assert.strictEqual((await fac.get(`/programmes/${SLUG}/population`)).status, 403);
});

test('someone who has just volunteered follows the link to the questions and answers them', async () => {
	const c = srv.client();
	const page = await c.get('/programmes/young-adults/interest');
	assert.strictEqual(page.status, 200);
	const form = findForm(page.body, /\/interest$/);
	const sent = await c.post(form.action, formData(form, { name: 'Demo Newcomer', email: 'newcomer.demo@example.org', consent: 'yes' }));
	assert.strictEqual(sent.status, 303, sent.body.slice(0, 300));
	const thanks = await c.get(sent.headers.location);
	const link = thanks.body.match(/href="(\/interest\/[^"]+\/about-you)"/);
	assert.ok(link, 'the thank-you page links to the questions');
	const questions = await c.get(link[1]);
	assert.strictEqual(questions.status, 200);
	const qform = findForm(questions.body, link[1]);
	const saved = await c.post(qform.action, formData(qform, { age_band: '16_24', consent: 'yes', lead_view: 'yes' }));
	assert.strictEqual(saved.status, 303);
	const rows = sql(srv.dbPath, "SELECT a.category, a.value FROM equality_answers a JOIN volunteers v ON v.monitoring_ref = a.monitoring_ref WHERE v.email = 'newcomer.demo@example.org'");
	assert.deepStrictEqual(rows, [{ category: 'age_band', value: '16_24' }]);
	// The answers table holds no name, email or volunteer id: only the opaque reference.
	const cols = sql(srv.dbPath, 'PRAGMA table_info(equality_answers)').map((r) => r.name);
	assert.deepStrictEqual(cols.sort(), ['answered_at', 'category', 'monitoring_ref', 'value']);
});

test('"Who sees your answers" says only what is true', async () => {
	volunteer('words-ref', { at: isoAgo(60) });
	const page = await srv.client().get('/interest/words-ref/about-you');
	assert.strictEqual(page.status, 200);
	assert.ok(!/kept apart from your name/.test(page.body), 'no promise that the reference is not with the name');
	assert.match(page.body, /under a reference number instead of your name/);
	assert.match(page.body, /Nobody running the programme is shown your individual answers/);
	assert.match(page.body, /any total of fewer than 10 people is hidden/);
	assert.match(page.body, /only if you tick the box/);
	assert.match(page.body, /You can save your answers on this page once/);
});

test('the deprivation question is in plain words, or worked out from a known postcode', async () => {
	const c = srv.client();
	volunteer('imd-plain-ref', { at: isoAgo(60) });
	const plain = await c.get('/interest/imd-plain-ref/about-you');
	assert.ok(!/Index of Multiple Deprivation/.test(plain.body), 'no jargon for residents');
	assert.match(plain.body, /Compared with the rest of England, how deprived is the area you live in\?/);
	assert.match(plain.body, /If you do not know your area&#39;s number, leave this question blank|If you do not know your area's number, leave this question blank/);
	assert.match(plain.body, /name="deprivation_decile" type="radio" value="prefer_not_to_say"/);

	sql(srv.dbPath, `INSERT INTO postcode_deciles (programme_id, postcode, decile) VALUES (${ids.programme}, 'M6 5ZZ', 2)`);
	volunteer('imd-pc-ref', { at: isoAgo(60), postcode: 'm65zz' });
	const known = await c.get('/interest/imd-pc-ref/about-you');
	assert.match(known.body, /We can work this out from the postcode you gave us/);
	assert.ok(!/M6 ?5ZZ/i.test(known.body), 'the postcode itself is not shown on the link');
	assert.match(known.body, /name="deprivation_decile" type="radio" value="prefer_not_to_say"/);
	const form = findForm(known.body, '/interest/imd-pc-ref/about-you');
	const saved = await c.post(form.action, formData(form, agreed(form, { deprivation_decile: 'postcode' })));
	assert.strictEqual(saved.status, 303, saved.body.slice(0, 400));
	assert.deepStrictEqual(sql(srv.dbPath, "SELECT category, value FROM equality_answers WHERE monitoring_ref = 'imd-pc-ref'"), [{ category: 'deprivation_decile', value: '2' }]);

	// Left blank, nothing is worked out behind the person's back.
	volunteer('imd-blank-ref', { at: isoAgo(60), postcode: 'M6 5ZZ' });
	const blankPage = await c.get('/interest/imd-blank-ref/about-you');
	const blankForm = findForm(blankPage.body, '/interest/imd-blank-ref/about-you');
	const blank = await c.post(blankForm.action, formData(blankForm, agreed(blankForm, { sex: 'male' })));
	assert.strictEqual(blank.status, 303);
	assert.deepStrictEqual(sql(srv.dbPath, "SELECT category FROM equality_answers WHERE monitoring_ref = 'imd-blank-ref'"), [{ category: 'sex' }]);
});

test('"No" long-term condition with "Yes, a lot" is refused beside the second question, keeping the answers', async () => {
	const c = srv.client();
	volunteer('dis-ref', { at: isoAgo(60) });
	const page = await c.get('/interest/dis-ref/about-you');
	assert.match(page.body, /Only answer this if you said yes to the question before/);
	const form = findForm(page.body, '/interest/dis-ref/about-you');
	const res = await c.post(form.action, formData(form, agreed(form, { sex: 'female', religion: 'hindu', disability_condition: 'no', disability_limited: 'a_lot' })));
	assert.strictEqual(res.status, 400);
	assert.match(res.body, /id="disability_limited-error"[^>]*>[\s\S]{0,80}You said you do not have a long-term condition/);
	assert.match(res.body, /href="#disability_limited"/, 'the error summary links to the second question');
	assert.match(res.body, /value="female" checked/);
	assert.match(res.body, /value="hindu" checked/);
	assert.match(res.body, /name="disability_condition" type="radio" value="no" checked/);
	assert.strictEqual(sql(srv.dbPath, "SELECT COUNT(*) AS n FROM equality_answers WHERE monitoring_ref = 'dis-ref'")[0].n, 0);
	const ok = await c.post(form.action, formData(form, agreed(form, { disability_condition: 'no' })));
	assert.strictEqual(ok.status, 303);
	assert.deepStrictEqual(sql(srv.dbPath, "SELECT value FROM equality_answers WHERE monitoring_ref = 'dis-ref'"), [{ value: 'not_disabled' }]);
});
