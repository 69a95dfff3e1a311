# One image for every MindSpaces service; SERVICES chooses which ones a container runs.

FROM node:22-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# Scripts are skipped: the image has Node 22 already (the `node` devDependency is for machines
# without it) and argon2 loads its prebuilt binary at run time.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json moleculer.config.ts ./
COPY bin ./bin
COPY lib ./lib
COPY mixins ./mixins
COPY services ./services
COPY types ./types
COPY web ./web
# The server, then the web client (dist/web), which the gateway serves at /.
RUN ./node_modules/.bin/tsc -p tsconfig.build.json \
 && ./node_modules/.bin/vite build --config web/vite.config.mts --logLevel warn \
 && npm prune --omit=dev --ignore-scripts --no-audit --no-fund

FROM node:22-bookworm-slim
ENV NODE_ENV=production
# In a container the gateway listens on every interface (outside one, HOST defaults to loopback).
ENV HOST=0.0.0.0
WORKDIR /app
COPY --from=build --chown=node:node /app/package.json ./
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
USER node
EXPOSE 3000
STOPSIGNAL SIGTERM
CMD ["node", "dist/bin/mindspaces.js"]
