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
COPY apps/api/package.json apps/api/
COPY apps/web/package.json apps/web/
COPY infra/aws/package.json infra/aws/
RUN --mount=type=cache,target=/root/.npm npm ci --workspace @coleta/web --include-workspace-root --ignore-scripts
COPY tsconfig.base.json ./
COPY packages/forms packages/forms
COPY packages/monitoring packages/monitoring
COPY apps/web apps/web
RUN npm run build -w @coleta/web

FROM nginx:1.28-alpine AS runtime
COPY --from=build /app/apps/web/dist /usr/share/nginx/html/frontend
