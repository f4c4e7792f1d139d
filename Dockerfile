# nhiscan as a container: `docker run --rm --user "$(id -u):$(id -g)" -v "$PWD:/scan" nhiscan scan git:.`
# Multi-stage: the build stage has the dev dependencies (TypeScript) and the C++ tool chain; the image ships
# dist/ and the runtime dependencies only, on Node 20 slim with git, as a non-root user.
# Rehearsed without a Docker daemon by scripts/docker-rehearsal.ts (docs/pipelines.md, Container).

# Pinned: Node 20's last release and Debian 12, so the native module built below matches the runtime stage's
# Node ABI and glibc, and apt's package names stay put (node:20-slim may move to a newer Debian).
FROM node:20.20.2-bookworm-slim AS build
# better-sqlite3 (the default --history store) is a native module. It is compiled here, from source, against
# the Node headers this image ships in /usr/local/include/node: no prebuilt binary or header download from
# outside the npm registry, so the build works behind a registry mirror too. The tool chain stays in this stage.
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
WORKDIR /build
COPY package.json package-lock.json ./
# No install script runs unreviewed: npm 10 (this image's) ignores package.json's allowScripts, so scripts are off
# and the one approved there, better-sqlite3's, is run explicitly; then the binding is loaded once, which also
# fails the build if `npm ci` lost packages to a network error and still exited 0 (npm 10 does).
RUN npm ci --no-audit --no-fund --ignore-scripts \
  && npm_config_build_from_source=true npm_config_nodedir=/usr/local npm rebuild better-sqlite3 \
  && node -e "new (require('better-sqlite3'))(':memory:').close()"
COPY tsconfig.json ./
COPY src ./src
COPY connectors ./connectors
COPY rules ./rules
COPY reports ./reports
# The CLI ships as one esbuild bundle (dist/cli/, scripts/bundle.ts); only the bundler of scripts/ is needed here.
COPY scripts/bundle.ts ./scripts/bundle.ts
# Only the compiled binding is kept of better-sqlite3's build (objects and the SQLite sources are not needed at run time).
RUN npm run build --silent \
  && npm prune --omit=dev --no-audit --no-fund \
  && cd node_modules/better-sqlite3 \
  && find build -mindepth 1 -maxdepth 1 ! -name Release -exec rm -rf {} + \
  && find build/Release -mindepth 1 -maxdepth 1 ! -name better_sqlite3.node -exec rm -rf {} + \
  && rm -rf deps src

FROM node:20.20.2-bookworm-slim AS runtime
# A fixed numeric uid: Kubernetes' runAsNonRoot can only verify a numeric USER, and volume ownership can be planned.
# The mounted repository belongs to another user, so git must trust every directory, for the image's user and for
# any `--user`: nhiscan runs git with GIT_CONFIG_NOSYSTEM (so not /etc/gitconfig), and an unknown uid has HOME=/,
# hence a global git config under XDG_CONFIG_HOME. The git blob cache goes to a folder any uid can write (a volume
# mounted there keeps it between runs).
RUN apt-get update \
  && apt-get install -y --no-install-recommends git ca-certificates \
  && rm -rf /var/lib/apt/lists/* \
  && groupadd --gid 10001 nhiscan \
  && useradd --uid 10001 --gid nhiscan --create-home --home-dir /home/nhiscan nhiscan \
  && mkdir -p /etc/nhiscan/git /var/cache/nhiscan \
  && chmod 1777 /var/cache/nhiscan \
  && git config --file /etc/nhiscan/git/config --add safe.directory '*'
WORKDIR /opt/nhiscan
ENV NODE_ENV=production XDG_CONFIG_HOME=/etc/nhiscan XDG_CACHE_HOME=/var/cache/nhiscan
COPY --from=build /build/package.json ./package.json
COPY --from=build /build/node_modules ./node_modules
COPY --from=build /build/dist/cli ./dist/cli
COPY LICENSE README.md ./
USER 10001:10001
WORKDIR /scan
ENTRYPOINT ["node", "/opt/nhiscan/dist/cli/cli.js"]
CMD ["--help"]
