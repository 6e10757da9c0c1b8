# syntax=docker/dockerfile:1
# The image of every app, built from the repository root with the app's facts as build args
# (docker-compose.yml passes them per service):
#   APP            the folder under apps/ (identity, ingest, transcoder, catalog, edge, web)
#   OPS_PORT       its ops port, the default of OPS_PORT and the port the health check asks
#   MEDIA_TOOLS    true for the apps that run ffmpeg/ffprobe (ingest, transcoder), else false
#   START_COMMAND  its package.json `start` script without the leading `exec`
# e.g. docker build -f deploy/app.Dockerfile --build-arg APP=edge --build-arg OPS_PORT=9105 \
#   --build-arg START_COMMAND='node --max-semi-space-size=2 src/main.ts' .
# Checked in CI by deploy/check-deploy.ts (build steps, user, health check, compose's args).

ARG MEDIA_TOOLS=false

FROM node:24-bookworm-slim AS base
WORKDIR /app

# Only the manifests, so the npm ci layer below is reused until a package.json or the lockfile changes.
FROM base AS manifests
COPY . /src
RUN cd /src && find . -maxdepth 3 -name package.json -exec cp --parents {} /app \; && cp package-lock.json /app/

FROM base AS build
ENV NX_DAEMON=false NX_NO_CLOUD=true NX_TUI=false CI=true
COPY --from=manifests /app ./
RUN npm ci --no-audit --no-fund
COPY . .
# APP is declared only now, so every app's image shares the layers above (one npm ci for six images).
ARG APP
# Builds the app (and what it depends on) when it has a build script: identity (tsc → dist/) and
# web (vite → build/); run-many does nothing for the apps that run their .ts sources directly.
RUN npx nx run-many -t build -p @tonearm/${APP}
RUN npm prune --omit=dev --no-audit --no-fund && rm -rf .nx

# The runtime's base: Debian's ffmpeg and ffprobe only where MEDIA_TOOLS=true picks that stage.
FROM base AS media-tools-false
FROM base AS media-tools-true
RUN apt-get update && apt-get install -y --no-install-recommends ffmpeg && rm -rf /var/lib/apt/lists/*
ENV FFMPEG_PATH=/usr/bin/ffmpeg FFPROBE_PATH=/usr/bin/ffprobe

FROM media-tools-${MEDIA_TOOLS} AS runtime
ARG APP
ARG OPS_PORT
ARG START_COMMAND
ENV NODE_ENV=production OPS_HOST=0.0.0.0 OPS_PORT=${OPS_PORT:?} START_COMMAND=${START_COMMAND:?}
COPY --from=build --chown=root:root /app /app
USER node
WORKDIR /app/apps/${APP:?}
EXPOSE ${OPS_PORT}
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + process.env.OPS_PORT + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# The shell only splits START_COMMAND into words; `exec` replaces it, so node is PID 1 and gets
# docker stop's SIGTERM itself. Not `npm start`: npm (11) forwards the signal but stays resident
# beside every app (~65 MB), and `node --run start` (Node 24) does not forward SIGTERM at all.
CMD ["sh", "-c", "exec $START_COMMAND"]
