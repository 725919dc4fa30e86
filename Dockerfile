# The `diptych` command line in a container, for converting large archives with many workers
# (docs/CONVERT.md, "At scale"): Node 24, the CLI and the engine, no Electron, no renderer.
# Build:  docker build -t diptych .
# Run:    docker run --rm -v /data:/data -v /models:/home/diptych/.diptych diptych \
#           convert --run RUN --direction AtoB --in /data/in --out /data/out --shard 0/4
FROM node:24-bookworm-slim

# Native modules ship prebuilt binaries (sharp, better-sqlite3, onnxruntime-node's CPU provider, on
# which conversion runs); none of their install scripts is needed, and electron's (a download from
# GitHub) must not run at all. For NVIDIA GPUs, start from a CUDA 12 + cuDNN 9 runtime image with
# Node 24 and add `RUN ONNXRUNTIME_NODE_INSTALL=cuda12 node node_modules/onnxruntime-node/script/install.js`
# (README, GPU conversion).
ENV NODE_ENV=production npm_config_ignore_scripts=true
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --omit=optional --no-audit --no-fund && npm cache clean --force
COPY bin ./bin
COPY src/main ./src/main
COPY src/node ./src/node
COPY src/shared ./src/shared
COPY src/training ./src/training
COPY resources/samples ./resources/samples

# Runs as a plain user; the workspace (runs, checkpoints) is a volume.
RUN useradd --create-home diptych
USER diptych
VOLUME ["/home/diptych/.diptych"]
ENTRYPOINT ["node", "/app/bin/diptych.mjs"]
CMD ["--help"]
