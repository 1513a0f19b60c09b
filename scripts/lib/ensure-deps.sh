# Sourced by scripts/quickstart.sh and scripts/test.sh: installs what the project needs when it is missing, so a
# fresh clone on a machine with only Node.js 20 and npm works with one command.

ensure_node_modules() {
  if [ ! -d node_modules ] || [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    echo "==> Installing dependencies (npm ci)"
    npm ci --no-audit --no-fund
  fi
  if [ ! -f lib/generated/prisma/client.ts ] || [ prisma/schema.prisma -nt lib/generated/prisma/client.ts ]; then
    echo "==> Generating the Prisma client"
    node scripts/prisma-generate.mjs
  fi
}

chromium_path() {
  for candidate in "${CHROMIUM_PATH:-}" /usr/bin/chromium /usr/bin/chromium-browser; do
    if [ -n "$candidate" ] && [ -x "$candidate" ]; then echo "$candidate"; return 0; fi
  done
  return 1
}

# Debian's Chromium where apt is available (Playwright's browser download is blocked on closed networks);
# Playwright's own Chromium elsewhere.
ensure_browser() {
  if chromium_path >/dev/null; then return 0; fi
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    echo "==> Installing Chromium for the end-to-end tests (apt-get install chromium)"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core >/dev/null
  fi
  if ! chromium_path >/dev/null; then
    echo "==> Installing Playwright's Chromium"
    npx playwright install chromium
  fi
}
