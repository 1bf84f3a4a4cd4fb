"""Payment reminders and account statements, through the simulator."""

import io
import re
from collections import Counter
from datetime import date, timedelta

import PyPDF2
from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import freeze_time, new_test_user, tagged
from odoo.tools import mute_logger

from .common import PATIENT_NUMBER, WhatsappHttpCase

ITALIAN_NUMBER = "+393401112299"
BILLING = (
    "invoice_document",
    "invoice_payment_link",
    "payment_reminder_courteous",
    "payment_reminder_firm",
    "payment_reminder_final",
    "account_statement",
)


@tagged("post_install", "-at_install")
class TestPaymentReminders(WhatsappHttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        env["res.lang"]._activate_lang("it_IT")
        cls.eur = env.ref("base.EUR")
        cls.eur.active = True
        templates = cls._approve_shipped(BILLING)
        assert len(templates) == 18, templates.mapped("display_name")
        cls.italian = env["res.partner"].create(
            {
                "name": "Giulia Bianchi",
                "whatsapp_number": ITALIAN_NUMBER,
                "lang": "it_IT",
                "wa_consent_billing": True,
            }
        )
        cls.reception = new_test_user(
            env,
            login="reception_billing",
            groups="base.group_user,base.group_partner_manager,account.group_account_invoice,"
            "dental_whatsapp.group_reception",
            name="Reception Desk",
        )
        cls.manager = new_test_user(
            env,
            login="wa_manager",
            groups="base.group_user,base.group_partner_manager,account.group_account_invoice,"
            "dental_whatsapp.group_manager",
            name="Practice Manager",
        )
        cls.rule_3 = env.ref("dental_whatsapp.payment_rule_3d")
        cls.rule_15 = env.ref("dental_whatsapp.payment_rule_15d")
        cls.rule_30 = env.ref("dental_whatsapp.payment_rule_30d")

    def setUp(self):
        super().setUp()
        # Debian's wkhtmltopdf (unpatched Qt) warns on every PDF that it ignores Odoo's
        # header options; the PDFs are made and checked below.
        self.enterContext(mute_logger("odoo.addons.base.models.ir_actions_report"))

    # ------------------------------------------------------------------ helpers
    def _invoice(self, partner=None, amount=1250.0, due=date(2026, 11, 2)):
        move = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": (partner or self.patient).id,
                "currency_id": self.eur.id,
                "invoice_date": due - timedelta(days=30),
                "invoice_date_due": due,
                "invoice_line_ids": [
                    Command.create(
                        {
                            "name": "Implant crown",
                            "quantity": 1,
                            "price_unit": amount,
                            "tax_ids": [],
                        }
                    )
                ],
            }
        )
        move.action_post()
        move.invoice_date_due = due  # as agreed with the patient, not from payment terms
        return move

    def _pay(self, move, amount=None, when=None):
        values = {"payment_date": when or move.invoice_date_due}
        if amount:
            values["amount"] = amount
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=move.ids
        ).create(values)._create_payments()

    def _pdf_env(self):
        """Reports rendered by wkhtmltopdf, as in production (tests get HTML otherwise)."""
        return self.env(context=dict(self.env.context, force_report_rendering=True))

    def _run_day(self, day):
        """The reminder cron and the outbox on ``day`` at 10:00 in Rome."""
        with freeze_time(self.rome(day.year, day.month, day.day, 10, 0)):
            self._pdf_env()["dental.whatsapp.payment.reminder"]._wa_send_due()
            self.dispatch()

    def _sent(self, number):
        """(template, language, header, body parameters) received by the simulator."""
        return [
            (m["template"], m["language"], m["header"], m["params"] or None)
            for m in self.sim_sent(number=number)
            if m["template"]
        ]

    def _media_pdf(self, header):
        """The PDF the simulator received as a document header, opened."""
        client = self.account._get_client()
        content = client.download_media(client.get_media(header["id"])["url"])
        self.assertEqual(content[:5], b"%PDF-")
        return PyPDF2.PdfReader(io.BytesIO(content))

    def _media_text(self, header):
        """The text of that PDF, whitespace made single spaces."""
        reader = self._media_pdf(header)
        text = " ".join(page.extract_text() for page in reader.pages)
        return re.sub(r"\s+", " ", text)

    # ------------------------------------------------------------------ steps
    def test_each_step_goes_out_once_at_its_time(self):
        move = self._invoice()  # due Monday 2 November 2026
        sent_on = {}
        for offset in range(36):
            day = move.invoice_date_due + timedelta(days=offset)
            before = len(self._sent(PATIENT_NUMBER))
            self._run_day(day)
            for name, *_rest in self._sent(PATIENT_NUMBER)[before:]:
                sent_on[name] = offset
        self.assertEqual(
            sent_on,
            {
                "payment_reminder_courteous": 3,
                "payment_reminder_firm": 15,
                "payment_reminder_final": 30,
            },
        )
        self.assertEqual(
            Counter(move.wa_payment_reminder_ids.mapped("rule_id.days_after_due")),
            {3: 1, 15: 1, 30: 1},
        )
        name, lang, header, params = self._sent(PATIENT_NUMBER)[0]
        self.assertEqual(lang, "en")
        self.assertEqual(header["filename"], move.name.replace("/", "_") + ".pdf")
        self.assertGreaterEqual(len(self._media_pdf(header).pages), 1)
        self.assertEqual(params[:2], ["Maria Rossi", move.name])
        self.assertIn("1,250.00", params[2])
        self.assertIn("access_token=", params[5])

    def test_a_practice_without_a_whatsapp_number_does_not_stop_the_reminders(self):
        move = self._invoice()  # due Monday 2 November: the first step is due on the 5th
        self.account.active = False  # this practice has no number (yet)
        with freeze_time(self.rome(2026, 11, 5, 10, 0)):
            queued = self.env["dental.whatsapp.payment.reminder"]._wa_send_due()
        self.assertEqual(queued, 0, "nothing to send it with, and no error for the others")
        self.assertFalse(move.wa_payment_reminder_ids)
        self.account.active = True
        self._run_day(date(2026, 11, 5))
        self.assertEqual(
            [name for name, *_rest in self._sent(PATIENT_NUMBER)], ["payment_reminder_courteous"]
        )

    def test_a_step_on_a_weekend_waits_for_the_opening(self):
        move = self._invoice(due=date(2026, 11, 4))  # +3 is Saturday 7 November
        self._run_day(date(2026, 11, 7))
        self.assertFalse(self._sent(PATIENT_NUMBER), "never on a Saturday")
        message = move.wa_payment_reminder_ids.message_id
        self.assertEqual(message.state, "queued")
        self.assertEqual(message.scheduled_at, self.rome(2026, 11, 9, 9, 0))
        self._run_day(date(2026, 11, 9))
        self.assertEqual(len(self._sent(PATIENT_NUMBER)), 1)

    def test_switching_on_late_sends_only_the_step_now_due(self):
        move = self._invoice(due=date(2026, 11, 4))
        self._run_day(date(2026, 11, 24))  # 20 days overdue
        self.assertEqual(move.wa_payment_reminder_ids.rule_id, self.rule_15)
        self.assertEqual(
            [name for name, *_rest in self._sent(PATIENT_NUMBER)], ["payment_reminder_firm"]
        )
        for day in range(25, 31):
            self._run_day(date(2026, 11, day))
        self.assertEqual(len(self._sent(PATIENT_NUMBER)), 1, "no late courteous reminder")
        self._run_day(date(2026, 12, 4))
        self.assertEqual(
            [name for name, *_rest in self._sent(PATIENT_NUMBER)],
            ["payment_reminder_firm", "payment_reminder_final"],
        )

    def test_a_payment_stops_the_rest_including_a_queued_reminder(self):
        move = self._invoice(due=date(2026, 11, 6))  # +3 Monday 9, +15 Saturday 21
        self._run_day(date(2026, 11, 9))
        self._run_day(date(2026, 11, 21))
        queued = move.wa_payment_reminder_ids.filtered(
            lambda r: r.rule_id == self.rule_15
        ).message_id
        self.assertEqual(queued.state, "queued")
        with freeze_time(self.rome(2026, 11, 21, 11, 0)):
            self._pay(move, when=date(2026, 11, 21))
        self.assertIn(move.payment_state, ("paid", "in_payment"))
        for day in (23, 24):
            self._run_day(date(2026, 11, day))
        self._run_day(date(2026, 12, 7))
        self.assertEqual(queued.state, "cancelled")
        self.assertIn("is paid", queued.error_message)
        self.assertEqual(
            [name for name, *_rest in self._sent(PATIENT_NUMBER)],
            ["payment_reminder_courteous"],
        )
        self.assertNotIn(self.rule_30, move.wa_payment_reminder_ids.rule_id)

    def test_a_partly_paid_invoice_reminds_the_amount_still_open(self):
        move = self._invoice(partner=self.italian, due=date(2026, 11, 2))
        self._pay(move, amount=250.0, when=date(2026, 11, 3))
        self._run_day(date(2026, 11, 5))
        _name, lang, _header, params = self._sent(ITALIAN_NUMBER)[0]
        self.assertEqual(lang, "it")
        self.assertEqual(params[2], "1.000,00\xa0€")
        self.assertEqual(params[3], "02/11/2026")

    # ------------------------------------------------------------------ pause
    def test_a_paused_invoice_sends_nothing_and_says_why(self):
        move = self._invoice()
        with self.assertRaisesRegex(AccessError, "Only a WhatsApp manager"):
            move.with_user(self.reception).write(
                {"wa_reminders_paused": True, "wa_pause_reason": "Payment plan"}
            )
        with self.assertRaises(ValidationError):
            move.with_user(self.manager).write({"wa_reminders_paused": True})
        move.with_user(self.manager).write(
            {"wa_reminders_paused": True, "wa_pause_reason": "Payment plan agreed: 3 instalments"}
        )
        self._run_day(date(2026, 11, 5))
        self.assertFalse(self._sent(PATIENT_NUMBER))
        step = move.wa_payment_reminder_ids
        self.assertEqual(step.state, "skipped")
        self.assertIn("Payment plan agreed: 3 instalments", step.note)
        self.assertTrue(
            move.message_ids.filtered(lambda m: "Payment plan agreed" in (m.body or ""))
        )
        with freeze_time(self.rome(2026, 11, 17, 10, 0)):
            with self.assertRaisesRegex(UserError, "Payment plan agreed"):
                move.with_user(self.reception).action_wa_send_payment_reminder()

    def test_a_paused_patient_gets_no_reminder_for_any_invoice(self):
        self.patient.with_user(self.manager).write(
            {"wa_payment_reminders_paused": True, "wa_payment_pause_reason": "Insurance pays"}
        )
        first, second = self._invoice(), self._invoice(amount=80)
        self._run_day(date(2026, 11, 5))
        self.assertFalse(self._sent(PATIENT_NUMBER))
        self.assertEqual(set((first | second).wa_payment_reminder_ids.mapped("state")), {"skipped"})

    # ------------------------------------------------------------------ invoices, statement
    def test_send_by_whatsapp_attaches_the_pdf(self):
        move = self._invoice(partner=self.italian)
        move.with_env(self._pdf_env()).with_user(self.reception).action_wa_send_invoice()
        self.dispatch()
        [(name, lang, header, params)] = self._sent(ITALIAN_NUMBER)
        self.assertEqual((name, lang), ("invoice_document", "it"))
        # Odoo's invoice layout uses web fonts, which Debian's wkhtmltopdf draws as shapes:
        # the file is checked, its words are checked on the statement below.
        self.assertEqual(header["filename"], move.name.replace("/", "_") + ".pdf")
        self.assertGreaterEqual(len(self._media_pdf(header).pages), 1)
        self.assertEqual(params[2], "1.250,00\xa0€")

    def test_send_by_whatsapp_falls_back_to_the_link_without_a_pdf(self):
        # Under tests the report engine answers HTML, not a PDF: the patient gets the link.
        move = self._invoice(partner=self.italian)
        move.action_wa_send_invoice()
        self.dispatch()
        [(name, _lang, header, params)] = self._sent(ITALIAN_NUMBER)
        self.assertEqual(name, "invoice_payment_link")
        self.assertIsNone(header)
        self.assertIn(f"/my/invoices/{move.id}", params[5])

    def test_statement_pdf_lists_the_open_amounts(self):
        first = self._invoice(partner=self.italian, amount=1250.0)
        second = self._invoice(partner=self.italian, amount=300.0, due=date(2026, 11, 20))
        self._pay(second, amount=100.0, when=date(2026, 11, 20))
        self.italian.with_env(self._pdf_env()).action_wa_send_statement()
        self.dispatch()
        [(name, lang, header, params)] = self._sent(ITALIAN_NUMBER)
        self.assertEqual((name, lang), ("account_statement", "it"))
        self.assertEqual(params[2], "1.450,00\xa0€")
        text = self._media_text(header)
        for expected in (first.name, second.name, "1.250,00", "200,00", "1.450,00", "100,00"):
            self.assertIn(expected, text)

    def test_bulk_over_200_overdue_invoices_queues_one_message_per_step(self):
        patients = self.env["res.partner"].create(
            [
                {
                    "name": f"Patient {n}",
                    "whatsapp_number": f"+39347100{n:04d}",
                    "wa_consent_billing": True,
                }
                for n in range(20)
            ]
        )
        moves = self.env["account.move"]
        for n in range(200):
            moves |= self._invoice(partner=patients[n % 20], amount=100 + n, due=date(2026, 11, 18))
        # Tuesday 24 November: six days overdue, the first step is due.
        moves.with_user(self.reception).action_wa_send_payment_reminder()
        moves.with_user(self.reception).action_wa_send_payment_reminder()
        self.env["dental.whatsapp.payment.reminder"]._wa_send_due()
        Message = self.env["dental.whatsapp.message"]
        messages = Message.search([("model", "=", "account.move"), ("res_id", "in", moves.ids)])
        self.assertEqual(len(messages), 200)
        self.assertEqual(Counter(messages.mapped("res_id")).most_common(1)[0][1], 1)
        self.assertEqual(set(messages.mapped("state")), {"queued"})
        # Under tests the report engine answers HTML, not a PDF: each gets the link instead.
        self.assertEqual(set(messages.mapped("template_id.name")), {"invoice_payment_link"})
        self.assertEqual(moves.wa_payment_reminder_ids.rule_id, self.rule_3)

    def test_rules_and_templates_must_agree(self):
        link_template = self.env.ref("dental_whatsapp.template_invoice_payment_link_it")
        with self.assertRaises(ValidationError):
            self.rule_3.template_id = link_template  # no document header for the PDF
        self.rule_3.write({"template_id": link_template.id, "attach_pdf": False})
        care = self.env.ref("dental_whatsapp.template_appointment_reminder_it")
        with self.assertRaises(ValidationError):
            self.rule_3.write({"template_id": care.id, "portal_link": False})
