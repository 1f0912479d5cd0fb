// helpers_basic.js: small things the server, auth, security and CLI tests share on top
// of lib.js: reading the database with the sqlite3 command, filling in a page's forms
// the way a browser would, running the coprod command and reading a raw keep-alive
// exchange. Node's built-in modules only.
'use strict';

const { spawn, execFileSync } = require('child_process');
const assert = require('assert');
const fs = require('fs');
const net = require('net');
const path = require('path');
const { ROOT, COPROD_BIN } = require('./lib');

// Runs SQL on the database file with the sqlite3 command and returns the rows as
// objects (sqlite3 -json). Reading while coprod runs is fine: the database is in WAL mode.
function sql(dbPath, query) {
	const out = execFileSync('sqlite3', ['-json', dbPath, query], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
	return out.trim() ? JSON.parse(out) : [];
}

// The demo's people by role: { local_person: { email, name }, ... }, read from a
// throwaway demo database made now (the demo is the same every time), so that tests
// never open the database of a server that is running.
function demoPeople() {
	const dir = fs.mkdtempSync(path.join(require('os').tmpdir(), 'coprod-people-'));
	try {
		const db = path.join(dir, 'demo.db');
		execFileSync(COPROD_BIN, ['demo', '--db', db], { cwd: ROOT, env: { ...process.env, COPROD_TEST_FAST_HASH: '1' }, stdio: 'pipe' });
		const people = {};
		for (const row of sql(db, 'SELECT email, role, display_name FROM accounts WHERE email IS NOT NULL ORDER BY id')) {
			if (!people[row.role]) people[row.role] = { email: row.email, name: row.display_name };
		}
		return people;
	} finally {
		fs.rmSync(dir, { recursive: true, force: true });
	}
}

// Starts `coprod ARGS` (e.g. serve on an existing database) and waits for its
// "listening" line. Resolves { proc, port, url, client(), logs(), exited, stop() }; stop()
// sends SIGTERM and rejects unless it exits 0.
function serve(args, env = {}) {
	const proc = spawn(COPROD_BIN, args, { cwd: ROOT, env: { ...process.env, COPROD_TEST_FAST_HASH: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
	const out = [];
	proc.stdout.on('data', (d) => out.push(d.toString()));
	proc.stderr.on('data', (d) => out.push(d.toString()));
	const exited = new Promise((resolve) => proc.on('exit', (code, signal) => resolve(code === null ? signal : code)));
	return new Promise((resolve, reject) => {
		const timer = setTimeout(() => { proc.kill('SIGKILL'); reject(new Error(`not listening after 20 s:\n${out.join('')}`)); }, 20000);
		const look = () => {
			const m = out.join('').match(/coprod: listening on http:\/\/127\.0\.0\.1:(\d+)\//);
			if (!m) return;
			clearTimeout(timer);
			const port = Number(m[1]);
			const url = `http://127.0.0.1:${port}`;
			resolve({
				proc, port, url, exited,
				logs: () => out.join(''),
				client: () => new (require('./lib').Client)(url),
				stop: async () => {
					proc.kill('SIGTERM');
					const code = await exited;
					assert.strictEqual(code, 0, `clean exit on SIGTERM:\n${out.join('').slice(-2000)}`);
				},
			});
		};
		proc.stderr.on('data', look);
		proc.stdout.on('data', look);
		exited.then((code) => { clearTimeout(timer); reject(new Error(`exited (${code}) before listening:\n${out.join('')}`)); });
	});
}

// Runs coprod ARGS to the end and returns { code, stdout, stderr, out } (out is both).
// opts.input is written to its standard input; opts.env adds to the environment
// (COPROD_TEST_FAST_HASH=1 unless opts.env says otherwise).
function coprod(args, opts = {}) {
	return new Promise((resolve, reject) => {
		const p = spawn(COPROD_BIN, args, {
			cwd: ROOT,
			env: { ...process.env, COPROD_TEST_FAST_HASH: '1', ...(opts.env || {}) },
			stdio: ['pipe', 'pipe', 'pipe'],
		});
		const out = [];
		const err = [];
		const timeout = opts.timeout || 30000;
		const timer = setTimeout(() => { p.kill('SIGKILL'); reject(new Error(`coprod ${args.join(' ')}: still running after ${timeout} ms`)); }, timeout);
		p.stdout.on('data', (d) => out.push(d));
		p.stderr.on('data', (d) => err.push(d));
		p.on('error', (e) => { clearTimeout(timer); reject(e); });
		p.on('close', (code, signal) => {
			clearTimeout(timer);
			const stdout = Buffer.concat(out).toString('utf8');
			const stderr = Buffer.concat(err).toString('utf8');
			resolve({ code: code === null ? signal : code, stdout, stderr, out: stdout + stderr });
		});
		p.stdin.on('error', () => { /* it may exit before reading */ });
		if (opts.input !== undefined) p.stdin.write(opts.input);
		p.stdin.end();
	});
}

function decodeEntities(s) {
	return s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&#34;/g, '"')
		.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

function attr(tag, name) {
	const m = tag.match(new RegExp(`\\s${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i'));
	if (!m) return null;
	return decodeEntities(m[1] ?? m[2] ?? m[3]);
}

// The forms on a page: [{ action, method, html, fields: [{name, type, value, options}] }].
// A field's value is what a browser would send if the person changed nothing (a
// select's selected or first option, a checked box's value, a textarea's text).
function parseForms(html) {
	const forms = [];
	const re = /<form\b([^>]*)>([\s\S]*?)<\/form>/gi;
	let m;
	while ((m = re.exec(html))) {
		const open = `<form${m[1]}>`;
		const inner = m[2];
		const fields = [];
		const fre = /<input\b[^>]*>|<select\b[^>]*>[\s\S]*?<\/select>|<textarea\b[^>]*>[\s\S]*?<\/textarea>|<button\b[^>]*>/gi;
		let f;
		while ((f = fre.exec(inner))) {
			const tag = f[0];
			const name = attr(tag, 'name');
			if (/^<input/i.test(tag)) {
				const type = (attr(tag, 'type') || 'text').toLowerCase();
				fields.push({ name, type, value: attr(tag, 'value') ?? (type === 'checkbox' || type === 'radio' ? 'on' : ''), checked: /\schecked\b/i.test(tag), tag });
			} else if (/^<select/i.test(tag)) {
				const options = [...tag.matchAll(/<option\b([^>]*)>([\s\S]*?)<\/option>/gi)].map((o) => ({
					value: attr(`<option${o[1]}>`, 'value') ?? decodeEntities(o[2].trim()),
					text: decodeEntities(o[2].replace(/<[^>]*>/g, '').trim()),
					selected: /\sselected\b/i.test(o[1]),
				}));
				const sel = options.find((o) => o.selected) || options[0];
				fields.push({ name, type: 'select', value: sel ? sel.value : '', options, tag });
			} else if (/^<textarea/i.test(tag)) {
				const text = tag.replace(/^<textarea\b[^>]*>/i, '').replace(/<\/textarea>$/i, '');
				fields.push({ name, type: 'textarea', value: decodeEntities(text.replace(/^\n/, '')), tag });
			} else {
				fields.push({ name, type: 'button', value: attr(tag, 'value') || '', tag });
			}
		}
		forms.push({ action: attr(open, 'action'), method: (attr(open, 'method') || 'get').toLowerCase(), html: m[0], fields });
	}
	return forms;
}

// The form on HTML whose action is ACTION (or, with a RegExp, matches it).
function findForm(html, action) {
	const forms = parseForms(html);
	const form = forms.find((f) => (action instanceof RegExp ? action.test(f.action || '') : f.action === action));
	assert.ok(form, `no form with action ${action} on the page; forms: ${forms.map((f) => f.action).join(', ') || 'none'}`);
	return form;
}

// The name=value pairs a browser would submit for FORM with FILL (name -> value) typed
// in. Every name in FILL must be a field of the form, so that a test notices when a
// page's form loses a field the server expects.
function formData(form, fill = {}) {
	const names = new Set(form.fields.map((f) => f.name));
	for (const k of Object.keys(fill)) assert.ok(names.has(k), `the form to ${form.action} has no field "${k}" (it has ${[...names].join(', ')})`);
	const pairs = [];
	const done = new Set();
	for (const f of form.fields) {
		if (!f.name || f.type === 'button' || f.type === 'submit') continue;
		if (f.name in fill) {
			if (done.has(f.name)) continue;
			done.add(f.name);
			pairs.push([f.name, fill[f.name]]);
		} else if (f.type === 'checkbox' || f.type === 'radio') {
			if (f.checked) pairs.push([f.name, f.value]);
		} else {
			pairs.push([f.name, f.value]);
		}
	}
	return pairs;
}

// Fills in and submits the form to ACTION found on the page at PAGE (fetched now with
// CLIENT), as a person would. Returns the POST's response.
async function submit(client, page, action, fill) {
	const res = await client.get(page);
	assert.strictEqual(res.status, 200, `GET ${page} answered ${res.status}`);
	const form = findForm(res.body, action);
	assert.strictEqual(form.method, 'post', `the form to ${action} on ${page} posts`);
	const target = new URL(form.action || page, new URL(page, client.base));
	return client.post(target.pathname + target.search, formData(form, fill));
}

// The path (and query) a redirect points to, resolved against the server's address;
// null for an address on another site.
function redirectTarget(res, base) {
	const loc = res.headers.location;
	if (!loc) return null;
	const u = new URL(loc, base);
	if (u.origin !== new URL(base).origin) return null;
	return u.pathname + u.search;
}

// Sends each request in REQUESTS (raw text) one after another over ONE connection,
// waiting for each response (read by its Content-Length) before sending the next.
// Returns [{ status, headers (lower-case names), body }], one per answered request, and
// whether the server closed the connection.
function keepAlive(port, requests, timeoutMs = 5000) {
	return new Promise((resolve, reject) => {
		const sock = net.connect({ host: '127.0.0.1', port });
		const answers = [];
		let buf = Buffer.alloc(0);
		let i = 0;
		let closed = false;
		const finish = () => { clearTimeout(timer); sock.destroy(); resolve({ answers, closed }); };
		const timer = setTimeout(finish, timeoutMs);
		const next = () => {
			if (i < requests.length) sock.write(requests[i++]);
			else finish();
		};
		const parse = () => {
			for (;;) {
				const end = buf.indexOf('\r\n\r\n');
				if (end < 0) return;
				const head = buf.slice(0, end).toString('latin1').split('\r\n');
				const status = Number((head[0].match(/^HTTP\/1\.[01] (\d{3})/) || [])[1] || 0);
				const headers = {};
				for (const line of head.slice(1)) {
					const c = line.indexOf(':');
					if (c > 0) headers[line.slice(0, c).trim().toLowerCase()] = line.slice(c + 1).trim();
				}
				const len = Number(headers['content-length'] || 0);
				if (buf.length < end + 4 + len) return;
				answers.push({ status, headers, body: buf.slice(end + 4, end + 4 + len).toString('utf8') });
				buf = buf.slice(end + 4 + len);
				next();
			}
		};
		sock.on('connect', next);
		sock.on('data', (d) => { buf = Buffer.concat([buf, d]); parse(); });
		sock.on('error', (e) => { if (e.code === 'ECONNRESET' || e.code === 'EPIPE') { closed = true; finish(); } else { clearTimeout(timer); reject(e); } });
		sock.on('end', () => { closed = true; finish(); });
	});
}

// True if a TCP connection to PORT on loopback is refused.
function refused(port) {
	return new Promise((resolve) => {
		const s = net.connect({ host: '127.0.0.1', port });
		s.on('connect', () => { s.destroy(); resolve(false); });
		s.on('error', (e) => resolve(e.code === 'ECONNREFUSED'));
	});
}

// The visible text of an HTML fragment, roughly: tags removed, entities decoded.
function textOf(html) {
	return decodeEntities(html.replace(/<script\b[\s\S]*?<\/script>/gi, ' ').replace(/<[^>]*>/g, ' ')).replace(/\s+/g, ' ');
}

// The highest migration number in migrations/ (the schema version the binary knows).
function codeSchemaVersion() {
	return Math.max(...fs.readdirSync(path.join(ROOT, 'migrations'))
		.map((n) => (n.match(/^(\d+)_.*\.sql$/) || [])[1]).filter(Boolean).map(Number));
}

module.exports = {
	sql, coprod, demoPeople, serve, parseForms, findForm, formData, submit, redirectTarget, keepAlive, refused,
	textOf, decodeEntities, codeSchemaVersion,
};
