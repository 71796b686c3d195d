# DTE AI Service: multi-stage image.
#   build   - every dependency, compiles TypeScript into dist/ and bundles it into dist/bundle/main.js
#   deps    - production dependencies only (npm ci --omit=dev), nothing else
#   warm    - starts the service once so Node 22 writes its compile cache for the runtime stage
#   runtime - node:22-bookworm-slim + deps + dist + knowledge-base + that cache, as the non-root `node` user
# No .env is ever copied (see .dockerignore): configuration comes from the environment
# (compose `env_file`, Kubernetes ConfigMap/Secret). Plain Dockerfile syntax (no BuildKit-only
# features) so Debian's docker-compose v1 classic builder and `docker compose` both build it.

ARG NODE_IMAGE=node:22-bookworm-slim

FROM ${NODE_IMAGE} AS build
# swagger-ui-dist pulls @scarf/scarf, whose postinstall phones home; keep builds offline-friendly.
ENV SCARF_ANALYTICS=false
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error
COPY nest-cli.json tsconfig.json tsconfig.build.json ./
COPY scripts/bundle.mjs ./scripts/
COPY src ./src
RUN npm run build

FROM ${NODE_IMAGE} AS deps
WORKDIR /app
ENV NODE_ENV=production SCARF_ANALYTICS=false
COPY package.json package-lock.json ./
# Type declarations and source maps are never loaded at run time: about half of node_modules' bytes.
RUN npm ci --omit=dev --no-audit --no-fund --loglevel=error \
 && npm cache clean --force \
 && find node_modules -type f \( -name '*.d.ts' -o -name '*.d.mts' -o -name '*.d.cts' -o -name '*.map' \) -delete

FROM ${NODE_IMAGE} AS warm
# One start-up of the service exactly as the runtime stage lays it out (same paths, same files), in
# memory mode until ready, then SIGTERM: its exit writes Node 22's compile cache of every module it
# loaded (docs/performance.md, "Start-up").
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY knowledge-base ./knowledge-base
ENV NODE_COMPILE_CACHE=/app/.node-compile-cache
RUN NODE_ENV=development LOG_LEVEL=warn PORT=8002 node dist/bundle/main.js > /dev/null & pid=$!; \
    for i in $(seq 1 150); do \
      node -e "fetch('http://127.0.0.1:8002/health/ready').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))" && break; \
      sleep 0.2; \
    done; \
    kill -TERM $pid && wait $pid && test -n "$(ls -A $NODE_COMPILE_CACHE)"

FROM ${NODE_IMAGE} AS runtime
LABEL org.opencontainers.image.title="dte-ai-service" \
      org.opencontainers.image.description="AI microservice for Odoo 19 l10n_cl_dte (chat, knowledge base, DTE pre-validation)" \
      org.opencontainers.image.licenses="LGPL-3.0-only"
ENV NODE_ENV=production PORT=8002
WORKDIR /app
# Files stay owned by root and read-only for the service user: the process cannot rewrite its own code.
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY knowledge-base ./knowledge-base
# Node 22's compile cache from the warm stage: every container starts from compiled code.
# Root-owned and read-only for the service user; Node reads it and does not need to write.
ENV NODE_COMPILE_CACHE=/app/.node-compile-cache
COPY --from=warm /app/.node-compile-cache ./.node-compile-cache
USER node
EXPOSE 8002
# Liveness only (never depends on Redis or an LLM); slim images have no curl, so node's fetch.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||8002)+'/health/live').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"]
# node is PID 1 and handles SIGTERM itself (graceful shutdown within SHUTDOWN_GRACE_MS).
STOPSIGNAL SIGTERM
CMD ["node", "dist/bundle/main.js"]
