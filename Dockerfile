# syntax=docker/dockerfile:1
# sluice in a container (README, "Docker"):
#   docker build -t sluice .
#   docker run --rm -v "$PWD:/data" sluice train flights.csv --target 'delay > 15' --save model/
# test/dockerfile.test.ts checks this file without a container engine: the stages, the files they
# copy, and the npm commands, run in a fresh clone.

# Build: the full install (dev dependencies: esbuild, tsc, tsx), `npm run build` into dist/, then
# node_modules cut down to what the runtime stage copies.
FROM node:20-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: no dependency needs its install script on Linux (webgpu's postinstall only
# clears a macOS quarantine flag; esbuild's checks its binary; gpu.js's optional headless `gl`
# would try to compile native code, which this image has no compiler for and sluice does not use).
# npm 11 skips unapproved install scripts anyway; node:20-slim's npm 10 would run them.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY scripts/ scripts/
COPY src/ src/
# Production dependencies only, without `gl` (optional) and Dawn's binaries for macOS and Windows.
RUN npm run build \
 && npm prune --omit=dev --omit=optional --ignore-scripts --no-audit --no-fund \
 && rm -rf node_modules/webgpu/dist/darwin-* node_modules/webgpu/dist/win32-*

# Runtime: what the npm package ships (package.json, bin/, dist/, docs/) and its production
# dependencies. No src/ and no tsx, so bin/sluice.js runs dist/cli.js on plain Node.
FROM node:20-slim
# --build-arg MESA=1 adds Mesa's EGL/GLES, so that `--backend webgpu` runs on Dawn's software
# adapter (llvmpipe: exact but slow; how CI checks the kernels). Without it the image has no WebGPU
# adapter, and `--backend auto` (the default) runs on the CPU.
ARG MESA=0
RUN if [ "$MESA" = 1 ]; then \
      apt-get update \
      && apt-get install -y --no-install-recommends libegl1 libegl-mesa0 libgles2 libgl1-mesa-dri \
      && rm -rf /var/lib/apt/lists/*; \
    fi
# /data: the working directory, where a host folder is mounted; the `node` user can write to it.
RUN install -d -o node -g node /data
ENV NODE_ENV=production EGL_PLATFORM=surfaceless
WORKDIR /app
COPY package.json ./
COPY bin/sluice.js bin/
COPY docs/ docs/
COPY --from=build /app/node_modules node_modules/
COPY --from=build /app/dist dist/
WORKDIR /data
USER node
# `sluice serve` listens on 8080 by default, on 127.0.0.1: pass --host 0.0.0.0 in a container.
EXPOSE 8080
# `docker stop` sends Ctrl-C's signal: train, run, predict and demo stop reading and report what
# they saw; serve closes (on SIGTERM too).
STOPSIGNAL SIGINT
ENTRYPOINT ["node", "/app/bin/sluice.js"]
CMD ["--help"]
