// meetings.test.js: group sessions through the real server: a facilitator adding a
// session and a fortnightly schedule, moving and cancelling with a notice recorded,
// taking attendance; members seeing the session, its venue's access and their own
// attendance; calendars (one session, and a personal feed at a secret address) in
// correct iCalendar; people outside the group finding nothing.
'use strict';

const { test, before, after } = require('node:test');
const assert = require('assert');
const { startServer } = require('./lib');
const { sql, submit, textOf } = require('./helpers_basic');

const PASSWORD = 'demo-password-2026';
const LOCAL = 'local.person@example.org';
const FACILITATOR = 'facilitator@example.org';
const MAKER = 'decision.maker@example.org';
const HOSTILE = '<script>alert("x")</script>; a, b\\c';

let srv;
let fac;
let local;
let groupPath;
let meetingPath;

async function signedIn(email) {
	const c = srv.client();
	const res = await c.signIn(email, PASSWORD);
	assert.strictEqual(res.status, 303, `signing in as ${email}: ${res.status}`);
	return c;
}

function summary(html) {
	const m = html.match(/<div class="govuk-error-summary"[\s\S]*?<\/ul>/);
	return m ? textOf(m[0]).replace(/\s+/g, ' ').trim() : '';
}

function main(html) {
	const m = html.match(/<main[\s\S]*<\/main>/);
	return m ? textOf(m[0]).replace(/\s+/g, ' ') : html;
}

// Unfolds iCalendar text after checking every line ends in CRLF and is at most 75 octets.
function unfold(ics) {
	assert.ok(ics.endsWith('\r\n'));
	for (const line of ics.slice(0, -2).split('\r\n')) {
		assert.ok(Buffer.byteLength(line) <= 75, `line longer than 75 octets: ${line}`);
		assert.ok(!line.includes('\n') && !line.includes('\r'), 'bare line break');
	}
	return ics.replace(/\r\n /g, '');
}

const year = new Date().getUTCFullYear() + 1;

before(async () => {
	srv = await startServer();
	sql(srv.dbPath, "INSERT INTO programmes (slug, name, summary, created_at, updated_at) VALUES ('test-meetings', 'Test meetings programme', 'For tests', '2022-01-01T00:00:00Z', '2022-01-01T00:00:00Z')");
	fac = await signedIn(FACILITATOR);
	local = await signedIn(LOCAL);
	const prog = String(sql(srv.dbPath, "SELECT id FROM programmes WHERE slug = 'test-meetings'")[0].id);
	let res = await submit(fac, '/groups/new', '/groups/new', { programme_id: prog, name: 'Meetings test group' });
	assert.strictEqual(res.status, 303);
	groupPath = new URL(res.headers.location, srv.url).pathname;
	const who = String(sql(srv.dbPath, `SELECT id FROM accounts WHERE email = '${LOCAL}'`)[0].id);
	res = await submit(fac, `${groupPath}/members/new`, `${groupPath}/members/new`, {
		account_id: who, role: 'local_person', 'joined_on-day': '1', 'joined_on-month': '1', 'joined_on-year': '2022',
	});
	assert.strictEqual(res.status, 303);
	res = await submit(fac, '/venues/new', '/venues/new', {
		name: 'Test Hall, Room 1; upstairs', address: '1 Test Street', postcode: 'M5 4WT', step_free: 'yes',
	});
	assert.strictEqual(res.status, 303);
});

after(async () => {
	if (srv) await srv.stop();
});

function venueId() {
	return String(sql(srv.dbPath, "SELECT id FROM venues WHERE postcode = 'M5 4WT'")[0].id);
}

test('a facilitator adds a session; mistakes are explained with what was typed kept', async () => {
	let res = await submit(fac, `${groupPath}/sessions/new`, `${groupPath}/sessions/new`, {
		title: HOSTILE, 'date-day': '30', 'date-month': '2', 'date-year': String(year), start: '19:00', end: '18:00', venue_id: venueId(),
	});
	assert.strictEqual(res.status, 400);
	const s = summary(res.body);
	assert.match(s, /Enter a real date/);
	assert.match(s, /The end time must be after the start time/);
	assert.ok(res.body.includes('value="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;; a, b\\c"'));

	res = await submit(fac, `${groupPath}/sessions/new`, `${groupPath}/sessions/new`, {
		title: HOSTILE, 'date-day': '10', 'date-month': '3', 'date-year': String(year), start: '18:00', end: '20:00', venue_id: venueId(),
	});
	assert.strictEqual(res.status, 303);
	meetingPath = new URL(res.headers.location, srv.url).pathname;
	const page = await fac.get(res.headers.location);
	assert.strictEqual(page.status, 200);
	assert.ok(!page.body.includes('<script>alert'));
	const text = main(page.body);
	assert.match(text, new RegExp(`10 March ${year}`));
	assert.match(text, /6pm to 8pm/);
	assert.match(text, /Step-free access/);
	assert.match(text, /No hearing loop/);
});

test('members see the session and its venue; others find nothing', async () => {
	const page = await local.get(meetingPath);
	assert.strictEqual(page.status, 200);
	assert.match(main(page.body), /Test Hall, Room 1; upstairs/);
	assert.ok(!page.body.includes('/attendance'), 'no attendance button for members');
	assert.strictEqual((await local.get(`${meetingPath}/attendance`)).status, 403);
	assert.strictEqual((await local.get(`${meetingPath}/cancel`)).status, 403);
	const maker = await signedIn(MAKER);
	assert.strictEqual((await maker.get(meetingPath)).status, 404);
	assert.strictEqual((await maker.get(`${meetingPath}/calendar.ics`)).status, 404);
	assert.strictEqual((await maker.get('/meetings/99999999')).status, 404);
	const home = await local.get('/groups');
	assert.match(main(home.body), /Meetings test group/);
});

test('one session as a calendar file: correct iCalendar, escaped, with its time zone', async () => {
	const res = await local.get(`${meetingPath}/calendar.ics`);
	assert.strictEqual(res.status, 200);
	assert.match(res.headers['content-type'], /^text\/calendar; charset=utf-8/);
	const ics = unfold(res.body);
	assert.match(ics, /^BEGIN:VCALENDAR\r\nVERSION:2\.0\r\n/);
	assert.match(ics, /BEGIN:VTIMEZONE\r\nTZID:Europe\/London\r\n/);
	assert.match(ics, new RegExp(`DTSTART;TZID=Europe/London:${year}0310T180000\\r\\n`));
	assert.match(ics, new RegExp(`DTEND;TZID=Europe/London:${year}0310T200000\\r\\n`));
	assert.match(ics, /DTSTAMP:\d{8}T\d{6}Z\r\n/);
	assert.match(ics, /SEQUENCE:0\r\n/);
	assert.match(ics, /STATUS:CONFIRMED\r\n/);
	assert.ok(ics.includes('SUMMARY:<script>alert("x")</script>\\; a\\, b\\\\c\r\n'), 'TEXT escaping');
	assert.ok(ics.includes('LOCATION:Test Hall\\, Room 1\\; upstairs\\, 1 Test Street\\, M5 4WT\r\n'));
	assert.match(ics, /END:VEVENT\r\nEND:VCALENDAR\r\n$/);
});

test('moving and cancelling: a notice is recorded and calendars see the change', async () => {
	const uid = unfold((await local.get(`${meetingPath}/calendar.ics`)).body).match(/UID:(.*)\r\n/)[1];
	let res = await submit(fac, `${meetingPath}/move`, `${meetingPath}/move`, {
		'date-day': '17', 'date-month': '3', 'date-year': String(year), start: '17:30', end: '19:30', message: '',
	});
	assert.strictEqual(res.status, 400);
	assert.match(summary(res.body), /Enter what to tell the group’s members/);
	res = await submit(fac, `${meetingPath}/move`, `${meetingPath}/move`, {
		'date-day': '17', 'date-month': '3', 'date-year': String(year), start: '17:30', end: '19:30',
		message: 'Moved a week later because the hall is booked',
	});
	assert.strictEqual(res.status, 303);
	let page = await fac.get(res.headers.location);
	assert.match(main(page.body), /notice recorded by Demo Facilitator Priya on .*, not yet sent/);
	assert.match(main(page.body), new RegExp(`17 March ${year}`));
	let ics = unfold((await local.get(`${meetingPath}/calendar.ics`)).body);
	assert.ok(ics.includes(`UID:${uid}\r\n`), 'the same UID');
	assert.match(ics, /SEQUENCE:1\r\n/);
	assert.match(ics, new RegExp(`DTSTART;TZID=Europe/London:${year}0317T173000`));

	res = await submit(fac, `${meetingPath}/cancel`, `${meetingPath}/cancel`, { message: 'Cancelled: snow' });
	assert.strictEqual(res.status, 303);
	page = await local.get(meetingPath);
	assert.match(main(page.body), /Cancelled/);
	assert.match(main(page.body), /Cancelled: snow/);
	ics = unfold((await local.get(`${meetingPath}/calendar.ics`)).body);
	assert.match(ics, /STATUS:CANCELLED\r\n/);
	assert.match(ics, /SEQUENCE:2\r\n/);
	const mid = meetingPath.split('/').pop();
	assert.strictEqual(sql(srv.dbPath, `SELECT COUNT(*) AS n FROM session_notices WHERE session_id = ${mid}`)[0].n, 2);
	// A cancelled session cannot be cancelled again or have attendance taken.
	assert.strictEqual((await fac.get(`${meetingPath}/cancel`)).status, 303);
	assert.strictEqual((await fac.get(`${meetingPath}/attendance`)).status, 404);
});

test('a schedule makes the sessions, at most 200 at once', async () => {
	let res = await submit(fac, `${groupPath}/schedule`, `${groupPath}/schedule`, {
		title: 'Fortnightly', 'date-day': '1', 'date-month': '1', 'date-year': String(year + 1),
		every_days: '1', 'until-day': '31', 'until-month': '12', 'until-year': String(year + 1), start: '18:00', end: '20:00',
	});
	assert.strictEqual(res.status, 400);
	assert.match(summary(res.body), /Make at most 200 at once/);
	res = await submit(fac, `${groupPath}/schedule`, `${groupPath}/schedule`, {
		title: 'Fortnightly', 'date-day': '1', 'date-month': '1', 'date-year': String(year + 1),
		every_days: '14', 'until-day': '26', 'until-month': '2', 'until-year': String(year + 1), start: '18:00', end: '20:00',
		venue_id: venueId(),
	});
	assert.strictEqual(res.status, 303);
	const n = sql(srv.dbPath, "SELECT COUNT(*) AS n FROM group_sessions WHERE title = 'Fortnightly'")[0].n;
	assert.strictEqual(n, 5);
	const page = await local.get(groupPath);
	assert.match(main(page.body), new RegExp(`1 January ${year + 1}`));
});

test('attendance is taken for each person expected, and members see their own', async () => {
	const id = sql(srv.dbPath, "SELECT id FROM group_sessions WHERE title = 'Fortnightly' ORDER BY starts_at LIMIT 1")[0].id;
	const who = sql(srv.dbPath, `SELECT id FROM accounts WHERE email = '${LOCAL}'`)[0].id;
	let res = await fac.post(`/meetings/${id}/attendance`, { csrf: await fac.csrf(`/meetings/${id}/attendance`), [`status-${who}`]: 'maybe' });
	assert.strictEqual(res.status, 400);
	assert.match(summary(res.body), /Choose present, sent apologies or absent/);
	res = await submit(fac, `/meetings/${id}/attendance`, `/meetings/${id}/attendance`, { [`status-${who}`]: 'apologies' });
	assert.strictEqual(res.status, 303);
	const page = await local.get(`/meetings/${id}`);
	assert.match(main(page.body), /Your attendance: Sent apologies/);
	assert.strictEqual(sql(srv.dbPath, `SELECT status FROM attendance WHERE session_id = ${id}`)[0].status, 'apologies');

	// On a phone, a facilitator answers for those who were not there and marks the rest present.
	const next = sql(srv.dbPath, "SELECT id FROM group_sessions WHERE title = 'Fortnightly' ORDER BY starts_at LIMIT 1 OFFSET 1")[0].id;
	const expected = sql(srv.dbPath, `SELECT COUNT(*) AS n FROM session_invitees WHERE session_id = ${next}`)[0].n;
	assert.ok(expected >= 2, 'the session expects several people');
	const form = await fac.get(`/meetings/${next}/attendance`);
	assert.match(form.body, /name="rest" value="present"/, 'the page offers to mark the rest present');
	res = await fac.post(`/meetings/${next}/attendance`, { csrf: await fac.csrf(`/meetings/${next}/attendance`), [`status-${who}`]: 'absent', rest: 'present' });
	assert.strictEqual(res.status, 303);
	const rows = sql(srv.dbPath, `SELECT account_id, status FROM attendance WHERE session_id = ${next}`);
	assert.strictEqual(rows.length, expected, 'everyone expected now has an answer');
	for (const row of rows) assert.strictEqual(row.status, row.account_id === who ? 'absent' : 'present');
});

test('a personal calendar feed at a secret address, replaced by a new one', async () => {
	let page = await local.get('/calendar');
	assert.strictEqual(page.status, 200);
	let res = await local.post('/calendar', { csrf: await local.csrf('/calendar', page.body) });
	assert.strictEqual(res.status, 200);
	const feed = res.body.match(/action="(\/calendar\/[0-9a-f]{64}\.ics)"/)[1];
	// Calendar apps have no cookies.
	const app = srv.client();
	let ics = await app.get(feed);
	assert.strictEqual(ics.status, 200);
	assert.match(ics.headers['content-type'], /^text\/calendar/);
	const text = unfold(ics.body);
	// Ours: five fortnightly sessions and the cancelled one (the demo may add more).
	assert.strictEqual((text.match(/SUMMARY:Fortnightly\r\n/g) || []).length, 5);
	assert.ok(text.includes(`UID:${sql(srv.dbPath, `SELECT uid FROM group_sessions WHERE id = ${meetingPath.split('/').pop()}`)[0].uid}`));
	assert.match(text, /STATUS:CANCELLED/);
	// Only the hash is stored.
	assert.ok(!JSON.stringify(sql(srv.dbPath, 'SELECT token_hash FROM calendar_feeds')).includes(feed.slice(10, 74)));
	res = await local.post('/calendar', { csrf: await local.csrf('/calendar') });
	assert.strictEqual(res.status, 200);
	assert.strictEqual((await app.get(feed)).status, 404);
	assert.strictEqual((await app.get('/calendar/nothing.ics')).status, 404);
	assert.strictEqual((await app.get('/calendar')).status, 303);
});

test('members see which past sessions they came to', async () => {
	const past = new Date().getUTCFullYear() - 1;
	let res = await submit(fac, `${groupPath}/sessions/new`, `${groupPath}/sessions/new`, {
		title: 'Last year', 'date-day': '5', 'date-month': '4', 'date-year': String(past), start: '10:00', end: '12:00',
	});
	assert.strictEqual(res.status, 303);
	const path = new URL(res.headers.location, srv.url).pathname;
	const who = sql(srv.dbPath, `SELECT id FROM accounts WHERE email = '${LOCAL}'`)[0].id;
	res = await submit(fac, `${path}/attendance`, `${path}/attendance`, { [`status-${who}`]: 'present' });
	assert.strictEqual(res.status, 303);
	const page = await local.get(groupPath);
	assert.match(main(page.body), new RegExp(`5 April ${past} \\(your attendance: Present\\)`));
	// The facilitator sees the session as held, and it needs no more attendance.
	const home = await fac.get(path);
	assert.match(main(home.body), /Change attendance/);
});
