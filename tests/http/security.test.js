// security.test.js: what protects the people using coprod from a hostile page or a
// hostile entry: the security headers on every kind of response, a script policy with a
// fresh nonce each time, no inline styles, names typed by anyone shown as text and never
// run as code, and an audit log that says who changed what.
'use strict';

const { test, before, after } = require('node:test');
const assert = require('assert');
const { startServer, raw, statusOf } = require('./lib');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { sql, coprod, demoPeople, serve, findForm, formData, parseForms, textOf } = require('./helpers_basic');

const HOSTILE_SCRIPT = '<script>alert(1)</script>';
const HOSTILE_ATTR = '" onmouseover="alert(1)';

let srv;
let people; // role -> { email, name }

before(async () => {
	srv = await startServer();
	people = demoPeople();
});

after(async () => {
	if (srv) await srv.stop();
});

async function signedIn(role) {
	const c = srv.client();
	const res = await c.signIn(people[role].email, srv.demo.password);
	assert.strictEqual(res.status, 303, `signing in as ${role}`);
	return c;
}

// Headers of a raw HTTP answer, lower-case names.
function rawHeaders(text) {
	const h = {};
	for (const line of text.split('\r\n\r\n')[0].split('\r\n').slice(1)) {
		const i = line.indexOf(':');
		if (i > 0) h[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
	}
	return h;
}

function directive(csp, name) {
	const d = csp.split(';').map((s) => s.trim()).find((s) => s.split(/\s+/)[0] === name);
	return d ? d.split(/\s+/).slice(1) : null;
}

function nonceOf(headers) {
	const csp = headers['content-security-policy'] || '';
	const src = directive(csp, 'script-src') || [];
	const n = src.map((s) => s.match(/^'nonce-([A-Za-z0-9+/_=-]+)'$/)).find(Boolean);
	return n ? n[1] : null;
}

function assertSecurityHeaders(headers, what) {
	const csp = headers['content-security-policy'];
	assert.ok(csp, `${what}: Content-Security-Policy`);
	assert.ok(!/unsafe-inline|unsafe-eval/.test(csp), `${what}: no unsafe-inline or unsafe-eval in ${csp}`);
	assert.ok(directive(csp, 'default-src'), `${what}: a default-src`);
	assert.ok(nonceOf(headers), `${what}: script-src allows scripts by nonce: ${csp}`);
	assert.deepStrictEqual(directive(csp, 'frame-ancestors'), ["'none'"], `${what}: frame-ancestors 'none'`);
	assert.deepStrictEqual(directive(csp, 'object-src'), ["'none'"], `${what}: object-src 'none'`);
	assert.strictEqual(headers['x-content-type-options'], 'nosniff', `${what}: X-Content-Type-Options`);
	assert.match(headers['referrer-policy'] || '', /^(no-referrer|same-origin|strict-origin|strict-origin-when-cross-origin)$/, `${what}: Referrer-Policy`);
	assert.match(headers['permissions-policy'] || '', /camera=\(\)/, `${what}: Permissions-Policy`);
}

test('every kind of response carries the security headers', async () => {
	const anon = srv.client();
	const lp = await signedIn('local_person');
	const v = (await anon.get('/')).body.match(/\?v=([^"&]+)"/)[1];
	const checks = [
		['a public page', await anon.get('/'), 200],
		['the sign-in page', await anon.get('/sign-in'), 200],
		['a signed-in page', await lp.get('/home'), 200],
		['a 404 page', await anon.get('/no-such-page'), 404],
		['a 403 page', await lp.get('/admin/people'), 403],
		['a redirect to sign in', await anon.get('/home'), 303],
		['a static stylesheet', await anon.get(`/assets/govuk-frontend.min.css?v=${v}`), 200],
		['a static script', await anon.get('/assets/govuk-frontend.min.js'), 200],
		['the health check', await anon.get('/healthz'), 200],
		['a HEAD', await anon.request('HEAD', '/'), 200],
	];
	const css = checks[6][1];
	checks.push(['a 304', await anon.get(`/assets/govuk-frontend.min.css?v=${v}`, { headers: { 'If-None-Match': css.headers.etag } }), 304]);
	const token = await anon.csrf('/sign-in');
	checks.push(['a 405', await anon.post('/', { csrf: token }), 405]);
	checks.push(['a 403 for a form without its token', await anon.post('/sign-in', { email: 'x@example.org', password: 'y' }), 403]);
	checks.push(['a sign-in error', await anon.post('/sign-in', { email: 'x@example.org', password: 'wrong-password-1', csrf: token }), 400]);
	for (const [what, res, status] of checks) {
		if (status === 303) assert.ok([302, 303].includes(res.status), `${what}: status ${res.status}`);
		else assert.strictEqual(res.status, status, `${what}: status`);
		assertSecurityHeaders(res.headers, what);
	}
	for (const [what, text, status] of [
		['a 400 for a broken address', await raw(srv.port, 'GET /%zz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n'), 400],
		['a 413', await raw(srv.port, 'POST /sign-in HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 5000000\r\n\r\n'), 413],
	]) {
		assert.strictEqual(statusOf(text), status, `${what}: ${text.slice(0, 200)}`);
		assertSecurityHeaders(rawHeaders(text), what);
	}
});

test('the script nonce is new on every response and is on every <script> of the page', async () => {
	const anon = srv.client();
	const lead = await signedIn('programme_lead');
	const seen = new Set();
	for (const [c, p] of [[anon, '/'], [anon, '/'], [anon, '/sign-in'], [anon, '/no-such-page'], [lead, '/home'], [lead, '/home'], [lead, '/admin/people']]) {
		const res = await c.get(p);
		const nonce = nonceOf(res.headers);
		assert.ok(nonce, `${p}: a nonce`);
		assert.ok(nonce.length >= 16, `${p}: the nonce is long enough to guess never (${nonce})`);
		assert.ok(!seen.has(nonce), `${p}: the nonce ${nonce} was used before`);
		seen.add(nonce);
		const scripts = res.body.match(/<script\b[^>]*>/gi) || [];
		assert.ok(scripts.length >= 1, `${p}: the page has scripts to check`);
		for (const tag of scripts) {
			const m = tag.match(/\snonce="([^"]*)"/);
			assert.ok(m, `${p}: ${tag} has a nonce`);
			assert.strictEqual(m[1], nonce, `${p}: ${tag} carries this response's nonce`);
		}
		for (const tag of res.body.match(/<style\b[^>]*>/gi) || []) {
			assert.match(tag, new RegExp(`nonce="${nonce}"`), `${p}: ${tag} carries the nonce`);
		}
		assert.ok(!/<[^>]+\son[a-z]+\s*=/i.test(res.body), `${p}: no inline event handlers (onclick=...)`);
		assert.ok(!/javascript:/i.test(res.body), `${p}: no javascript: links`);
	}
});

test('pages have no inline style attributes (the policy would block them)', async () => {
	const anon = srv.client();
	const home = await anon.get('/');
	const areas = [...new Set([...home.body.matchAll(/href="(\/priorities\/[a-z0-9-]+)"/g)].map((m) => m[1]))];
	const pages = [[anon, ['/', '/priorities', ...areas, '/sign-in', '/accessibility', '/privacy', '/cookies', '/no-such-page', '/home?x']]];
	for (const role of Object.keys(people)) {
		const c = await signedIn(role);
		const list = ['/home', '/account/password', '/priorities'];
		if (role === 'programme_lead') list.push('/admin/people', '/admin/people/new', '/admin/organisations', '/admin/audit');
		if (role === 'facilitator') list.push('/assisted', '/assisted/new');
		pages.push([c, list]);
	}
	let checked = 0;
	for (const [c, list] of pages) {
		for (const p of list) {
			const res = await c.get(p);
			if (res.status >= 300 && res.status < 400) continue;
			const m = res.body.match(/<[a-z][^>]*\sstyle\s*=[^>]*>/i);
			assert.ok(!m, `${p} (${res.status}) has an inline style: ${m && m[0]}`);
			checked++;
		}
	}
	assert.ok(checked >= 15, `checked ${checked} pages`);
});

function assertShownAsText(body, where) {
	assert.ok(!body.includes(HOSTILE_SCRIPT), `${where}: the <script> appears raw`);
	assert.ok(!body.includes(HOSTILE_ATTR), `${where}: the quote and onmouseover appear raw`);
	assert.ok(body.includes('&lt;script&gt;alert(1)&lt;/script&gt;'), `${where}: the <script> is shown escaped`);
	assert.ok(body.includes('&quot; onmouseover=&quot;alert(1)') || body.includes('&#34; onmouseover=&#34;alert(1)'), `${where}: the quotes are shown escaped`);
	assert.ok(textOf(body).includes(`${HOSTILE_SCRIPT} ${HOSTILE_ATTR}`), `${where}: and the person sees the name as typed`);
}

test('a name with HTML in it, added with `coprod user add`, is shown as text on every page', async () => {
	// Its own database, with the person added before the server starts.
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'coprod-sec-'));
	const db = path.join(dir, 'x.db');
	let s = null;
	try {
		assert.strictEqual((await coprod(['demo', '--db', db])).code, 0);
		const name = `Mallory ${HOSTILE_SCRIPT} ${HOSTILE_ATTR}`;
		const email = 'mallory.cli@example.org';
		const password = 'mallory has a long password';
		const made = await coprod(['user', 'add', email, '--role', 'local_person', '--name', name, '--db', db], { input: `${password}\n` });
		assert.strictEqual(made.code, 0, made.out);
		assert.strictEqual(sql(db, `SELECT display_name FROM accounts WHERE email = '${email}'`)[0].display_name, name, 'stored as typed');

		s = await serve(['serve', '--db', db, '--port', '0']);
		const c = s.client();
		const signIn = await c.signIn(email, password);
		assert.strictEqual(signIn.status, 303, `${email} signs in: ${textOf(signIn.body).slice(0, 600)}`);
		const home = await c.get('/home');
		assert.strictEqual(home.status, 200);
		assertShownAsText(home.body, '/home');
		assert.ok(!/<script>alert/.test(home.body), 'nowhere on the page, the <title> and account bar included');

		const lead = s.client();
		assert.strictEqual((await lead.signIn(people.programme_lead.email, srv.demo.password)).status, 303);
		const list = await lead.get('/admin/people');
		assert.strictEqual(list.status, 200);
		assertShownAsText(list.body, '/admin/people');
	} finally {
		if (s) await s.stop();
		fs.rmSync(dir, { recursive: true, force: true });
	}
});

test('a name with HTML in it, added by a programme lead on the web, is shown as text, and the audit log says who added it', async () => {
	const lead = await signedIn('programme_lead');
	const page = await lead.get('/admin/people/new');
	assert.strictEqual(page.status, 200, 'the programme lead can open the form to add a person');
	const form = findForm(page.body, /^\/admin\/people(\/new)?$/);
	const names = form.fields.map((f) => f.name);
	const nameField = names.find((n) => /name/.test(n) && !/email/.test(n));
	const emailField = names.find((n) => /email/.test(n));
	const roleField = form.fields.find((f) => /role/.test(f.name || ''));
	assert.ok(nameField && emailField && roleField, `the form has name, email and role fields: ${names.join(', ')}`);
	const name = `Trudy ${HOSTILE_SCRIPT} ${HOSTILE_ATTR}`;
	const email = 'trudy.web@example.org';
	const fill = { [nameField]: name, [emailField]: email };
	const roleValue = roleField.type === 'select'
		? (roleField.options.find((o) => o.value === 'local_person') || {}).value
		: (form.fields.find((f) => f.name === roleField.name && f.value === 'local_person') || {}).value;
	assert.strictEqual(roleValue, 'local_person', 'the role "Local person" can be chosen');
	fill[roleField.name] = roleValue;
	const res = await lead.post(form.action, formData(form, fill));
	// Without a password the lead is shown the person's one-time link at once (200);
	// otherwise the person's page follows (303).
	assert.ok(res.status === 303 || (res.status === 200 && /Account created/.test(textOf(res.body))),
		`adding the person: ${res.status} ${textOf(res.body).slice(0, 300)}`);
	assert.ok(!res.body.includes(HOSTILE_SCRIPT) && !res.body.includes(HOSTILE_ATTR), 'the page after adding shows nothing raw');

	const list = await lead.get('/admin/people');
	assertShownAsText(list.body, '/admin/people');
	const row = (list.body.match(/<tr\b[\s\S]*?<\/tr>/gi) || []).find((r) => r.includes(email));
	assert.ok(row, 'the new person is listed with their email');
	const href = row.match(/href="(\/admin\/people\/\d+)"/);
	assert.ok(href, 'with a link to their page');
	const personPage = await lead.get(href[1]);
	assert.strictEqual(personPage.status, 200);
	assertShownAsText(personPage.body, 'the person\'s page');
	const kept = parseForms(personPage.body).flatMap((f) => f.fields).find((f) => f.name === nameField);
	assert.ok(kept, 'the person\'s page has a form to change the name');
	assert.strictEqual(kept.value, name, 'the name is stored and shown exactly as typed');
	assert.match(textOf(personPage.body), /Local person/);

	const audit = await lead.get('/admin/audit');
	assert.strictEqual(audit.status, 200);
	assertShownAsText(audit.body, '/admin/audit');
	// The entry for this change names the programme lead who made it.
	const rows = audit.body.match(/<tr\b[\s\S]*?<\/tr>/gi) || audit.body.match(/<li\b[\s\S]*?<\/li>/gi) || [];
	const entry = rows.find((r) => r.includes('Trudy'));
	assert.ok(entry, 'the audit log has an entry about the new person');
	assert.ok(textOf(entry).includes(people.programme_lead.name), `the entry says who made the change: ${textOf(entry)}`);
	assert.ok(/creat|add/i.test(textOf(entry)), `and what the change was: ${textOf(entry)}`);
});

test('what someone types into the sign-in form, or puts in a link, comes back as text', async () => {
	const c = srv.client();
	const typed = `"><script>alert(1)</script>@example.org`;
	const res = await c.signIn(typed, 'wrong-password-xx');
	assert.strictEqual(res.status, 400);
	assert.ok(!res.body.includes('<script>alert(1)'), 'the typed email is escaped');
	assert.strictEqual(parseForms(res.body).find((f) => f.action === '/sign-in').fields.find((f) => f.name === 'email').value, typed);

	const next = `"><script>alert(2)</script>`;
	const page = await c.get(`/sign-in?next=${encodeURIComponent(next)}`);
	assert.strictEqual(page.status, 200);
	assert.ok(!page.body.includes('<script>alert(2)'), 'next= is escaped');
	assert.ok(!page.body.includes('"><script'));
});
