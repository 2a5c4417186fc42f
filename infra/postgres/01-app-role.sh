#!/bin/sh
# Runs once, on the first start of the compose Postgres: creates the application role with a password so the
# gateway can log in over TCP (migrate.js creates it without one, which only works under trust/peer auth).
# The role has no BYPASSRLS, so row-level security applies to every query the gateway makes.
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v app_password="$APP_DB_PASSWORD" <<'SQL'
CREATE ROLE usi_gateway_app LOGIN NOBYPASSRLS PASSWORD :'app_password';
SQL
