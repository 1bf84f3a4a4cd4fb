#!/usr/bin/env bash
# `make wheel-check`: build the addon's wheel and install the addon from it alone on a
# fresh database (what `make test` also does, without the suites). Needs Odoo 18.
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"
find_or_bootstrap_odoo || { say "make wheel-check needs Odoo 18: ${ODOO_MISSING}."; exit 1; }
WORK="$(mktemp -d /tmp/dental_wa_wheel.XXXXXX)"; chmod 755 "$WORK"
trap 'stop_postgres; rm -rf "$WORK"' EXIT
use_or_start_postgres "$WORK/pgdata" || exit 1
if check_wheel "$WORK/wheel" "dental_wa_wheel_$(date +%s)" "$(free_port)"; then
    say "Install from the wheel ($WHEEL_NAME): ok"
else
    say "Install from the wheel FAILED."
    exit 1
fi
