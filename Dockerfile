# syntax=docker/dockerfile:1
# glossia-mock: build the TypeScript, then ship only production dependencies and dist/.
#
# KEEP IN STEP WITH scripts/docker-build.sh, which runs these same steps without Docker (it quotes
# each line it stands for), and scripts/docker-smoke.sh, which runs the result with this file's ENV
# and HEALTHCHECK; test/docker-layout.test.ts runs both, so CI checks the image's content.
#
# Node 24 LTS (maintained until 2028-04; Node 26 has been the active LTS since 2026-10-28, and
# scripts/docker-smoke.sh passes on it too: --build-arg NODE_IMAGE=node:26-trixie-slim). The Debian
# release is named because `node:24-slim` follows docker-node's default release, which moves
# (bookworm until 2026, trixie now); bookworm itself left security support on 2026-06-10.
# To pin a digest (only with a bot that bumps it):
#   docker build --build-arg NODE_IMAGE=node:24-trixie-slim@sha256:<digest> .
ARG NODE_IMAGE=node:24-trixie-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json tsconfig.json tsconfig.build.json ./
# --ignore-scripts: `prepare` would build before src/ is here.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY src ./src
COPY scripts/bundle.js ./scripts/
# .tsbuildinfo is the compiler's state, not output (package.json "files" leaves it out too).
RUN npm run build && rm -f dist/.tsbuildinfo

FROM ${NODE_IMAGE}
ENV NODE_ENV=production \
    GLOSSIA_MOCK_HOST=0.0.0.0 \
    GLOSSIA_MOCK_PORT=4050 \
    GLOSSIA_MOCK_DATA=/data/db.json \
    GLOSSIA_MOCK_FIXTURES=/app/fixtures
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts is required: `prepare` runs `npm run build`, and there is no TypeScript here.
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY bin ./bin
COPY fixtures ./fixtures
# Owned by node before VOLUME, so a new named volume starts out writable for it. A bind mount keeps
# the host folder's owner: run with --user "$(id -u):$(id -g)" or make the folder writable for uid 1000.
RUN mkdir -p /data && chown node:node /data
# bin/glossia-mock.js turns on Node's compile cache: it goes to /tmp/node-compile-cache (os.tmpdir(),
# mode 1777, so writable for node). It only pays off when the same container restarts (~20 ms CPU
# of ~300 ms start-up), so it is not pre-filled here; with --read-only it quietly stays off.
USER node
VOLUME ["/data"]
EXPOSE 4050
# Set the port with GLOSSIA_MOCK_PORT, not --port, so this probe follows it. No --start-interval here:
# Podman 4 / Buildah 1.28 and Docker's classic builder before Engine 25 refuse to build with it
# ("flag provided but not defined: -start-interval"). The first probe comes one --interval after
# start; for a fast first probe set start_interval in compose (docker-compose.example.yml) or
# `docker run --health-start-interval=1s` (Engine >= 25). Podman keeps HEALTHCHECK only in Docker-
# format images: `podman build --format docker`.
HEALTHCHECK --interval=10s --timeout=3s --start-period=10s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.GLOSSIA_MOCK_PORT||4050)+'/up').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# ENTRYPOINT, so flags go straight after the image name: docker run … glossia-mock --auto-approve dev
ENTRYPOINT ["node", "bin/glossia-mock.js"]
