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
    # An Italian practice from the start: with the company in Italy before the accounting
    # is installed, Odoo sets up the Italian localization (chart of accounts, taxes, EUR).
    # Later it could not: a company's currency cannot change once it has journal entries.
    "$ODOO_PY" -m odoo "${odoo_args[@]}" -i base --stop-after-init \
        || { say "Creating the database failed."; exit 1; }
    "$ODOO_PY" -m odoo shell "${odoo_args[@]}" --no-http >/dev/null <<'PY' \
        || { say "Making the demo company Italian failed."; exit 1; }
env.ref("base.main_company").write(
    {"country_id": env.ref("base.it").id, "currency_id": env.ref("base.EUR").id})
env.cr.commit()
PY
    "$ODOO_PY" -m odoo "${odoo_args[@]}" -i dental_whatsapp --load-language=it_IT,es_ES --stop-after-init \
        || { say "Installing the addon failed."; exit 1; }
else
    say "Updating the addon in the existing demo database $DEMO_DB..."
    "$ODOO_PY" -m odoo "${odoo_args[@]}" -u dental_whatsapp --load-language=it_IT,es_ES --stop-after-init \
        || { say "Updating the addon failed."; exit 1; }
fi

# Point the demo account at the simulator, wherever it listens, and say whether the
# practice is open now: outside its hours every message waits for the opening (the
# acknowledgement to a patient who writes excepted).
hours="$("$ODOO_PY" -m odoo shell "${odoo_args[@]}" --no-http 2>>"$DEMO_DIR/setup.log" <<PY
account = env.ref("dental_whatsapp.demo_account", raise_if_not_found=False)
if account:
    account.write({"base_url": "http://127.0.0.1:${SIM_PORT}", "access_token": "${TOKEN}",
                   "app_secret": "${APP_SECRET}"})
env["ir.config_parameter"].set_param("web.base.url", "http://localhost:${ODOO_PORT}")
# The simulator starts empty: reviewed templates go to it again once Odoo is up.
env["dental.whatsapp.template"].search([("review_state", "=", "approved")]).with_context(
    wa_template_sync=True).write({"meta_status": "draft"})
# The Italian localization's demo adds a company of its own ("IT Company") with invoices:
# the demo is one practice. Its customer invoices are cancelled (that company has no
# WhatsApp number to send their payment reminders from) and nobody works in it.
other = env.ref("base.demo_company_it", raise_if_not_found=False)
if other:
    invoices = env["account.move"].search([("company_id", "=", other.id),
                                           ("move_type", "=", "out_invoice"),
                                           ("state", "=", "posted")])
    invoices.button_draft()
    invoices.button_cancel()
    env["res.users"].with_context(active_test=False).search(
        [("company_ids", "in", other.ids)]).write({"company_ids": [(3, other.id)]})
env.cr.commit()

from odoo import fields
from odoo.addons.dental_whatsapp.tools import office_hours
from odoo.addons.dental_whatsapp.tools.dates import aware

company = env.ref("base.main_company")
calendar = company.resource_calendar_id
now = aware(fields.Datetime.now())
intervals = company._wa_opening_intervals(now, days=14)
tz = company._wa_practice_tz()
def when(moment):
    return moment.astimezone(tz).strftime("%A %d %B %H:%M")
if intervals is None:
    print("HOURS The practice has no working schedule: messages leave at once, day and night.")
else:
    merged = office_hours.normalize(intervals)
    where = f"{company.name}, {calendar.name}, {tz.zone} time"
    if office_hours.is_open(now, merged):
        end = next(e for s, e in merged if s <= now < e)
        after = office_hours.next_opening(end, merged)
        print(f"HOURS The practice is open now ({where}): messages leave at once until {when(end)}."
              + (f" After that they wait for the opening, {when(after)}." if after else ""))
    else:
        opening = office_hours.next_opening(now, merged)
        print(f"HOURS The practice is closed now ({where}): messages queued now are held until"
              + (f" the opening, {when(opening)}." if opening else " it opens again (no opening in the next 14 days).")
              + " A patient who writes gets the automatic 'closed' acknowledgement at once.")
PY
)" || { say "Configuring the demo database failed; see $DEMO_DIR/setup.log."; exit 1; }
hours="$(printf '%s\n' "$hours" | sed -n 's/^HOURS //p')"

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

# Five patients write to the practice, through the simulator's signed webhooks as on a
# real number: a photo, a first-visit enquiry, a question nobody has answered, a dental
# emergency and an upset patient. Each only once per database: what they wrote is kept
# as evidence.
"$ODOO_PY" - "$ODOO_PORT" "$DEMO_DB" "$SIM_PORT" <<'PY' || say "The demo patients could not write to the practice."
import base64
import io
import json
import math
import sys
import time
import urllib.request
import xmlrpc.client

from PIL import Image, ImageDraw, ImageFilter

port, db, sim_port = sys.argv[1:4]
uid = xmlrpc.client.ServerProxy(f"http://127.0.0.1:{port}/xmlrpc/2/common").authenticate(
    db, "admin", "admin", {})
models = xmlrpc.client.ServerProxy(f"http://127.0.0.1:{port}/xmlrpc/2/object")


def call(model, method, *args, **kwargs):
    return models.execute_kw(db, uid, "admin", model, method, list(args), kwargs)


# The demo practice is Italian: its administrator reads Odoo in Italian, in Rome's time.
call("res.users", "write", [uid], {"lang": "it_IT", "tz": "Europe/Rome"})


def wait(condition, seconds):
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        time.sleep(1)
    return condition()


def photo():
    """A phone photo of a denture broken in two (drawn: the demo ships no pictures)."""
    image = Image.new("RGB", (800, 600), (205, 190, 170))
    draw = ImageDraw.Draw(image)
    cx, cy, rx, ry = 400, 380, 250, 260
    draw.arc([cx - rx, cy - ry, cx + rx, cy + ry], 180, 360, fill=(205, 105, 115), width=110)
    for degrees in range(192, 352, 13):
        a = math.radians(degrees)
        x, y = cx + (rx - 18) * math.cos(a), cy + (ry - 18) * math.sin(a)
        draw.ellipse([x - 17, y - 21, x + 17, y + 21], fill=(242, 238, 226), outline=(200, 195, 180))
    a = math.radians(300)
    crack = [(cx + r * math.cos(a) + (9 if i % 2 else -9), cy + r * math.sin(a))
             for i, r in enumerate(range(rx - 120, rx + 10, 16))]
    draw.line(crack, fill=(70, 45, 45), width=7)
    out = io.BytesIO()
    image.filter(ImageFilter.GaussianBlur(1.2)).save(out, "JPEG", quality=85)
    return base64.b64encode(out.getvalue()).decode()


# The acknowledgements leave only once "Meta" approved their templates (a second or two).
acks = [("name", "in", ["message_received_closed", "message_received_busy"]),
        ("review_state", "=", "approved")]
wait(lambda: not call("dental.whatsapp.template", "search_count",
                      [*acks, ("meta_status", "!=", "approved")]), 60)

# Maria's rinse plan starts once "Meta" approved its reminder template too.
therapy = [("name", "=", "therapy_reminder"), ("review_state", "=", "approved")]
wait(lambda: not call("dental.whatsapp.template", "search_count",
                      [*therapy, ("meta_status", "!=", "approved")]), 60)
plans = call("dental.whatsapp.therapy", "search",
             [("state", "=", "draft"), ("partner_id.name", "=", "Maria Rossi")])
if plans:
    call("dental.whatsapp.therapy", "action_start", plans)

patients = [
    {"from": "393331234567", "name": "Maria Rossi", "type": "image",
     "caption": "Mi si è rotta la protesi, posso passare?",
     "media": {"filename": "protesi.jpg", "mime_type": "image/jpeg"}},
    {"from": "393475550188", "name": "Luca Bianchi", "type": "text",
     "text": "Buonasera, vorrei prenotare una prima visita. Siete aperti sabato?"},
    {"from": "34612345678", "name": "Carlos García", "type": "text",
     "text": "Hola, ¿puedo cambiar la cita del jueves?"},
    # The conduct safeguards: an emergency for the dentists, an upset patient.
    {"from": "393339876543", "name": "Anna Verdi", "type": "text",
     "text": "Ho la guancia gonfia fino all'occhio e faccio fatica a deglutire, cosa faccio?"},
    {"from": "393281112233", "name": "Paolo Neri", "type": "text",
     "text": "Siete degli incompetenti, mi avete fatto aspettare un'ora! Vergognatevi!!!"},
]
texts = [p.get("text") or p["caption"] for p in patients]
received = [("direction", "=", "in"), ("body", "in", texts)]
written = 0
for patient, text in zip(patients, texts):
    if call("dental.whatsapp.message", "search_count", [("direction", "=", "in"), ("body", "=", text)]):
        continue  # this database has it already
    if patient["type"] == "image":
        patient["media"]["content_base64"] = photo()
    request = urllib.request.Request(
        f"http://127.0.0.1:{sim_port}/_sim/inbound", data=json.dumps(patient).encode(),
        headers={"Content-Type": "application/json"}, method="POST")
    urllib.request.urlopen(request, timeout=10).read()
    written += 1
    time.sleep(1)  # one after the other, as people write


def settled():
    messages = call("dental.whatsapp.message", "search_read", received,
                    fields=["media_state"])
    return len(messages) == len(texts) and all(m["media_state"] != "pending" for m in messages)


if not wait(settled, 90):
    sys.exit("the patients' messages did not all reach the conversations in 90 s; see the logs")
# Booking on WhatsApp: Luca, new, got the free first-visit times after the
# acknowledgement; he chooses the second one, and reception confirms it (the appointment
# shows "Confirm the First Visit").
luca = [("partner_id.whatsapp_number", "=", "+393475550188")]
offered = [*luca, ("interactive", "!=", False), ("state", "in", ("sent", "delivered", "read"))]
if wait(lambda: call("dental.whatsapp.message", "search_count", offered), 60):
    if not call("calendar.event", "search_count", [("patient_id.whatsapp_number", "=", "+393475550188")]):
        request = urllib.request.Request(
            f"http://127.0.0.1:{sim_port}/_sim/press",
            data=json.dumps({"from": "393475550188", "index": 1}).encode(),
            headers={"Content-Type": "application/json"}, method="POST")
        urllib.request.urlopen(request, timeout=10).read()
        if wait(lambda: call("calendar.event", "search_count",
                             [("patient_id.whatsapp_number", "=", "+393475550188")]), 60):
            print("Luca Bianchi chose a first visit on WhatsApp: it waits for reception "
                  "(Appointments, filter Booked on WhatsApp: to Confirm).")
else:
    print("Luca Bianchi got no list of free first-visit times (see the logs).")
conversations = call("dental.whatsapp.conversation", "search_read",
                     [("wa_message_ids.body", "in", texts)], fields=["name", "state", "enquiry"])
print((f"{written} patients wrote to the practice: " if written else "The patients' messages are there: ")
      + ", ".join(f"{c['name']} ({'new enquiry, ' if c['enquiry'] else ''}{c['state']})"
                  for c in conversations) + ".")
PY
cat <<MSG

  Odoo:       http://localhost:${ODOO_PORT}/web/login   (login: admin, password: admin)
              WhatsApp > Inbox: the conversation desk
  Simulator:  http://localhost:${SIM_PORT}/              (the patients' phones)
  Logs:       $DEMO_DIR/odoo.log, $DEMO_DIR/simulator.log

  Opening hours: ${hours:-unknown (see $DEMO_DIR/odoo.log)}

  Press Ctrl-C to stop.
MSG
wait "${pids[@]}"
