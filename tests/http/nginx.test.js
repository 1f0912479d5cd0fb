// nginx.test.js: the production nginx configuration in front of a real coprod turns
// away smuggling attempts and slow clients, and serves everything else.
//
// The configuration under test is deploy/nginx/coprod.conf itself, changed only as a
// test must: loopback ports instead of 80/443, plain HTTP instead of TLS, this
// checkout's GOV.UK Frontend directory, and 2 s timeouts instead of 10 s.
'use strict';

const { test, before, after } = require('node:test');
const assert = require('assert');
const { spawn, execFileSync } = require('child_process');
const fs = require('fs');
const net = require('net');
const os = require('os');
const path = require('path');
const { ROOT, startServer, Client, raw, statusOf, sleep } = require('./lib');

const TIMEOUT_S = 2;
const ASSETS = path.join(ROOT, 'node_modules', 'govuk-frontend', 'dist', 'govuk');

function findNginx() {
	for (const p of [process.env.NGINX_BIN, '/usr/sbin/nginx', '/usr/bin/nginx'].filter(Boolean)) {
		if (fs.existsSync(p)) return p;
	}
	throw new Error('nginx is not installed: run scripts/setup.sh (Debian package nginx-light)');
}

function freePort() {
	return new Promise((resolve, reject) => {
		const s = net.createServer();
		s.on('error', reject);
		s.listen(0, '127.0.0.1', () => {
			const { port } = s.address();
			s.close(() => resolve(port));
		});
	});
}

// Applies one textual change and insists that it matched, so that a change to the
// production file that this test no longer understands fails loudly.
function change(text, from, to, what) {
	assert.ok(from.test(text), `deploy/nginx/coprod.conf: cannot find ${what} (${from})`);
	return text.replace(from, to);
}

function testConfig(dir, coprodPort, httpPort, redirectPort) {
	let c = fs.readFileSync(path.join(ROOT, 'deploy', 'nginx', 'coprod.conf'), 'utf8');
	c = c.replace(/^\s*#.*$/gm, '');
	c = change(c, /server 127\.0\.0\.1:8080;/, `server 127.0.0.1:${coprodPort};`, 'the upstream');
	c = change(c, /^\s*listen \[::\]:80;\s*$/m, '', 'the IPv6 listen on port 80');
	c = change(c, /^\s*listen \[::\]:443 ssl http2;\s*$/m, '', 'the IPv6 listen on port 443');
	c = change(c, /listen 80;/, `listen 127.0.0.1:${redirectPort};`, 'listen 80');
	c = change(c, /listen 443 ssl http2;/, `listen 127.0.0.1:${httpPort};`, 'listen 443');
	c = change(c, /^\s*ssl_[a-z_]+ .*;\s*$/gm, '', 'the TLS settings');
	c = change(c, /\/usr\/local\/share\/coprod\/govuk\//, `${ASSETS}/`, 'the GOV.UK Frontend directory');
	for (const d of ['client_header_timeout', 'client_body_timeout', 'send_timeout']) {
		c = change(c, new RegExp(`${d} 10s;`), `${d} ${TIMEOUT_S}s;`, d);
	}
	return `
daemon off;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log info;
events { worker_connections 256; }
http {
	include /etc/nginx/mime.types;
	default_type application/octet-stream;
	access_log ${dir}/access.log;
	client_body_temp_path ${dir}/client_body;
	proxy_temp_path ${dir}/proxy;
	fastcgi_temp_path ${dir}/fastcgi;
	uwsgi_temp_path ${dir}/uwsgi;
	scgi_temp_path ${dir}/scgi;
${c}
}
`;
}

let coprod;
let nginx;
let nginxExit;
let dir;
let port;
let redirectPort;
const nginxOut = [];

async function waitForPort(p, ms) {
	const until = Date.now() + ms;
	for (;;) {
		const ok = await new Promise((resolve) => {
			const s = net.connect({ host: '127.0.0.1', port: p });
			s.on('connect', () => { s.destroy(); resolve(true); });
			s.on('error', () => resolve(false));
		});
		if (ok) return;
		if (Date.now() > until) throw new Error(`nginx is not listening on ${p}:\n${nginxLog()}`);
		await sleep(50);
	}
}

function nginxLog() {
	let log = nginxOut.join('');
	try { log += fs.readFileSync(path.join(dir, 'error.log'), 'utf8'); } catch (e) { /* not there yet */ }
	return log;
}

before(async () => {
	const bin = findNginx();
	coprod = await startServer();
	dir = fs.mkdtempSync(path.join(os.tmpdir(), 'coprod-nginx-'));
	// Run as root, nginx's worker is "nobody", and must read what is in here.
	fs.chmodSync(dir, 0o755);
	port = await freePort();
	redirectPort = await freePort();
	const conf = path.join(dir, 'nginx.conf');
	fs.writeFileSync(conf, testConfig(dir, coprod.port, port, redirectPort));
	execFileSync(bin, ['-t', '-q', '-p', dir, '-e', path.join(dir, 'error.log'), '-c', conf], { stdio: 'pipe' });
	nginx = spawn(bin, ['-p', dir, '-e', path.join(dir, 'error.log'), '-c', conf], { stdio: ['ignore', 'pipe', 'pipe'] });
	nginx.stdout.on('data', (d) => nginxOut.push(d.toString()));
	nginx.stderr.on('data', (d) => nginxOut.push(d.toString()));
	nginxExit = new Promise((resolve) => nginx.on('exit', resolve));
	await waitForPort(port, 10000);
});

after(async () => {
	if (nginx && nginx.exitCode === null) {
		nginx.kill('SIGQUIT');
		const t = setTimeout(() => nginx.kill('SIGKILL'), 5000);
		await nginxExit;
		clearTimeout(t);
	}
	if (dir) fs.rmSync(dir, { recursive: true, force: true });
	if (coprod) await coprod.stop();
});

// The request reached coprod only if its path shows in coprod's access log.
async function reachedCoprod(marker) {
	await sleep(200);
	return coprod.logs().includes(marker);
}

test('a normal page is served through nginx', async () => {
	const res = await new Client(`http://127.0.0.1:${port}`).get('/');
	assert.strictEqual(res.status, 200);
	assert.match(res.body, /<html/i);
	assert.match(res.headers['content-security-policy'] || '', /default-src/, 'coprod\'s security headers pass through');
});

test('coprod logs the paths it is asked for (so the checks below mean something)', async () => {
	const marker = `/nginx-check-seen-${process.pid}`;
	const res = await new Client(`http://127.0.0.1:${port}`).get(marker);
	assert.strictEqual(res.status, 404);
	assert.ok(await reachedCoprod(marker), `coprod's log does not show ${marker}:\n${coprod.logs().slice(-2000)}`);
});

test('GOV.UK Frontend\'s stylesheet comes from disk with a long expiry', async () => {
	const res = await new Client(`http://127.0.0.1:${port}`).get('/assets/govuk-frontend.min.css?v=test');
	assert.strictEqual(res.status, 200);
	assert.ok(res.bytes.equals(fs.readFileSync(path.join(ASSETS, 'govuk-frontend.min.css'))), 'the bytes of the file');
	assert.match(res.headers['cache-control'] || '', /max-age=31536000/);
	assert.match(res.headers['content-type'] || '', /text\/css/);
});

test('GOV.UK fonts are not served', async () => {
	const res = await new Client(`http://127.0.0.1:${port}`).get('/assets/fonts/light-94a07e06a1-v2.woff2');
	assert.strictEqual(res.status, 404);
});

test('plain HTTP redirects to HTTPS', async () => {
	const res = await raw(redirectPort, 'GET /priorities?x=1 HTTP/1.1\r\nHost: coprod.example.org\r\nConnection: close\r\n\r\n');
	assert.strictEqual(statusOf(res), 301);
	assert.match(res, /\r\nLocation: https:\/\/coprod\.example\.org\/priorities\?x=1\r\n/);
});

test('two different Content-Length headers get 400 and never reach coprod', async () => {
	const marker = `/nginx-dup-cl-${process.pid}`;
	const res = await raw(port, `POST ${marker} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\n` +
		'Content-Length: 3\r\nContent-Length: 40\r\nConnection: close\r\n\r\na=b');
	assert.strictEqual(statusOf(res), 400, res);
	assert.ok(!(await reachedCoprod(marker)));
});

test('Content-Length with Transfer-Encoding: chunked gets 400 and never reaches coprod', async () => {
	const marker = `/nginx-cl-te-${process.pid}`;
	const res = await raw(port, `POST ${marker} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\n` +
		'Content-Length: 6\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n0\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: localhost\r\n\r\n');
	assert.strictEqual(statusOf(res), 400, res);
	assert.ok(!(await reachedCoprod(marker)));
	assert.ok(!(await reachedCoprod('/smuggled')));
});

test('a folded header line (obs-fold) gets 400 and never reaches coprod', async () => {
	const marker = `/nginx-obs-fold-${process.pid}`;
	const res = await raw(port, `GET ${marker} HTTP/1.1\r\nHost: localhost\r\nX-Note: first\r\n second\r\nConnection: close\r\n\r\n`);
	assert.strictEqual(statusOf(res), 400, res);
	assert.ok(!(await reachedCoprod(marker)));
});

test('a request line longer than the header buffers gets 414', async () => {
	const res = await raw(port, `GET /?q=${'a'.repeat(9000)} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n`);
	assert.strictEqual(statusOf(res), 414, res.slice(0, 200));
});

test('a client that trickles its headers is cut off, while others are served', async () => {
	const marker = `/nginx-slow-${process.pid}`;
	const request = `GET ${marker} HTTP/1.1\r\nHost: localhost\r\nUser-Agent: slow\r\nAccept: */*\r\nX-Padding: ${'p'.repeat(40)}\r\n\r\n`;
	const started = Date.now();
	const slow = new Promise((resolve) => {
		const sock = net.connect({ host: '127.0.0.1', port });
		const got = [];
		let i = 0;
		let timer = null;
		const finish = (why) => { clearInterval(timer); sock.destroy(); resolve({ why, ms: Date.now() - started, text: Buffer.concat(got).toString('latin1'), sent: i }); };
		sock.on('connect', () => {
			timer = setInterval(() => {
				if (i < request.length) sock.write(request[i++]);
				if (Date.now() - started > 20000) finish('still open after 20 s');
			}, 1000);
		});
		sock.on('data', (d) => got.push(d));
		sock.on('error', () => finish('closed'));
		sock.on('close', () => finish('closed'));
	});

	// While the slow client is stuck, a normal one is served at once.
	await sleep(1200);
	const t = Date.now();
	const normal = await new Client(`http://127.0.0.1:${port}`).get('/healthz');
	assert.strictEqual(normal.status, 200);
	assert.ok(Date.now() - t < 1000, 'the normal client was not held up');

	const r = await slow;
	assert.strictEqual(r.why, 'closed', 'nginx closed the connection');
	assert.ok(r.ms < (TIMEOUT_S + 2) * 1000, `closed after ${r.ms} ms, header timeout ${TIMEOUT_S} s`);
	assert.ok(r.sent < request.length, 'the request was never complete');
	assert.strictEqual(statusOf(r.text), 0, `no response was sent to the slow client: ${r.text}`);
	assert.ok(!(await reachedCoprod(marker)));
});
