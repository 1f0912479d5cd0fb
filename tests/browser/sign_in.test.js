// sign_in.test.js: signing in works with the keyboard alone, and a mistake on the form
// is shown the GOV.UK way: an error summary that takes the focus and links to the field,
// the message beside the field, and what was typed kept.
'use strict';

const { describe, test, before, after } = require('node:test');
const assert = require('node:assert');
const h = require('./helpers');

describe('signing in', () => {
	let srv;
	let ctx;
	let account;

	before(async () => {
		srv = await h.startServer();
		ctx = await h.launch();
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

	const focusedId = (page) => page.evaluate(() => document.activeElement && document.activeElement.id);

	test('with the keyboard alone: Tab to each field, type, press Enter', async () => {
		const page = await freshPage();
		try {
			await page.goto(`${srv.url}/sign-in`);
			let tabs = 0;
			while ((await focusedId(page)) !== 'email') {
				assert.ok(++tabs <= 40, 'the email field cannot be reached with the Tab key');
				await page.keyboard.press('Tab');
			}
			await page.keyboard.type(account.email);
			await page.keyboard.press('Tab');
			assert.strictEqual(await focusedId(page), 'password', 'Tab from the email field does not go to the password field');
			await page.keyboard.type(account.password);
			await Promise.all([
				page.waitForURL((u) => u.pathname === '/home', { timeout: 30000 }),
				page.keyboard.press('Enter'),
			]);
			assert.match(await page.textContent('h1'), /\S/);
		} finally {
			await page.close();
		}
	});

	test('the skip link is the first thing the Tab key reaches and moves to the main content', async () => {
		const page = await freshPage();
		try {
			await page.goto(`${srv.url}/`);
			await page.keyboard.press('Tab');
			const first = await page.evaluate(() => ({
				text: document.activeElement.textContent.trim(),
				href: document.activeElement.getAttribute('href'),
			}));
			assert.deepStrictEqual(first, { text: 'Skip to main content', href: '#main-content' });
			await page.keyboard.press('Enter');
			assert.strictEqual(await focusedId(page), 'main-content');
		} finally {
			await page.close();
		}
	});

	test('a missing password: the error summary takes the focus, links to the field and the email is kept', async () => {
		const page = await freshPage();
		try {
			const typed = 'someone.else@example.org';
			await page.goto(`${srv.url}/sign-in`);
			await page.fill('#email', typed);
			await page.click('form[action="/sign-in"] button[type="submit"]');
			await page.waitForSelector('.govuk-error-summary');

			assert.match(await page.title(), /^Error: /, 'the page title does not start with "Error: "');
			// GOV.UK Frontend's script moves the focus to the summary so it is read out first.
			await page.waitForFunction(() => document.activeElement &&
				document.activeElement.classList.contains('govuk-error-summary'), null, { timeout: 5000 });

			const link = page.locator('.govuk-error-summary a[href="#password"]');
			assert.strictEqual(await link.count(), 1, 'the summary has no link to the password field');
			assert.match(await link.textContent(), /password/i);

			assert.strictEqual(await page.inputValue('#email'), typed, 'the email address typed was not kept');
			const described = await page.getAttribute('#password', 'aria-describedby');
			assert.ok(described && described.split(/\s+/).includes('password-error'),
				'the password field is not described by its error message');
			assert.match(await page.textContent('#password-error'), /password/i);

			await link.click();
			assert.strictEqual(await focusedId(page), 'password', 'the summary link does not move the focus to the field');
		} finally {
			await page.close();
		}
	});

	test('a wrong password: the error links to the email field and the email is kept', async () => {
		const page = await freshPage();
		try {
			await page.goto(`${srv.url}/sign-in`);
			await page.fill('#email', account.email);
			await page.fill('#password', 'not-the-password-1');
			await page.click('form[action="/sign-in"] button[type="submit"]');
			await page.waitForSelector('.govuk-error-summary');
			assert.match(await page.title(), /^Error: /);
			const links = await page.$$eval('.govuk-error-summary a', (as) => as.map((a) => a.getAttribute('href')));
			assert.ok(links.length >= 1, 'the error summary has no links');
			for (const href of links)
				assert.strictEqual(await page.locator(href).count(), 1, `the summary links to ${href}, which is not on the page`);
			assert.strictEqual(await page.inputValue('#email'), account.email);
			assert.strictEqual(await page.inputValue('#password'), '', 'a password must never be sent back to the browser');
			const violations = await h.axe(page);
			assert.strictEqual(violations.length, 0, h.describeViolations('/sign-in with errors', violations));
		} finally {
			await page.close();
		}
	});
});
