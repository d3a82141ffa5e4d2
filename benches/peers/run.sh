#!/usr/bin/env bash
# The equal-time peer table: makes benches/peers/.venv with the pinned peer solvers,
# builds the release starplan, then runs peers.py with the given arguments, e.g.
#   benches/peers/run.sh                                  # the whole ladder, 3 seeds
#   benches/peers/run.sh --sizes 500x50 --seeds 7,11 --limit 5
#   benches/peers/run.sh --report-only                    # rewrite the table only
# --no-build skips the cargo build. See README.md, "Benchmarks".
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
venv="$here/.venv"
build=1
args=()
for a in "$@"; do
    if [ "$a" = "--no-build" ]; then build=0; else args+=("$a"); fi
done
# Timefold's peer needs a Java runtime (17 or later); install Debian's when there is none.
if ! command -v java >/dev/null 2>&1; then
    echo "run.sh: installing openjdk-17-jre-headless for the Timefold peer" >&2
    if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq openjdk-17-jre-headless >/dev/null
fi
if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
fi
# Reinstall only when the pins change.
if ! cmp -s "$here/requirements.txt" "$venv/requirements.installed"; then
    "$venv/bin/pip" install --quiet -r "$here/requirements.txt" \
        || "$venv/bin/pip" install --quiet $(grep -v -i '^pyscipopt' "$here/requirements.txt" | grep -v '^#')
    cp "$here/requirements.txt" "$venv/requirements.installed"
fi
if [ "$build" = 1 ]; then
    (cd "$root" && scripts/with-deps cargo build --release --bin starplan --quiet)
fi
exec "$venv/bin/python" "$here/peers.py" "${args[@]}"
