// budget.test.js: the engagement's budget as each role meets it over HTTP: funding
// sources for programme leads, a programme's budget for its facilitators and leads,
// totals only for Board members, nothing for anyone else; spending refused when it is
// wrong or would go over budget, with what was typed kept; a lead's approval with a
// reason; and hostile text shown escaped.
'use strict';

const test = require('node:test');
const assert = require('node:assert');
const { startServer, DEMO_PASSWORD } = require('./lib');
const { findForm, formData, sql, submit, textOf } = require('./helpers_basic');

const LEAD = 'programme.lead@example.org';
const FAC = 'facilitator@example.org';
const BOARD = 'board.member@example.org';
const LOCAL = 'local.person@example.org';
const DM = 'decision.maker@example.org';
const HOSTILE = '<script>alert("x")</script>';
const BUDGET = '/programmes/young-adults/budget';
const RECORD = `${BUDGET}/record`;
// Names of our own, so the test does not depend on the demo's budget being there.
const SOURCE = 'Budget test fund';

let srv;
let lineId;

async function signedIn(email) {
	const c = srv.client();
	const res = await c.signIn(email, DEMO_PASSWORD);
	assert.strictEqual(res.status, 303, `sign in as ${email}`);
	return c;
}

// The spend form filled in for our test line; FILL overrides any field.
async function record(c, fill) {
	return submit(c, RECORD, RECORD, {
		kind: 'spend', line_id: String(lineId), 'date-day': '14', 'date-month': '6',
		'date-year': '2022', supplier: 'Demo Hall', amount: '10', vat: '', reference: 'REF-1',
		what_for: 'Room hire', ...fill,
	});
}

// The link to correct the entry whose row on the budget page mentions TEXT, or null.
function correctHref(html, text) {
	const row = [...html.matchAll(/<tr class="govuk-table__row">([\s\S]*?)<\/tr>/g)].find((m) => m[1].includes(text));
	const link = row && row[1].match(/href="([^"]*\/correct)"/);
	return link ? link[1] : null;
}

// The error message shown beside the field FIELD.
function fieldError(html, field) {
	const m = html.match(new RegExp(`<p id="${field}-error" class="govuk-error-message">([\\s\\S]*?)</p>`));
	return m ? textOf(m[1]) : null;
}

test.before(async () => {
	srv = await startServer();
	const lead = await signedIn(LEAD);
	let res = await submit(lead, '/funding/new', '/funding/new', {
		name: SOURCE, organisation: 'Demo Test Committee', amount: '1,000',
		financial_year: '2021-22', conditions: 'For the budget test',
	});
	assert.strictEqual(res.status, 303);
	res = await submit(lead, `${BUDGET}/lines/new`, `${BUDGET}/lines/new`, {
		source_id: await sourceValue(lead), kind: 'other', amount: '100', cost_code: 'TEST-1',
		note: 'A line for the test',
	});
	assert.strictEqual(res.status, 303, 'the lead adds a line');
	assert.strictEqual(res.headers.location, `${BUDGET}?done=line`);
	const form = findForm((await lead.get(RECORD)).body, RECORD);
	const opt = form.fields.find((f) => f.name === 'line_id').options.find((o) => o.text.startsWith(`Other (${SOURCE})`));
	assert.ok(opt, 'the new line is offered on the spend form');
	lineId = opt.value;
});
test.after(async () => {
	if (srv) await srv.stop();
});

async function sourceValue(c) {
	const form = findForm((await c.get(`${BUDGET}/lines/new`)).body, `${BUDGET}/lines/new`);
	const opt = form.fields.find((f) => f.name === 'source_id').options.find((o) => o.text.startsWith(SOURCE));
	assert.ok(opt, 'the source is offered');
	return opt.value;
}

test('each role sees only the money pages it is allowed', async () => {
	const anon = srv.client();
	assert.strictEqual((await anon.get('/funding')).status, 303, 'signed out: sent to sign in');
	assert.strictEqual((await anon.get(BUDGET)).status, 303);

	const lead = await signedIn(LEAD);
	for (const p of ['/funding', '/funding/new', BUDGET, `${BUDGET}/summary`, RECORD, `${BUDGET}/lines/new`]) {
		assert.strictEqual((await lead.get(p)).status, 200, `lead: ${p}`);
	}
	const funding = await lead.get('/funding');
	assert.match(textOf(funding.body), /Budget test fund/);
	assert.match(textOf(funding.body), /£1,000/);

	const fac = await signedIn(FAC);
	assert.strictEqual((await fac.get(BUDGET)).status, 200, 'facilitator of the programme');
	assert.strictEqual((await fac.get(RECORD)).status, 200);
	assert.strictEqual((await fac.get('/funding')).status, 403, 'sources are for leads');
	assert.strictEqual((await fac.get(`${BUDGET}/lines/new`)).status, 403, 'lines are for leads');
	assert.strictEqual((await fac.get('/programmes/older-people/budget')).status, 404,
		'a programme the facilitator does not work on is not found');
	assert.strictEqual((await fac.get('/programmes/no-such-programme/budget')).status, 404);

	const board = await signedIn(BOARD);
	assert.strictEqual((await board.get(BUDGET)).status, 403, 'the Board sees totals only');
	assert.strictEqual((await board.get(RECORD)).status, 403);
	assert.strictEqual((await board.get('/funding')).status, 403);
	const summary = await board.get(`${BUDGET}/summary`);
	assert.strictEqual(summary.status, 200);
	assert.match(textOf(summary.body), /Budget totals/);
	assert.match(textOf(summary.body), /Other/, 'totals per kind of cost');

	for (const who of [LOCAL, DM]) {
		const c = await signedIn(who);
		for (const p of ['/funding', BUDGET, `${BUDGET}/summary`, RECORD, `${BUDGET}/chart-lines.svg`]) {
			assert.strictEqual((await c.get(p)).status, 403, `${who}: ${p}`);
		}
	}
});

test('spending up to the budget is saved; a penny over needs a lead and a reason', async () => {
	const fac = await signedIn(FAC);
	const form = findForm((await fac.get(RECORD)).body, RECORD);
	const session = form.fields.find((f) => f.name === 'session_id').options.find((o) => o.value !== '');
	assert.ok(session, 'the programme\'s sessions are offered');
	let res = await record(fac, { amount: '60', session_id: session.value, supplier: 'Demo Sixty Ltd' });
	assert.strictEqual(res.status, 303);
	assert.strictEqual(res.headers.location, `${BUDGET}?done=spend`);
	let page = await fac.get(`${BUDGET}?done=spend&all=1`);
	assert.match(textOf(page.body), /Spending recorded/);
	assert.match(textOf(page.body), /Demo Sixty Ltd/);

	// £40.01 would be 1p over: refused, with the overspend beside the amount.
	res = await record(fac, { amount: '40.01', supplier: 'Demo Penny Over Ltd' });
	assert.strictEqual(res.status, 400);
	assert.match(fieldError(res.body, 'amount'), /£0\.01 over its budget of £100/);
	assert.match(fieldError(res.body, 'amount'), /Only a programme lead can approve/);
	assert.ok(!/name="approve_over"/.test(res.body), 'no approval for a facilitator');
	assert.match(res.body, /value="40\.01"/, 'the amount typed is kept');
	assert.match(res.body, /value="Demo Penny Over Ltd"/, 'the supplier typed is kept');
	// Ticking an approval they were not offered does not help a facilitator.
	const csrf = await fac.csrf(RECORD);
	res = await fac.post(RECORD, formData(findForm((await fac.get(RECORD)).body, RECORD), {
		kind: 'spend', line_id: String(lineId), 'date-day': '14', 'date-month': '6', 'date-year': '2022',
		supplier: 'Demo Penny Over Ltd', amount: '40.01', what_for: 'Room hire', csrf,
	}).concat([['approve_over', 'yes'], ['over_reason', 'Because']]));
	assert.strictEqual(res.status, 403);
	page = await fac.get(`${BUDGET}?all=1`);
	assert.ok(!textOf(page.body).includes('Demo Penny Over Ltd'), 'nothing was saved');

	// Exactly at budget is fine.
	res = await record(fac, { amount: '40.00', supplier: 'Demo Forty Ltd' });
	assert.strictEqual(res.status, 303, 'exactly at budget is saved');

	// The lead is offered the approval, and must give a reason.
	const lead = await signedIn(LEAD);
	res = await record(lead, { amount: '0.01', supplier: 'Demo Approved Ltd' });
	assert.strictEqual(res.status, 400);
	assert.match(fieldError(res.body, 'amount'), /£0\.01 over its budget/);
	assert.match(res.body, /name="approve_over"/, 'a lead is offered the approval');
	const again = findForm(res.body, RECORD);
	res = await lead.post(RECORD, formData(again, { approve_over: 'yes', over_reason: '   ' }));
	assert.strictEqual(res.status, 400);
	assert.match(fieldError(res.body, 'over_reason'), /Enter why going over budget is approved/);
	assert.match(res.body, /value="Demo Approved Ltd"/, 'still kept');
	res = await lead.post(RECORD, formData(findForm(res.body, RECORD), {
		approve_over: 'yes', over_reason: `Agreed at the group's review ${HOSTILE}`,
	}));
	assert.strictEqual(res.status, 303);
	page = await lead.get(`${BUDGET}?all=1`);
	const text = textOf(page.body);
	assert.match(text, /Demo Approved Ltd/);
	assert.match(text, /Over budget approved by Demo/);
	assert.match(text, /£0\.01 over/, 'the line shows it is over');
	assert.ok(!page.body.includes(HOSTILE), 'the reason is escaped');
	assert.ok(page.body.includes('&lt;script&gt;'));
});

test('wrong entries are refused beside their field, keep what was typed and change nothing', async () => {
	const fac = await signedIn(FAC);
	const cases = [
		[{ amount: '-5' }, 'amount', /pounds and pence/],
		[{ amount: '12.345' }, 'amount', /pounds and pence/],
		[{ amount: 'ten pounds' }, 'amount', /pounds and pence/],
		[{ amount: '10', vat: '12' }, 'vat', /VAT cannot be more than the amount/],
		[{ supplier: '  ' }, 'supplier', /Enter who was paid/],
		[{ line_id: '999999' }, 'line_id', /Select a budget line of this programme/],
		[{ 'date-day': '31', 'date-month': '2' }, 'date', /real date/],
		[{ what_for: '' }, 'what_for', /Enter what it was for/],
	];
	for (const [fill, field, message] of cases) {
		const res = await record(fac, { reference: 'REFUSED-REF', ...fill });
		assert.strictEqual(res.status, 400, JSON.stringify(fill));
		const err = fieldError(res.body, field);
		assert.ok(err, `an error beside ${field} for ${JSON.stringify(fill)}`);
		assert.match(err, message);
		assert.match(res.body, /There is a problem/);
		assert.match(res.body, /value="REFUSED-REF"/, 'what was typed is kept');
		if (fill.amount) assert.ok(res.body.includes(`value="${fill.amount}"`), 'the amount typed is kept');
	}
	const page = await fac.get(`${BUDGET}?all=1`);
	assert.ok(!page.body.includes('REFUSED-REF'), 'nothing refused was saved');
});

test('hostile text is shown escaped, and a lead can correct an entry', async () => {
	const fac = await signedIn(FAC);
	const res = await record(fac, { kind: 'commitment', supplier: HOSTILE, what_for: `Booked ${HOSTILE}`, amount: '0.50' });
	// The line is over after the approved penny, so a facilitator's commitment is refused.
	assert.strictEqual(res.status, 400);
	assert.ok(!res.body.includes(HOSTILE), 'typed text comes back escaped');
	assert.ok(res.body.includes('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;') ||
		res.body.includes('&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;'));

	// A lead cancels the penny, and then the facilitator can commit within budget.
	const lead = await signedIn(LEAD);
	let page = await lead.get(`${BUDGET}?all=1`);
	const penny = correctHref(page.body, 'Demo Approved Ltd');
	assert.ok(penny, 'the lead is offered corrections');
	assert.strictEqual((await fac.get(penny)).status, 403, 'only leads correct entries');
	let r = await submit(lead, penny, penny, { reason: '' });
	assert.strictEqual(r.status, 400);
	assert.match(fieldError(r.body, 'reason'), /Enter why/);
	r = await submit(lead, penny, penny, { reason: 'Recorded by mistake' });
	assert.strictEqual(r.status, 303);
	page = await lead.get(`${BUDGET}?done=corrected&all=1`);
	assert.match(textOf(page.body), /Correcting entry recorded/);
	assert.match(textOf(page.body), /Correction\s*: Recorded by mistake/);

	// The newest entry was the approved penny: with it cancelled, the line is exactly at
	// budget, so the commitment is still refused; with a smaller spend cancelled it fits.
	r = await record(fac, { kind: 'commitment', supplier: HOSTILE, what_for: `Booked ${HOSTILE}`, amount: '0.50' });
	assert.strictEqual(r.status, 400, 'still no room on the line');
	page = await lead.get(`${BUDGET}?all=1`);
	const href = correctHref(page.body, 'Demo Forty Ltd');
	assert.ok(href);
	assert.strictEqual((await submit(lead, href, href, { reason: 'Paid twice' })).status, 303);
	r = await record(fac, { kind: 'commitment', supplier: HOSTILE, what_for: `Booked ${HOSTILE}`, amount: '0.50' });
	assert.strictEqual(r.status, 303);
	page = await fac.get(`${BUDGET}?all=1`);
	assert.ok(!page.body.includes(HOSTILE));
	assert.ok(page.body.includes('&lt;script&gt;'));
	assert.match(textOf(page.body), /Still open: £0\.50/);
});

test('the pictures come with their figures, and the Board sees no suppliers', async () => {
	const lead = await signedIn(LEAD);
	const page = await lead.get(BUDGET);
	for (const name of ['chart-lines.svg', 'chart-months.svg']) {
		const img = page.body.match(new RegExp(`<img class="app-chart" src="([^"]*${name})" alt="([^"]+)">`));
		assert.ok(img, `${name} is shown with alt text`);
		assert.match(img[2], /: /, 'the alt text has a title and a summary');
		const svg = await lead.get(img[1]);
		assert.strictEqual(svg.status, 200);
		assert.match(svg.headers['content-type'], /^image\/svg\+xml/);
		assert.match(svg.body, /<svg/);
	}
	assert.ok(!page.body.includes('}}') && !page.body.includes('{{'), 'no template text leaks into the page');
	assert.match(textOf(page.body), /The figures in the picture/);
	assert.match(textOf(page.body), /Spend and commitments by month/);
	assert.match(textOf(page.body), /Jun 2022/);

	const board = await signedIn(BOARD);
	const summary = await board.get(`${BUDGET}/summary`);
	const text = textOf(summary.body);
	assert.match(text, /Spend against budget by kind of cost/);
	for (const secret of ['Demo Sixty Ltd', 'Demo Approved Ltd', 'REF-1', 'TEST-1']) {
		assert.ok(!text.includes(secret), `the Board does not see ${secret}`);
	}
	const svg = await board.get(`${BUDGET}/chart-lines.svg`);
	assert.strictEqual(svg.status, 200);
	assert.ok(!svg.body.includes('Demo Sixty Ltd'));
});

test('funding sources refuse bad input and keep it, and show names escaped', async () => {
	const lead = await signedIn(LEAD);
	let res = await submit(lead, '/funding/new', '/funding/new', {
		name: `Fund ${HOSTILE}`, organisation: '', amount: '-30000', financial_year: '2021-22',
		'starts-day': '1', 'starts-month': '4', 'starts-year': '2022',
		'ends-day': '31', 'ends-month': '3', 'ends-year': '2022',
	});
	assert.strictEqual(res.status, 400);
	assert.match(fieldError(res.body, 'organisation'), /Enter the organisation/);
	assert.match(fieldError(res.body, 'amount'), /Enter the amount in pounds/);
	assert.match(fieldError(res.body, 'ends'), /same as or after the start date/);
	assert.match(res.body, /value="-30000"/);
	assert.ok(!res.body.includes(HOSTILE));
	res = await submit(lead, '/funding/new', '/funding/new', {
		name: SOURCE, organisation: 'Demo', amount: '5', financial_year: '2021-22',
	});
	assert.strictEqual(res.status, 400, 'a name already taken');
	assert.match(fieldError(res.body, 'name'), /already a funding source/);
	res = await submit(lead, '/funding/new', '/funding/new', {
		name: `Fund ${HOSTILE}`, organisation: 'Demo Org', amount: '£2,500.50', financial_year: '2022-23',
	});
	assert.strictEqual(res.status, 303);
	const page = await lead.get('/funding?done=added');
	assert.match(textOf(page.body), /Funding source added/);
	assert.ok(!page.body.includes(HOSTILE));
	assert.match(textOf(page.body), /£2,500\.50/);
	// A second line of the same kind from the same source is refused.
	res = await submit(lead, `${BUDGET}/lines/new`, `${BUDGET}/lines/new`, {
		source_id: await sourceValue(lead), kind: 'other', amount: '5',
	});
	assert.strictEqual(res.status, 400);
	assert.match(fieldError(res.body, 'kind'), /already has a line of this kind/);
});

test('a lead changes a line\'s budget within its source and above what it has used', async () => {
	const lead = await signedIn(LEAD);
	const page = await lead.get(BUDGET);
	const row = [...page.body.matchAll(/<tr class="govuk-table__row">([\s\S]*?)<\/tr>/g)].find((m) => m[1].includes(SOURCE));
	const href = row && row[1].match(/href="([^"]*\/lines\/\d+)"/);
	assert.ok(href, 'the lead is offered a change to the line');
	const edit = href[1];
	const fac = await signedIn(FAC);
	assert.strictEqual((await fac.get(edit)).status, 403, 'facilitators do not change lines');
	assert.strictEqual((await (await signedIn(BOARD)).get(edit)).status, 403);
	assert.strictEqual((await lead.get(`${BUDGET}/lines/999999`)).status, 404);

	const form = findForm((await lead.get(edit)).body, edit);
	assert.strictEqual(form.fields.find((f) => f.name === 'amount').value, '100.00', 'the budget as it is now');
	let res = await submit(lead, edit, edit, { amount: '60.49' });
	assert.strictEqual(res.status, 400);
	assert.match(fieldError(res.body, 'amount'), /already has £60\.50 committed and spent/);
	assert.match(res.body, /value="60\.49"/);
	res = await submit(lead, edit, edit, { amount: '1,000.01' });
	assert.strictEqual(res.status, 400);
	assert.match(fieldError(res.body, 'amount'), /has only £900 not yet given to budget lines, so this line can be at most £1,000/);
	res = await submit(lead, edit, edit, { amount: '200', cost_code: 'TEST-2' });
	assert.strictEqual(res.status, 303);
	const after = textOf((await lead.get(`${BUDGET}?done=line_changed`)).body);
	assert.match(after, /Budget line changed/);
	assert.match(after, /TEST-2 £200/);
});

test('every entry can be downloaded for finance, with formulas made harmless', async () => {
	const fac = await signedIn(FAC);
	let res = await record(fac, { kind: 'commitment', supplier: '=HYPERLINK("http://example.org")', amount: '1.25', vat: '0.25', reference: 'CSV-REF' });
	assert.strictEqual(res.status, 303);
	res = await fac.get(`${BUDGET}/entries.csv`);
	assert.strictEqual(res.status, 200);
	assert.match(res.headers['content-type'], /^text\/csv/);
	assert.match(res.headers['content-disposition'], /attachment; filename="young-adults-budget-entries.csv"/);
	const lines = res.body.trim().split('\r\n');
	assert.match(lines[0], /^entry,date,type,kind of cost,funding source,cost code,supplier,reference,what for,net,vat,gross/);
	const row = lines.find((l) => l.includes('CSV-REF'));
	assert.ok(row, 'the new entry is there');
	assert.match(row, /,2022-06-14,commitment,Other,Budget test fund,TEST-2,/);
	assert.match(row, /,1\.25,0\.25,1\.50,/, 'net, VAT and gross as plain numbers');
	assert.ok(!row.includes(',=HYPERLINK') && !row.includes(',"=HYPERLINK'), 'a formula is not left live');
	assert.ok(lines.some((l) => /,correction,/.test(l)), 'corrections are listed');
	assert.strictEqual((await (await signedIn(BOARD)).get(`${BUDGET}/entries.csv`)).status, 403, 'not for the Board');
	assert.strictEqual((await fac.get('/programmes/older-people/budget/entries.csv')).status, 404);
});

test('a lead changes a funding source, never below what its lines have', async () => {
	const lead = await signedIn(LEAD);
	const page = await lead.get('/funding');
	const row = [...page.body.matchAll(/<tr class="govuk-table__row">([\s\S]*?)<\/tr>/g)].find((m) => m[1].includes(SOURCE));
	const edit = row && row[1].match(/href="(\/funding\/\d+)"/)[1];
	assert.ok(edit, 'the lead is offered a change');
	assert.strictEqual((await (await signedIn(FAC)).get(edit)).status, 403);
	assert.strictEqual((await lead.get('/funding/999999')).status, 404);
	const form = findForm((await lead.get(edit)).body, edit);
	assert.strictEqual(form.fields.find((f) => f.name === 'amount').value, '1000.00', 'the amount as it is now');
	assert.strictEqual(form.fields.find((f) => f.name === 'name').value, SOURCE);
	let res = await submit(lead, edit, edit, { amount: '199.99' });
	assert.strictEqual(res.status, 400);
	assert.match(fieldError(res.body, 'amount'), /Budget lines already have £200 of this source/);
	assert.match(res.body, /value="199\.99"/);
	res = await submit(lead, edit, edit, { amount: '1,500', 'ends-day': '31', 'ends-month': '3', 'ends-year': '2023' });
	assert.strictEqual(res.status, 303);
	const after = textOf((await lead.get('/funding?done=changed')).body);
	assert.match(after, /Funding source changed/);
	assert.match(after, /Budget test fund Demo Test Committee, until 31 March 2023/);
	assert.match(after, /£1,500/);
});

test('a payment batch\'s spend is put right by reversing its claims, not corrected on its own', async () => {
	const lead = await signedIn(LEAD);
	const entry = sql(srv.dbPath, "SELECT e.id, e.reference FROM budget_entries e JOIN budget_lines l ON l.id = e.line_id JOIN programmes p ON p.id = l.programme_id WHERE p.slug = 'young-adults' AND e.reference LIKE 'Payment batch %' AND e.reverses IS NULL ORDER BY e.id LIMIT 1")[0];
	assert.ok(entry, 'the demo has paid a batch');
	const batch = entry.reference.replace('Payment batch ', '');
	const page = await lead.get(`${BUDGET}?all=1`);
	assert.strictEqual(correctHref(page.body, entry.reference), null, 'no Correct link for a batch\'s spend');
	assert.ok(page.body.includes(`href="/payments/batches/${batch}"`), 'the row links to its batch');

	const href = `${BUDGET}/entries/${entry.id}/correct`;
	const form = await lead.get(href);
	assert.strictEqual(form.status, 200);
	assert.match(textOf(form.body), /Reverse the claims instead/);
	assert.ok(form.body.includes(`href="/payments/batches/${batch}"`));
	assert.ok(!/name="reason"/.test(form.body), 'no form to correct it');
	const before = sql(srv.dbPath, 'SELECT COUNT(*) AS n FROM budget_entries')[0].n;
	const csrf = await lead.csrf(RECORD);
	const res = await lead.post(href, { csrf, reason: 'Trying anyway' });
	assert.strictEqual(res.status, 409);
	assert.match(textOf(res.body), /Reverse the claims instead/);
	assert.strictEqual(sql(srv.dbPath, 'SELECT COUNT(*) AS n FROM budget_entries')[0].n, before, 'nothing was recorded');
});
