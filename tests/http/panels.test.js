// panels.test.js: fair selection of panels over real HTTP: who may see and do what, a
// lead's mistakes shown beside the field with what they typed kept, hostile names shown
// escaped, and a public lottery anyone can re-check: the hash of lottery.txt is the one
// published before the draw, and the ticket drawn follows from the public number; the
// respondents file keeps the answers of people who did not agree to a lead seeing them,
// possible duplicates stay out of pools, quotas list every answer, and dice only; the
// draw's date and place, required to publish, shown to the public with a calendar file,
// and moved only before the draw, saying so; the draw refused before its time or while
// the pool may hold someone twice, its real time shown once made, a time gone said so.
'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert');
const crypto = require('node:crypto');
const { startServer } = require('./lib');
const { sql } = require('./helpers_basic');

const PASSWORD = 'demo-password-2026';
const HOSTILE = '<script>alert("x")</script>';
// A draw planned long after any test runs (Saturday 7 March 2099).
const PLAN = { 'draw_date-day': '7', 'draw_date-month': '3', 'draw_date-year': '2099', draw_time: '18:30', draw_place: 'Swinton Gateway, Chorley Road', draw_roller: '' };
let srv, lead, fac, local, anon, programmeId, otherProgrammeId;

async function signedIn(email) {
	const c = srv.client();
	const res = await c.signIn(email, PASSWORD);
	assert.strictEqual(res.status, 303, `sign-in of ${email}`);
	return c;
}

// Twenty invented volunteers, most with an age band: added to the demo's young adults
// programme so the pool is big enough whatever the demo itself holds. BATCH keeps the
// references of a later batch apart from the first one's.
function addVolunteers(programme, batch = '') {
	const rows = [];
	const answers = [];
	for (let i = 0; i < 20; i++) {
		const name = i === 0 ? HOSTILE : `Demo Panel Volunteer ${i}`;
		const ref = `paneltest${programme}x${batch}${i}`;
		rows.push(`(${programme}, '${name.replace(/'/g, "''")}', 'v1', '2026-01-01T00:00:00Z', 'volunteered', '2026-01-01T00:00:00Z', '${ref}', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')`);
		if (i < 16) answers.push(`('${ref}', 'age_band', '${i < 10 ? '16_24' : '25_34'}', '2026-01-01T00:00:00Z')`);
	}
	sql(srv.dbPath, `INSERT INTO volunteers (programme_id, name, consent_version, consent_at, stage, stage_changed_at, monitoring_ref, created_at, updated_at) VALUES ${rows.join(', ')}`);
	sql(srv.dbPath, `INSERT INTO equality_answers (monitoring_ref, category, value, answered_at) VALUES ${answers.join(', ')}`);
}

async function csrfOf(c, p) {
	return c.csrf(p);
}

// Creates a panel as the lead; returns its id.
async function createPanel(programme, name, places) {
	const csrf = await csrfOf(lead, '/panels/new');
	const res = await lead.post('/panels/new', { csrf, programme: String(programme), name, places: String(places) });
	assert.strictEqual(res.status, 303, res.body);
	const m = res.headers.location.match(/^\/panels\/(\d+)\/manage/);
	assert.ok(m, res.headers.location);
	return Number(m[1]);
}

// The planned time of panel ID's draw has come (by default long ago: Wednesday 1
// January 2020 at 10am), as if the meeting were now.
function drawDue(id, at = '2020-01-01T10:00') {
	sql(srv.dbPath, `UPDATE panels SET draw_at = '${at}' WHERE id = ${id}`);
}

// Today in Salford: { iso: 'YYYY-MM-DD', day: 'Sunday 22 November 2026' }.
function todayInSalford() {
	const now = new Date();
	const parts = Object.fromEntries(new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(now).map((x) => [x.type, x.value]));
	const day = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' }).format(now).replace(',', '');
	return { iso: `${parts.year}-${parts.month}-${parts.day}`, day };
}

async function postAs(c, path, fields, from) {
	const csrf = await csrfOf(c, from);
	return c.post(path, { csrf, ...fields });
}

before(async () => {
	srv = await startServer();
	programmeId = sql(srv.dbPath, "SELECT id FROM programmes WHERE slug = 'young-adults'")[0].id;
	sql(srv.dbPath, "INSERT INTO programmes (slug, name, summary, published, created_at, updated_at) VALUES ('panel-test-other', 'Demo other programme', 's', 1, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')");
	otherProgrammeId = sql(srv.dbPath, "SELECT id FROM programmes WHERE slug = 'panel-test-other'")[0].id;
	addVolunteers(programmeId);
	addVolunteers(otherProgrammeId);
	lead = await signedIn('programme.lead@example.org');
	fac = await signedIn('facilitator@example.org');
	local = await signedIn('local.person@example.org');
	anon = srv.client();
});

after(async () => {
	if (srv) await srv.stop();
});

test('a lead\'s mistakes are shown beside the field, with what they typed kept and escaped', async () => {
	const csrf = await csrfOf(lead, '/panels/new');
	const res = await lead.post('/panels/new', { csrf, programme: String(programmeId), name: HOSTILE, places: 'twelve' });
	assert.strictEqual(res.status, 400);
	assert.match(res.body, /Number of places must be a whole number, like 12/);
	assert.match(res.body, /value="twelve"/);
	assert.ok(!res.body.includes(HOSTILE), 'the name is escaped');
	assert.match(res.body, /&lt;script&gt;alert/);

	const big = await lead.post('/panels/new', { csrf, programme: String(programmeId), name: 'Demo too big', places: '400' });
	assert.strictEqual(big.status, 400);
	assert.match(big.body, /Number of places must be no more than the \d+ people waiting to take part/);
	assert.match(big.body, /value="400"/);

	const none = await lead.post('/panels/new', { csrf, programme: '', name: '', places: '' });
	assert.strictEqual(none.status, 400);
	assert.match(none.body, /Choose the programme the panel is for/);
	assert.match(none.body, /Enter a name for the panel/);
});

test('who may see and do what', async () => {
	const id = await createPanel(programmeId, 'Demo access panel', 6);
	const other = await createPanel(otherProgrammeId, 'Demo other panel', 6);

	// The lead and the programme's facilitator see the panel; the facilitator cannot act.
	assert.strictEqual((await lead.get(`/panels/${id}/manage`)).status, 200);
	const seen = await fac.get(`/panels/${id}/manage`);
	assert.strictEqual(seen.status, 200);
	assert.ok(!/action="\/panels\/\d+\/compute"/.test(seen.body), 'no compute button for a facilitator');
	const csrf = await csrfOf(fac, `/panels/${id}/manage`);
	assert.strictEqual((await fac.post(`/panels/${id}/compute`, { csrf })).status, 403);
	assert.strictEqual((await fac.get(`/panels/${id}/quotas`)).status, 403);
	assert.strictEqual((await fac.get(`/panels/${id}/respondents.csv`)).status, 403);

	// A facilitator of another programme: the panel does not exist for them.
	assert.strictEqual((await fac.get(`/panels/${other}/manage`)).status, 404);

	// Local people and the public cannot see the pool.
	assert.strictEqual((await local.get(`/panels/${id}/manage`)).status, 403);
	assert.strictEqual((await local.get('/panels')).status, 403);
	const out = await anon.get(`/panels/${id}/manage`);
	assert.strictEqual(out.status, 303);
	assert.match(out.headers.location, /sign-in/);
	// Before the lottery is published, the public page does not exist.
	assert.strictEqual((await anon.get(`/panels/${id}`)).status, 404);
	assert.strictEqual((await anon.get(`/panels/${id}/lottery.txt`)).status, 404);
	assert.strictEqual((await anon.get('/panels/999999')).status, 404);
});

test('quotas refused plainly, beside the field, with the input kept', async () => {
	const id = await createPanel(programmeId, 'Demo quota panel', 6);
	let res = await postAs(lead, `/panels/${id}/quotas/add`, { category: 'age_band' }, `/panels/${id}/quotas`);
	assert.strictEqual(res.status, 303);
	const page = await lead.get(`/panels/${id}/quotas`);
	assert.strictEqual(page.status, 200);
	const n = (page.body.match(/name="min-\d+"/g) || []).length;
	assert.ok(n >= 3, 'one row per answer, "not said" included');
	assert.match(page.body, /Not said/);
	assert.match(page.body, /Proposed from illustrative figures, not facts: [^<]+\./);
	// How many of the pool have each answer: rounded to 5, small numbers not shown.
	const cells = [...page.body.matchAll(/<\/th>\s*<td class="govuk-table__cell">([^<]*)<\/td>/g)].map((m) => m[1]);
	assert.strictEqual(cells.length, n);
	for (const c of cells) assert.match(c, /^(fewer than 10|\d*[05])$/, `pool count "${c}" is disclosed`);
	assert.ok(cells.includes('fewer than 10'), 'the small "not said" group is not counted');

	const fields = {};
	for (let i = 0; i < n; i++) { fields[`min-${i}`] = '0'; fields[`max-${i}`] = '6'; }
	fields['min-0'] = '5';
	fields['max-0'] = '2';
	fields['min-1'] = '-1';
	res = await postAs(lead, `/panels/${id}/quotas`, fields, `/panels/${id}/quotas`);
	assert.strictEqual(res.status, 400);
	assert.match(res.body, /Minimum must not be more than the maximum/);
	assert.match(res.body, /Enter a number that is 0 or more/);
	assert.match(res.body, /id="min-0"[^>]*value="5"|value="5"[^>]*id="min-0"/);

	for (let i = 0; i < n; i++) { fields[`min-${i}`] = '4'; fields[`max-${i}`] = '6'; }
	res = await postAs(lead, `/panels/${id}/quotas`, fields, `/panels/${id}/quotas`);
	assert.strictEqual(res.status, 400);
	assert.match(res.body, /The minimums for Age add up to \d+, more than the 6 places/);

	// More places than the pool holds.
	res = await postAs(lead, `/panels/${id}/settings`, { name: 'Demo quota panel', places: '100000' }, `/panels/${id}/settings`);
	assert.strictEqual(res.status, 400);
	assert.match(res.body, /Number of places must be (500 or fewer|no more than)/);
	res = await postAs(lead, `/panels/${id}/settings`, { name: 'Demo quota panel', places: '400' }, `/panels/${id}/settings`);
	assert.strictEqual(res.status, 400);
	assert.match(res.body, /Number of places must be no more than the \d+ people in the pool/);
	assert.match(res.body, /value="400"/);
});

test('quotas nobody can meet: said plainly, with the smallest change to apply', async () => {
	const id = await createPanel(programmeId, 'Demo impossible panel', 6);
	await postAs(lead, `/panels/${id}/quotas/add`, { category: 'age_band' }, `/panels/${id}/quotas`);
	// Six places, but at least six aged 16 to 24 and at least six aged 25 to 34.
	sql(srv.dbPath, `UPDATE panel_quotas SET min_count = 6, max_count = 6 WHERE panel_id = ${id} AND value IN ('16_24', '25_34')`);
	const res = await postAs(lead, `/panels/${id}/compute`, {}, `/panels/${id}/manage`);
	assert.strictEqual(res.status, 409);
	assert.match(res.body, /No panel can meet all these quotas at once/);
	assert.match(res.body, /The smallest change that would work/);
	assert.match(res.body, /action="\/panels\/\d+\/relax"/);
	const applied = await postAs(lead, `/panels/${id}/relax`, {}, `/panels/${id}/manage`);
	assert.strictEqual(applied.status, 303);
	const again = await postAs(lead, `/panels/${id}/compute`, {}, `/panels/${id}/manage`);
	assert.strictEqual(again.status, 303);
});

test('the whole selection: chances, a published lottery anyone can re-check, the draw', async () => {
	const id = await createPanel(programmeId, 'Demo drawn panel', 6);
	assert.strictEqual((await postAs(lead, `/panels/${id}/quotas/add`, { category: 'age_band' }, `/panels/${id}/quotas`)).status, 303);
	assert.strictEqual((await postAs(lead, `/panels/${id}/compute`, {}, `/panels/${id}/manage`)).status, 303);

	const manage = await lead.get(`/panels/${id}/manage`);
	assert.strictEqual(manage.status, 200);
	assert.match(manage.body, /Everyone’s chance of being selected/);
	assert.match(manage.body, /with the greedy method it is/);
	assert.match(manage.body, /\d+\.\d%/);
	assert.ok(!manage.body.includes(HOSTILE), 'names are escaped');
	assert.match(manage.body, /&lt;script&gt;alert/);
	// Names and chances only: no one's equality answers.
	assert.ok(!/16 to 24|25 to 34/.test(manage.body), 'no category values on the chances page');

	// A chart of the same figures, with its summary as the alternative text.
	assert.match(manage.body, /<img class="app-chart" src="\/panels\/\d+\/chart.svg" alt="Everyone&#39;s chance of being selected, smallest to largest: the smallest chance is \d+\.\d%/);
	const chart = await lead.get(`/panels/${id}/chart.svg`);
	assert.strictEqual(chart.status, 200);
	assert.match(chart.headers['content-type'], /image\/svg\+xml/);
	assert.match(chart.body, /Fair selection \(LEXIMIN\)/);
	assert.ok(!chart.body.includes('Demo Panel Volunteer'), 'the chart names nobody');
	assert.strictEqual((await local.get(`/panels/${id}/chart.svg`)).status, 403);

	// The respondents export is for leads, and audited.
	const before = sql(srv.dbPath, "SELECT COUNT(*) AS n FROM audit_log WHERE action = 'panel.export_respondents'")[0].n;
	const csv = await lead.get(`/panels/${id}/respondents.csv`);
	assert.strictEqual(csv.status, 200);
	assert.match(csv.headers['content-type'], /text\/csv/);
	assert.match(csv.body, /^id,age_band\r\n/);
	assert.ok(!csv.body.includes('Demo Panel Volunteer'), 'codes, not names');
	assert.strictEqual(sql(srv.dbPath, "SELECT COUNT(*) AS n FROM audit_log WHERE action = 'panel.export_respondents'")[0].n, before + 1);
	const cats = await lead.get(`/panels/${id}/categories.csv`);
	assert.match(cats.body, /^category,feature,min,max\r\nage_band,/);

	assert.strictEqual((await postAs(lead, `/panels/${id}/publish`, PLAN, `/panels/${id}/manage`)).status, 303);

	// Before the draw: the public page and the list, with its hash, and no names.
	const pub = await anon.get(`/panels/${id}`);
	assert.strictEqual(pub.status, 200);
	const hash = pub.body.match(/<code>([0-9a-f]{64})<\/code>/)[1];
	assert.ok(!pub.body.includes('Demo Panel Volunteer'));
	assert.match(pub.body, /The draw will take place on Saturday 7 March 2099 at 6:30pm at Swinton Gateway, Chorley Road\./);
	assert.match(pub.body, new RegExp(`<form method="get" action="/panels/${id}/lottery.txt">`));
	const list = await anon.get(`/panels/${id}/lottery.txt`);
	assert.strictEqual(list.status, 200);
	assert.match(list.headers['content-type'], /text\/plain/);
	assert.strictEqual(crypto.createHash('sha256').update(list.bytes).digest('hex'), hash);
	// What the page's download button asks for (a form with no fields).
	assert.strictEqual((await anon.get(`/panels/${id}/lottery.txt?`)).body, list.body);
	assert.ok(!list.body.includes('Demo'), 'the list shows codes only');
	const lines = list.body.split('\n');
	assert.strictEqual(lines[0], 'coprod lottery 1');
	assert.strictEqual(lines[1], 'tickets 1000');
	assert.strictEqual(lines[2], 'panel size 6');
	assert.match(lines[3], /^1: [A-Z]{6}(,[A-Z]{6}){5}$/);

	// Publishing froze the panel.
	assert.strictEqual((await lead.get(`/panels/${id}/settings`)).status, 403);
	assert.strictEqual((await lead.get(`/panels/${id}/pool`)).status, 403);
	const frozen = await postAs(lead, `/panels/${id}/quotas/add`, { category: 'role' }, `/panels/${id}/manage`);
	assert.strictEqual(frozen.status, 403);

	// Not before the time the public were told, even with the right dice.
	let res = await postAs(lead, `/panels/${id}/draw`, { number: '3 5 1 6 2 4 4 1' }, `/panels/${id}/manage`);
	assert.strictEqual(res.status, 400);
	assert.match(res.body, /<p id="number-error" class="govuk-error-message"><span class="govuk-visually-hidden">Error:<\/span> The draw is planned for 6:30pm on Saturday 7 March 2099\. Make it then, or move it first\.<\/p>/);
	assert.strictEqual(sql(srv.dbPath, `SELECT status FROM panels WHERE id = ${id}`)[0].status, 'published');
	drawDue(id);

	// A wrong number is refused beside the field, kept as typed.
	res = await postAs(lead, `/panels/${id}/draw`, { number: '12x' }, `/panels/${id}/manage`);
	assert.strictEqual(res.status, 400);
	assert.match(res.body, /id="number-error"/);
	assert.match(res.body, /value="12x"/);

	const digits = '35162441';
	res = await postAs(lead, `/panels/${id}/draw`, { number: '3 5 1 6 2 4 4 1' }, `/panels/${id}/manage`);
	assert.strictEqual(res.status, 303);

	// Anyone can re-check: SHA-256 of the hash, a new line and the digits, mod 1000, + 1.
	const s = crypto.createHash('sha256').update(`${hash}\n${digits}`).digest('hex');
	const ticket = Number(BigInt(`0x${s}`) % 1000n) + 1;
	const drawn = await anon.get(`/panels/${id}`);
	assert.strictEqual(drawn.status, 200);
	assert.match(drawn.body, new RegExp(`>${ticket} of 1,000<`));
	const line = lines.find((l) => l.startsWith(`${ticket}: `));
	const codes = line.slice(`${ticket}: `.length).split(',');
	for (const code of codes) assert.ok(drawn.body.includes(code), `chosen code ${code} is shown`);
	assert.ok(!drawn.body.includes('Demo Panel Volunteer'));

	// The people on that ticket are selected; everyone else in the pool waits.
	const rows = sql(srv.dbPath, `SELECT x.public_id AS code, x.outcome, v.stage FROM panel_pool x JOIN volunteers v ON v.id = x.volunteer_id WHERE x.panel_id = ${id}`);
	for (const r of rows) {
		const chosen = codes.includes(r.code);
		assert.strictEqual(r.outcome, chosen ? 'selected' : 'waiting');
		assert.strictEqual(r.stage, chosen ? 'selected' : 'waiting');
	}

	// Someone selected leaves; the lead finds a replacement from those waiting.
	sql(srv.dbPath, `UPDATE volunteers SET stage = 'left', left_reason = 'moved away' WHERE id = (SELECT volunteer_id FROM panel_pool WHERE panel_id = ${id} AND public_id = '${codes[0]}')`);
	const open = await lead.get(`/panels/${id}/manage`);
	assert.match(open.body, /Choose replacements/);
	assert.match(open.body, /One of the people selected has left\./);
	res = await postAs(lead, `/panels/${id}/replace`, {}, `/panels/${id}/manage`);
	assert.strictEqual(res.status, 303);
	assert.strictEqual(sql(srv.dbPath, `SELECT COUNT(*) AS n FROM panel_pool WHERE panel_id = ${id} AND selected_by = 'replacement'`)[0].n, 1);
	const after = await lead.get(`/panels/${id}/manage`);
	assert.match(after.body, /\(Selected as a replacement\)/);
	assert.match(after.body, /\(Selected, then left\)/);
	assert.ok(!/Choose replacements/.test(after.body), 'every place is filled again');
});

test('importing quotas applies whole or names each bad line', async () => {
	const id = await createPanel(programmeId, 'Demo import panel', 6);
	const boundary = '----coprodpaneltest';
	const send = async (text) => {
		const csrf = await csrfOf(lead, `/panels/${id}/quotas/import`);
		const body = [
			`--${boundary}`, 'Content-Disposition: form-data; name="csrf"', '', csrf,
			`--${boundary}`, 'Content-Disposition: form-data; name="file"; filename="categories.csv"', 'Content-Type: text/csv', '', text,
			`--${boundary}--`, '',
		].join('\r\n');
		return lead.request('POST', `/panels/${id}/quotas/import`, { body, headers: { 'Content-Type': `multipart/form-data; boundary=${boundary}` } });
	};
	let res = await send('category,feature,min,max\nage_band,16_24,3,1\nshoe_size,big,0,2\n');
	assert.strictEqual(res.status, 400);
	assert.match(res.body, /Line 2:/);
	assert.strictEqual(sql(srv.dbPath, `SELECT COUNT(*) AS n FROM panel_quotas WHERE panel_id = ${id}`)[0].n, 0);
	res = await send('category,feature,min,max\nage_band,16_24,1,4\nage_band,25_34,1,4\nage_band,not said,0,6\n');
	assert.strictEqual(res.status, 303);
	assert.strictEqual(sql(srv.dbPath, `SELECT COUNT(*) AS n FROM panel_quotas WHERE panel_id = ${id}`)[0].n, 3);

	// Pasted lines instead of a file, as on a phone.
	const csrf = await csrfOf(lead, `/panels/${id}/quotas/import`);
	const body = [
		`--${boundary}`, 'Content-Disposition: form-data; name="csrf"', '', csrf,
		`--${boundary}`, 'Content-Disposition: form-data; name="text"', '', 'category,feature,min,max\nrole,lived experience,3,3\nrole,professional,3,3\nrole,not said,0,6',
		`--${boundary}--`, '',
	].join('\r\n');
	res = await lead.request('POST', `/panels/${id}/quotas/import`, { body, headers: { 'Content-Type': `multipart/form-data; boundary=${boundary}` } });
	assert.strictEqual(res.status, 303);
	assert.deepStrictEqual(sql(srv.dbPath, `SELECT DISTINCT category FROM panel_quotas WHERE panel_id = ${id}`).map((r) => r.category), ['role']);
});

// A panel with age quotas whose chances are worked out; returns its id. Twenty fresh
// volunteers join the programme first: earlier tests' draws take people out of the
// waiting pool, and which people depends on the lottery's random codes, so without them
// a later panel's proposed age quotas could be impossible in one run and not another.
let batches = 0;
async function computedPanel(name, programme = programmeId) {
	addVolunteers(programme, `b${++batches}x`);
	const id = await createPanel(programme, name, 6);
	assert.strictEqual((await postAs(lead, `/panels/${id}/quotas/add`, { category: 'age_band' }, `/panels/${id}/quotas`)).status, 303);
	assert.strictEqual((await postAs(lead, `/panels/${id}/compute`, {}, `/panels/${id}/manage`)).status, 303);
	return id;
}

function codeOf(panel, ref) {
	return sql(srv.dbPath, `SELECT x.public_id AS code FROM panel_pool x JOIN volunteers v ON v.id = x.volunteer_id WHERE x.panel_id = ${panel} AND v.monitoring_ref = '${ref}'`)[0].code;
}

test('the respondents file keeps the answers of people who did not agree to a lead seeing them', async () => {
	const id = await computedPanel('Demo consent panel');
	// Our volunteers still in the pool (an earlier draw took some) with an age band.
	const refs = sql(srv.dbPath, `SELECT v.monitoring_ref AS ref FROM panel_pool x JOIN volunteers v ON v.id = x.volunteer_id JOIN equality_answers e ON e.monitoring_ref = v.monitoring_ref WHERE x.panel_id = ${id} AND v.monitoring_ref LIKE 'paneltest${programmeId}x%' ORDER BY v.id`).map((r) => r.ref);
	assert.ok(refs.length >= 3);
	const [agreed, notAgreed, ...others] = refs;
	sql(srv.dbPath, `INSERT INTO equality_consents (monitoring_ref, kind, status, wording_version, recorded_at) VALUES ('${agreed}', 'lead_view', 'granted', 'v1', '2026-01-01T00:00:00Z'), ('${notAgreed}', 'lead_view', 'withdrawn', 'v1', '2026-01-01T00:00:00Z')`);
	const answer = (ref) => sql(srv.dbPath, `SELECT value FROM equality_answers WHERE monitoring_ref = '${ref}' AND category = 'age_band'`)[0].value;
	const page = await lead.get(`/panels/${id}/manage`);
	assert.match(page.body, /equality answers only where they agreed to a programme lead seeing them/);
	const csv = await lead.get(`/panels/${id}/respondents.csv`);
	assert.strictEqual(csv.status, 200);
	const rows = csv.body.split('\r\n');
	assert.ok(rows.includes(`${codeOf(id, agreed)},${answer(agreed)}`), 'the person who agreed: their answer');
	assert.ok(rows.includes(`${codeOf(id, notAgreed)},not said`), 'the person who withdrew: "not said"');
	for (const ref of others) assert.ok(rows.includes(`${codeOf(id, ref)},not said`), `${ref} did not agree`);
	const audit = sql(srv.dbPath, `SELECT after_json AS j FROM audit_log WHERE action = 'panel.export_respondents' AND entity_id = ${id}`);
	assert.strictEqual(audit.length, 1);
	assert.match(audit[0].j, /who agreed to a lead seeing their answers/);
});

test('possible duplicates stay out of a new pool, are named, and block publishing', async () => {
	const twins = [`Demo Twin ${HOSTILE}`, 'Demo Twin Two'];
	sql(srv.dbPath, `INSERT INTO volunteers (programme_id, name, email, email_key, consent_version, consent_at, stage, stage_changed_at, monitoring_ref, created_at, updated_at) VALUES ${twins.map((n, i) => `(${programmeId}, '${n.replace(/'/g, "''")}', 'twin.demo@example.org', 'twin.demo@example.org', 'v1', '2026-01-01T00:00:00Z', 'volunteered', '2026-01-01T00:00:00Z', 'paneltwin${i}', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')`).join(', ')}`);
	const twinIds = sql(srv.dbPath, "SELECT id FROM volunteers WHERE monitoring_ref LIKE 'paneltwin%' ORDER BY id").map((r) => r.id);
	const id = await computedPanel('Demo duplicates panel');
	assert.strictEqual(sql(srv.dbPath, `SELECT COUNT(*) AS n FROM panel_pool WHERE panel_id = ${id} AND volunteer_id IN (${twinIds.join(', ')})`)[0].n, 0, 'left out of the new pool');

	let pool = await lead.get(`/panels/${id}/pool`);
	assert.strictEqual(pool.status, 200);
	assert.match(pool.body, /Demo Twin Two <strong class="govuk-tag govuk-tag--yellow">Possible duplicate<\/strong>/);
	assert.match(pool.body, /Demo Twin &lt;script&gt;alert\(&quot;x&quot;\)&lt;\/script&gt; <strong class="govuk-tag govuk-tag--yellow">Possible duplicate/);
	assert.ok(!pool.body.includes('id="duplicates"'), 'no warning while they are out of the pool');

	// The lead ticks them in anyway: the warning names them, escaped, with the way to merge.
	const inPool = sql(srv.dbPath, `SELECT volunteer_id AS v FROM panel_pool WHERE panel_id = ${id}`).map((r) => String(r.v));
	const csrf = await csrfOf(lead, `/panels/${id}/pool`);
	let res = await lead.post(`/panels/${id}/pool`, [['csrf', csrf], ...[...inPool, ...twinIds.map(String)].map((v) => ['volunteer', v])]);
	assert.strictEqual(res.status, 303, res.body);
	pool = await lead.get(`/panels/${id}/pool`);
	assert.match(pool.body, /id="duplicates"/);
	// Each pair with a link straight to the page comparing the two records.
	const compare = `/programmes/young-adults/volunteers/${twinIds[0]}/merge/${twinIds[1]}`;
	assert.match(pool.body, new RegExp(`<li class="app-break-words">Demo Twin &lt;script&gt;alert\\(&quot;x&quot;\\)&lt;/script&gt; and Demo Twin Two: <a class="govuk-link" href="${compare}">compare the two records`));
	assert.ok(!pool.body.includes(HOSTILE));
	assert.match(pool.body, /merges the records or marks them as different people/);
	assert.match(pool.body, /href="\/programmes\/young-adults\/volunteers"/);

	assert.strictEqual((await postAs(lead, `/panels/${id}/compute`, {}, `/panels/${id}/manage`)).status, 303);
	const manage = await lead.get(`/panels/${id}/manage`);
	assert.ok(manage.body.includes(`href="${compare}"`), 'the panel page links to the comparison too');
	assert.ok(!/action="\/panels\/\d+\/publish"/.test(manage.body), 'no publish button');
	res = await postAs(lead, `/panels/${id}/publish`, PLAN, `/panels/${id}/manage`);
	assert.strictEqual(res.status, 409);
	assert.match(res.body, /The lottery cannot be published yet/);
	assert.match(res.body, /may hold the same person twice/);
	assert.strictEqual(sql(srv.dbPath, `SELECT status FROM panels WHERE id = ${id}`)[0].status, 'computed');

	// Marked as different people by a facilitator: the pair is resolved and the lottery
	// can be published.
	sql(srv.dbPath, `INSERT INTO volunteer_not_duplicates (low_id, high_id, marked_at) VALUES (${twinIds[0]}, ${twinIds[1]}, '2026-01-01T00:00:00Z')`);
	res = await postAs(lead, `/panels/${id}/publish`, PLAN, `/panels/${id}/manage`);
	assert.strictEqual(res.status, 303);

	// The facilitator takes the mark back before the draw: the panel's page warns with the
	// pair to compare, and the draw is refused until it is resolved again.
	sql(srv.dbPath, `DELETE FROM volunteer_not_duplicates WHERE low_id = ${twinIds[0]} AND high_id = ${twinIds[1]}`);
	drawDue(id);
	const again = await lead.get(`/panels/${id}/manage`);
	assert.match(again.body, /id="duplicates"/);
	assert.ok(again.body.includes(`href="${compare}"`));
	res = await postAs(lead, `/panels/${id}/draw`, { number: '6 1 2 3 4 5 6 1' }, `/panels/${id}/manage`);
	assert.strictEqual(res.status, 400);
	assert.match(res.body, /<p id="number-error" class="govuk-error-message"><span class="govuk-visually-hidden">Error:<\/span> Two records in the pool may be the same person/);
	assert.strictEqual(sql(srv.dbPath, `SELECT status FROM panels WHERE id = ${id}`)[0].status, 'published');
	// Merged: the warning goes (the draw itself is left, so later panels keep this pool).
	sql(srv.dbPath, `UPDATE volunteers SET merged_into = ${twinIds[0]} WHERE id = ${twinIds[1]}`);
	assert.ok(!(await lead.get(`/panels/${id}/manage`)).body.includes('id="duplicates"'));
	sql(srv.dbPath, `UPDATE volunteers SET stage = 'left', left_reason = 'demo' WHERE id IN (${twinIds.join(', ')})`);
});

test('proposed quotas list every answer, so a row does not show who is in the pool', async () => {
	const id = await createPanel(programmeId, 'Demo orientation panel', 6);
	assert.strictEqual((await postAs(lead, `/panels/${id}/quotas/add`, { category: 'sexual_orientation' }, `/panels/${id}/quotas`)).status, 303);
	const page = await lead.get(`/panels/${id}/quotas`);
	assert.strictEqual(page.status, 200);
	for (const label of ['Straight or heterosexual', 'Gay or lesbian', 'Bisexual', 'Another sexual orientation', 'Not said']) {
		assert.ok(page.body.includes(label), `a row for ${label}`);
	}
	const cells = [...page.body.matchAll(/<\/th>\s*<td class="govuk-table__cell">([^<]*)<\/td>/g)].map((m) => m[1]);
	for (const c of cells) assert.match(c, /^(fewer than 10|\d*[05])$/);
});

test('the draw takes only the numbers on dice, and everyone is told how to get their code', async () => {
	const id = await computedPanel('Demo dice panel');
	const manage = await lead.get(`/panels/${id}/manage`);
	assert.match(manage.body, /Tell each person in the pool their public code/);
	assert.strictEqual((await postAs(lead, `/panels/${id}/publish`, PLAN, `/panels/${id}/manage`)).status, 303);
	drawDue(id);
	let res = await postAs(lead, `/panels/${id}/draw`, { number: '3 5 1 7 2 4 4 9' }, `/panels/${id}/manage`);
	assert.strictEqual(res.status, 400);
	assert.match(res.body, /<p id="number-error" class="govuk-error-message"><span class="govuk-visually-hidden">Error:<\/span> Enter only the numbers rolled on the dice, 1 to 6/);
	assert.match(res.body, /value="3 5 1 7 2 4 4 9"/);
	assert.strictEqual(sql(srv.dbPath, `SELECT status FROM panels WHERE id = ${id}`)[0].status, 'published');
	const pub = await anon.get(`/panels/${id}`);
	assert.match(pub.body, /ask the programme’s facilitator for your code/);
	res = await postAs(lead, `/panels/${id}/draw`, { number: '6 1 2 3 4 5 6 1' }, `/panels/${id}/manage`);
	assert.strictEqual(res.status, 303);
});

test('the draw\'s date and place: needed to publish, public with a calendar file, moved only before the draw', async () => {
	// In the other programme, whose pool earlier draws have not taken from.
	const id = await computedPanel('Demo planned draw panel', otherProgrammeId);
	const from = `/panels/${id}/manage`;
	const page = await lead.get(from);
	assert.match(page.body, /<input class="govuk-input govuk-date-input__input govuk-input--width-2" id="draw_date" name="draw_date-day"/);

	// Publishing without a date, time and place is refused beside each field, input kept.
	let res = await postAs(lead, `/panels/${id}/publish`, { ...PLAN, 'draw_date-day': '31', 'draw_date-month': '2', draw_time: '25:00', draw_place: HOSTILE }, from);
	assert.strictEqual(res.status, 400);
	assert.match(res.body, /<p id="draw_date-error" class="govuk-error-message"><span class="govuk-visually-hidden">Error:<\/span> Enter the date of the draw as a real date/);
	assert.match(res.body, /<p id="draw_time-error" class="govuk-error-message"><span class="govuk-visually-hidden">Error:<\/span> Enter the time of the draw, like 18:30/);
	assert.match(res.body, /href="#draw_date"/);
	assert.match(res.body, /name="draw_date-day" type="text" inputmode="numeric" value="31"/);
	assert.match(res.body, /value="25:00"/);
	assert.ok(!res.body.includes(HOSTILE), 'the place typed is escaped');
	assert.match(res.body, /value="&lt;script&gt;alert\(&quot;x&quot;\)&lt;\/script&gt;"/);
	res = await postAs(lead, `/panels/${id}/publish`, { ...PLAN, 'draw_date-year': '2020' }, from);
	assert.strictEqual(res.status, 400);
	assert.match(res.body, /The draw must be planned for a time in the future/);
	assert.match(res.body, /value="2020"/);
	res = await postAs(lead, `/panels/${id}/publish`, { ...PLAN, draw_place: ' ' }, from);
	assert.strictEqual(res.status, 400);
	assert.match(res.body, /<p id="draw_place-error" class="govuk-error-message"><span class="govuk-visually-hidden">Error:<\/span> Enter where the draw will take place/);
	assert.strictEqual(sql(srv.dbPath, `SELECT status FROM panels WHERE id = ${id}`)[0].status, 'computed');

	// Only a lead of the programme plans the draw.
	const plan = { ...PLAN, draw_place: HOSTILE, draw_roller: `The chair ${HOSTILE}` };
	assert.strictEqual((await postAs(fac, `/panels/${id}/draw-plan`, plan, from)).status, 403);
	assert.strictEqual((await postAs(local, `/panels/${id}/draw-plan`, plan, '/')).status, 403);
	assert.strictEqual((await postAs(lead, '/panels/999999/draw-plan', plan, from)).status, 404);
	assert.strictEqual((await anon.get(`/panels/${id}/draw.ics`)).status, 404, 'nothing public before publishing');

	res = await postAs(lead, `/panels/${id}/publish`, plan, from);
	assert.strictEqual(res.status, 303);
	let pub = await anon.get(`/panels/${id}`);
	assert.strictEqual(pub.status, 200);
	assert.ok(!pub.body.includes(HOSTILE), 'the place is escaped on the public page');
	assert.match(pub.body, /The draw will take place on Saturday 7 March 2099 at 6:30pm at &lt;script&gt;alert\(&quot;x&quot;\)&lt;\/script&gt;\./);
	assert.match(pub.body, /<dt class="govuk-summary-list__key">Who will roll the dice<\/dt>\s*<dd class="govuk-summary-list__value app-break-words">The chair &lt;script&gt;/);
	assert.ok(!/rolled by/.test(pub.body));
	assert.ok(!/Moved from/.test(pub.body), 'not moved yet');
	assert.match(pub.body, new RegExp(`<a class="govuk-link" href="/panels/${id}/draw.ics">Add the draw to your calendar`));

	let ics = await anon.get(`/panels/${id}/draw.ics`);
	assert.strictEqual(ics.status, 200);
	assert.match(ics.headers['content-type'], /^text\/calendar/);
	assert.match(ics.headers['content-disposition'], /attachment; filename="panel-\d+-draw.ics"/);
	assert.match(ics.body, /\r\nDTSTART;TZID=Europe\/London:20990307T183000\r\n/);
	assert.match(ics.body, /\r\nDTEND;TZID=Europe\/London:20990307T193000\r\n/);
	assert.match(ics.body, /\r\nLOCATION:<script>alert\("x"\)<\/script>\r\n/);
	assert.match(ics.body, /\r\nSUMMARY:The draw for Demo planned draw panel\r\n/);
	const seq = Number(ics.body.match(/\r\nSEQUENCE:(\d+)\r\n/)[1]);

	// Moved before the draw: the public page says from when, the calendar entry follows.
	const before = sql(srv.dbPath, `SELECT COUNT(*) AS n FROM audit_log WHERE action = 'panel.draw_moved' AND entity_id = ${id}`)[0].n;
	// Times as people write them: 7pm is 19:00.
	res = await postAs(lead, `/panels/${id}/draw-plan`, { ...plan, 'draw_date-day': '14', draw_time: '7pm' }, from);
	assert.strictEqual(res.status, 303);
	assert.match(res.headers.location, /done=moved/);
	assert.strictEqual(sql(srv.dbPath, `SELECT COUNT(*) AS n FROM audit_log WHERE action = 'panel.draw_moved' AND entity_id = ${id}`)[0].n, before + 1);
	pub = await anon.get(`/panels/${id}`);
	assert.match(pub.body, /The draw will take place on Saturday 14 March 2099 at 7pm at &lt;script&gt;/);
	assert.match(pub.body, /Moved from Saturday 7 March 2099 at 6:30pm\./);
	ics = await anon.get(`/panels/${id}/draw.ics`);
	assert.match(ics.body, /\r\nDTSTART;TZID=Europe\/London:20990314T190000\r\n/);
	assert.ok(Number(ics.body.match(/\r\nSEQUENCE:(\d+)\r\n/)[1]) > seq, 'calendar apps see the change');
	// A mistake while moving it is shown beside the field, input kept.
	res = await postAs(lead, `/panels/${id}/draw-plan`, { ...plan, draw_time: 'evening' }, from);
	assert.strictEqual(res.status, 400);
	assert.match(res.body, /id="draw_time-error"/);
	assert.match(res.body, /value="evening"/);

	// Then the place alone: the page says where it was before.
	res = await postAs(lead, `/panels/${id}/draw-plan`, { ...plan, 'draw_date-day': '14', draw_time: '19.00', draw_place: 'Eccles Library' }, from);
	assert.strictEqual(res.status, 303);
	pub = await anon.get(`/panels/${id}`);
	assert.match(pub.body, /The draw will take place on Saturday 14 March 2099 at 7pm at Eccles Library\./);
	assert.match(pub.body, /Moved from &lt;script&gt;alert\(&quot;x&quot;\)&lt;\/script&gt;\./);

	// A wrong number at the draw leaves the plan's form showing the plan saved.
	res = await postAs(lead, `/panels/${id}/draw`, { number: 'x' }, from);
	assert.strictEqual(res.status, 400);
	assert.match(res.body, /id="draw_place" name="draw_place" type="text" value="Eccles Library"/);

	// The meeting is today, a moment ago: the page says when the dice were really rolled,
	// on the day planned, and who rolled them.
	const today = todayInSalford();
	drawDue(id, `${today.iso}T00:00`);
	res = await postAs(lead, `/panels/${id}/draw`, { number: '6 1 2 3 4 5 6 1' }, from);
	assert.strictEqual(res.status, 303);
	pub = await anon.get(`/panels/${id}`);
	assert.match(pub.body, new RegExp(`The draw took place on ${today.day} at (\\d{1,2}(:\\d\\d)?(am|pm)|midday|midnight) at Eccles Library\\.`));
	assert.ok(!/made on a later day/.test(pub.body));
	assert.match(pub.body, /<dt class="govuk-summary-list__key">Who rolled the dice<\/dt>\s*<dd class="govuk-summary-list__value app-break-words">The chair &lt;script&gt;/);
	assert.ok(!/will take place/.test(pub.body));
	assert.strictEqual((await postAs(lead, `/panels/${id}/draw-plan`, PLAN, from)).status, 403);
	assert.strictEqual((await anon.get(`/panels/${id}/draw.ics`)).status, 200);
});

test('a draw whose time has passed: said so, no calendar link, and made later says so', async () => {
	const id = await computedPanel('Demo late draw panel', otherProgrammeId);
	const from = `/panels/${id}/manage`;
	// A link to watch online as well: https only, refused beside the field otherwise.
	let res = await postAs(lead, `/panels/${id}/publish`, { ...PLAN, draw_link: 'javascript:alert(1)' }, from);
	assert.strictEqual(res.status, 400);
	assert.match(res.body, /<p id="draw_link-error" class="govuk-error-message"><span class="govuk-visually-hidden">Error:<\/span> Enter the link as a full web address starting https:\/\//);
	assert.match(res.body, /id="draw_link" name="draw_link" type="url" spellcheck="false" autocomplete="off" value="javascript:alert\(1\)"/);
	const link = 'https://meet.example.org/draw?a=1&b="2"';
	res = await postAs(lead, `/panels/${id}/publish`, { ...PLAN, draw_roller: 'the chair of the meeting', draw_link: link }, from);
	assert.strictEqual(res.status, 400, 'quotes are not part of a web address');
	res = await postAs(lead, `/panels/${id}/publish`, { ...PLAN, draw_roller: 'the chair of the meeting', draw_link: 'https://meet.example.org/draw?a=1&b=2' }, from);
	assert.strictEqual(res.status, 303);
	const before = await anon.get(`/panels/${id}`);
	assert.match(before.body, /You can also <a class="govuk-link" href="https:\/\/meet.example.org\/draw\?a=1&amp;b=2">watch the draw online<\/a>\./);
	const ics = await anon.get(`/panels/${id}/draw.ics`);
	assert.match(ics.body, /\r\nURL:https:\/\/meet.example.org\/draw\?a=1&b=2\r\n/);
	drawDue(id);
	const pub = await anon.get(`/panels/${id}`);
	assert.match(pub.body, /The draw was due to take place on Wednesday 1 January 2020 at 10am at Swinton Gateway, Chorley Road; the result will appear here\./);
	assert.ok(!/will take place|Add the draw to your calendar|watch the draw online/.test(pub.body));
	const programme = await anon.get('/programmes/panel-test-other');
	assert.strictEqual(programme.status, 200);
	assert.match(programme.body, /Demo late draw panel<\/a> \(draw was due on Wednesday 1 January 2020 at 10am; result to come\)/);
	const manage = await lead.get(from);
	assert.match(manage.body, /The time planned for the draw, Wednesday 1 January 2020 at 10am, has passed and the draw has not been made\./);
	assert.match(manage.body, /Make the draw<\/button>/);
	assert.match(manage.body, /Change the date or place of the draw/);

	res = await postAs(lead, `/panels/${id}/draw`, { number: '6 1 2 3 4 5 6 1' }, from);
	assert.strictEqual(res.status, 303);
	const drawn = await anon.get(`/panels/${id}`);
	assert.match(drawn.body, new RegExp(`The draw took place on ${todayInSalford().day} at .* at Swinton Gateway, Chorley Road\\.`));
	assert.match(drawn.body, /It was planned for Wednesday 1 January 2020 at 10am, and made on a later day\./);
	const after = await lead.get(from);
	assert.match(after.body, new RegExp(`Made on ${todayInSalford().day} at .*, Swinton Gateway, Chorley Road<br>Who rolled the dice: the chair of the meeting`));
	assert.match(drawn.body, /Who rolled the dice<\/dt>\s*<dd class="govuk-summary-list__value app-break-words">the chair of the meeting</);
});

test('a time gone today is refused on the time; the hints show usual times and places', async () => {
	const id = await createPanel(otherProgrammeId, 'Demo today panel', 6);
	const from = `/panels/${id}/manage`;
	const page = await lead.get(from);
	assert.match(page.body, /For example, 18:30 or 6:30pm/);
	assert.match(page.body, /for example Swinton Gateway, Chorley Road, Swinton/);
	assert.match(page.body, /for example the chair of the meeting/);
	assert.ok(!/link on this page/.test(page.body), 'no link is offered that the page cannot show');
	const [year, month, day] = todayInSalford().iso.split('-');
	const res = await postAs(lead, `/panels/${id}/draw-plan`, { ...PLAN, 'draw_date-day': day, 'draw_date-month': month, 'draw_date-year': year, draw_time: '00:00' }, from);
	assert.strictEqual(res.status, 400);
	assert.match(res.body, /<p id="draw_time-error" class="govuk-error-message"><span class="govuk-visually-hidden">Error:<\/span> The draw must be planned for a time in the future<\/p>/);
	assert.ok(!/id="draw_date-error"/.test(res.body));
	assert.match(res.body, /value="00:00"/);
	for (const time of ['18.30', '1830', '6.30pm']) {
		const ok = await postAs(lead, `/panels/${id}/draw-plan`, { ...PLAN, draw_time: time }, from);
		assert.strictEqual(ok.status, 303, `${time} is a time`);
		assert.strictEqual(sql(srv.dbPath, `SELECT draw_at FROM panels WHERE id = ${id}`)[0].draw_at, '2099-03-07T18:30');
	}
});

test('with no quotas the page does not offer the greedy method as unknown', async () => {
	const id = await createPanel(otherProgrammeId, 'Demo no quotas panel', 6);
	assert.strictEqual((await postAs(lead, `/panels/${id}/compute`, {}, `/panels/${id}/manage`)).status, 303);
	const manage = await lead.get(`/panels/${id}/manage`);
	assert.strictEqual(manage.status, 200);
	assert.match(manage.body, /There are no quotas, so the greedy method is not needed: any fair way of drawing gives everyone in the pool the same chance, \d+\.\d%\./);
	assert.ok(!/not known \(it could not fill the quotas\)/.test(manage.body));
	assert.ok(!/>Greedy method</.test(manage.body), 'no empty greedy column');
});
