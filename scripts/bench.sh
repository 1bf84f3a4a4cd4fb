#!/usr/bin/env bash
# `make bench`: measure the text checks (triage of a patient's message, the checks of a
# reply), then the webhook and the dispatcher against real Odoo and the simulator, and
# report the figures with their targets. Never part of `make test`.
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"
# The text checks first: pure Python, the project's own virtualenv.
ensure_dev_venv || exit 1
"$DEV_VENV/bin/python" bench/text_speed.py || exit 1
find_or_bootstrap_odoo || { say "make bench needs Odoo 18: ${ODOO_MISSING}."; exit 1; }
WORK="$(mktemp -d /tmp/dental_wa_bench.XXXXXX)"; chmod 755 "$WORK"
BENCH_DB="dental_wa_bench"
drop_bench_db() {  # on a server of one's own (PGHOST) the last run's database is still there
    [ -z "$PG_STARTED_DIR" ] && psql -q -c "DROP DATABASE IF EXISTS $BENCH_DB" postgres 2>/dev/null
    return 0
}
trap 'drop_bench_db; stop_postgres; rm -rf "$WORK"' EXIT
use_or_start_postgres "$WORK/pgdata" || exit 1
drop_bench_db
# The benchmarks are an addon of their own (bench/), outside the module and its suite.
"$ODOO_PY" -m odoo "${DB_ARGS[@]}" -d "$BENCH_DB" \
    --addons-path="$ODOO_CORE_ADDONS,$ROOT,$ROOT/bench" \
    -i dental_whatsapp_bench --test-enable --test-tags dental_whatsapp_bench --stop-after-init \
    --http-port "$(free_port)" --http-interface 127.0.0.1 --max-cron-threads 0 \
    --data-dir "$WORK/filestore" --log-level=info >"$WORK/bench.log" 2>&1
rc=$?
grep -o 'BENCH.*' "$WORK/bench.log" || { tail -n 40 "$WORK/bench.log"; exit 1; }
if [ "$rc" -ne 0 ]; then  # a benchmark that broke measures nothing: say which and why
    say "== A benchmark failed (odoo exit $rc):"
    grep -E -A 15 ' (ERROR|CRITICAL) ' "$WORK/bench.log" | head -n 80 >&2
fi
# A crash never repeats a send: a real server killed with SIGKILL mid-run and restarted.
"$ODOO_PY" scripts/check_crash.py "${DB_ARGS[@]}" -d "$BENCH_DB" \
    --addons-path="$ODOO_CORE_ADDONS,$ROOT" --data-dir "$WORK/filestore" \
    >"$WORK/crash.log" 2>&1
crash_rc=$?
grep -o 'BENCH.*' "$WORK/crash.log" || tail -n 40 "$WORK/crash.log"
[ "$crash_rc" -eq 0 ] || rc=1
exit "$rc"
