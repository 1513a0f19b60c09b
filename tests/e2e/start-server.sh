#!/usr/bin/env bash
# Serves the production build (run `next build` first) on a fresh embedded database for the end-to-end tests.
# Usage: start-server.sh PORT seeded|demo|empty   (env E2E_EXTRA_SEED: a tsx script run after the demo seed)
# seeded: the demo seed without its synthetic survey responses (tests seed their own); demo: what the quickstart serves.
set -euo pipefail
port=$1
mode=$2
dir="tmp/e2e-$port"
rm -rf "$dir"
mkdir -p "$dir"
export VARSTUDY_DATA_DIR="$dir/pglite"
export AUTH_SECRET="$E2E_AUTH_SECRET"
export NEXTAUTH_URL="http://localhost:$port"
unset DATABASE_URL
# A lower bcrypt cost keeps sign-ins quick on a busy test machine; production uses the default (12).
export VARSTUDY_BCRYPT_COST=8
npx tsx scripts/db-migrate.ts
if [ "$mode" = seeded ] || [ "$mode" = demo ]; then
  VARSTUDY_DEMO_ADMIN_PASSWORD="$E2E_PASSWORD" npx tsx scripts/db-seed.ts $([ "$mode" = seeded ] && echo --no-demo-responses)
  # Optional extra data for one spec's server (e.g. E2E_EXTRA_SEED=tests/e2e/dashboard-seed.ts), before it starts.
  if [ -n "${E2E_EXTRA_SEED:-}" ]; then npx tsx "$E2E_EXTRA_SEED"; fi
fi
# npm start: the start script in package.json sets the server options (a keep-alive timeout longer than a stall).
exec npm start -- -p "$port"
