#!/bin/sh
# Starts ONE site: a `next start` process configured only by environment variables
# (README, "Start one site by hand"). The multi-site launcher runs exactly this per site.
set -e
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1
# sharp runs image work on several threads; fewer malloc arenas keep glibc's memory from fragmenting.
export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}"
exec node_modules/.bin/next start --port "${PORT:-8000}" --hostname "${HOST:-127.0.0.1}"
