# Shared by run-tests.sh and demo.sh: find Odoo 18, find or start PostgreSQL.
# shellcheck shell=bash

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

say() { printf '%s\n' "$*" >&2; }

# Sets ODOO_PY when an interpreter that imports Odoo 18 is found; returns 1 otherwise
# with the reason in ODOO_MISSING.
find_odoo() {
    local py="${ODOO_PYTHON:-}"
    if [ -z "$py" ] && [ -x /opt/odoo18-venv/bin/python ]; then
        py=/opt/odoo18-venv/bin/python
    fi
    if [ -z "$py" ]; then
        ODOO_MISSING="ODOO_PYTHON is not set and /opt/odoo18-venv/bin/python does not exist"
        return 1
    fi
    if ! "$py" -c 'import odoo, sys; sys.exit(0 if odoo.release.version_info[0] == 18 else 1)' \
        2>/dev/null; then
        ODOO_MISSING="$py cannot import Odoo 18 (ODOO_PYTHON=${ODOO_PYTHON:-unset})"
        return 1
    fi
    ODOO_PY="$py"
    ODOO_CORE_ADDONS="$("$py" -c 'import os, odoo; print(os.path.join(os.path.dirname(odoo.__file__), "addons"))')"
    return 0
}

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# PostgreSQL: use the server described by PGHOST/PGPORT/PGUSER when it answers and lets
# us create databases; otherwise start a cluster of our own in $1 (created if missing),
# loopback only, on a free port. Sets DB_ARGS (odoo-bin options) and PG_STARTED_DIR.
PG_STARTED_DIR=""
pg_run() {  # run a PostgreSQL binary as a user that may own the cluster
    if [ "$(id -u)" = 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

pg_bin() {
    local name="$1" dir
    if command -v "$name" >/dev/null 2>&1; then command -v "$name"; return; fi
    for dir in /usr/lib/postgresql/*/bin; do
        [ -x "$dir/$name" ] && { echo "$dir/$name"; return; }
    done
    return 1
}

use_or_start_postgres() {
    local datadir="$1"
    if [ -n "${PGHOST:-}" ] && psql -Atc 'select 1' postgres >/dev/null 2>&1; then
        DB_ARGS=(--db_host "$PGHOST" --db_port "${PGPORT:-5432}")
        [ -n "${PGUSER:-}" ] && DB_ARGS+=(--db_user "$PGUSER")
        [ -n "${PGPASSWORD:-}" ] && DB_ARGS+=(--db_password "$PGPASSWORD")
        say "Using the PostgreSQL server at ${PGHOST}:${PGPORT:-5432}."
        return 0
    fi
    local initdb pg_ctl port
    initdb="$(pg_bin initdb)" && pg_ctl="$(pg_bin pg_ctl)" || {
        say "PostgreSQL is not installed (no initdb/pg_ctl): install postgresql or set PGHOST."
        return 1
    }
    mkdir -p "$datadir"
    [ "$(id -u)" = 0 ] && chown postgres: "$datadir" && chmod 700 "$datadir"
    if [ ! -f "$datadir/PG_VERSION" ]; then
        pg_run "$initdb" -D "$datadir" -U odoo --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null \
            || { say "initdb failed in $datadir"; return 1; }
    fi
    port="$(free_port)"
    pg_run "$pg_ctl" -D "$datadir" -l "$datadir/server.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -p $port -k $datadir -c fsync=off -c full_page_writes=off" \
        start >/dev/null || { say "PostgreSQL did not start; see $datadir/server.log"; return 1; }
    PG_STARTED_DIR="$datadir"
    DB_ARGS=(--db_host 127.0.0.1 --db_port "$port" --db_user odoo)
    say "Started a private PostgreSQL cluster on 127.0.0.1:$port ($datadir)."
}

stop_postgres() {
    if [ -n "$PG_STARTED_DIR" ]; then
        pg_run "$(pg_bin pg_ctl)" -D "$PG_STARTED_DIR" -m fast -w stop >/dev/null 2>&1 || true
    fi
}

ensure_wkhtmltopdf() {
    command -v wkhtmltopdf >/dev/null 2>&1 && return 0
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        say "wkhtmltopdf is missing (Odoo renders PDF reports with it): installing Debian's package."
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q wkhtmltopdf >/dev/null 2>&1 \
            || { apt-get update -q >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive \
                apt-get install -y -q wkhtmltopdf >/dev/null 2>&1; }
    fi
    command -v wkhtmltopdf >/dev/null 2>&1 || {
        say "WARNING: wkhtmltopdf is not installed: PDF reports fall back to HTML."
        say "         Install it with: apt-get install wkhtmltopdf"
        return 1
    }
}

# The project's own Python dependencies (not Odoo's) in the given interpreter.
ensure_python_deps() {
    local py="$1"
    "$py" -c 'import requests, phonenumbers, pytest' 2>/dev/null && return 0
    say "Installing the project's test requirements into $py (requirements-test.txt)."
    "$py" -m pip install -q -r "$ROOT/requirements-test.txt" >&2
}
