// api.test.js: the open data under /api/v1/ as a program reading it would meet it: JSON
// with stable ids and slugs, only what the public may see, no personal data, and errors
// as JSON. See docs/API.md.
'use strict';

const { test, before, after } = require('node:test');
const assert = require('assert');
const { startServer } = require('./lib');
const { findForm, formData } = require('./helpers_basic');

let srv;
let lead;

before(async () => {
	srv = await startServer();
	lead = srv.client();
	const res = await lead.signIn('programme.lead@example.org', 'demo-password-2026');
	assert.strictEqual(res.status, 303);
	// One published programme on child poverty and one unpublished, made through the form.
	for (const [slug, published] of [['api-open', 'yes'], ['api-hidden', 'no']]) {
		const page = await lead.get('/programmes/new');
		const form = findForm(page.body, '/programmes/new');
		const box = page.body.match(/<input[^>]*name="areas"[^>]*value="(\d+)"[^>]*>\s*<label[^>]*>Child poverty<\/label>/);
		const pairs = formData(form, { name: `Programme ${slug}`, slug, summary: 'Summary', published }).filter(([k]) => k !== 'areas');
		pairs.push(['areas', box[1]]);
		const made = await lead.post('/programmes/new', pairs);
		assert.strictEqual(made.status, 303, `creating ${slug}`);
	}
	const page = await lead.get('/programmes/api-open/stages/2');
	const form = findForm(page.body, '/programmes/api-open/stages/2');
	const saved = await lead.post('/programmes/api-open/stages/2', formData(form, {
		status: 'in_progress', 'actual_start-day': '4', 'actual_start-month': '10', 'actual_start-year': '2021',
	}));
	assert.strictEqual(saved.status, 303);
});

after(async () => {
	if (srv) await srv.stop();
});

async function getJson(path) {
	const res = await srv.client().get(path);
	assert.match(res.headers['content-type'] || '', /^application\/json/, `${path} answers JSON`);
	return { status: res.status, body: JSON.parse(res.body), headers: res.headers };
}

// Every key anywhere in VALUE.
function keys(value, out = new Set()) {
	if (Array.isArray(value)) value.forEach((v) => keys(v, out));
	else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) { out.add(k); keys(v, out); }
	return out;
}

test('the priority areas, in order, with their indicators', async () => {
	const { status, body, headers } = await getJson('/api/v1/priorities');
	assert.strictEqual(status, 200);
	assert.strictEqual(headers['access-control-allow-origin'], '*');
	assert.strictEqual(body.count, 4);
	assert.deepStrictEqual(body.priorities.map((p) => p.slug),
		['child-poverty', 'climate-change', 'loneliness-and-social-isolation', 'suicide-prevention']);
	const cp = body.priorities[0];
	assert.strictEqual(typeof cp.id, 'number');
	assert.strictEqual(cp.name, 'Child poverty');
	assert.ok(cp.reframed_statement.length > 0);
	assert.ok(cp.indicators.includes('Food poverty'));
	assert.strictEqual(cp.url, '/priorities/child-poverty');
});

test('one priority area with its programmes and statement history', async () => {
	const before1 = await getJson('/api/v1/priorities/child-poverty');
	assert.strictEqual(before1.status, 200);
	assert.deepStrictEqual(before1.body.programmes.filter((p) => p.slug.startsWith('api-')).map((p) => p.slug), ['api-open']);
	const old = before1.body.reframed_statement;

	const page = await lead.get('/priorities/child-poverty/edit');
	const form = findForm(page.body, '/priorities/child-poverty/edit');
	const res = await lead.post('/priorities/child-poverty/edit', formData(form, { reframed_statement: 'A new statement for the API test' }));
	assert.strictEqual(res.status, 303);

	const { body } = await getJson('/api/v1/priorities/child-poverty');
	assert.strictEqual(body.reframed_statement, 'A new statement for the API test');
	assert.strictEqual(body.id, before1.body.id);
	assert.strictEqual(body.statement_history[0].statement, old);
	assert.match(body.statement_history[0].replaced_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
	// Who changed it is not open data.
	assert.ok(!keys(body).has('changed_by'));
});

test('published programmes only, with the journey and counts but no people', async () => {
	const { status, body } = await getJson('/api/v1/programmes');
	assert.strictEqual(status, 200);
	const slugs = body.programmes.map((p) => p.slug);
	assert.ok(slugs.includes('api-open'));
	assert.ok(!slugs.includes('api-hidden'));
	assert.strictEqual(body.count, body.programmes.length);
	const p = body.programmes.find((x) => x.slug === 'api-open');
	assert.deepStrictEqual(p.current_stage, { number: 2, name: 'Recruit and induct local people' });
	assert.strictEqual(p.all_stages_done, false);
	assert.strictEqual(p.stages.length, 6);
	assert.deepStrictEqual(p.stages.map((s) => s.status), ['not_started', 'in_progress', 'not_started', 'not_started', 'not_started', 'not_started']);
	assert.strictEqual(p.stages[1].actual_start, '2021-10-04');
	assert.strictEqual(p.stages[1].actual_end, null);
	assert.deepStrictEqual(p.priority_areas.map((a) => a.slug), ['child-poverty']);
	assert.strictEqual(p.groups, 0);
	assert.strictEqual(p.sessions, 0);
	const text = JSON.stringify(body);
	assert.doesNotMatch(text, /@example\.org|Demo Programme Lead/);
	for (const k of ['lead', 'lead_name', 'lead_id', 'lead_account_id', 'email']) assert.ok(!keys(body).has(k), `no ${k}`);

	const one = await getJson('/api/v1/programmes/api-open');
	assert.strictEqual(one.status, 200);
	assert.strictEqual(one.body.id, p.id);
	assert.strictEqual(one.body.url, '/programmes/api-open');
});

test('errors are JSON: unknown and unpublished records are not found', async () => {
	for (const path of ['/api/v1/programmes/api-hidden', '/api/v1/programmes/no-such', '/api/v1/priorities/no-such',
		'/api/v1/priorities/NOT%20A%20SLUG', '/api/v1/nothing-here']) {
		const { status, body } = await getJson(path);
		assert.strictEqual(status, 404, path);
		assert.strictEqual(body.status, 404);
		assert.strictEqual(typeof body.error, 'string');
	}
	const res = await srv.client().post('/api/v1/programmes', {});
	assert.strictEqual(res.status, 405);
	assert.strictEqual(JSON.parse(res.body).status, 405);
});
