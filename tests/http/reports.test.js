// reports.test.js: case studies and the six-monthly progress report to the Health and
// Wellbeing Board, as people meet them over HTTP. The report's figures are worked out
// here again from the demo's records with SQL and compared with the page, the CSV and
// the PDF (read back with pdftotext and pdfinfo); small counts of people must read
// "fewer than 10" in all three; each role sees only what is theirs; quotes appear only
// with consent; hostile text comes back escaped; and `coprod report` refuses bad input.
'use strict';

const test = require('node:test');
const assert = require('node:assert');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { execFileSync, spawnSync } = require('child_process');
const { startServer, DEMO_PASSWORD, COPROD_BIN, ROOT } = require('./lib');
const { sql } = require('./helpers_basic');

const LEAD = 'programme.lead@example.org';
const MEMBER = 'board.member@example.org';
const FACILITATOR = 'facilitator@example.org';
const LOCAL = 'local.person@example.org';
const DM = 'decision.maker@example.org';
const HOSTILE = '<script>alert("x")</script>';
const FROM = '2022-07-01';
const TO = '2022-12-31';
const PERIOD = `from=${FROM}&to=${TO}&prepared=2023-01-10`;
const END = '2023-01-01'; // the day after the period

let srv;

// A count of people as the report must show it: below 10 "fewer than 10", otherwise
// rounded to the nearest 5 (halves up).
function disclosed(n) {
	return n < 10 ? 'fewer than 10' : String(Math.floor((n + 2) / 5) * 5);
}

function one(query) {
	const rows = sql(srv.dbPath, query);
	return Object.values(rows[0])[0];
}

async function signedIn(email) {
	const c = srv.client();
	const res = await c.signIn(email, DEMO_PASSWORD);
	assert.strictEqual(res.status, 303, `sign in as ${email}`);
	return c;
}

// Today as the pages write dates: "14 June 2022".
function todayText() {
	return new Date().toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
}

function text(html) {
	return html.replace(/<[^>]+>/g, ' ').replace(/&#39;/g, "'").replace(/&quot;/g, '"')
		.replace(/&amp;/g, '&').replace(/\s+/g, ' ');
}

// Parses the report's CSV (quoted fields, CRLF) into objects.
function csvRows(body) {
	const rows = [];
	let field = '', row = [], quoted = false;
	for (let i = 0; i < body.length; i++) {
		const ch = body[i];
		if (quoted) {
			if (ch === '"' && body[i + 1] === '"') { field += '"'; i++; } else if (ch === '"') quoted = false;
			else field += ch;
		} else if (ch === '"') quoted = true;
		else if (ch === ',') { row.push(field); field = ''; } else if (ch === '\n') { row.push(field.replace(/\r$/, '')); rows.push(row); row = []; field = ''; } else field += ch;
	}
	const [head, ...rest] = rows;
	return rest.map((r) => Object.fromEntries(head.map((h, i) => [h, r[i]])));
}

function pdfText(bytes) {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'coprod-report-'));
	const file = path.join(dir, 'r.pdf');
	fs.writeFileSync(file, bytes);
	try {
		return {
			text: execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }),
			info: execFileSync('pdfinfo', [file], { encoding: 'utf8' }),
			struct: execFileSync('pdfinfo', ['-struct', file], { encoding: 'utf8' }),
		};
	} finally {
		fs.rmSync(dir, { recursive: true, force: true });
	}
}

// The young adults programme's figures for the second half of 2022, from the records.
function expected() {
	const pid = one("SELECT id FROM programmes WHERE slug = 'young-adults'");
	const held = one(`SELECT COUNT(*) FROM group_sessions s JOIN working_groups g ON g.id = s.group_id
		WHERE g.programme_id = ${pid} AND s.status = 'held' AND s.starts_at >= '${FROM}' AND s.starts_at < '${END}'`);
	const attend = (cond) => one(`SELECT COUNT(DISTINCT a.account_id) FROM attendance a
		JOIN group_sessions s ON s.id = a.session_id JOIN working_groups g ON g.id = s.group_id
		JOIN accounts ac ON ac.id = a.account_id WHERE g.programme_id = ${pid} AND s.status = 'held'
		AND a.status = 'present' AND s.starts_at >= '${FROM}' AND s.starts_at < '${END}' AND ${cond}`);
	const closed = one(`SELECT COUNT(*) FROM decisions d JOIN working_groups g ON g.id = d.group_id
		WHERE g.programme_id = ${pid} AND d.status = 'closed' AND d.closed_at >= '${FROM}' AND d.closed_at < '${END}'`);
	const positions = (side) => one(`SELECT COUNT(*) FROM decision_positions p JOIN decisions d ON d.id = p.decision_id
		JOIN working_groups g ON g.id = d.group_id WHERE g.programme_id = ${pid} AND d.status = 'closed'
		AND d.closed_at >= '${FROM}' AND d.closed_at < '${END}' AND p.side = '${side}'`);
	const supported = one(`SELECT COUNT(*) FROM board_papers b JOIN board_meetings m ON m.id = b.meeting_id
		JOIN ideas i ON i.id = b.idea_id WHERE i.programme_id = ${pid} AND b.decision = 'supported'
		AND m.meets_on BETWEEN '${FROM}' AND '${TO}'`);
	const proposals = one(`SELECT COUNT(*) FROM board_papers b JOIN board_meetings m ON m.id = b.meeting_id
		WHERE m.meets_on BETWEEN '${FROM}' AND '${TO}'`);
	return {
		held,
		localAttended: disclosed(attend("ac.role = 'local_person'")),
		profAttended: disclosed(attend("ac.role <> 'local_person'")),
		closed,
		positionsLocal: positions('local'),
		positionsProf: positions('professional'),
		supported,
		proposals,
	};
}

test.before(async () => {
	srv = await startServer();
	// A programme nobody facilitates, with a draft case study: the facilitator must not
	// see either.
	sql(srv.dbPath, `INSERT INTO programmes (slug, name, summary, created_at, updated_at)
		VALUES ('report-test', 'Report test programme', 's', '2022-01-01T00:00:00Z', '2022-01-01T00:00:00Z')`);
	sql(srv.dbPath, `INSERT INTO case_studies (programme_id, title, summary, status, created_at, updated_at)
		SELECT id, 'Hidden draft', 's', 'draft', 'x', 'x' FROM programmes WHERE slug = 'report-test'`);
});

test.after(async () => {
	if (srv) await srv.stop();
});

test('the public sees published case studies, their consented quotes and open data, never drafts', async () => {
	const c = srv.client();
	const list = await c.get('/case-studies');
	assert.strictEqual(list.status, 200);
	assert.match(list.body, /Young adults shaping support: from ideas to the Board/);
	assert.doesNotMatch(list.body, /first months of co-delivery/, 'a draft is not listed');
	const pub = one("SELECT id FROM case_studies WHERE status = 'published'");
	const draft = one("SELECT id FROM case_studies WHERE title LIKE 'Warm spaces youth network%'");
	const page = await c.get(`/case-studies/${pub}`);
	assert.strictEqual(page.status, 200);
	const t = text(page.body);
	assert.match(t, /Demo Kai, young adult in the group/);
	assert.match(t, /Who took part/);
	// Who took part, from the records, disclosed.
	const locals = one(`SELECT COUNT(DISTINCT m.account_id) FROM group_members m JOIN working_groups g ON g.id = m.group_id
		JOIN programmes p ON p.id = g.programme_id WHERE p.slug = 'young-adults' AND m.role_in_group = 'local_person'`);
	assert.match(t, new RegExp(`Local people ${disclosed(locals)}`));
	assert.strictEqual((await c.get(`/case-studies/${draft}`)).status, 404);
	const api = JSON.parse((await c.get('/api/v1/case-studies')).body);
	assert.strictEqual(api.count, 1);
	assert.strictEqual(api.case_studies[0].published_on, '2022-12-13');
	const item = JSON.parse((await c.get(`/api/v1/case-studies/${pub}`)).body);
	assert.strictEqual(item.quotes.length, 2);
	assert.strictEqual(item.figures.local_people, disclosed(locals));
	// The figures are counted from today's records, and say so.
	assert.match(t, new RegExp(`Figures as at ${todayText()}`));
	assert.strictEqual(item.figures_as_at, new Date().toISOString().slice(0, 10));
	assert.strictEqual(item.last_updated, null);
	assert.strictEqual((await c.get(`/api/v1/case-studies/${draft}`)).status, 404);
	// The Locality Plan indicator on a priority area page.
	const area = await c.get('/priorities/child-poverty');
	if (/Case studies/.test(area.body)) assert.match(text(area.body), /published case study/);
});

test('who may see the Board report', async () => {
	const anon = await srv.client().get(`/reports/view?${PERIOD}`);
	assert.strictEqual(anon.status, 303, 'signed out: sent to sign in');
	for (const email of [LOCAL, DM]) {
		const c = await signedIn(email);
		assert.strictEqual((await c.get('/reports')).status, 403, `${email} is refused`);
		assert.strictEqual((await c.get(`/reports/view?${PERIOD}&format=pdf`)).status, 403);
		assert.strictEqual((await c.get(`/case-studies/new`)).status, 403);
	}
	for (const email of [LEAD, MEMBER]) {
		const c = await signedIn(email);
		const r = await c.get(`/reports/view?${PERIOD}`);
		assert.strictEqual(r.status, 200, email);
		assert.match(r.body, /Programme: Report test programme/);
	}
	const fac = await signedIn(FACILITATOR);
	const r = await fac.get(`/reports/view?${PERIOD}`);
	assert.strictEqual(r.status, 200);
	assert.match(r.body, /Programme: Young adults co-production/);
	assert.doesNotMatch(r.body, /Report test programme/, 'only the facilitator\'s own programmes');
	const csv = await fac.get(`/reports/view?${PERIOD}&format=csv`);
	assert.doesNotMatch(csv.body, /Report test programme/);
	const hidden = one("SELECT id FROM case_studies WHERE title = 'Hidden draft'");
	assert.strictEqual((await fac.get(`/case-studies/${hidden}`)).status, 404);
	assert.strictEqual((await fac.get(`/case-studies/${hidden}/edit`)).status, 404);
});

test('the report page, CSV and PDF show the figures the records imply, small counts suppressed', async () => {
	const e = expected();
	const c = await signedIn(LEAD);

	const page = await c.get(`/reports/view?${PERIOD}`);
	assert.strictEqual(page.status, 200);
	const t = text(page.body);
	for (const h of ['Executive summary', 'Why is this report being brought to the Board?', 'Recommendations for action',
		'Contextual information', 'Sessions held and attendance', 'Decisions and the balance of power']) {
		assert.ok(t.includes(h), `page has ${h}`);
	}
	assert.match(page.body, /<h2 class="govuk-heading-l" id="summary">Executive summary<\/h2>/);
	assert.match(page.body, /<caption class="govuk-table__caption govuk-table__caption--s">Sessions and attendance during the period<\/caption>/);
	assert.match(page.body, /<img src="\/reports\/chart\.svg\?from=2022-07-01&amp;to=2022-12-31&amp;n=\d+" alt="Contributions by side: Young adults co-production: [^"]+">/);
	assert.match(t, new RegExp(`Local people who attended at least once ${e.localAttended}`));
	assert.match(t, /fewer than 10/);
	assert.match(page.body, /href="\/reports\/report\.pdf\?from=2022-07-01&amp;to=2022-12-31"/);
	assert.match(page.body, /href="\/reports\/figures\.csv\?from=2022-07-01&amp;to=2022-12-31"/);
	const viaPath = await c.get('/reports/figures.csv?from=2022-07-01&to=2022-12-31&prepared=2023-01-10');
	assert.strictEqual(viaPath.status, 200);

	const csv = await c.get(`/reports/view?${PERIOD}&format=csv`);
	assert.strictEqual(csv.status, 200);
	assert.match(csv.headers['content-type'], /^text\/csv/);
	assert.match(csv.headers['content-disposition'], /attachment; filename="board-report-2022-07-01-to-2022-12-31\.csv"/);
	const rows = csvRows(csv.body);
	const fig = (programme, measure) => {
		const row = rows.find((r) => r.programme === programme && r.measure === measure);
		assert.ok(row, `CSV has ${programme} / ${measure}`);
		return row.value;
	};
	const YA = 'Young adults co-production';
	assert.strictEqual(fig(YA, 'Sessions held'), String(e.held));
	assert.strictEqual(fig(YA, 'Local people who attended at least once'), e.localAttended);
	assert.strictEqual(fig(YA, 'Professionals who attended at least once'), e.profAttended);
	assert.strictEqual(fig(YA, 'Decisions closed'), String(e.closed));
	assert.strictEqual(fig(YA, 'Positions on decisions: Local people'), String(e.positionsLocal));
	assert.strictEqual(fig(YA, 'Positions on decisions: Professionals'), String(e.positionsProf));
	assert.strictEqual(fig('', 'Proposals taken to the Board'), String(e.proposals));
	assert.strictEqual(fig('', 'Proposals the Board supported'), String(e.supported));
	assert.ok(rows.some((r) => r.value === 'fewer than 10'), 'a suppressed count reads "fewer than 10" in the CSV');
	// Participants against the population, when the demo has volunteers: everyone who
	// volunteered, disclosed.
	const volunteers = one(`SELECT COUNT(*) FROM volunteers v JOIN programmes p ON p.id = v.programme_id
		WHERE p.slug = 'young-adults' AND v.merged_into IS NULL`);
	if (volunteers > 0) assert.strictEqual(fig(YA, 'Age: everyone: volunteers'), disclosed(volunteers));
	const PEOPLE = ['Local people', 'Professionals and facilitators', 'People who joined during the period',
		'Attendances (one person at one session)', 'Local people who attended at least once',
		'Professionals who attended at least once', 'People paid', 'People taking part (counted once in each programme)'];
	for (const r of rows.filter((x) => PEOPLE.includes(x.measure) || /: (volunteers|attended)$/.test(x.measure))) {
		assert.ok(r.value === 'fewer than 10' || Number(r.value) % 5 === 0, `${r.measure} is disclosed: ${r.value}`);
	}

	const pdf = await c.get(`/reports/view?${PERIOD}&format=pdf`);
	assert.strictEqual(pdf.status, 200);
	assert.strictEqual(pdf.headers['content-type'], 'application/pdf');
	assert.match(pdf.headers['content-disposition'], /attachment; filename="board-report-2022-07-01-to-2022-12-31\.pdf"/);
	const { text: pt, info, struct } = pdfText(pdf.bytes);
	assert.match(info, /Tagged:\s+yes/);
	// Headings, tables and charts are in the structure tree a screen reader follows.
	for (const tag of ['Document', 'H1', 'H2', 'H3', 'Table', 'Caption', 'TH', 'TD', 'Figure', 'L', 'LI']) {
		assert.match(struct, new RegExp(`^\\s*${tag}\\b`, 'm'), `the PDF's structure has ${tag}`);
	}
	const pages = Number(info.match(/Pages:\s+(\d+)/)[1]);
	assert.ok(pages >= 2);
	assert.match(pt, new RegExp(`Page 1 of ${pages}`));
	assert.match(pt, new RegExp(`Page ${pages} of ${pages}`));
	const flat = pt.replace(/\s+/g, ' ');
	for (const h of ['Progress report on co-production', 'Executive summary', 'Recommendations for action', 'Contextual information',
		'Programme: Young adults co-production', 'Who took part']) {
		assert.ok(flat.includes(h), `PDF has ${h}`);
	}
	assert.match(flat, /fewer than 10/);
	assert.match(flat, new RegExp(`Local people who attended at least once ${e.localAttended}`));
	assert.match(flat, new RegExp(`Sessions held ${e.held}`));

	// The same records give the same report.
	const again = await c.get(`/reports/view?${PERIOD}&format=csv`);
	assert.strictEqual(again.body, csv.body);
	assert.strictEqual(viaPath.body, csv.body);
	const pdf2 = await c.get(`/reports/view?${PERIOD}&format=pdf`);
	assert.strictEqual(pdfText(pdf2.bytes).text, pt);

	const n = page.body.match(/chart\.svg\?[^"]*n=(\d+)" alt="Contributions by side: Young adults/)[1];
	const chart = await c.get(`/reports/chart.svg?${PERIOD}&n=${n}`);
	assert.strictEqual(chart.status, 200);
	assert.match(chart.headers['content-type'], /^image\/svg\+xml/);
	assert.match(chart.body, /<title[^>]*>Contributions by side/);
	assert.strictEqual((await c.get(`/reports/chart.svg?${PERIOD}&n=999`)).status, 404);
});

test('the half-years are listed newest first, and one not yet ended says its figures run to today', async () => {
	const lead = await signedIn(LEAD);
	const page = await lead.get('/reports');
	assert.strictEqual(page.status, 200);
	const links = [...page.body.matchAll(/href="\/reports\/view\?from=(\d{4}-\d\d-\d\d)&amp;to=(\d{4}-\d\d-\d\d)"[^>]*>([^<]*)</g)];
	assert.strictEqual(links.length, 3);
	const froms = links.map((l) => l[1]);
	assert.deepStrictEqual([...froms].sort().reverse(), froms, 'newest first');
	const now = new Date().toISOString().slice(0, 10);
	for (const [, from, to, label] of links) {
		if (to >= now) assert.match(label, /\(to date\)$/, `${from} has not ended`);
		else assert.doesNotMatch(label, /to date/, `${from} has ended`);
	}
	assert.ok(links[0][2] >= now, 'the half-year under way is offered first');
	const open = text((await lead.get(`/reports/view?from=${links[0][1]}&to=${links[0][2]}`)).body);
	assert.match(open, new RegExp(`Figures to ${todayText()}`));
	const ended = text((await lead.get(`/reports/view?from=${links[1][1]}&to=${links[1][2]}`)).body);
	assert.doesNotMatch(ended, /Figures to/);
});

test('a wrong period is a message beside the dates, with what was typed kept', async () => {
	const c = await signedIn(LEAD);
	const back = await c.get('/reports/view?from-day=31&from-month=12&from-year=2022&to-day=1&to-month=7&to-year=2022');
	assert.strictEqual(back.status, 400);
	assert.match(back.body, /There is a problem/);
	assert.match(back.body, /The last day of the period must be the same as or after the first day/);
	assert.match(back.body, /name="from-day" type="text" inputmode="numeric" value="31"/);
	const junk = await c.get('/reports/view?from=2022-02-30&to=2022-12-31');
	assert.strictEqual(junk.status, 400);
	assert.match(junk.body, /must be a real date/);
	assert.strictEqual((await c.get(`/reports/view?${PERIOD}&format=docx`)).status, 400);
	const form = await c.get('/reports');
	assert.strictEqual(form.status, 200);
	assert.match(form.body, /href="\/reports\/view\?from=\d{4}-0[17]-01&amp;to=\d{4}-(06-30|12-31)"/);
});

test('a facilitator writes a case study, chooses quotes with consent, and a lead publishes it', async () => {
	const fac = await signedIn(FACILITATOR);
	const csrf = await fac.csrf('/case-studies/new');
	// Mistakes are shown with what was typed kept.
	const bad = await fac.post('/case-studies/new', { csrf, programme: 'young-adults', title: '', summary: 'Kept summary' });
	assert.strictEqual(bad.status, 400);
	assert.match(bad.body, /Enter a title for the case study/);
	assert.match(bad.body, />Kept summary<\/textarea>/);
	const other = await fac.post('/case-studies/new', { csrf, programme: 'report-test', title: 'T', summary: 'S' });
	assert.strictEqual(other.status, 400, 'not a programme the facilitator works on');
	assert.match(other.body, /Select the programme the case study is about/);

	const made = await fac.post('/case-studies/new', { csrf, programme: 'young-adults', title: `Test ${HOSTILE}`,
		summary: 'A test case study', changed: `Things changed ${HOSTILE}` });
	assert.strictEqual(made.status, 303);
	const href = made.headers.location.replace(/\?.*$/, '');
	const id = href.split('/').pop();
	const page = await fac.get(href);
	assert.strictEqual(page.status, 200);
	assert.ok(!page.body.includes(HOSTILE), 'hostile text is escaped');
	assert.ok(page.body.includes('Test &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;') ||
		page.body.includes('Test &lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;'));
	assert.strictEqual((await srv.client().get(href)).status, 404, 'a draft is not public');

	// A quote without consent, and one with a missing answer.
	const qcsrf = await fac.csrf(`${href}/quotes`);
	const noAnswer = await fac.post(`${href}/quotes`, { csrf: qcsrf, source: 'typed', quote: 'Kept quote', speaker: 'Demo Sam' });
	assert.strictEqual(noAnswer.status, 400);
	assert.match(noAnswer.body, /Select whether the speaker has agreed/);
	assert.match(noAnswer.body, />Kept quote<\/textarea>/);
	const added = await fac.post(`${href}/quotes`, { csrf: qcsrf, source: 'typed', quote: `Said ${HOSTILE}`, speaker: 'Demo Sam', consent: 'no' });
	assert.strictEqual(added.status, 303);
	const qid = one(`SELECT id FROM case_study_quotes WHERE case_study_id = ${id}`);

	// A facilitator may not publish; a lead may not while consent is missing.
	assert.strictEqual((await fac.post(`${href}/publish`, { csrf: qcsrf })).status, 403);
	const lead = await signedIn(LEAD);
	const lcsrf = await lead.csrf(href);
	const refused = await lead.post(`${href}/publish`, { csrf: lcsrf });
	assert.strictEqual(refused.status, 409);
	assert.match(refused.body, /One quote is waiting for its speaker&#39;s consent|One quote is waiting for its speaker's consent/);
	assert.strictEqual(one(`SELECT status FROM case_studies WHERE id = ${id}`), 'draft');

	// A consent date in the future is refused; a real one lets it be published.
	const future = await fac.post(`${href}/quotes/${qid}/consent`, { csrf: qcsrf, consent: 'yes',
		[`consent-${qid}-day`]: '1', [`consent-${qid}-month`]: '1', [`consent-${qid}-year`]: '2099' });
	assert.strictEqual(future.status, 400);
	assert.match(future.body, /must be today or in the past/);
	const ok = await fac.post(`${href}/quotes/${qid}/consent`, { csrf: qcsrf, consent: 'yes',
		[`consent-${qid}-day`]: '2', [`consent-${qid}-month`]: '1', [`consent-${qid}-year`]: '2023' });
	assert.strictEqual(ok.status, 303);
	assert.strictEqual((await lead.post(`${href}/publish`, { csrf: lcsrf })).status, 303);
	const pub = await srv.client().get(href);
	assert.strictEqual(pub.status, 200);
	assert.match(pub.body, /Said &lt;script&gt;/);
	assert.ok(!pub.body.includes(HOSTILE));
	const api = JSON.parse((await srv.client().get(`/api/v1/case-studies/${id}`)).body);
	assert.strictEqual(api.quotes[0].quote, `Said ${HOSTILE}`);

	// Consent withdrawn: the quote disappears from the public page at once.
	assert.strictEqual((await fac.post(`${href}/quotes/${qid}/consent`, { csrf: qcsrf, consent: 'no' })).status, 303);
	assert.doesNotMatch((await srv.client().get(href)).body, /Said &lt;script&gt;/);
	assert.ok(one(`SELECT COUNT(*) FROM audit_log WHERE entity = 'case_study_quote' AND entity_id = ${qid}`) >= 3);

	// A lead's edit of the published story stays live and says when it changed.
	assert.doesNotMatch(text((await srv.client().get(href)).body), /Last updated/);
	const ecsrf = await lead.csrf(`${href}/edit`);
	const leadEdit = await lead.post(`${href}/edit`, { csrf: ecsrf, title: 'Test, revised by the lead', summary: 'A test case study' });
	assert.strictEqual(leadEdit.status, 303);
	const revised = text((await srv.client().get(href)).body);
	assert.match(revised, /Test, revised by the lead/);
	assert.match(revised, new RegExp(`Last updated ${todayText()}`));
	// A facilitator's edit goes back to draft for a lead to publish again.
	const fcsrf = await fac.csrf(`${href}/edit`);
	const facEdit = await fac.post(`${href}/edit`, { csrf: fcsrf, title: 'Test, changed by a facilitator', summary: 'A test case study' });
	assert.strictEqual(facEdit.status, 303);
	assert.match(text((await fac.get(facEdit.headers.location)).body), /A programme lead needs to publish it again/);
	assert.strictEqual(one(`SELECT status FROM case_studies WHERE id = ${id}`), 'draft');
	assert.strictEqual((await srv.client().get(href)).status, 404, 'the change is not public until a lead publishes it');
	assert.strictEqual((await srv.client().get(`/api/v1/case-studies/${id}`)).status, 404);
});

test('coprod report writes the report and refuses bad input', async (t) => {
	const help = spawnSync(COPROD_BIN, ['report', '--help'], { cwd: ROOT, encoding: 'utf8' });
	if (help.status !== 0 || !/coprod report/.test(help.stdout)) {
		t.skip('coprod report is not part of this build yet');
		return;
	}
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'coprod-report-cli-'));
	try {
		const out = path.join(dir, 'r.pdf');
		const run = (args) => spawnSync(COPROD_BIN, ['report', '--db', srv.dbPath, ...args], { cwd: ROOT, encoding: 'utf8' });
		const backwards = run(['--from', '2022-12-31', '--to', '2022-07-01', '--format', 'pdf', '--out', out]);
		assert.strictEqual(backwards.status, 2);
		assert.match(backwards.stderr, /the last day \(--to\) is before the first day \(--from\)/);
		const fmt = run(['--from', FROM, '--to', TO, '--format', 'docx', '--out', out]);
		assert.strictEqual(fmt.status, 2);
		assert.match(fmt.stderr, /unknown format "docx": use pdf, html or csv/);
		const junk = run(['--from', '2022-13-01', '--to', TO, '--format', 'pdf', '--out', out]);
		assert.strictEqual(junk.status, 2);
		assert.match(junk.stderr, /--from must be a real date/);
		assert.ok(!fs.existsSync(out), 'nothing written on a refusal');
		const good = run(['--from', FROM, '--to', TO, '--format', 'pdf', '--out', out, '--prepared', '2023-01-10']);
		assert.strictEqual(good.status, 0, good.stderr);
		assert.match(pdfText(fs.readFileSync(out)).info, /Tagged:\s+yes/);
		const csvOut = path.join(dir, 'r.csv');
		assert.strictEqual(run(['--from', FROM, '--to', TO, '--format', 'csv', '--out', csvOut, '--prepared', '2023-01-10']).status, 0);
		const lead = await signedIn(LEAD);
		// The web's CSV for a lead covers the same programmes as the shell's.
		assert.strictEqual(fs.readFileSync(csvOut, 'utf8'), (await lead.get(`/reports/view?${PERIOD}&format=csv`)).body);
	} finally {
		fs.rmSync(dir, { recursive: true, force: true });
	}
});
