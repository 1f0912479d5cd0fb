// auth.test.js: signing in and out as each kind of person, what happens with a wrong
// password or too many of them, forms that cannot be forged from another site, who may
// see what, changing a password and one-time reset links.
'use strict';

const { test, before, after } = require('node:test');
const assert = require('assert');
const { startServer } = require('./lib');
const { coprod, demoPeople, findForm, formData, submit, redirectTarget, textOf } = require('./helpers_basic');

const ROLES = ['local_person', 'decision_maker', 'facilitator', 'programme_lead', 'board_member'];

let srv;
let people; // role -> { email, name }

before(async () => {
	srv = await startServer();
	people = demoPeople();
});

after(async () => {
	if (srv) await srv.stop();
});

function cookie(res, name) {
	return (res.headers['set-cookie'] || []).find((c) => c.startsWith(`${name}=`));
}

// A client signed in as the demo person with ROLE (through the form).
async function signedIn(role, server = srv, who = people) {
	const c = server.client();
	const res = await c.signIn(who[role].email, server.demo.password);
	assert.strictEqual(res.status, 303, `signing in as ${role}: ${res.status}`);
	return c;
}

function summary(html) {
	const m = html.match(/<div class="govuk-error-summary"[\s\S]*?<\/ul>/);
	return m ? textOf(m[0]).trim() : null;
}

test('the demo has a sign-in for each of the five roles', () => {
	assert.ok(srv.demo.password, 'coprod demo prints the shared password');
	for (const r of ROLES) assert.ok(people[r], `a demo sign-in for ${r}; demo printed:\n${srv.demo.text}`);
});

for (const role of ROLES) {
	test(`a ${role.replace('_', ' ')} signs in, lands on their home page and sees their name`, async () => {
		const c = srv.client();
		const res = await c.signIn(people[role].email, srv.demo.password);
		assert.strictEqual(res.status, 303);
		assert.strictEqual(redirectTarget(res, srv.url), '/home');
		const sc = cookie(res, 'coprod_session');
		assert.ok(sc, 'a session cookie is set');
		assert.match(sc, /;\s*HttpOnly/i, 'the session cookie is HttpOnly');
		assert.match(sc, /;\s*SameSite=Lax/i, 'the session cookie is SameSite=Lax');
		assert.doesNotMatch(sc, /;\s*Secure/i, 'no Secure without --secure-cookies (plain HTTP on loopback)');
		const home = await c.get('/home');
		assert.strictEqual(home.status, 200);
		assert.ok(textOf(home.body).includes(people[role].name), `/home shows ${people[role].name}`);
		assert.match(home.body, /action="\/sign-out"/, 'with a sign-out button');
		// Someone else's name is not there.
		const other = people[ROLES.find((r) => r !== role)].name;
		assert.ok(!textOf(home.body).includes(`Hello, ${other}`));
	});
}

test('signing in keeps the email however it was typed (case and spaces)', async () => {
	const c = srv.client();
	const res = await c.signIn(`  ${people.facilitator.email.toUpperCase()} `, srv.demo.password);
	assert.strictEqual(res.status, 303);
});

test('after signing out, the old session cookie no longer works', async () => {
	const c = await signedIn('decision_maker');
	const old = c.jar.get('coprod_session');
	const home = await c.get('/home');
	const form = findForm(home.body, '/sign-out');
	const out = await c.post('/sign-out', formData(form));
	assert.strictEqual(out.status, 303);
	assert.strictEqual(new URL(out.headers.location, srv.url).pathname, '/');
	assert.ok(!c.jar.has('coprod_session'), 'the browser is told to forget the session cookie');
	// Someone who kept a copy of the cookie cannot use it.
	const replay = srv.client();
	replay.jar.set('coprod_session', old);
	const again = await replay.get('/home');
	assert.notStrictEqual(again.status, 200, 'the old session no longer opens /home');
	assert.strictEqual(redirectTarget(again, srv.url), '/sign-in?next=%2Fhome');
	const page = await replay.get('/');
	assert.ok(!page.body.includes(people.decision_maker.name), 'the public page does not show the person as signed in');
});

test('a wrong password and an unknown email get the same message, and the typed email is kept', async () => {
	const email = people.board_member.email;
	const c = srv.client();
	const wrong = await c.signIn(email, 'not-the-password-123');
	assert.strictEqual(wrong.status, 400);
	assert.ok(!cookie(wrong, 'coprod_session'), 'not signed in');
	assert.match(wrong.body, /There is a problem/);
	const msg = summary(wrong.body);
	assert.ok(msg && /correct email address and password/i.test(msg), `the error summary says what to do: ${msg}`);
	assert.match(wrong.body, /<title>Error: /, 'the title starts with "Error:"');
	const emailInput = findForm(wrong.body, '/sign-in').fields.find((f) => f.name === 'email');
	assert.ok(emailInput, 'the form has an email field');
	assert.strictEqual(emailInput.value, email, 'the email typed is kept in the field');
	const pw = findForm(wrong.body, '/sign-in').fields.find((f) => f.name === 'password');
	assert.strictEqual(pw.value, '', 'the password is not sent back');
	assert.ok(!wrong.body.includes('not-the-password-123'));

	const unknown = await srv.client().signIn('nobody-here@example.org', 'not-the-password-123');
	assert.strictEqual(unknown.status, 400);
	assert.strictEqual(summary(unknown.body), msg, 'an unknown email gets exactly the same message');
	assert.strictEqual(findForm(unknown.body, '/sign-in').fields.find((f) => f.name === 'email').value, 'nobody-here@example.org');

	const empty = await srv.client().signIn('', '');
	assert.strictEqual(empty.status, 400);
	assert.match(summary(empty.body) || '', /Enter your email address/);
	assert.match(summary(empty.body) || '', /Enter your password/);
});

test('after 5 wrong passwords, even the right one is refused for a while (429, "Try again in N minutes")', async () => {
	const s = await startServer();
	try {
		const email = s.demo.users[0].email;
		for (let i = 1; i <= 5; i++) {
			const r = await s.client().signIn(email, `wrong-password-${i}`);
			assert.strictEqual(r.status, 400, `wrong attempt ${i}`);
		}
		const locked = await s.client().signIn(email, s.demo.password);
		assert.strictEqual(locked.status, 429);
		assert.ok(!cookie(locked, 'coprod_session'), 'not signed in');
		const m = textOf(locked.body).match(/Try again in (\d+) minutes?/);
		assert.ok(m, `the page says when to try again: ${summary(locked.body)}`);
		assert.ok(Number(m[1]) >= 1 && Number(m[1]) <= 15, `N is between 1 and 15 (${m[1]})`);
		// Another person is not locked out by someone else's mistakes.
		const other = s.demo.users.find((u) => u.email !== email);
		assert.strictEqual((await s.client().signIn(other.email, s.demo.password)).status, 303);
	} finally {
		await s.stop();
	}
});

test('behind nginx, one visitor\'s wrong passwords lock out that visitor only, not everyone coming through it', async () => {
	const s = await startServer();
	try {
		// nginx on this machine passes each visitor's address as X-Real-IP (deploy/nginx).
		const from = (ip) => {
			const c = s.client();
			return async (email, password) => {
				const csrf = await c.csrf('/sign-in');
				return c.post('/sign-in', { email, password, csrf }, { headers: { 'X-Real-IP': ip } });
			};
		};
		const guesser = from('192.0.2.10');
		for (let i = 0; i < 20; i++) {
			const r = await guesser(`nobody-${i % 4}@example.org`, `wrong-${i}`);
			assert.strictEqual(r.status, 400, `wrong attempt ${i + 1}`);
		}
		const user = s.demo.users[0];
		assert.strictEqual((await guesser(user.email, s.demo.password)).status, 429,
			'the address that made twenty wrong attempts waits');
		assert.strictEqual((await from('192.0.2.11')(user.email, s.demo.password)).status, 303,
			'a different visitor behind the same nginx signs in');
	} finally {
		await s.stop();
	}
});

test('signing in without the form\'s token is refused (403)', async () => {
	const c = srv.client();
	await c.get('/sign-in'); // has the coprod_csrf cookie now
	assert.ok(c.jar.has('coprod_csrf'), 'the sign-in page sets the coprod_csrf cookie');
	const none = await c.post('/sign-in', { email: people.facilitator.email, password: srv.demo.password });
	assert.strictEqual(none.status, 403);
	assert.ok(!cookie(none, 'coprod_session'), 'not signed in');
	assert.match(none.body, /You cannot do that/);
	const bad = await c.post('/sign-in', { email: people.facilitator.email, password: srv.demo.password, csrf: 'a'.repeat(64) });
	assert.strictEqual(bad.status, 403);
	// A token without the matching cookie (as a forged form from another site would send).
	const token = c.jar.get('coprod_csrf');
	const stranger = srv.client();
	const forged = await stranger.post('/sign-in', { email: people.facilitator.email, password: srv.demo.password, csrf: token });
	assert.strictEqual(forged.status, 403);
	// The real form works.
	assert.strictEqual((await c.signIn(people.facilitator.email, srv.demo.password)).status, 303);
});

test('signing out with a wrong token is refused and the person stays signed in', async () => {
	const c = await signedIn('facilitator');
	const res = await c.post('/sign-out', { csrf: 'b'.repeat(64) });
	assert.strictEqual(res.status, 403);
	const none = await c.post('/sign-out', {});
	assert.strictEqual(none.status, 403);
	// The anonymous double-submit cookie is not a session's token.
	const anon = srv.client();
	await anon.get('/sign-in');
	const res2 = await c.post('/sign-out', { csrf: anon.jar.get('coprod_csrf') });
	assert.strictEqual(res2.status, 403);
	const home = await c.get('/home');
	assert.strictEqual(home.status, 200, 'still signed in');
	assert.ok(textOf(home.body).includes(people.facilitator.name));
});

test('a local person cannot open the people admin page (403 page)', async () => {
	const c = await signedIn('local_person');
	const res = await c.get('/admin/people');
	assert.strictEqual(res.status, 403);
	assert.match(res.body, /You cannot do that/);
	assert.ok(!res.body.includes(people.programme_lead.email), 'no one else\'s details on the page');
	const audit = await c.get('/admin/audit');
	assert.strictEqual(audit.status, 403);
	// A programme lead can.
	const lead = await signedIn('programme_lead');
	assert.strictEqual((await lead.get('/admin/people')).status, 200);
});

test('someone not signed in who asks for /home is sent to sign in, and then to /home', async () => {
	const c = srv.client();
	const res = await c.get('/home');
	assert.ok([302, 303].includes(res.status), `a redirect (${res.status})`);
	assert.strictEqual(redirectTarget(res, srv.url), '/sign-in?next=%2Fhome');
	const after = await submit(c, '/sign-in?next=%2Fhome', '/sign-in', { email: people.local_person.email, password: srv.demo.password });
	assert.strictEqual(after.status, 303);
	assert.strictEqual(redirectTarget(after, srv.url), '/home');
});

test('signing in from a page\'s sign-in link returns to that page', async () => {
	const c = srv.client();
	const res = await c.get('/account/password');
	assert.strictEqual(redirectTarget(res, srv.url), '/sign-in?next=%2Faccount%2Fpassword');
	const after = await submit(c, redirectTarget(res, srv.url), /^\/sign-in/, { email: people.local_person.email, password: srv.demo.password });
	assert.strictEqual(after.status, 303);
	assert.strictEqual(redirectTarget(after, srv.url), '/account/password', 'the form carries next= through to the sign-in');
});

test('next= pointing at another site is not followed', async () => {
	for (const next of ['//evil.example', '//evil.example/home', '/\\evil.example', 'https://evil.example/', 'http:evil.example']) {
		const c = srv.client();
		const csrf = await c.csrf('/sign-in');
		const res = await c.post(`/sign-in?next=${encodeURIComponent(next)}`, { email: people.local_person.email, password: srv.demo.password, csrf, next });
		assert.strictEqual(res.status, 303, `next=${next}`);
		const loc = res.headers.location;
		assert.ok(!/evil\.example/.test(loc), `next=${next}: redirected to ${loc}`);
		assert.strictEqual(new URL(loc, srv.url).origin, srv.url, `next=${next}: stays on this site`);
	}
});

test('changing a password: a wrong current password is an error; success signs out the account\'s other sessions', async () => {
	const s = await startServer();
	try {
		const email = s.demo.users.find((u) => /facilitator/i.test(u.role || u.line)).email;
		const newPassword = 'a brand new long password 42';
		const c1 = s.client();
		const c2 = s.client();
		assert.strictEqual((await c1.signIn(email, s.demo.password)).status, 303);
		assert.strictEqual((await c2.signIn(email, s.demo.password)).status, 303);

		const wrong = await submit(c1, '/account/password', '/account/password', {
			current_password: 'this is not it at all', new_password: newPassword, confirm_password: newPassword });
		assert.strictEqual(wrong.status, 400);
		assert.match(summary(wrong.body) || '', /current password/i);
		assert.ok(!wrong.body.includes(newPassword), 'passwords are not sent back');
		assert.strictEqual((await c2.get('/home')).status, 200, 'nothing changed: the other session still works');

		const mismatch = await submit(c1, '/account/password', '/account/password', {
			current_password: s.demo.password, new_password: newPassword, confirm_password: `${newPassword}x` });
		assert.strictEqual(mismatch.status, 400);
		assert.match(summary(mismatch.body) || '', /do not match/i);

		const short = await submit(c1, '/account/password', '/account/password', {
			current_password: s.demo.password, new_password: 'short', confirm_password: 'short' });
		assert.strictEqual(short.status, 400);
		assert.match(summary(short.body) || '', /10 characters/);

		const ok = await submit(c1, '/account/password', '/account/password', {
			current_password: s.demo.password, new_password: newPassword, confirm_password: newPassword });
		assert.strictEqual(ok.status, 303);
		const home = await c1.get(ok.headers.location);
		assert.strictEqual(home.status, 200, 'the session that made the change stays signed in');
		assert.match(textOf(home.body), /password has been changed/i);

		const other = await c2.get('/home');
		assert.strictEqual(redirectTarget(other, s.url), '/sign-in?next=%2Fhome', 'the other session was signed out');

		assert.strictEqual((await s.client().signIn(email, s.demo.password)).status, 400, 'the old password no longer works');
		assert.strictEqual((await s.client().signIn(email, newPassword)).status, 303, 'the new one does');
	} finally {
		await s.stop();
	}
});

test('a reset link from `coprod user reset` sets a password once, and is refused the second time', async () => {
	const s = await startServer();
	try {
		const email = s.demo.users.find((u) => /decision/i.test(u.role || u.line)).email;
		const before = s.client();
		assert.strictEqual((await before.signIn(email, s.demo.password)).status, 303);

		const made = await coprod(['user', 'reset', email, '--db', s.dbPath]);
		assert.strictEqual(made.code, 0, made.out);
		const m = made.out.match(/\/reset-password\/([0-9a-f]{64})/);
		assert.ok(m, `the command prints the link: ${made.out}`);
		const link = `/reset-password/${m[1]}`;

		const c = s.client();
		const first = 'reset password number one';
		const res = await submit(c, link, /^(\/reset-password\/[0-9a-f]{64})?$/, { new_password: first, confirm_password: first });
		assert.strictEqual(res.status, 303);
		assert.match(redirectTarget(res, s.url), /^\/sign-in/);
		assert.strictEqual((await s.client().signIn(email, first)).status, 303, 'the new password works');
		assert.strictEqual((await s.client().signIn(email, s.demo.password)).status, 400, 'the old one does not');
		assert.notStrictEqual((await before.get('/home')).status, 200, 'sessions from before the reset are signed out');

		// The same link again, e.g. from someone who saw it later.
		const again = s.client();
		const page = await again.get(link);
		assert.strictEqual(page.status, 404, 'the used link shows as not valid');
		assert.ok(!findFormOrNull(page.body, /reset-password/), 'and offers no form');
		const csrf = await again.csrf('/sign-in');
		const second = 'reset password number two';
		const post = await again.post(link, { new_password: second, confirm_password: second, csrf });
		assert.notStrictEqual(post.status, 303, 'a second use is refused');
		assert.strictEqual((await s.client().signIn(email, second)).status, 400, 'the second password was not set');
		assert.strictEqual((await s.client().signIn(email, first)).status, 303);

		const made404 = await s.client().get(`/reset-password/${'0'.repeat(64)}`);
		assert.strictEqual(made404.status, 404, 'an unknown token is not valid');
	} finally {
		await s.stop();
	}
});

function findFormOrNull(html, action) {
	try {
		const f = findForm(html, action);
		return f.fields.some((x) => /password/.test(x.name || '')) ? f : null;
	} catch (e) {
		return null;
	}
}

test('with --secure-cookies, cookies are marked Secure', async () => {
	const s = await startServer({ args: ['--secure-cookies'] });
	try {
		const c = s.client();
		const form = await c.get('/sign-in');
		const csrfCookie = cookie(form, 'coprod_csrf');
		assert.ok(csrfCookie, 'the form token cookie is set');
		assert.match(csrfCookie, /;\s*Secure/i);
		assert.match(csrfCookie, /;\s*HttpOnly/i);
		const res = await c.signIn(s.demo.users[0].email, s.demo.password);
		assert.strictEqual(res.status, 303);
		const sc = cookie(res, 'coprod_session');
		assert.match(sc, /;\s*Secure/i);
		assert.match(sc, /;\s*HttpOnly/i);
		assert.match(sc, /;\s*SameSite=Lax/i);
		assert.match(res.headers['strict-transport-security'] || '', /max-age=\d+/, 'and browsers are told to keep to HTTPS');
	} finally {
		await s.stop();
	}
});

test('the sign-in form keeps an email with special characters exactly', async () => {
	const typed = 'o\'brien+"x"@example.org';
	const res = await srv.client().signIn(typed, 'whatever-password-1');
	assert.strictEqual(res.status, 400);
	const field = findForm(res.body, '/sign-in').fields.find((f) => f.name === 'email');
	assert.strictEqual(field.value, typed);
	assert.ok(!res.body.includes('"x"@'), 'the quotes are escaped in the value attribute');
});
