#!/usr/bin/env bash
# A real PostgreSQL for the durable-store tests (Debian's `postgresql`
# package): installed when missing, started when not running, with a role
# and a database the tests use. Prints the URL to export as
# ONOFFICE_TEST_PG_URL. Idempotent.
set -euo pipefail
url="postgres://onoffice:onoffice@127.0.0.1:5432/onoffice"
if pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null && PGPASSWORD=onoffice psql -q -h 127.0.0.1 -U onoffice -d onoffice -c "select 1" >/dev/null 2>&1; then
  echo "$url"
  exit 0
fi
if ! command -v pg_ctlcluster >/dev/null 2>&1; then
  echo "installing Debian's postgresql" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq postgresql >&2
fi
version=$(ls /usr/lib/postgresql | sort -n | tail -1)
if ! pg_lsclusters -h | grep -q "^$version main"; then
  pg_createcluster "$version" main >&2
fi
pg_ctlcluster "$version" main start >&2 || true
for _ in $(seq 1 30); do
  pg_isready -q -h 127.0.0.1 -p 5432 && break
  sleep 1
done
as_postgres() { if [ "$(id -u)" = 0 ]; then su postgres -c "$1"; else bash -c "$1"; fi; }
as_postgres "psql -q -tc \"SELECT 1 FROM pg_roles WHERE rolname = 'onoffice'\" | grep -q 1 || psql -q -c \"CREATE ROLE onoffice LOGIN CREATEDB PASSWORD 'onoffice'\"" >&2
as_postgres "psql -q -tc \"SELECT 1 FROM pg_database WHERE datname = 'onoffice'\" | grep -q 1 || createdb -O onoffice onoffice" >&2
PGPASSWORD=onoffice psql -q -h 127.0.0.1 -U onoffice -d onoffice -c "select 1" >/dev/null
echo "$url"
