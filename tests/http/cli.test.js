// cli.test.js: the coprod command as the person installing and running it uses it:
// help, making a demo, migrating, refusing a database from a newer version, adding
// people, taking a backup while the site is in use, and settings from the environment.
'use strict';

const { test, after } = require('node:test');
const assert = require('assert');
const fs = require('fs');
const net = require('net');
const os = require('os');
const path = require('path');
const http = require('http');
const { ROOT, startServer, Client, sleep } = require('./lib');
const { sql, coprod, serve, codeSchemaVersion } = require('./helpers_basic');

const dirs = [];
function tmpdir() {
	const d = fs.mkdtempSync(path.join(os.tmpdir(), 'coprod-cli-'));
	dirs.push(d);
	return d;
}
after(() => {
	for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

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

function parseDemo(text) {
	const emails = [...text.matchAll(/[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g)].map((m) => m[0]);
	const pw = text.match(/password[^:=\n]{0,40}[:=]\s*(\S+)/i);
	return { emails, password: pw && pw[1].replace(/^["'`(]+|["'`),.;:]+$/g, '') };
}

test('coprod --help lists the commands', async () => {
	const r = await coprod(['--help']);
	assert.strictEqual(r.code, 0, r.out);
	for (const cmd of ['serve', 'migrate', 'demo', 'user', 'backup']) {
		assert.match(r.out, new RegExp(`\\b${cmd}\\b`), `--help mentions ${cmd}`);
	}
	const bad = await coprod(['no-such-command']);
	assert.notStrictEqual(bad.code, 0, 'an unknown command fails');
	assert.match(bad.out, /no-such-command|unknown|--help|usage/i, `and says so: ${bad.out}`);
});

test('coprod demo refuses to overwrite an existing file unless told to with --force', async () => {
	const d = tmpdir();
	const db = path.join(d, 'demo.db');
	const first = await coprod(['demo', '--db', db]);
	assert.strictEqual(first.code, 0, first.out);
	const { emails, password } = parseDemo(first.out);
	assert.ok(emails.length >= 5 && password, `it prints the sign-ins and the password:\n${first.out}`);
	sql(db, 'CREATE TABLE keep_me (x); INSERT INTO keep_me VALUES (42)');

	const again = await coprod(['demo', '--db', db]);
	assert.notStrictEqual(again.code, 0, 'a second demo on the same file fails');
	assert.match(again.out, /--force/, `and says how to overwrite it: ${again.out}`);
	assert.strictEqual(sql(db, 'SELECT x FROM keep_me')[0].x, 42, 'the existing file is untouched');

	// Something that is not a database at all is not overwritten either.
	const notes = path.join(d, 'notes.txt');
	fs.writeFileSync(notes, 'my notes\n');
	assert.notStrictEqual((await coprod(['demo', '--db', notes])).code, 0);
	assert.strictEqual(fs.readFileSync(notes, 'utf8'), 'my notes\n');

	const forced = await coprod(['demo', '--db', db, '--force']);
	assert.strictEqual(forced.code, 0, forced.out);
	assert.throws(() => sql(db, 'SELECT x FROM keep_me'), 'the old contents are gone');
	assert.ok(sql(db, 'SELECT COUNT(*) AS n FROM accounts')[0].n >= 5, 'a fresh demo is there');
});

test('coprod migrate on a new file creates the schema and reports its version', async () => {
	const d = tmpdir();
	const db = path.join(d, 'new.db');
	const want = codeSchemaVersion();
	const r = await coprod(['migrate', '--db', db]);
	assert.strictEqual(r.code, 0, r.out);
	const m = r.out.match(/version\D{0,20}?(\d+)/i);
	assert.ok(m, `it reports the schema version: ${r.out}`);
	assert.strictEqual(Number(m[1]), want, r.out);
	assert.strictEqual(sql(db, 'SELECT MAX(version) AS v FROM schema_migrations')[0].v, want);
	assert.strictEqual(sql(db, 'SELECT COUNT(*) AS n FROM accounts')[0].n, 0, 'and no one in it');
	const again = await coprod(['migrate', '--db', db]);
	assert.strictEqual(again.code, 0, `migrating again is harmless: ${again.out}`);
	const files = fs.readdirSync(path.join(ROOT, 'migrations')).filter((n) => /^\d+_.*\.sql$/.test(n)).length;
	assert.strictEqual(sql(db, 'SELECT COUNT(*) AS n FROM schema_migrations')[0].n, files, 'each migration recorded once');
	assert.match(again.out, new RegExp(`\\b${want}\\b`));
});

test('coprod serve refuses a database from a newer coprod, with a clear message', async () => {
	const d = tmpdir();
	const db = path.join(d, 'future.db');
	assert.strictEqual((await coprod(['migrate', '--db', db])).code, 0);
	const future = codeSchemaVersion() + 1;
	sql(db, `INSERT INTO schema_migrations (version, name, applied_at) VALUES (${future}, '${String(future).padStart(4, '0')}_from_the_future.sql', '2030-01-01T00:00:00Z')`);
	const r = await coprod(['serve', '--db', db, '--port', '0'], { timeout: 15000 });
	assert.notStrictEqual(r.code, 0, `serve exits with an error:\n${r.out}`);
	assert.ok(!/listening on/.test(r.out), 'it never started listening');
	assert.match(r.out, new RegExp(`\\b${future}\\b`), 'the message names the database\'s version');
	assert.match(r.out, /newer|too new|higher/i, `and says the database is newer: ${r.out}`);
	// And nothing was changed: the future migration is still recorded.
	assert.strictEqual(sql(db, 'SELECT MAX(version) AS v FROM schema_migrations')[0].v, future);
	// migrate refuses it too.
	const mig = await coprod(['migrate', '--db', db]);
	assert.notStrictEqual(mig.code, 0, mig.out);
});

test('coprod user add reads the password from standard input; the person can then sign in', async () => {
	const d = tmpdir();
	const db = path.join(d, 'u.db');
	assert.strictEqual((await coprod(['migrate', '--db', db])).code, 0);
	const email = 'fran.facilitator@example.org';
	const password = 'a long enough password';
	const r = await coprod(['user', 'add', email, '--role', 'facilitator', '--name', 'Fran Facilitator', '--db', db], { input: `${password}\n` });
	assert.strictEqual(r.code, 0, r.out);
	assert.ok(!r.out.includes(password), 'the password is not echoed');
	const row = sql(db, `SELECT role, display_name, password_hash FROM accounts WHERE email = '${email}'`)[0];
	assert.ok(row, 'the account exists');
	assert.strictEqual(row.role, 'facilitator');
	assert.ok(!row.password_hash.includes(password), 'the password is stored hashed');

	const s = await serve(['serve', '--db', db, '--port', '0']);
	try {
		const c = new Client(`http://127.0.0.1:${s.port}`);
		const res = await c.signIn(email, password);
		assert.strictEqual(res.status, 303, 'the person signs in with that password');
		const home = await c.get('/home');
		assert.match(home.body, /Fran Facilitator/);
		assert.match(home.body, /Facilitator/);
		assert.strictEqual((await new Client(`http://127.0.0.1:${s.port}`).signIn(email, `${password}x`)).status, 400);
	} finally {
		await s.stop();
	}

	const dup = await coprod(['user', 'add', email, '--role', 'facilitator', '--name', 'Fran Again', '--db', db], { input: `${password}\n` });
	assert.notStrictEqual(dup.code, 0, 'the same email twice is refused');
	assert.strictEqual(sql(db, 'SELECT COUNT(*) AS n FROM accounts')[0].n, 1);

	const badRole = await coprod(['user', 'add', 'x@example.org', '--role', 'emperor', '--name', 'X', '--db', db], { input: `${password}\n` });
	assert.notStrictEqual(badRole.code, 0, 'an unknown role is refused');
	assert.match(badRole.out, /role/i);
});

test('coprod user add refuses a password that is too short, and says why', async () => {
	const d = tmpdir();
	const db = path.join(d, 'short.db');
	assert.strictEqual((await coprod(['migrate', '--db', db])).code, 0);
	const r = await coprod(['user', 'add', 'sam@example.org', '--role', 'local_person', '--name', 'Sam', '--db', db], { input: 'short\n' });
	assert.notStrictEqual(r.code, 0, r.out);
	assert.match(r.out, /10 characters/, `the message gives the rule: ${r.out}`);
	assert.strictEqual(sql(db, 'SELECT COUNT(*) AS n FROM accounts')[0].n, 0, 'no account was made');
});

test('coprod backup copies the database while the site is running and being written to', async () => {
	const srv = await startServer();
	let writing = true;
	let writes = 0;
	const writers = [];
	try {
		const dest = path.join(srv.dir, 'backup.db');
		// Several people signing in and out over and over: each writes sessions and audit rows.
		for (let w = 0; w < 3; w++) {
			writers.push((async () => {
				while (writing) {
					const c = srv.client();
					const u = srv.demo.users[w % srv.demo.users.length];
					const r = await c.signIn(u.email, srv.demo.password);
					assert.strictEqual(r.status, 303);
					writes++;
				}
			})());
		}
		while (writes < 5) await sleep(20);
		const writesBefore = writes;
		const r = await coprod(['backup', '--db', srv.dbPath, dest], { timeout: 60000 });
		const writesAfter = writes;
		writing = false;
		await Promise.all(writers);
		assert.strictEqual(r.code, 0, r.out);
		assert.ok(writesAfter > writesBefore, `the site was being written to during the backup (${writesBefore} -> ${writesAfter} sign-ins)`);
		assert.ok(fs.existsSync(dest), 'the backup file exists');
		assert.ok(!fs.existsSync(`${dest}-wal`) || fs.statSync(`${dest}-wal`).size === 0, 'the backup is one self-contained file');
		assert.strictEqual(sql(dest, 'PRAGMA integrity_check')[0].integrity_check, 'ok');
		const emails = sql(dest, 'SELECT email FROM accounts WHERE email IS NOT NULL').map((x) => x.email);
		for (const u of srv.demo.users) assert.ok(emails.includes(u.email), `the backup has ${u.email}`);
		assert.ok(sql(dest, 'SELECT COUNT(*) AS n FROM sessions')[0].n >= 1, 'and the sessions written before it');

		// The backup is a working coprod database: a server can run on it.
		const copy = path.join(srv.dir, 'restored.db');
		fs.copyFileSync(dest, copy);
		const s = await serve(['serve', '--db', copy, '--port', '0']);
		try {
			const c = new Client(`http://127.0.0.1:${s.port}`);
			assert.strictEqual((await c.signIn(srv.demo.users[0].email, srv.demo.password)).status, 303, 'signing in on the restored copy');
		} finally {
			await s.stop();
		}

		// A backup never overwrites a file that is already there.
		const before = fs.readFileSync(dest);
		const again = await coprod(['backup', '--db', srv.dbPath, dest]);
		assert.notStrictEqual(again.code, 0, 'a second backup to the same file is refused');
		assert.match(again.out, /exists/i, again.out);
		assert.ok(fs.readFileSync(dest).equals(before), 'the first backup is untouched');
	} finally {
		writing = false;
		await Promise.allSettled(writers);
		await srv.stop();
	}
});

test('COPROD_PORT and COPROD_DB are used when --port and --db are not given', async () => {
	const d = tmpdir();
	const db = path.join(d, 'env.db');
	const demo = await coprod(['demo', '--db', db]);
	assert.strictEqual(demo.code, 0, demo.out);
	const { emails, password } = parseDemo(demo.out);
	const port = await freePort();
	const s = await serve(['serve'], { COPROD_PORT: String(port), COPROD_DB: db });
	try {
		assert.strictEqual(s.port, port, 'it listens on COPROD_PORT');
		const res = await new Promise((resolve, reject) => {
			http.get({ host: '127.0.0.1', port, path: '/healthz', agent: false }, (r) => {
				let t = '';
				r.on('data', (x) => { t += x; });
				r.on('end', () => resolve({ status: r.statusCode, body: t }));
			}).on('error', reject);
		});
		assert.strictEqual(res.status, 200);
		const c = new Client(`http://127.0.0.1:${port}`);
		assert.strictEqual((await c.signIn(emails[0], password)).status, 303, 'the demo people in COPROD_DB can sign in');
	} finally {
		await s.stop();
	}
});

test('people added from the command line while the site runs can sign in at once, and no change is lost', async () => {
	const srv = await startServer();
	const password = 'a long enough password';
	try {
		const add = async (email) => {
			const r = await coprod(['user', 'add', email, '--role', 'local_person', '--name', email.split('@')[0], '--db', srv.dbPath], { input: `${password}\n` });
			assert.strictEqual(r.code, 0, r.out);
		};
		// The site is used (each sign-in writes a session and an audit entry) between
		// changes made from the command line, as happens on a live server.
		const signIns = async (n) => {
			for (let i = 0; i < n; i++) assert.strictEqual((await srv.client().signIn(srv.demo.users[i % srv.demo.users.length].email, srv.demo.password)).status, 303);
		};
		await signIns(3);
		await add('first.added@example.org');
		await signIns(3);
		assert.strictEqual((await srv.client().signIn('first.added@example.org', password)).status, 303, 'the first person added can sign in');
		await add('second.added@example.org');
		await signIns(3);
		assert.strictEqual((await srv.client().signIn('second.added@example.org', password)).status, 303, 'the second person added can sign in');
		// A reset link made from the command line works on the running site.
		const reset = await coprod(['user', 'reset', 'first.added@example.org', '--db', srv.dbPath]);
		assert.strictEqual(reset.code, 0, reset.out);
		const link = reset.out.match(/\/reset-password\/[0-9a-f]{64}/)[0];
		assert.strictEqual((await srv.client().get(link)).status, 200, 'the reset link opens on the running site');

		// A backup taken now has everything the site and the command line wrote.
		const dest = path.join(srv.dir, 'now.db');
		const b = await coprod(['backup', '--db', srv.dbPath, dest]);
		assert.strictEqual(b.code, 0, b.out);
		const signInsMade = 3 + 3 + 1 + 3 + 1;
		assert.strictEqual(sql(dest, "SELECT COUNT(*) AS n FROM audit_log WHERE action = 'sign_in'")[0].n, signInsMade, 'the backup has every sign-in the site recorded');
		assert.strictEqual(sql(dest, "SELECT COUNT(*) AS n FROM accounts WHERE email LIKE '%.added@example.org'")[0].n, 2);

		await srv.stop({ keep: true });
		// After the server stops, the database has every change, each with its audit entry.
		const created = sql(srv.dbPath, "SELECT p.email FROM audit_log a JOIN accounts p ON p.id = a.entity_id WHERE a.entity = 'account' AND a.action = 'create' AND p.email LIKE '%.added@example.org' ORDER BY p.email").map((r) => r.email);
		assert.deepStrictEqual(created, ['first.added@example.org', 'second.added@example.org'], 'the audit log records both people added');
		assert.strictEqual(sql(srv.dbPath, "SELECT COUNT(*) AS n FROM audit_log WHERE action = 'sign_in'")[0].n, signInsMade, 'and every sign-in');
		assert.strictEqual(sql(srv.dbPath, 'SELECT COUNT(*) AS n FROM password_resets')[0].n, 1, 'and the reset link');
		assert.strictEqual(sql(srv.dbPath, 'PRAGMA integrity_check')[0].integrity_check, 'ok');
	} finally {
		await srv.stop().catch(() => {});
		fs.rmSync(srv.dir, { recursive: true, force: true });
	}
});
