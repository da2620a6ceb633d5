# shellcheck shell=bash
# Source this file, then call `signet_services redis postgres` (or a subset). Each service
# must answer on 127.0.0.1 before tests start: one that is installed but stopped is
# started; one that is not installed stops the run at once with the command to install it.

signet_port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

signet_wait_port() {
  local port=$1 i
  for i in $(seq 1 60); do
    signet_port_open "$port" && return 0
    sleep 0.25
  done
  return 1
}

signet_apt_install() {
  # Only where it cannot surprise anyone: as root, in a container or CI, with apt.
  [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 || return 1
  echo "services: installing $* from apt" >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@" >&2 || { apt-get update -q >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@" >&2; }
}

signet_redis() {
  signet_port_open 6379 && return 0
  if ! command -v redis-server >/dev/null 2>&1; then
    [ "${SIGNET_APT_INSTALL:-0}" = 1 ] && signet_apt_install redis-server || {
      echo "services: Redis is not installed. Install it (Debian/Ubuntu: sudo apt-get install -y redis-server; macOS: brew install redis) and run this again." >&2
      return 1
    }
  fi
  echo "services: starting redis-server on 127.0.0.1:6379" >&2
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no >&2 || return 1
  signet_wait_port 6379 || { echo "services: redis-server did not answer on 127.0.0.1:6379" >&2; return 1; }
}

signet_postgres() {
  signet_port_open 5432 && return 0
  if command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ] && [ -n "$(ls /etc/postgresql 2>/dev/null)" ]; then
    local version
    version="$(ls /etc/postgresql | sort -V | tail -n 1)"
    echo "services: starting PostgreSQL $version on 127.0.0.1:5432" >&2
    pg_ctlcluster --skip-systemctl-redirect "$version" main start >&2 || return 1
  elif command -v pg_ctl >/dev/null 2>&1 && [ -n "${PGDATA:-}" ]; then
    echo "services: starting PostgreSQL from $PGDATA" >&2
    pg_ctl -D "$PGDATA" -l "$PGDATA/server.log" start >&2 || return 1
  else
    echo "services: PostgreSQL is not installed. Install it (Debian/Ubuntu: sudo apt-get install -y postgresql; macOS: brew install postgresql) with a 'test' database reachable on 127.0.0.1:5432 and run this again." >&2
    return 1
  fi
  signet_wait_port 5432 || { echo "services: PostgreSQL did not answer on 127.0.0.1:5432" >&2; return 1; }
}

signet_chromium() {
  # The demos' browser tests drive Debian's Chromium with playwright-core (no browser download).
  [ -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ] && return 0
  [ "${SIGNET_APT_INSTALL:-0}" = 1 ] && signet_apt_install chromium && return 0
  echo "services: Chromium is not installed (the browser tests need it). Install it (Debian/Ubuntu: sudo apt-get install -y chromium) or set CHROMIUM_PATH, and run this again." >&2
  return 1
}

signet_services() {
  local service
  for service in "$@"; do
    case "$service" in
      redis) signet_redis || return 1 ;;
      postgres) signet_postgres || return 1 ;;
      chromium) signet_chromium || return 1 ;;
      *) echo "services: unknown service $service" >&2; return 1 ;;
    esac
  done
}
