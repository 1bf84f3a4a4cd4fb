import hashlib
import hmac
import json
import random

import requests
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from .common import APP_SECRET, PATIENT_NUMBER, WhatsappHttpCase

LOGGER = "odoo.addons.dental_whatsapp.controllers.main"


@tagged("post_install", "-at_install")
class TestWebhook(WhatsappHttpCase):
    def _post(self, body, signature=None, secret=APP_SECRET):
        raw = body if isinstance(body, bytes) else json.dumps(body).encode()
        headers = {"Content-Type": "application/json"}
        if signature is None and secret:
            signature = "sha256=" + hmac.new(secret.encode(), raw, hashlib.sha256).hexdigest()
        if signature:
            headers["X-Hub-Signature-256"] = signature
        return requests.post(self.webhook_url, data=raw, headers=headers, timeout=30)

    def _events(self):
        return self.env["dental.whatsapp.event"].search([("account_id", "=", self.account.id)])

    def test_handshake(self):
        url = self.webhook_url + "?hub.mode=subscribe&hub.verify_token=%s&hub.challenge=12345"
        ok = requests.get(url % "test-verify-token", timeout=30)
        self.assertEqual((ok.status_code, ok.text), (200, "12345"))
        with mute_logger(LOGGER):
            bad = requests.get(url % "guess", timeout=30)
        self.assertEqual(bad.status_code, 403)

    def test_send_sent_delivered_read_through_signed_webhooks(self):
        message = self.env["dental.whatsapp.message"]._wa_enqueue(
            self.patient, template=self.template
        )
        self.dispatch()
        self.assertEqual(message.state, "sent")
        results = self.flush_webhooks()
        self.assertTrue(results and all(r["status"] == 200 for r in results["deliveries"]))
        self.process_events()
        self.assertEqual(message.state, "read")
        self.assertTrue(message.delivered_date and message.read_date)
        self.assertTrue(message.sent_date <= message.delivered_date <= message.read_date)
        notification = message.mail_message_ids.notification_ids
        self.assertEqual(
            (notification.notification_type, notification.notification_status),
            ("whatsapp", "sent"),
        )

    def test_unsigned_tampered_and_malformed_bodies(self):
        body = {"object": "whatsapp_business_account", "entry": []}
        with mute_logger(LOGGER):
            self.assertEqual(self._post(body, secret=None).status_code, 403)
            self.assertEqual(self._post(body, secret="another-secret").status_code, 403)
            raw = json.dumps(body).encode()
            good = "sha256=" + hmac.new(APP_SECRET.encode(), raw, hashlib.sha256).hexdigest()
            self.assertEqual(self._post(raw + b" ", signature=good).status_code, 403)
            self.assertEqual(
                self._post(
                    b"{not json",
                ).status_code,
                400,
            )
            self.assertEqual(self._post({"object": "page"}).status_code, 400)
            self.assertEqual(self._post([1, 2]).status_code, 400)
        self.assertFalse(self._events())

    def test_replayed_deliveries_create_nothing_twice(self):
        messages = self.env["dental.whatsapp.message"]
        for i in range(4):
            partner = self.patient.copy({"name": f"P{i}", "whatsapp_number": f"+39333765430{i}"})
            messages |= self.env["dental.whatsapp.message"]._wa_enqueue(
                partner, template=self.template
            )
        # Meta retries: each of the 13 webhooks delivered 84 times (1,092 in all), shuffled.
        self.sim_call("POST", "/_sim/webhook-mode", json={"duplicate": 83, "shuffle": True})
        self.dispatch()
        self.sim_call(
            "POST",
            "/_sim/inbound",
            json={
                "from": PATIENT_NUMBER[1:],
                "type": "text",
                "text": "Grazie, ci sarò",
                "name": "Maria",
            },
        )
        results = self.flush_webhooks()["deliveries"]
        self.assertGreaterEqual(len(results), 1000)
        self.assertTrue(all(r["status"] == 200 for r in results))
        self.process_events()
        self.assertEqual(set(messages.mapped("state")), {"read"})
        inbound = self.env["dental.whatsapp.message"].search([("direction", "=", "in")])
        self.assertEqual(len(inbound), 1)
        # One chatter entry on the patient, one in their conversation: each posted once.
        self.assertEqual(
            sorted(inbound.mail_message_ids.mapped("model")),
            ["dental.whatsapp.conversation", "res.partner"],
        )
        for message in messages:
            self.assertEqual(len(message.mail_message_ids), 1)
            # Forward only: a late "delivered" never moves a read message back.
            self.assertTrue(message.sent_date and message.read_date)
            self.assertLessEqual(message.sent_date, message.read_date)
            notification = message.mail_message_ids.notification_ids
            self.assertEqual(len(notification), 1)
            self.assertEqual(notification.notification_status, "sent")

    def test_status_never_goes_backwards(self):
        message = self.env["dental.whatsapp.message"]._wa_enqueue(
            self.patient, template=self.template
        )
        self.dispatch()
        deliveries = self.sim_call("GET", "/_sim/deliveries")
        self.assertTrue(deliveries is not None)
        self.sim_call("POST", "/_sim/webhook-mode", json={"shuffle": True})
        random.seed(4)
        self.flush_webhooks()
        self.process_events()
        self.assertEqual(message.state, "read")
        message._wa_set_state("delivered")
        self.assertEqual(message.state, "read")

    def test_inbound_text_from_an_unknown_number_creates_an_enquiry(self):
        self.sim_call(
            "POST",
            "/_sim/inbound",
            json={
                "from": "393401112233",
                "type": "text",
                "text": "Buonasera, avete posto domani?",
                "name": "Luca Bianchi",
            },
        )
        self.flush_webhooks()
        self.process_events()
        partner = self.env["res.partner"].search([("whatsapp_number", "=", "+393401112233")])
        self.assertEqual(partner.name, "Luca Bianchi")
        self.assertTrue(partner.wa_new_enquiry)
        message = self.env["dental.whatsapp.message"].search([("partner_id", "=", partner.id)])
        self.assertEqual(message.state, "received")
        self.assertIn("avete posto domani", str(message.mail_message_ids.mapped("body")))
        self.assertTrue(partner.wa_last_inbound_date)

    def test_inbound_photo_is_downloaded_and_attached(self):
        self.sim_call(
            "POST",
            "/_sim/inbound",
            json={
                "from": PATIENT_NUMBER[1:],
                "type": "image",
                "caption": "Mi si è rotta la protesi",
            },
        )
        self.flush_webhooks()
        self.process_events()
        message = self.env["dental.whatsapp.message"].search([("direction", "=", "in")])
        self.assertEqual(message.media_state, "pending")
        self.env["dental.whatsapp.inbound"]._cron_download_media()
        self.assertEqual(message.media_state, "done")
        self.assertTrue(message.attachment_ids.raw)
        self.assertEqual(message.mail_message_ids.attachment_ids, message.attachment_ids)

    def test_opt_out_keyword(self):
        self.patient.wa_consent_greetings = True
        self.sim_call(
            "POST",
            "/_sim/inbound",
            json={"from": PATIENT_NUMBER[1:], "type": "text", "text": "STOP"},
        )
        self.flush_webhooks()
        self.process_events()
        self.assertTrue(self.patient.wa_opt_out)
        confirmation = self.env["dental.whatsapp.message"].search(
            [("direction", "=", "out"), ("partner_id", "=", self.patient.id)]
        )
        self.assertEqual(len(confirmation), 1)
        self.assertEqual(confirmation.state, "queued")
        # A second STOP (or Meta's retry) sends no second confirmation.
        self.sim_call(
            "POST",
            "/_sim/inbound",
            json={"from": PATIENT_NUMBER[1:], "type": "text", "text": "stop!"},
        )
        self.flush_webhooks()
        self.process_events()
        self.assertEqual(
            len(
                self.env["dental.whatsapp.message"].search(
                    [("direction", "=", "out"), ("partner_id", "=", self.patient.id)]
                )
            ),
            1,
        )

    def test_opt_out_keywords_are_the_practice_setting(self):
        settings = self.env["res.config.settings"].create(
            {"dental_whatsapp_opt_out_keywords": "NIENTE PIU, Basta messaggi"}
        )
        settings.execute()
        for text in ("STOP", "basta messaggi!"):
            self.sim_call(
                "POST",
                "/_sim/inbound",
                json={"from": PATIENT_NUMBER[1:], "type": "text", "text": text},
            )
            self.flush_webhooks()
            self.process_events()
            self.assertEqual(self.patient.wa_opt_out, text != "STOP", text)

    def test_free_text_to_a_silent_number_fails_with_131047(self):
        # The patient wrote 23 h ago according to Odoo, but never to the simulator:
        # Meta answers 200 and then reports 131047 in a failed status.
        self.patient.wa_last_inbound_date = "2026-11-23 11:00:00"
        message = self.env["dental.whatsapp.message"]._wa_enqueue(self.patient, body="Hello")
        self.dispatch()
        self.flush_webhooks()
        self.process_events()
        self.assertEqual(message.state, "failed")
        self.assertEqual(message.error_code, "131047")
        self.assertIn("24 hours", message.error_message)
        notification = message.mail_message_ids.notification_ids
        self.assertEqual(
            (notification.notification_status, notification.failure_type),
            ("exception", "wa_window"),
        )

    def test_a_failed_message_is_in_the_author_s_failure_tray(self):
        desk = new_test_user(
            self.env,
            "tray_desk",
            groups="base.group_user,dental_whatsapp.group_reception",
            email="tray@studio.example",
        )
        self.patient.wa_last_inbound_date = "2026-11-23 11:00:00"
        message = (
            self.env["dental.whatsapp.message"]
            .with_user(desk)
            ._wa_enqueue(self.patient, body="Hello")
        )
        self.dispatch()
        self.flush_webhooks()
        self.process_events()
        self.assertEqual(message.state, "failed")
        self.authenticate("tray_desk", "tray_desk")
        data = self.make_jsonrpc_request("/mail/data", {"failures": True})
        failed = [
            n for n in data.get("mail.notification", []) if n.get("notification_type") == "whatsapp"
        ]
        self.assertEqual(len(failed), 1)
        self.assertEqual(failed[0]["notification_status"], "exception")
        self.assertEqual(failed[0]["failure_type"], "wa_window")
