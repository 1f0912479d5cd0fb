// evidence.test.js: outcome indicators, the self-assessments and the learning log, as
// people meet them over HTTP: public indicator pages and charts, CSV imports that name
// each bad line and apply nothing, a questionnaire that cannot be answered twice, results
// only for those who may see them, hostile text shown escaped, and each role turned away
// from what is not theirs.
'use strict';

const test = require('node:test');
const assert = require('node:assert');
const { startServer, DEMO_PASSWORD } = require('./lib');
const { sql } = require('./helpers_basic');

const LEAD = 'programme.lead@example.org';
const LOCAL = 'local.person@example.org';
const FACILITATOR = 'facilitator@example.org';
const DM = 'decision.maker@example.org';
const BOARD = 'board.member@example.org';
const HOSTILE = '<script>alert("x")</script>';
const ESCAPED = '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;';

let srv;

async function signedIn(email) {
	const c = srv.client();
	const res = await c.signIn(email, DEMO_PASSWORD);
	assert.strictEqual(res.status, 303, `sign in as ${email}`);
	return c;
}

async function postForm(c, formPath, action, fields) {
	const csrf = await c.csrf(formPath);
	return c.post(action, Array.isArray(fields) ? [...fields, ['csrf', csrf]] : { ...fields, csrf });
}

// A multipart/form-data POST with one file, as a browser sends an upload.
function upload(client, path, fields, content) {
	const boundary = '----coprodtest' + Math.random().toString(16).slice(2);
	const parts = [];
	for (const [k, v] of Object.entries(fields))
		parts.push(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`);
	parts.push(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="values.csv"\r\nContent-Type: text/csv\r\n\r\n${content}\r\n`);
	parts.push(`--${boundary}--\r\n`);
	return client.request('POST', path, {
		body: parts.join(''),
		headers: { 'Content-Type': `multipart/form-data; boundary=${boundary}` },
	});
}

function count(query) {
	return sql(srv.dbPath, query)[0].n;
}

test.before(async () => {
	srv = await startServer();
});
test.after(async () => {
	if (srv) await srv.stop();
});

// --- Indicators -------------------------------------------------------------------------

let indicatorId;

test('a programme lead defines an indicator; mistakes are shown with what was typed', async () => {
	const lead = await signedIn(LEAD);
	let res = await postForm(lead, '/indicators/new', '/indicators/new', {
		code: '', name: HOSTILE, unit: '%', polarity: 'lower_is_better', source: 'OHID Fingertips',
		period_type: 'financial_year',
	});
	assert.strictEqual(res.status, 400);
	assert.match(res.body, /Enter the indicator id/);
	assert.ok(res.body.includes(`value="${ESCAPED}"`), 'the name typed is kept, escaped');
	assert.ok(!res.body.includes(HOSTILE));

	const area = sql(srv.dbPath, "SELECT id FROM priority_areas WHERE slug = 'child-poverty'")[0].id;
	res = await postForm(lead, '/indicators/new', '/indicators/new', [
		['code', 'T93701'], ['name', `Test children in low income ${HOSTILE}`], ['unit', '%'],
		['polarity', 'lower_is_better'], ['source', 'OHID Fingertips'], ['source_id', '93701'],
		['period_type', 'financial_year'], ['decimals', '1'], ['areas', String(area)],
	]);
	assert.strictEqual(res.status, 303);
	const m = res.headers.location.match(/\/indicators\/(\d+)$/);
	assert.ok(m, res.headers.location);
	indicatorId = Number(m[1]);

	// The public sees it, escaped, and on its priority area.
	const page = await srv.client().get(`/indicators/${indicatorId}`);
	assert.strictEqual(page.status, 200);
	assert.ok(page.body.includes(`Test children in low income ${ESCAPED}`));
	assert.ok(!page.body.includes(HOSTILE));
	assert.match(page.body, /There are no figures for Salford or England yet/);
	const list = await srv.client().get('/indicators');
	assert.ok(list.body.includes(`/indicators/${indicatorId}`));
});

test('a CSV import with bad lines names each by number and applies nothing', async () => {
	const lead = await signedIn(LEAD);
	const csv = [
		'Indicator ID,Area Code,Area Name,Period,Value,Lower CI,Upper CI',
		'T93701,E08000006,Salford,2019/20,21.9,20.0,23.8',
		'<b>NOPE</b>,E08000006,Salford,2019/20,1.0,,',
		'T93701,E92000001,England,2019/20,lots,,',
		'T93701,E92000001,"<script>alert(""x"")</script>",2020/21,15.1,,',
	].join('\n');
	const res = await postForm(lead, '/indicators/import', '/indicators/import', { csv });
	assert.strictEqual(res.status, 400);
	assert.match(res.body, /2 lines of the file have problems: nothing was imported/);
	// The text was pasted: the message does not only speak of choosing a file.
	assert.match(res.body, /Fix the lines listed below, then choose the corrected file or paste the corrected text again/);
	assert.match(res.body, /<td class="govuk-table__cell">3<\/td>\s*<td class="govuk-table__cell">There is no indicator with the id &quot;&lt;b&gt;NOPE&lt;\/b&gt;&quot;<\/td>/);
	assert.match(res.body, /<td class="govuk-table__cell">4<\/td>\s*<td class="govuk-table__cell">The value must be a number/);
	assert.ok(!res.body.includes('<b>NOPE'));
	assert.strictEqual(count(`SELECT COUNT(*) AS n FROM indicator_values WHERE indicator_id = ${indicatorId}`), 0);

	const empty = await postForm(lead, '/indicators/import', '/indicators/import', { csv: '' });
	assert.strictEqual(empty.status, 400);
	assert.match(empty.body, /Choose a CSV file to import/);
});

test('a good import applies, and a re-import replaces the value and is audited', async () => {
	const lead = await signedIn(LEAD);
	let res = await postForm(lead, '/indicators/import', '/indicators/import', {
		csv: 'indicator id,area code,area name,period,value\n' +
			'T93701,E08000006,Salford,2019/20,21.9\n' +
			'T93701,E08000006,Salford,2020/21,19.8\n' +
			'T93701,E92000001,England,2019/20,15.8\n' +
			'T93701,E92000001,England,2020/21,15.1\n',
		illustrative: '1',
	});
	assert.strictEqual(res.status, 303);
	assert.strictEqual(res.headers.location, '/indicators?done=imported&added=4&replaced=0');
	assert.match((await lead.get(res.headers.location)).body, /Values imported: 4 values added and 0 values replaced\./);
	res = await postForm(lead, '/indicators/import', '/indicators/import', {
		csv: 'indicator id,area code,area name,period,value\nT93701,E08000006,Salford,2020/21,18.25\n',
	});
	assert.strictEqual(res.status, 303);
	assert.match((await lead.get(res.headers.location)).body, /Values imported: 0 values added and 1 value replaced\./);
	assert.strictEqual(count(`SELECT COUNT(*) AS n FROM indicator_values WHERE indicator_id = ${indicatorId}`), 4);
	assert.strictEqual(count(`SELECT COUNT(*) AS n FROM audit_log WHERE entity = 'indicator_value' AND action = 'replace'
		AND before_json LIKE '%19800%' AND after_json LIKE '%18250%'`), 1);

	const page = await srv.client().get(`/indicators/${indicatorId}`);
	assert.strictEqual(page.status, 200);
	// The summary says which way is better, and the figures are in a table beside the chart.
	assert.match(page.body, /Salford&#39;s figure fell from 21.9 in 2019\/20 to 18.3 in 2020\/21 \(better\)/);
	assert.match(page.body, /<img class="app-chart" src="\/indicators\/\d+\/chart.svg" alt="[^"]+: Salford&#39;s figure fell/);
	assert.match(page.body, /<th scope="row" class="govuk-table__header">2020\/21<\/th>\s*<td class="govuk-table__cell">18.3<\/td>\s*<td class="govuk-table__cell">15.1<\/td>/);
	assert.match(page.body, /Illustrative figures/);

	const chart = await srv.client().get(`/indicators/${indicatorId}/chart.svg`);
	assert.strictEqual(chart.status, 200);
	assert.match(chart.headers['content-type'], /^image\/svg\+xml/);
	assert.match(chart.body, /<svg /);
	assert.ok(!chart.body.includes(HOSTILE), 'the name is escaped in the SVG too');
	// Open data: the values exactly as imported, without personal data.
	const api = await srv.client().get(`/api/v1/indicators/${indicatorId}`);
	assert.strictEqual(api.status, 200);
	const data = JSON.parse(api.body);
	assert.strictEqual(data.code, 'T93701');
	assert.strictEqual(data.polarity, 'lower_is_better');
	assert.deepStrictEqual(data.priority_areas, ['child-poverty']);
	const v = data.values.find((x) => x.area_code === 'E08000006' && x.period === '2020/21');
	assert.strictEqual(v.value, '18.25');
	assert.strictEqual(v.lower_ci, null);
	assert.strictEqual(v.illustrative, false);
	const all = JSON.parse((await srv.client().get('/api/v1/indicators')).body);
	assert.ok(all.indicators.some((x) => x.id === indicatorId && x.url === `/indicators/${indicatorId}`));
	assert.strictEqual((await srv.client().get('/api/v1/indicators/999999')).status, 404);
	assert.strictEqual((await srv.client().get('/indicators/999999')).status, 404);
	assert.strictEqual((await srv.client().get('/indicators/999999/chart.svg')).status, 404);
});

test('a CSV file uploaded as a browser sends it is imported, illustrative when ticked', async () => {
	const lead = await signedIn(LEAD);
	const csrf = await lead.csrf('/indicators/import');
	let res = await upload(lead, '/indicators/import', { csrf, illustrative: '1' },
		'\ufeffIndicator ID,Area Code,Area Name,Period,Value,Count,Denominator\r\n' +
		'T93701,E08000006,Salford,2018/19,21.0,9100,43300\r\n');
	assert.strictEqual(res.status, 303);
	assert.strictEqual(count(`SELECT COUNT(*) AS n FROM indicator_values WHERE indicator_id = ${indicatorId}
		AND period = '2018/19' AND illustrative = 1 AND count_milli = 9100000`), 1);
	// A bad file uploaded: the line is named and nothing changes.
	res = await upload(lead, '/indicators/import', { csrf },
		'indicator id,area code,area name,period,value\nT93701,E08000006,Salford,2017/18,\n');
	assert.strictEqual(res.status, 400);
	assert.match(res.body, /<td class="govuk-table__cell">2<\/td>\s*<td class="govuk-table__cell">Enter the value<\/td>/);
	assert.strictEqual(count(`SELECT COUNT(*) AS n FROM indicator_values WHERE indicator_id = ${indicatorId} AND period = '2017/18'`), 0);
	// OHID Fingertips' own column names, with its other columns, import as they are.
	res = await upload(lead, '/indicators/import', { csrf },
		'Indicator ID,Indicator Name,Area Code,Area Name,Area Type,Sex,Age,TIME PERIOD,Value,' +
		'Lower CI 95.0 limit,Upper CI 95.0 limit,Count,Denominator\r\n' +
		'T93701,Children in low income families,E92000001,England,England,Persons,<16 yrs,2016/17,14.2,14.1,14.3,1600000,11200000\r\n');
	assert.strictEqual(res.status, 303, 'Fingertips names are accepted');
	assert.deepStrictEqual(sql(srv.dbPath, `SELECT lower_milli, upper_milli, count_milli FROM indicator_values
		WHERE indicator_id = ${indicatorId} AND period = '2016/17' AND area_code = 'E92000001'`),
	[{ lower_milli: 14100, upper_milli: 14300, count_milli: 1600000000 }]);
});

test('a value typed by hand keeps what was typed when it is wrong', async () => {
	const lead = await signedIn(LEAD);
	const form = `/indicators/${indicatorId}/values/new`;
	let res = await postForm(lead, form, form, {
		area_code: 'E08000006', area_name: 'Salford', period: '2021/22', value: '1,5', lower: '3', upper: '2',
	});
	assert.strictEqual(res.status, 400);
	assert.match(res.body, /The value must be a number with at most 3 decimal places/);
	assert.match(res.body, /The upper confidence limit must not be below the lower one/);
	assert.match(res.body, /value="1,5"/);
	res = await postForm(lead, form, form, { area_code: 'E08000006', area_name: 'Salford', period: '2021/22', value: '17.5' });
	assert.strictEqual(res.status, 303);
	assert.strictEqual(res.headers.location, `/indicators/${indicatorId}?done=value`);
});

test('a programme lead changes an indicator; the form starts from what is there', async () => {
	const lead = await signedIn(LEAD);
	const form = `/indicators/${indicatorId}/edit`;
	let res = await lead.get(form);
	assert.strictEqual(res.status, 200);
	assert.match(res.body, /id="code" name="code" type="text" spellcheck="false" value="T93701"/);
	assert.match(res.body, /value="lower_is_better" checked/);
	res = await postForm(lead, form, form, {
		code: 'T93701', name: '', unit: '%', polarity: 'lower_is_better', source: 'OHID Fingertips', period_type: 'financial_year',
	});
	assert.strictEqual(res.status, 400);
	assert.match(res.body, /Enter the indicator&#39;s name/);
	const area = sql(srv.dbPath, "SELECT id FROM priority_areas WHERE slug = 'child-poverty'")[0].id;
	res = await postForm(lead, form, form, [
		['code', 'T93701'], ['name', `Test children in low income ${HOSTILE}`], ['unit', '%'],
		['polarity', 'lower_is_better'], ['source', 'OHID Fingertips (DWP and HMRC)'], ['source_id', '93701'],
		['period_type', 'financial_year'], ['decimals', '1'], ['areas', String(area)],
	]);
	assert.strictEqual(res.status, 303);
	const page = await lead.get(res.headers.location);
	assert.match(page.body, /Indicator changed/);
	assert.match(page.body, /OHID Fingertips \(DWP and HMRC\)/);
	assert.strictEqual(count(`SELECT COUNT(*) AS n FROM audit_log WHERE entity = 'indicator' AND entity_id = ${indicatorId} AND action = 'update'`), 1);
	const local = await signedIn(LOCAL);
	assert.strictEqual((await local.get(form)).status, 403);
	assert.strictEqual((await lead.get('/indicators/999999/edit')).status, 404);
});

test('only programme leads manage indicators', async () => {
	const anon = srv.client();
	let res = await anon.get('/indicators/new');
	assert.strictEqual(res.status, 303, 'visitors are sent to sign in');
	for (const email of [LOCAL, FACILITATOR, BOARD]) {
		const c = await signedIn(email);
		for (const p of ['/indicators/new', '/indicators/import', `/indicators/${indicatorId}/values/new`]) {
			res = await c.get(p);
			assert.strictEqual(res.status, 403, `${email} ${p}`);
		}
		const csrf = await c.csrf('/account/password');
		res = await c.post('/indicators/import', { csrf, csv: 'x' });
		assert.strictEqual(res.status, 403, `${email} POST import`);
	}
});

// --- The ladder ----------------------------------------------------------------------------

test('a member rates a session on the ladder; rating again replaces it', async () => {
	const c = await signedIn(LOCAL);
	let res = await c.get('/programmes/young-adults/assessment');
	assert.strictEqual(res.status, 200);
	assert.ok(res.body.includes('Results: the ladder'), 'members see the comparison the page promises');
	const link = res.body.match(/href="(\/programmes\/young-adults\/assessment\/session\/\d+)"/);
	assert.ok(link, 'a session to rate');
	res = await postForm(c, link[1], link[1], { rung: 'the top' });
	assert.strictEqual(res.status, 400);
	assert.match(res.body, /Select the rung of the ladder you think it reached/);
	res = await postForm(c, link[1], link[1], { rung: 'engagement' });
	assert.strictEqual(res.status, 303);
	res = await postForm(c, link[1], link[1], { rung: 'co_design' });
	assert.strictEqual(res.status, 303);
	const id = link[1].split('/').pop();
	const amina = sql(srv.dbPath, `SELECT id FROM accounts WHERE email = '${LOCAL}'`)[0].id;
	const rows = sql(srv.dbPath, `SELECT rung FROM ladder_ratings WHERE subject_kind = 'session' AND subject_id = ${id} AND account_id = ${amina}`);
	assert.deepStrictEqual(rows.map((r) => r.rung), [6]);
	res = await c.get('/programmes/young-adults/assessment');
	assert.match(res.body, /Your rating: Co-design/);
});

test('only held sessions and closed decisions are offered for rating; others are refused with a reason', async () => {
	const group = sql(srv.dbPath, "SELECT g.id FROM working_groups g JOIN programmes p ON p.id = g.programme_id WHERE p.slug = 'young-adults' ORDER BY g.id LIMIT 1")[0].id;
	sql(srv.dbPath, `INSERT INTO decisions (group_id, question, method, parity_rule, proposed_side, opened_at)
		VALUES (${group}, 'Still open question', 'consensus', 'none', 'local', '2022-03-01T10:00:00Z')`);
	const open = sql(srv.dbPath, "SELECT id FROM decisions WHERE question = 'Still open question'")[0].id;
	sql(srv.dbPath, `INSERT INTO group_sessions (group_id, title, starts_at, ends_at, status, uid, created_at, updated_at)
		VALUES (${group}, 'Future session', '2199-01-05T18:00', '2199-01-05T20:00', 'planned', 'u-future-ladder', 'x', 'x')`);
	const future = sql(srv.dbPath, "SELECT id FROM group_sessions WHERE uid = 'u-future-ladder'")[0].id;
	const c = await signedIn(LOCAL);
	const page = await c.get('/programmes/young-adults/assessment');
	assert.ok(!page.body.includes(`/assessment/decision/${open}"`), 'an open decision is not offered');
	assert.ok(!page.body.includes(`/assessment/session/${future}"`), 'a session to come is not offered');
	const offered = [...page.body.matchAll(/\/assessment\/(session|decision)\/(\d+)"/g)];
	for (const [, kind, id] of offered) {
		const table = kind === 'session' ? 'group_sessions' : 'decisions';
		const status = sql(srv.dbPath, `SELECT status FROM ${table} WHERE id = ${id}`)[0].status;
		assert.strictEqual(status, kind === 'session' ? 'held' : 'closed', `${kind} ${id}`);
	}
	const path = `/programmes/young-adults/assessment/decision/${open}`;
	const res = await postForm(c, '/programmes/young-adults/assessment', path, { rung: 'co_design' });
	assert.strictEqual(res.status, 409);
	assert.match(res.body, /You can rate a decision on the ladder once it has been closed/);
	assert.strictEqual(count(`SELECT COUNT(*) AS n FROM ladder_ratings WHERE subject_kind = 'decision' AND subject_id = ${open}`), 0);
	sql(srv.dbPath, `DELETE FROM decisions WHERE id = ${open}`);
	sql(srv.dbPath, `DELETE FROM group_sessions WHERE id = ${future}`);
});

test('who sees the self-assessment of a programme', async () => {
	// Not a member of the older people's programme: as if it did not exist.
	const local = await signedIn(LOCAL);
	assert.strictEqual((await local.get('/programmes/older-people/assessment')).status, 404);
	assert.strictEqual((await local.get('/programmes/young-adults/assessment/session/999999')).status, 404);
	assert.strictEqual((await local.get('/programmes/no-such/assessment')).status, 404);
	// Board members and programme leads see the results; visitors sign in first.
	for (const email of [BOARD, LEAD, FACILITATOR]) {
		const c = await signedIn(email);
		const res = await c.get('/programmes/young-adults/assessment');
		assert.strictEqual(res.status, 200, email);
		assert.match(res.body, /Results: the ladder of co-production/, email);
	}
	assert.strictEqual((await srv.client().get('/programmes/young-adults/assessment')).status, 303);
});

// --- The six principles ----------------------------------------------------------------

function today() {
	const d = new Date();
	return { day: d.getUTCDate(), month: d.getUTCMonth() + 1, year: d.getUTCFullYear() };
}

test('a lead opens a round; members answer once; the results hide small sides', async () => {
	const lead = await signedIn(LEAD);
	const form = '/programmes/young-adults/principles/new';
	let res = await postForm(lead, form, form, { period_label: HOSTILE, 'opens-day': '31', 'opens-month': '2', 'opens-year': '2026' });
	assert.strictEqual(res.status, 400);
	assert.match(res.body, /Enter the date the round opens/);
	assert.ok(res.body.includes(`value="${ESCAPED}"`));
	const t = today();
	res = await postForm(lead, form, form, {
		period_label: 'Test round', 'opens-day': '1', 'opens-month': '1', 'opens-year': String(t.year),
		'closes-day': '31', 'closes-month': '12', 'closes-year': String(t.year),
	});
	assert.strictEqual(res.status, 303);
	const round = sql(srv.dbPath, "SELECT id FROM principle_rounds WHERE period_label = 'Test round'")[0].id;
	const path = `/programmes/young-adults/principles/${round}`;

	const local = await signedIn(LOCAL);
	let page = await local.get('/programmes/young-adults/assessment');
	assert.ok(page.body.includes(`href="${path}"`), 'the open round is offered');
	res = await postForm(local, path, path, { 'rating-strengths': '4' });
	assert.strictEqual(res.status, 400);
	assert.match(res.body, /Select how well we live up to Power, from 1 to 5/);
	assert.match(res.body, /id="rating-strengths-4" name="rating-strengths" type="radio" value="4" checked/);
	const answers = {
		'rating-strengths': '4', 'rating-power': '2', 'rating-relationships': '5', 'rating-diversity': '3',
		'rating-knowledges': '4', 'rating-testing': '3', 'comment-power': `Still waiting ${HOSTILE}`,
	};
	res = await postForm(local, path, path, answers);
	assert.strictEqual(res.status, 303);
	// Twice: refused with a clear message, and nothing more recorded.
	const csrf = await local.csrf('/account/password');
	res = await local.post(path, { ...answers, csrf });
	assert.strictEqual(res.status, 409);
	assert.match(res.body, /You have already answered the questionnaire for Test round/);
	assert.strictEqual(count(`SELECT COUNT(*) AS n FROM principle_respondents WHERE round_id = ${round}`), 1);
	assert.strictEqual(count(`SELECT COUNT(*) AS n FROM principle_answers WHERE round_id = ${round}`), 6);
	page = await local.get(path);
	assert.match(page.body, /You have already answered/);

	// One local person answered: no breakdown for either side, and the comment is for
	// the lead only, escaped and without a name.
	page = await lead.get('/programmes/young-adults/assessment');
	assert.strictEqual(page.status, 200);
	assert.match(page.body, /Local people \(fewer than 5 answered\)/);
	assert.match(page.body, /Professionals \(fewer than 5 answered\)/);
	assert.ok(page.body.includes(`Still waiting ${ESCAPED}`));
	assert.ok(!page.body.includes(HOSTILE));
	const board = await signedIn(BOARD);
	page = await board.get('/programmes/young-adults/assessment');
	assert.ok(!page.body.includes('Still waiting'), 'comments are for programme leads only');
	page = await local.get('/programmes/young-adults/assessment');
	assert.ok(!page.body.includes('Still waiting'), 'a member never sees comments');
	// A member sees the same protected results: no breakdown from one answer.
	assert.match(page.body, /Results: the six principles/);
	assert.match(page.body, /Local people \(fewer than 5 answered\)/);
	assert.match(page.body, /<td class="govuk-table__cell">No breakdown<\/td>/);

	// The trend over rounds is for those who see the results.
	const chart = await lead.get('/programmes/young-adults/principles/chart.svg');
	assert.strictEqual(chart.status, 200);
	assert.match(chart.headers['content-type'], /^image\/svg\+xml/);
	assert.strictEqual((await local.get('/programmes/young-adults/principles/chart.svg')).status, 200);

	// Not a member: the round does not exist for them.
	assert.strictEqual((await lead.get(path)).status, 404);
	assert.strictEqual((await local.get(`/programmes/older-people/principles/${round}`)).status, 404);
});

test('a facilitator answers for someone without email: counted as a local person, audited as acting for them', async () => {
	const round = sql(srv.dbPath, "SELECT id FROM principle_rounds WHERE period_label = 'Test round'")[0].id;
	const joe = sql(srv.dbPath, "SELECT id FROM accounts WHERE display_name = 'Demo Assisted Person Joe'")[0].id;
	const facId = sql(srv.dbPath, `SELECT id FROM accounts WHERE email = '${FACILITATOR}'`)[0].id;
	const fac = await signedIn(FACILITATOR);
	assert.strictEqual((await fac.post(`/acting-for/${joe}`, { csrf: await fac.csrf('/assisted') })).status, 303);
	const path = `/programmes/young-adults/principles/${round}`;
	const res = await postForm(fac, path, path, {
		'rating-strengths': '5', 'rating-power': '3', 'rating-relationships': '5', 'rating-diversity': '4',
		'rating-knowledges': '5', 'rating-testing': '4',
	});
	assert.strictEqual(res.status, 303);
	await fac.post('/acting-for/stop', { csrf: await fac.csrf('/home') });
	assert.deepStrictEqual(sql(srv.dbPath, `SELECT side FROM principle_respondents WHERE round_id = ${round} AND account_id = ${joe}`),
		[{ side: 'local' }]);
	assert.strictEqual(count(`SELECT COUNT(*) AS n FROM principle_respondents WHERE round_id = ${round} AND account_id = ${facId}`), 0);
	assert.strictEqual(count(`SELECT COUNT(*) AS n FROM audit_log WHERE entity = 'principle_round' AND entity_id = ${round}
		AND action = 'answer' AND account_id = ${facId} AND on_behalf_of = ${joe}`), 1);
});

test('only programme leads open rounds', async () => {
	for (const email of [LOCAL, FACILITATOR, DM, BOARD]) {
		const c = await signedIn(email);
		assert.strictEqual((await c.get('/programmes/young-adults/principles/new')).status, 403, email);
	}
});

// --- The learning log ------------------------------------------------------------------------

test('a facilitator adds to the learning log; members and the Board read it; others cannot', async () => {
	const fac = await signedIn(FACILITATOR);
	const form = '/programmes/young-adults/learning/new';
	let res = await postForm(fac, form, form, { stage: '3', what_happened: HOSTILE, noticed: 'language' });
	assert.strictEqual(res.status, 400);
	assert.match(res.body, /Enter the date it happened/);
	assert.match(res.body, /Enter what we learned/);
	assert.ok(res.body.includes(ESCAPED), 'what was typed is kept, escaped');
	res = await postForm(fac, form, form, [
		['stage', '3'], ['happened-day', '15'], ['happened-month', '2'], ['happened-year', '2022'],
		['what_happened', `Talked about money ${HOSTILE}`], ['what_learned', 'Our words kept people out'],
		['what_change', 'Use the group\'s words'], ['noticed', 'language'], ['noticed', 'shift'], ['about', 'idea:999999'],
	]);
	assert.strictEqual(res.status, 400, 'something from outside the programme is refused');
	assert.match(res.body, /Select something from this programme, or nothing/);
	res = await postForm(fac, form, form, [
		['stage', '3'], ['happened-day', '15'], ['happened-month', '2'], ['happened-year', '2022'],
		['what_happened', `Talked about money ${HOSTILE}`], ['what_learned', 'Our words kept people out'],
		['noticed', 'language'], ['noticed', 'shift'], ['about', ''],
	]);
	assert.strictEqual(res.status, 303);

	const local = await signedIn(LOCAL);
	const page = await local.get('/programmes/young-adults/learning');
	assert.strictEqual(page.status, 200);
	assert.ok(!page.body.includes(HOSTILE));
	const card = page.body.split('<div class="govuk-summary-card">').find((c) => c.includes('Talked about money'));
	assert.ok(card, 'the entry is on the timeline');
	assert.ok(card.includes(`Talked about money ${ESCAPED}`));
	assert.match(card, /15 February 2022: Stage 3/);
	assert.match(card, /A change in language/);
	assert.match(card, /A shift in thinking/);
	assert.ok(!card.includes('More flexibility'));
	assert.ok(!page.body.includes('/learning/new'), 'local people do not add entries');

	assert.strictEqual((await local.get(form)).status, 403);
	assert.strictEqual((await local.get('/programmes/older-people/learning')).status, 404);
	const board = await signedIn(BOARD);
	// The Board reads in its report what the log says, so its members may read the log.
	const boardPage = await board.get('/programmes/young-adults/learning');
	assert.strictEqual(boardPage.status, 200);
	assert.ok(boardPage.body.includes(`Talked about money ${ESCAPED}`));
	assert.ok(!boardPage.body.includes('/learning/new'), 'Board members do not add entries');
	assert.strictEqual((await board.get(form)).status, 403);
	assert.strictEqual((await srv.client().get('/programmes/young-adults/learning')).status, 303);
	// A facilitator of no group of the programme cannot add to it.
	assert.strictEqual((await fac.get('/programmes/older-people/learning/new')).status, 404);
});
