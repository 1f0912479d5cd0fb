#!/usr/bin/env bash
# test.sh: everything that must pass before a change lands; CI runs exactly this.
#
# Stages, each reported on its own and counted in the last line:
#   1. setup          Debian and npm packages, and the normal build (scripts/setup.sh)
#   2. tests          unit and HTTP tests against build/ (ctest)
#   3. browser        browser tests with axe-core against build/coprod
#   4. asan-tests     the same ctest on an AddressSanitizer + UBSan build
#   5. asan-browser   the browser tests again against the sanitizer build
#   6. fuzz           every fuzz target for FUZZ_SECONDS (default 20) from its seed corpus
# The last line is "N passed, N failed" (and ", N skipped" when a stage had
# nothing to run yet); the exit status is non-zero when any stage failed.
#
# Environment: FUZZ_SECONDS; BUILD_DIR, ASAN_BUILD_DIR, FUZZ_BUILD_DIR to build
# somewhere other than build/, build-asan/, build-fuzz/. CI=true changes nothing.
# shellcheck disable=SC2317 # the stage functions are called through run_stage
set -uo pipefail
export LC_ALL=C

cd "$(dirname "${BASH_SOURCE[0]}")/.." || exit 1
ROOT=$PWD
BUILD_DIR=${BUILD_DIR:-build}
ASAN_BUILD_DIR=${ASAN_BUILD_DIR:-build-asan}
FUZZ_BUILD_DIR=${FUZZ_BUILD_DIR:-build-fuzz}
FUZZ_SECONDS=${FUZZ_SECONDS:-20}
# A stage that hangs must not eat CI's whole budget.
BROWSER_TIMEOUT=${BROWSER_TIMEOUT:-1200}

SKIP=77
passed=0
failed=0
skipped=0
summary=()

run_stage() {
	local name=$1
	shift
	local start=$SECONDS rc
	printf '\n==== %s ====\n' "$name"
	"$@"
	rc=$?
	local took=$((SECONDS - start)) result
	if [ "$rc" -eq 0 ]; then
		result=passed
		passed=$((passed + 1))
	elif [ "$rc" -eq "$SKIP" ]; then
		result=skipped
		skipped=$((skipped + 1))
	else
		result=FAILED
		failed=$((failed + 1))
	fi
	printf -- '---- %s: %s (%d s)\n' "$name" "$result" "$took"
	summary+=("$(printf '%-14s %-8s %5d s' "$name" "$result" "$took")")
	return "$rc"
}

finish() {
	printf '\n==== summary (%d s in all) ====\n' "$SECONDS"
	local line
	for line in "${summary[@]}"; do
		printf '%s\n' "$line"
	done
	if [ "$skipped" -gt 0 ]; then
		printf '%d passed, %d failed, %d skipped\n' "$passed" "$failed" "$skipped"
	else
		printf '%d passed, %d failed\n' "$passed" "$failed"
	fi
	[ "$failed" -eq 0 ]
	exit
}

stage_setup() {
	BUILD_DIR=$BUILD_DIR bash scripts/setup.sh
}

# ctest over a build directory: unit tests (cmocka) and HTTP tests (node --test).
run_ctest() {
	local dir=$1
	cmake --build "$dir" -j2 || return 1
	ctest --test-dir "$dir" --output-on-failure --no-tests=error -j2
}

stage_tests() {
	run_ctest "$BUILD_DIR"
}

# Browser tests find the server through COPROD_BIN and start it themselves. The
# server is built first, so that a failed build is never hidden by an old binary.
run_browser_tests() {
	local dir=$1 files=()
	shopt -s nullglob
	files=(tests/browser/*.test.js)
	shopt -u nullglob
	if [ "${#files[@]}" -eq 0 ]; then
		echo "no browser tests (tests/browser/*.test.js) yet"
		return "$SKIP"
	fi
	cmake --build "$dir" -j2 --target coprod >/dev/null || {
		echo "$dir/coprod does not build"
		return 1
	}
	COPROD_BIN=$ROOT/$dir/coprod timeout "$BROWSER_TIMEOUT" node --test "${files[@]}"
}

stage_browser() {
	run_browser_tests "$BUILD_DIR"
}

sanitizer_env() {
	export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
	# Only fontconfig's process-lifetime caches: see tests/lsan.supp.
	export LSAN_OPTIONS="suppressions=$ROOT/tests/lsan.supp:print_suppressions=0"
	export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
}

stage_asan_tests() {
	(
		sanitizer_env
		cmake -S . -B "$ASAN_BUILD_DIR" -DCOPROD_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug >/dev/null || exit 1
		run_ctest "$ASAN_BUILD_DIR"
	)
}

stage_asan_browser() {
	(
		sanitizer_env
		run_browser_tests "$ASAN_BUILD_DIR"
	)
}

# Run one libFuzzer target from a copy of its seed corpus, so that what the
# fuzzer discovers does not change the tree. A crashing input is printed so the
# log alone is enough to reproduce it.
fuzz_one() {
	local target=$1 name=${1#fuzz_} work corpus rc
	work=$(mktemp -d)
	corpus=$work/corpus
	mkdir -p "$corpus" "$work/artifacts"
	if [ -d "fuzz/corpus/$name" ]; then
		cp -R "fuzz/corpus/$name/." "$corpus/"
	else
		echo "note: no seed corpus at fuzz/corpus/$name"
	fi
	echo "-- $target: $(find "$corpus" -type f | wc -l) seed inputs, ${FUZZ_SECONDS} s"
	timeout $((FUZZ_SECONDS + 120)) "$FUZZ_BUILD_DIR/$target" \
		-max_total_time="$FUZZ_SECONDS" -timeout=10 -print_final_stats=1 \
		-artifact_prefix="$work/artifacts/" "$corpus" >"$work/log" 2>&1
	rc=$?
	if [ "$rc" -eq 0 ]; then
		grep -E '^(stat::number_of_executed_units|stat::peak_rss_mb|Done )' "$work/log"
	else
		tail -n 60 "$work/log"
		local a
		for a in "$work"/artifacts/*; do
			[ -f "$a" ] || continue
			echo "-- input that failed ($(basename "$a"), base64):"
			head -c 4096 "$a" | base64
		done
		echo "-- $target FAILED (exit $rc)"
	fi
	rm -rf "$work"
	return "$rc"
}

stage_fuzz() {
	local sources=() targets=() f
	shopt -s nullglob
	sources=(fuzz/fuzz_*.c)
	shopt -u nullglob
	if [ "${#sources[@]}" -eq 0 ]; then
		echo "no fuzz targets (fuzz/fuzz_*.c) yet"
		return "$SKIP"
	fi
	for f in "${sources[@]}"; do
		targets+=("$(basename "$f" .c)")
	done
	(
		sanitizer_env
		cmake -S . -B "$FUZZ_BUILD_DIR" -DCOPROD_FUZZ=ON -DCMAKE_C_COMPILER=clang >/dev/null || exit 1
		cmake --build "$FUZZ_BUILD_DIR" -j2 --target "${targets[@]}" || exit 1
		bad=0
		for t in "${targets[@]}"; do
			fuzz_one "$t" || bad=1
		done
		exit "$bad"
	)
}

run_stage setup stage_setup || finish
run_stage tests stage_tests
run_stage browser stage_browser
run_stage asan-tests stage_asan_tests
run_stage asan-browser stage_asan_browser
run_stage fuzz stage_fuzz
finish
