// helpers.js: shared pieces for the browser tests: start Chromium, sign in through the
// form, run axe-core, and crawl every page a visitor or a signed-in person can reach.
//
// The server comes from ../http/lib.js (startServer: a new demo database and
// `coprod serve` on a free port; srv.demo holds the demo sign-ins it printed).
// Chromium is Debian's (/usr/bin/chromium, or CHROMIUM_PATH), driven by playwright-core.
'use strict';

const fs = require('fs');
const os = require('os');
const path = require('path');
const { chromium } = require('playwright-core');
const lib = require('../http/lib');

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
// The most pages one crawl visits, so a page that links to endless variations of
// itself cannot make a run last for ever.
const CRAWL_MAX = Number(process.env.COPROD_CRAWL_MAX || 160);

// The five roles, in the order the tests visit them. A demo sign-in line names its
// role in some spelling ("programme_lead", "Programme lead", "programme-lead").
const ROLES = ['local_person', 'facilitator', 'programme_lead', 'decision_maker', 'board_member'];

function roleKey(text) {
	const t = String(text || '').toLowerCase().replace(/[^a-z]+/g, ' ');
	if (/\blocal person\b|\bresident\b/.test(t)) return 'local_person';
	if (/\bfacilitator\b/.test(t)) return 'facilitator';
	if (/\bprogramme lead\b|\bprogram lead\b/.test(t)) return 'programme_lead';
	if (/\bdecision maker\b/.test(t)) return 'decision_maker';
	if (/\bboard member\b|\bboard\b/.test(t)) return 'board_member';
	return null;
}

// One demo sign-in per role: [{role, email, password}], in ROLES order. Lines whose
// role cannot be told are kept under their own text so no sign-in is left out.
function demoAccounts(demo) {
	const byRole = new Map();
	for (const u of demo.users) {
		const key = roleKey(u.role) || roleKey(u.line) || u.role || u.email;
		if (!byRole.has(key)) byRole.set(key, { role: key, email: u.email, password: demo.password });
	}
	const known = ROLES.filter((r) => byRole.has(r)).map((r) => byRole.get(r));
	const other = [...byRole.values()].filter((a) => !ROLES.includes(a.role));
	return [...known, ...other];
}

// Starts Chromium with its own throwaway profile. opts.javaScriptEnabled: false for the
// no-JavaScript tests. Returns the persistent context; close it in after().
async function launch(opts = {}) {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'coprod-chromium-'));
	const ctx = await chromium.launchPersistentContext(dir, {
		executablePath: CHROMIUM,
		headless: true,
		viewport: { width: 1024, height: 768 },
		javaScriptEnabled: opts.javaScriptEnabled !== false,
		args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
			'--disable-background-networking', '--disable-component-update', '--disable-sync'],
	});
	const close = ctx.close.bind(ctx);
	ctx.close = async () => {
		await close();
		fs.rmSync(dir, { recursive: true, force: true });
	};
	return ctx;
}

// Problems the browser reports while a page is open: blocked by the Content Security
// Policy, or a script error. Call before the first goto.
function watchProblems(page) {
	const problems = [];
	page.on('console', (msg) => {
		if (msg.type() === 'error' && /Content Security Policy|Refused to/i.test(msg.text()))
			problems.push(`${new URL(page.url()).pathname}: ${msg.text().slice(0, 200)}`);
	});
	page.on('pageerror', (err) => problems.push(`${new URL(page.url()).pathname}: script error: ${err.message}`));
	return problems;
}

// Signs in through the form, as a person would, and waits for the page after it.
async function signIn(page, base, account) {
	await page.goto(`${base}/sign-in`);
	await page.fill('#email', account.email);
	await page.fill('#password', account.password);
	await Promise.all([
		page.waitForURL((u) => !u.pathname.startsWith('/sign-in'), { timeout: 30000 }),
		page.click('form[action="/sign-in"] button[type="submit"]'),
	]);
}

// Runs axe-core on the page as it is now. evaluate() is not subject to the page's
// Content Security Policy, so the policy stays on while we test.
async function axe(page) {
	const has = await page.evaluate(() => typeof window.axe !== 'undefined');
	if (!has) await page.evaluate(AXE_SOURCE);
	return page.evaluate((tags) => window.axe.run(document, { runOnly: { type: 'tag', values: tags } })
		.then((r) => r.violations.map((v) => ({
			id: v.id, impact: v.impact, help: v.help,
			targets: v.nodes.map((n) => n.target.join(' ')),
		}))), AXE_TAGS);
}

function describeViolations(where, violations) {
	return violations.map((v) => `${where}: ${v.id} (${v.impact}) ${v.help}\n    at ${v.targets.slice(0, 5).join('\n    at ')}`).join('\n');
}

// Same-origin links on the page that a crawl may follow: GET pages only, never
// signing out or static files. Returns paths with their query, without fragments.
async function pageLinks(page, base) {
	const origin = new URL(base).origin;
	const hrefs = await page.$$eval('a[href]', (as) => as.map((a) => a.href));
	const out = new Set();
	for (const h of hrefs) {
		let u;
		try { u = new URL(h); } catch (e) { continue; }
		if (u.origin !== origin) continue;
		if (u.pathname.startsWith('/assets/') || u.pathname === '/sign-out') continue;
		// Downloads and open data are not pages: calendars, spreadsheets, JSON.
		if (u.pathname.startsWith('/api/') || /\.(ics|csv|xlsx|pdf|json|txt|svg)$/.test(u.pathname)) continue;
		out.add(u.pathname + u.search);
	}
	return [...out];
}

// Visits START and every page reachable from it by links, calling visit(page, path,
// response) on each. Returns [{path, status, from}] in the order visited.
// Pages of one kind (the same path with other ids, e.g. /meetings/12 and /meetings/13) are
// visited at most SHAPE_MAX times, so the crawl reaches every kind of page instead of
// spending itself on one long list.
const SHAPE_MAX = 2;
function shapeOf(link) {
	const u = new URL(link, 'http://x');
	return u.pathname.replace(/\/\d+(?=\/|$)/g, '/:id') + (u.search ? '?' : '');
}

async function crawl(page, base, start, visit) {
	const seen = new Set(start);
	const shapes = new Map();
	const queue = start.map((p) => ({ path: p, from: null }));
	const pages = [];
	while (queue.length && pages.length < CRAWL_MAX) {
		const { path: p, from } = queue.shift();
		const res = await page.goto(base + p, { waitUntil: 'load' });
		const status = res ? res.status() : 0;
		const landed = new URL(page.url());
		const here = landed.pathname + landed.search;
		seen.add(here);
		pages.push({ path: p, landed: here, status, from });
		if (visit) await visit(page, p, res);
		for (const link of await pageLinks(page, base)) {
			if (seen.has(link)) continue;
			seen.add(link);
			const shape = shapeOf(link);
			const n = shapes.get(shape) || 0;
			if (n >= SHAPE_MAX) continue;
			shapes.set(shape, n + 1);
			queue.push({ path: link, from: here });
		}
	}
	return pages;
}

// The widest the page's content is beyond the viewport, at WIDTH pixels wide.
async function sidewaysOverflow(page, width) {
	const old = page.viewportSize();
	await page.setViewportSize({ width, height: 640 });
	const r = await page.evaluate(() => {
		const doc = document.documentElement;
		const wide = [];
		for (const el of document.body.querySelectorAll('*')) {
			const b = el.getBoundingClientRect();
			const spills = el.scrollWidth > el.clientWidth + 1 && el.clientWidth > 0 &&
				getComputedStyle(el).overflowX === 'visible' && el.children.length === 0;
			if ((b.right > doc.clientWidth + 1 && b.width > 0) || spills) {
				wide.push(el.tagName.toLowerCase() + (el.id ? `#${el.id}` : '') +
					(el.className && typeof el.className === 'string' ? `.${el.className.trim().split(/\s+/).join('.')}` : ''));
			}
		}
		return { scrollWidth: doc.scrollWidth, clientWidth: doc.clientWidth, wide: wide.slice(0, 5) };
	});
	await page.setViewportSize(old);
	return r;
}

module.exports = {
	lib, startServer: lib.startServer, launch, watchProblems, signIn, axe, describeViolations,
	crawl, pageLinks, sidewaysOverflow, demoAccounts, roleKey, ROLES, AXE_TAGS,
};
