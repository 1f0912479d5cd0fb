// payments.test.js: paying participants through the real server, as each person meets it:
// a programme lead setting the policy; a local person reading the benefits notice and
// choosing how to be paid; a facilitator claiming from attendance; a second lead approving;
// a batch exported to finance as CSV and XLSX, marked paid, and a payment reversed; each
// person seeing only their own payments and the Board only totals. Every refusal leaves
// nothing changed: negative and malformed amounts, a session not attended, a second claim,
// approving one's own claim, editing a paid claim.
'use strict';

const { test, before, after } = require('node:test');
const assert = require('assert');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { execFileSync } = require('child_process');
const { startServer } = require('./lib');
const { sql, submit, textOf, coprod } = require('./helpers_basic');

const PASSWORD = 'demo-password-2026';
const LEAD = 'programme.lead@example.org';
const LEAD2 = 'second.lead@example.org';
const LOCAL = 'local.person@example.org';
const FACILITATOR = 'facilitator@example.org';
const MAKER = 'decision.maker@example.org';
const BOARD = 'board.member@example.org';
const HOSTILE = '<script>alert("x")</script> & "friends"';
const BASE = '/programmes/young-adults/payments';

let srv;
let lead;
let lead2;
let fac;
let local;
let board;
let maker;

function one(query) {
	const rows = sql(srv.dbPath, query);
	return rows.length ? rows[0] : null;
}

function idOf(email) {
	return one(`SELECT id FROM accounts WHERE email = '${email}'`).id;
}

function idNamed(name) {
	return one(`SELECT id FROM accounts WHERE display_name = '${name}'`).id;
}

// The sessions a person was marked present at, oldest first.
function presentAt(accountId) {
	return sql(srv.dbPath, `SELECT s.id, substr(s.starts_at, 1, 10) AS day FROM attendance a JOIN group_sessions s ON s.id = a.session_id WHERE a.account_id = ${accountId} AND a.status = 'present' ORDER BY s.starts_at`);
}

// Those sessions with no claim yet (the demo claims everything before November 2022).
function unclaimed(accountId) {
	return sql(srv.dbPath, `SELECT s.id, substr(s.starts_at, 1, 10) AS day FROM attendance a JOIN group_sessions s ON s.id = a.session_id WHERE a.account_id = ${accountId} AND a.status = 'present' AND NOT EXISTS (SELECT 1 FROM payment_claims c WHERE c.account_id = a.account_id AND c.session_id = s.id AND c.status <> 'reversed') ORDER BY s.starts_at`);
}

function claimCount() {
	return one('SELECT COUNT(*) AS n FROM payment_claims').n;
}

function summary(html) {
	const m = html.match(/<div class="govuk-error-summary"[\s\S]*?<\/ul>/);
	return m ? textOf(m[0]).replace(/\s+/g, ' ').trim() : '';
}

function mainOf(html) {
	const m = html.match(/<main[\s\S]*<\/main>/);
	return m ? m[0] : html;
}

async function signedIn(email) {
	const c = srv.client();
	const res = await c.signIn(email, PASSWORD);
	assert.strictEqual(res.status, 303, `signing in as ${email}: ${res.status}`);
	return c;
}

function claimPath(res) {
	assert.strictEqual(res.status, 303, `expected a redirect, got ${res.status}: ${summary(res.body)}`);
	const m = res.headers.location.match(/\/payments\/claims\/(\d+)/);
	assert.ok(m, `redirected to a claim: ${res.headers.location}`);
	return `/payments/claims/${m[1]}`;
}

before(async () => {
	srv = await startServer();
	// A second programme lead, to approve what the first one submitted.
	const added = await coprod(['user', 'add', LEAD2, '--role', 'programme_lead', '--name', 'Demo Second Lead', '--db', srv.dbPath], { input: `${PASSWORD}\n` });
	assert.strictEqual(added.code, 0, added.out);
	// A programme with no groups: its facilitators are nobody.
	sql(srv.dbPath, "INSERT INTO programmes (slug, name, summary, created_at, updated_at) VALUES ('pay-other', 'Another programme', 'For tests', '2022-01-01T00:00:00Z', '2022-01-01T00:00:00Z')");
	lead = await signedIn(LEAD);
	lead2 = await signedIn(LEAD2);
	fac = await signedIn(FACILITATOR);
	local = await signedIn(LOCAL);
	board = await signedIn(BOARD);
	maker = await signedIn(MAKER);
});

after(async () => {
	if (srv) await srv.stop();
});

test('money pages are for leads and the programme\'s facilitators; others are refused', async () => {
	assert.strictEqual((await lead.get(BASE)).status, 200);
	assert.strictEqual((await fac.get(BASE)).status, 200);
	assert.strictEqual((await local.get(BASE)).status, 403);
	assert.strictEqual((await maker.get(BASE)).status, 403);
	assert.strictEqual((await board.get(BASE)).status, 403);
	assert.strictEqual((await local.get('/payments')).status, 403);
	// A facilitator of none of its groups does not learn the programme's money exists.
	assert.strictEqual((await fac.get('/programmes/pay-other/payments')).status, 404);
	assert.strictEqual((await fac.get('/programmes/no-such/payments')).status, 404);
	assert.strictEqual((await lead.get('/programmes/pay-other/payments')).status, 200);
	// Signed out: sent to sign in.
	const anon = await srv.client().get(BASE);
	assert.strictEqual(anon.status, 303);
	// Board members see totals only.
	const index = await board.get('/payments');
	assert.strictEqual(index.status, 200);
	assert.match(index.body, /href="\/programmes\/young-adults\/payments\/totals"/);
	assert.strictEqual((await board.get(`${BASE}/totals`)).status, 200);
	assert.strictEqual((await board.get(`${BASE}/claims`)).status, 403);
});

test('a lead sets the policy; mistakes are shown with what was typed, hostile text as text', async () => {
	// The demo's policy has two versions: £15 an hour from 1 December 2021, £16 from 6 April 2022.
	const versions = () => one('SELECT COUNT(*) AS n FROM payment_policies').n;
	const before = versions();
	let res = await submit(lead, `${BASE}/policy`, `${BASE}/policy`, {
		starts_day: '1', starts_month: '12', starts_year: '2022', rate_kind: 'hour', rate: '-15', expenses_rules: HOSTILE,
	});
	assert.strictEqual(res.status, 400);
	assert.match(summary(res.body), /rate must be an amount/);
	assert.match(res.body, /value="-15"/);
	assert.ok(!res.body.includes('<script>alert'), 'hostile text escaped');
	assert.ok(res.body.includes('&lt;script&gt;alert'), 'hostile text kept, escaped');
	res = await submit(lead, `${BASE}/policy`, `${BASE}/policy`, {
		starts_day: '1', starts_month: '12', starts_year: '2022', rate_kind: 'hour', rate: '£1,7.00',
	});
	assert.strictEqual(res.status, 400);
	// Never backdated before the version in force.
	res = await submit(lead, `${BASE}/policy`, `${BASE}/policy`, {
		starts_day: '1', starts_month: '1', starts_year: '2022', rate_kind: 'hour', rate: '14',
	});
	assert.strictEqual(res.status, 400);
	assert.match(summary(res.body), /must start after the current one/);
	assert.strictEqual(versions(), before, 'nothing saved');
	// Nor back-dated over sessions people have already claimed for (the demo claims up
	// to October 2022): those claims keep the rates they were made under.
	res = await submit(lead, `${BASE}/policy`, `${BASE}/policy`, {
		starts_day: '1', starts_month: '6', starts_year: '2022', rate_kind: 'hour', rate: '14.50',
	});
	assert.strictEqual(res.status, 400);
	assert.match(summary(res.body), /Claims have already been made for sessions up to \d+ \w+ 2022/);
	assert.match(res.body, /id="starts-error"/);
	assert.match(res.body, /value="14.50"/);
	assert.strictEqual(versions(), before, 'nothing saved');

	res = await submit(lead, `${BASE}/policy`, `${BASE}/policy`, {
		starts_day: '1', starts_month: '12', starts_year: '2022', rate_kind: 'session', rate: '35.00',
		role_name_1: 'Co-chair', role_amount_1: '20', expenses_rules: HOSTILE,
	});
	assert.strictEqual(res.status, 303);
	assert.strictEqual(versions(), before + 1);

	const page = await fac.get(`${BASE}/policy`);
	assert.strictEqual(page.status, 200);
	const text = textOf(mainOf(page.body));
	assert.match(text, /Version 3, from 1 December 2022/);
	assert.match(text, /£35 a session/);
	assert.match(text, /Version 2, from 6 April 2022/);
	assert.match(text, /£15 an hour/);
	assert.match(text, /Co-chair: £20/);
	assert.ok(!page.body.includes('<script>alert'));
	assert.ok(!page.body.includes('action="/programmes/young-adults/payments/policy"'), 'facilitators see no form');
	const csrf = await fac.csrf('/account/payments/choice');
	assert.strictEqual((await fac.post(`${BASE}/policy`, { csrf, rate: '1' })).status, 403);
});

test('a local person reads the notice, then chooses; a facilitator records choices with people', async () => {
	const page = await local.get('/account/payments/choice');
	assert.strictEqual(page.status, 200);
	const text = textOf(page.body);
	assert.match(text, /count as income/);
	assert.match(text, /not income/);
	assert.match(text, /Citizens Advice/);
	assert.match(text, /does not keep bank details/);
	assert.match(text, /CP-\d{6}/);

	let res = await submit(local, '/account/payments/choice', '/account/payments/choice', { method: 'charity', charity_name: '' });
	assert.strictEqual(res.status, 400);
	assert.match(summary(res.body), /name of the charity/);
	res = await submit(local, '/account/payments/choice', '/account/payments/choice', { method: 'bank-transfer' });
	assert.strictEqual(res.status, 303);
	const mine = await local.get('/account/payments');
	assert.match(textOf(mine.body), /Bank transfer/);

	const kai = idNamed('Demo Young Adult Kai');
	const leah = idNamed('Demo Young Adult Leah');
	res = await submit(fac, `${BASE}/choices/${kai}`, `${BASE}/choices/${kai}`, { method: 'charity', charity_name: HOSTILE });
	assert.strictEqual(res.status, 303);
	res = await submit(fac, `${BASE}/choices/${leah}`, `${BASE}/choices/${leah}`, { method: 'decline' });
	assert.strictEqual(res.status, 303);
	const audit = one(`SELECT account_id, on_behalf_of FROM audit_log WHERE entity = 'payment_choice' AND entity_id = ${leah}`);
	assert.strictEqual(audit.account_id, idOf(FACILITATOR));
	assert.strictEqual(audit.on_behalf_of, leah);
	// Someone outside the programme's groups cannot have a choice recorded here.
	assert.strictEqual((await fac.get(`${BASE}/choices/${idOf(LEAD)}`)).status, 404);

	const overview = textOf(mainOf((await fac.get(BASE)).body)).replace(/\s+/g, ' ');
	assert.match(overview, /Demo Young Adult Leah[^£]{0,80}CP-\d{6} Not paid \(declined\)/);
	assert.ok(overview.includes('Paid to a charity (<script>alert'), 'the charity, as text');
	const claims = await fac.get(`${BASE}/claims`);
	assert.strictEqual(claims.status, 200);
	assert.match(textOf(claims.body), /Chose not to be paid — expenses only/);
});

test('a facilitator acting for someone without email sees and records their payments', async () => {
	const joe = idNamed('Demo Assisted Person Joe');
	const helper = await signedIn(FACILITATOR);
	const csrf = await helper.csrf('/account/payments/choice');
	assert.strictEqual((await helper.post(`/acting-for/${joe}`, { csrf })).status, 303);
	const page = await helper.get('/account/payments');
	assert.strictEqual(page.status, 200);
	assert.match(textOf(mainOf(page.body)), /Payments for Demo Assisted Person Joe/);
	assert.match(textOf(mainOf(page.body)), new RegExp(`CP-${String(joe).padStart(6, '0')}`));
	const res = await submit(helper, '/account/payments/choice', '/account/payments/choice', { method: 'voucher' });
	assert.strictEqual(res.status, 303);
	const audit = sql(srv.dbPath, `SELECT account_id, on_behalf_of FROM audit_log WHERE entity = 'payment_choice' AND entity_id = ${joe} ORDER BY id DESC LIMIT 1`)[0];
	assert.deepStrictEqual(audit, { account_id: idOf(FACILITATOR), on_behalf_of: joe });
	assert.strictEqual(one(`SELECT method FROM payment_choices WHERE account_id = ${joe} ORDER BY id DESC LIMIT 1`).method, 'voucher');
});

let amina;
let aminaClaim;
let kaiClaim;

test('a facilitator claims from attendance; every refusal changes nothing', async () => {
	amina = idOf(LOCAL);
	const sessions = unclaimed(amina);
	assert.ok(sessions.length >= 1, 'the demo leaves sessions to claim');
	const first = sessions[0];
	assert.ok(first.day < '2022-12-01', 'a session under version 2: £16 an hour');
	const newPath = `${BASE}/claims/new?person=${amina}&session=${first.id}`;
	const form = await fac.get(newPath);
	assert.strictEqual(form.status, 200);
	assert.match(form.body, /name="hours"[^>]*value="2"/);

	const before = claimCount();
	let res = await submit(fac, newPath, `${BASE}/claims/new`, { travel: '-4.80', travel_receipt: 'T1' });
	assert.strictEqual(res.status, 400);
	assert.match(summary(res.body), /not less than zero/);
	assert.match(res.body, /value="-4.80"/);
	res = await submit(fac, newPath, `${BASE}/claims/new`, { travel: '4.8.0', travel_receipt: 'T1' });
	assert.strictEqual(res.status, 400);
	res = await submit(fac, newPath, `${BASE}/claims/new`, { hours: 'two', travel: '4.80', travel_receipt: 'T1' });
	assert.strictEqual(res.status, 400);
	assert.match(summary(res.body), /Hours must be a number/);
	res = await submit(fac, newPath, `${BASE}/claims/new`, { travel: '4.80', travel_receipt: '' });
	assert.strictEqual(res.status, 400);
	assert.match(summary(res.body), /receipt reference/);
	assert.strictEqual(claimCount(), before, 'nothing saved');

	res = await submit(fac, newPath, `${BASE}/claims/new`, { hours: '2.5', travel: '4.80', travel_receipt: HOSTILE });
	aminaClaim = claimPath(res);
	const page = await fac.get(aminaClaim);
	const text = textOf(mainOf(page.body));
	assert.match(text, /£40/); // 2.5 hours at £16
	assert.match(text, /£4\.80/);
	assert.match(text, /£44\.80/);
	assert.ok(!page.body.includes('<script>alert'));

	// A second claim for the same session.
	const csrf = await fac.csrf(newPath);
	res = await fac.post(`${BASE}/claims/new`, { csrf, person: amina, session: first.id, hours: '2' });
	assert.strictEqual(res.status, 400);
	assert.match(summary(res.body), /already been made/);
	// A session she was not marked present at.
	const absent = one(`SELECT s.id FROM group_sessions s JOIN working_groups g ON g.id = s.group_id JOIN programmes p ON p.id = g.programme_id WHERE p.slug = 'young-adults' AND s.id NOT IN (SELECT session_id FROM attendance WHERE account_id = ${amina} AND status = 'present') LIMIT 1`);
	res = await fac.post(`${BASE}/claims/new`, { csrf, person: amina, session: absent.id, hours: '2' });
	assert.strictEqual(res.status, 400);
	assert.match(summary(res.body), /not marked present at that session/);
	// Nor for a decision-maker, who is paid by their employer.
	const makerId = idOf(MAKER);
	res = await fac.post(`${BASE}/claims/new`, { csrf, person: makerId, session: presentAt(makerId)[0].id, hours: '2' });
	assert.strictEqual(res.status, 400);
	// Someone who declined: listed once, not as a row of nothing per session, and only
	// their expenses can be claimed.
	const leah = idNamed('Demo Young Adult Leah');
	const leahSession = presentAt(leah)[0];
	const claimsPage = await fac.get(`${BASE}/claims`);
	const owed = claimsPage.body.slice(claimsPage.body.indexOf('id="owed"'), claimsPage.body.indexOf('id="declined"'));
	assert.ok(claimsPage.body.includes('id="declined"'), 'a section for people who chose not to be paid');
	assert.ok(!owed.includes('Demo Young Adult Leah'), 'not listed as owed');
	assert.ok(!/>\s*Nothing\s*</.test(owed), 'no rows of nothing');
	assert.strictEqual(claimsPage.body.split('Demo Young Adult Leah: claim expenses').length, 2, 'Leah once');
	res = await fac.post(`${BASE}/claims/new`, { csrf, person: leah, session: leahSession.id, hours: '2' });
	assert.strictEqual(res.status, 400);
	assert.match(summary(res.body), /chose not to be paid for their time/);
	assert.ok(!/name="hours"/.test(res.body), 'no hours for someone who declined');
	assert.strictEqual(claimCount(), before + 1);
	res = await fac.post(`${BASE}/claims/new`, { csrf, person: leah, session: leahSession.id, travel: '3.40', travel_receipt: 'Bus L1' });
	assert.strictEqual(res.status, 303);
	const leahClaim = one(`SELECT c.id, (SELECT SUM(amount_pence) FROM payment_claim_items i WHERE i.claim_id = c.id AND i.kind <> 'expense') AS pay, (SELECT SUM(amount_pence) FROM payment_claim_items i WHERE i.claim_id = c.id AND i.kind = 'expense') AS exp FROM payment_claims c WHERE c.account_id = ${leah}`);
	assert.strictEqual(leahClaim.pay, null, 'nothing for her time');
	assert.strictEqual(leahClaim.exp, 340);
	assert.strictEqual(claimCount(), before + 2);

	// The lead submits one for Kai (after 6 April 2022: £16 an hour).
	const kai = idNamed('Demo Young Adult Kai');
	const later = unclaimed(kai).find((s) => s.day >= '2022-04-06' && s.day < '2022-12-01');
	res = await submit(lead, `${BASE}/claims/new?person=${kai}&session=${later.id}`, `${BASE}/claims/new`, { hours: '2' });
	kaiClaim = claimPath(res);
	assert.match(textOf(mainOf((await lead.get(kaiClaim)).body)), /£32/);
});

test('approval needs a second person; a returned claim is corrected', async () => {
	// The lead who submitted Kai's claim cannot approve it.
	let res = await submit(lead2, kaiClaim, `${kaiClaim}/return`, { reason: '' });
	assert.strictEqual(res.status, 400, 'a reason is needed to return');
	const csrf = await lead.csrf(aminaClaim);
	res = await lead.post(`${kaiClaim}/approve`, { csrf });
	assert.strictEqual(res.status, 403);
	assert.match(textOf(res.body), /another programme lead must approve it/);
	assert.strictEqual(one(`SELECT status FROM payment_claims WHERE id = ${kaiClaim.split('/').pop()}`).status, 'submitted');
	// A facilitator cannot approve at all.
	res = await fac.post(`${aminaClaim}/approve`, { csrf: await fac.csrf(aminaClaim) });
	assert.strictEqual(res.status, 403);

	res = await submit(lead2, kaiClaim, `${kaiClaim}/return`, { reason: `Check the hours ${HOSTILE}` });
	assert.strictEqual(res.status, 303);
	let page = await fac.get(kaiClaim);
	assert.match(textOf(page.body), /Returned/);
	assert.ok(!page.body.includes('<script>alert'));
	res = await submit(fac, kaiClaim, `${kaiClaim}/edit`, { hours: '1.5' });
	assert.strictEqual(res.status, 303);
	page = await lead2.get(kaiClaim);
	assert.match(textOf(mainOf(page.body)), /£24/);
	res = await submit(lead2, kaiClaim, `${kaiClaim}/approve`, {});
	assert.strictEqual(res.status, 303);
	// A lead who corrects the facilitator's claim can still approve it: it stays the
	// facilitator's, the page says who may approve, and the correction is audited.
	page = await lead.get(aminaClaim);
	assert.match(textOf(page.body).replace(/\s+/g, ' '), /Who approves it Any programme lead who did not submit it \(Demo Facilitator/);
	res = await submit(lead, aminaClaim, `${aminaClaim}/edit`, { hours: '2.5' });
	assert.strictEqual(res.status, 303);
	const aminaId = aminaClaim.split('/').pop();
	assert.strictEqual(one(`SELECT submitted_by FROM payment_claims WHERE id = ${aminaId}`).submitted_by, idOf(FACILITATOR));
	assert.strictEqual(one(`SELECT COUNT(*) AS n FROM audit_log WHERE entity = 'payment_claim' AND entity_id = ${aminaId} AND action = 'correct' AND account_id = ${idOf(LEAD)}`).n, 1);
	res = await submit(lead, aminaClaim, `${aminaClaim}/approve`, {});
	assert.strictEqual(res.status, 303);
	assert.strictEqual(one(`SELECT approved_by FROM payment_claims WHERE id = ${aminaId}`).approved_by, idOf(LEAD));
});

let batchPath;

test('approved claims go to finance as CSV and XLSX, then are paid, closed and reversible', async () => {
	let res = await submit(lead, BASE, `${BASE}/batches`, {});
	assert.strictEqual(res.status, 303);
	batchPath = res.headers.location.replace(/\?.*$/, '');
	assert.match(batchPath, /^\/payments\/batches\/\d+$/);
	const batchId = batchPath.split('/').pop();

	const csv = await lead.get(`${batchPath}/export.csv`);
	assert.strictEqual(csv.status, 200);
	assert.match(csv.headers['content-type'], /text\/csv/);
	assert.match(csv.headers['content-disposition'], /attachment; filename="payment-batch-\d+\.csv"/);
	const lines = csv.body.trim().split('\r\n');
	assert.strictEqual(lines[0], 'Batch,Person reference,Session date,Payment (£),Expenses (£),Total (£),Method,Charity,Payment cost code,Expenses cost code');
	const ref = `CP-${String(amina).padStart(6, '0')}`;
	const row = lines.find((l) => l.includes(ref));
	assert.ok(row, `a row for ${ref}`);
	assert.match(row, new RegExp(`^${batchId},${ref},\\d{4}-\\d{2}-\\d{2},40\\.00,4\\.80,44\\.80,Bank transfer,,DEMO-A-PAY,DEMO-A-EXP$`));
	// Kai's charity name starts like a formula? No, but it is quoted and kept whole.
	const kaiRow = lines.find((l) => l.includes(`CP-${String(idNamed('Demo Young Adult Kai')).padStart(6, '0')}`));
	assert.match(kaiRow, /,24\.00,0\.00,24\.00,Paid to a charity,"<script>alert\(""x""\)<\/script> & ""friends""",/);
	assert.strictEqual(lines[lines.length - 1], `${batchId},Total,,64.00,4.80,68.80,,,,`);
	assert.ok(!csv.body.includes('Amina'), 'no names go to finance');

	const xlsx = await lead.get(`${batchPath}/export.xlsx`);
	assert.strictEqual(xlsx.status, 200);
	assert.match(xlsx.headers['content-type'], /spreadsheetml/);
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'coprod-pay-'));
	try {
		const file = path.join(dir, 'batch.xlsx');
		fs.writeFileSync(file, xlsx.bytes);
		const sheet = execFileSync('unzip', ['-p', file, 'xl/worksheets/sheet1.xml'], { encoding: 'utf8' });
		const strings = execFileSync('unzip', ['-p', file, 'xl/sharedStrings.xml'], { encoding: 'utf8' });
		assert.ok(strings.includes(ref), 'the reference is a cell');
		assert.ok(strings.includes('Payment cost code'));
		assert.ok(strings.includes('Total'));
		assert.ok(!strings.includes('Amina'));
		assert.ok(strings.includes('&lt;script&gt;'), 'text cells are text, escaped in the XML');
		assert.match(sheet, /<v>40<\/v>/);
		assert.match(sheet, /<v>44\.8<\/v>/);
		assert.match(sheet, /<v>68\.8<\/v>/);
		assert.ok(!sheet.includes('<f>'), 'no formulas');
		// Money cells show as pounds and pence; each is a whole number of pence, and the
		// totals row is the sum of the rows to the penny.
		const styles = execFileSync('unzip', ['-p', file, 'xl/styles.xml'], { encoding: 'utf8' });
		assert.ok(styles.includes('formatCode="£#,##0.00"'), 'a £ number format');
		assert.ok(styles.includes('formatCode="d mmmm yyyy"'), 'a date format');
		const rows = [...sheet.matchAll(/<row r="(\d+)"[^>]*>([\s\S]*?)<\/row>/g)].map((m) => {
			const cells = {};
			for (const c of m[2].matchAll(/<c r="([A-Z]+)\d+"([^>]*)>(?:<v>([^<]*)<\/v>)?<\/c>/g)) cells[c[1]] = { attrs: c[2], v: c[3] };
			return cells;
		});
		const body = rows.slice(1, -1);
		const pence = (v) => {
			const p = Number(v) * 100;
			assert.ok(Math.abs(p - Math.round(p)) < 1e-6, `${v} is pounds and pence`);
			return Math.round(p);
		};
		for (const col of ['D', 'E', 'F']) {
			const sum = body.reduce((t, r) => t + pence(r[col].v), 0);
			assert.strictEqual(pence(rows[rows.length - 1][col].v), sum, `column ${col} total`);
		}
		// Session dates are real dates (serial numbers), not text.
		for (const r of body) {
			assert.ok(!/t="s"/.test(r.C.attrs), 'the session date is not text');
			assert.ok(Number(r.C.v) > 44000 && Number(r.C.v) < 60000, `a date serial: ${r.C.v}`);
		}
		assert.ok(!/\d{4}-\d{2}-\d{2}/.test(strings), 'no dates as text');
	} finally {
		fs.rmSync(dir, { recursive: true, force: true });
	}
	// Every download is recorded: personal data has left coprod.
	assert.strictEqual(one(`SELECT COUNT(*) AS n FROM audit_log WHERE entity = 'payment_batch' AND entity_id = ${batchId} AND action = 'export'`).n, 2);
	assert.match(textOf((await lead.get(batchPath)).body), /First downloaded on \d+ \w+ \d{4} by Demo/);
	// Downloads are for leads.
	assert.strictEqual((await fac.get(`${batchPath}/export.csv`)).status, 403);
	assert.strictEqual((await fac.get(batchPath)).status, 200);

	// Marking paid: never in the future.
	res = await submit(lead, batchPath, `${batchPath}/paid`, { paid_on_day: '1', paid_on_month: '1', paid_on_year: '2199' });
	assert.strictEqual(res.status, 400);
	assert.match(summary(res.body), /today or in the past/);
	// Nor before the batch was made (today).
	res = await submit(lead, batchPath, `${batchPath}/paid`, { paid_on_day: '15', paid_on_month: '7', paid_on_year: '2022' });
	assert.strictEqual(res.status, 400);
	assert.match(summary(res.body), /cannot be before the batch was made/);
	assert.match(res.body, /value="2022"/);
	const now = new Date();
	res = await submit(lead, batchPath, `${batchPath}/paid`, { paid_on_day: String(now.getDate()), paid_on_month: String(now.getMonth() + 1), paid_on_year: String(now.getFullYear()) });
	assert.strictEqual(res.status, 303);
	const aminaId = aminaClaim.split('/').pop();
	assert.strictEqual(one(`SELECT status FROM payment_claims WHERE id = ${aminaId}`).status, 'paid');

	// A paid claim is never edited.
	const before = one(`SELECT COUNT(*) AS n, SUM(amount_pence) AS p FROM payment_claim_items WHERE claim_id = ${aminaId}`);
	const csrf = await fac.csrf('/account/payments/choice');
	res = await fac.post(`${aminaClaim}/edit`, { csrf, hours: '9' });
	assert.strictEqual(res.status, 409);
	assert.match(textOf(res.body), /can no longer be changed/);
	assert.deepStrictEqual(one(`SELECT COUNT(*) AS n, SUM(amount_pence) AS p FROM payment_claim_items WHERE claim_id = ${aminaId}`), before);

	// Reversed by a lead, with a reason, as a correcting entry.
	res = await submit(lead, aminaClaim, `${aminaClaim}/reverse`, { reason: '' });
	assert.strictEqual(res.status, 400);
	res = await submit(lead, aminaClaim, `${aminaClaim}/reverse`, { reason: 'Paid twice' });
	assert.strictEqual(res.status, 303);
	const rev = one(`SELECT payment_pence, expenses_pence, reason FROM payment_reversals WHERE claim_id = ${aminaId}`);
	assert.deepStrictEqual(rev, { payment_pence: -4000, expenses_pence: -480, reason: 'Paid twice' });
	assert.ok(one(`SELECT COUNT(*) AS n FROM audit_log WHERE entity = 'payment_claim' AND entity_id = ${aminaId} AND action = 'reverse'`).n === 1);
	const reversedPage = await lead.get(aminaClaim);
	assert.match(textOf(reversedPage.body), /Reversed on/);
	// The session is not offered again as owed; a new claim starts from the claim's page.
	const sid = one(`SELECT session_id FROM payment_claims WHERE id = ${aminaId}`).session_id;
	const again = new RegExp(`person=${amina}(&amp;|&)session=${sid}"`);
	assert.match(textOf(reversedPage.body), /no longer listed as owed/);
	assert.match(reversedPage.body, again);
	const claimsPage = (await fac.get(`${BASE}/claims`)).body;
	const owed = claimsPage.slice(claimsPage.indexOf('id="owed"'), claimsPage.indexOf('Claims made'));
	assert.ok(!again.test(owed), 'a reversed claim\'s session is not owed again');
});

test('each person sees only their own payments; the Board sees rounded totals', async () => {
	const mine = await local.get('/account/payments');
	assert.strictEqual(mine.status, 200);
	const text = textOf(mainOf(mine.body)).replace(/\s+/g, ' ');
	assert.match(text, /Reversed on \d+ \w+ \d{4}: \S?£44\.80/, 'the reversal with its date and amount');
	assert.match(text, /Paid twice/, 'and its reason');
	assert.match(text, /6 April \d{4} to 5 April \d{4}/);
	assert.ok(!text.includes('Kai'), 'nobody else\'s payments');
	assert.ok(!text.includes('£24'), 'nobody else\'s amounts');

	const totals = await board.get(`${BASE}/totals`);
	assert.strictEqual(totals.status, 200);
	const t = textOf(mainOf(totals.body));
	assert.match(t, /2022 to 2023/);
	assert.match(t, /fewer than 10/);
	assert.ok(!t.includes('Kai') && !t.includes('Amina'));

	const chart = await lead.get(`${BASE}/chart.svg`);
	assert.strictEqual(chart.status, 200);
	assert.match(chart.headers['content-type'], /image\/svg\+xml/);
	assert.match(chart.body, /<svg/);
	const overview = await lead.get(BASE);
	assert.match(overview.body, /<img src="\/programmes\/young-adults\/payments\/chart.svg" alt="Payments and expenses paid each month: [^"]+"/);
	assert.match(textOf(overview.body), /July 2022/);
	const alt = overview.body.match(/alt="Payments and expenses paid each month: ([^"]+)"/)[1];
	assert.ok(!/the most in [^(]*\(£0(\.00)?\)/.test(alt), `no £0 month is the most: ${alt}`);
	assert.strictEqual((await local.get(`${BASE}/chart.svg`)).status, 403);
});

test('people taking part as part of their job are told their employer pays them, and nothing more', async () => {
	for (const c of [maker, board]) {
		const res = await c.get('/account/payments');
		assert.strictEqual(res.status, 200);
		const text = textOf(mainOf(res.body)).replace(/\s+/g, ' ');
		assert.match(text, /your employer pays you/);
		assert.ok(!/You have not chosen yet/.test(text), 'no choice to make');
		assert.ok(!/You are paid for your time/.test(text), 'not told they are paid');
		assert.ok(!mainOf(res.body).includes('href="/account/payments/choice"'), 'no link to choose');
	}
	// A local person still sees their choice and totals.
	const mine = textOf(mainOf((await local.get('/account/payments')).body));
	assert.match(mine, /You are paid for your time/);
});
