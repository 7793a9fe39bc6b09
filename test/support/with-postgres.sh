#!/bin/sh
# Runs a command with a PostgreSQL server of its own: `sh test/support/with-postgres.sh vitest run`.
# `npm test` runs the suite once on SQLite and once through this, so both engines pass every test.
#
# The server is Debian's (apt-get install postgresql when missing and we are root, as on a fresh
# CI box), a new cluster in a temp folder on a free loopback port, trust authentication, fsync off
# (a test run needs no durability), started as the postgres user, stopped and removed at the end.
# ENCORE_TEST_POSTGRES tells the tests where it is (test/support/databases.ts). With
# ENCORE_TEST_POSTGRES already set, the command runs against that server instead.
set -eu

if [ -n "${ENCORE_TEST_POSTGRES:-}" ]; then exec "$@"; fi

fail() {
  echo "npm test: the PostgreSQL half of the suite needs Debian's postgresql package. $1" >&2
  exit 1
}

bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [ -z "$bin" ]; then
  command -v apt-get >/dev/null 2>&1 || fail "Install PostgreSQL, or point ENCORE_TEST_POSTGRES at a server: postgres://user@host:port/postgres"
  [ "$(id -u)" = 0 ] || fail "Install it with:  sudo sh -c 'apt-get update && apt-get install -y postgresql'"
  echo "npm test: installing PostgreSQL for the second half of the suite (apt-get install postgresql)" >&2
  # Debian starts a cluster of its own on install; only the binaries are used.
  apt-get update
  DEBIAN_FRONTEND=noninteractive apt-get install -y postgresql
  bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
fi

dir=$(mktemp -d /tmp/encore-pg-XXXXXX)
as_owner() { "$@"; }
if [ "$(id -u)" = 0 ]; then
  # PostgreSQL refuses to run as root.
  chown postgres "$dir"
  as_owner() { runuser -u postgres -- "$@"; }
fi
port=$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")

cleanup() {
  as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap cleanup EXIT INT TERM

as_owner "$bin/initdb" -D "$dir/data" -A trust -U postgres --locale=C.UTF-8 -E UTF8 >/dev/null
as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/log" -w \
  -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" start >/dev/null

echo "with-postgres: PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port" >&2
ENCORE_TEST_POSTGRES="postgres://postgres@127.0.0.1:$port/postgres" "$@"
