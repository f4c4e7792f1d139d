# nhiscan as a container: `docker run --rm -v "$PWD:/scan" nhiscan scan git:.`
# Multi-stage: the build stage has the dev dependencies (TypeScript); the image ships dist/ and the
# runtime dependencies only, on Node 20 slim with git, as a non-root user.

FROM node:20-slim AS build
WORKDIR /build
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY tsconfig.json ./
COPY src ./src
COPY connectors ./connectors
COPY rules ./rules
COPY reports ./reports
COPY bench ./bench
COPY testkit ./testkit
COPY examples/estate ./examples/estate
COPY scripts ./scripts
RUN npm run build --silent && npm prune --omit=dev --no-audit --no-fund

FROM node:20-slim AS runtime
RUN apt-get update \
  && apt-get install -y --no-install-recommends git ca-certificates \
  && rm -rf /var/lib/apt/lists/* \
  && groupadd --system nhiscan && useradd --system --gid nhiscan --create-home nhiscan
WORKDIR /opt/nhiscan
ENV NODE_ENV=production
COPY --from=build /build/package.json ./package.json
COPY --from=build /build/node_modules ./node_modules
COPY --from=build /build/dist/cli ./dist/cli
COPY LICENSE README.md ./
USER nhiscan
# Mounted repositories belong to another user: git would refuse them as "dubious ownership".
RUN git config --global --add safe.directory '*'
WORKDIR /scan
ENTRYPOINT ["node", "/opt/nhiscan/dist/cli/cli.js"]
CMD ["--help"]
