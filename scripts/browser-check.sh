#!/usr/bin/env bash
# Real-browser check of the report pages, with Chromium from the Debian packages.
#
#   scripts/browser-check.sh [--install]                 make sure Chromium is there (see below), print its path
#   scripts/browser-check.sh [--install] BUNDLE [OUT]    also render BUNDLE's index.html and board-summary.html
#                                                        headless to OUT (default BUNDLE/../browser-check):
#                                                        <page>.png, <page>.pdf, <page>.log, <page>.netlog.json
#
# Chromium is installed (apt-get install chromium fonts-liberation) only when it is absent AND either
# CI=true or --install is given, so a developer's machine is never changed silently. Without it the
# script says so and exits 0 (BrowserRenderTests then skips); with BUNDLE it exits 1.
#
# Rendering blocks the network twice over: every request goes to a proxy that refuses (127.0.0.1:9)
# and every host name resolves to nothing. The NetLog records any request the page attempted anyway,
# and --enable-logging=stderr writes console messages to <page>.log as "CONSOLE" lines.
set -euo pipefail

install=false
args=()
for argument in "$@"; do
    case "$argument" in
        --install) install=true ;;
        -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
        *) args+=("$argument") ;;
    esac
done
[ "${CI:-}" = "true" ] && install=true

find_chromium() {
    command -v chromium || command -v chromium-browser || true
}

browser="$(find_chromium)"
if [ -z "$browser" ]; then
    if $install; then
        echo "browser-check: installing chromium from the Debian packages" >&2
        sudo_cmd=""
        [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
        export DEBIAN_FRONTEND=noninteractive
        $sudo_cmd apt-get update -qq
        $sudo_cmd apt-get install -y -qq --no-install-recommends chromium fonts-liberation >/dev/null
        browser="$(find_chromium)"
    fi
    if [ -z "$browser" ]; then
        echo "browser-check: Chromium is not installed; run with --install (or CI=true) to install it from the Debian packages." >&2
        [ "${#args[@]}" -gt 0 ] && exit 1
        exit 0
    fi
fi
echo "$browser"
[ "${#args[@]}" -eq 0 ] && exit 0

bundle="$(cd "${args[0]}" && pwd)"
out="${args[1]:-$bundle/../browser-check}"
mkdir -p "$out"
out="$(cd "$out" && pwd)"
profile="$(mktemp -d)"
trap 'rm -rf "$profile"' EXIT

common=(--headless=new --no-sandbox --disable-gpu --hide-scrollbars --no-first-run --no-default-browser-check
        --disable-background-networking --disable-component-update --disable-sync --disable-extensions
        --proxy-server=127.0.0.1:9 "--host-resolver-rules=MAP * ~NOTFOUND" --enable-logging=stderr --v=0)

status=0
for page in index board-summary; do
    file="$bundle/$page.html"
    [ -f "$file" ] || { echo "browser-check: $file is missing" >&2; exit 1; }
    "$browser" "${common[@]}" "--user-data-dir=$profile/$page-png" "--log-net-log=$out/$page.netlog.json" \
        --window-size=1280,2000 "--screenshot=$out/$page.png" "file://$file" >/dev/null 2>"$out/$page.log"
    "$browser" "${common[@]}" "--user-data-dir=$profile/$page-pdf" --no-pdf-header-footer \
        "--print-to-pdf=$out/$page.pdf" "file://$file" >/dev/null 2>>"$out/$page.log"
    pages=$(grep -a -o -E '/Type ?/Page([^s]|$)' "$out/$page.pdf" | wc -l | tr -d ' ')
    console=$(grep -c 'CONSOLE' "$out/$page.log" || true)
    echo "$page: $pages PDF page(s), $console console message(s) -> $out/$page.png, $out/$page.pdf"
    if [ "$console" -gt 0 ]; then grep 'CONSOLE' "$out/$page.log" >&2; status=1; fi
done
exit $status
