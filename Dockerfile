# One image for every role: migrate, worker (jobs), api.
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
# The reader threads' bundle (src/services/worker-bundle.ts) is built at first start into this directory.
RUN mkdir -p node_modules/.cache/frontera && chown -R node:node node_modules/.cache
USER node
ENV HOST=0.0.0.0 PORT=3000
EXPOSE 3000
CMD ["node", "--import", "tsx", "jobs/main.ts"]
