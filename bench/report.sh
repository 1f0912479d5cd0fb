#!/usr/bin/env bash
# bench/report.sh: how long does `coprod report` take to write the demo's half-year
# Board report as a PDF? The target is under one second on this machine.
#
# Makes a demo database, then runs the command RUNS times (default 7) for each of: the
# PDF (cairo and pango: layout twice, for "Page N of M"), and as the reference in the same
# run the HTML and the CSV of the same report. Prints each run and the median of each, and
# checks the PDF once with pdfinfo (tagged, its pages) and pdftotext.
#
# Not a test (scripts/test.sh never runs it). See "The Board report" in bench/README.md.
#
#   bash bench/report.sh
#   BENCH_RUNS=15 COPROD_BIN=build-reports/coprod bash bench/report.sh
set -euo pipefail
export LC_ALL=C

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD
BUILD_DIR=${BUILD_DIR:-build}
COPROD=${COPROD_BIN:-$ROOT/$BUILD_DIR/coprod}
RUNS=${BENCH_RUNS:-7}
FROM=${BENCH_FROM:-2022-07-01}
TO=${BENCH_TO:-2022-12-31}

[ -x "$COPROD" ] || { echo "bench: $COPROD is missing; build coprod first" >&2; exit 1; }
if ! "$COPROD" report --help >/dev/null 2>&1; then
	echo "bench: $COPROD has no report command" >&2
	exit 1
fi
for tool in pdfinfo pdftotext; do
	command -v "$tool" >/dev/null || { echo "bench: $tool is missing (poppler-utils)" >&2; exit 1; }
done

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
COPROD_TEST_FAST_HASH=1 "$COPROD" demo --db "$WORK/demo.db" >/dev/null 2>&1

# Milliseconds since the epoch, from date's nanoseconds.
now_ms() {
	local ns
	ns=$(date +%s%N)
	echo $((ns / 1000000))
}

# Runs the report RUNS times in FORMAT and prints one line per run and the median.
measure() {
	local format=$1 times=() start end i median
	for ((i = 1; i <= RUNS; i++)); do
		start=$(now_ms)
		"$COPROD" report --db "$WORK/demo.db" --from "$FROM" --to "$TO" --format "$format" \
			--out "$WORK/report.$format" --prepared "$TO" 2>>"$WORK/errors"
		end=$(now_ms)
		times+=($((end - start)))
	done
	median=$(printf '%s\n' "${times[@]}" | sort -n | sed -n "$(((RUNS + 1) / 2))p")
	printf '%-5s runs (ms): %s\n' "$format" "${times[*]}"
	printf '%-5s median: %d ms, %d bytes\n' "$format" "$median" "$(wc -c <"$WORK/report.$format")"
	echo "$median" >"$WORK/median.$format"
}

echo "coprod report, demo database, $FROM to $TO, $RUNS runs each"
echo "machine: $(nproc) cores, $(uname -sr)"
measure pdf
measure html
measure csv

pdf_ms=$(cat "$WORK/median.pdf")
pages=$(pdfinfo "$WORK/report.pdf" | sed -n 's/^Pages: *//p')
tagged=$(pdfinfo "$WORK/report.pdf" | sed -n 's/^Tagged: *//p')
words=$(pdftotext "$WORK/report.pdf" - | wc -w)
echo "pdf: $pages pages, tagged: $tagged, $words words of text"
if [ "$pdf_ms" -lt 1000 ]; then
	echo "target met: the PDF takes $pdf_ms ms (under 1 s)"
else
	echo "target missed: the PDF takes $pdf_ms ms (target under 1 s)"
	exit 1
fi
