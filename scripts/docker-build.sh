#!/usr/bin/env bash
# The Dockerfile's build without Docker: builds the image's /app folder into OUT, so the image's
# content can be built, checked and run (scripts/docker-smoke.sh) where no Docker engine exists.
#
#   scripts/docker-build.sh [OUT]     OUT: default build/image in the project
#
# KEEP IN STEP WITH ./Dockerfile: every step below quotes the Dockerfile line it stands for; a change
# to one belongs in the other (test/docker-layout.test.ts runs this script).
# What differs from `docker build`, none of it inside /app: no base image, no /data volume and no
# user (scripts/docker-smoke.sh supplies those), no `npm cache clean` (it would empty your own npm
# cache), and npm runs with your npm config (cache, registry, prefer-offline).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
OUT="${1:-$ROOT/build/image}"

die() {
  echo "docker-build: $*" >&2
  exit 1
}

mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd -P)"
case "$ROOT/" in
  "$OUT"/* | "$OUT") die "refusing to build into $OUT: it holds the project itself" ;;
esac
[ "$OUT" != / ] || die "refusing to build into /"
# OUT is emptied first, so it must be empty or hold an earlier layout (never a checkout).
if [ -n "$(ls -A "$OUT")" ] && { [ ! -f "$OUT/bin/glossia-mock.js" ] || [ -e "$OUT/src" ] || [ -e "$OUT/.git" ]; }; then
  die "refusing to empty $OUT: it is neither empty nor an earlier image layout"
fi

WORK="$(mktemp -d "${TMPDIR:-/tmp}/glossia-mock-docker-build.XXXXXX")"
runtime_pid=""
cleanup() {
  if [ -n "$runtime_pid" ]; then kill "$runtime_pid" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

# ---- Final stage, first part. BuildKit builds it alongside the build stage, and so do we. -------
# FROM ${NODE_IMAGE}  /  WORKDIR /app
find "$OUT" -mindepth 1 -maxdepth 1 -exec rm -rf {} +
# COPY package.json package-lock.json ./
cp "$ROOT/package.json" "$ROOT/package-lock.json" "$OUT/"
# RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
(cd "$OUT" && exec npm ci --omit=dev --ignore-scripts --no-audit --no-fund) >"$WORK/runtime-npm-ci.log" 2>&1 &
runtime_pid=$!

# ---- Build stage --------------------------------------------------------------------------------
# FROM ${NODE_IMAGE} AS build  /  WORKDIR /app
BUILD="$WORK/build"
mkdir "$BUILD"
# COPY package.json package-lock.json tsconfig.json tsconfig.build.json ./
cp "$ROOT/package.json" "$ROOT/package-lock.json" "$ROOT/tsconfig.json" "$ROOT/tsconfig.build.json" "$BUILD/"
# RUN npm ci --ignore-scripts --no-audit --no-fund
echo "docker-build: build stage: npm ci (with dev dependencies)"
(cd "$BUILD" && npm ci --ignore-scripts --no-audit --no-fund)
# COPY src ./src
cp -R "$ROOT/src" "$BUILD/src"
# COPY scripts/bundle.js ./scripts/
mkdir "$BUILD/scripts"
cp "$ROOT/scripts/bundle.js" "$BUILD/scripts/"
# RUN npm run build && rm -f dist/.tsbuildinfo
echo "docker-build: build stage: npm run build"
(cd "$BUILD" && npm run build && rm -f dist/.tsbuildinfo)

# ---- Final stage, the rest ----------------------------------------------------------------------
echo "docker-build: final stage: npm ci --omit=dev"
if ! wait "$runtime_pid"; then
  runtime_pid=""
  cat "$WORK/runtime-npm-ci.log" >&2
  die "npm ci --omit=dev failed in $OUT"
fi
runtime_pid=""
cat "$WORK/runtime-npm-ci.log"
# COPY --from=build /app/dist ./dist
cp -R "$BUILD/dist" "$OUT/dist"
# COPY bin ./bin
cp -R "$ROOT/bin" "$OUT/bin"
# COPY fixtures ./fixtures
cp -R "$ROOT/fixtures" "$OUT/fixtures"

echo "docker-build: image layout (the image's /app) in $OUT"
