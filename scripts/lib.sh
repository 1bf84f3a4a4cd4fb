# Shared by run-tests.sh and demo.sh: find Odoo 18, find or start PostgreSQL.
# shellcheck shell=bash

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

say() { printf '%s\n' "$*" >&2; }

# Where scripts/bootstrap-odoo.sh builds Odoo when the machine has none: outside the
# repository, one folder per branch, with the source in src/ and a virtualenv in venv/.
ODOO_BRANCH="${ODOO_BRANCH:-18.0}"
DENTAL_WA_CACHE="${DENTAL_WA_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/dental_whatsapp}"
BOOTSTRAP_DIR="$DENTAL_WA_CACHE/odoo-${ODOO_BRANCH//\//_}"
# The machine-wide Odoo looked for first (DENTAL_WA_IGNORE_OPT=1 skips it).
SYSTEM_ODOO_PYTHON=/opt/odoo18-venv/bin/python

# Sets ODOO_PY and ODOO_CORE_ADDONS when an interpreter that imports Odoo 18 is found:
# ODOO_PYTHON when set (and then only it), else /opt/odoo18-venv, else the one
# scripts/bootstrap-odoo.sh built in $BOOTSTRAP_DIR. Returns 1 otherwise, with the reason
# in ODOO_MISSING.
find_odoo() {
    local py candidates=()
    if [ -n "${ODOO_PYTHON:-}" ]; then
        candidates=("$ODOO_PYTHON")
    else
        [ "${DENTAL_WA_IGNORE_OPT:-0}" = 1 ] || candidates+=("$SYSTEM_ODOO_PYTHON")
        [ -f "$BOOTSTRAP_DIR/.complete" ] && candidates+=("$BOOTSTRAP_DIR/venv/bin/python")
    fi
    for py in "${candidates[@]}"; do
        [ -x "$py" ] || continue
        if "$py" -c 'import odoo, sys; sys.exit(0 if odoo.release.version_info[0] == 18 else 1)' \
            2>/dev/null; then
            ODOO_PY="$py"
            ODOO_CORE_ADDONS="$(odoo_core_addons "$py")"
            return 0
        fi
    done
    if [ -n "${ODOO_PYTHON:-}" ]; then
        ODOO_MISSING="$ODOO_PYTHON cannot import Odoo 18 (ODOO_PYTHON is set)"
    elif [ "${DENTAL_WA_IGNORE_OPT:-0}" = 1 ]; then
        ODOO_MISSING="ODOO_PYTHON is not set, $SYSTEM_ODOO_PYTHON is ignored (DENTAL_WA_IGNORE_OPT=1) and $BOOTSTRAP_DIR holds no Odoo"
    else
        ODOO_MISSING="ODOO_PYTHON is not set, $SYSTEM_ODOO_PYTHON does not import Odoo 18 and $BOOTSTRAP_DIR holds no Odoo"
    fi
    return 1
}

# Odoo's own addons folders for --addons-path. A git checkout of Odoo keeps the standard
# addons beside the odoo package (<root>/addons, odoo/addons holding base); a packaged tree
# (setup.py, pip, Debian) moved them all into odoo/addons, and a <root>/addons left
# beside such a tree is stale, so it is used only when odoo/addons has no 'web'.
odoo_core_addons() {
    "$1" - <<'PY'
import os

import odoo

package = os.path.dirname(os.path.abspath(odoo.__file__))
paths = [os.path.join(package, "addons")]
beside = os.path.join(os.path.dirname(package), "addons")
if not os.path.isdir(os.path.join(paths[0], "web")) and os.path.isdir(os.path.join(beside, "web")):
    paths.insert(0, beside)
print(",".join(paths))
PY
}

# find_odoo, and when nothing is found (and ODOO_PYTHON is not set: it wins) build Odoo
# with scripts/bootstrap-odoo.sh. Returns 0 with ODOO_PY set. Otherwise returns 1 and sets
# ODOO_BOOTSTRAP_FAILED: "" (not tried), "source" (Odoo's source could not be had: no
# network, no ODOO_SRC) or "build" (the source was there, building failed).
find_or_bootstrap_odoo() {
    ODOO_BOOTSTRAP_FAILED=""
    if find_odoo; then
        if [ "$ODOO_PY" = "$BOOTSTRAP_DIR/venv/bin/python" ]; then
            say "Reusing the Odoo 18 built in $BOOTSTRAP_DIR from $(sed -n 's/^source=//p' \
                "$BOOTSTRAP_DIR/.complete") (remove the folder to rebuild)."
        fi
        return 0
    fi
    [ -n "${ODOO_PYTHON:-}" ] && return 1
    if [ "${DENTAL_WA_NO_BOOTSTRAP:-0}" = 1 ]; then
        ODOO_MISSING="$ODOO_MISSING; DENTAL_WA_NO_BOOTSTRAP=1 forbids building one"
        return 1
    fi
    say "No Odoo 18 on this machine: building one in $BOOTSTRAP_DIR (scripts/bootstrap-odoo.sh)."
    bash "$ROOT/scripts/bootstrap-odoo.sh" >/dev/null
    case $? in
        0) find_odoo && return 0
           ODOO_BOOTSTRAP_FAILED=build
           ODOO_MISSING="the bootstrap finished but $BOOTSTRAP_DIR/venv cannot import Odoo 18" ;;
        2) ODOO_BOOTSTRAP_FAILED=source
           ODOO_MISSING="Odoo's source could not be had (${ODOO_SRC:-https://github.com/odoo/odoo.git, branch $ODOO_BRANCH}); see the bootstrap's lines above" ;;
        *) ODOO_BOOTSTRAP_FAILED=build
           ODOO_MISSING="building Odoo in $BOOTSTRAP_DIR failed; see the bootstrap's lines above" ;;
    esac
    return 1
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

# A Debian package whose command the suite needs: installed when missing and we are
# root, else a warning saying what goes without it. ensure_tool COMMAND PACKAGE WHAT-FOR
# LOSS (the package's other command names may follow LOSS).
ensure_tool() {
    local cmd="$1" pkg="$2" why="$3" loss="$4" alt
    shift 4
    for alt in "$cmd" "$@"; do command -v "$alt" >/dev/null 2>&1 && return 0; done
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        say "$cmd is missing ($why): installing Debian's package $pkg."
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$pkg" >/dev/null 2>&1 \
            || { apt-get update -q >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive \
                apt-get install -y -q "$pkg" >/dev/null 2>&1; }
    fi
    command -v "$cmd" >/dev/null 2>&1 || {
        say "WARNING: $pkg is not installed: $loss."
        say "         Install it with: apt-get install $pkg"
        return 1
    }
}

ensure_wkhtmltopdf() {
    ensure_tool wkhtmltopdf wkhtmltopdf "Odoo renders PDF reports with it" \
        "PDF reports fall back to HTML"
}

# Odoo's browser tours need a Chromium (Debian's, as root); without one they are skipped,
# which run-tests.sh counts as a failure.
ensure_chromium() {
    ensure_tool chromium chromium "Odoo's browser tours drive it" \
        "the browser tours cannot run" chromium-browser google-chrome
}

# The project's own Python dependencies (not Odoo's) in an Odoo interpreter:
# requirements-odoo.txt (the run-time and test requirements, and pytest-odoo). pip is
# asked every time, so that a requirement added to a file reaches an existing
# environment; when everything is there it answers in a few seconds, offline too.
ensure_python_deps() {
    local py="$1"
    "$py" -m pip install -q --disable-pip-version-check -r "$ROOT/requirements-odoo.txt" >&2 || {
        say "Installing the project's requirements (requirements-odoo.txt) into $py failed."
        return 1
    }
}

# The project's own virtualenv ($DENTAL_WA_VENV, default .venv): the pure suite's
# requirements and the pinned linters of requirements-dev.txt. Created when missing,
# updated when a requirements file changed; never installs into the system's Python.
# Sets DEV_PY.
DEV_VENV="${DENTAL_WA_VENV:-$ROOT/.venv}"
ensure_dev_venv() {
    local stamp="$DEV_VENV/.dental_wa_requirements" want base="${PYTHON:-python3}"
    want="$(cat "$ROOT/requirements.txt" "$ROOT/requirements-test.txt" \
        "$ROOT/requirements-dev.txt" | sha256sum | cut -d' ' -f1)"
    if [ -x "$DEV_VENV/bin/python" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]; then
        DEV_PY="$DEV_VENV/bin/python"
        return 0
    fi
    if [ ! -x "$DEV_VENV/bin/python" ]; then
        say "Creating the project's virtualenv $DEV_VENV with $base (requirements-dev.txt)..."
        if ! "$base" -m venv "$DEV_VENV" >/dev/null 2>&1; then
            rm -rf "$DEV_VENV"
            if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
                say "  $base has no venv module: installing Debian's python3-venv."
                DEBIAN_FRONTEND=noninteractive apt-get install -y -q -o DPkg::Lock::Timeout=600 \
                    python3-venv >/dev/null 2>&1
            fi
            "$base" -m venv "$DEV_VENV" >/dev/null 2>&1 || {
                rm -rf "$DEV_VENV"
                say "Cannot create $DEV_VENV: $base -m venv failed (on Debian: apt-get install python3-venv)."
                return 1
            }
        fi
    else
        say "Updating $DEV_VENV: a requirements file changed."
    fi
    "$DEV_VENV/bin/python" -m pip install -q -r "$ROOT/requirements-dev.txt" >&2 || {
        say "Installing requirements-dev.txt into $DEV_VENV failed."
        return 1
    }
    echo "$want" >"$stamp"
    DEV_PY="$DEV_VENV/bin/python"
}

# The addon as the Odoo ecosystem ships it: `pip wheel ./dental_whatsapp` (whool) must
# give odoo-addon-dental_whatsapp with the manifest's Python dependencies, and Odoo must
# install the addon from that wheel alone: the wheel goes into a folder of its own (not
# into Odoo's environment, where it would shadow the source tree), and the addons path
# holds Odoo's addons and that folder only. $1 work folder, $2 database, $3 HTTP port;
# needs find_odoo and use_or_start_postgres first. Sets WHEEL_NAME.
check_wheel() {
    local work="$1" db="$2" port="$3" wheel answer
    WHEEL_NAME=""
    mkdir -p "$work/dist"
    if ! "$ODOO_PY" -m pip wheel -q --no-deps "$ROOT/dental_whatsapp" -w "$work/dist" \
        >"$work/wheel.log" 2>&1; then
        say "pip wheel ./dental_whatsapp failed:"; tail -n 30 "$work/wheel.log" >&2
        return 1
    fi
    wheel="$(ls "$work"/dist/odoo_addon_dental_whatsapp-*.whl 2>/dev/null | head -n 1)"
    [ -n "$wheel" ] || { say "pip wheel made no odoo_addon_dental_whatsapp wheel:"; ls "$work/dist" >&2; return 1; }
    WHEEL_NAME="$(basename "$wheel")"
    "$ODOO_PY" - "$wheel" <<'PY' || return 1
import sys
import zipfile

with zipfile.ZipFile(sys.argv[1]) as wheel:
    names = wheel.namelist()
    meta = next(n for n in names if n.endswith(".dist-info/METADATA"))
    lines = wheel.read(meta).decode().splitlines()
name = next(line.split(": ", 1)[1] for line in lines if line.startswith("Name: "))
requires = {line.split(": ", 1)[1].split(" ")[0].split(">")[0].split("<")[0].split("=")[0].lower()
            for line in lines if line.startswith("Requires-Dist: ")}
problems = []
if name.lower().replace("_", "-") != "odoo-addon-dental-whatsapp":
    problems.append(f"its name is {name}")
problems += [f"it does not require {dep}" for dep in ("requests", "phonenumbers", "odoo")
             if dep not in requires]
if "odoo/addons/dental_whatsapp/__manifest__.py" not in names:
    problems.append("it has no odoo/addons/dental_whatsapp/__manifest__.py")
if problems:
    sys.exit("the wheel is wrong: " + "; ".join(problems))
PY
    "$ODOO_PY" -m pip install -q --no-deps --target "$work/site" "$wheel" >>"$work/wheel.log" 2>&1 \
        || { say "pip install --target of the wheel failed:"; tail -n 30 "$work/wheel.log" >&2; return 1; }
    local args=("${DB_ARGS[@]}" -d "$db" --addons-path="$ODOO_CORE_ADDONS,$work/site/odoo/addons"
                --data-dir "$work/filestore" --http-interface 127.0.0.1 --http-port "$port"
                --max-cron-threads 0)
    # From the work folder, so that nothing of the repository is importable by accident.
    (cd "$work" && "$ODOO_PY" -m odoo "${args[@]}" -i dental_whatsapp --without-demo=all \
        --stop-after-init >"$work/install.log" 2>&1) \
        || { say "Installing the addon from the wheel failed:"; tail -n 30 "$work/install.log" >&2; return 1; }
    answer="$(cd "$work" && "$ODOO_PY" -m odoo shell "${args[@]}" --no-http 2>>"$work/install.log" <<'PY'
from odoo.modules.module import get_module_path

module = env["ir.module.module"].search([("name", "=", "dental_whatsapp")])
print("WHEEL", module.state, get_module_path("dental_whatsapp"))
PY
)"
    case "$(echo "$answer" | grep '^WHEEL')" in
        "WHEEL installed $work/site/odoo/addons/dental_whatsapp") return 0 ;;
        *) say "The addon did not install from the wheel: ${answer:-no answer}"
           tail -n 30 "$work/install.log" >&2; return 1 ;;
    esac
}
