// pages.test.js: every page a visitor or a signed-in person can reach in the demo meets
// WCAG 2.2 AA as far as axe-core can tell, fits a 320px-wide phone without scrolling
// sideways, breaks no Content Security Policy rule and has no broken links.
//
// For a visitor and for each demo role we start at the home page and follow every
// same-origin link (GET only; never signing out or static files), then check each
// distinct page we found.
'use strict';

const { describe, test, before, after } = require('node:test');
const assert = require('node:assert');
const h = require('./helpers');

const NARROW = 320;

describe('every page in the demo', () => {
	let srv;
	let ctx;
	const results = []; // one per identity: {who, pages: [{path, status, violations, overflow}], problems}

	before(async () => {
		srv = await h.startServer();
		ctx = await h.launch();
		const accounts = h.demoAccounts(srv.demo);
		const identities = [{ role: 'visitor', account: null }]
			.concat(accounts.map((a) => ({ role: a.role, account: a })));
		// A facilitator acting for someone without email sees a notice on every page.
		const facilitator = accounts.find((a) => a.role === 'facilitator');
		if (facilitator) identities.push({ role: 'facilitator acting for someone', account: facilitator, actFor: true });
		for (const who of identities) {
			await ctx.clearCookies();
			const page = await ctx.newPage();
			const problems = h.watchProblems(page);
			const checked = new Map();
			let start = ['/'];
			if (who.account) {
				await h.signIn(page, srv.url, who.account);
				start = ['/home', '/'];
				if (who.actFor) {
					await page.goto(`${srv.url}/assisted`);
					const act = page.locator('form[action^="/acting-for/"]:not([action="/acting-for/stop"]) button').first();
					assert.ok(await act.count(), 'the demo facilitator has nobody to act for on /assisted');
					await Promise.all([page.waitForNavigation(), act.click()]);
					assert.ok(await page.locator('form[action="/acting-for/stop"]').count(),
						'after choosing to act for someone, no page says so');
				}
			}
			const pages = await h.crawl(page, srv.url, start, async (pg, p) => {
				checked.set(p, {
					violations: await h.axe(pg),
					overflow: await h.sidewaysOverflow(pg, NARROW),
				});
			});
			results.push({
				who: who.role,
				pages: pages.map((p) => ({ ...p, ...checked.get(p.path) })),
				problems,
			});
			await page.close();
		}
	});

	after(async () => {
		if (ctx) await ctx.close();
		if (srv) await srv.stop();
	});

	test('the crawl reaches the public pages and a home page for every role', (t) => {
		for (const r of results)
			t.diagnostic(`${r.who}: ${r.pages.length} pages: ${r.pages.map((p) => p.path).join(' ')}`);
		const visitor = results.find((r) => r.who === 'visitor');
		const paths = visitor.pages.map((p) => p.landed);
		for (const p of ['/', '/priorities', '/sign-in', '/accessibility', '/privacy', '/cookies'])
			assert.ok(paths.includes(p), `a visitor cannot reach ${p} by links from the home page; reached: ${paths.join(', ')}`);
		assert.ok(paths.some((p) => p.startsWith('/priorities/')), 'no priority area page is linked');
		const roles = results.filter((r) => r.who !== 'visitor');
		assert.ok(roles.length >= 6, `expected a demo sign-in for each of the 5 roles (and acting for someone), found: ${roles.map((r) => r.who).join(', ')}`);
		for (const r of roles)
			assert.ok(r.pages.some((p) => p.landed === '/home'), `${r.who} did not reach /home`);
		const acting = results.find((r) => r.who === 'facilitator acting for someone');
		assert.ok(acting, 'the crawl did not act for anyone');
	});

	test('no page has an axe-core violation (WCAG 2.2 AA tags)', () => {
		const report = [];
		for (const r of results)
			for (const p of r.pages)
				if (p.violations && p.violations.length)
					report.push(h.describeViolations(`${r.who} ${p.path}`, p.violations));
		assert.strictEqual(report.length, 0, `axe-core found problems:\n${report.join('\n')}`);
	});

	test(`no page scrolls sideways at ${NARROW}px wide`, () => {
		const report = [];
		for (const r of results)
			for (const p of r.pages)
				if (p.overflow && p.overflow.scrollWidth > NARROW)
					report.push(`${r.who} ${p.path}: ${p.overflow.scrollWidth}px wide; too wide: ${p.overflow.wide.join(', ')}`);
		assert.strictEqual(report.length, 0, report.join('\n'));
	});

	test('no link leads to a missing page or a server error', () => {
		const report = [];
		for (const r of results)
			for (const p of r.pages)
				if (p.status >= 400)
					report.push(`${r.who} ${p.path} answered ${p.status} (linked from ${p.from || 'the start'})`);
		assert.strictEqual(report.length, 0, report.join('\n'));
	});

	test('nothing is blocked by the Content Security Policy and no script fails', () => {
		const report = [];
		for (const r of results)
			for (const line of r.problems) report.push(`${r.who} ${line}`);
		assert.strictEqual(report.length, 0, report.join('\n'));
	});
});
