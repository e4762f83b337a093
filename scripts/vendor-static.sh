#!/usr/bin/env bash
# Reproduce (or verify) the vendored front-end assets in static/vendor/.
#
# The app serves these files itself: no CDN, no third-party host at runtime.
# Packages are fetched with the ordinary `npm` client (`npm pack`) from the
# npm registry configured for this machine, checked against the pinned
# registry integrity hashes, unpacked in a temporary directory and copied.
#
# Usage:
#   scripts/vendor-static.sh           # (re)write static/vendor/{htmx,utrecht}
#   scripts/vendor-static.sh --check   # build in a temp dir, compare with the
#                                      # committed files, exit 1 on any difference
#
# Updating: change a *_VERSION below, run once with INTEGRITY check failing,
# take the new value from `npm view <pkg>@<version> dist.integrity`, put it in
# *_INTEGRITY, run again, review the diff, update static/vendor/README.md.
#
# Requirements: bash, npm (node >= 18), tar, sha256sum.
set -euo pipefail

# --- Pinned packages ---------------------------------------------------------
# htmx: highest 2.x release (BSD Zero Clause). Do not jump to a new major
# without checking the htmx migration notes.
HTMX_PACKAGE="htmx.org"
HTMX_VERSION="2.0.11"
HTMX_INTEGRITY="sha512-Thx/WtpeOQqSrqBCw/A1cwGJGg4UrVa3+sW0GmrM3p4gJgO89ecH4qtbnyzDDWFvBTqjnIMCgELTNt636dtamA=="

# NL Design System component library CSS (EUPL-1.2), unbranded: no design
# tokens / theme are vendored (never add @utrecht/design-tokens or another
# organisation's branded tokens; the app provides its own theme).
UTRECHT_PACKAGE="@utrecht/component-library-css"
UTRECHT_VERSION="9.0.4"
UTRECHT_INTEGRITY="sha512-gVA7D6GfP9/+fzehkYLSBR+0UPUTA97PZmgvTYQE88lPQhHGMlUk8FjmCpLKRsRC9hAYd32JuF/KzG6fmBfjJA=="

# --- Paths -------------------------------------------------------------------
SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/.." && pwd)"
VENDOR_DIR="$REPO_ROOT/static/vendor"

MODE="write"
case "${1:-}" in
  "") ;;
  --check) MODE="check" ;;
  -h|--help) sed -n '2,18p' "$0"; exit 0 ;;
  *) echo "Unknown argument: $1 (use --check or no argument)" >&2; exit 2 ;;
esac

for tool in npm node tar sha256sum; do
  command -v "$tool" >/dev/null 2>&1 || { echo "Missing required tool: $tool" >&2; exit 2; }
done

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

# fetch PACKAGE VERSION INTEGRITY -> prints path of the unpacked "package" dir
fetch() {
  local pkg="$1" version="$2" integrity="$3"
  local dest="$WORK/$(printf '%s' "$pkg" | tr '@/' '__')"
  mkdir -p "$dest"
  # npm pack prints the tarball file name on stdout (last line).
  local tgz
  if ! tgz="$(cd "$dest" && npm pack --silent "${pkg}@${version}" 2>"$dest/npm.log" | tail -n 1)" \
      || [ -z "$tgz" ] || [ ! -f "$dest/$tgz" ]; then
    echo "npm pack ${pkg}@${version} failed:" >&2
    cat "$dest/npm.log" >&2
    exit 1
  fi
  local actual
  actual="sha512-$(node -e 'const c=require("crypto"),f=require("fs");process.stdout.write(c.createHash("sha512").update(f.readFileSync(process.argv[1])).digest("base64"))' "$dest/$tgz")"
  if [ "$actual" != "$integrity" ]; then
    echo "Integrity mismatch for ${pkg}@${version}:" >&2
    echo "  expected $integrity" >&2
    echo "  actual   $actual" >&2
    exit 1
  fi
  tar -xzf "$dest/$tgz" -C "$dest"
  printf '%s\n' "$dest/package"
}

# Fail if a stylesheet would make the browser contact another host.
# data: URIs are fine (their SVG xmlns "http://www.w3.org/2000/svg" is a
# namespace name, not a request).
assert_no_external_refs() {
  local css="$1" bad
  bad="$(grep -oiE 'url\([^)]*\)' "$css" | grep -viE '^url\(\s*["'"'"']?data:' | grep -iE '(https?:)?//' || true)"
  if [ -n "$bad" ] || grep -qiE '@import' "$css"; then
    echo "External reference(s) found in $css:" >&2
    printf '%s\n' "$bad" >&2
    grep -niE '@import' "$css" >&2 || true
    exit 1
  fi
}

OUT="$WORK/out"
mkdir -p "$OUT/htmx" "$OUT/utrecht"

# 1. htmx
HTMX_SRC="$(fetch "$HTMX_PACKAGE" "$HTMX_VERSION" "$HTMX_INTEGRITY")"
grep -q "version:\"${HTMX_VERSION}\"" "$HTMX_SRC/dist/htmx.min.js" \
  || { echo "htmx.min.js does not report version $HTMX_VERSION" >&2; exit 1; }
cp "$HTMX_SRC/dist/htmx.min.js" "$OUT/htmx/htmx.min.js"
cp "$HTMX_SRC/LICENSE" "$OUT/htmx/LICENSE"
printf '%s\n' "$HTMX_VERSION" > "$OUT/htmx/VERSION"

# 2. NL Design System (Utrecht) component library CSS - the single combined
#    stylesheet (dist/index.css; the package ships no minified build).
UTRECHT_SRC="$(fetch "$UTRECHT_PACKAGE" "$UTRECHT_VERSION" "$UTRECHT_INTEGRITY")"
assert_no_external_refs "$UTRECHT_SRC/dist/index.css"
cp "$UTRECHT_SRC/dist/index.css" "$OUT/utrecht/utrecht-component-library.css"
cp "$UTRECHT_SRC/LICENSE.md" "$OUT/utrecht/LICENSE"
printf '%s\n' "$UTRECHT_VERSION" > "$OUT/utrecht/VERSION"

FILES=(
  htmx/htmx.min.js htmx/LICENSE htmx/VERSION
  utrecht/utrecht-component-library.css utrecht/LICENSE utrecht/VERSION
)

if [ "$MODE" = "check" ]; then
  status=0
  for f in "${FILES[@]}"; do
    if [ ! -f "$VENDOR_DIR/$f" ]; then
      echo "MISSING  static/vendor/$f"; status=1
    elif cmp -s "$OUT/$f" "$VENDOR_DIR/$f"; then
      echo "OK       static/vendor/$f  $(sha256sum "$VENDOR_DIR/$f" | cut -d' ' -f1)"
    else
      echo "DIFFERS  static/vendor/$f"; status=1
    fi
  done
  exit "$status"
fi

for f in "${FILES[@]}"; do
  mkdir -p "$(dirname "$VENDOR_DIR/$f")"
  cp "$OUT/$f" "$VENDOR_DIR/$f"
  echo "wrote    static/vendor/$f  $(sha256sum "$VENDOR_DIR/$f" | cut -d' ' -f1)"
done
