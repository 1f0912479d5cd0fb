// decisions.test.js: shared decisions over HTTP, as the people in a group meet them: who
// may open one, one position per person, a closed decision that cannot change, reopening
// with a reason that is audited, and the parity rule that professionals cannot outvote.
'use strict';

const { test, before, after } = require('node:test');
const assert = require('assert');
const { startServer } = require('./lib');
const { sql, submit, findForm, formData } = require('./helpers_basic');

const PASSWORD = 'demo-password-2026';
const LOCAL = 'local.person@example.org';
const DM = 'decision.maker@example.org';
const FAC = 'facilitator@example.org';
const BOARD = 'board.member@example.org';

let srv;
let groupId;
const ids = {};

// A programme and group of our own, so the test does not depend on the demo's story:
// the demo's local person, decision-maker and facilitator, four more local people and
// two more decision-makers who take part in person.
function seed(db) {
	sql(db, `
		INSERT INTO programmes (slug, name, summary, created_at, updated_at)
			VALUES ('decisions-test', 'Decisions test programme', '', 'x', 'x');
		INSERT INTO working_groups (programme_id, name, local_only, parity_rule, created_at, updated_at)
			SELECT id, 'Decisions test group', 0, 'local_majority', 'x', 'x' FROM programmes WHERE slug = 'decisions-test';
		INSERT INTO accounts (display_name, role, is_demo, created_at, updated_at) VALUES
			('Test Local Bo', 'local_person', 1, 'x', 'x'), ('Test Local Cy', 'local_person', 1, 'x', 'x'),
			('Test Local Di', 'local_person', 1, 'x', 'x'), ('Test Local Gus', 'local_person', 1, 'x', 'x'),
			('Test Pro Ed', 'decision_maker', 1, 'x', 'x'), ('Test Pro Flo', 'decision_maker', 1, 'x', 'x');
		INSERT INTO group_members (group_id, account_id, role_in_group, joined_on)
			SELECT g.id, a.id, CASE a.role WHEN 'facilitator' THEN 'facilitator' ELSE a.role END, '2022-06-14'
			FROM working_groups g, accounts a
			WHERE g.name = 'Decisions test group'
			AND (a.email IN ('${LOCAL}', '${DM}', '${FAC}') OR a.display_name LIKE 'Test %');`);
	groupId = sql(db, "SELECT id FROM working_groups WHERE name = 'Decisions test group'")[0].id;
	sql(db, `INSERT INTO ideas (programme_id, priority_area_id, group_id, title, body, side, created_at, updated_at)
		SELECT g.programme_id, (SELECT MIN(id) FROM priority_areas), g.id, 'Test warm spaces', '', 'local', '2022-02-01T18:00:00Z', 'x'
		FROM working_groups g WHERE g.id = ${groupId}`);
	for (const row of sql(db, "SELECT id, display_name FROM accounts WHERE display_name LIKE 'Test %'")) {
		ids[row.display_name.split(' ').pop()] = row.id;
	}
}

async function as(email) {
	const c = srv.client();
	const res = await c.signIn(email, PASSWORD);
	assert.strictEqual(res.status, 303, `sign in as ${email}`);
	return c;
}

// Opens a decision as the facilitator and returns its path.
async function open(fac, question, method = 'vote') {
	const res = await submit(fac, `/groups/${groupId}/decisions/new`, `/groups/${groupId}/decisions/new`,
		{ question, method, options: '' });
	assert.strictEqual(res.status, 303, res.body);
	const m = res.headers.location.match(/^\/decisions\/(\d+)\?done=opened$/);
	assert.ok(m, res.headers.location);
	return `/decisions/${m[1]}`;
}

before(async () => {
	srv = await startServer();
	seed(srv.dbPath);
});

after(async () => {
	if (srv) await srv.stop();
});

test('a local person cannot open a decision, and someone outside the group cannot see one', async () => {
	const local = await as(LOCAL);
	let res = await local.get(`/groups/${groupId}/decisions/new`);
	assert.strictEqual(res.status, 403);
	const csrf = await local.csrf(`/groups/${groupId}/decisions`);
	res = await local.post(`/groups/${groupId}/decisions/new`, { csrf, question: 'Q?', method: 'vote' });
	assert.strictEqual(res.status, 403);
	assert.strictEqual(sql(srv.dbPath, `SELECT COUNT(*) AS n FROM decisions WHERE group_id = ${groupId}`)[0].n, 0);

	const fac = await as(FAC);
	const path = await open(fac, 'Can outsiders see this?');
	const board = await as(BOARD);
	assert.strictEqual((await board.get(`/groups/${groupId}/decisions`)).status, 404);
	assert.strictEqual((await board.get(path)).status, 404);
	assert.strictEqual((await board.get('/programmes/decisions-test/power')).status, 404);
});

test('opening a decision keeps what was typed when something is wrong, and shows hostile text escaped', async () => {
	const fac = await as(FAC);
	let res = await submit(fac, `/groups/${groupId}/decisions/new`, `/groups/${groupId}/decisions/new`,
		{ question: '', method: 'consensus', options: 'Warm spaces\nText line' });
	assert.strictEqual(res.status, 400);
	assert.match(res.body, /Enter the question the group is deciding/);
	assert.match(res.body, /Options can only be chosen by a vote/);
	assert.match(res.body, />Warm spaces\nText line<\/textarea>/);

	const path = await open(fac, '<script>alert(1)</script> & go?', 'consent');
	res = await fac.get(path);
	assert.strictEqual(res.status, 200);
	assert.ok(!res.body.includes('<script>alert(1)</script>'));
	assert.match(res.body, /&lt;script&gt;alert\(1\)&lt;\/script&gt; &amp; go\?/);
});

test('a second position by the same person is refused, with a clear message', async () => {
	const fac = await as(FAC);
	const path = await open(fac, 'Shall we meet in the library?');
	const local = await as(LOCAL);
	let res = await submit(local, path, `${path}/position`, { stance: 'agree', reason: '' });
	assert.strictEqual(res.status, 303);
	let page = await local.get(path);
	assert.match(page.body, /You said: <strong>Agree<\/strong>/);
	assert.ok(!page.body.includes(`action="${path}/position"`), 'no form once a position is given');

	// A stale form (say, a second tab) tries again.
	const csrf = await local.csrf(path);
	res = await local.post(`${path}/position`, { csrf, stance: 'disagree', reason: '' });
	assert.strictEqual(res.status, 409);
	assert.match(res.body, /You have already given your position on this decision. A position cannot be recorded twice/);
	const rows = sql(srv.dbPath, `SELECT stance FROM decision_positions WHERE decision_id = ${path.split('/').pop()}`);
	assert.deepStrictEqual(rows, [{ stance: 'agree' }]);
});

test('professionals all agree but most local people disagree: not carried, and the page says why', async () => {
	const fac = await as(FAC);
	const path = await open(fac, 'Put the text line proposal forward to the Board?');
	const local = await as(LOCAL);
	assert.strictEqual((await submit(local, path, `${path}/position`, { stance: 'agree' })).status, 303);
	const dm = await as(DM);
	assert.strictEqual((await submit(dm, path, `${path}/position`, { stance: 'agree' })).status, 303);

	// The facilitator writes down what the others said in the room.
	const said = [['Bo', 'disagree'], ['Cy', 'disagree'], ['Di', 'disagree'], ['Ed', 'agree'], ['Flo', 'agree']];
	for (const [name, stance] of said) {
		const page = await fac.get(path);
		const form = findForm(page.body, `${path}/position`);
		assert.ok(form.fields.some((f) => f.name === 'form' && f.value === 'room'), 'the room form');
		const res = await fac.post(`${path}/position`, formData(form, { room_account_id: String(ids[name]), room_stance: stance, room_reason: '' }));
		assert.strictEqual(res.status, 303, `recording ${name}: ${res.status}`);
	}
	const credited = sql(srv.dbPath, `SELECT COUNT(*) AS n FROM decision_positions p JOIN accounts f ON f.id = p.recorded_by
		WHERE p.decision_id = ${path.split('/').pop()} AND f.email = '${FAC}'`)[0].n;
	assert.strictEqual(credited, 5, 'positions given in the room name the facilitator who wrote them down');

	const res = await submit(fac, path, `${path}/close`, {});
	assert.strictEqual(res.status, 303);
	const page = await local.get(path);
	assert.match(page.body, /Result: Not carried/);
	assert.match(page.body, /Not carried: 1 of 4 local people agreed. Professionals: 3 of 3 agreed./);
	assert.match(page.body, /whatever the professionals say/);
	assert.strictEqual(sql(srv.dbPath, `SELECT outcome FROM decisions WHERE id = ${path.split('/').pop()}`)[0].outcome, 'not_carried');
});

test('a closed decision cannot be changed; reopening needs a facilitator and a reason, and is audited', async () => {
	const fac = await as(FAC);
	const path = await open(fac, 'Develop the warm spaces idea into a concept?', 'consensus');
	const id = path.split('/').pop();
	assert.strictEqual((await submit(fac, path, `${path}/close`, {})).status, 303);

	// Nobody can add a position now: not the facilitator for someone in the room...
	const csrf = await fac.csrf(path);
	let res = await fac.post(`${path}/position`, { csrf, form: 'room', room_account_id: String(ids.Gus), room_stance: 'agree', room_reason: '' });
	assert.strictEqual(res.status, 409);
	assert.match(res.body, /This decision is closed, so positions cannot be added or changed/);
	// ...nor a member for themselves.
	const local = await as(LOCAL);
	const lcsrf = await local.csrf(path);
	res = await local.post(`${path}/position`, { csrf: lcsrf, stance: 'agree' });
	assert.strictEqual(res.status, 409);
	assert.strictEqual(sql(srv.dbPath, `SELECT COUNT(*) AS n FROM decision_positions WHERE decision_id = ${id}`)[0].n, 0);
	// A local person cannot reopen it.
	res = await local.post(`${path}/reopen`, { csrf: lcsrf, reopen_reason: 'I want to' });
	assert.strictEqual(res.status, 403);

	// A reason is needed.
	res = await submit(fac, path, `${path}/reopen`, { reopen_reason: '   ' });
	assert.strictEqual(res.status, 400);
	assert.match(res.body, /Enter why the decision is being reopened/);

	res = await submit(fac, path, `${path}/reopen`, { reopen_reason: 'Two members were ill on the night <b>' });
	assert.strictEqual(res.status, 303);
	const audit = sql(srv.dbPath, `SELECT a.after_json, f.email FROM audit_log a JOIN accounts f ON f.id = a.account_id
		WHERE a.entity = 'decision' AND a.entity_id = ${id} AND a.action = 'reopen'`);
	assert.strictEqual(audit.length, 1);
	assert.strictEqual(audit[0].email, FAC);
	assert.match(audit[0].after_json, /Two members were ill on the night/);
	const page = await local.get(path);
	assert.match(page.body, /Reopened/);
	// Now people can take part again.
	assert.strictEqual((await submit(local, path, `${path}/position`, { stance: 'agree' })).status, 303);
});

test('a carried decision on an idea can move the idea on to a concept', async () => {
	const fac = await as(FAC);
	const ideaId = sql(srv.dbPath, "SELECT id FROM ideas WHERE title = 'Test warm spaces'")[0].id;
	let res = await submit(fac, `/groups/${groupId}/decisions/new?idea=${ideaId}`, `/groups/${groupId}/decisions/new`,
		{ question: 'Develop Test warm spaces into a concept?', method: 'consensus', options: '' });
	assert.strictEqual(res.status, 303);
	const path = res.headers.location.replace(/\?.*$/, '');
	const local = await as(LOCAL);
	assert.strictEqual((await submit(local, path, `${path}/position`, { stance: 'agree' })).status, 303);
	const page = await fac.get(path);
	assert.match(page.body, /The idea is at the Idea stage now/);
	// A proposal is not offered from here: an idea becomes a concept first.
	assert.ok(!page.body.includes('value="proposal"'));
	res = await submit(fac, path, `${path}/close`, { move_to: 'concept' });
	assert.strictEqual(res.status, 303);
	const idea = sql(srv.dbPath, `SELECT status FROM ideas WHERE id = ${ideaId}`)[0];
	assert.strictEqual(idea.status, 'concept');
	const note = sql(srv.dbPath, `SELECT note FROM idea_status_changes WHERE idea_id = ${ideaId}`)[0].note;
	assert.match(note, /^Decided by the group: Carried: 1 of 1 local people agreed/);
});

test('the balance of power of the programme, as a chart with a table beside it', async () => {
	const local = await as(LOCAL);
	const res = await local.get('/programmes/decisions-test/power');
	assert.strictEqual(res.status, 200);
	assert.match(res.body, /<svg[^>]*role="img"/);
	assert.match(res.body, /<title id="power-chart-title">/);
	assert.match(res.body, /Decisive positions/);
	assert.match(res.body, /came from local people/);
	assert.ok(!res.body.includes('SVG units'), 'the template notes stay out of the page');
	// The closed decisions above: 4 + 1 local and 3 professional positions that decided.
	assert.match(res.body, /<td class="govuk-table__cell govuk-table__cell--numeric">5<\/td><td class="govuk-table__cell govuk-table__cell--numeric">3<\/td>/);
	// The group's decision list links every decision.
	const list = await local.get(`/groups/${groupId}/decisions`);
	assert.strictEqual(list.status, 200);
	assert.match(list.body, /Put the text line proposal forward to the Board\?/);
	assert.ok(!list.body.includes('Open a decision'), 'only facilitators see the button');
});
