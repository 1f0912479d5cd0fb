// select_cli.test.js: `coprod select` as someone comparing coprod's fair selection with
// other tools uses it: the Sortition Foundation's files in, each volunteer's LEXIMIN
// probability out, a summary on standard error, every bad line named by its number, and
// impossible quotas answered with the smallest change that would make them possible.
'use strict';

const { test, before, after } = require('node:test');
const assert = require('assert');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { coprod } = require('./helpers_basic');

const DATA = path.resolve(__dirname, '..', '..', '..', 'shared', 'data', 'sortition');
const haveData = fs.existsSync(path.join(DATA, 'paper', 'example_small_20', 'categories.csv'));
let dir;

before(() => {
	dir = fs.mkdtempSync(path.join(os.tmpdir(), 'coprod-select-'));
});
after(() => fs.rmSync(dir, { recursive: true, force: true }));

function file(name, text) {
	const p = path.join(dir, name);
	fs.writeFileSync(p, text);
	return p;
}

function parseCsv(text) {
	const lines = text.split(/\r?\n/).filter((l) => l !== '');
	assert.strictEqual(lines[0], 'id,probability', 'the header comes first');
	return lines.slice(1).map((l) => {
		const i = l.lastIndexOf(',');
		return { id: l.slice(0, i), p: Number(l.slice(i + 1)) };
	});
}

async function select(args, opts) {
	return coprod(['select', ...args], { timeout: 120000, ...opts });
}

function skipUnlessReady(t) {
	if (!haveData) {
		t.skip(`no data at ${DATA}`);
		return true;
	}
	return false;
}

test('the paper\'s example_small_20: everyone 10%, ids are row numbers, a summary on stderr', async (t) => {
	if (skipUnlessReady(t)) return;
	const d = path.join(DATA, 'paper', 'example_small_20');
	const r = await select(['--categories', path.join(d, 'categories.csv'),
		'--respondents', path.join(d, 'respondents.csv'), '--k', '20']);
	assert.strictEqual(r.code, 0, r.stderr);
	const rows = parseCsv(r.stdout);
	assert.strictEqual(rows.length, 200);
	rows.forEach((row, i) => assert.strictEqual(row.id, String(i)));
	const sum = rows.reduce((s, row) => s + row.p, 0);
	assert.ok(Math.abs(sum - 20) < 1e-5, `probabilities sum to k: ${sum}`);
	for (const row of rows) assert.ok(Math.abs(row.p - 0.1) < 1e-6, `${row.id}: ${row.p}`);
	assert.match(r.stderr, /minimum probability 0\.100000000/);
	assert.match(r.stderr, /time \d+\.\d+ s/);
	assert.match(r.stderr, /panels used: \d+/);
	assert.match(r.stderr, /peak memory \d+ KiB/);
});

test('example_large_200 (2,000 people) in well under a second of solving', async (t) => {
	if (skipUnlessReady(t)) return;
	const d = path.join(DATA, 'paper', 'example_large_200');
	const r = await select(['--categories', path.join(d, 'categories.csv'),
		'--respondents', path.join(d, 'respondents.csv'), '--k', '200']);
	assert.strictEqual(r.code, 0, r.stderr);
	const rows = parseCsv(r.stdout);
	assert.strictEqual(rows.length, 2000);
	assert.ok(Math.min(...rows.map((x) => x.p)) > 0.1 - 1e-6);
	const secs = Number(r.stderr.match(/time (\d+\.\d+) s/)[1]);
	assert.ok(secs < 1, `took ${secs} s`);
});

test('the Sortition Foundation fixture: its id column, probabilities summing to 22', async (t) => {
	if (skipUnlessReady(t)) return;
	const r = await select(['--categories', path.join(DATA, 'fixtures', 'sf-library-features.csv'),
		'--respondents', path.join(DATA, 'fixtures', 'sf-library-candidates.csv'), '--k', '22',
		'--legacy', '500', '--tickets', '1000']);
	assert.strictEqual(r.code, 0, r.stderr);
	const rows = parseCsv(r.stdout);
	assert.strictEqual(rows.length, 150);
	assert.strictEqual(rows[0].id, 'p0');
	const sum = rows.reduce((s, row) => s + row.p, 0);
	assert.ok(Math.abs(sum - 22) < 1e-5, `sum ${sum}`);
	assert.ok(Math.abs(Math.min(...rows.map((x) => x.p)) - 2 / 22) < 1e-6);
	assert.match(r.stderr, /greedy method \(500 draws\): minimum/);
	assert.match(r.stderr, /lottery: 1000 tickets, each person within [\d.]+% of their probability; SHA-256 [0-9a-f]{64}/);
});

test('OpenDLP\'s example: category,name,min,max with notes, ids from unique_id', async (t) => {
	if (skipUnlessReady(t)) return;
	const d = path.join(DATA, 'fixtures', 'opendlp');
	const r = await select(['--categories', path.join(d, 'Categories_csv_example.csv'),
		'--respondents', path.join(d, 'Respondents_csv_example.csv'), '--k', '20']);
	assert.strictEqual(r.code, 0, r.stderr);
	const rows = parseCsv(r.stdout);
	assert.strictEqual(rows.length, 100);
	assert.strictEqual(rows[0].id, '1');
	const sum = rows.reduce((s, row) => s + row.p, 0);
	assert.ok(Math.abs(sum - 20) < 1e-5);
	// Some volunteers fit on no panel these quotas allow; the summary says how many.
	assert.match(r.stderr, /\d+ people can be on no panel that meets the quotas/);
});

test('coprod select --help explains the options and exit codes', async () => {
	const r = await select(['--help']);
	assert.strictEqual(r.code, 0);
	assert.match(r.stdout, /--categories FILE/);
	assert.match(r.stdout, /2 the quotas cannot be met/);
	const none = await select([]);
	assert.strictEqual(none.code, 1);
	assert.match(none.stderr, /--categories, --respondents and --k are all needed/);
});

test('bad quotas: each bad line named by its number, exit 1', async () => {
	const cats = file('bad-cats.csv', 'category,feature,min,max\ngender,woman,3,1\ngender,man,-2,4\nage,young,one,2\n');
	const resp = file('ok-resp.csv', 'gender,age\nwoman,young\nman,young\n');
	const r = await select(['--categories', cats, '--respondents', resp, '--k', '1']);
	assert.strictEqual(r.code, 1, r.out);
	assert.match(r.stderr, /bad-cats\.csv line 2: gender, woman: min 3 is more than max 1/);
	assert.match(r.stderr, /line 3: min must be a whole number, 0 or more \(found "-2"\)/);
	assert.match(r.stderr, /line 4: min must be a whole number/);
	assert.strictEqual(r.stdout, '', 'nothing on standard output');

	const header = file('bad-header.csv', 'group,option,low,high\na,b,1,2\n');
	const h = await select(['--categories', header, '--respondents', resp, '--k', '1']);
	assert.strictEqual(h.code, 1);
	assert.match(h.stderr, /line 1: the header must be category,feature,min,max/);
});

test('bad pools: unknown values and short lines by number, a panel larger than the pool', async () => {
	const cats = file('cats.csv', 'category,feature,min,max\ngender,woman,1,2\ngender,man,1,2\n');
	const resp = file('resp.csv', 'id,name,gender\nv1,Demo One,woman\nv2,Demo Two,martian\nv3,Demo Three\nv4,Demo Four,man\n');
	const r = await select(['--categories', cats, '--respondents', resp, '--k', '2']);
	assert.strictEqual(r.code, 1, r.out);
	assert.match(r.stderr, /resp\.csv line 3: "martian" is not a value of the category gender/);
	assert.match(r.stderr, /resp\.csv line 4: expected 3 fields, found 2/);

	const missing = file('resp-missing.csv', 'id,sex\nv1,woman\n');
	const m = await select(['--categories', cats, '--respondents', missing, '--k', '1']);
	assert.strictEqual(m.code, 1);
	assert.match(m.stderr, /there is no column for the category gender/);

	const small = file('resp-small.csv', 'gender\nwoman\nman\n');
	const big = await select(['--categories', cats, '--respondents', small, '--k', '3']);
	assert.strictEqual(big.code, 1);
	assert.match(big.stderr, /the panel \(3 places\) is larger than the pool \(2 people\)/);

	for (const k of ['0', '-1', 'abc']) {
		const bad = await select(['--categories', cats, '--respondents', small, '--k', k]);
		assert.strictEqual(bad.code, 1, `--k ${k}`);
		assert.match(bad.stderr, /--k must be a whole number/);
	}
	const none = await select(['--categories', path.join(dir, 'no-such-file.csv'), '--respondents', small, '--k', '1']);
	assert.strictEqual(none.code, 1);
	assert.match(none.stderr, /cannot open .*no-such-file\.csv/);
});

test('impossible quotas: exit 2 with the smallest relaxation, which then works', async () => {
	// Three women wanted, two in the pool.
	const cats = file('tight.csv', 'category,feature,min,max\ngender,woman,3,4\ngender,man,0,4\n');
	const resp = file('pool.csv', 'gender\nwoman\nwoman\nman\nman\nman\nman\n');
	const r = await select(['--categories', cats, '--respondents', resp, '--k', '4']);
	assert.strictEqual(r.code, 2, r.out);
	assert.match(r.stderr, /no panel of 4 can meet every quota/);
	assert.match(r.stderr, /gender, woman: lower the minimum from 3 to 2/);
	const relaxed = r.stderr.slice(r.stderr.indexOf('category,feature,min,max'));
	assert.match(relaxed, /gender,woman,2,4/);
	const again = await select(['--categories', file('relaxed.csv', relaxed), '--respondents', resp, '--k', '4']);
	assert.strictEqual(again.code, 0, again.out);
	const rows = parseCsv(again.stdout);
	assert.deepStrictEqual(rows.map((x) => x.p), [1, 1, 0.5, 0.5, 0.5, 0.5]);
});

test('one per household, and ids that look like formulas are made safe', async () => {
	const cats = file('h-cats.csv', 'category,feature,min,max\nall,x,0,3\n');
	const resp = file('h-resp.csv', 'id,all,address\n"=HYPERLINK(""x"")",x,1 Demo Street\nb2,x,1 Demo Street\nc3,x,2 Demo Street\nd4,x,3 Demo Street\n');
	const r = await select(['--categories', cats, '--respondents', resp, '--k', '3', '--household-column', 'address']);
	assert.strictEqual(r.code, 0, r.out);
	const rows = parseCsv(r.stdout);
	assert.deepStrictEqual(rows.map((x) => x.p), [0.5, 0.5, 1, 1]);
	assert.ok(rows[0].id.startsWith('"\'=HYPERLINK') || rows[0].id.startsWith('\'='),
		`the formula is neutralised: ${rows[0].id}`);
	const no = await select(['--categories', cats, '--respondents', resp, '--k', '3', '--household-column', 'flat']);
	assert.strictEqual(no.code, 1);
	assert.match(no.stderr, /there is no household column named flat/);
});
