#!/usr/bin/env bash
# `npm run quickstart`: install, build, migrate and seed the embedded database, and serve the app with demo data.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/ensure-deps.sh

port="${PORT:-3000}"
ensure_node_modules
echo "==> Building the app"
npx next build
echo "==> Preparing the embedded database"
npx tsx scripts/db-migrate.ts
npx tsx scripts/db-seed.ts
export NEXTAUTH_URL="${NEXTAUTH_URL:-http://localhost:$port}"
echo "==> Serving VarStudy on http://localhost:$port (Ctrl+C stops it)"
# npm start: the start script in package.json sets the server options (a keep-alive timeout longer than a stall).
exec npm start -- -p "$port"
