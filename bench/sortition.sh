#!/usr/bin/env bash
# bench/sortition.sh: how long fair selection takes: `coprod select` (LEXIMIN with GLPK)
# on the paper's two synthetic instances, the Sortition Foundation's and OpenDLP's
# fixtures, and generated pools of 400, 1,500 and 3,000 volunteers with 7 categories,
# with the time, processor time and peak memory of each run beside the paper's figures
# (Gurobi,
# macOS). Processor time (user + system, from /usr/bin/time) is the fairer figure on a
# machine shared with other work, where the wall-clock time also counts waiting.
#
# Not a test (scripts/test.sh never runs it). See "Fair selection" in bench/README.md.
# Each run is bounded by BENCH_TIMEOUT seconds (the stage-by-stage reference runs by
# STAGES_TIMEOUT, default 120); temporary files are removed on exit.
#
#   bash bench/sortition.sh
#   BENCH_TIMEOUT=120 bash bench/sortition.sh
set -euo pipefail
export LC_ALL=C

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD
BUILD_DIR=${BUILD_DIR:-build}
COPROD=${COPROD_BIN:-$ROOT/$BUILD_DIR/coprod}
DATA=${SORTITION_DATA:-$ROOT/../shared/data/sortition}
TIMEOUT=${BENCH_TIMEOUT:-600}

if [ ! -x "$COPROD" ]; then
	BUILD_DIR=$BUILD_DIR bash scripts/setup.sh
fi
[ -d "$DATA/paper" ] || { echo "bench: no sortition data at $DATA (set SORTITION_DATA)" >&2; exit 1; }

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

# A deterministic pool of N volunteers with 7 categories in uneven, census-like shares
# (gender 3 values, age 6, area 5, ethnicity 5, disability 2, deprivation quintile 5,
# lived experience 2), and quotas for a panel of K: each share times K, floor and
# ceiling, tiny minimums lifted to 2 (sortition.md section 8). The same N and K always
# give the same files.
generate() {
	local n=$1 k=$2 out=$3
	mkdir -p "$out"
	awk -v N="$n" -v K="$k" -v CF="$out/categories.csv" -v RF="$out/respondents.csv" '
	function rnd() { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648 }
	function pick(cat,   u, i, acc) {
		u = rnd(); acc = 0
		for (i = 1; i <= nv[cat]; i++) { acc += share[cat, i]; if (u < acc) return val[cat, i] }
		return val[cat, nv[cat]]
	}
	function def(cat, s,   parts, i, kv) {
		cats[++nc] = cat; nv[cat] = split(s, parts, ";")
		for (i = 1; i <= nv[cat]; i++) { split(parts[i], kv, "="); val[cat, i] = kv[1]; share[cat, i] = kv[2] }
	}
	BEGIN {
		seed = 20211207
		def("gender", "female=0.52;male=0.45;other=0.03")
		def("age", "16-24=0.10;25-34=0.15;35-44=0.17;45-54=0.19;55-64=0.18;65+=0.21")
		def("area", "east=0.22;north=0.19;south=0.20;west=0.21;central=0.18")
		def("ethnicity", "white=0.78;asian=0.08;black=0.06;mixed=0.05;other=0.03")
		def("disability", "yes=0.22;no=0.78")
		def("deprivation", "q1=0.30;q2=0.22;q3=0.18;q4=0.16;q5=0.14")
		def("lived", "yes=0.35;no=0.65")
		print "category,feature,min,max" > CF
		for (c = 1; c <= nc; c++) {
			cat = cats[c]
			for (i = 1; i <= nv[cat]; i++) {
				t = share[cat, i] * K; lo = int(t); hi = (t > lo) ? lo + 1 : lo
				if (lo < 2) lo = 2
				if (hi < lo) hi = lo
				print cat "," val[cat, i] "," lo "," hi > CF
			}
		}
		hdr = "id"
		for (c = 1; c <= nc; c++) hdr = hdr "," cats[c]
		print hdr > RF
		for (p = 0; p < N; p++) {
			line = "v" p
			for (c = 1; c <= nc; c++) line = line "," pick(cats[c])
			print line > RF
		}
	}'
}

# run NAME CATEGORIES RESPONDENTS K PAPER: one timed run, one line of results. MODE_ARGS
# (e.g. --stages-only) and RUN_TIMEOUT apply to the run when set.
run() {
	local name=$1 cats=$2 resp=$3 k=$4 paper=$5 rc=0 secs minp panels types mem cpu=-- how
	local err="$WORK/$name.err" tv="$WORK/$name.time" limit=${RUN_TIMEOUT:-$TIMEOUT}
	# shellcheck disable=SC2086 # MODE_ARGS is a list of options
	if [ -x /usr/bin/time ]; then
		timeout "$limit" /usr/bin/time -v -o "$tv" "$COPROD" select ${MODE_ARGS:-} \
			--categories "$cats" --respondents "$resp" --k "$k" >"$WORK/$name.csv" \
			2>"$err" || rc=$?
	else
		timeout "$limit" "$COPROD" select ${MODE_ARGS:-} --categories "$cats" \
			--respondents "$resp" --k "$k" >"$WORK/$name.csv" 2>"$err" || rc=$?
	fi
	if [ "$rc" -ne 0 ]; then
		if [ "$rc" -eq 124 ]; then
			printf '%-20s %6s %4s  did not finish within %s s (paper: %s)\n' "$name" \
				"$(awk 'END { print NR - 1 }' "$resp")" "$k" "$limit" "$paper"
		else
			printf '%-20s failed (exit %s): %s\n' "$name" "$rc" "$(head -n 3 "$err")"
		fi
		return 0
	fi
	secs=$(sed -n 's/^time \([0-9.]*\) s.*/\1/p' "$err")
	minp=$(sed -n 's/^minimum probability [0-9.]* (\([0-9.]*%\)).*/\1/p' "$err")
	panels=$(sed -n 's/^panels used: \([0-9]*\).*/\1/p' "$err")
	types=$(sed -n 's/.* \([0-9]*\) types of person$/\1/p' "$err")
	how=stages
	if grep -q "peeled into" "$err"; then
		how="peeled $(sed -n 's/.*peeled into \([0-9]*\) panels.*/\1/p' "$err")"
	elif grep -q "quotas' relaxation" "$err"; then
		how="relax+cg"
	fi
	if [ -f "$tv" ]; then
		mem="$(awk -F': ' '/Maximum resident set size/ { printf "%.1f MiB", $2 / 1024 }' "$tv")"
		cpu="$(awk -F': ' '/User time|System time/ { s += $2 } END { printf "%.2f", s }' "$tv")"
	else
		mem="$(sed -n 's/.*peak memory \([0-9]*\) KiB/\1 KiB/p' "$err")"
	fi
	printf '%-20s %6s %4s %6s %9s %9s s %8s s %7s %12s  %-11s %s\n' "$name" \
		"$(awk 'END { print NR - 1 }' "$resp")" "$k" "$types" "$minp" "$secs" "$cpu" "$panels" \
		"$mem" "$how" "$paper"
}

generate 400 35 "$WORK/generated_400"
generate 1500 110 "$WORK/generated_1500"
generate 3000 110 "$WORK/generated_3000"

header() {
	printf '%-20s %6s %4s %6s %9s %11s %10s %7s %12s  %-11s %s\n' instance n k types minimum \
		time "cpu time" panels "peak memory" method "paper (Gurobi 9.0.3)"
}

all() {
	run example_small_20 "$DATA/paper/example_small_20/categories.csv" \
		"$DATA/paper/example_small_20/respondents.csv" 20 "10.0% in 2.7 s"
	run example_large_200 "$DATA/paper/example_large_200/categories.csv" \
		"$DATA/paper/example_large_200/respondents.csv" 200 "10.0% in 1161.8 s"
	run sf_library_150 "$DATA/fixtures/sf-library-features.csv" \
		"$DATA/fixtures/sf-library-candidates.csv" 22 "-- (SciPy/HiGHS scratch: 9.09% in 1.9 s)"
	run opendlp_100 "$DATA/fixtures/opendlp/Categories_csv_example.csv" \
		"$DATA/fixtures/opendlp/Respondents_csv_example.csv" 20 "--"
	run generated_400 "$WORK/generated_400/categories.csv" \
		"$WORK/generated_400/respondents.csv" 35 "-- (sf_d, 404/40/6 cat.: 46.2 s)"
	run generated_1500 "$WORK/generated_1500/categories.csv" \
		"$WORK/generated_1500/respondents.csv" 110 "-- (sf_e, 1727/110/7 cat.: 4011.6 s)"
	run generated_3000 "$WORK/generated_3000/categories.csv" \
		"$WORK/generated_3000/respondents.csv" 110 "--"
}

echo "coprod select (LEXIMIN, GLPK $(awk '/GLP_MAJOR_VERSION|GLP_MINOR_VERSION/ { printf "%s%s", s, $3; s = "." }' /usr/include/glpk.h 2>/dev/null)) on $(nproc) cores, $(date -u +%Y-%m-%d)"
header
all
# The reference in the same run: the same instances found stage by stage, as before the
# quick way through the relaxation, each bounded by STAGES_TIMEOUT seconds.
echo
echo "the same, stage by stage (--stages-only), each within ${STAGES_TIMEOUT:-120} s"
header
MODE_ARGS=--stages-only RUN_TIMEOUT=${STAGES_TIMEOUT:-120} all
