// ideas.test.js: ideas as the people in a group meet them: adding one (also for someone a
// facilitator supports), comments and replies, versions and amendments, tags, links,
// status along the journey only, tests of an idea, lists that page and filter, who may
// see what, and "you said, we did" for the public without names.
'use strict';

const { test, before, after } = require('node:test');
const assert = require('assert');
const { startServer } = require('./lib');
const { sql, demoPeople, textOf, redirectTarget } = require('./helpers_basic');

let srv;
let people;
let group; // the young adults group's id
let other; // another group of the programme, with nobody from the demo in it

// Makes sure the demo's young adults group exists with the demo people in it (the groups'
// own demo adds them; this keeps the test meaningful without it), and adds an empty
// second group.
function ensureGroup() {
	const q = (s) => sql(srv.dbPath, s);
	q(`INSERT INTO working_groups (programme_id, name, local_only, created_at, updated_at)
	   SELECT id, 'Young adults group', 0, 'x', 'x' FROM programmes WHERE slug = 'young-adults'
	   AND NOT EXISTS (SELECT 1 FROM working_groups WHERE name = 'Young adults group')`);
	group = q("SELECT id FROM working_groups WHERE name = 'Young adults group'")[0].id;
	q(`INSERT INTO group_members (group_id, account_id, role_in_group, joined_on)
	   SELECT ${group}, a.id, CASE a.role WHEN 'local_person' THEN 'local_person'
	   WHEN 'facilitator' THEN 'facilitator' ELSE 'decision_maker' END, '2021-12-07'
	   FROM accounts a WHERE a.role IN ('local_person', 'facilitator', 'decision_maker')
	   AND NOT EXISTS (SELECT 1 FROM group_members m WHERE m.group_id = ${group}
	   AND m.account_id = a.id AND m.left_on IS NULL)`);
	q(`INSERT INTO working_groups (programme_id, name, created_at, updated_at)
	   SELECT id, 'Test other group', 'x', 'x' FROM programmes WHERE slug = 'young-adults'`);
	other = q("SELECT id FROM working_groups WHERE name = 'Test other group'")[0].id;
}

before(async () => {
	srv = await startServer();
	people = demoPeople();
	ensureGroup();
});

after(async () => {
	if (srv) await srv.stop();
});

async function as(role) {
	const c = srv.client();
	const res = await c.signIn(people[role].email, srv.demo.password);
	assert.strictEqual(res.status, 303, `signing in as ${role}`);
	return c;
}

function errorSummary(html) {
	const m = html.match(/<div class="govuk-error-summary"[\s\S]*?<\/ul>/);
	return m ? textOf(m[0]).replace(/\s+/g, ' ').trim() : '';
}

// Adds an idea to the group as client C; returns its id.
async function addIdea(c, fields) {
	const path = `/groups/${group}/ideas/new`;
	const form = await c.get(path);
	assert.strictEqual(form.status, 200);
	const area = form.body.match(/name="priority_area_id" type="radio" value="(\d+)"/)[1];
	const res = await c.post(path, { csrf: await c.csrf(path, form.body), priority_area_id: area, ...fields });
	assert.strictEqual(res.status, 303, `adding an idea: ${res.status} ${errorSummary(res.body)}`);
	const m = redirectTarget(res, srv.url).match(/^\/ideas\/(\d+)\?done=created$/);
	assert.ok(m, 'goes to the new idea');
	return Number(m[1]);
}

test('a local person adds an idea, credited to them, with tags tidied', async () => {
	const c = await as('local_person');
	const id = await addIdea(c, { title: 'Youth bike library', body: 'Lend bikes to young people', tags: ' Cycling, TRANSPORT ,cycling' });
	const page = await c.get(`/ideas/${id}?done=created`);
	assert.strictEqual(page.status, 200);
	const text = textOf(page.body);
	assert.ok(text.includes('Your idea has been added'));
	assert.ok(text.includes('Youth bike library'));
	assert.ok(text.includes(`${people.local_person.name}, a local person`), 'proposed by them, by name and side');
	assert.ok(text.includes('Nobody has amended it.'));
	const tagLinks = page.body.match(/ideas\?tag=[^"]*/g) || [];
	assert.deepStrictEqual(tagLinks, ['ideas?tag=cycling', 'ideas?tag=transport'], 'tags lower-cased, without repeats');
	const rows = sql(srv.dbPath, `SELECT side, version, status FROM ideas WHERE id = ${id}`);
	assert.deepStrictEqual(rows[0], { side: 'local', version: 1, status: 'idea' });
	// It is on their home page, with what became of it.
	const home = textOf((await c.get('/home')).body);
	if (home.includes('Your ideas')) assert.ok(home.includes('Youth bike library'));
});

test('a mistake is shown beside the field and in the summary, with what was typed kept', async () => {
	const c = await as('local_person');
	const path = `/groups/${group}/ideas/new`;
	const res = await c.post(path, { csrf: await c.csrf(path), title: '<script>alert(1)</script>', body: '', tags: 'ok, <b>' });
	assert.strictEqual(res.status, 400);
	const s = errorSummary(res.body);
	assert.ok(s.includes('Select the priority area the idea is about'), s);
	assert.ok(s.includes('Describe the idea'), s);
	assert.ok(s.includes('Tags can only contain letters'), s);
	assert.ok(res.body.includes('value="&lt;script&gt;alert(1)&lt;/script&gt;"'), 'the title typed is kept, escaped');
	assert.ok(!res.body.includes('<script>alert(1)'), 'never raw');
});

test('a facilitator acting for someone they support records the idea as theirs', async () => {
	const c = await as('facilitator');
	const joe = sql(srv.dbPath, 'SELECT id, display_name FROM accounts WHERE assisted = 1 ORDER BY id LIMIT 1')[0];
	const act = await c.post(`/acting-for/${joe.id}`, { csrf: await c.csrf('/assisted') });
	assert.strictEqual(act.status, 303);
	const id = await addIdea(c, { title: 'Coffee morning for young carers', body: 'Somewhere to meet', tags: '' });
	const a = sql(srv.dbPath, `SELECT account_id, recorded_by, side FROM idea_authors WHERE idea_id = ${id}`)[0];
	const fac = sql(srv.dbPath, `SELECT id FROM accounts WHERE email = '${people.facilitator.email}'`)[0].id;
	assert.deepStrictEqual(a, { account_id: joe.id, recorded_by: fac, side: 'local' });
	const text = textOf((await c.get(`/ideas/${id}`)).body);
	assert.ok(text.includes(`${joe.display_name}, a local person (written down by ${people.facilitator.name})`), text.slice(0, 3000));
	await c.post('/acting-for/stop', { csrf: await c.csrf('/home') });
});

test('a facilitator writes down an idea a member gave in the room, credited to them', async () => {
	const c = await as('facilitator');
	const amina = sql(srv.dbPath, `SELECT id FROM accounts WHERE email = '${people.local_person.email}'`)[0].id;
	const form = await c.get(`/groups/${group}/ideas/new`);
	assert.ok(form.body.includes('Whose idea is it?'));
	assert.ok(form.body.includes(`value="${amina}"`), 'the members are offered');
	const id = await addIdea(c, { credit_to: String(amina), title: 'Quiet room at sessions', body: 'Said at the session', tags: '' });
	const a = sql(srv.dbPath, `SELECT account_id, side FROM idea_authors WHERE idea_id = ${id}`)[0];
	assert.deepStrictEqual(a, { account_id: amina, side: 'local' });
	const maker = await as('decision_maker');
	assert.ok(!(await maker.get(`/groups/${group}/ideas/new`)).body.includes('Whose idea is it?'), 'only those who run the group');
	const path = `/groups/${group}/ideas/new`;
	const mform = await maker.get(path);
	const area = mform.body.match(/name="priority_area_id" type="radio" value="(\d+)"/)[1];
	const res = await maker.post(path, { csrf: await maker.csrf(path, mform.body), credit_to: String(amina), priority_area_id: area, title: 'x', body: 'y', tags: '' });
	assert.strictEqual(res.status, 403);
});

test('comments and one level of replies; hostile text is shown escaped', async () => {
	const local = await as('local_person');
	const maker = await as('decision_maker');
	const id = await addIdea(local, { title: 'Late opening libraries', body: 'Open until 9pm', tags: '' });
	const page = `/ideas/${id}`;
	let res = await maker.post(`${page}/comments`, { csrf: await maker.csrf(page), comment: 'We could pilot <img src=x onerror=alert(1)> this' });
	assert.strictEqual(res.status, 303);
	const top = sql(srv.dbPath, `SELECT id, side FROM idea_comments WHERE idea_id = ${id}`)[0];
	assert.strictEqual(top.side, 'professional');
	res = await local.post(`${page}/comments`, { csrf: await local.csrf(page), parent_id: String(top.id), reply: 'Yes please' });
	assert.strictEqual(res.status, 303);
	const reply = sql(srv.dbPath, `SELECT id FROM idea_comments WHERE parent_id = ${top.id}`)[0];
	res = await local.post(`${page}/comments`, { csrf: await local.csrf(page), parent_id: String(reply.id), reply: 'Deeper' });
	assert.strictEqual(res.status, 400);
	assert.ok(errorSummary(res.body).includes('You can only reply to a comment, not to a reply'));
	res = await local.post(`${page}/comments`, { csrf: await local.csrf(page), comment: '   ' });
	assert.strictEqual(res.status, 400);
	assert.ok(errorSummary(res.body).includes('Enter your comment'));
	const html = (await local.get(page)).body;
	assert.ok(html.includes('&lt;img src=x onerror=alert(1)&gt;'));
	assert.ok(!html.includes('<img src=x'));
	assert.ok(textOf(html).includes(`Reply from ${people.local_person.name} (a local person)`));
});

test('a change by someone who did not propose it is an amendment, and versions compare side by side', async () => {
	const local = await as('local_person');
	const maker = await as('decision_maker');
	const id = await addIdea(local, { title: 'Green roofs', body: 'Plant roofs\nOn bus shelters', tags: '' });
	const edit = `/ideas/${id}/edit`;
	let res = await maker.post(edit, { csrf: await maker.csrf(edit), title: 'Green roofs', body: 'Plant roofs\nOn bus shelters and schools' });
	assert.strictEqual(res.status, 303);
	res = await maker.post(edit, { csrf: await maker.csrf(edit), title: '', body: 'x' });
	assert.strictEqual(res.status, 400);
	assert.ok(errorSummary(res.body).includes('Enter a title for the idea'));
	const text = textOf((await local.get(`/ideas/${id}`)).body);
	assert.ok(text.includes(`${people.decision_maker.name}, a professional on`), 'amended by, with their side');
	const versions = await local.get(`/ideas/${id}/versions`);
	assert.strictEqual(versions.status, 200);
	const v = textOf(versions.body);
	assert.ok(v.includes('Amendment'));
	assert.ok(v.includes('On bus shelters and schools') && v.includes('On bus shelters'));
	assert.match(v, /On bus shelters\s+On bus shelters and schools\s+Changed/);
	assert.strictEqual((await local.get(`/ideas/${id}/versions?from=1&to=7`)).status, 404);
	const row = sql(srv.dbPath, `SELECT is_amendment, side FROM idea_revisions WHERE idea_id = ${id} AND version = 2`)[0];
	assert.deepStrictEqual(row, { is_amendment: 1, side: 'professional' });
});

test('status moves along the journey only, by the group\'s facilitator', async () => {
	const local = await as('local_person');
	const fac = await as('facilitator');
	const id = await addIdea(local, { title: 'Youth panel for buses', body: 'Young people advise the bus company', tags: '' });
	const page = `/ideas/${id}`;
	assert.ok(!(await local.get(page)).body.includes(`action="/ideas/${id}/status"`), 'members who do not run the group get no status form');
	let res = await local.post(`${page}/status`, { csrf: await local.csrf(page), status: 'concept' });
	assert.strictEqual(res.status, 403);
	res = await fac.post(`${page}/status`, { csrf: await fac.csrf(page), status: 'proposal' });
	assert.strictEqual(res.status, 400);
	assert.ok(errorSummary(res.body).includes('Idea cannot move to that status. It can move to: Concept.'));
	res = await fac.post(`${page}/status`, { csrf: await fac.csrf(page), status: 'supported' });
	assert.strictEqual(res.status, 400);
	res = await fac.post(`${page}/status`, { csrf: await fac.csrf(page), status: 'concept', note: 'Joint session with the bus company' });
	assert.strictEqual(res.status, 303);
	const changes = sql(srv.dbPath, `SELECT from_status, to_status, note FROM idea_status_changes WHERE idea_id = ${id} ORDER BY id`);
	assert.deepStrictEqual(changes[1], { from_status: 'idea', to_status: 'concept', note: 'Joint session with the bus company' });
	const text = textOf((await local.get(page)).body);
	assert.ok(text.includes('Joint session with the bus company'));
});

test('tags, links, shares and tests', async () => {
	const local = await as('local_person');
	const lead = await as('programme_lead');
	const a = await addIdea(local, { title: 'Idea A', body: 'A', tags: '' });
	const b = await addIdea(local, { title: 'Idea B', body: 'B', tags: '' });
	const pa = `/ideas/${a}`;
	let res = await local.post(`${pa}/tags`, { csrf: await local.csrf(pa), tags: 'Food, growing' });
	assert.strictEqual(res.status, 303);
	res = await local.post(`${pa}/links`, { csrf: await local.csrf(pa), related_id: `#${b}` });
	assert.strictEqual(res.status, 303);
	res = await local.post(`${pa}/links`, { csrf: await local.csrf(pa), related_id: 'abc' });
	assert.strictEqual(res.status, 400);
	assert.ok(errorSummary(res.body).includes('Enter the number of the related idea'));
	assert.ok(res.body.includes('value="abc"'), 'typed value kept');
	assert.ok(textOf((await local.get(`/ideas/${b}`)).body).includes('Idea A'), 'the link shows on both ideas');
	res = await lead.post(`${pa}/shares`, { csrf: await lead.csrf(pa), group_id: String(other) });
	assert.strictEqual(res.status, 303);
	assert.strictEqual(sql(srv.dbPath, `SELECT COUNT(*) AS n FROM idea_shares WHERE idea_id = ${a}`)[0].n, 1);
	res = await local.post(`${pa}/shares`, { csrf: await local.csrf(pa), group_id: String(other) });
	assert.strictEqual(res.status, 403, 'only those who run the group share its ideas');
	const tp = `${pa}/tests/new`;
	res = await local.post(tp, { csrf: await local.csrf(tp), 'tested_on-day': '31', 'tested_on-month': '2', 'tested_on-year': '2022', tried: 'x', expected: '', happened: 'y', changed: 'z' });
	assert.strictEqual(res.status, 400);
	const s = errorSummary(res.body);
	assert.ok(s.includes('Enter the date it was tried as a real date'), s);
	assert.ok(s.includes('Enter what you expected to happen'), s);
	assert.ok(res.body.includes('value="31"'));
	res = await local.post(tp, { csrf: await local.csrf(tp), 'tested_on-day': '14', 'tested_on-month': '6', 'tested_on-year': '2022', tried: 'A stall', expected: '10 people', happened: '30 people', changed: 'More seeds' });
	assert.strictEqual(res.status, 303);
	const text = textOf((await local.get(pa)).body);
	assert.ok(text.includes('Tried on 14 June 2022'));
	assert.ok(text.includes('food') && text.includes('growing'));
	assert.ok((await local.get(pa)).body.includes('href="/programmes/young-adults/ideas?tag=food"'), 'each tag leads to the ideas with it');
});

test('lists filter by status and tag, and page 50 at a time', async () => {
	const local = await as('local_person');
	const q = (s) => sql(srv.dbPath, s);
	const prog = q("SELECT id FROM programmes WHERE slug = 'young-adults'")[0].id;
	const area = q(`SELECT priority_area_id AS id FROM programme_priorities WHERE programme_id = ${prog} LIMIT 1`)[0].id;
	const me = q(`SELECT id FROM accounts WHERE email = '${people.local_person.email}'`)[0].id;
	const values = [];
	for (let i = 0; i < 60; i++) values.push(`(${prog}, ${area}, ${group}, 'Bulk idea ${i}', 'b', 'idea', 1, ${me}, 'local', '2022-01-01T00:00:00Z', '2022-01-01T00:00:00Z')`);
	q(`INSERT INTO ideas (programme_id, priority_area_id, group_id, title, body, status, version, created_by, side, created_at, updated_at) VALUES ${values.join(',')}`);
	const first = await local.get(`/groups/${group}/ideas`);
	assert.strictEqual(first.status, 200);
	assert.strictEqual((first.body.match(/<tr class="govuk-table__row">/g) || []).length - 1, 50);
	const next = first.body.match(/href="(\/groups\/\d+\/ideas\?before=\d+[^"]*)"/);
	assert.ok(next, 'a link to older ideas');
	const second = await local.get(next[1].replace(/&amp;/g, '&'));
	assert.strictEqual(second.status, 200);
	assert.ok(second.body.includes('Newer ideas'));
	const taggedPage = await local.get(`/programmes/young-adults/ideas?tag=Food`);
	assert.ok(taggedPage.body.includes('href="/programmes/young-adults/ideas?tag=growing"'), 'tags listed with each idea, leading to the others');
	const tagged = textOf(taggedPage.body);
	assert.ok(tagged.includes('Idea A') && !tagged.includes('Idea B'), 'filtered by tag, typed in any case');
	const concepts = textOf((await local.get('/ideas?status=concept')).body);
	assert.ok(concepts.includes('Youth panel for buses') && !concepts.includes('Bulk idea'));
	assert.strictEqual((await local.get('/ideas?status=nonsense')).status, 404);
	const lead = await as('programme_lead');
	const all = await lead.get('/ideas');
	assert.strictEqual((all.body.match(/>Your groups</g) || []).length, 1, 'one heading over the groups, however many');
	assert.ok(all.body.includes(`href="/groups/${other}/ideas/new"`), 'a lead may add to any group');
});

test('who may see what: outsiders get 404, the public only what went to the Board', async () => {
	const board = await as('board_member');
	const anon = srv.client();
	const id = q1(`SELECT id FROM ideas WHERE group_id = ${group} AND status = 'idea' ORDER BY id LIMIT 1`);
	assert.strictEqual((await board.get(`/ideas/${id}`)).status, 404, 'not in the group: not found');
	assert.strictEqual((await anon.get(`/ideas/${id}`)).status, 404);
	assert.strictEqual((await board.get(`/groups/${group}/ideas`)).status, 404);
	assert.strictEqual((await board.get(`/groups/${group}/ideas/new`)).status, 404);
	const edit = await anon.get(`/ideas/${id}/edit`);
	assert.ok(edit.status === 303 || edit.status === 302, 'signed out: sent to sign in');
	assert.strictEqual((await anon.get('/ideas')).status, 303);
	// Presented to the Board: the public sees it, with no names and no comments.
	sql(srv.dbPath, `UPDATE ideas SET status = 'presented' WHERE id = ${id}`);
	sql(srv.dbPath, `INSERT INTO idea_status_changes (idea_id, from_status, to_status, note, changed_at) VALUES (${id}, 'proposal', 'presented', 'Board of 15 November 2022', '2022-11-15T14:00:00Z')`);
	const pub = await anon.get(`/ideas/${id}`);
	assert.strictEqual(pub.status, 200);
	const text = textOf(pub.body);
	assert.ok(text.includes('a local person'));
	assert.ok(!text.includes(people.local_person.name), 'no names for the public');
	assert.ok(!pub.body.includes('name="comment"'), 'no forms for the public');
	const ysd = await anon.get('/you-said-we-did');
	assert.strictEqual(ysd.status, 200);
	const yt = textOf(ysd.body);
	assert.ok(yt.includes('Sent to the Board on 15 November 2022'));
	assert.ok(!yt.includes('Demo Local Person') && !yt.includes('Demo Assisted'), 'no names of local people');
	// The Board's answer is shown with it.
	sql(srv.dbPath, `INSERT INTO board_meetings (meets_on, title, created_at) VALUES ('2022-11-15', 'Test Board', 'x')`);
	sql(srv.dbPath, `INSERT INTO board_papers (meeting_id, idea_id, summary, ask, submitted_at, decision, conditions, decided_at)
	   VALUES ((SELECT MAX(id) FROM board_meetings), ${id}, 's', 'a', 'x', 'deferred', 'Come back in March with <costs>', 'x')`);
	sql(srv.dbPath, `UPDATE ideas SET status = 'deferred' WHERE id = ${id}`);
	sql(srv.dbPath, `INSERT INTO idea_status_changes (idea_id, from_status, to_status, changed_at) VALUES (${id}, 'presented', 'deferred', '2022-11-16T10:00:00Z')`);
	const after = await anon.get('/you-said-we-did');
	assert.ok(textOf(after.body).includes('The Board said: Come back in March with <costs>'));
	assert.ok(after.body.includes('Come back in March with &lt;costs&gt;'), 'escaped');
	assert.ok(textOf(after.body).includes('Deferred by the Board on 16 November 2022'));
	assert.strictEqual((await anon.get('/programmes/young-adults/you-said-we-did')).status, 200);
	assert.strictEqual((await anon.get('/programmes/no-such-programme/you-said-we-did')).status, 404);
	const api = await anon.get('/api/v1/you-said-we-did?programme=young-adults');
	assert.strictEqual(api.status, 200);
	assert.match(api.headers['content-type'], /application\/json/);
	const data = JSON.parse(api.body);
	const item = data.ideas.find((x) => x.id === id);
	assert.ok(item, 'the idea is in the open data');
	assert.strictEqual(item.status, 'deferred');
	assert.strictEqual(item.board_said, 'Come back in March with <costs>');
	assert.strictEqual(item.presented_on, '2022-11-15');
	assert.strictEqual(item.url, `/ideas/${id}`);
	assert.strictEqual(data.count, data.ideas.length);
	assert.strictEqual(api.headers['access-control-allow-origin'], '*');
	for (const x of data.ideas) assert.ok(['presented', 'supported', 'not_supported', 'deferred', 'in_delivery', 'delivered'].includes(x.status));
	assert.ok(!api.body.includes('Demo Local Person'));
	assert.strictEqual((await anon.get('/api/v1/you-said-we-did?before=x')).status, 400);
});

function q1(s) {
	return sql(srv.dbPath, s)[0].id;
}
