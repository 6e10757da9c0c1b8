#!/bin/sh
# Runs a command on the workspace's own Node 24 (the `node` devDependency), installing
# dependencies first when they are missing or older than the lockfile. Machines may ship an
# older system Node; everything after this script runs on the pinned one.
set -e
cd "$(dirname "$0")/.."
if [ ! -x node_modules/.bin/node ] || [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "tonearm: installing dependencies (npm ci)" >&2
  npm ci --no-audit --no-fund
fi
PATH="$PWD/node_modules/.bin:$PATH"
export PATH
exec "$@"
