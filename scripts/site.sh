#!/bin/sh
# Starts ONE site: scripts/server.mjs (Next.js plus the internal API on node:http), configured only by environment variables
# (README, "Start one site by hand"). The multi-site launcher runs exactly this per site.
set -e
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1
# sharp runs image work on several threads; fewer malloc arenas keep glibc's memory from fragmenting.
export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}"
exec node scripts/server.mjs
