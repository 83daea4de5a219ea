#!/usr/bin/env bash
# Makes sure the end-to-end tests have a Chromium: CHROMIUM_PATH, else Debian's
# /usr/bin/chromium (installed with apt when we are root and it is missing),
# else Playwright's own browser (downloaded by `playwright install` where that works).
set -euo pipefail
if [ -n "${CHROMIUM_PATH:-}" ]; then
  [ -x "$CHROMIUM_PATH" ] || { echo "CHROMIUM_PATH=$CHROMIUM_PATH is not an executable" >&2; exit 1; }
  exit 0
fi
[ -x /usr/bin/chromium ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "Installing Debian's chromium for the end-to-end tests..."
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  exit 0
fi
echo "No /usr/bin/chromium: using Playwright's own Chromium."
npx playwright install chromium
