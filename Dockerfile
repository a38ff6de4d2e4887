# syntax=docker/dockerfile:1
# Multi-stage build: compile TypeScript with dev dependencies, run with production ones only.
# Build: docker build -t nscl-bot .   Run: see docker-compose.yml and README "Running in production".

FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=8080 \
    TERMINAL=off
WORKDIR /app
COPY package.json package-lock.json ./
# No optional dependencies: in a container MONGODB_URI is always set, so the local-database
# fallbacks (mongodb-memory-server) are never used.
RUN npm ci --omit=dev --omit=optional --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY flows ./flows
COPY locales ./locales
# The web chat's page script, style and widget (served as they are, no build step).
COPY src/channels/web/public ./src/channels/web/public
# DATA_DIR (local database, terminal log) is only used without MONGODB_URI; keep it writable anyway.
RUN mkdir -p /app/.data && chown node:node /app/.data
USER node
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||8080)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "dist/main.js"]
