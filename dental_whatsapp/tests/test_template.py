import time

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from ..models.dental_whatsapp_template import PLACEHOLDER
from .common import PATIENT_NUMBER, WhatsappHttpCase


@tagged("post_install", "-at_install")
class TestTemplateGates(WhatsappHttpCase):
    def setUp(self):
        super().setUp()
        self.dentist = new_test_user(
            self.env,
            login="dentist",
            name="Dr. Verdi",
            groups="base.group_user,dental_whatsapp.group_dentist",
        )
        self.reception = new_test_user(
            self.env,
            login="reception2",
            name="Reception",
            groups="base.group_user,dental_whatsapp.group_reception",
        )
        # The simulator keeps templates between tests, as Meta would: one name per test.
        self.name = "post_surgery_" + self._testMethodName.removeprefix("test_")[:40]
        self.draft = self.env["dental.whatsapp.template"].create(
            {
                "name": self.name,
                "language": "it",
                "account_id": self.account.id,
                "body": "Gentile {{1}}, come sta dopo l'intervento di oggi?",
                "variable_ids": [
                    Command.create(
                        {"index": 1, "name": "Nome", "field_path": "name", "example": "Maria"}
                    )
                ],
            }
        )

    def _meta_review(self):
        """Let the simulator decide, deliver its webhook, process it."""
        time.sleep(0.3)  # the simulator's review delay, in real time
        self.flush_webhooks()
        self.process_events()

    def test_only_a_dentist_approves_and_it_is_recorded(self):
        self.draft.action_submit_review()
        with self.assertRaises(AccessError):
            self.draft.with_user(self.reception).action_approve_review()
        self.draft.with_user(self.dentist).action_approve_review()
        self.assertEqual(self.draft.review_state, "approved")
        self.assertEqual(self.draft.reviewed_by_id, self.dentist)
        self.assertFalse(self.draft.is_usable, "Meta has not approved it yet")

    def test_submit_to_meta_then_approved_by_webhook_then_usable(self):
        with self.assertRaisesRegex(UserError, "approved by a dentist"):
            self.draft.action_submit_to_meta()
        self.draft.action_submit_review()
        self.draft.with_user(self.dentist).action_approve_review()
        self.draft.action_submit_to_meta()
        self.assertEqual(self.draft.meta_status, "pending")
        self.assertTrue(self.draft.meta_template_id)
        self._meta_review()
        self.assertEqual(self.draft.meta_status, "approved")
        self.assertTrue(self.draft.is_usable)
        # Usable means it really goes out.
        message = self.enqueue(self.patient, template=self.draft)
        self.dispatch()
        self.assertEqual(message.state, "sent")
        sent = self.sim_messages(PATIENT_NUMBER)[-1]["payload"]["template"]
        self.assertEqual((sent["name"], sent["language"]["code"]), (self.name, "it"))

    def test_rejection_reason_is_shown_and_editing_resets_both_gates(self):
        self.sim_call(
            "POST",
            "/_sim/templates/reject",
            json={"name": self.name, "reason": "INVALID_FORMAT"},
        )
        self.draft.action_submit_review()
        self.draft.with_user(self.dentist).action_approve_review()
        self.draft.action_submit_to_meta()
        self._meta_review()
        self.assertEqual(self.draft.meta_status, "rejected")
        self.assertIn("INVALID_FORMAT", self.draft.meta_rejection_reason)
        self.draft.body = "Gentile {{1}}, come sta dopo l'intervento?"
        self.assertEqual((self.draft.review_state, self.draft.meta_status), ("draft", "draft"))
        self.assertFalse(self.draft.reviewed_by_id)

    def test_writing_the_same_wording_back_keeps_the_approval(self):
        self.template.write({"body": self.template.body, "language": self.template.language})
        self.assertTrue(self.template.is_usable)

    def test_sync_from_meta_reads_a_pause(self):
        self.assertTrue(self.template.is_usable)
        self.sim_call(
            "POST",
            "/_sim/templates/status",
            json={
                "name": self.template.name,
                "language": self.template.language,
                "status": "PAUSED",
            },
        )
        self.template.action_sync_from_meta()
        self.assertEqual(self.template.meta_status, "paused")
        with self.assertRaisesRegex(UserError, "not approved"):
            self.enqueue(self.patient)

    def test_shared_number_goes_to_the_patient_with_the_nearest_appointment(self):
        sibling = self.patient.copy({"name": "Luca Rossi", "whatsapp_number": PATIENT_NUMBER})
        self.env["calendar.event"].create(
            {
                "name": "Check-up",
                "partner_ids": [Command.set(sibling.ids)],
                "start": "2026-11-25 08:00:00",
                "stop": "2026-11-25 08:30:00",
            }
        )
        self.sim_call(
            "POST",
            "/_sim/inbound",
            json={"from": PATIENT_NUMBER[1:], "type": "text", "text": "Domani ci siamo"},
        )
        self.flush_webhooks()
        self.process_events()
        message = self.env["dental.whatsapp.message"].search([("direction", "=", "in")])
        self.assertEqual(message.partner_id, sibling)
        self.assertTrue(message.ambiguous_partner)


@tagged("post_install", "-at_install")
class TestShippedTemplates(WhatsappHttpCase):
    def test_every_shipped_template_has_one_variable_per_placeholder(self):
        shipped = (
            self.env["ir.model.data"]
            .search(
                [("module", "=", "dental_whatsapp"), ("model", "=", "dental.whatsapp.template")]
            )
            .mapped(lambda d: self.env["dental.whatsapp.template"].browse(d.res_id))
            # The module's own (no account); demo templates belong to the demo account.
            .filtered(lambda t: not t.account_id)
        )
        self.assertGreater(len(shipped), 20)
        for template in shipped:
            numbers = sorted({int(n) for n in PLACEHOLDER.findall(template.body)})
            self.assertEqual(
                sorted(template.variable_ids.mapped("index")), numbers, template.display_name
            )
            # Each variable is shipped with an XML id: its meaning can be translated.
            self.assertTrue(all(template.variable_ids.get_external_id().values()))

    def test_a_variable_meaning_is_translated_without_a_new_review(self):
        self.env["res.lang"]._activate_lang("it_IT")
        template = self.env.ref("dental_whatsapp.template_appointment_reminder_it")
        template.with_context(wa_template_sync=True).write(
            {"review_state": "approved", "meta_status": "approved"}
        )
        variable = template.variable_ids.filtered(lambda v: v.index == 1)
        variable.with_context(lang="it_IT").name = "Nome del paziente"
        self.assertEqual(variable.with_context(lang="it_IT").name, "Nome del paziente")
        self.assertEqual(variable.with_context(lang="en_US").name, "Patient name")
        self.assertEqual(template.review_state, "approved", "staff wording: no new review")
        self.assertTrue(template._is_usable())
