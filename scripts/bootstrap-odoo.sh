#!/usr/bin/env bash
# Build Odoo 18 for this project on a machine that has none. `make test`, `make demo` and
# `make bench` call it (through scripts/lib.sh) when they find no Odoo; `make odoo` runs it
# alone. Everything goes to a cache folder outside the repository:
#
#   $DENTAL_WA_CACHE/odoo-$ODOO_BRANCH       (default ~/.cache/dental_whatsapp/odoo-18.0)
#     src/   Odoo's source            venv/  its virtualenv (Odoo's pinned requirements)
#
# A finished build is reused as it is; remove the folder to build afresh.
#
#   ODOO_SRC      where the source comes from (default Odoo's official Community
#                 repository, https://github.com/odoo/odoo.git, branch $ODOO_BRANCH,
#                 cloned shallow). A git URL is cloned the same way; a local git folder
#                 (bare or not) is cloned, at its HEAD when it has no $ODOO_BRANCH; a local
#                 Odoo source folder (odoo-bin, odoo/) is used in place.
#   ODOO_BRANCH   default 18.0
#   ODOO_BOOTSTRAP_PYTHON   the Python for the virtualenv (default: the first of
#                 python3.12, python3.11, python3.10, python3 that is 3.10 to 3.12)
#
# It downloads only that source, Odoo's own requirements.txt (and this project's
# requirements) from the Python package index, and, as root, Debian's packages listed in
# system_packages below. Not root, it lists the missing packages and carries on.
#
# Progress goes to stderr. Exit status: 0 Odoo is ready (its interpreter's path on
# stdout); 2 the source could not be had (no network, nothing at ODOO_SRC's URL): callers
# then run without Odoo; 1 anything else failed.
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

DEFAULT_SRC=https://github.com/odoo/odoo.git
SRC_SPEC="${ODOO_SRC:-$DEFAULT_SRC}"
DIR="$BOOTSTRAP_DIR"
VENV="$DIR/venv"
START=$SECONDS

step() { say "[bootstrap] $*"; }
fail() { step "FAILED: $1"; exit "${2:-1}"; }

odoo_ready() {  # the venv imports Odoo 18 and the libraries it cannot start without
    [ -x "$VENV/bin/python" ] && "$VENV/bin/python" -c '
import sys

import babel, lxml, psycopg2, werkzeug  # noqa: F401
import odoo

sys.exit(0 if odoo.release.version_info[0] == 18 else 1)' 2>/dev/null
}

if [ -f "$DIR/.complete" ] && odoo_ready; then
    built_from="$(sed -n 's/^source=//p' "$DIR/.complete")"
    step "Reusing Odoo 18 in $DIR (built from $built_from; remove the folder to rebuild)."
    if [ -n "${ODOO_SRC:-}" ] && [ "$ODOO_SRC" != "$built_from" ]; then
        step "Note: ODOO_SRC is now $ODOO_SRC; the cache keeps what it was built from."
    fi
    echo "$VENV/bin/python"
    exit 0
fi
rm -f "$DIR/.complete"
mkdir -p "$DIR" || fail "cannot create $DIR (set DENTAL_WA_CACHE to a writable folder)"
step "Building Odoo $ODOO_BRANCH in $DIR (source: $SRC_SPEC)."

# --- 1. the source --------------------------------------------------------------------
is_odoo_tree() { [ -f "$1/odoo-bin" ] && [ -f "$1/odoo/release.py" ]; }

SRC=""
if [ -n "${ODOO_SRC:-}" ] && [ -d "$ODOO_SRC" ] && is_odoo_tree "$ODOO_SRC"; then
    SRC="$(cd "$ODOO_SRC" && pwd)"
    step "1/5 source: using the Odoo tree $SRC in place."
elif is_odoo_tree "$DIR/src"; then
    SRC="$DIR/src"
    step "1/5 source: already in $SRC."
else
    command -v git >/dev/null 2>&1 || fail "git is not installed (apt-get install git)"
    clone=(git clone --quiet --depth 1 --single-branch)
    if [ -n "${ODOO_SRC:-}" ] && [ -d "$ODOO_SRC" ]; then
        git -C "$ODOO_SRC" rev-parse --git-dir >/dev/null 2>&1 \
            || fail "ODOO_SRC=$ODOO_SRC is neither an Odoo source folder (odoo-bin, odoo/) nor a git folder"
        url="file://$(cd "$ODOO_SRC" && pwd)"
        if git -C "$ODOO_SRC" rev-parse --verify -q "refs/heads/$ODOO_BRANCH^{commit}" >/dev/null \
            || git -C "$ODOO_SRC" rev-parse --verify -q "refs/tags/$ODOO_BRANCH^{commit}" >/dev/null; then
            clone+=(--branch "$ODOO_BRANCH")
        else
            head="$(git -C "$ODOO_SRC" symbolic-ref -q --short HEAD || echo HEAD)"
            step "1/5 source: $ODOO_SRC has no branch $ODOO_BRANCH: taking its HEAD ($head)."
        fi
    elif [ -n "${ODOO_SRC:-}" ] && [[ "$ODOO_SRC" != *://* ]] && [[ "$ODOO_SRC" != *@*:* ]]; then
        fail "ODOO_SRC=$ODOO_SRC is not a folder, nor a git URL"
    else
        url="$SRC_SPEC"
        clone+=(--branch "$ODOO_BRANCH")
    fi
    step "1/5 source: cloning $url (shallow, one commit; Odoo is big: a few minutes)..."
    rm -rf "$DIR/src.partial"
    # Give up on a connection that stalls rather than hang for ever.
    if ! GIT_TERMINAL_PROMPT=0 GIT_HTTP_LOW_SPEED_LIMIT=1000 GIT_HTTP_LOW_SPEED_TIME=60 \
        "${clone[@]}" "$url" "$DIR/src.partial" 2>"$DIR/clone.log"; then
        sed 's/^/[bootstrap]     /' "$DIR/clone.log" >&2
        rm -rf "$DIR/src.partial"
        if [[ "$url" == file://* ]]; then
            fail "cloning $url failed"
        fi
        fail "Odoo's source could not be had from $url (no network?). Set ODOO_SRC to a \
local Odoo $ODOO_BRANCH source folder or git folder, or ODOO_PYTHON to an interpreter that \
imports Odoo 18." 2
    fi
    mv "$DIR/src.partial" "$DIR/src"
    SRC="$DIR/src"
fi
grep -q '^version_info = (18,' "$SRC/odoo/release.py" \
    || fail "$SRC is not Odoo 18 ($(grep -m1 '^version_info' "$SRC/odoo/release.py"))"

# --- 2. Debian's packages -------------------------------------------------------------
system_packages() {
    # PostgreSQL and wkhtmltopdf to run Odoo; Chromium for its browser tours; git to
    # fetch it; compilers and headers for the requirements that build from source
    # (psycopg2, python-ldap, ...).
    local ldap=libldap2-dev chromium=chromium
    apt-cache show libldap-dev >/dev/null 2>&1 && ldap=libldap-dev
    apt-cache show chromium >/dev/null 2>&1 || chromium=chromium-browser
    echo postgresql wkhtmltopdf "$chromium" git build-essential python3-dev python3-venv \
        libpq-dev "$ldap" libsasl2-dev libxml2-dev libxslt1-dev libjpeg-dev zlib1g-dev libffi-dev
}
if command -v dpkg-query >/dev/null 2>&1; then
    missing=()
    for pkg in $(system_packages); do
        dpkg-query -W -f='${db:Status-Abbrev}' "$pkg" 2>/dev/null | grep -q '^ii' || missing+=("$pkg")
    done
    if [ "${#missing[@]}" -eq 0 ]; then
        step "2/5 Debian packages: all there."
    elif [ "$(id -u)" = 0 ]; then
        step "2/5 Debian packages: installing ${missing[*]}..."
        apt_install() {
            DEBIAN_FRONTEND=noninteractive apt-get install -y -q -o DPkg::Lock::Timeout=600 \
                "${missing[@]}" >>"$DIR/apt.log" 2>&1
        }
        apt_install || { apt-get update -q >>"$DIR/apt.log" 2>&1 && apt_install; } \
            || step "2/5 WARNING: apt-get failed (see $DIR/apt.log); carrying on."
    else
        step "2/5 Debian packages: missing ${missing[*]}. Not root: install them with"
        step "      sudo apt-get install ${missing[*]}"
        step "    carrying on; building the requirements may fail without them."
    fi
else
    step "2/5 not a Debian system: make sure PostgreSQL, wkhtmltopdf, a C compiler and the"
    step "    headers of libpq, OpenLDAP, SASL, libxml2 and libxslt are installed."
fi

# --- 3. the virtualenv ----------------------------------------------------------------
pick_python() {
    local py
    for py in ${ODOO_BOOTSTRAP_PYTHON:-python3.12 python3.11 python3.10 python3}; do
        command -v "$py" >/dev/null 2>&1 || continue
        "$py" -c 'import sys, venv; sys.exit(0 if (3, 10) <= sys.version_info[:2] <= (3, 12) else 1)' \
            2>/dev/null && { command -v "$py"; return 0; }
    done
    return 1
}
if [ ! -x "$VENV/bin/python" ]; then
    base="$(pick_python)" || fail "no Python 3.10 to 3.12 with venv found \
(Odoo 18 needs one; set ODOO_BOOTSTRAP_PYTHON)"
    step "3/5 virtualenv: $VENV with $base ($("$base" --version 2>&1))."
    "$base" -m venv "$VENV" >"$DIR/venv.log" 2>&1 || {
        cat "$DIR/venv.log" >&2; rm -rf "$VENV"
        fail "$base -m venv failed (on Debian: apt-get install python3-venv)"
    }
else
    step "3/5 virtualenv: $VENV already there."
fi
# Odoo is imported from its source tree, as odoo-bin does it: no copy of it in the venv.
site="$("$VENV/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')"
echo "$SRC" >"$site/dental_wa_odoo_src.pth"

# --- 4. Odoo's requirements -----------------------------------------------------------
# cbor2 and gevent, at Odoo's pins, build with setuptools' pkg_resources, which
# setuptools 81 removed: the constraint reaches the isolated build environments too.
echo 'setuptools<81' >"$DIR/constraints.txt"
step "4/5 requirements: Odoo's $SRC/requirements.txt and this project's (a few minutes the first time; log $DIR/pip.log)..."
: >"$DIR/pip.log"
for req in "$SRC/requirements.txt" "$ROOT/requirements-odoo.txt"; do
    PIP_CONSTRAINT="$DIR/constraints.txt" "$VENV/bin/python" -m pip install --progress-bar off \
        -r "$req" 2>&1 | tee -a "$DIR/pip.log" \
        | grep --line-buffered -E '^(Collecting|Building wheel for|Successfully installed)' \
        | sed -u 's/^/[bootstrap]     /' >&2
    if [ "${PIPESTATUS[0]}" -ne 0 ]; then
        tail -n 30 "$DIR/pip.log" | sed 's/^/[bootstrap]     /' >&2
        fail "pip install -r $req failed (missing headers? see step 2/5 and $DIR/pip.log)"
    fi
done

# --- 5. check -------------------------------------------------------------------------
odoo_ready || fail "$VENV/bin/python still cannot import Odoo 18 (see $DIR/pip.log)"
printf 'source=%s\nbranch=%s\nsrc=%s\nbuilt=%s\n' "$SRC_SPEC" "$ODOO_BRANCH" "$SRC" \
    "$(date -u +%Y-%m-%dT%H:%M:%SZ)" >"$DIR/.complete"
step "5/5 Odoo $("$VENV/bin/python" -c 'import odoo; print(odoo.release.version)') is ready \
in $DIR ($((SECONDS - START)) s): $VENV/bin/python"
echo "$VENV/bin/python"
