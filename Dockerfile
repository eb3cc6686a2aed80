# syntax=docker/dockerfile:1
# glossia-mock: build the TypeScript, then ship only production dependencies and dist/.

FROM node:24-slim AS build
WORKDIR /app
COPY package.json package-lock.json tsconfig.json tsconfig.build.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY src ./src
RUN npm run build

FROM node:24-slim
ENV NODE_ENV=production \
    GLOSSIA_MOCK_HOST=0.0.0.0 \
    GLOSSIA_MOCK_PORT=4050 \
    GLOSSIA_MOCK_DATA=/data/db.json \
    GLOSSIA_MOCK_FIXTURES=/app/fixtures
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY bin ./bin
COPY fixtures ./fixtures
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 4050
HEALTHCHECK --interval=10s --timeout=3s --start-period=5s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.GLOSSIA_MOCK_PORT||4050)+'/up').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "bin/glossia-mock.js"]
