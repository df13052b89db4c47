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
# V8 sizes its old space against a 4 GB ceiling on a big machine and lets ~100 MB of garbage
# pile up between full collections; a 1 GB ceiling (20 x the ~50 MB live heap) keeps them
# prompt: RSS after 4,000 create-events 165-203 -> 155-171 MB per site, for ~6 % more CPU.
# An operator's own NODE_OPTIONS come after this one and win.
export NODE_OPTIONS="--max-old-space-size=1024${NODE_OPTIONS:+ $NODE_OPTIONS}"
exec node scripts/server.mjs
