// server.test.js: the web server as anyone reaching it would see it: the public pages,
// error pages that say what went wrong without repeating the request, limits on what
// may be sent, static files that browsers can cache, connections that stay open, and a
// shutdown that lets requests already under way finish.
'use strict';

const { test, before, after } = require('node:test');
const assert = require('assert');
const http = require('http');
const { startServer, raw, statusOf, sleep } = require('./lib');
const { keepAlive, refused, textOf } = require('./helpers_basic');

let srv;
let c;

before(async () => {
	srv = await startServer();
	c = srv.client();
});

after(async () => {
	if (srv) await srv.stop();
});

// The value of the ?v= that pages put on the stylesheet's address.
async function assetVersion() {
	const res = await c.get('/');
	const m = res.body.match(/href="\/assets\/govuk-frontend\.min\.css\?v=([^"&]+)"/);
	assert.ok(m, 'the home page links GOV.UK Frontend\'s stylesheet with a version');
	return m[1];
}

function maxAge(cacheControl) {
	const m = /max-age=(\d+)/.exec(cacheControl || '');
	return m ? Number(m[1]) : 0;
}

test('the home page names the four priority areas', async () => {
	const res = await c.get('/');
	assert.strictEqual(res.status, 200);
	assert.match(res.headers['content-type'], /^text\/html; charset=utf-8/i);
	const text = textOf(res.body);
	for (const area of [/child poverty/i, /climate change/i, /loneliness and social isolation/i, /suicide/i]) {
		assert.match(text, area, `the home page names ${area}`);
	}
	// Each area links to its own page, and that page answers.
	const links = [...new Set([...res.body.matchAll(/href="(\/priorities\/[a-z0-9-]+)"/g)].map((m) => m[1]))];
	assert.strictEqual(links.length, 4, `four priority-area links on the home page: ${links.join(', ')}`);
	for (const l of links) {
		assert.strictEqual((await c.get(l)).status, 200, `GET ${l}`);
	}
});

test('/healthz answers 200 "ok" for the monitoring', async () => {
	const res = await c.get('/healthz');
	assert.strictEqual(res.status, 200);
	assert.strictEqual(res.body.trim(), 'ok');
	assert.match(res.headers['content-type'], /^text\/plain/);
});

test('an unknown address gets a "Page not found" page that does not repeat the address', async () => {
	const marker = 'zq7xkw9marker';
	// Sent as typed, with a literal <script> in the request line.
	const rawAnswer = await raw(srv.port, `GET /no-such-page-${marker}/<script>alert(1)</script> HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n`);
	assert.strictEqual(statusOf(rawAnswer), 404, rawAnswer.slice(0, 300));
	assert.match(rawAnswer, /Page not found/);
	assert.ok(!rawAnswer.includes(marker), 'the 404 page does not contain the requested path');
	assert.ok(!rawAnswer.includes('alert(1)'), 'the 404 page does not contain the script from the path');

	// And percent-encoded, as a browser sends it.
	const res = await c.get(`/no-such-page-${marker}?q=${encodeURIComponent('<script>alert(2)</script>')}`);
	assert.strictEqual(res.status, 404);
	assert.match(res.headers['content-type'], /^text\/html/);
	assert.match(res.body, /<h1[^>]*>\s*Page not found\s*<\/h1>/);
	assert.ok(!res.body.includes(marker));
	assert.ok(!res.body.includes('alert(2)'));
	assert.ok(!/<script>alert/i.test(res.body));
});

test('a form sent to a page that only shows things gets 405 with an Allow header', async () => {
	const form = await c.get('/sign-in');
	const csrf = await c.csrf('/sign-in', form.body);
	const res = await c.post('/priorities', { csrf });
	assert.strictEqual(res.status, 405);
	assert.match(res.headers.allow || '', /\bGET\b/);
	assert.doesNotMatch(res.headers.allow || '', /\bPOST\b/);
	assert.match(res.headers['content-type'], /^text\/html/);
	assert.match(res.body, /cannot be done here/i);

	// A page that takes forms says so too.
	const put = await c.request('PUT', '/sign-in', { body: '', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
	assert.strictEqual(put.status, 405);
	assert.match(put.headers.allow || '', /\bPOST\b/);
});

test('a form over 1 MiB gets the "too large" page (413)', async () => {
	const big = 1024 * 1024 + 100;
	// The size is declared up front, as browsers do: answered without reading it all.
	const declared = await raw(srv.port, 'POST /sign-in HTTP/1.1\r\nHost: localhost\r\n' +
		`Content-Type: application/x-www-form-urlencoded\r\nContent-Length: ${big}\r\n\r\nemail=a`);
	assert.strictEqual(statusOf(declared), 413, declared.slice(0, 300));
	assert.match(declared, /too large/i);
	assert.match(declared, /Content-Type: text\/html/i);

	// Sent through Node's HTTP client with the whole body.
	const body = 'notes=' + 'a'.repeat(big);
	const res = await new Promise((resolve, reject) => {
		const req = http.request({ host: '127.0.0.1', port: srv.port, path: '/sign-in', method: 'POST', agent: false,
			headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Length': body.length } }, (r) => {
			let text = '';
			r.setEncoding('utf8');
			r.on('data', (d) => { text += d; });
			r.on('end', () => resolve({ status: r.statusCode, body: text }));
		});
		req.on('error', reject);
		req.end(body);
	});
	assert.strictEqual(res.status, 413);
	assert.match(res.body, /too large/i);
	assert.ok(!res.body.includes('aaaaaaaaaa'), 'the page does not repeat what was sent');

	// And the server still answers afterwards.
	assert.strictEqual((await c.get('/healthz')).status, 200);
});

test('an address with a broken percent-escape gets 400', async () => {
	for (const p of ['/priorities%zz', '/sign-in%4', '/%']) {
		const answer = await raw(srv.port, `GET ${p} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n`);
		assert.strictEqual(statusOf(answer), 400, `GET ${p}: ${answer.slice(0, 200)}`);
		assert.match(answer, /could not understand/i, `GET ${p} shows the "could not understand" page`);
	}
	// A broken escape in the query string is refused the same way.
	const q = await raw(srv.port, 'GET /priorities?x=%G1 HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n');
	assert.strictEqual(statusOf(q), 400, q.slice(0, 200));
});

test('GOV.UK Frontend\'s stylesheet is served with an ETag, cached for a year when versioned, and 304 when unchanged', async () => {
	const v = await assetVersion();
	const res = await c.get(`/assets/govuk-frontend.min.css?v=${v}`);
	assert.strictEqual(res.status, 200);
	assert.match(res.headers['content-type'], /^text\/css/);
	assert.ok(res.body.includes('.govuk-template'), 'it is GOV.UK Frontend\'s stylesheet');
	const etag = res.headers.etag;
	assert.match(etag || '', /^(W\/)?"[^"]+"$/, 'an ETag');
	assert.ok(maxAge(res.headers['cache-control']) >= 31536000, `versioned: cached for a year (${res.headers['cache-control']})`);

	const plain = await c.get('/assets/govuk-frontend.min.css');
	assert.strictEqual(plain.status, 200);
	assert.ok(maxAge(plain.headers['cache-control']) < 31536000, `without ?v= not cached for a year (${plain.headers['cache-control']}), so a new release is picked up`);

	const again = await c.get(`/assets/govuk-frontend.min.css?v=${v}`, { headers: { 'If-None-Match': etag } });
	assert.strictEqual(again.status, 304);
	assert.strictEqual(again.bytes.length, 0, 'a 304 has no body');
	assert.strictEqual(again.headers.etag, etag);

	const stale = await c.get(`/assets/govuk-frontend.min.css?v=${v}`, { headers: { 'If-None-Match': '"not-the-etag"' } });
	assert.strictEqual(stale.status, 200, 'a different ETag gets the file');

	const app = await c.get(`/assets/app.css?v=${v}`);
	assert.strictEqual(app.status, 200, 'the app\'s own stylesheet is served');
	assert.match(app.headers['content-type'], /^text\/css/);
});

test('GOV.UK Frontend\'s script is served as JavaScript', async () => {
	const res = await c.get('/assets/govuk-frontend.min.js');
	assert.strictEqual(res.status, 200);
	assert.match(res.headers['content-type'], /^text\/javascript/);
	assert.match(res.body, /initAll/, 'it is GOV.UK Frontend\'s script, which the pages import');
});

test('GOV.UK fonts and other files from the package are not served', async () => {
	for (const p of ['/assets/fonts/bold-b542beb274-v2.woff2', '/assets/fonts/light-94a07e06a1-v2.woff2',
		'/assets/images/govuk-crest.svg', '/assets/../package.json', '/assets/govuk-frontend.min.css.map']) {
		const res = await c.get(p);
		assert.strictEqual(res.status, 404, `GET ${p}`);
	}
	// Nor do our pages or stylesheet ask for them.
	const page = await c.get('/');
	const css = await c.get('/assets/app.css');
	assert.strictEqual(css.status, 200);
	assert.ok(!/\.woff2?\b/.test(page.body + css.body), 'no font files named in the page or app.css');
});

test('HEAD answers like GET without a body', async () => {
	for (const p of ['/', '/assets/app.css', '/healthz']) {
		const get = await c.get(p);
		const head = await c.request('HEAD', p);
		assert.strictEqual(head.status, 200, `HEAD ${p}`);
		assert.strictEqual(head.bytes.length, 0, `HEAD ${p} has no body`);
		assert.strictEqual(head.headers['content-type'], get.headers['content-type'], `HEAD ${p} says the same type`);
	}
	// Over a raw connection: the headers and nothing else.
	const answer = await raw(srv.port, 'HEAD /priorities HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n');
	assert.strictEqual(statusOf(answer), 200);
	const parts = answer.split('\r\n\r\n');
	assert.strictEqual(parts.slice(1).join(''), '', 'nothing after the headers');
	// HEAD of a page that does not exist is still a 404.
	assert.strictEqual((await c.request('HEAD', '/no-such-page')).status, 404);
});

test('a connection stays open for the next request (keep-alive)', async () => {
	const req = (p) => `GET ${p} HTTP/1.1\r\nHost: localhost\r\n\r\n`;
	const { answers } = await keepAlive(srv.port, [req('/'), req('/healthz'), req('/priorities')]);
	assert.strictEqual(answers.length, 3, 'three requests answered on one connection');
	assert.deepStrictEqual(answers.map((a) => a.status), [200, 200, 200]);
	assert.notStrictEqual((answers[0].headers.connection || '').toLowerCase(), 'close', 'no Connection: close on a normal 200');
	assert.strictEqual(answers[1].body.trim(), 'ok');
	assert.match(answers[2].body, /priorit/i);

	// A static file and then an error page, still on one connection.
	const more = await keepAlive(srv.port, [req('/assets/app.css'), req('/no-such-page'), req('/healthz')]);
	assert.deepStrictEqual(more.answers.map((a) => a.status), [200, 404, 200]);
});

test('shutting down (SIGTERM) finishes the requests under way, exits 0 and then refuses connections', async () => {
	// Real (slow) password hashing, for the demo accounts and the server, so a sign-in
	// takes long enough to still be running when the signal arrives.
	const slow = await startServer({ env: { COPROD_TEST_FAST_HASH: '0' } });
	let exited = false;
	try {
		const user = slow.demo.users[0];
		assert.ok(user && slow.demo.password, 'the demo printed a sign-in');
		const client = slow.client();
		const csrf = await client.csrf('/sign-in');
		const body = new URLSearchParams({ email: user.email, password: slow.demo.password, csrf }).toString();
		const N = 6;
		const pending = new Set();
		const sent = [];
		const results = [];
		for (let i = 0; i < N; i++) {
			results.push(new Promise((resolve) => {
				const req = http.request({ host: '127.0.0.1', port: slow.port, path: '/sign-in', method: 'POST', agent: false,
					headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Length': Buffer.byteLength(body), Cookie: client.cookieHeader() } }, (r) => {
					let text = '';
					r.on('data', (d) => { text += d; });
					r.on('end', () => { pending.delete(i); resolve({ status: r.statusCode, location: r.headers.location, cookies: r.headers['set-cookie'] || [], text }); });
					r.on('error', (e) => { pending.delete(i); resolve({ error: e.message }); });
				});
				req.on('error', (e) => { pending.delete(i); resolve({ error: e.message }); });
				pending.add(i);
				sent.push(new Promise((ok) => req.on('finish', ok)));
				req.end(body);
			}));
		}
		await Promise.all(sent);
		await sleep(30); // the requests have reached the server and the first hashes run
		const stillRunning = pending.size;
		slow.proc.kill('SIGTERM');
		const answers = await Promise.all(results);
		assert.ok(stillRunning > 0, 'some sign-ins were still under way when the signal was sent (else this proves nothing)');
		for (const a of answers) {
			assert.ok(!a.error, `a sign-in under way got no answer: ${a.error}`);
			assert.strictEqual(a.status, 303, 'each sign-in under way finished normally');
			assert.strictEqual(new URL(a.location, slow.url).pathname, '/home');
			assert.ok(a.cookies.some((s) => s.startsWith('coprod_session=')), 'and signed the person in');
		}
		const how = await slow.stop({ keep: true }); // rejects unless the exit status is 0
		exited = true;
		assert.strictEqual(how.code, 0);
		assert.ok(await refused(slow.port), 'new connections are refused once it has stopped');
	} finally {
		if (!exited) await slow.stop().catch(() => {});
		require('fs').rmSync(slow.dir, { recursive: true, force: true });
	}
});

test('a request that arrives during shutdown is not accepted', async () => {
	const s2 = await startServer({ env: { COPROD_TEST_FAST_HASH: '0' } });
	try {
		const client = s2.client();
		const csrf = await client.csrf('/sign-in');
		// Keep the server busy with a few slow sign-ins, then ask it to stop.
		const busy = [];
		for (let i = 0; i < 4; i++) busy.push(client.post('/sign-in', { email: s2.demo.users[0].email, password: s2.demo.password, csrf }).catch((e) => ({ error: e.message })));
		await sleep(30);
		s2.proc.kill('SIGTERM');
		// Once it has begun stopping, nobody new gets in, while the busy ones finish.
		let refusedSeen = false;
		for (let i = 0; i < 100 && !refusedSeen; i++) {
			if (await refused(s2.port)) refusedSeen = true;
			else await sleep(10);
		}
		const done = await Promise.all(busy);
		assert.ok(refusedSeen, 'connections were refused after SIGTERM');
		assert.deepStrictEqual(done.map((d) => d.status || d.error), [303, 303, 303, 303]);
	} finally {
		await s2.stop();
	}
});
