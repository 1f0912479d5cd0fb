#!/usr/bin/env bash
# run.sh: try coprod on this machine with demo data, at http://127.0.0.1:8080/.
#
# Installs and builds what is missing (scripts/setup.sh), creates coprod-demo.db
# with demo people and records the first time, then runs the server in the
# foreground until Ctrl-C. Start again from scratch: rm coprod-demo.db
#   PORT=9000 bash scripts/run.sh    another port
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
PORT=${PORT:-8080}
DB=coprod-demo.db
# Kept under build/ (ignored by git) to show again on later runs.
SIGNINS=build/coprod-demo-signins.txt

bash scripts/setup.sh

if [ ! -f "$DB" ]; then
	# The demo prints the sign-ins it created. It is built under another name and
	# renamed when complete, so an interrupted first run leaves no half-made demo.
	rm -f "$DB.new" "$DB.new-wal" "$DB.new-shm"
	build/coprod demo --db "$DB.new" 2>&1 | sed "s/$DB\.new/$DB/g" | tee "$SIGNINS"
	mv "$DB.new" "$DB"
elif [ -f "$SIGNINS" ]; then
	cat "$SIGNINS"
fi

cat <<MSG

coprod is starting at http://127.0.0.1:$PORT/
Sign in with one of the demo accounts above. Stop it with Ctrl-C.

MSG
exec build/coprod serve --db "$DB" --port "$PORT"
