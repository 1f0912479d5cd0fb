// journey.test.js: the whole co-production journey, walked through the real pages by the
// demo people who take each step, in one browser: a facilitator sets up a group, a local
// person raises an idea, a decision-maker comments, the group decides together, the
// programme lead takes the proposal to the Board, a Board member records that the Board
// supported it, the programme lead plans its co-delivery, and the local person sees what
// became of their idea.
//
// Forms are filled by their labels and buttons found by their names, as someone using a
// screen reader or the keyboard would find them, so a field that loses its label fails
// here. axe-core (WCAG 2.2 AA tags) runs on every page the journey visits.
'use strict';

const { describe, test, before, after } = require('node:test');
const assert = require('node:assert');
const h = require('./helpers');

const PASSWORD = 'demo-password-2026';
const PEOPLE = {
	local: { email: 'local.person@example.org', name: 'Demo Local Person Amina' },
	dm: { email: 'decision.maker@example.org', name: 'Demo Decision-maker Gareth' },
	facilitator: { email: 'facilitator@example.org', name: 'Demo Facilitator Priya' },
	lead: { email: 'programme.lead@example.org', name: 'Demo Programme Lead Tom' },
	board: { email: 'board.member@example.org', name: 'Demo Board Member Margaret' },
};

// Invented for this run, so the journey's own records are told apart from the demo's.
const GROUP = 'Demo Journey Group for young carers';
const IDEA = 'Demo journey idea: a free evening drop-in for young carers';
const COMMENT = 'Demo comment: the council youth service could host this on Thursdays.';
const QUESTION = 'Shall we develop the drop-in idea into a concept with decision-makers?';
const MEETING = 'Demo Journey Health and Wellbeing Board';
const ACTION = 'Demo action: find a warm room for the drop-in';
const NEXT_YEAR = new Date().getFullYear() + 1;

describe('the co-production journey, from a new group to you said, we did', () => {
	let srv;
	let ctx;
	let page;
	let problems;
	const visited = []; // every page checked with axe-core: "who path"
	const ids = {};
	const seen = {}; // what the journey noticed on the way, for the tests at the end
	// Ids used twice on a page: a label or an error summary link then finds the wrong
	// element. axe-core no longer checks this, so we do.
	const duplicateIds = new Set();

	before(async () => {
		srv = await h.startServer();
		ctx = await h.launch();
		page = await ctx.newPage();
		// A missing field or button fails in seconds, not after Playwright's half a minute.
		page.setDefaultTimeout(5000);
		problems = h.watchProblems(page);
	});

	after(async () => {
		if (ctx) await ctx.close();
		if (srv) await srv.stop();
	});

	// Signs in as one of PEOPLE, after signing whoever was here out.
	async function as(who) {
		await ctx.clearCookies();
		await h.signIn(page, srv.url, { email: PEOPLE[who].email, password: PASSWORD });
		await check(who, 'the page after signing in');
	}

	// axe-core on the page as it is now: no violations allowed.
	async function check(who, what) {
		const path = new URL(page.url()).pathname + new URL(page.url()).search;
		visited.push(`${who} ${path}`);
		const dups = await page.evaluate(() => {
			const count = new Map();
			for (const el of document.querySelectorAll('[id]')) count.set(el.id, (count.get(el.id) || 0) + 1);
			return [...count].filter(([, n]) => n > 1).map(([id]) => id);
		});
		for (const id of dups) duplicateIds.add(`${new URL(page.url()).pathname.replace(/\d+/g, 'ID')}: id "${id}"`);
		const v = await h.axe(page);
		assert.deepStrictEqual(v.length, 0, h.describeViolations(`${who} ${path} (${what})`, v));
	}

	async function go(who, path) {
		const res = await page.goto(srv.url + path);
		assert.ok(res && res.status() < 400, `${who}: ${path} answered ${res && res.status()}`);
		await check(who, path);
	}

	// Presses a button from the keyboard, as someone without a mouse would, and waits for
	// the page the form leads to.
	async function press(who, button) {
		const name = (await button.innerText()).trim();
		await button.focus();
		await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
		const errors = page.locator('.govuk-error-summary');
		if (await errors.count())
			assert.fail(`${who}: the form at ${page.url()} said: ${(await errors.innerText()).replace(/\s+/g, ' ')}`);
		await check(who, `after pressing ${name}`);
	}

	// The success banner the person would see after a change.
	async function expectNotice(re) {
		const banner = page.locator('.govuk-notification-banner');
		assert.ok(await banner.count(), `no confirmation on ${page.url()}`);
		assert.match((await banner.first().innerText()).replace(/\s+/g, ' '), re);
	}

	// Chooses the option of a labelled select whose text contains TEXT.
	async function choose(label, text) {
		const select = page.getByLabel(label, { exact: true });
		const options = await select.locator('option').evaluateAll((os) => os.map((o) => ({ value: o.value, text: o.textContent })));
		const hit = options.find((o) => o.text.includes(text));
		assert.ok(hit, `"${label}" has no option with "${text}": ${options.map((o) => o.text).join(' | ')}`);
		await select.selectOption(hit.value);
	}

	function idFrom(re) {
		const m = new URL(page.url()).pathname.match(re);
		assert.ok(m, `${page.url()} does not match ${re}`);
		return Number(m[1]);
	}

	async function dateFields(legend, d, m, y) {
		const group = page.getByRole('group', { name: legend, exact: true });
		await group.getByLabel('Day').fill(String(d));
		await group.getByLabel('Month').fill(String(m));
		await group.getByLabel('Year').fill(String(y));
	}

	test('1. the facilitator sets up a group, opens it to decision-makers, adds members and a session', async () => {
		await as('facilitator');
		await go('facilitator', '/groups/new');
		await choose('Programme', 'Young adults co-production');
		await page.getByLabel('Name of the group').fill(GROUP);
		await page.getByLabel('What the group is for').fill('Demo purpose: young carers designing support with the council and the NHS.');
		await press('facilitator', page.getByRole('button', { name: 'Create the group' }));
		ids.group = idFrom(/^\/groups\/(\d+)$/);
		await expectNotice(/group has been created/);
		assert.ok(await page.getByRole('heading', { level: 1, name: GROUP }).count(), 'the new group page does not show its name');

		await go('facilitator', `/groups/${ids.group}/open`);
		await press('facilitator', page.getByRole('button', { name: 'Open the group' }));
		await expectNotice(/open to decision-makers/);

		for (const [who, role] of [['local', 'Local person'], ['dm', 'Decision-maker']]) {
			await go('facilitator', `/groups/${ids.group}/members/new`);
			await choose('Person', PEOPLE[who].name);
			await page.getByRole('radio', { name: role, exact: true }).check();
			await press('facilitator', page.getByRole('button', { name: 'Add them' }));
			await expectNotice(/added to the group/);
			assert.ok(await page.getByText(PEOPLE[who].name).count(), `${PEOPLE[who].name} is not listed on the group page`);
		}

		await go('facilitator', `/groups/${ids.group}/sessions/new`);
		await page.getByLabel('Title').fill('Demo first session');
		await dateFields('Date', 12, 1, NEXT_YEAR);
		await page.getByLabel('Start time').fill('18:00');
		await page.getByLabel('End time').fill('20:00');
		await press('facilitator', page.getByRole('button', { name: 'Add the session' }));
		await expectNotice(/The session has been added/);
		assert.ok(await page.getByText('Demo first session').count(), 'the new session is not shown after adding it');
	});
	test('2. the local person adds an idea in the group', async () => {
		assert.ok(ids.group, 'step 1 did not create the group');
		await as('local');
		await go('local', `/groups/${ids.group}`);
		const sessions = page.getByRole('region', { name: 'Sessions coming up' });
		assert.match(await sessions.innerText(), new RegExp(`12 January ${NEXT_YEAR}[^]*6pm to 8pm`), 'the group page does not show the local person the session');
		await go('local', `/groups/${ids.group}/ideas/new`);
		await page.getByRole('radio', { name: 'Loneliness and social isolation' }).check();
		await page.getByLabel('A short name for the idea').fill(IDEA);
		await page.getByLabel('Describe the idea').fill('Demo: young carers rarely get an evening to themselves. A weekly drop-in with food and someone to talk to.');
		await page.getByLabel('Tags (optional)').fill('young carers, drop-in');
		await press('local', page.getByRole('button', { name: 'Add the idea' }));
		ids.idea = idFrom(/^\/ideas\/(\d+)$/);
		await expectNotice(/Your idea has been added/);
		assert.ok(await page.getByRole('heading', { level: 1, name: IDEA }).count(), 'the idea page does not show its title');
	});

	test('3. the decision-maker comments on the idea', async () => {
		assert.ok(ids.idea, 'step 2 did not create the idea');
		await as('dm');
		await go('dm', `/ideas/${ids.idea}`);
		await page.getByLabel('Add a comment').fill(COMMENT);
		await press('dm', page.getByRole('button', { name: 'Add comment' }));
		await expectNotice(/Your comment has been added/);
		const comments = page.locator('#comments ~ *');
		assert.ok(await page.getByText(COMMENT).count(), 'the comment is not on the idea page');
		assert.ok(await comments.getByText(PEOPLE.dm.name).count(), 'the comment does not say who made it');
	});

	test('4. the group decides together and the idea becomes a concept, then a proposal', async () => {
		assert.ok(ids.idea, 'step 2 did not create the idea');
		await as('facilitator');
		await go('facilitator', `/groups/${ids.group}/decisions/new?idea=${ids.idea}`);
		await page.getByLabel('What is the group deciding?').fill(QUESTION);
		const idea = await page.getByLabel('Which idea is it about?').inputValue();
		assert.strictEqual(idea, String(ids.idea), 'the decision form did not start on the idea it was opened from');
		await page.getByRole('radio', { name: /consensus/i }).first().check();
		await press('facilitator', page.getByRole('button', { name: 'Open the decision' }));
		ids.decision = idFrom(/^\/decisions\/(\d+)$/);
		await expectNotice(/Decision opened/);

		for (const who of ['local', 'dm']) {
			await as(who);
			await go(who, `/decisions/${ids.decision}`);
			await page.getByRole('radio', { name: 'I agree' }).check();
			await page.getByLabel(/^Why\?/).fill(`Demo: ${who === 'local' ? 'it is what we need' : 'we can support this'}.`);
			await press(who, page.getByRole('button', { name: 'Give my position' }));
			await expectNotice(/Position recorded/);
			assert.match(await page.locator('#stance').innerText(), /You said: Agree/);
		}

		await as('facilitator');
		await go('facilitator', `/decisions/${ids.decision}`);
		const table = page.getByRole('region', { name: "Each person's position" });
		for (const who of ['local', 'dm'])
			assert.ok(await table.getByText(PEOPLE[who].name).count(), `${PEOPLE[who].name}'s position is not shown`);
		await page.getByRole('radio', { name: 'Make it a concept if the decision carries' }).check();
		await press('facilitator', page.getByRole('button', { name: 'Close and work out the result' }));
		await expectNotice(/Decision closed/);
		assert.match(await page.getByRole('heading', { level: 2, name: /^Result:/ }).innerText(), /Carried/i);

		await go('facilitator', `/ideas/${ids.idea}`);
		assert.match(await page.locator('h1 ~ p strong.govuk-tag').first().innerText(), /Concept/i);
		seen.statusRadioNamed = (await page.getByRole('radio', { name: 'Proposal' }).count()) > 0;
		await page.getByRole('radio', { name: 'Proposal' }).check();
		await page.getByLabel('Note (optional)').fill('Demo: the group and decision-makers agreed the concept at the session.');
		await press('facilitator', page.getByRole('button', { name: 'Change status' }));
		await expectNotice(/status has been changed/);
		assert.match(await page.locator('h1 ~ p strong.govuk-tag').first().innerText(), /Proposal/i);
	});

	test('5. the programme lead adds a Board meeting and submits the proposal to it', async () => {
		assert.ok(ids.idea, 'step 2 did not create the idea');
		await as('lead');
		await go('lead', '/board');
		await go('lead', '/board/meetings/new');
		await page.getByLabel('Title').fill(MEETING);
		await dateFields('Date of the meeting', 17, 3, NEXT_YEAR);
		await page.getByLabel('Where it meets (optional)').fill('Demo Civic Centre');
		await press('lead', page.getByRole('button', { name: 'Add meeting' }));
		ids.meeting = idFrom(/^\/board\/meetings\/(\d+)$/);
		seen.meetingNotice = (await page.locator('.govuk-notification-banner').count()) > 0;
		assert.ok(await page.getByRole('heading', { level: 1, name: MEETING }).count(), 'the meeting page does not show its title');

		await go('lead', `/board/meetings/${ids.meeting}/proposals/new`);
		await page.getByRole('radio', { name: IDEA }).check();
		await page.getByLabel('Summary of the proposal').fill('Demo: a weekly evening drop-in for young carers, developed by the Demo Journey Group with the council.');
		await page.getByLabel('What is the Board asked to do?').fill('Demo: support the proposal and agree funding for a year.');
		await page.getByLabel('Funding sought (optional)').fill('4,800.00');
		await page.getByLabel('Where the funding is sought from').fill('Demo Wellbeing Fund');
		await press('lead', page.getByRole('button', { name: 'Submit proposal' }));
		assert.ok(await page.getByRole('heading', { name: IDEA }).count(), 'the proposal is not on the meeting page after submitting it');
		assert.ok(await page.getByText('Awaiting decision').count(), 'the proposal does not show it awaits the Board');
	});

	test('6. a Board member records that the Board supported it', async () => {
		assert.ok(ids.meeting, 'step 5 did not create the meeting');
		await as('board');
		await go('board', `/board/meetings/${ids.meeting}`);
		const link = page.getByRole('link', { name: `Record the Board’s decision on ${IDEA}` });
		const href = await link.getAttribute('href');
		ids.paper = Number(href.match(/^\/board\/proposals\/(\d+)\/decision$/)[1]);
		await link.focus();
		await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
		await check('board', 'the decision form');
		await page.getByRole('radio', { name: 'Supported', exact: true }).check();
		await page.getByLabel('Conditions (optional)').fill('Demo: report back to the Board in six months.');
		await page.getByLabel('Funding agreed (optional)').fill('4,800');
		await page.getByLabel('Where the agreed funding comes from').fill('Demo Wellbeing Fund');
		await press('board', page.getByRole('button', { name: 'Record decision' }));
		assert.strictEqual(new URL(page.url()).pathname, `/board/meetings/${ids.meeting}`);
		const card = page.locator('.app-card', { has: page.getByRole('heading', { name: IDEA }) });
		assert.match(await card.locator('.govuk-tag').first().innerText(), /^Supported$/);
		assert.ok(await card.getByText('Demo: report back to the Board in six months.').count(), 'the conditions are not shown');
	});

	test('7. the programme lead starts the co-delivery plan and adds an action', async () => {
		assert.ok(ids.paper, 'step 6 did not record the decision');
		await as('lead');
		await go('lead', `/board/meetings/${ids.meeting}`);
		await press('lead', page.getByRole('button', { name: `Start the co-delivery plan for ${IDEA}` }));
		ids.plan = idFrom(/^\/delivery\/(\d+)$/);
		await expectNotice(/Co-delivery plan started/);
		const addAction = page.getByRole('button', { name: 'Add an action' });
		assert.ok(await addAction.count(), 'the new plan has no way to add an action');
		await addAction.focus();
		await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
		await check('lead', 'the action form');
		await page.getByLabel('What needs doing?').fill(ACTION);
		await choose('Who owns it?', 'Demo City Council');
		await dateFields('When is it due?', 30, 4, NEXT_YEAR);
		await press('lead', page.getByRole('button', { name: 'Add action' }));
		assert.strictEqual(new URL(page.url()).pathname, `/delivery/${ids.plan}`);
		await expectNotice(/Action added/);
		assert.ok(await page.getByText(ACTION).count(), 'the action is not on the plan');
	});

	test('8. the local person sees what became of their idea', async () => {
		assert.ok(ids.plan, 'step 7 did not make the plan');
		await as('local');
		await go('local', '/home');
		const mine = page.locator('li', { has: page.getByRole('link', { name: IDEA }) });
		assert.ok(await mine.count(), 'the idea is not under "Your ideas" on the home page');
		// Starting the co-delivery plan moved the supported idea on to delivery.
		assert.strictEqual(await mine.first().locator('.govuk-tag').innerText(), 'In delivery');

		await go('local', '/you-said-we-did');
		const card = page.locator('.govuk-summary-card', { has: page.getByRole('link', { name: IDEA }) });
		assert.ok(await card.count(), 'the idea is not on you said, we did');
		const text = (await card.innerText()).replace(/\s+/g, ' ');
		assert.match(text, /In delivery/);
		assert.match(text, /The Board said: Demo: report back to the Board in six months\./);
		assert.doesNotMatch(text, new RegExp(PEOPLE.local.name), 'you said, we did names the local person');
		const plan = card.getByRole('link', { name: /See how its delivery is going/ });
		assert.ok(await plan.count(), 'you said, we did does not link to the delivery plan');
		await plan.focus();
		await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
		await check('local', 'the plan, from you said, we did');
		assert.ok(await page.getByText(ACTION).count(), 'the plan does not show the action to the local person');
	});

	test('adding a Board meeting confirms it was added', () => {
		assert.ok(seen.meetingNotice, 'after adding a Board meeting, the page it leads to has no confirmation');
	});

	test('the radios that move an idea on are named by their labels', () => {
		assert.ok(seen.statusRadioNamed, 'on the idea page, the "Proposal" status radio has no accessible name');
	});

	test('no page on the journey uses an id twice', () => {
		assert.deepStrictEqual([...duplicateIds], []);
	});

	test('nothing on the journey is blocked by the Content Security Policy and no script fails', (t) => {
		t.diagnostic(`checked with axe-core: ${visited.length} pages`);
		assert.deepStrictEqual(problems, []);
	});
});
