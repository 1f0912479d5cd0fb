#!/usr/bin/env bash
# bench/scale.sh: do pages cost the same with 100,000 ideas as with the demo's eight?
#
# Three databases: the demo as it is (8 ideas); "small", the demo grown by bench/scale.sql
# to 1,000 ideas and 100 more people (every list page full, so the same number of rows as
# below); "scaled", grown to 100,000 ideas and 10,000 more people. The same pages are
# measured on each, signed in as the demo programme lead, with nginx serving the programme
# page's bytes as the yardstick.
#
# Not a test (scripts/test.sh never runs it). See "Pages as the data grows" in
# bench/README.md. Everything runs on loopback, is bounded by its durations and stops
# what it started, even on Ctrl-C.
#
#   bash bench/scale.sh
#   BENCH_DURATION=5s BENCH_CONNECTIONS=16 bash bench/scale.sh
set -euo pipefail
export LC_ALL=C

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD
BUILD_DIR=${BUILD_DIR:-build}
DURATION=${BENCH_DURATION:-10s}
CONNECTIONS=${BENCH_CONNECTIONS:-32}
THREADS=${BENCH_THREADS:-2}
COPROD=${COPROD_BIN:-$ROOT/$BUILD_DIR/coprod}
LEAD_EMAIL=programme.lead@example.org
PROGRAMME=young-adults

BUILD_DIR=$BUILD_DIR bash scripts/setup.sh

NGINX=$(command -v nginx || echo /usr/sbin/nginx)
[ -x "$NGINX" ] || { echo "bench: nginx is missing; run scripts/setup.sh" >&2; exit 1; }
command -v wrk >/dev/null || { echo "bench: wrk is missing; run scripts/setup.sh" >&2; exit 1; }
command -v sqlite3 >/dev/null || { echo "bench: sqlite3 is missing; run scripts/setup.sh" >&2; exit 1; }

WORK=$(mktemp -d)
chmod 755 "$WORK" # nginx's worker runs as nobody when started by root
PIDS=()
cleanup() {
	local pid
	for pid in "${PIDS[@]}"; do
		kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
	done
	rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
	node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

# --- three databases: the demo as it is, and the demo grown by bench/scale.sql twice ------

"$COPROD" demo --db "$WORK/demo.db" >"$WORK/demo.txt" 2>&1
PASSWORD=$(node -e '
	const d = require(process.argv[1]).parseSignins(require("fs").readFileSync(process.argv[2], "utf8"));
	if (!d.password) { console.error("bench: cannot read the demo password"); process.exit(1); }
	console.log(d.password);' "$ROOT/tests/http/lib.js" "$WORK/demo.txt")
cp "$WORK/demo.db" "$WORK/small.db"
sqlite3 "$WORK/small.db" '.parameter set @ideas 1000' '.parameter set @people 100' \
	'.read bench/scale.sql'
cp "$WORK/demo.db" "$WORK/scaled.db"
started=$(date +%s.%N)
sqlite3 "$WORK/scaled.db" <bench/scale.sql
SCALE_SECONDS=$(awk -v a="$started" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
DBS=(demo small scaled)
declare -A IDEAS PEOPLE
for db in "${DBS[@]}"; do
	read -r "IDEAS[$db]" "PEOPLE[$db]" < <(sqlite3 -separator ' ' "$WORK/$db.db" \
		"SELECT (SELECT COUNT(*) FROM ideas), (SELECT COUNT(*) FROM accounts)")
done
echo "bench: scaled database: ${IDEAS[scaled]} ideas, ${PEOPLE[scaled]} people, made in ${SCALE_SECONDS}s" >&2

declare -A URL COOKIE
# start_coprod NAME: serves $WORK/NAME.db on a free loopback port, access log to a file.
start_coprod() {
	local name=$1 pid
	"$COPROD" serve --db "$WORK/$name.db" --listen 127.0.0.1 --port 0 \
		>"$WORK/$name-access.log" 2>"$WORK/$name-error.log" &
	pid=$!
	PIDS+=("$pid")
	for _ in $(seq 100); do
		grep -q 'listening on' "$WORK/$name-error.log" && break
		kill -0 "$pid" 2>/dev/null || { cat "$WORK/$name-error.log" >&2; exit 1; }
		sleep 0.1
	done
	URL[$name]=$(grep -o 'http://[^ ]*/' "$WORK/$name-error.log" | head -n 1)
	[ -n "${URL[$name]}" ] || { echo "bench: coprod did not start on $name" >&2; exit 1; }
}

# sign_in NAME: signs in as the programme lead through the real form; keeps the cookie.
sign_in() {
	local name=$1 jar="$WORK/$1-cookies.txt" csrf status
	csrf=$(curl -fsS -c "$jar" -b "$jar" "${URL[$name]}sign-in" |
		node -e 'console.log(require(process.argv[1]).csrfFrom(require("fs").readFileSync(0, "utf8")) || "")' "$ROOT/tests/http/lib.js")
	[ -n "$csrf" ] || { echo "bench: no csrf field on /sign-in" >&2; exit 1; }
	curl -sS -o /dev/null -c "$jar" -b "$jar" --data-urlencode "email=$LEAD_EMAIL" \
		--data-urlencode "password=$PASSWORD" --data-urlencode "csrf=$csrf" "${URL[$name]}sign-in"
	COOKIE[$name]=$(awk -F'\t' 'NF >= 7 && $0 !~ /^# / { printf "%s%s=%s", sep, $6, $7; sep = "; " }' "$jar")
	status=$(curl -sS -o /dev/null -w '%{http_code}' -H "Cookie: ${COOKIE[$name]}" "${URL[$name]}home")
	[ "$status" = 200 ] || { echo "bench: signing in to $name did not work (/home answered $status)" >&2; exit 1; }
}

# fetch NAME PATH FILE: the page as the programme lead sees it; stops unless it is a 200.
fetch() {
	local status
	status=$(curl -sS -o "$3" -w '%{http_code}' -H "Cookie: ${COOKIE[$1]}" "${URL[$1]}${2#/}")
	[ "$status" = 200 ] || { echo "bench: $1 $2 answered $status" >&2; exit 1; }
}

for db in "${DBS[@]}"; do
	start_coprod "$db"
	sign_in "$db"
done

# --- which pages ---------------------------------------------------------------------------

# The same programme, the Young adults group's idea for the idea page (idea 1 in each), and
# for the group list the group with the most ideas: 8 in the demo, 50 in small, 5,000 in
# scaled.
declare -A PATHS
biggest_group() {
	sqlite3 "$WORK/$1.db" "SELECT group_id FROM ideas WHERE group_id IS NOT NULL
		GROUP BY group_id ORDER BY COUNT(*) DESC, group_id LIMIT 1"
}
for db in "${DBS[@]}"; do
	PATHS[programme/$db]=/programmes/$PROGRAMME
	PATHS[ideas/$db]=/programmes/$PROGRAMME/ideas
	PATHS[group-ideas/$db]=/groups/$(biggest_group "$db")/ideas
	PATHS[idea/$db]=/ideas/$(sqlite3 "$WORK/$db.db" "SELECT MIN(id) FROM ideas")
	# Page 2: the list's own "older" link; the demo has one page only, so there it is
	# the ideas older than the middle one on page 1 (a short second page).
	fetch "$db" "${PATHS[ideas/$db]}" "$WORK/$db-ideas.html"
	next=$(grep -o 'href="[^"]*before=[0-9]*[^"]*"' "$WORK/$db-ideas.html" | head -n 1 |
		sed -e 's/^href="//' -e 's/"$//' -e 's/&amp;/\&/g' || true)
	if [ -z "$next" ]; then
		ids=$(grep -o 'href="/ideas/[0-9]*"' "$WORK/$db-ideas.html" | grep -o '[0-9]*' | sort -n -u)
		mid=$(echo "$ids" | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
		[ -n "$mid" ] || { echo "bench: no ideas on $db's list" >&2; exit 1; }
		next="${PATHS[ideas/$db]}?before=$mid"
	fi
	PATHS[ideas-page-2/$db]=$next
done
PAGES=(programme ideas group-ideas ideas-page-2 idea)

# --- nginx serving the programme page's bytes: the yardstick --------------------------

mkdir -p "$WORK/www"
fetch demo "${PATHS[programme/demo]}" "$WORK/www/index.html"
NGINX_PORT=$(free_port)
cat >"$WORK/nginx.conf" <<CONF
daemon off;
worker_processes 1;
pid $WORK/nginx.pid;
error_log $WORK/nginx-error.log warn;
events { worker_connections 1024; }
http {
	access_log $WORK/nginx-access.log;
	client_body_temp_path $WORK/client_body;
	proxy_temp_path $WORK/proxy;
	fastcgi_temp_path $WORK/fastcgi;
	uwsgi_temp_path $WORK/uwsgi;
	scgi_temp_path $WORK/scgi;
	server {
		listen 127.0.0.1:$NGINX_PORT;
		root $WORK/www;
		default_type text/html;
		location = / { try_files /index.html =404; }
	}
}
CONF
"$NGINX" -p "$WORK" -e "$WORK/nginx-error.log" -c "$WORK/nginx.conf" &
PIDS+=($!)
for _ in $(seq 100); do
	curl -fsS -o /dev/null "http://127.0.0.1:$NGINX_PORT/" 2>/dev/null && break
	sleep 0.1
done

# --- measure ------------------------------------------------------------------------------

# wrk prints latencies as 812.00us, 1.23ms or 1.05s; this turns one into ms.
to_ms() {
	awk -v v="$1" 'BEGIN {
		n = v + 0; u = v; sub(/^[0-9.]+/, "", u)
		if (u == "us") n /= 1000; else if (u == "s") n *= 1000; else if (u == "m") n *= 60000
		printf "%.2f", n }'
}

declare -A RPS P50 P99 BYTES
measure() {
	local key=$1 url=$2
	shift 2
	local out="$WORK/wrk-${key//\//_}.txt"
	printf 'bench: %-20s %s for %s with %s connections ...\n' "$key" "$url" "$DURATION" "$CONNECTIONS" >&2
	wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "$@" "$url" >"$out"
	if grep -q 'Non-2xx or 3xx' "$out"; then
		echo "bench: $key: some answers were errors:" >&2
		grep 'Non-2xx' "$out" >&2
	fi
	RPS[$key]=$(awk '/^Requests\/sec:/ { printf "%.0f", $2 }' "$out")
	P50[$key]=$(to_ms "$(awk '$1 == "50%" { print $2 }' "$out")")
	P99[$key]=$(to_ms "$(awk '$1 == "99%" { print $2 }' "$out")")
}

measure nginx "http://127.0.0.1:$NGINX_PORT/"
BYTES[nginx]=$(wc -c <"$WORK/www/index.html")
# The databases one after the other for each page, so a neighbour's load on the machine
# falls on each alike.
for page in "${PAGES[@]}"; do
	for db in "${DBS[@]}"; do
		path=${PATHS[$page/$db]}
		fetch "$db" "$path" "$WORK/page.html"
		BYTES[$page/$db]=$(wc -c <"$WORK/page.html")
		measure "$page/$db" "${URL[$db]}${path#/}" -H "Cookie: ${COOKIE[$db]}"
	done
done

# --- report ---------------------------------------------------------------------------------

ratio() {
	awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'
}
row() {
	printf '%-13s %-7s %-56s %7s %7s %7s %8s %8s %8s\n' "$@"
}
echo
echo "$(nproc) cores, wrk -t$THREADS -c$CONNECTIONS -d$DURATION on loopback, signed in as the programme lead"
for db in "${DBS[@]}"; do
	echo "  $db: ${IDEAS[$db]} ideas, ${PEOPLE[$db]} people"
done
echo "  (scaled made in ${SCALE_SECONDS}s; the ratios are the scaled database's requests per second over the other's)"
row page db path bytes 'req/s' 'p50 ms' 'p99 ms' '/demo' '/small'
row nginx static "programme page's bytes" "${BYTES[nginx]}" \
	"${RPS[nginx]}" "${P50[nginx]}" "${P99[nginx]}" '' ''
for page in "${PAGES[@]}"; do
	for db in "${DBS[@]}"; do
		r1='' r2=''
		if [ "$db" = scaled ]; then
			r1=$(ratio "${RPS[$page/scaled]}" "${RPS[$page/demo]}")
			r2=$(ratio "${RPS[$page/scaled]}" "${RPS[$page/small]}")
		fi
		row "$page" "$db" "${PATHS[$page/$db]}" "${BYTES[$page/$db]}" \
			"${RPS[$page/$db]}" "${P50[$page/$db]}" "${P99[$page/$db]}" "$r1" "$r2"
	done
done
echo "(near 1.00 is flat: the page costs the same with 100,000 ideas)"
