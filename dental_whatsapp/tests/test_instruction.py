"""Care instruction sheets: reviewed by a dentist, sent as a PDF in one click or after
an attended appointment, over the simulator."""

from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from ..const import TEMPLATE_INSTRUCTIONS
from .common import WhatsappHttpCase

# PDFs made by wkhtmltopdf, as in production (Odoo's tests get HTML otherwise).
PDF = {"force_report_rendering": True}


@tagged("post_install", "-at_install")
class TestInstructions(WhatsappHttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.reception = new_test_user(
            cls.env,
            login="sheet_reception",
            name="Giulia Reception",
            groups="base.group_user,dental_whatsapp.group_reception",
        )
        cls.dentist = new_test_user(
            cls.env,
            login="sheet_dentist",
            name="Dott.ssa Bianchi",
            groups="base.group_user,dental_whatsapp.group_dentist",
        )
        cls._approve_shipped([TEMPLATE_INSTRUCTIONS])
        cls.extraction = cls.env.ref("dental_whatsapp.appointment_type_extraction")
        cls.sheet = (
            cls.env["dental.whatsapp.instruction"]
            .with_user(cls.dentist)
            .create(
                {
                    "name": "After a tooth extraction",
                    "body": "Bite on the gauze for 30 minutes. No hot drinks today.",
                    "appointment_type_ids": [Command.set(cls.extraction.ids)],
                }
            )
        )
        cls.extraction.instruction_ids = cls.sheet  # only this sheet (the demo has one)

    def sent_sheets(self):
        return [m for m in self.sim_sent(self.patient) if m["template"] == TEMPLATE_INSTRUCTIONS]

    def test_a_sheet_leaves_only_once_a_dentist_approved_it(self):
        self.assertEqual(self.sheet.review_state, "draft")
        with self.assertRaisesRegex(UserError, "not approved by a dentist"):
            self.sheet.with_user(self.reception)._wa_send(self.patient, self.patient)
        with self.assertRaises(AccessError):
            self.sheet.with_user(self.reception).action_approve()
        with self.assertRaises(AccessError):
            self.sheet.with_user(self.dentist).write({"review_state": "approved"})
        self.sheet.with_user(self.dentist).action_approve()
        self.assertEqual(self.sheet.reviewed_by_id, self.dentist)
        # A changed text is not what the dentist approved.
        self.sheet.with_user(self.dentist).body = "Bite on the gauze for an hour."
        self.assertEqual(self.sheet.review_state, "draft")

    def test_reception_sends_a_sheet_in_one_click_from_the_patient(self):
        self.sheet.with_user(self.dentist).action_approve()
        wizard = (
            self.env["dental.whatsapp.instruction.send"]
            .with_user(self.reception)
            .with_context(**PDF, active_model="res.partner", active_id=self.patient.id)
            .create({"instruction_id": self.sheet.id})
        )
        self.assertEqual(wizard.partner_id, self.patient)
        notice = wizard.action_send()
        self.assertEqual(notice["params"]["message"], "1 WhatsApp message queued.")
        self.dispatch()
        sent = self.sent_sheets()
        self.assertEqual(len(sent), 1)
        self.assertEqual(sent[0]["params"][1], "After a tooth extraction")
        self.assertEqual(sent[0]["header"]["filename"], "After a tooth extraction.pdf")

    def test_an_attended_extraction_gets_its_sheet_when_its_type_says_so(self):
        self.sheet.with_user(self.dentist).action_approve()
        self.extraction.send_instructions = True
        event = self.book(
            fields.Datetime.now() - timedelta(hours=2),
            minutes=60,
            wa_appointment_type_id=self.extraction.id,
        )
        # Offered first from the appointment.
        action = event.with_user(self.reception).action_wa_send_instructions()
        wizard = (
            self.env["dental.whatsapp.instruction.send"]
            .with_user(self.reception)
            .with_context(**action["context"])
            .create({})
        )
        self.assertEqual(wizard.instruction_id, self.sheet)
        desk = event.with_user(self.reception).with_context(**PDF)
        desk.action_wa_mark_attended()
        desk.action_wa_clear_attendance()
        desk.action_wa_mark_attended()
        self.dispatch()
        self.assertEqual(len(self.sent_sheets()), 1, "once per appointment")
        self.assertEqual(event.wa_instruction_sent_ids, self.sheet)
