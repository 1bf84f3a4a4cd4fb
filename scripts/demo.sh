#!/usr/bin/env bash
# `make demo`: the Cloud API simulator and Odoo with demo data, on this machine only.
# Ctrl-C stops everything it started.
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

DEMO_DIR="${DEMO_DIR:-/var/tmp/dental_whatsapp_demo}"
DEMO_DB="${DEMO_DB:-dental_whatsapp_demo}"
ODOO_PORT="${ODOO_PORT:-8069}"
SIM_PORT="${SIM_PORT:-8765}"
APP_SECRET="demo-app-secret"
TOKEN="demo-access-token"

if ! find_or_bootstrap_odoo; then
    say "make demo needs Odoo 18: ${ODOO_MISSING}. See README.rst, 'Install'."
    exit 1
fi
ensure_python_deps "$ODOO_PY" || exit 1
ensure_wkhtmltopdf || true
mkdir -p "$DEMO_DIR" && chmod 755 "$DEMO_DIR"

pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null; done
    wait 2>/dev/null
    stop_postgres
    say "Demo stopped. The database is kept in $DEMO_DIR (remove the folder to start afresh)."
}
trap cleanup EXIT
trap 'exit 130' INT TERM

use_or_start_postgres "$DEMO_DIR/pgdata" || exit 1

"$ODOO_PY" -m wa_simulator --host 127.0.0.1 --port "$SIM_PORT" \
    --webhook-url "http://127.0.0.1:${ODOO_PORT}/dental_whatsapp/webhook" \
    --app-secret "$APP_SECRET" --access-token "$TOKEN" --verify-token demo-verify-token \
    --phone-number-id 100000000000001 --waba-id 200000000000002 \
    >"$DEMO_DIR/simulator.log" 2>&1 &
pids+=($!)

odoo_args=("${DB_ARGS[@]}" -d "$DEMO_DB" --addons-path="$ODOO_CORE_ADDONS,$ROOT"
           --data-dir "$DEMO_DIR/filestore" --http-interface 127.0.0.1 --http-port "$ODOO_PORT"
           --db-filter "^${DEMO_DB}\$" --log-level warn)
if ! "$ODOO_PY" - "${DB_ARGS[@]}" "$DEMO_DB" <<'PY' 2>/dev/null
import sys

import psycopg2

args = dict(zip(sys.argv[1:-1:2], sys.argv[2:-1:2]))
conn = psycopg2.connect(dbname="postgres", host=args.get("--db_host"), port=args.get("--db_port"),
                        user=args.get("--db_user"), password=args.get("--db_password"))
cur = conn.cursor()
cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", (sys.argv[-1],))
sys.exit(0 if cur.fetchone() else 1)
PY
then
    say "Creating the demo database $DEMO_DB (a few minutes the first time)..."
    "$ODOO_PY" -m odoo "${odoo_args[@]}" -i dental_whatsapp --load-language=it_IT,es_ES --stop-after-init \
        || { say "Installing the addon failed."; exit 1; }
else
    say "Updating the addon in the existing demo database $DEMO_DB..."
    "$ODOO_PY" -m odoo "${odoo_args[@]}" -u dental_whatsapp --load-language=it_IT,es_ES --stop-after-init \
        || { say "Updating the addon failed."; exit 1; }
fi

# Point the demo account at the simulator, wherever it listens.
"$ODOO_PY" -m odoo shell "${odoo_args[@]}" --no-http >/dev/null 2>&1 <<PY
account = env.ref("dental_whatsapp.demo_account", raise_if_not_found=False)
if account:
    account.write({"base_url": "http://127.0.0.1:${SIM_PORT}", "access_token": "${TOKEN}",
                   "app_secret": "${APP_SECRET}"})
env["ir.config_parameter"].set_param("web.base.url", "http://localhost:${ODOO_PORT}")
# The simulator starts empty: reviewed templates go to it again once Odoo is up.
env["dental.whatsapp.template"].search([("review_state", "=", "approved")]).with_context(
    wa_template_sync=True).write({"meta_status": "draft"})
env.cr.commit()
PY

"$ODOO_PY" -m odoo "${odoo_args[@]}" >"$DEMO_DIR/odoo.log" 2>&1 &
pids+=($!)

for _ in $(seq 1 120); do
    curl -fsS "http://127.0.0.1:${ODOO_PORT}/web/login" >/dev/null 2>&1 && break
    sleep 1
done
"$ODOO_PY" - "$ODOO_PORT" "$DEMO_DB" <<'PY' || say "Could not submit the demo templates to the simulator."
import sys
import xmlrpc.client

port, db = sys.argv[1], sys.argv[2]
uid = xmlrpc.client.ServerProxy(f"http://127.0.0.1:{port}/xmlrpc/2/common").authenticate(
    db, "admin", "admin", {})
models = xmlrpc.client.ServerProxy(f"http://127.0.0.1:{port}/xmlrpc/2/object")
ids = models.execute_kw(db, uid, "admin", "dental.whatsapp.template", "search",
                        [[("review_state", "=", "approved"), ("meta_status", "=", "draft")]])
if ids:
    models.execute_kw(db, uid, "admin", "dental.whatsapp.template", "action_submit_to_meta", [ids])
print(f"Submitted {len(ids)} reviewed template(s) to the simulator for Meta's approval.")
PY
cat <<MSG

  Odoo:       http://localhost:${ODOO_PORT}/web/login   (login: admin, password: admin)
  Simulator:  http://localhost:${SIM_PORT}/              (the patients' phones)
  Logs:       $DEMO_DIR/odoo.log, $DEMO_DIR/simulator.log

  Press Ctrl-C to stop.
MSG
wait "${pids[@]}"
