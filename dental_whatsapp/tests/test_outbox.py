import itertools
from datetime import datetime, timedelta

from odoo.exceptions import UserError
from odoo.tests import freeze_time, tagged
from odoo.tools import mute_logger

from .common import PATIENT_NUMBER, WhatsappCase


@tagged("post_install", "-at_install")
class TestOutbox(WhatsappCase):
    def _queue_reminder(self, partner=None, **kwargs):
        return self.env["dental.whatsapp.message"]._wa_enqueue(
            partner or self.patient, template=self.template, **kwargs
        )

    def test_template_reaches_the_simulator_with_its_values(self):
        message = self._queue_reminder()
        self.assertEqual(message.state, "queued")
        self.assertWhatsAppQueued(self.patient, template="appointment_reminder")
        self.assertEqual(self.dispatch(), 1)
        self.assertEqual(message.state, "sent")
        self.assertTrue(message.meta_message_id.startswith("wamid."))
        sent = self.assertWhatsAppSent(
            self.patient, template="appointment_reminder", body_contains="Maria Rossi"
        )
        self.assertEqual(sent[0]["params"], ["Maria Rossi"])
        self.assertIn("Dear Maria Rossi", message.body)

    def test_chatter_entry_on_the_patient(self):
        message = self._queue_reminder()
        entries = message.mail_message_ids
        self.assertEqual(entries.model, "res.partner")
        self.assertIn("Dear Maria Rossi", str(entries.body))
        self.assertEqual(entries.subtype_id, self.env.ref("dental_whatsapp.mt_whatsapp"))
        # Delivery shows as Odoo shows it for e-mail: one notification per entry.
        notification = entries.notification_ids
        self.assertEqual(notification.notification_type, "whatsapp")
        self.assertEqual(notification.res_partner_id, self.patient)
        self.assertEqual(notification.notification_status, "ready", "nothing sent yet")
        self.dispatch()
        self.assertEqual(notification.notification_status, "pending")  # "Sent"
        self.assertFalse(entries.tracking_value_ids, "no hand-made state rows")

    def test_outage_then_recovery_sends_each_message_once(self):
        messages = self.env["dental.whatsapp.message"]
        for i in range(5):
            partner = self.patient.copy(
                {"name": f"Patient {i}", "whatsapp_number": f"+39333123450{i}"}
            )
            messages |= self._queue_reminder(partner)
        # The whole first run meets an outage: 5xx then timeouts.
        self.sim_call("POST", "/_sim/faults", json={"count": 3, "http_status": 503})
        # Odoo's test mode raises every HTTP timeout to 10 s: this one outlasts it.
        self.sim_call(
            "POST", "/_sim/faults", json={"count": 1, "timeout": True, "timeout_seconds": 11}
        )
        self.sim_call("POST", "/_sim/faults", json={"count": 1, "http_status": 502})
        with mute_logger("odoo.addons.dental_whatsapp.models.dental_whatsapp_outbox"):
            self.dispatch()
        # The errors are tried again later; the timeout may have reached Meta, so that
        # message waits for Meta's status before it goes again.
        unknown = messages.filtered(lambda m: m.state == "unknown")
        self.assertEqual(len(unknown), 1)
        self.assertEqual(set((messages - unknown).mapped("state")), {"queued"})
        self.assertTrue(all(m.next_attempt_at for m in messages))
        self.assertTrue(all("tried again" in m.error_message for m in messages - unknown))
        self.assertIn("may have left", unknown.error_message)
        # Later, the API is back: every message goes out exactly once.
        with freeze_time("2026-11-24 10:00:00"):
            self.dispatch()
            self.dispatch()
        self.assertEqual(set(messages.mapped("state")), {"sent"})
        sent = self.sim_messages()
        ids = [m["id"] for m in sent]
        self.assertEqual(len(ids), 5)
        self.assertEqual(sorted(ids), sorted(messages.mapped("meta_message_id")))

    def test_retries_stop_at_the_limit_with_the_reason(self):
        from ..const import MAX_SEND_ATTEMPTS as MAX_ATTEMPTS  # noqa: PLC0415

        message = self._queue_reminder()
        self.sim_call(
            "POST", "/_sim/faults", json={"count": MAX_ATTEMPTS, "code": 131000, "http_status": 500}
        )
        delays = []
        with mute_logger("odoo.addons.dental_whatsapp.models.dental_whatsapp_outbox"):
            for attempt in range(MAX_ATTEMPTS):
                due = message.next_attempt_at or datetime(2026, 11, 24, 9, 0)
                with freeze_time(due + timedelta(seconds=1)):
                    before = message.next_attempt_at
                    self.dispatch()
                    if message.next_attempt_at and before:
                        delays.append((message.next_attempt_at - before).total_seconds())
                self.assertEqual(message.attempts, attempt + 1)
        self.assertEqual(message.state, "failed")
        self.assertIn("131000", message.error_message)
        # Backoff grows: each pause is longer than the one before (jitter stays below 2x).
        self.assertTrue(all(b > a for a, b in itertools.pairwise(delays)), delays)
        self.assertEqual(len(self.sim_messages(PATIENT_NUMBER)), 0)

    def test_free_text_refused_for_the_24h_window_is_not_retried(self):
        self.patient.wa_last_inbound_date = datetime(2026, 11, 24, 8, 0)
        message = self.env["dental.whatsapp.message"]._wa_enqueue(self.patient, body="Hello")
        self.sim_call("POST", "/_sim/faults", json={"count": 1, "code": 131047, "http_status": 400})
        self.dispatch()
        self.assertEqual((message.state, message.attempts), ("failed", 1))
        self.assertIn("approved template", message.error_message)

    def test_permanent_error_fails_at_once_with_words(self):
        message = self._queue_reminder()
        self.sim_call("POST", "/_sim/faults", json={"count": 1, "code": 131026, "http_status": 400})
        self.dispatch()
        self.assertEqual(message.state, "failed")
        self.assertEqual(message.attempts, 1)
        self.assertEqual(message.error_code, "131026")
        self.assertIn("trying again will not help", message.error_message)

    def test_friday_night_before_a_holiday_monday_waits_for_tuesday(self):
        # Monday 30 November 2026 is a (test) public holiday of the practice.
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Holiday",
                "calendar_id": self.calendar.id,
                "date_from": self.rome(2026, 11, 30, 0, 0),
                "date_to": self.rome(2026, 11, 30, 23, 59),
            }
        )
        with freeze_time(self.rome(2026, 11, 27, 21, 30)):
            message = self._queue_reminder()
            self.assertEqual(message.scheduled_at, self.rome(2026, 12, 1, 9, 0))
            self.assertEqual(self.dispatch(), 0)
        with freeze_time(self.rome(2026, 11, 30, 10, 0)):
            self.dispatch()
            self.assertEqual(message.state, "queued")
        with freeze_time(self.rome(2026, 12, 1, 9, 0, 30)):
            self.dispatch()
            self.assertEqual(message.state, "sent")

    def test_refusals_are_explained(self):
        Message = self.env["dental.whatsapp.message"]
        # No consent for greetings.
        with self.assertRaisesRegex(UserError, "not consented"):
            Message._wa_enqueue(self.patient, category="greetings", template=self.template)
        # Opted out: billing refused, care still allowed.
        self.patient.wa_opt_out = True
        with self.assertRaisesRegex(UserError, "asked to stop"):
            Message._wa_enqueue(self.patient, category="billing", template=self.template)
        self.assertEqual(self._queue_reminder().state, "queued")
        # Free text outside the 24 h window.
        with self.assertRaisesRegex(UserError, "24 hours"):
            Message._wa_enqueue(self.patient, body="Buongiorno")
        # A producer that does not want exceptions gets a "Not Sent" record with the reason.
        refused = Message._wa_enqueue(self.patient, body="Buongiorno", raise_on_refusal=False)
        self.assertEqual(refused.state, "cancelled")
        self.assertIn("24 hours", refused.error_message)
        self.assertIn("Not sent", str(refused.mail_message_ids.body))

    def test_free_text_inside_the_window(self):
        self.patient.wa_last_inbound_date = datetime(2026, 11, 24, 8, 0)
        message = self.env["dental.whatsapp.message"]._wa_enqueue(
            self.patient, body="We have moved you to 11:00."
        )
        self.dispatch()
        self.assertEqual(message.state, "sent")
        payload = self.sim_messages(PATIENT_NUMBER)[0]["payload"]
        self.assertEqual(payload["text"]["body"], "We have moved you to 11:00.")

    def test_staff_free_text_is_checked_on_the_server(self):
        self.patient.wa_last_inbound_date = datetime(2026, 11, 24, 8, 0)
        Message = self.env["dental.whatsapp.message"]
        with self.assertRaisesRegex(UserError, "😘"):
            Message._wa_enqueue(self.patient, body="A domani 😘")
        with self.assertRaisesRegex(UserError, "ibuprofene"):
            Message._wa_enqueue(self.patient, body="Prenda 600 mg di ibuprofene ogni 8 ore")
        # Personal wording goes out (it may be a name) but is flagged for a dentist.
        flagged = Message._wa_enqueue(self.patient, body="Ciao tesoro, a domani alle 9:30 🙂")
        self.assertEqual(flagged.state, "queued")
        self.assertTrue(flagged.flagged)
        self.assertIn("tesoro", flagged.flag_reason)
        plain = Message._wa_enqueue(self.patient, body="Le confermo martedì alle 9:30 🙂")
        self.assertFalse(plain.flagged)
        self.assertEqual(len(self.sim_messages(PATIENT_NUMBER)), 0)

    def test_opt_out_between_queue_and_send_stops_the_message(self):
        message = self.env["dental.whatsapp.message"]._wa_enqueue(
            self.patient, category="billing", template=self.template
        )
        self.patient.wa_opt_out = True
        self.dispatch()
        self.assertEqual(message.state, "cancelled")
        self.assertIn("asked to stop", message.error_message)
        self.assertEqual(self.sim_messages(PATIENT_NUMBER), [])

    def test_a_childs_messages_go_to_the_parent(self):
        child = self.env["res.partner"].create(
            {
                "name": "Giorgio Rossi",
                "wa_consent_care": True,
                "whatsapp_recipient_id": self.patient.id,
            }
        )
        message = self._queue_reminder(child)
        self.assertEqual((message.partner_id, message.recipient_partner_id), (child, self.patient))
        self.dispatch()
        # The template speaks of the child, the parent's phone receives it.
        sent = self.assertWhatsAppSent(child, body_contains="Giorgio Rossi")
        self.assertEqual(child._wa_recipient().whatsapp_number, PATIENT_NUMBER)
        self.assertEqual(sent[0]["params"][0], "Giorgio Rossi")

    def test_invalid_number_is_a_clear_validation_error(self):
        with self.assertRaisesRegex(Exception, "not a valid WhatsApp number"):
            self.env["res.partner"].create({"name": "X", "whatsapp_number": "12"})
        partner = self.env["res.partner"].create({"name": "Y", "whatsapp_number": "333 123 4567"})
        self.assertEqual(partner.whatsapp_number, "+393331234567")
