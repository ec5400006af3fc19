#!/usr/bin/env bash
# Runs once, when the PostgreSQL volume is first initialised (/docker-entrypoint-initdb.d/).
# One role and one database per app: each service owns its tables and no service can open
# another's database (CONNECT is revoked from PUBLIC; only the owner and the superuser may).
# Passwords come from the environment compose passes in (<APP>_DB_PASSWORD), never from here.
set -euo pipefail

for app in gateway pledge trusteeship navigation enforcement operations; do
  var="$(echo "$app" | tr '[:lower:]' '[:upper:]')_DB_PASSWORD"
  password="${!var:?$var is not set}"
  # psql variables (:"name" identifiers, :'value' literals) quote safely; no string pasting.
  psql --no-psqlrc -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
       -v role="ipops_$app" -v db="ipops_$app" -v password="$password" <<'SQL'
CREATE ROLE :"role" LOGIN PASSWORD :'password';
CREATE DATABASE :"db" OWNER :"role";
REVOKE ALL ON DATABASE :"db" FROM PUBLIC;
SQL
  echo "created database ipops_$app owned by role ipops_$app"
done
