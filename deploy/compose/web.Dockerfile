# syntax=docker/dockerfile:1.7
#
# Local stand-in for CloudFront + S3: builds apps/web and serves it with nginx at /frontend.
# Build context: the repository root (see deploy/compose/docker-compose.yml). The nginx
# configuration is mounted by compose (deploy/compose/nginx.conf), not baked in.

ARG NODE_IMAGE=node:20.20-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
ENV npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false
COPY package.json package-lock.json ./
COPY packages/forms/package.json packages/forms/
COPY packages/monitoring/package.json packages/monitoring/
COPY packages/permissions/package.json packages/permissions/
COPY packages/http-policy/package.json packages/http-policy/
COPY apps/api/package.json apps/api/
COPY apps/web/package.json apps/web/
COPY infra/aws/package.json infra/aws/
COPY deploy/kubernetes/package.json deploy/kubernetes/
RUN --mount=type=cache,target=/root/.npm npm ci --workspace @coleta/web --include-workspace-root --ignore-scripts
COPY tsconfig.base.json ./
COPY packages/forms packages/forms
COPY packages/monitoring packages/monitoring
COPY packages/permissions packages/permissions
# The API's default base paths (vite.config.ts builds for the paths the API serves).
COPY apps/api/src/config/base-paths.ts apps/api/src/config/
# Brotli/gzip copies of the build, written by the Vite config.
COPY scripts/precompress.mjs scripts/
COPY apps/web apps/web
RUN npm run build -w @coleta/web

FROM nginx:1.28-alpine AS runtime
COPY --from=build /app/apps/web/dist /usr/share/nginx/html/frontend
