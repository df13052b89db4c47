#!/bin/sh
# Starts ONE site: scripts/server.mjs (Next.js plus the internal API on node:http), configured only by environment variables
# (README, "Start one site by hand"). The multi-site launcher runs exactly this per site.
set -e
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1
# sharp runs image work on several threads; fewer malloc arenas keep glibc's memory from fragmenting.
export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}"
# A fixed mmap threshold: glibc otherwise raises it after each large free, so the next multi-MB
# image buffers come from the heap and stay in RSS after they are freed (bench: ~30 MB less per
# site under 16 concurrent 12 MP uploads).
export MALLOC_MMAP_THRESHOLD_="${MALLOC_MMAP_THRESHOLD_:-131072}"
exec node scripts/server.mjs
