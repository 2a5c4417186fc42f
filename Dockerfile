# syntax=docker/dockerfile:1.7
# Build stage: full dependency tree, compile TypeScript (tsc + tsc-alias) into dist/.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# `prepare` would build before the sources are copied; the build runs explicitly below.
RUN npm ci --ignore-scripts
COPY tsconfig.base.json tsconfig.build.json tsconfig.json nest-cli.json ./
COPY apps ./apps
COPY libs ./libs
COPY migrations ./migrations
RUN npm run build

# Runtime stage: production dependencies and compiled output only, run as the unprivileged `node` user.
FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production \
    PORT=3000 \
    HOST=0.0.0.0
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY bin ./bin
# The local key provider and the simulator keep state under ./.data; give the runtime user a writable one.
RUN mkdir -p /app/.data && chown node:node /app/.data
USER node
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/health/ready').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# The same launch line as `npm run start:prod` (see package.json): keep the node flags in step.
CMD ["node", "--max-semi-space-size=64", "dist/apps/gateway/src/main.js"]
