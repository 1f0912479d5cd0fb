// board.test.js: the Health and Wellbeing Board, co-delivery and organisations' returns,
// as people meet them over HTTP: public pages and open data without personal data,
// forms that keep what was typed, hostile text shown escaped, a decision recorded only
// once, and each role turned away from what is not theirs.
'use strict';

const test = require('node:test');
const assert = require('node:assert');
const { startServer, DEMO_PASSWORD } = require('./lib');
const { sql } = require('./helpers_basic');

const LEAD = 'programme.lead@example.org';
const MEMBER = 'board.member@example.org';
const LOCAL = 'local.person@example.org';
const HOSTILE = '<script>alert("x")</script>';

let srv;
let ideaIds;

// Ideas ready for the Board, as the ideas module would leave them: written straight into
// the database because proposals are developed elsewhere.
function addProposals(dbPath) {
	sql(dbPath, `INSERT INTO programmes (slug, name, summary, created_at, updated_at)
		SELECT 'board-test', 'Board test programme', 's', 'x', 'x'
		WHERE NOT EXISTS (SELECT 1 FROM programmes WHERE slug = 'board-test')`);
	for (const title of ['Board test: peer support drop-in', 'Board test: youth bus pass', `Board test: ${HOSTILE}`]) {
		sql(dbPath, `INSERT INTO ideas (programme_id, priority_area_id, title, body, status, side, created_at, updated_at)
			SELECT p.id, (SELECT MIN(id) FROM priority_areas), '${title.replace(/'/g, "''")}', 'Body', 'proposal', 'local', 'x', 'x'
			FROM programmes p WHERE p.slug = 'board-test'`);
	}
	return sql(dbPath, "SELECT id FROM ideas WHERE title LIKE 'Board test:%' ORDER BY id").map((r) => r.id);
}

async function signedIn(email) {
	const c = srv.client();
	const res = await c.signIn(email, DEMO_PASSWORD);
	assert.strictEqual(res.status, 303, `sign in as ${email}`);
	return c;
}

// Posts FIELDS to the form at FORMPATH with its CSRF token.
async function postForm(c, formPath, action, fields) {
	const csrf = await c.csrf(formPath);
	return c.post(action, { ...fields, csrf });
}

test.before(async () => {
	srv = await startServer();
	ideaIds = addProposals(srv.dbPath);
});
test.after(async () => {
	if (srv) await srv.stop();
});

test('the Board and the Locality Implementation Plan are public', async () => {
	const c = srv.client();
	for (const p of ['/board', '/locality-plan']) {
		const res = await c.get(p);
		assert.strictEqual(res.status, 200, p);
	}
	const api = await c.get('/api/v1/proposals');
	assert.strictEqual(api.status, 200);
	assert.match(api.headers['content-type'], /application\/json/);
	assert.ok(Array.isArray(JSON.parse(api.body).proposals));
	const d = await c.get('/api/v1/delivery');
	assert.ok(Array.isArray(JSON.parse(d.body).plans));
	const missing = await c.get('/board/meetings/99999');
	assert.strictEqual(missing.status, 404);
});

test('who may do what', async () => {
	const anon = srv.client();
	const r1 = await anon.get('/board/meetings/new');
	assert.strictEqual(r1.status, 303, 'visitors are sent to sign in');
	const local = await signedIn(LOCAL);
	assert.strictEqual((await local.get('/board/meetings/new')).status, 403);
	assert.strictEqual((await local.get('/returns')).status, 403);
	assert.strictEqual((await local.get('/returns/new')).status, 403);
	const member = await signedIn(MEMBER);
	assert.strictEqual((await member.get('/board/meetings/new')).status, 403);
	assert.strictEqual((await member.get('/returns/new')).status, 200);
	const lead = await signedIn(LEAD);
	assert.strictEqual((await lead.get('/returns/new')).status, 403, 'leads do not file returns');
	// A POST without the form's token changes nothing.
	const forged = await lead.post('/board/meetings/new', { title: 'Forged', meets_on_day: '1', meets_on_month: '1', meets_on_year: '2030' });
	assert.strictEqual(forged.status, 403);
	assert.strictEqual(sql(srv.dbPath, "SELECT COUNT(*) AS n FROM board_meetings WHERE title = 'Forged'")[0].n, 0);
});

test('from a meeting to a decision, a plan and delivery', async () => {
	const lead = await signedIn(LEAD);
	const member = await signedIn(MEMBER);

	// A date that is not real is refused, keeping what was typed.
	let res = await postForm(lead, '/board/meetings/new', '/board/meetings/new', {
		title: `Board ${HOSTILE}`, meets_on_day: '31', meets_on_month: '2', meets_on_year: '2030', location: 'Civic Centre',
	});
	assert.strictEqual(res.status, 400);
	assert.match(res.body, /must be a real date/);
	assert.match(res.body, /value="Board &lt;script&gt;alert\(&quot;x&quot;\)&lt;\/script&gt;"/);
	assert.ok(!res.body.includes(HOSTILE));

	res = await postForm(lead, '/board/meetings/new', '/board/meetings/new', {
		title: `Board ${HOSTILE}`, meets_on_day: '15', meets_on_month: '11', meets_on_year: '2030', location: 'Civic Centre',
	});
	assert.strictEqual(res.status, 303);
	assert.match(res.headers.location, /^\/board\/meetings\/\d+\?done=added$/);
	const meetingPath = res.headers.location.replace(/\?.*$/, '');
	res = await lead.get(res.headers.location);
	assert.match(res.body, /Meeting added/, 'the lead is told the meeting was added');
	assert.match(res.body, /15 November 2030/);
	assert.ok(!res.body.includes(HOSTILE), 'the title is escaped');

	// Submitting: missing summary and a badly typed amount are shown, the ask is kept.
	const form = `${meetingPath}/proposals/new`;
	res = await postForm(lead, form, form, { idea_id: String(ideaIds[0]), summary: '', ask: 'Please support it', funding_sought: '1,25.00', funding_sought_from: '' });
	assert.strictEqual(res.status, 400);
	assert.match(res.body, /Enter a summary of the proposal/);
	assert.match(res.body, /Enter an amount in pounds/);
	assert.match(res.body, />Please support it<\/textarea>/);
	res = await postForm(lead, form, form, { idea_id: String(ideaIds[0]), summary: 'A drop-in run by young adults', ask: 'Please support it', funding_sought: '1,250.00', funding_sought_from: 'Adult Commissioning Committee' });
	assert.strictEqual(res.status, 303);
	assert.strictEqual(sql(srv.dbPath, `SELECT status FROM ideas WHERE id = ${ideaIds[0]}`)[0].status, 'presented');
	res = await postForm(lead, form, form, { idea_id: String(ideaIds[2]), summary: HOSTILE, ask: 'Ask', funding_sought: '', funding_sought_from: '' });
	assert.strictEqual(res.status, 303);

	let api = JSON.parse((await srv.client().get('/api/v1/proposals')).body).proposals;
	const mine = api.find((p) => p.idea_id === ideaIds[0]);
	assert.strictEqual(mine.funding_sought_pence, 125000);
	assert.strictEqual(mine.decision, 'pending');
	assert.ok(!JSON.stringify(api).includes('@example.org'), 'no personal data');

	// The Board member records the decision, once.
	const paper = mine.id;
	const decide = `/board/proposals/${paper}/decision`;
	assert.strictEqual((await lead.get(decide)).status, 200);
	res = await postForm(member, decide, decide, { decision: '', conditions: 'Report back', funding_agreed: '', funding_agreed_from: '' });
	assert.strictEqual(res.status, 400);
	assert.match(res.body, /Select what the Board decided/);
	assert.match(res.body, />Report back<\/textarea>/);
	const csrf = await member.csrf(decide);
	res = await member.post(decide, { csrf, decision: 'supported', conditions: 'Report back', funding_agreed: '1,250', funding_agreed_from: 'Adult Commissioning Committee' });
	assert.strictEqual(res.status, 303);
	res = await member.post(decide, { csrf, decision: 'not_supported', conditions: '', funding_agreed: '', funding_agreed_from: '' });
	assert.strictEqual(res.status, 303);
	assert.match(res.headers.location, /done=already/);
	api = JSON.parse((await srv.client().get('/api/v1/proposals')).body).proposals;
	assert.strictEqual(api.find((p) => p.id === paper).decision, 'supported');
	assert.strictEqual(api.find((p) => p.id === paper).funding_agreed_pence, 125000);
	assert.strictEqual(sql(srv.dbPath, `SELECT status FROM ideas WHERE id = ${ideaIds[0]}`)[0].status, 'supported');
	res = await srv.client().get(meetingPath);
	assert.match(res.body, /Supported/);
	assert.match(res.body, /£1,250 from Adult Commissioning Committee/);

	// Only programme leads start the plan.
	const meetingPage = await member.get(meetingPath);
	assert.ok(!meetingPage.body.includes(`/board/proposals/${paper}/plan`));
	res = await member.post(`/board/proposals/${paper}/plan`, { csrf: await member.csrf('/returns/new') });
	assert.strictEqual(res.status, 403);
	res = await postForm(lead, meetingPath, `/board/proposals/${paper}/plan`, {});
	assert.strictEqual(res.status, 303);
	const planPath = res.headers.location.replace(/\?.*$/, '');
	assert.strictEqual(sql(srv.dbPath, `SELECT status FROM ideas WHERE id = ${ideaIds[0]}`)[0].status, 'in_delivery');

	// An action owned by a local person, overdue: the public sees neither name nor email.
	const local = sql(srv.dbPath, `SELECT id, display_name FROM accounts WHERE email = '${LOCAL}'`)[0];
	const actionForm = `${planPath}/actions/new`;
	res = await postForm(lead, actionForm, actionForm, { description: '', owner: '', due_on_day: '', due_on_month: '', due_on_year: '' });
	assert.strictEqual(res.status, 400);
	assert.match(res.body, /Enter what the action is/);
	assert.match(res.body, /Choose who owns the action/);
	res = await postForm(lead, actionForm, actionForm, { description: `Find a venue ${HOSTILE}`, owner: `p-${local.id}`, due_on_day: '1', due_on_month: '2', due_on_year: '2023' });
	assert.strictEqual(res.status, 303);
	res = await srv.client().get(planPath);
	assert.strictEqual(res.status, 200);
	assert.match(res.body, /A local person/);
	assert.ok(!res.body.includes(local.display_name));
	assert.match(res.body, /£1,250 from Adult Commissioning Committee/, 'the plan shows what the Board agreed');
	assert.match(res.body, /Report back/);
	assert.ok(!res.body.includes(HOSTILE));
	assert.match(res.body, /Overdue/);
	assert.ok(!res.body.includes('Add an action'), 'visitors get no buttons');
	res = await lead.get(planPath);
	assert.ok(res.body.includes(local.display_name), 'people signed in see who owns it');
	const lip = await srv.client().get('/locality-plan');
	assert.match(lip.body, /1 action is overdue/);
	assert.match(lip.body, /0 of 1 action done/);

	// A milestone, reached; the action done; then the plan delivered.
	const msForm = `${planPath}/milestones/new`;
	res = await postForm(lead, msForm, msForm, { title: 'First drop-in held', due_on_day: '28', due_on_month: '2', due_on_year: '2023' });
	assert.strictEqual(res.status, 303);
	const msId = sql(srv.dbPath, "SELECT id FROM delivery_milestones WHERE title = 'First drop-in held'")[0].id;
	res = await postForm(lead, planPath, `/delivery/milestones/${msId}/reached`, {});
	assert.strictEqual(res.status, 303);
	const actionId = sql(srv.dbPath, "SELECT id FROM delivery_actions WHERE description LIKE 'Find a venue%'")[0].id;
	res = await postForm(lead, `/delivery/actions/${actionId}`, `/delivery/actions/${actionId}`, { status: 'done', progress: 'Agreed with the group' });
	assert.strictEqual(res.status, 303);
	const api2 = JSON.parse((await srv.client().get('/api/v1/delivery')).body).plans;
	const plan = api2.find((p) => `/delivery/${p.id}` === planPath);
	assert.strictEqual(plan.actions_done, 1);
	assert.strictEqual(plan.milestones_reached, 1);
	assert.strictEqual(plan.actions[0].owner, 'A local person');
	assert.ok(!JSON.stringify(api2).includes(local.display_name));
	res = await postForm(lead, planPath, `${planPath}/delivered`, {});
	assert.strictEqual(res.status, 303);
	assert.strictEqual(sql(srv.dbPath, `SELECT status FROM ideas WHERE id = ${ideaIds[0]}`)[0].status, 'delivered');
	assert.match((await srv.client().get('/locality-plan')).body, /Delivered/);

	// An unpublished programme's proposals and plans are not public.
	sql(srv.dbPath, "UPDATE programmes SET published = 0 WHERE slug = 'board-test'");
	try {
		const hidden = await srv.client().get('/api/v1/proposals');
		assert.strictEqual(hidden.headers['access-control-allow-origin'], '*');
		const body = JSON.parse(hidden.body);
		assert.ok(!body.proposals.some((p) => p.id === paper));
		assert.strictEqual(body.count, body.proposals.length);
		assert.ok(!JSON.parse((await srv.client().get('/api/v1/delivery')).body).plans.some((p) => p.url === planPath));
		assert.strictEqual((await srv.client().get(planPath)).status, 404);
		assert.ok(!(await srv.client().get(meetingPath)).body.includes('peer support drop-in'));
		assert.strictEqual((await lead.get(planPath)).status, 200);
	} finally {
		sql(srv.dbPath, "UPDATE programmes SET published = 1 WHERE slug = 'board-test'");
	}
});

test('Board members file their organisation\'s return once; leads see who has not', async () => {
	const member = await signedIn(MEMBER);
	const lead = await signedIn(LEAD);
	let res = await member.get('/returns/new');
	assert.match(res.body, /Co-production/);
	assert.match(res.body, /equals, together, from design through to delivery/);
	res = await postForm(member, '/returns/new', '/returns/new', { period: '', what_done: `We ran sessions ${HOSTILE}`, rung: '', what_changed: '' });
	assert.strictEqual(res.status, 400);
	assert.match(res.body, /Select the half year the return is for/);
	assert.match(res.body, /Select the rung of the ladder/);
	assert.match(res.body, /We ran sessions &lt;script&gt;/);
	const fields = { period: '2023-H1', what_done: `We ran sessions ${HOSTILE}`, rung: 'co_design', what_changed: 'Opening times changed' };
	// 2023-H1 is offered only while it is recent; file through the form's own choices.
	const form = await member.get('/returns/new');
	const offered = [...form.body.matchAll(/name="period" type="radio" value="(\d{4}-H[12])"/g)].map((m) => m[1]);
	fields.period = offered[1];
	res = await postForm(member, '/returns/new', '/returns/new', fields);
	assert.strictEqual(res.status, 303);
	res = await postForm(member, '/returns/new', '/returns/new', fields);
	assert.strictEqual(res.status, 400);
	assert.match(res.body, /Your organisation has already filed its return for/);
	res = await member.get('/returns');
	assert.match(res.body, /Co-design/);
	assert.ok(!res.body.includes(HOSTILE));

	res = await lead.get(`/returns?period=${fields.period}`);
	assert.strictEqual(res.status, 200);
	assert.match(res.body, /Demo City Council/);
	assert.match(res.body, /Filed/);
	assert.strictEqual((await lead.get('/returns?period=nonsense')).status, 404);

	// A return from another organisation is not found for this Board member.
	sql(srv.dbPath, `INSERT INTO organisation_returns (organisation_id, period, what_done, ladder_rung, what_changed, filed_at)
		SELECT id, '2022-H1', 'x', 'informing', 'y', '2022-07-01T00:00:00Z' FROM organisations WHERE name = 'Demo NHS Trust'`);
	const other = sql(srv.dbPath, "SELECT r.id FROM organisation_returns r JOIN organisations o ON o.id = r.organisation_id WHERE o.name = 'Demo NHS Trust' AND r.period = '2022-H1'")[0].id;
	assert.strictEqual((await member.get(`/returns/${other}`)).status, 404);
	assert.strictEqual((await lead.get(`/returns/${other}`)).status, 200);
});
