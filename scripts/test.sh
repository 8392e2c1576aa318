#!/usr/bin/env bash
# Installs everything the tests need on a fresh Debian machine, then runs every test.
# Used as-is by the README and by .ci/run.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v chromium  >/dev/null 2>&1 || need_apt+=(chromium)
command -v pdftotext >/dev/null 2>&1 || need_apt+=(poppler-utils)
command -v qpdf      >/dev/null 2>&1 || need_apt+=(qpdf)
# The two other engines people's phones use (tests/test_engines.py): WebKitGTK under its
# WebDriver (with a virtual display and a D-Bus session for it), and Firefox ESR.
command -v WebKitWebDriver >/dev/null 2>&1 || need_apt+=(webkit2gtk-driver)
command -v Xvfb      >/dev/null 2>&1 || need_apt+=(xvfb)
command -v dbus-daemon >/dev/null 2>&1 || need_apt+=(dbus)
command -v firefox-esr >/dev/null 2>&1 || need_apt+=(firefox-esr)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "Installing ${need_apt[*]} from Debian"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

python3 -m pip install -q --disable-pip-version-check -e ".[test]"
python3 -m ruff check .
python3 -m pytest "$@"
