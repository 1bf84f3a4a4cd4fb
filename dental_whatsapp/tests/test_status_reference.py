"""Every send carries our reference to Meta and back (biz_opaque_callback_data), and
the statuses say what Meta charges: a status finds its message even when the answer to
the send never came, and the account shows what the month's messages cost."""

import requests
from odoo.tests import tagged

from ..tools import payloads
from .common import PATIENT_NUMBER, TOKEN, WhatsappHttpCase


@tagged("post_install", "-at_install")
class TestStatusReference(WhatsappHttpCase):
    def _delivered(self):
        self.flush_webhooks()
        self.process_events()

    def test_a_send_carries_our_reference_and_its_statuses_say_what_meta_charges(self):
        template = self.enqueue(self.patient)
        self.dispatch()  # before the patient writes: a utility template is charged
        self.sim_call(  # the patient writes: a free answer inside the 24-hour window
            "POST",
            "/_sim/inbound",
            json={"from": PATIENT_NUMBER[1:], "type": "text", "text": "Domani ci sono?"},
        )
        self._delivered()
        reply = self.enqueue(self.patient, template=None, body="Certo, a domani.")
        self.dispatch()
        sent = {m["payload"].get("biz_opaque_callback_data") for m in self.sim_messages()}
        self.assertEqual(sent, {f"dwa:message:{template.id}", f"dwa:message:{reply.id}"})
        self._delivered()
        self.assertEqual((template.pricing_category, template.pricing_billable), ("utility", True))
        self.assertEqual(template.pricing_type, "regular")
        self.assertEqual((reply.pricing_category, reply.pricing_billable), ("service", False))
        self.assertEqual(reply.pricing_type, "free_customer_service")
        usage = self.account.usage_this_month
        self.assertIn("Utility: 1 charged, 0 free", usage)
        self.assertIn("Service: 0 charged, 1 free", usage)

    def test_a_status_adopts_the_message_whose_answer_never_came(self):
        message = self.enqueue(self.patient)
        # The request reaches Meta, which accepts it, but its answer is lost on the way
        # back: Odoo never learns Meta's id.
        outbox = self.env["dental.whatsapp.outbox"]
        client = self.account._get_client()
        payload = payloads.with_callback_data(
            outbox._wa_payload(client, message, PATIENT_NUMBER), message._wa_callback_ref()
        )
        answer = requests.post(
            f"{self.sim.url}/v23.0/{self.account.phone_number_id}/messages",
            json=payload,
            headers={"Authorization": f"Bearer {TOKEN}"},
            timeout=10,
        )
        meta_id = answer.json()["messages"][0]["id"]
        self.assertFalse(message.meta_message_id)

        self._delivered()

        self.assertEqual(message.meta_message_id, meta_id)
        self.assertEqual(message.state, "read")
        self.assertEqual(message.pricing_category, "utility")

    def test_a_reference_of_another_account_or_an_unknown_message_is_ignored(self):
        Message = self.env["dental.whatsapp.message"]
        message = self.enqueue(self.patient)
        other = self.account.copy({"phone_number_id": "100000000000999", "name": "Other"})
        self.assertFalse(Message._wa_from_callback_ref(other, message._wa_callback_ref()))
        self.assertEqual(
            Message._wa_from_callback_ref(self.account, message._wa_callback_ref()), message
        )
        self.assertFalse(Message._wa_from_callback_ref(self.account, "dwa:message:999999999"))
        self.assertFalse(Message._wa_from_callback_ref(self.account, "someone else's data"))

    def test_a_mornings_statuses_shuffled_and_twice_move_each_message_forward_once(self):
        # Meta delivers webhooks at least once and in no order: sent, delivered and read
        # of forty reminders, each twice, shuffled, all processed in one run.
        self.sim_call("POST", "/_sim/webhook-mode", json={"shuffle": True, "duplicate": 2})
        patients = self.env["res.partner"].create(
            [
                {
                    "name": f"Patient {n}",
                    "whatsapp_number": f"+3933355{n:05d}",
                    "wa_consent_care": True,
                }
                for n in range(40)
            ]
        )
        messages = self.env["dental.whatsapp.message"]
        for patient in patients:
            messages |= self.enqueue(patient)
        self.dispatch()
        self._delivered()
        Event = self.env["dental.whatsapp.event"]
        # Each status stored once (the second copy is dropped at the door), all applied.
        self.assertEqual(Event.search_count([("state", "=", "done")]), 120)
        self.assertFalse(Event.search_count([("state", "!=", "done")]))
        self.assertEqual(set(messages.mapped("state")), {"read"})
        for message in messages:
            self.assertTrue(message.sent_date <= message.delivered_date <= message.read_date)
        # The chatter's WhatsApp tick says "Delivered" on every entry (mail.notification).
        notes = messages.mail_message_ids.notification_ids.filtered(
            lambda n: n.notification_type == "whatsapp"
        )
        self.assertGreaterEqual(len(notes), 40)
        self.assertEqual(set(notes.mapped("notification_status")), {"sent"})
