// groups.test.js: groups, their members and balance, and venues, through the real server
// as people meet them: a facilitator creating a group and adding people; a
// decision-maker refused while the group is for local people only, then added once it
// is opened; members seeing their group and others not finding it; mistakes shown beside
// the field with what was typed kept; hostile text shown as text; venues with their
// accessibility and cost in pounds.
'use strict';

const { test, before, after } = require('node:test');
const assert = require('assert');
const { startServer } = require('./lib');
const { sql, submit, textOf } = require('./helpers_basic');

const PASSWORD = 'demo-password-2026';
const LEAD = 'programme.lead@example.org';
const LOCAL = 'local.person@example.org';
const FACILITATOR = 'facilitator@example.org';
const MAKER = 'decision.maker@example.org';
const BOARD = 'board.member@example.org';
const HOSTILE = '<script>alert("x")</script> & friends';

let srv;
let fac;
let groupPath;

function accountId(email) {
	return String(sql(srv.dbPath, `SELECT id FROM accounts WHERE email = '${email}'`)[0].id);
}

async function signedIn(email) {
	const c = srv.client();
	const res = await c.signIn(email, PASSWORD);
	assert.strictEqual(res.status, 303, `signing in as ${email}: ${res.status}`);
	return c;
}

function summary(html) {
	const m = html.match(/<div class="govuk-error-summary"[\s\S]*?<\/ul>/);
	return m ? textOf(m[0]).replace(/\s+/g, ' ').trim() : '';
}

function main(html) {
	const m = html.match(/<main[\s\S]*<\/main>/);
	return m ? m[0] : html;
}

before(async () => {
	srv = await startServer();
	// A programme of our own, whatever the demo holds, so these tests stand alone.
	sql(srv.dbPath, "INSERT INTO programmes (slug, name, summary, created_at, updated_at) VALUES ('test-groups', 'Test groups programme', 'For tests', '2022-01-01T00:00:00Z', '2022-01-01T00:00:00Z')");
	fac = await signedIn(FACILITATOR);
});

after(async () => {
	if (srv) await srv.stop();
});

function programmeId() {
	return String(sql(srv.dbPath, "SELECT id FROM programmes WHERE slug = 'test-groups'")[0].id);
}

test('a facilitator creates a group; mistakes are shown with what was typed kept', async () => {
	let res = await submit(fac, '/groups/new', '/groups/new', {
		programme_id: programmeId(), name: '  ', purpose: HOSTILE, target_local: 'fifteen', target_professional: '15',
	});
	assert.strictEqual(res.status, 400);
	assert.match(summary(res.body), /Enter a name for the group/);
	assert.match(summary(res.body), /Enter the number of local people as a whole number/);
	assert.ok(res.body.includes('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; friends'), 'purpose kept, escaped');
	assert.ok(!res.body.includes('<script>alert'), 'no raw script');
	assert.match(res.body, /value="fifteen"/);

	res = await submit(fac, '/groups/new', '/groups/new', {
		programme_id: programmeId(), name: `Test group ${HOSTILE}`, purpose: HOSTILE, target_local: '2', target_professional: '2',
	});
	assert.strictEqual(res.status, 303);
	groupPath = new URL(res.headers.location, srv.url).pathname;
	assert.match(groupPath, /^\/groups\/\d+$/);
	const page = await fac.get(res.headers.location);
	assert.strictEqual(page.status, 200);
	assert.match(page.body, /You are its facilitator/);
	assert.ok(main(page.body).includes('Test group &lt;script&gt;'), 'name escaped');
	assert.ok(!main(page.body).includes('<script>alert'));
	assert.match(textOf(page.body), /local people only/);
	assert.match(page.body, /href="\/programmes\/test-groups"/);

	const list = await fac.get('/groups');
	assert.strictEqual(list.status, 200);
	assert.ok(list.body.includes(`href="${groupPath}"`));
});

test('decision-makers cannot join while the group is for local people only', async () => {
	let res = await submit(fac, `${groupPath}/members/new`, `${groupPath}/members/new`, {
		account_id: accountId(LOCAL), role: 'local_person', 'joined_on-day': '7', 'joined_on-month': '12', 'joined_on-year': '2021',
	});
	assert.strictEqual(res.status, 303);
	res = await submit(fac, `${groupPath}/members/new`, `${groupPath}/members/new`, {
		account_id: accountId(MAKER), role: 'decision_maker', 'joined_on-day': '14', 'joined_on-month': '6', 'joined_on-year': '2022',
	});
	assert.strictEqual(res.status, 400);
	assert.match(summary(res.body), /This group is for local people only, so decision-makers cannot join yet/);
	// The date typed is kept.
	assert.match(res.body, /name="joined_on-month" type="text" inputmode="numeric" value="6"/);

	// The decision-maker cannot see the group; the local person can.
	const maker = await signedIn(MAKER);
	assert.strictEqual((await maker.get(groupPath)).status, 404);
	const local = await signedIn(LOCAL);
	const seen = await local.get(groupPath);
	assert.strictEqual(seen.status, 200);
	assert.ok(!seen.body.includes('/members/new'), 'members do not get the manage actions');
	assert.strictEqual((await local.get(`${groupPath}/edit`)).status, 403);
	assert.strictEqual((await local.get('/groups/new')).status, 403);

	// Opened on 14 June 2022, then added.
	res = await submit(fac, `${groupPath}/open`, `${groupPath}/open`, {
		'opened_on-day': '31', 'opened_on-month': '2', 'opened_on-year': '2022',
	});
	assert.strictEqual(res.status, 400);
	assert.match(summary(res.body), /Enter a real date/);
	res = await submit(fac, `${groupPath}/open`, `${groupPath}/open`, {
		'opened_on-day': '14', 'opened_on-month': '6', 'opened_on-year': '2022',
	});
	assert.strictEqual(res.status, 303);
	res = await submit(fac, `${groupPath}/members/new`, `${groupPath}/members/new`, {
		account_id: accountId(MAKER), role: 'decision_maker', 'joined_on-day': '14', 'joined_on-month': '6', 'joined_on-year': '2022',
	});
	assert.strictEqual(res.status, 303);
	const page = await maker.get(groupPath);
	assert.strictEqual(page.status, 200);
	const text = textOf(main(page.body)).replace(/\s+/g, ' ');
	assert.match(text, /since 14 June 2022/);
	assert.match(text, /The group has 1 local person and 2 professionals\. It aims for 2 and 2\. It needs 1 local person more to reach its target\./);
	assert.match(text, /Demo Decision-maker Gareth/);
});

test('people who are not members find nothing; a programme lead sees every group', async () => {
	const board = await signedIn(BOARD);
	assert.strictEqual((await board.get(groupPath)).status, 404);
	assert.ok(!(await board.get('/groups')).body.includes(`href="${groupPath}"`));
	assert.strictEqual((await board.get('/groups/999999')).status, 404);
	assert.strictEqual((await board.get('/groups/abc')).status, 404);
	const lead = await signedIn(LEAD);
	assert.strictEqual((await lead.get(groupPath)).status, 200);
	assert.strictEqual((await lead.get(`${groupPath}/edit`)).status, 200);
	// Signed out: sent to sign in.
	const anon = srv.client();
	assert.strictEqual((await anon.get(groupPath)).status, 303);
});

test('a member who leaves stops counting and stops seeing the group', async () => {
	const page = await fac.get(groupPath);
	const links = [...page.body.matchAll(/href="(\/groups\/\d+\/members\/\d+\/leave)"/g)].map((m) => m[1]);
	// The local person and the decision-maker; never the facilitator themselves.
	assert.strictEqual(links.length, 2);
	const leave = links[0];
	// Without the CSRF token nothing happens.
	assert.strictEqual((await fac.post(leave, { 'left_on-day': '1', 'left_on-month': '1', 'left_on-year': '2023' })).status, 403);
	// Not before they joined (7 December 2021), and a real date.
	let res = await submit(fac, leave, leave, { 'left_on-day': '1', 'left_on-month': '1', 'left_on-year': '2021' });
	assert.strictEqual(res.status, 400);
	assert.match(summary(res.body), /The date they left must be on or after the day they joined/);
	assert.match(res.body, /They joined on 7 December 2021/);
	res = await submit(fac, leave, leave, { 'left_on-day': '6', 'left_on-month': '9', 'left_on-year': '2022' });
	assert.strictEqual(res.status, 303);
	assert.match(res.headers.location, /done=left/);
	const after = await fac.get(groupPath);
	const text = textOf(main(after.body)).replace(/\s+/g, ' ');
	assert.match(text, /The group has 0 local people and 2 professionals/);
	assert.match(text, /Demo Local Person Amina, Local person: 7 December 2021 to 6 September 2022/);
	const local = await signedIn(LOCAL);
	assert.strictEqual((await local.get(groupPath)).status, 404);
	// Leaving twice, or someone not in the group, finds nothing to change.
	assert.strictEqual((await fac.get(leave)).status, 404);
	assert.strictEqual((await fac.get(`${groupPath}/members/999999/leave`)).status, 404);
});

test('venues: accessibility facts and a cost in pounds, for facilitators only', async () => {
	let res = await submit(fac, '/venues/new', '/venues/new', {
		name: `Hall ${HOSTILE}`, address: '', cost: '12.505', capacity: 'lots',
	});
	assert.strictEqual(res.status, 400);
	const s = summary(res.body);
	assert.match(s, /Enter the venue’s address/);
	assert.match(s, /Enter the cost in pounds, like 12.50/);
	assert.match(s, /Enter how many people fit as a whole number/);
	assert.match(res.body, /value="12.505"/);

	res = await submit(fac, '/venues/new', '/venues/new', {
		name: `Hall ${HOSTILE}`, address: '3 Test Street', postcode: 'M5 4WT', cost: '£1,212.50', capacity: '30',
		step_free: 'yes', hearing_loop: 'yes',
	});
	assert.strictEqual(res.status, 303);
	const list = await fac.get('/venues');
	const text = textOf(main(list.body)).replace(/\s+/g, ' ');
	assert.match(text, /£1,212\.50/);
	assert.match(text, /Step-free access/);
	assert.match(text, /No accessible toilet/);
	assert.match(text, /Hearing loop/);
	assert.ok(main(list.body).includes('Hall &lt;script&gt;'));
	assert.strictEqual(sql(srv.dbPath, "SELECT cost_per_booking_pence AS p FROM venues WHERE postcode = 'M5 4WT'")[0].p, 121250);

	const local = await signedIn(LOCAL);
	assert.strictEqual((await local.get('/venues')).status, 403);
	assert.strictEqual((await local.get('/venues/new')).status, 403);
});
