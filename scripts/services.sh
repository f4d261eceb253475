#!/usr/bin/env bash
# Installs (from Debian's packages) and starts the services the tests and the scale-out work
# need, on loopback only. Idempotent: a second run changes nothing and prints nothing; a
# stopped service is started again. Says what it did.
#
#   PostgreSQL (Debian 12's, 15) on 127.0.0.1:5432. The user `postgres` is trusted from this
#     machine without a password: a TEST database only. Production uses a password or client
#     certificates (docs/operations.md).
#   NATS with JetStream (Debian's nats-server) on 127.0.0.1:4222, monitoring on 127.0.0.1:8222,
#     its store and log under $HUIJIAO_SERVICES_DIR (default /var/lib/huijiao-services).
#
#   scripts/services.sh [start|stop|status]      (default: start)
set -euo pipefail

state_dir="${HUIJIAO_SERVICES_DIR:-/var/lib/huijiao-services}"
pg_version=15
pg_port=5432
nats_port=4222
nats_monitor=8222
action="${1:-start}"

say() { echo "services: $*"; }
sudo_=""
[ "$(id -u)" = 0 ] || sudo_=sudo

# apt-get install, with one `apt-get update` first if the lists are empty or the name unknown.
apt_install() {
  say "installing $* (Debian packages)"
  if ! $sudo_ env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null 2>&1; then
    $sudo_ apt-get update -qq >/dev/null
    $sudo_ env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
  fi
}

pg_ready() { pg_isready -h 127.0.0.1 -p "$pg_port" -q 2>/dev/null; }
nats_ready() { curl -sf "http://127.0.0.1:$nats_monitor/healthz?js-enabled-only=true" >/dev/null 2>&1; }
wait_for() { # what, check-function, seconds
  local i
  for ((i = 0; i < $3 * 5; i++)); do
    "$2" && return 0
    sleep 0.2
  done
  say "$1 did not answer within $3 s" >&2
  return 1
}

postgres_start() {
  local conf=/etc/postgresql/$pg_version/main changed=0
  if [ ! -x /usr/lib/postgresql/$pg_version/bin/postgres ]; then
    apt_install postgresql-$pg_version postgresql-client-$pg_version
  fi
  if [ ! -f "$conf/postgresql.conf" ]; then
    say "creating the PostgreSQL $pg_version cluster"
    $sudo_ pg_createcluster $pg_version main >/dev/null
  fi
  # Loopback only, and settings for a throwaway test database: nothing here must survive a
  # power cut, and each test creates and drops a database of its own.
  local ours="$conf/conf.d/huijiao-tests.conf"
  local want
  want="# scripts/services.sh: a test database on loopback; never for production
listen_addresses = '127.0.0.1'
port = $pg_port
max_connections = 200
fsync = off
synchronous_commit = off
full_page_writes = off"
  if [ "$(cat "$ours" 2>/dev/null)" != "$want" ]; then
    $sudo_ mkdir -p "$conf/conf.d"
    printf '%s\n' "$want" | $sudo_ tee "$ours" >/dev/null
    changed=1
  fi
  # Trust for the user postgres from this machine (first match wins: these lines go first).
  local hba="$conf/pg_hba.conf" marker="# huijiao-tests: trust postgres on loopback (scripts/services.sh)"
  if ! grep -qF "$marker" "$hba"; then
    { printf '%s\n' "$marker" \
        "local all postgres trust" \
        "host  all postgres 127.0.0.1/32 trust" \
        "host  all postgres ::1/128 trust" \
        "# end huijiao-tests"
      cat "$hba"; } | $sudo_ tee "$hba.new" >/dev/null
    $sudo_ chown --reference="$hba" "$hba.new"
    $sudo_ chmod --reference="$hba" "$hba.new"
    $sudo_ mv "$hba.new" "$hba"
    changed=1
  fi
  if pg_lsclusters -h 2>/dev/null | awk -v v=$pg_version '$1 == v && $2 == "main" {print $4}' | grep -q online; then
    if [ $changed = 1 ]; then
      say "restarting PostgreSQL $pg_version (its settings changed)"
      $sudo_ pg_ctlcluster --skip-systemctl-redirect $pg_version main restart
    fi
  else
    say "starting PostgreSQL $pg_version on 127.0.0.1:$pg_port"
    $sudo_ pg_ctlcluster --skip-systemctl-redirect $pg_version main start
  fi
  wait_for PostgreSQL pg_ready 30
}

nats_start() {
  command -v nats-server >/dev/null 2>&1 || apt_install nats-server
  nats_ready && return 0
  $sudo_ mkdir -p "$state_dir/nats/jetstream"
  # A stale pid file from a killed server: the process is gone, so start anew.
  local pid_file="$state_dir/nats/nats.pid"
  if [ -f "$pid_file" ] && kill -0 "$(cat "$pid_file")" 2>/dev/null; then
    say "NATS (pid $(cat "$pid_file")) is not healthy yet; waiting"
  else
    say "starting NATS with JetStream on 127.0.0.1:$nats_port (store: $state_dir/nats/jetstream)"
    printf '%s\n' "# scripts/services.sh: loopback only" \
      "listen: \"127.0.0.1:$nats_port\"" \
      "http: \"127.0.0.1:$nats_monitor\"" \
      "pid_file: \"$pid_file\"" \
      "log_file: \"$state_dir/nats/nats.log\"" \
      "jetstream { store_dir: \"$state_dir/nats/jetstream\" }" |
      $sudo_ tee "$state_dir/nats/nats.conf" >/dev/null
    $sudo_ setsid nats-server -c "$state_dir/nats/nats.conf" </dev/null >/dev/null 2>&1 &
  fi
  wait_for NATS nats_ready 30
}

case "$action" in
  start)
    command -v curl >/dev/null 2>&1 || apt_install curl ca-certificates
    postgres_start
    nats_start
    ;;
  stop)
    if [ -f "$state_dir/nats/nats.pid" ] && kill "$(cat "$state_dir/nats/nats.pid")" 2>/dev/null; then
      say "stopped NATS"
    fi
    if pg_ready; then
      $sudo_ pg_ctlcluster --skip-systemctl-redirect $pg_version main stop && say "stopped PostgreSQL"
    fi
    ;;
  status)
    pg_ready && echo "PostgreSQL: up on 127.0.0.1:$pg_port" || echo "PostgreSQL: down"
    nats_ready && echo "NATS: up on 127.0.0.1:$nats_port (JetStream)" || echo "NATS: down"
    ;;
  *)
    echo "usage: scripts/services.sh [start|stop|status]" >&2
    exit 2
    ;;
esac
