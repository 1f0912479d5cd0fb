#!/usr/bin/env bash
# setup.sh: install what coprod needs (Debian packages, npm packages) and build it.
#
# Safe to run again and again: it only does what is missing and says nothing
# when there is nothing to do. Used by scripts/run.sh, scripts/test.sh and CI.
#
#   bash scripts/setup.sh            install what is missing, then build build/
#   SETUP_NO_BUILD=1 bash scripts/setup.sh   install only
#   BUILD_DIR=build-x bash scripts/setup.sh  build somewhere other than build/
set -euo pipefail
export LC_ALL=C
BUILD_DIR=${BUILD_DIR:-build}

cd "$(dirname "${BASH_SOURCE[0]}")/.."

say() { printf 'setup: %s\n' "$*" >&2; }
die() { printf 'setup: %s\n' "$*" >&2; exit 1; }

# --- Debian packages -------------------------------------------------------

wanted_packages() {
	sed -e 's/#.*//' -e 's/[[:space:]]//g' debian-packages.txt | grep -v '^$'
}

# Names that are installed, or provided by an installed package. Node.js
# packages built elsewhere bundle npm and declare "Provides: npm"; installing
# Debian's npm on top of them would remove them.
installed_names() {
	dpkg-query -W -f='${db:Status-Abbrev}|${Package}|${Provides}\n' 2>/dev/null |
		awk -F'|' '$1 ~ /^ii/ {
			print $2
			n = split($3, p, ",")
			for (i = 1; i <= n; i++) {
				sub(/^[ \t]+/, "", p[i]); sub(/[ \t(].*$/, "", p[i])
				if (p[i] != "") print p[i]
			}
		}' | sort -u
}

missing_packages() {
	if ! command -v dpkg-query >/dev/null 2>&1; then
		die "this is not a Debian system (no dpkg-query); install the packages in debian-packages.txt by hand"
	fi
	comm -23 <(wanted_packages | sort -u) <(installed_names)
}

install_packages() {
	local missing
	missing=$(missing_packages | tr '\n' ' ')
	missing=${missing% }
	[ -z "$missing" ] && return 0

	local sudo=()
	if [ "$(id -u)" -ne 0 ]; then
		if command -v sudo >/dev/null 2>&1; then
			sudo=(sudo)
		else
			say "these Debian packages are missing: $missing"
			say "install them as root, then run this again:"
			printf '  sudo apt-get install --no-install-recommends %s\n' "$missing" >&2
			exit 1
		fi
	fi
	say "installing Debian packages: $missing"
	local log
	log=$(mktemp)
	# shellcheck disable=SC2086
	if ! "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q >"$log" 2>&1 ||
		! "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
			apt-get install -y -q --no-install-recommends $missing >>"$log" 2>&1; then
		tail -n 40 "$log" >&2
		rm -f "$log"
		die "apt-get failed; the packages still missing are: $(missing_packages | tr '\n' ' ')"
	fi
	rm -f "$log"
	local still
	still=$(missing_packages | tr '\n' ' ')
	[ -z "${still// /}" ] || die "still missing after apt-get install: $still"
}

# --- Node.js and npm packages ----------------------------------------------

check_node() {
	command -v node >/dev/null 2>&1 || die "node is not on PATH (Debian package nodejs)"
	command -v npm >/dev/null 2>&1 || die "npm is not on PATH (Debian package npm)"
	local major
	major=$(node -p 'process.versions.node.split(".")[0]')
	if [ "$major" -lt 18 ]; then
		die "Node.js $(node --version) is too old: playwright-core 1.54 needs Node.js 18 or later (Debian 12's nodejs is 18)"
	fi
}

install_npm_packages() {
	# npm writes node_modules/.package-lock.json on every install, so it tells
	# whether node_modules is older than package-lock.json.
	if [ -f node_modules/.package-lock.json ] &&
		[ ! package-lock.json -nt node_modules/.package-lock.json ] &&
		[ ! package.json -nt node_modules/.package-lock.json ]; then
		return 0
	fi
	say "installing npm packages (npm ci)"
	local log
	log=$(mktemp)
	if ! npm ci --no-audit --no-fund >"$log" 2>&1; then
		cat "$log" >&2
		rm -f "$log"
		die "npm ci failed"
	fi
	rm -f "$log"
}

# --- Build -----------------------------------------------------------------

build() {
	local log
	log=$(mktemp)
	if [ ! -f "$BUILD_DIR/CMakeCache.txt" ]; then
		say "configuring $BUILD_DIR/"
		if ! cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=RelWithDebInfo >"$log" 2>&1; then
			cat "$log" >&2
			rm -f "$log"
			die "cmake configure failed"
		fi
	fi
	if ! cmake --build "$BUILD_DIR" -j2 >"$log" 2>&1; then
		cat "$log" >&2
		rm -f "$log"
		die "build failed"
	fi
	local compiled
	compiled=$(grep -c -E 'Building C object|Linking C' "$log" || true)
	[ "$compiled" -eq 0 ] || say "built $BUILD_DIR/coprod ($compiled steps)"
	rm -f "$log"
}

install_packages
check_node
install_npm_packages
if [ "${SETUP_NO_BUILD:-0}" != 1 ]; then
	build
fi
