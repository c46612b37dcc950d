# One image for every role: migrate, worker (jobs), api. Two stages: the first compiles with the dev dependencies
# (TypeScript), the second holds the runtime dependencies and the compiled dist/ only, nothing written at run time
# but the data directory.
# No package needs its install script here: esbuild's checks a binary the build does not use (tsc compiles), and
# @scarf/scarf's (through swagger-ui-dist) only reports the download.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY scripts/build.mjs scripts/
COPY src src
COPY db db
COPY jobs jobs
COPY api api
RUN npm run build

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
# Apertium's Spanish→English pipeline, for cross-language story placement (TRANSLATOR=auto uses it when present).
# Without a Debian mirror the image still builds, without it (--build-arg APERTIUM=0 skips it on purpose).
ARG APERTIUM=1
RUN if [ "$APERTIUM" = 1 ]; then \
      (apt-get update -qq && apt-get install -y -qq --no-install-recommends apertium apertium-en-es && rm -rf /var/lib/apt/lists/*) \
      || echo "warning: apertium not installed; Spanish articles are placed without an English reading"; \
    fi
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist dist
# `npm start` and `npm run db:migrate` work here too: their build step finds no sources and leaves dist/ alone.
COPY scripts/build.mjs scripts/
# The embedded database's directory (DATA_DIR=./data) when no DATABASE_URL is given; code and packages stay root's.
RUN mkdir data && chown node:node data
USER node
ENV HOST=0.0.0.0 PORT=3000
EXPOSE 3000
CMD ["node", "dist/jobs/main.js"]
