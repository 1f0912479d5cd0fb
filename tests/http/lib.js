// lib.js: start a real coprod on a free loopback port and talk HTTP to it, for tests.
//
// Node's built-in modules only. The server binary comes from COPROD_BIN (ctest sets
// it; default build/coprod). Typical use:
//
//   const { startServer } = require('./lib');
//   const srv = await startServer();            // a new demo database in a temp dir
//   const c = srv.client();                     // a browser-like client with cookies
//   await c.signIn(srv.demo.users[0].email, srv.demo.password);
//   const res = await c.get('/home');           // { status, headers, body }
//   await srv.stop();                           // SIGTERM; rejects unless it exits 0
//
// stop() fails the test when the server did not shut down cleanly or printed a
// sanitizer report, so the sanitizer build's test run catches memory errors that
// happen inside the server process.
'use strict';

const { spawn, spawnSync } = require('child_process');
const http = require('http');
const net = require('net');
const fs = require('fs');
const os = require('os');
const path = require('path');
const assert = require('assert');

const ROOT = path.resolve(__dirname, '..', '..');
const COPROD_BIN = path.resolve(ROOT, process.env.COPROD_BIN || 'build/coprod');
// Sanitizer builds start and answer more slowly.
const START_TIMEOUT_MS = Number(process.env.COPROD_TEST_START_TIMEOUT_MS || 20000);
const STOP_TIMEOUT_MS = 10000;
const REQUEST_TIMEOUT_MS = 15000;

const SANITIZER_REPORT = /ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:|SUMMARY: UndefinedBehaviorSanitizer/;

const live = new Set();
process.on('exit', () => {
	for (const p of live) {
		try { p.kill('SIGKILL'); } catch (e) { /* already gone */ }
	}
});

function testEnv(extra) {
	return { ...process.env, COPROD_TEST_FAST_HASH: '1', ...(extra || {}) };
}

// Runs a coprod command to completion; returns { stdout, stderr }.
function runCommand(args, opts) {
	const r = spawnSync(COPROD_BIN, args, {
		cwd: ROOT, env: testEnv(opts && opts.env), encoding: 'utf8',
		input: opts && opts.input, timeout: START_TIMEOUT_MS * 3,
	});
	if (r.error || r.status !== 0) {
		throw new Error(`${COPROD_BIN} ${args.join(' ')} failed (${r.error ? r.error.message : r.status ?? r.signal}):\n${r.stdout || ''}${r.stderr || ''}`);
	}
	return { stdout: r.stdout || '', stderr: r.stderr || '' };
}

// Runs a coprod command to completion; returns what it printed (stdout, then stderr).
function run(args, opts) {
	const r = runCommand(args, opts);
	return r.stdout + r.stderr;
}

// `coprod demo` prints the sign-ins on stdout and its log on stderr.
function runDemo(dbPath, opts) {
	const r = runCommand(['demo', '--db', dbPath], opts);
	const d = parseSignins(r.stdout);
	return d.users.length ? d : parseSignins(r.stdout + r.stderr);
}

// Reads the sign-ins that `coprod demo` prints: every e-mail address it names
// (with the role on the same line, if any) and the shared demo password.
function parseSignins(text) {
	const users = [];
	let password = null;
	for (const line of text.split('\n')) {
		if (/^\d{4}-\d\d-\d\dT\S+ (error|warn|info|debug) /.test(line)) continue; // a log line
		const email = line.match(/[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/);
		const pw = line.match(/password[^:=\n]{0,40}[:=]\s*(\S+)/i);
		if (pw) password = pw[1].replace(/^["'`(]+|["'`),.;:]+$/g, '');
		if (email) {
			const rest = line.replace(email[0], ' ').replace(/password\W*\S+/i, ' ');
			const role = (rest.match(/\(([^)]+)\)/) || rest.match(/([a-z][a-z _-]{2,})/i) || [])[1];
			users.push({ email: email[0], role: role ? role.trim() : null, line: line.trim() });
		}
	}
	return { users, password, text };
}

let demoCache = null;
// The demo sign-ins, learnt once per test process from a throwaway demo database.
function demoSignins() {
	if (!demoCache) {
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'coprod-demo-'));
		try {
			demoCache = runDemo(path.join(dir, 'demo.db'));
		} finally {
			fs.rmSync(dir, { recursive: true, force: true });
		}
	}
	return demoCache;
}

// Start coprod: opts.empty -> a migrated, empty database instead of the demo;
// opts.args -> extra arguments for `serve`; opts.env -> extra environment.
async function startServer(opts = {}) {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'coprod-test-'));
	const dbPath = path.join(dir, 'x.db');
	let demo = null;
	if (opts.empty) {
		run(['migrate', '--db', dbPath], opts);
	} else {
		demo = runDemo(dbPath, opts);
		if (!demoCache) demoCache = demo;
	}

	const args = ['serve', '--db', dbPath, '--listen', '127.0.0.1', '--port', '0', ...(opts.args || [])];
	const proc = spawn(COPROD_BIN, args, { cwd: ROOT, env: testEnv(opts.env), stdio: ['ignore', 'pipe', 'pipe'] });
	live.add(proc);
	const out = [];
	const err = [];
	proc.stdout.setEncoding('utf8');
	proc.stderr.setEncoding('utf8');
	proc.stdout.on('data', (d) => out.push(d));
	proc.stderr.on('data', (d) => err.push(d));
	const logs = () => out.join('') + err.join('');
	const exited = new Promise((resolve) => proc.on('exit', (code, signal) => {
		live.delete(proc);
		resolve({ code, signal });
	}));

	let port;
	try {
		port = await new Promise((resolve, reject) => {
			const timer = setTimeout(() => reject(new Error(`coprod did not say it was listening within ${START_TIMEOUT_MS} ms`)), START_TIMEOUT_MS);
			const look = () => {
				const m = err.join('').match(/coprod: listening on http:\/\/([^\s/]+):(\d+)\//);
				if (m) { clearTimeout(timer); resolve(Number(m[2])); }
			};
			proc.stderr.on('data', look);
			exited.then(({ code, signal }) => { clearTimeout(timer); reject(new Error(`coprod exited (${code ?? signal}) before listening`)); });
			look();
		});
	} catch (e) {
		proc.kill('SIGKILL');
		await exited;
		fs.rmSync(dir, { recursive: true, force: true });
		throw new Error(`${e.message}\n${COPROD_BIN} ${args.join(' ')}\n${logs()}`);
	}

	const url = `http://127.0.0.1:${port}`;
	let stopped = null;
	const server = {
		url, port, proc, dbPath, dir, demo,
		logs,
		client: () => new Client(url),
		raw: (text, ropts) => raw(port, text, ropts),
		// Graceful shutdown: SIGTERM, then insist on exit status 0 and a clean log.
		stop: (sopts = {}) => {
			if (!stopped) stopped = (async () => {
				if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
				const timer = setTimeout(() => proc.kill('SIGKILL'), STOP_TIMEOUT_MS);
				const how = await exited;
				clearTimeout(timer);
				const text = logs();
				if (!sopts.keep) fs.rmSync(dir, { recursive: true, force: true });
				if (SANITIZER_REPORT.test(text)) throw new Error(`coprod printed a sanitizer report:\n${text}`);
				if (how.code !== 0) throw new Error(`coprod did not shut down cleanly on SIGTERM (${how.code ?? how.signal}):\n${text.slice(-4000)}`);
				return how;
			})();
			return stopped;
		},
	};
	return server;
}

// A client that keeps cookies like a browser and follows no redirects.
class Client {
	constructor(base) {
		this.base = base;
		this.jar = new Map();
	}

	cookieHeader() {
		return [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ');
	}

	keep(setCookie) {
		for (const c of setCookie || []) {
			const [pair, ...attrs] = c.split(';');
			const eq = pair.indexOf('=');
			if (eq < 1) continue;
			const name = pair.slice(0, eq).trim();
			const value = pair.slice(eq + 1).trim();
			const gone = attrs.some((a) => /^\s*max-age\s*=\s*(0|-\d+)\s*$/i.test(a)) ||
				attrs.some((a) => { const m = a.match(/^\s*expires\s*=(.*)$/i); return m && Date.parse(m[1]) < Date.now(); });
			if (gone || value === '') this.jar.delete(name);
			else this.jar.set(name, value);
		}
	}

	request(method, p, { body, headers = {} } = {}) {
		const u = new URL(p, this.base);
		const h = { ...headers };
		const cookie = this.cookieHeader();
		if (cookie && !('cookie' in h) && !('Cookie' in h)) h.Cookie = cookie;
		if (body !== undefined) h['Content-Length'] = Buffer.byteLength(body);
		return new Promise((resolve, reject) => {
			const req = http.request(u, { method, headers: h, agent: false, timeout: REQUEST_TIMEOUT_MS }, (res) => {
				const chunks = [];
				res.on('data', (d) => chunks.push(d));
				res.on('end', () => {
					this.keep(res.headers['set-cookie']);
					const buf = Buffer.concat(chunks);
					resolve({ status: res.statusCode, headers: res.headers, body: buf.toString('utf8'), bytes: buf });
				});
				res.on('error', reject);
			});
			req.on('timeout', () => req.destroy(new Error(`${method} ${p}: no answer in ${REQUEST_TIMEOUT_MS} ms`)));
			req.on('error', reject);
			if (body !== undefined) req.write(body);
			req.end();
		});
	}

	get(p, opts) {
		return this.request('GET', p, opts);
	}

	// fields: an object or an array of [name, value] pairs, sent urlencoded.
	post(p, fields = {}, opts = {}) {
		const body = new URLSearchParams(Array.isArray(fields) ? fields : Object.entries(fields)).toString();
		const headers = { 'Content-Type': 'application/x-www-form-urlencoded', ...(opts.headers || {}) };
		return this.request('POST', p, { body, headers });
	}

	// The value of the hidden csrf input of the form at P (fetched now) or in HTML.
	async csrf(p, html) {
		const body = html !== undefined ? html : (await this.get(p)).body;
		const token = csrfFrom(body);
		assert.ok(token, `no hidden csrf input on ${p}`);
		return token;
	}

	// Signs in through the form, as a person would; returns the POST's response
	// (a 303 to the next page when it worked).
	async signIn(email, password) {
		const form = await this.get('/sign-in');
		assert.strictEqual(form.status, 200, `GET /sign-in answered ${form.status}`);
		const csrf = await this.csrf('/sign-in', form.body);
		return this.post('/sign-in', { email, password, csrf });
	}
}

function csrfFrom(html) {
	for (const tag of html.match(/<input\b[^>]*>/gi) || []) {
		if (!/\bname\s*=\s*["']?csrf["'\s>/]/i.test(tag)) continue;
		const v = tag.match(/\bvalue\s*=\s*"([^"]*)"/i) || tag.match(/\bvalue\s*=\s*'([^']*)'/i);
		if (v) return v[1].replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#39;/g, "'");
	}
	return null;
}

// Sends TEXT (a string or Buffer, sent as is) over a new connection and returns
// everything the server sent back before it closed the connection, or before
// opts.timeout ms (default 5000) passed; opts.half: true half-closes after writing.
function raw(port, text, opts = {}) {
	const timeout = opts.timeout || 5000;
	return new Promise((resolve, reject) => {
		const chunks = [];
		const sock = net.connect({ host: opts.host || '127.0.0.1', port });
		const timer = setTimeout(() => sock.destroy(), timeout);
		sock.on('connect', () => {
			sock.write(text);
			if (opts.half) sock.end();
		});
		sock.on('data', (d) => chunks.push(d));
		sock.on('error', (e) => { if (e.code !== 'ECONNRESET' && e.code !== 'EPIPE') { clearTimeout(timer); reject(e); } });
		sock.on('close', () => { clearTimeout(timer); resolve(Buffer.concat(chunks).toString('latin1')); });
	});
}

// The status code of the first response in a raw answer (0 when there was none).
function statusOf(rawText) {
	const m = /^HTTP\/1\.[01] (\d{3})/.exec(rawText);
	return m ? Number(m[1]) : 0;
}

function sleep(ms) {
	return new Promise((r) => setTimeout(r, ms));
}

module.exports = {
	ROOT, COPROD_BIN, startServer, Client, raw, statusOf, csrfFrom, parseSignins, demoSignins, sleep, run,
};
// The demo's sign-ins as constants, read from `coprod demo`'s own output the
// first time a test asks for them.
Object.defineProperty(module.exports, 'DEMO_PASSWORD', { enumerable: true, get: () => demoSignins().password });
Object.defineProperty(module.exports, 'DEMO_EMAILS', { enumerable: true, get: () => demoSignins().users.map((u) => u.email) });
Object.defineProperty(module.exports, 'DEMO_USERS', { enumerable: true, get: () => demoSignins().users });
