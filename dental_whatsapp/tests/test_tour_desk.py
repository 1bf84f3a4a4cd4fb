import threading
from unittest.mock import patch

from odoo import SUPERUSER_ID, api
from odoo.addons.bus.models.bus import dispatch
from odoo.addons.bus.websocket import WebsocketConnectionHandler
from odoo.tests import new_test_user, tagged
from odoo.tests.common import TEST_CURSOR_COOKIE_NAME

from .common import PATIENT_NUMBER, WhatsappHttpCase

UPSET_NUMBER = "+393471112233"


@tagged("post_install", "-at_install")
class TestDeskTour(WhatsappHttpCase):
    """The desk in headless Chromium, the simulator's patient on the other side."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Odoo turns its websocket off in test mode; its own bus tests turn it back on
        # (bus.tests.common.WebsocketCase) to see notifications reach the browser.
        cls.startClassPatcher(
            patch.object(WebsocketConnectionHandler, "websocket_allowed", return_value=True)
        )

    def _cron_worker(self, stop):
        """What Odoo's cron workers do between the browser's requests: process the
        stored webhooks, send the queued messages, and let the bus tell the browser
        (as bus's own tests do: the test cursor never commits, so nothing else would)."""
        cookie = None
        while not stop.wait(0.3):
            # Once the browser test runs, Odoo's test server takes only requests that
            # carry the browser's test cookie: the simulator's webhooks carry it too.
            if self.http_request_key and cookie != self.http_request_key:
                cookie = self.http_request_key
                self.sim_call(
                    "POST",
                    "/_sim/config",
                    json={"webhook_cookie": f"{TEST_CURSOR_COOKIE_NAME}={cookie}"},
                )
            with self.registry.cursor() as cr:
                env = api.Environment(cr, SUPERUSER_ID, {})
                env["dental.whatsapp.event"]._cron_process_events()
                env["dental.whatsapp.outbox"]._wa_dispatch()
                cr.precommit.run()
            for websockets in list(dispatch._channels_to_ws.values()):
                for websocket in list(websockets):
                    websocket.trigger_notification_dispatching()

    def test_reception_answers_a_patient_in_the_browser(self):
        desk = new_test_user(
            self.env,
            "tour_inbox",
            name="Giulia",
            groups="base.group_user,dental_whatsapp.group_reception",
        )
        stop = threading.Event()
        worker = threading.Thread(target=self._cron_worker, args=(stop,), daemon=True)
        worker.start()
        try:
            self.start_tour(
                "/odoo/action-dental_whatsapp.action_dental_whatsapp_conversation",
                "dental_whatsapp_desk_tour",
                login=desk.login,
                code=(
                    f"window.dentalWhatsappSimulator = {self.sim.url!r}; "
                    "odoo.startTour('dental_whatsapp_desk_tour', "
                    "{stepDelay: 0, keepWatchBrowser: false, debug: false, "
                    "startUrl: '/odoo/action-dental_whatsapp.action_dental_whatsapp_conversation'})"
                ),
            )
        finally:
            stop.set()
            worker.join(timeout=10)
            # The next test's webhooks must not carry this test's cookie.
            self.sim_call("POST", "/_sim/config", json={"webhook_cookie": ""})
        self.env.invalidate_all()
        self.dispatch()
        texts = [m["text"] for m in self.sim_sent(number=PATIENT_NUMBER)]
        self.assertIn("Venga pure oggi alle 16, La aspettiamo.", texts)
        self.assertFalse([t for t in texts if t and "❤" in t], "the heart never left")
        inbound = [
            m
            for thread in self.sim_call("GET", "/_sim/conversations")
            for m in thread["messages"]
            if m["direction"] == "in"
        ]
        self.assertEqual([m.get("status") for m in inbound], ["read"], "blue ticks once opened")

    def test_reception_sees_the_conduct_safeguards_in_the_browser(self):
        desk = new_test_user(
            self.env,
            "tour_conduct",
            name="Giulia",
            groups="base.group_user,dental_whatsapp.group_reception",
        )
        dentist = new_test_user(
            self.env,
            "tour_dentist",
            name="Dott.ssa Bianchi",
            groups="base.group_user,dental_whatsapp.group_dentist",
        )
        self.company.wa_duty_dentist_id = dentist
        upset = self.env["res.partner"].create(
            {"name": "Luca Bruni", "whatsapp_number": UPSET_NUMBER, "wa_consent_care": True}
        )
        for number, text in (
            (PATIENT_NUMBER, "Buongiorno, ho la gengiva gonfia e mi fa male quando mastico"),
            (UPSET_NUMBER, "Siete degli incompetenti, vergognatevi! Vi denuncio!!!"),
        ):
            self.sim_call(
                "POST",
                "/_sim/inbound",
                json={"from": number.lstrip("+"), "type": "text", "text": text},
            )
        self.flush_webhooks()
        self.process_events()
        self.env.flush_all()  # the browser reads the database
        self.start_tour(
            "/odoo/action-dental_whatsapp.action_dental_whatsapp_conversation",
            "dental_whatsapp_conduct_tour",
            login=desk.login,
        )
        self.env.invalidate_all()
        self.dispatch()
        self.assertIn("will call you back", self.sim_sent(self.patient)[-1]["text"])
        self.assertFalse(self.sim_sent(upset), "the arguing answer never left")
