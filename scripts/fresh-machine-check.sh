#!/usr/bin/env bash
# Fresh-machine check: the README's two commands as a newcomer meets them. A clone of this repository (HEAD) in a new
# private (0700) folder, with no ../shared beside it and the machine's PostgreSQL binaries hidden
# (POSTGRES_BIN_SOURCE=npm, and PATH without them), must:
#   1. `npm ci && npm start` with no DATABASE_URL → /health/ready answers, one VerifyUSI with the demo key succeeds;
#   2. stop, `npm start` again → the same data and the same key still work;
#   3. `npm test` on one test file that uses the public keystores → passes without ../shared.
# Bounded in time; cleans up after itself (npm run reset, then the folder). Usage: bash scripts/fresh-machine-check.sh
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
READY_TIMEOUT=${READY_TIMEOUT:-90}
TEST_FILE=${TEST_FILE:-test/conformance/public-keystore.e2e.spec.ts}

log() { printf '[fresh-machine] %s\n' "$*"; }
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f s", b - a }'; }

work="$(mktemp -d)"   # 0700, like a home folder under /root
gateway_pid=""
cleanup() {
  [ -n "$gateway_pid" ] && kill -TERM -- "-$gateway_pid" 2>/dev/null && wait "$gateway_pid" 2>/dev/null || true
  if [ -d "$work/usi-gateway/node_modules" ]; then (cd "$work/usi-gateway" && node dist/apps/gateway/src/bootstrap/reset-demo.js >/dev/null 2>&1 || true); fi
  rm -rf "$work"
}
trap cleanup EXIT

# No system PostgreSQL on PATH or by discovery: only what npm ci brings may serve. Stubs that fail shadow every
# PostgreSQL command on PATH (/usr/bin cannot simply be dropped), and POSTGRES_BIN_SOURCE=npm skips the system folders.
mkdir -p "$work/no-postgres"
for bin in initdb pg_ctl postgres pg_config psql pg_isready createdb pg_ctlcluster; do
  printf '#!/bin/sh\necho "%s: hidden by the fresh-machine check" >&2\nexit 127\n' "$bin" > "$work/no-postgres/$bin"
  chmod +x "$work/no-postgres/$bin"
done
export PATH="$work/no-postgres:$PATH" POSTGRES_BIN_SOURCE=npm
unset DATABASE_URL DATABASE_MIGRATION_URL PORT
if initdb --version >/dev/null 2>&1 || pg_config --bindir >/dev/null 2>&1; then
  log "FAIL: PostgreSQL binaries still usable from PATH"; exit 1
fi

log "folder $work (mode $(stat -c %a "$work")), user $(id -un), node $(node --version), npm $(npm --version)"
git clone -q "$repo" "$work/usi-gateway"
cd "$work/usi-gateway"
[ ! -e ../shared ] || { log "FAIL: ../shared exists beside the clone"; exit 1; }

t=$(now); npm ci --no-audit --no-fund > "$work/npm-ci.log" 2>&1 || { tail -30 "$work/npm-ci.log"; exit 1; }
log "npm ci: $(since "$t")"
if grep -q "install-scripts" "$work/npm-ci.log"; then log "FAIL: npm ci warned about install scripts"; grep install-scripts "$work/npm-ci.log"; exit 1; fi

start_and_verify() {
  local label="$1" t
  t=$(now)
  # Its own process group, so stopping it stops npm and the node process it started, not npm alone.
  setsid npm start > "$work/start-$label.log" 2>&1 &
  gateway_pid=$!
  local url=""
  for _ in $(seq 1 $((READY_TIMEOUT * 5))); do
    if [ -s .data/demo.json ] && grep -q "USI Gateway demo is ready" "$work/start-$label.log"; then
      url=$(node -p "require('./.data/demo.json').baseUrl")
      curl -fs "$url/health/ready" > /dev/null && break
    fi
    kill -0 "$gateway_pid" 2>/dev/null || { log "FAIL: npm start exited"; tail -30 "$work/start-$label.log"; exit 1; }
    sleep 0.2
  done
  curl -fs "$url/health/ready" > /dev/null || { log "FAIL: not ready within ${READY_TIMEOUT} s"; tail -30 "$work/start-$label.log"; exit 1; }
  log "$label: npm start → /health/ready in $(since "$t") ($(grep -m1 'server binaries' "$work/start-$label.log" | sed 's/^postgres: //'))"
  grep -q "server binaries: .* (npm)" "$work/start-$label.log" || { log "FAIL: not the npm binaries"; exit 1; }
  local key org answer
  key=$(node -p "require('./.data/demo.json').apiKey"); org=$(node -p "require('./.data/demo.json').orgCode")
  answer=$(curl -fsS -X POST "$url/v1/organisations/$org/usi/verify" -H "Authorization: Bearer $key" -H 'Content-Type: application/json' \
    -d '{"usi":"BNGH7C75FN","firstName":"Maryam","familyName":"Fredrick","dateOfBirth":"1966-05-25"}')
  echo "$answer" | grep -q '"usiStatus":"Valid"' || { log "FAIL: verify answered $answer"; exit 1; }
  log "$label: verify with the demo key → $answer"
  echo "$key" > "$work/key-$label"
  local group="$gateway_pid"
  kill -TERM -- "-$group"; wait "$group" 2>/dev/null || true; gateway_pid=""
  # The node process outlives npm by its graceful shutdown; the next start must find the cluster stopped.
  for _ in $(seq 1 300); do pgrep -g "$group" >/dev/null 2>&1 || break; sleep 0.1; done
  if pgrep -g "$group" >/dev/null 2>&1; then log "FAIL: the gateway did not stop within 30 s of SIGTERM"; exit 1; fi
}

start_and_verify first
start_and_verify second
cmp -s "$work/key-first" "$work/key-second" || { log "FAIL: the second start seeded a new key"; exit 1; }
log "second start kept the data: same API key"

t=$(now)
npm test -- "$TEST_FILE" > "$work/npm-test.log" 2>&1 || { tail -40 "$work/npm-test.log"; log "FAIL: npm test without ../shared"; exit 1; }
log "npm test -- $TEST_FILE without ../shared: $(grep -E '^Tests:' "$work/npm-test.log") in $(since "$t")"
log "OK"
