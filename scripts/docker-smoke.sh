#!/usr/bin/env bash
# Builds the Docker image from the Dockerfile and runs it: the API and the worker on the embedded database
# (PGlite in /app/data, as user node), then the migrations and the API against PostgreSQL on the host.
# Exit 0 when every check passed, 1 when one failed, 2 (with a message) when it cannot run here: no Docker
# engine, or no base image (`node:20-bookworm-slim`) to build from and no registry to pull it.
#
#   scripts/docker-smoke.sh              # tag frontera:smoke
#   DOCKER_SMOKE_PG=postgres://postgres@127.0.0.1:5432/postgres scripts/docker-smoke.sh
#
# Where no registry is reachable, a stand-in for the base image can be imported from a Debian root file system
# with this machine's Node.js (how the image was verified on a machine without one):
#   debootstrap --variant=minbase bookworm /tmp/rootfs http://deb.debian.org/debian
#   cp /usr/bin/node /tmp/rootfs/usr/local/bin/ && cp -a /usr/lib/node_modules /tmp/rootfs/usr/local/lib/
#   ln -s ../lib/node_modules/npm/bin/npm-cli.js /tmp/rootfs/usr/local/bin/npm
#   chroot /tmp/rootfs sh -c 'groupadd -g 1000 node && useradd -u 1000 -g node -m node'
#   tar -C /tmp/rootfs -c . | docker import --change 'CMD ["node"]' - node:20-bookworm-slim
# (behind a TLS-intercepting proxy, also copy its CA bundle in and add --change 'ENV NODE_EXTRA_CA_CERTS=…').
#
# The containers use the host's network (`--network host`): the build's `npm ci` reaches the registry the
# host reaches (through its proxy, if any), and the running image reaches PostgreSQL on 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/.."

TAG=${DOCKER_SMOKE_TAG:-frontera:smoke}
PG_ADMIN=${DOCKER_SMOKE_PG:-postgres://postgres@127.0.0.1:5432/postgres}
BASE=$(sed -n 's/^FROM \([^ ]*\).*/\1/p' Dockerfile | head -n 1)
skip() { echo "docker-smoke: skipped: $*"; exit 2; }
fail() { echo "docker-smoke: FAILED: $*"; exit 1; }

command -v docker >/dev/null 2>&1 || skip "no docker client"
if ! docker info >/dev/null 2>&1; then
  command -v dockerd >/dev/null 2>&1 || skip "no Docker engine (dockerd) on this machine"
  echo "docker-smoke: starting dockerd"
  (dockerd >/tmp/docker-smoke-dockerd.log 2>&1 &)
  for _ in $(seq 1 30); do docker info >/dev/null 2>&1 && break; sleep 1; done
  docker info >/dev/null 2>&1 || skip "dockerd did not start (see /tmp/docker-smoke-dockerd.log)"
fi
if ! docker image inspect "$BASE" >/dev/null 2>&1; then
  docker pull -q "$BASE" >/dev/null 2>&1 || skip "base image $BASE is neither here nor pullable"
fi

echo "docker-smoke: docker build -t $TAG ."
started=$(date +%s)
docker build --network host -q -t "$TAG" . >/tmp/docker-smoke-build.log 2>&1 || { tail -n 30 /tmp/docker-smoke-build.log; fail "docker build"; }
echo "docker-smoke: built in $(($(date +%s) - started)) s, $(docker image inspect -f '{{.Size}}' "$TAG" | awk '{printf "%.0f MB", $1/1e6}')"

port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
names=()
cleanup() { for n in "${names[@]}"; do docker rm -f "$n" >/dev/null 2>&1 || true; done; }
trap cleanup EXIT

# GET url → status must be `want`; prints the body on failure.
expect() {
  local url=$1 want=$2 code
  for _ in $(seq 1 40); do
    code=$(curl -s -o /tmp/docker-smoke-body -w '%{http_code}' "$url" || true)
    [ "$code" = "$want" ] && { echo "docker-smoke: GET $url → $code"; return 0; }
    sleep 0.5
  done
  head -c 500 /tmp/docker-smoke-body 2>/dev/null; fail "GET $url answered $code, expected $want"
}

# 1. The image's default command (migrate, worker, API) on the embedded database, as the unprivileged user.
p1=$(port); n1="frontera-smoke-$$-pglite"; names+=("$n1")
docker run -d --name "$n1" --network host -e PORT="$p1" -e SEED_DEFAULT_SOURCES=false "$TAG" >/dev/null
expect "http://127.0.0.1:$p1/healthz" 200
expect "http://127.0.0.1:$p1/readyz" 200
expect "http://127.0.0.1:$p1/v1/topics" 200
expect "http://127.0.0.1:$p1/docs" 200
[ "$(docker exec "$n1" id -un)" = node ] || fail "the container does not run as user node"
docker logs "$n1" 2>&1 | grep -q '"scheduler_started"' || { docker logs "$n1" 2>&1 | tail -n 20; fail "the worker's scheduler did not start"; }
docker stop -t 15 "$n1" >/dev/null
[ "$(docker inspect -f '{{.State.ExitCode}}' "$n1")" = 0 ] || { docker logs "$n1" 2>&1 | tail -n 20; fail "SIGTERM did not stop the container cleanly"; }
echo "docker-smoke: PGlite: API, worker and a clean stop"

# 2. PostgreSQL: the migrate command, then the API alone (what docker-compose runs).
if pg_isready -q -d "$PG_ADMIN" 2>/dev/null; then
  db="frontera_docker_smoke_$$"
  url="${PG_ADMIN%/*}/$db"
  psql -q "$PG_ADMIN" -c "CREATE DATABASE $db" >/dev/null
  trap 'cleanup; psql -q "$PG_ADMIN" -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true' EXIT
  docker run --rm --network host -e DATABASE_URL="$url" "$TAG" node dist/db/migrate.js >/tmp/docker-smoke-migrate.log 2>&1 || { cat /tmp/docker-smoke-migrate.log; fail "migrations on PostgreSQL"; }
  p2=$(port); n2="frontera-smoke-$$-pg"; names+=("$n2")
  docker run -d --name "$n2" --network host -e DATABASE_URL="$url" -e PORT="$p2" "$TAG" node dist/api/main.js >/dev/null
  expect "http://127.0.0.1:$p2/readyz" 200
  expect "http://127.0.0.1:$p2/feeds/all.rss" 200
  echo "docker-smoke: PostgreSQL: migrations and the API"
else
  echo "docker-smoke: PostgreSQL at $PG_ADMIN not reachable: its part skipped"
fi
echo "docker-smoke: passed"
