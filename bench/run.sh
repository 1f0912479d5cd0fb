#!/usr/bin/env bash
# bench/run.sh: how fast coprod answers pages, against nginx serving the same bytes.
#
# Not a test (scripts/test.sh never runs it). See bench/README.md for what it does
# and how to read the figures. Everything runs on loopback and stops by itself.
#
#   bash bench/run.sh
#   BENCH_DURATION=30s BENCH_CONNECTIONS=128 bash bench/run.sh
set -euo pipefail
export LC_ALL=C

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD
BUILD_DIR=${BUILD_DIR:-build}
DURATION=${BENCH_DURATION:-10s}
CONNECTIONS=${BENCH_CONNECTIONS:-64}
THREADS=${BENCH_THREADS:-2}
COPROD=${COPROD_BIN:-$ROOT/$BUILD_DIR/coprod}

BUILD_DIR=$BUILD_DIR bash scripts/setup.sh

NGINX=$(command -v nginx || echo /usr/sbin/nginx)
[ -x "$NGINX" ] || { echo "bench: nginx is missing; run scripts/setup.sh" >&2; exit 1; }
command -v wrk >/dev/null || { echo "bench: wrk is missing; run scripts/setup.sh" >&2; exit 1; }

WORK=$(mktemp -d)
chmod 755 "$WORK" # nginx's worker runs as nobody when started by root
COPROD_PID=
NGINX_PID=
cleanup() {
	[ -n "$NGINX_PID" ] && kill "$NGINX_PID" 2>/dev/null && wait "$NGINX_PID" 2>/dev/null
	[ -n "$COPROD_PID" ] && kill "$COPROD_PID" 2>/dev/null && wait "$COPROD_PID" 2>/dev/null
	rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
	node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

# --- coprod with the demo data ------------------------------------------------

"$COPROD" demo --db "$WORK/bench.db" >"$WORK/demo.txt" 2>&1
read -r EMAIL PASSWORD < <(node -e '
	const d = require(process.argv[1]).parseSignins(require("fs").readFileSync(process.argv[2], "utf8"));
	if (!d.users.length || !d.password) { console.error("bench: cannot read the demo sign-ins"); process.exit(1); }
	console.log(d.users[0].email, d.password);' "$ROOT/tests/http/lib.js" "$WORK/demo.txt")

# Access log lines go to a file, as they would in production.
"$COPROD" serve --db "$WORK/bench.db" --listen 127.0.0.1 --port 0 \
	>"$WORK/coprod-access.log" 2>"$WORK/coprod-error.log" &
COPROD_PID=$!
for _ in $(seq 100); do
	grep -q 'listening on' "$WORK/coprod-error.log" && break
	kill -0 "$COPROD_PID" 2>/dev/null || { cat "$WORK/coprod-error.log" >&2; exit 1; }
	sleep 0.1
done
COPROD_URL=$(grep -o 'http://[^ ]*/' "$WORK/coprod-error.log" | head -n 1)
[ -n "$COPROD_URL" ] || { echo "bench: coprod did not start" >&2; cat "$WORK/coprod-error.log" >&2; exit 1; }

# --- the same home page as a static file behind nginx -------------------------

mkdir -p "$WORK/www"
curl -fsS "${COPROD_URL}" -o "$WORK/www/index.html"
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
NGINX_PID=$!
for _ in $(seq 100); do
	curl -fsS -o /dev/null "http://127.0.0.1:$NGINX_PORT/" 2>/dev/null && break
	sleep 0.1
done

# --- a signed-in session -------------------------------------------------------

JAR=$WORK/cookies.txt
CSRF=$(curl -fsS -c "$JAR" -b "$JAR" "${COPROD_URL}sign-in" |
	node -e 'console.log(require(process.argv[1]).csrfFrom(require("fs").readFileSync(0, "utf8")) || "")' "$ROOT/tests/http/lib.js")
[ -n "$CSRF" ] || { echo "bench: no csrf field on /sign-in" >&2; exit 1; }
curl -sS -o /dev/null -c "$JAR" -b "$JAR" --data-urlencode "email=$EMAIL" \
	--data-urlencode "password=$PASSWORD" --data-urlencode "csrf=$CSRF" "${COPROD_URL}sign-in"
COOKIE=$(awk -F'\t' 'NF >= 7 && $0 !~ /^# / { printf "%s%s=%s", sep, $6, $7; sep = "; " }' "$JAR")
HOME_STATUS=$(curl -sS -o "$WORK/home.html" -w '%{http_code}' -H "Cookie: $COOKIE" "${COPROD_URL}home")
[ "$HOME_STATUS" = 200 ] || { echo "bench: signing in as $EMAIL did not work (/home answered $HOME_STATUS)" >&2; exit 1; }

# --- measure --------------------------------------------------------------------

# wrk prints latencies as 812.00us, 1.23ms or 1.05s; this turns one into ms.
to_ms() {
	awk -v v="$1" 'BEGIN {
		n = v + 0; u = v; sub(/^[0-9.]+/, "", u)
		if (u == "us") n /= 1000; else if (u == "s") n *= 1000; else if (u == "m") n *= 60000
		printf "%.2f", n }'
}

declare -A RPS P50 P99
measure() {
	local name=$1 url=$2
	shift 2
	local out="$WORK/wrk-${name//\//_}.txt"
	printf 'bench: %-14s %s for %s with %s connections ...\n' "$name" "$url" "$DURATION" "$CONNECTIONS" >&2
	wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "$@" "$url" >"$out"
	if grep -q 'Non-2xx or 3xx' "$out"; then
		echo "bench: $name: some answers were errors:" >&2
		grep 'Non-2xx' "$out" >&2
	fi
	RPS[$name]=$(awk '/^Requests\/sec:/ { printf "%.0f", $2 }' "$out")
	P50[$name]=$(to_ms "$(awk '$1 == "50%" { print $2 }' "$out")")
	P99[$name]=$(to_ms "$(awk '$1 == "99%" { print $2 }' "$out")")
}

measure nginx-static "http://127.0.0.1:$NGINX_PORT/"
measure coprod-/ "${COPROD_URL}"
measure coprod-/home "${COPROD_URL}home" -H "Cookie: $COOKIE"

echo
echo "$(nproc) cores, wrk -t$THREADS -c$CONNECTIONS -d$DURATION on loopback;" \
	"$(wc -c <"$WORK/www/index.html") bytes for /, $(wc -c <"$WORK/home.html") bytes for /home"
printf '%-14s %10s %9s %9s %9s\n' target 'req/s' 'p50 ms' 'p99 ms' 'vs nginx'
for name in nginx-static coprod-/ coprod-/home; do
	ratio=$(awk -v a="${RPS[$name]}" -v b="${RPS[nginx-static]}" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')
	printf '%-14s %10s %9s %9s %9s\n' "$name" "${RPS[$name]}" "${P50[$name]}" "${P99[$name]}" "$ratio"
done
