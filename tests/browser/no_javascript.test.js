// no_javascript.test.js: the website works with JavaScript turned off, as it does for
// some people on old phones, locked-down computers or slow connections.
'use strict';

const { describe, test, before, after } = require('node:test');
const assert = require('node:assert');
const h = require('./helpers');

describe('with JavaScript turned off', () => {
	let srv;
	let ctx;
	let account;

	before(async () => {
		srv = await h.startServer();
		ctx = await h.launch({ javaScriptEnabled: false });
		[account] = h.demoAccounts(srv.demo);
		assert.ok(account && account.email && account.password, 'the demo printed no sign-in');
	});

	after(async () => {
		if (ctx) await ctx.close();
		if (srv) await srv.stop();
	});

	async function freshPage() {
		await ctx.clearCookies();
		return ctx.newPage();
	}

	test('the home page renders with its navigation showing', async () => {
		const page = await freshPage();
		try {
			const res = await page.goto(`${srv.url}/`);
			assert.strictEqual(res.status(), 200);
			const bodyClass = await page.getAttribute('body', 'class');
			assert.ok(!/js-enabled/.test(bodyClass || ''), 'the page thinks JavaScript ran');
			assert.ok(await page.isVisible('h1'), 'no visible heading');
			assert.ok(await page.isVisible('#navigation a[href="/sign-in"]'), 'the sign-in link in the navigation is hidden without JavaScript');
			assert.ok(await page.isVisible('#main-content'), 'no main content');
		} finally {
			await page.close();
		}
	});

	test('signing in works and lands on the signed-in home page', async () => {
		const page = await freshPage();
		try {
			await page.goto(`${srv.url}/sign-in`);
			await page.fill('#email', account.email);
			await page.fill('#password', account.password);
			await Promise.all([
				page.waitForURL((u) => u.pathname === '/home', { timeout: 30000 }),
				page.click('form[action="/sign-in"] button[type="submit"]'),
			]);
			assert.ok(await page.isVisible('h1'));
			assert.ok(await page.isVisible('form[action="/sign-out"] button'), 'no way to sign out');
		} finally {
			await page.close();
		}
	});

	test('a form error shows the summary, links to the field and keeps the email', async () => {
		const page = await freshPage();
		try {
			await page.goto(`${srv.url}/sign-in`);
			await page.fill('#email', 'someone.else@example.org');
			await page.click('form[action="/sign-in"] button[type="submit"]');
			await page.waitForSelector('.govuk-error-summary');
			assert.match(await page.title(), /^Error: /);
			assert.strictEqual(await page.locator('.govuk-error-summary a[href="#password"]').count(), 1);
			assert.strictEqual(await page.inputValue('#email'), 'someone.else@example.org');
		} finally {
			await page.close();
		}
	});

	test('signing out works', async () => {
		const page = await freshPage();
		try {
			await h.signIn(page, srv.url, account);
			await Promise.all([
				page.waitForURL((u) => u.pathname !== '/home', { timeout: 30000 }),
				page.click('form[action="/sign-out"] button'),
			]);
			const res = await page.goto(`${srv.url}/home`);
			assert.strictEqual(new URL(page.url()).pathname, '/sign-in', `after signing out /home answered ${res.status()} at ${page.url()}`);
		} finally {
			await page.close();
		}
	});
});
