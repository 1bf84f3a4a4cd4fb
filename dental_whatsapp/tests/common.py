"""Shared set-up for the Odoo tests: a real Cloud API simulator over real HTTP.

The simulator is the project's own (top-level ``wa_simulator`` package, next to the
addon in this repository). Webhooks are delivered in manual mode: a test calls
:meth:`flush_webhooks`, the simulator POSTs every pending webhook to Odoo's test HTTP
server and answers only when all were answered, so the test cursor is never used by two
threads at once.
"""

import os
import sys
import threading
from datetime import datetime, timedelta

import requests
from odoo import SUPERUSER_ID, Command, api
from odoo.tests import HttpCase, TransactionCase, freeze_time, new_test_user
from odoo.tools import SQL, config

try:
    from wa_simulator import Simulator
except ImportError:  # the repository's own copy, next to the addon
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
    from wa_simulator import Simulator

PHONE_NUMBER_ID = "100000000000901"
WABA_ID = "200000000000902"
TOKEN = "test-access-token"
APP_SECRET = "test-app-secret"
PATIENT_NUMBER = "+393479876543"
# Tuesday 24 November 2026, 10:00 in Rome: the practice is open.
OPEN_NOW = "2026-11-24 09:00:00"


class WhatsappTestMixin:
    """Simulator, account, Italian practice with office hours, one consenting patient."""

    @classmethod
    def _setup_whatsapp(cls):
        cls.sim = Simulator(
            host="127.0.0.1",
            port=0,
            access_token=TOKEN,
            app_secret=APP_SECRET,
            phone_number_id=PHONE_NUMBER_ID,
            waba_id=WABA_ID,
            auto_deliver=False,
            delivery_delay=0,
            template_review_delay=0.05,
        )
        cls.sim.start()
        cls.addClassCleanup(cls.sim.stop)
        env = cls.env
        cls.company = env.company
        calendar = env["resource.calendar"].create(
            {
                "name": "Studio hours",
                "tz": "Europe/Rome",
                "attendance_ids": [
                    Command.create(
                        {
                            "name": f"{day} {period}",
                            "dayofweek": str(day),
                            "hour_from": start,
                            "hour_to": end,
                            "day_period": period,
                        }
                    )
                    for day in range(5)
                    for start, end, period in ((9, 13, "morning"), (14, 19, "afternoon"))
                ],
            }
        )
        cls.company.write(
            {
                "resource_calendar_id": calendar.id,
                "country_id": env.ref("base.it").id,
                # The demo lets patients choose times; the tests that want it say so.
                "wa_booking_reschedule": False,
                "wa_booking_first_visit": False,
            }
        )
        cls.calendar = calendar
        # The demo account (demo data) must not take the tests' messages.
        env["dental.whatsapp.account"].search([]).active = False
        cls.account = env["dental.whatsapp.account"].create(
            {
                "name": "Test number",
                "phone_number_id": PHONE_NUMBER_ID,
                "waba_id": WABA_ID,
                "access_token": TOKEN,
                "app_secret": APP_SECRET,
                "verify_token": "test-verify-token",
                "base_url": cls.sim.url,
                "timeout": 2,
                "throughput_limit": 1000,
            }
        )
        cls.patient = env["res.partner"].create(
            {
                "name": "Maria Rossi",
                "whatsapp_number": PATIENT_NUMBER,
                "lang": "en_US",
                "wa_consent_care": True,
                "wa_consent_billing": True,
            }
        )
        cls.template = cls._make_template(
            "appointment_reminder",
            "Dear {{1}}, this is a reminder of your appointment at Studio Demo.",
            [("Patient name", "name")],
        )

    @classmethod
    def _make_template(cls, name, body, variables, language="en", category="care"):
        template = cls.env["dental.whatsapp.template"].create(
            {
                "name": name,
                "language": language,
                "account_id": cls.account.id,
                "message_category": category,
                "body": body,
                "variable_ids": [
                    Command.create(
                        {"index": i, "name": label, "field_path": path, "example": label}
                    )
                    for i, (label, path) in enumerate(variables, start=1)
                ],
            }
        )
        # Both gates, as a dentist and Meta would pass them.
        template.with_context(wa_template_sync=True).write(
            {"review_state": "approved", "meta_status": "approved"}
        )
        cls.sim_call(
            "POST",
            "/_sim/templates",
            json={
                "name": name,
                "language": language,
                "status": "APPROVED",
                "category": "UTILITY",
                "components": [{"type": "BODY", "text": body}],
            },
        )
        return template

    @classmethod
    def _approve_shipped(cls, names):
        """The module's shipped templates ``names`` (every language), passed through both
        gates as a dentist and Meta would, and known to the simulator."""
        templates = cls.env["dental.whatsapp.template"].search(
            [("name", "in", list(names)), ("account_id", "=", False)]
        )
        templates.with_context(wa_template_sync=True).write(
            {"review_state": "approved", "meta_status": "approved"}
        )
        for template in templates:
            cls.sim_call(
                "POST",
                "/_sim/templates",
                json={
                    "name": template.name,
                    "language": template.language,
                    "status": "APPROVED",
                    "category": template.meta_category,
                    "components": template._meta_components(),
                },
            )
        return templates

    def _freeze_open_time(self):
        """Every test starts on a weekday morning with the practice open; tests about
        time freeze their own moment inside."""
        self.enterContext(freeze_time(OPEN_NOW))
        self.sim_call("POST", "/_sim/reset", json={"keep_templates": True})

    # --------------------------------------------------------------- simulator control
    @classmethod
    def sim_call(cls, method, path, **kwargs):
        response = requests.request(method, cls.sim.url + path, timeout=30, **kwargs)
        response.raise_for_status()
        return response.json() if response.content else None

    def sim_messages(self, to=None):
        params = {"to": to.lstrip("+")} if to else None
        return self.sim_call("GET", "/_sim/messages", params=params)

    # --------------------------------------------------------------- assertions
    def sim_sent(self, partner=None, number=None):
        """What the simulator received for the partner's WhatsApp number (the number
        actually used: a parent's for a child), as dicts of ``template`` (name),
        ``language``, ``header`` (document dict or None), ``params`` (body texts) and
        ``text`` (free text body)."""
        if partner is not None:
            number = partner._wa_recipient().whatsapp_number
        result = []
        for sent in self.sim_messages(number):
            payload = sent["payload"]
            template = payload.get("template") or {}
            header = params = None
            for component in template.get("components", []):
                if component["type"] == "header":
                    header = component["parameters"][0].get("document")
                if component["type"] == "body":
                    params = [p["text"] for p in component["parameters"]]
            result.append(
                {
                    "template": template.get("name"),
                    "language": (template.get("language") or {}).get("code"),
                    "header": header,
                    "params": params or [],
                    "text": (payload.get("text") or {}).get("body"),
                }
            )
        return result

    def assertWhatsAppSent(self, partner, template=None, body_contains=None, count=1):
        """The simulator received ``count`` messages for ``partner`` (of ``template``,
        when given), and each reads ``body_contains`` (in a body parameter or the free
        text); return them."""
        sent = [m for m in self.sim_sent(partner) if template is None or m["template"] == template]
        self.assertEqual(len(sent), count, f"WhatsApp messages to {partner.display_name}: {sent}")
        for message in sent:
            if body_contains:
                words = " ".join([*message["params"], message["text"] or ""])
                self.assertIn(body_contains, words)
        return sent

    def assertWhatsAppQueued(self, partner, template=None, count=1):
        """``count`` messages wait in the outbox for ``partner`` (of ``template``)."""
        domain = [("partner_id", "=", partner.id), ("state", "=", "queued")]
        if template:
            domain.append(("template_id.name", "=", template))
        queued = self.env["dental.whatsapp.message"].search(domain)
        self.assertEqual(len(queued), count, f"queued for {partner.display_name}")
        return queued

    def enqueue(self, partner, **kwargs):
        kwargs.setdefault("template", self.template)
        return self.env["dental.whatsapp.message"]._wa_enqueue(partner, **kwargs)

    def book(self, start, minutes=30, patient=None, **values):
        """An appointment for ``patient`` (default: the test patient) at ``start``
        (naive UTC), booked without mailing the attendees."""
        patient = patient or self.patient
        return (
            self.env["calendar.event"]
            .with_context(no_mail_to_attendees=True)
            .create(
                {
                    "name": values.pop("name", "Estrazione"),
                    "start": start,
                    "stop": start + timedelta(minutes=minutes),
                    "partner_ids": [Command.set(patient.ids)],
                    **values,
                }
            )
        )

    def dispatch(self):
        return self.env["dental.whatsapp.outbox"]._wa_dispatch()

    def process_events(self):
        self.env["dental.whatsapp.event"]._cron_process_events()

    @staticmethod
    def rome(*args):
        """A naive UTC datetime (Odoo's storage) for a wall-clock time in Rome."""
        import pytz  # noqa: PLC0415

        local = pytz.timezone("Europe/Rome").localize(datetime(*args))
        return local.astimezone(pytz.utc).replace(tzinfo=None)


class WhatsappCase(WhatsappTestMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_whatsapp()
        cls.reception = new_test_user(
            cls.env,
            login="reception",
            groups="base.group_user,dental_whatsapp.group_reception",
            name="Reception",
        )

    def setUp(self):
        super().setUp()
        self._freeze_open_time()

    # ------------------------------------------------------ committed, concurrent work
    def _committed_env(self, cr):
        """A superuser environment on ``cr``, a cursor of its own whose work is committed
        (the test transaction is invisible to other connections)."""
        # The test runner holds the registry's class lock while tests run: give the
        # cursor its transaction directly instead of looking the registry up again.
        if cr.transaction is None:
            cr.transaction = api.Transaction(self.registry)
        return api.Environment(cr, SUPERUSER_ID, {})

    @staticmethod
    def _purge(cr, model, ids):
        """Remove committed test records in SQL (evidence rows refuse the ORM's unlink)
        with what Odoo hangs on them: chatter, activities, followers. An activity left
        on a deleted conversation would show in the next user's activity menu and open
        as a missing record."""
        ids = list(ids) if isinstance(ids, (list, tuple, set)) else [ids]
        if not ids:
            return
        for table, column in (
            ("mail_message", "model"),
            ("mail_activity", "res_model"),
            ("mail_followers", "res_model"),
        ):
            cr.execute(
                SQL(
                    "DELETE FROM %s WHERE %s = %s AND res_id = ANY(%s)",
                    SQL.identifier(table),
                    SQL.identifier(column),
                    model,
                    ids,
                )
            )
        table = SQL.identifier(model.replace(".", "_"))
        cr.execute(SQL("DELETE FROM %s WHERE id = ANY(%s)", table, ids))

    def _run_together(self, work, workers=2):
        """Run ``work(env)`` in ``workers`` threads, each on its own committed cursor,
        released at the same moment, as two Odoo workers would; return (results, errors)."""
        results, errors = [], []
        start = threading.Barrier(workers)

        def worker():
            try:
                with self.registry.cursor() as cr:
                    env = self._committed_env(cr)
                    start.wait(timeout=30)
                    results.append(work(env))
            except Exception as error:
                errors.append(error)

        threads = [threading.Thread(target=worker) for _ in range(workers)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=300)
        return results, errors


class WhatsappHttpCase(WhatsappTestMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_whatsapp()
        cls.webhook_url = f"http://127.0.0.1:{config['http_port']}/dental_whatsapp/webhook"
        cls.sim_call("POST", "/_sim/config", json={"webhook_url": cls.webhook_url})

    def setUp(self):
        super().setUp()
        self._freeze_open_time()

    def flush_webhooks(self):
        """Deliver every pending webhook to Odoo now; return their HTTP statuses."""
        return self.sim_call("POST", "/_sim/flush")
