#!/usr/bin/env bash
# Runs an image layout from scripts/docker-build.sh the way the container runs it, without Docker:
# the image's environment only (env -i), its ENTRYPOINT, then the Dockerfile's own HEALTHCHECK command
# (read from the Dockerfile, not copied), a check that the data file appears in the "volume", and a
# stop by SIGTERM as `docker stop` sends it. Ends with the layout's size and the image size to expect.
#
#   scripts/docker-smoke.sh [LAYOUT]   LAYOUT: default build/image in the project
#
# Uses the `node` on PATH; the image has Node 24, so put a Node 24 first on PATH to match it.
# Keep in step with ./Dockerfile (ENV, ENTRYPOINT, HEALTHCHECK) and scripts/docker-build.sh.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
LAYOUT="$(cd "${1:-$ROOT/build/image}" && pwd -P)"
DOCKERFILE="$ROOT/Dockerfile"

die() {
  echo "docker-smoke: FAILED: $*" >&2
  exit 1
}

for f in package.json bin/glossia-mock.js dist/bundle/cli.js dist/bundle/index.js fixtures/users.json node_modules/koa/package.json; do
  [ -e "$LAYOUT/$f" ] || die "$LAYOUT/$f is missing: build the layout with scripts/docker-build.sh first"
done
for f in src test tsconfig.json node_modules/typescript node_modules/vitest dist/.tsbuildinfo; do
  [ ! -e "$LAYOUT/$f" ] || die "$LAYOUT/$f must not be in the image"
done

# The HEALTHCHECK instruction, continuation lines joined; its shell-form CMD runs under /bin/sh -c.
HEALTHCHECK="$(awk '/^HEALTHCHECK /{on=1} on{line=line $0; if ($0 !~ /\\$/) exit; sub(/\\$/, "", line)} END{print line}' "$DOCKERFILE")"
HEALTHCHECK_CMD="${HEALTHCHECK#* CMD }"
if [ -z "$HEALTHCHECK" ] || [ "$HEALTHCHECK_CMD" = "$HEALTHCHECK" ]; then die "no HEALTHCHECK ... CMD in $DOCKERFILE"; fi

TMP="$(mktemp -d "${TMPDIR:-/tmp}/glossia-mock-smoke.XXXXXX")"
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; fi
  rm -rf "$TMP"
}
trap cleanup EXIT

PORT="$(node -e "const s=require('node:net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")"
# RUN mkdir -p /data && chown node:node /data   (the volume; here a temporary folder)
mkdir -p "$TMP/data" "$TMP/home"
DATA="$TMP/data/db.json"

# The image's ENV, with /data and /app mapped onto this machine's folders; nothing else leaks in.
container_env=(
  env -i "PATH=$PATH" "HOME=$TMP/home"
  NODE_ENV=production
  GLOSSIA_MOCK_HOST=0.0.0.0
  "GLOSSIA_MOCK_PORT=$PORT"
  "GLOSSIA_MOCK_DATA=$DATA"
  "GLOSSIA_MOCK_FIXTURES=$LAYOUT/fixtures"
)
healthcheck() {
  (cd "$LAYOUT" && "${container_env[@]}" /bin/sh -c "$HEALTHCHECK_CMD") >/dev/null 2>&1
}

echo "docker-smoke: node $(node --version) (the image has Node 24), port $PORT"
# ENTRYPOINT ["node", "bin/glossia-mock.js"]   (WORKDIR /app, no arguments)
(cd "$LAYOUT" && exec "${container_env[@]}" node bin/glossia-mock.js) >"$TMP/server.log" 2>&1 &
server_pid=$!

# Docker probes during the start period; so do we, every 0.2 s for up to 20 s.
healthy=""
for _ in $(seq 1 100); do
  kill -0 "$server_pid" 2>/dev/null || { cat "$TMP/server.log" >&2; die "the server exited during start-up"; }
  if healthcheck; then healthy=1; break; fi
  sleep 0.2
done
[ -n "$healthy" ] || { cat "$TMP/server.log" >&2; die "HEALTHCHECK did not pass within 20 s"; }
echo "docker-smoke: HEALTHCHECK passed: $HEALTHCHECK_CMD"

grep -Eq "listening +http://0\.0\.0\.0:$PORT\b" "$TMP/server.log" || { cat "$TMP/server.log" >&2; die "not listening on 0.0.0.0:$PORT"; }
grep -Fq "$DATA" "$TMP/server.log" || { cat "$TMP/server.log" >&2; die "the banner does not name the store $DATA"; }
[ -s "$DATA" ] || die "the data file $DATA was not created"
node -e "JSON.parse(require('node:fs').readFileSync(process.argv[1], 'utf8'))" "$DATA" || die "$DATA is not JSON"
echo "docker-smoke: data file created in the volume: $(wc -c <"$DATA" | tr -d ' ') bytes"

# Discovery names the issuer a client on the host sees through -p $PORT:$PORT.
node -e "
fetch('http://127.0.0.1:$PORT/.well-known/oauth-authorization-server').then(async (r) => {
  const issuer = r.ok && (await r.json()).issuer;
  if (issuer !== 'http://localhost:$PORT') throw new Error('discovery: HTTP ' + r.status + ', issuer ' + issuer);
}).catch((e) => { console.error(e.message); process.exit(1); });" || die "discovery"
echo "docker-smoke: discovery OK (issuer http://localhost:$PORT)"

# docker stop: SIGTERM, then SIGKILL after 10 s.
kill -TERM "$server_pid"
for _ in $(seq 1 50); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.2; done
if kill -0 "$server_pid" 2>/dev/null; then die "still running 10 s after SIGTERM (docker stop would kill it)"; fi
status=0
wait "$server_pid" || status=$?
server_pid=""
[ "$status" -eq 0 ] || { cat "$TMP/server.log" >&2; die "exit status $status after SIGTERM"; }
echo "docker-smoke: stopped cleanly on SIGTERM"
! healthcheck || die "HEALTHCHECK passes with the server stopped"
echo "docker-smoke: HEALTHCHECK fails once the server is gone, as it should"

# Sizes. `docker images` counts the unpacked layers (apparent size), a registry the gzipped ones.
# The base image cannot be measured without Docker: these are node:24-trixie-slim's usual sizes.
BASE_DISK_MB=220 BASE_GZ_MB=75
kib() { du -sk "$@" | awk '{s += $1} END {print s}'; }
size() { awk -v k="$1" 'BEGIN {if (k < 1024) printf "%d KB", k; else printf "%.1f MB", k / 1024}'; }
apparent=$(du -sk --apparent-size "$LAYOUT" 2>/dev/null | cut -f1 || true)
layer=${apparent:-$(kib "$LAYOUT")}
gzipped=$(($(tar -C "$LAYOUT" -cf - . | gzip -6 | wc -c) / 1024))
echo "docker-smoke: layout size: $(du -sh "$LAYOUT" | cut -f1) on disk (du -sh), $(size "$layer") of files, $(size "$gzipped") gzipped"
for part in node_modules dist fixtures bin package.json package-lock.json; do
  printf '  %-18s %s\n' "$part" "$(size "$(kib "$LAYOUT/$part")")"
done
echo "docker-smoke: expected image size: base ~$BASE_DISK_MB MB on disk / ~$BASE_GZ_MB MB compressed (not measured here)"
echo "  + /app $(size "$layer") / $(size "$gzipped") compressed"
awk -v d="$BASE_DISK_MB" -v g="$BASE_GZ_MB" -v a="$layer" -v z="$gzipped" \
  'BEGIN {printf "  = about %.0f MB on disk (docker images) and %.0f MB to pull\n", d + a / 1024, g + z / 1024}'
echo "docker-smoke: OK"
