#!/usr/bin/env bash
# `npm test`: the whole suite — types, unit and integration tests (embedded PGlite, and PostgreSQL when a server is
# reachable), then the end-to-end tests in Chromium against a production build. Installs what it needs first.
set -uo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/ensure-deps.sh

ensure_node_modules || exit 1
ensure_browser || exit 1
mkdir -p tmp
rm -f tmp/vitest-report.json tmp/vitest-errors-outside-tests.json tmp/playwright-report.json
failed_steps=()

step() {
  local name=$1
  shift
  echo
  echo "==> $name"
  if ! "$@"; then failed_steps+=("$name"); fi
}

step "Type check" npx tsc --noEmit
step "Lint (ESLint: TypeScript, React hooks, Next, layer boundaries)" npm run --silent lint
step "Unit and integration tests" npx vitest run --reporter=default --reporter=json --outputFile.json=tmp/vitest-report.json \
  --reporter=./scripts/lib/vitest-errors-outside-tests.ts
export NEXT_DIST_DIR=.next-test
step "Production build for end-to-end tests" npx next build
if [[ ! " ${failed_steps[*]-} " =~ "Production build" ]]; then
  # Short crash tests on the same build, under load: SIGKILL the server and restart it, or have PostgreSQL close
  # the server's connections; then check every acknowledged answer.
  step "Crash test (embedded, short)" npx tsx scripts/crash-test.ts --mode embedded --short --dist .next-test --port 3400
  step "Crash test (server, short)" npx tsx scripts/crash-test.ts --mode server --short --dist .next-test --port 3401
  step "Crash test (server, database connections closed, short)" npx tsx scripts/crash-test.ts --mode server --kill database --short --dist .next-test --port 3402
  step "End-to-end tests (Chromium)" env PLAYWRIGHT_JSON_OUTPUT_NAME=tmp/playwright-report.json npx playwright test --reporter=list,json
fi

node scripts/lib/test-summary.mjs tmp/vitest-report.json tmp/playwright-report.json tmp/vitest-errors-outside-tests.json
if [ ${#failed_steps[@]} -gt 0 ]; then
  echo "Failed: ${failed_steps[*]}"
  exit 1
fi
