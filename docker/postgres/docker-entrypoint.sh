#!/usr/bin/env bash
# Entrypoint of smokestack/postgres:15, after the official image's contract:
#   POSTGRES_PASSWORD (required unless POSTGRES_HOST_AUTH_METHOD=trust), POSTGRES_USER (postgres),
#   POSTGRES_DB (= user), POSTGRES_INITDB_ARGS, POSTGRES_HOST_AUTH_METHOD (scram-sha-256),
#   /docker-entrypoint-initdb.d/*.sh|*.sql|*.sql.gz run once after initdb.
# The first start initialises $PGDATA with a socket-only temporary server (so nothing on TCP can
# mistake it for ready), stops it, then execs the real server on 0.0.0.0:5432 with its log on
# stdout: "database system is ready to accept connections" appears once, from the final server.
set -Eeuo pipefail

if [ "${1:0:1}" = '-' ]; then
  set -- postgres "$@"
fi

if [ "$1" != 'postgres' ]; then
  exec "$@"
fi

if [ "$(id -u)" = '0' ]; then
  # Root only prepares the directories, then the rest runs as postgres.
  mkdir -p "$PGDATA" /var/run/postgresql
  chown -R postgres:postgres "$PGDATA" /var/run/postgresql
  chmod 700 "$PGDATA"
  exec setpriv --reuid=postgres --regid=postgres --init-groups "${BASH_SOURCE[0]}" "$@"
fi

log() { printf 'entrypoint: %s\n' "$*"; }

POSTGRES_USER=${POSTGRES_USER:-postgres}
POSTGRES_DB=${POSTGRES_DB:-$POSTGRES_USER}
POSTGRES_HOST_AUTH_METHOD=${POSTGRES_HOST_AUTH_METHOD:-scram-sha-256}

if [ ! -s "$PGDATA/PG_VERSION" ]; then
  if [ -z "${POSTGRES_PASSWORD:-}" ] && [ "$POSTGRES_HOST_AUTH_METHOD" != 'trust' ]; then
    log 'error: database is uninitialized and POSTGRES_PASSWORD is not set.' >&2
    log 'fix: pass -e POSTGRES_PASSWORD=secret (or POSTGRES_HOST_AUTH_METHOD=trust for tests only).' >&2
    exit 1
  fi

  log "initdb for user '$POSTGRES_USER', database '$POSTGRES_DB'"
  pwfile=$(mktemp)
  printf '%s\n' "${POSTGRES_PASSWORD:-}" >"$pwfile"
  # shellcheck disable=SC2086 # POSTGRES_INITDB_ARGS is a word list by contract
  initdb --username="$POSTGRES_USER" --pwfile="$pwfile" --auth-local=trust \
    --auth-host="$POSTGRES_HOST_AUTH_METHOD" ${POSTGRES_INITDB_ARGS:-} >/tmp/initdb.log 2>&1 ||
    { cat /tmp/initdb.log >&2; exit 1; }
  rm -f "$pwfile"
  # Any address may connect, with a password (scram-sha-256 unless told otherwise).
  printf '\nhost all all all %s\n' "$POSTGRES_HOST_AUTH_METHOD" >>"$PGDATA/pg_hba.conf"

  # Temporary server on the unix socket only; its log goes to a file, not to stdout.
  pg_ctl -D "$PGDATA" -o "-c listen_addresses='' -p 5432" -l /tmp/postgres-init.log -w start >/dev/null
  psql=(psql -v ON_ERROR_STOP=1 --no-psqlrc --username "$POSTGRES_USER" --dbname postgres -q)
  if [ "$POSTGRES_DB" != 'postgres' ]; then
    # psql interpolates :"db" (quoted identifier) only in scripts, not in -c.
    echo 'CREATE DATABASE :"db";' | "${psql[@]}" --set db="$POSTGRES_DB" >/dev/null
  fi
  for f in /docker-entrypoint-initdb.d/*; do
    case "$f" in
      *.sh) log "running $f"; . "$f" ;;
      *.sql) log "running $f"; "${psql[@]}" --dbname "$POSTGRES_DB" -f "$f" ;;
      *.sql.gz) log "running $f"; gunzip -c "$f" | "${psql[@]}" --dbname "$POSTGRES_DB" ;;
      *) [ -e "$f" ] && log "ignoring $f" ;;
    esac
  done
  pg_ctl -D "$PGDATA" -m fast -w stop >/dev/null
  log 'PostgreSQL init process complete; ready for start up.'
fi

shift
# stderr onto stdout: the server's log is what `docker logs` and Testcontainers read.
exec postgres -D "$PGDATA" -c listen_addresses='*' "$@" 2>&1
