#!/bin/sh
# Starts ONE site: a `next start` process configured only by environment variables
# (README, "Start one site by hand"). The multi-site launcher runs exactly this per site.
set -e
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1
exec node_modules/.bin/next start --port "${PORT:-8000}" --hostname "${HOST:-127.0.0.1}"
