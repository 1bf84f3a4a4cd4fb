"""A crash never repeats a send: the scripted check of ``make bench``.

400 queued messages; a real Odoo server (HTTP for Meta's webhooks, one cron thread that
dispatches) sends them to the simulator; two seconds into the run it is killed with
SIGKILL and started again. The simulator must have received each message exactly once,
and every message must end sent. Meta keeps retrying webhooks while Odoo is down: so
does the simulator here.

    python scripts/check_crash.py <odoo options: -d DB, --db_host, --addons-path, ...>

Prints ``BENCH`` lines; exits 1 when a message was lost or sent twice."""

import os
import signal
import socket
import subprocess
import sys
import time
from collections import Counter

import requests

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from wa_simulator import Simulator  # noqa: E402

MESSAGES = 400
LIMIT = 80
TOKEN = "crash-token"  # noqa: S105 - the simulator's, not a secret
SECRET = "crash-secret"  # noqa: S105
PHONE_NUMBER_ID = "100000000000555"
WABA_ID = "200000000000555"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def say(text):
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


class Check:
    def __init__(self, odoo_args):
        import odoo  # noqa: PLC0415

        self.odoo = odoo
        self.args = odoo_args
        odoo.tools.config.parse_config(odoo_args, setup_logging=False)
        self.db = odoo.tools.config["db_name"]
        self.registry = odoo.modules.registry.Registry(self.db)
        self.port = free_port()
        self.sim = Simulator(
            port=0,
            access_token=TOKEN,
            app_secret=SECRET,
            phone_number_id=PHONE_NUMBER_ID,
            waba_id=WABA_ID,
            auto_deliver=True,
            delivery_delay=0.2,
            answer_latency=0.05,
            webhook_url=f"http://127.0.0.1:{self.port}/dental_whatsapp/webhook",
        )
        self.server = None

    def env(self, cr):
        return self.odoo.api.Environment(cr, self.odoo.SUPERUSER_ID, {})

    def prepare(self):
        self.sim.start()
        # Meta retries failed deliveries for days; a schedule that outlasts a restart.
        requests.post(
            self.sim.url + "/_sim/webhook-mode",
            json={"retries": 9, "retry_seconds": 1},
            timeout=10,
        ).raise_for_status()
        with self.registry.cursor() as cr:
            env = self.env(cr)
            others = env["dental.whatsapp.account"].search([])
            self.other_account_ids = others.ids
            others.active = False
            account = env["dental.whatsapp.account"].create(
                {
                    "name": "Crash check",
                    "phone_number_id": PHONE_NUMBER_ID,
                    "waba_id": WABA_ID,
                    "access_token": TOKEN,
                    "app_secret": SECRET,
                    "base_url": self.sim.url,
                    "throughput_limit": LIMIT,
                    "unknown_outcome_wait": 1,
                    "timeout": 5,
                }
            )
            partners = env["res.partner"].create(
                [
                    {"name": f"Crash {n}", "whatsapp_number": f"+39322{n:07d}"}
                    for n in range(MESSAGES)
                ]
            )
            cr.execute(
                "UPDATE res_partner SET wa_last_inbound_date = now() AT TIME ZONE 'UTC', "
                "wa_consent_care = true WHERE id = ANY(%s)",
                (partners.ids,),
            )
            env.invalidate_all()
            messages = (
                env["dental.whatsapp.message"]
                .sudo()
                .create(
                    [
                        {
                            "account_id": account.id,
                            "direction": "out",
                            "partner_id": partner.id,
                            "recipient_partner_id": partner.id,
                            "number": partner.whatsapp_number,
                            "body": f"Crash check {n}",
                            "state": "queued",
                            "immediate": True,
                            "service_reply": True,
                        }
                        for n, partner in enumerate(partners)
                    ]
                )
            )
            self.account_id = account.id
            self.partner_ids = partners.ids
            self.message_ids = messages.ids
        # Each patient has just written: for Meta too, or it fails the free text (131047).
        session = requests.Session()
        now = time.time()
        for n in range(MESSAGES):
            session.post(
                self.sim.url + "/_sim/numbers",
                json={"wa_id": f"39322{n:07d}", "last_inbound": now},
                timeout=10,
            ).raise_for_status()

    def start_server(self):
        command = [
            sys.executable,
            "-m",
            "odoo",
            "server",
            *self.args,
            "--http-interface",
            "127.0.0.1",
            "--http-port",
            str(self.port),
            "--max-cron-threads",
            "1",
            "--workers",
            "0",
            "--log-level",
            "warn",
        ]
        self.server = subprocess.Popen(command)  # noqa: S603
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                requests.get(f"http://127.0.0.1:{self.port}/web/health", timeout=2)
                return
            except requests.RequestException:
                time.sleep(0.3)
        raise RuntimeError("Odoo did not start")

    def trigger_dispatch(self):
        """Queue the dispatcher's cron now (it also runs every five minutes)."""
        with self.registry.cursor() as cr:
            self.env(cr).ref("dental_whatsapp.ir_cron_dispatch")._trigger()

    def sends(self):
        return requests.get(self.sim.url + "/_sim/sends", timeout=30).json()["sends"]

    def states(self):
        with self.registry.cursor() as cr:
            cr.execute(
                "SELECT state, count(*) FROM dental_whatsapp_message WHERE id = ANY(%s) "
                "GROUP BY state",
                (self.message_ids,),
            )
            return dict(cr.fetchall())

    def run(self):
        self.prepare()
        self.start_server()
        self.trigger_dispatch()
        while not self.sends():
            time.sleep(0.05)
        time.sleep(2.0)
        self.server.send_signal(signal.SIGKILL)
        self.server.wait()
        before = len(self.sends())
        states_at_kill = self.states()
        say(f"BENCH-INFO crash check: killed after {before} sends; states {states_at_kill}")
        killed_at = time.monotonic()
        self.start_server()
        self.trigger_dispatch()
        deadline = time.monotonic() + 600
        done = {"sent", "delivered", "read"}
        while time.monotonic() < deadline:
            states = self.states()
            if sum(n for state, n in states.items() if state in done) == MESSAGES:
                break
            time.sleep(1)
        settled = time.monotonic() - killed_at
        states = self.states()
        self.server.send_signal(signal.SIGTERM)
        self.server.wait(timeout=60)
        received = requests.get(self.sim.url + "/_sim/messages", timeout=30).json()
        refs = Counter(m["payload"].get("biz_opaque_callback_data") for m in received)
        expected = {f"dwa:message:{i}" for i in self.message_ids}
        twice = sum(1 for ref, n in refs.items() if ref in expected and n > 1)
        lost = len(expected - set(refs))
        with self.registry.cursor() as cr:
            cr.execute(
                "SELECT count(*) FILTER (WHERE attempts > 1) FROM dental_whatsapp_message "
                "WHERE id = ANY(%s)",
                (self.message_ids,),
            )
            resent = cr.fetchone()[0]
        ok = not twice and not lost and sum(states.get(s, 0) for s in done) == MESSAGES
        say(
            f"BENCH-INFO crash check: {settled:.0f} s from the kill until every message was "
            f"settled; states {states}; {resent} sent again after the wait without a status"
        )
        say(
            f"BENCH crash mid-run (SIGKILL 2 s in, restart), {MESSAGES} messages: "
            f"{MESSAGES - twice - lost} received once, {twice} twice, {lost} lost "
            f"(target each exactly once) {'meets' if ok else 'MISSES'}"
        )
        self.cleanup()
        return ok

    def cleanup(self):
        self.sim.stop()
        with self.registry.cursor() as cr:
            # The server's other crons may have queued on this number meanwhile: all goes.
            for table in ("message", "event", "conversation", "pace"):
                cr.execute(
                    f"DELETE FROM dental_whatsapp_{table} WHERE account_id = %s",  # noqa: S608
                    (self.account_id,),
                )
            cr.execute("DELETE FROM dental_whatsapp_account WHERE id = %s", (self.account_id,))
            cr.execute(
                "DELETE FROM mail_message WHERE model = 'res.partner' AND res_id = ANY(%s)",
                (self.partner_ids,),
            )
            cr.execute("DELETE FROM res_partner WHERE id = ANY(%s)", (self.partner_ids,))
            cr.execute(
                "UPDATE dental_whatsapp_account SET active = true WHERE id = ANY(%s)",
                (self.other_account_ids,),
            )


if __name__ == "__main__":
    sys.exit(0 if Check(sys.argv[1:]).run() else 1)
