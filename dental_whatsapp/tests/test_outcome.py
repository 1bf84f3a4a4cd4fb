"""What the messages achieve: the figures of a month built by hand, through the real
paths where the facts are recorded (the patient's button answer, the desk's reply, the
attendance buttons), compared with a hand count, with the pivot's view, per filter, in
the PDF, and refused to users outside the dental groups."""

from datetime import date, datetime, time, timedelta

import pytz
from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import freeze_time, new_test_user, tagged

from ..tools.webhook import InboundMessage
from .common import PHONE_NUMBER_ID, WABA_ID, WhatsappCase

ITALIAN_NUMBER = "+393471234567"
MARCH = (date(2026, 3, 1), date(2026, 3, 31))
REPORT = "dental_whatsapp.action_report_outcome_summary"


@tagged("post_install", "-at_install")
class TestOutcome(WhatsappCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        env["res.lang"]._activate_lang("it_IT")
        cls.italian = env["res.partner"].create(
            {
                "name": "Giulia Bianchi",
                "whatsapp_number": ITALIAN_NUMBER,
                "lang": "it_IT",
                "wa_consent_care": True,
                "wa_consent_billing": True,
            }
        )
        cls.dentist_a = new_test_user(
            env,
            login="outcome_dentist_a",
            name="Dott.ssa Bianchi",
            groups="base.group_user,dental_whatsapp.group_dentist",
        )
        cls.dentist_b = new_test_user(
            env,
            login="outcome_dentist_b",
            name="Dott. Neri",
            groups="base.group_user,dental_whatsapp.group_dentist",
        )
        cls.outsider = new_test_user(
            env, login="outcome_outsider", name="Accountant", groups="base.group_user"
        )
        cls.checkup = env.ref("dental_whatsapp.appointment_type_checkup")
        cls.hygiene = env.ref("dental_whatsapp.appointment_type_hygiene")
        cls.confirmation = env.ref("dental_whatsapp.template_appointment_confirmation_en")
        cls.account.write({"price_utility": 0.03, "price_marketing": 0.07, "price_service": 0.0})
        cls.meta_ids = 0
        cls._build_march()

    # ------------------------------------------------------------------ the data set
    @classmethod
    def _sent(cls, partner, when, record, template=None, *, category="utility", billable=True):
        """An outgoing message that reached WhatsApp (priced by Meta as ``category``)."""
        cls.meta_ids += 1
        return (
            cls.env["dental.whatsapp.message"]
            .sudo()
            .create(
                {
                    "account_id": cls.account.id,
                    "direction": "out",
                    "partner_id": partner.id,
                    "recipient_partner_id": partner.id,
                    "number": partner.whatsapp_number,
                    "template_id": template.id if template else False,
                    "body": "Reminder",
                    "model": record._name,
                    "res_id": record.id,
                    "state": "read",
                    "meta_message_id": f"wamid.outcome{cls.meta_ids}",
                    "sent_date": when,
                    "pricing_category": category,
                    "pricing_billable": billable,
                }
            )
        )

    @classmethod
    def _patient_writes(cls, partner, text="", payload=None, replied=None):
        """The patient's message through the real inbound pipeline, at the frozen now."""
        cls.meta_ids += 1
        now = datetime.now()
        item = InboundMessage(
            waba_id=WABA_ID,
            phone_number_id=PHONE_NUMBER_ID,
            display_phone_number="390000000000",
            message_id=f"wamid.in{cls.meta_ids}",
            wa_id=partner.whatsapp_number.lstrip("+"),
            profile_name=partner.name,
            timestamp=now,
            type="button" if payload else "text",
            text=text,
            payload=payload,
            context_id=replied.meta_message_id if replied else None,
        )
        return cls.env["dental.whatsapp.inbound"]._wa_receive(cls.account, item)

    @classmethod
    def _conversation(cls, partner):
        return cls.env["dental.whatsapp.conversation"]._wa_find(cls.account, partner)

    @classmethod
    def _build_march(cls):
        """March 2026 in Rome (UTC+1), the practice open Mon-Fri 09-13 and 14-19: a
        month the demo history (the three months before the day it is loaded) leaves
        empty.

        Appointments (10:00 unless said), their requests two days before, answers the
        day before at 12:00:
          A1 10th  dentist A  checkup  en  asked, confirmed, + a plain reminder  no-show
          A2 11th  dentist A  hygiene  en  asked, confirmed                     attended
          A3 12th  dentist A  checkup  it  asked, confirmed                     attended
          A4 13th  dentist A  checkup  en  asked, confirmed                     attended
          A5 16th  dentist A  checkup  en  asked, no answer                     no-show
          A6 17th  dentist B  hygiene  en  asked, no answer                     no-show
          A7 18th  dentist B  checkup  it  asked, no answer                     attended
          A8 19th  dentist B  checkup  en  no reminder                          no-show
          A9 20th  dentist B  hygiene  en  no reminder                          attended
          A10 20th 11:00 B    checkup  it  no reminder                          attended
          A11 19th 11:00 A    checkup  en  asked, answers Reschedule (then moved to the
                                           23rd), attendance not marked
          A12 18th 11:00 A    checkup  en  asked, answers Cancel, not marked
        """
        cls._build_waits()  # first: the 3rd-6th, before any confirmation request
        rome = cls.rome
        rows = [
            # (day, hour, dentist, type, patient, answer or None/"-" for no request, attendance)
            (10, 10, "a", "checkup", "en", "dwa:confirm", "no_show"),
            (11, 10, "a", "hygiene", "en", "dwa:confirm", "attended"),
            (12, 10, "a", "checkup", "it", "dwa:confirm", "attended"),
            (13, 10, "a", "checkup", "en", "dwa:confirm", "attended"),
            (16, 10, "a", "checkup", "en", None, "no_show"),
            (17, 10, "b", "hygiene", "en", None, "no_show"),
            (18, 10, "b", "checkup", "it", None, "attended"),
            (19, 10, "b", "checkup", "en", "-", "no_show"),
            (20, 10, "b", "hygiene", "en", "-", "attended"),
            (20, 11, "b", "checkup", "it", "-", "attended"),
            (19, 11, "a", "checkup", "en", "dwa:reschedule", None),
            (18, 11, "a", "checkup", "en", "dwa:cancel", None),
        ]
        cls.events = []
        for day, hour, dentist, kind, lang, answer, attendance in rows:
            patient = cls.italian if lang == "it" else cls.patient
            start = rome(2026, 3, day, hour, 0)
            event = cls.book(
                cls,
                start,
                patient=patient,
                wa_dentist_id=(cls.dentist_a if dentist == "a" else cls.dentist_b).id,
                wa_appointment_type_id=(cls.checkup if kind == "checkup" else cls.hygiene).id,
            )
            cls.events.append((event, answer, attendance))
            if answer == "-":
                continue
            request = cls._sent(patient, start - timedelta(days=2), event, cls.confirmation)
            if answer:
                with freeze_time(rome(2026, 3, day - 1, 12, 0)):
                    cls._patient_writes(patient, payload=answer, replied=request)
        first = cls.events[0][0]
        cls._sent(cls.patient, rome(2026, 3, 9, 18, 0), first, cls.template)  # A1's reminder
        moved, _answer, _attendance = cls.events[10]
        with freeze_time(rome(2026, 3, 18, 12, 30)):
            moved.write({"start": rome(2026, 3, 23, 11, 0), "stop": rome(2026, 3, 23, 11, 30)})
        # Attendance is marked afterwards, with the buttons.
        for event, _answer, attendance in cls.events:
            if attendance == "no_show":
                event.with_user(cls.reception).action_wa_mark_no_show()
            elif attendance == "attended":
                event.with_user(cls.reception).action_wa_mark_attended()
        cls._build_payments()
        # Priced messages that are not about appointments: a greeting, a free answer.
        cls._sent(cls.patient, rome(2026, 3, 17, 12, 0), cls.patient, category="marketing")
        cls._sent(
            cls.patient, rome(2026, 3, 17, 13, 0), cls.patient, category="service", billable=False
        )

    @classmethod
    def _build_waits(cls):
        """Patients waiting for the desk (opening minutes until the first answer):
        W1 Tue 3rd 10:00 -> 10:20 reception                        20
        W2 Tue 3rd 18:50 -> Wed 4th 09:05 (closed at night)        10 + 5 = 15
        W3 Thu 5th 12:00 -> 15:00 (lunch 13-14 closed)             60 + 60 = 120, late
        W4 Fri 6th 10:00 clinical, dentist A opens 10:10, answers 10:25     25 (dentist 10)
        W5 Fri 6th 15:00 urgent (Italian patient), reception answers 15:40  40, late
        """
        rome = cls.rome
        waits = [
            (cls.patient, "Hello, can I pay the invoice by card?", (3, 10, 0), None, (3, 10, 20)),
            (cls.patient, "Hello, can I pay the invoice by card?", (3, 18, 50), None, (4, 9, 5)),
            (cls.patient, "Hello, can I pay the invoice by card?", (5, 12, 0), None, (5, 15, 0)),
            (
                cls.patient,
                "Buongiorno, da ieri ho la gengiva gonfia e mi fa male quando mastico",
                (6, 10, 0),
                (6, 10, 10),
                (6, 10, 25),
            ),
            (
                cls.italian,
                "mi hanno dato un pugno e il dente è caduto, sanguina tanto",
                (6, 15, 0),
                None,
                (6, 15, 40),
            ),
        ]
        for number, (patient, text, wrote, opened, answered) in enumerate(waits, start=1):
            with freeze_time(rome(2026, 3, *wrote)):
                cls._patient_writes(patient, text)
            conversation = cls._conversation(patient)
            if opened:
                with freeze_time(rome(2026, 3, *opened)):
                    conversation.with_user(cls.dentist_a).action_mark_opened()
            who = cls.dentist_a if opened else cls.reception
            with freeze_time(rome(2026, 3, *answered)):
                conversation.with_user(who)._wa_reply(f"Thank you ({number}), we will call you.")

    @classmethod
    def _build_payments(cls):
        """Two payment reminders on Monday 9th at 09:00; the first invoice is paid on
        the 12th (within 7 days), the second never."""
        rule = cls.env.ref("dental_whatsapp.payment_rule_3d")
        cls.invoices = cls.env["account.move"]
        for amount in (180.0, 240.0):
            move = cls.env["account.move"].create(
                {
                    "move_type": "out_invoice",
                    "partner_id": cls.patient.id,
                    "invoice_date": date(2026, 2, 6),
                    "invoice_date_due": date(2026, 3, 6),
                    "invoice_line_ids": [
                        Command.create(
                            {"name": "Crown", "quantity": 1, "price_unit": amount, "tax_ids": []}
                        )
                    ],
                }
            )
            move.action_post()
            message = cls._sent(cls.patient, cls.rome(2026, 3, 9, 9, 0), move, rule.template_id)
            cls.env["dental.whatsapp.payment.reminder"].create(
                {
                    "move_id": move.id,
                    "rule_id": rule.id,
                    "state": "queued",
                    "message_id": message.id,
                }
            )
            cls.invoices |= move
        cls.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=cls.invoices[0].ids
        ).create({"payment_date": date(2026, 3, 12)})._create_payments()

    def figures(self, user=None, **filters):
        Outcome = self.env["dental.whatsapp.outcome"]
        if user:
            Outcome = Outcome.with_user(user)
        return Outcome._wa_figures(*MARCH, **filters)

    # ------------------------------------------------------------------ the figures
    def test_the_month_in_figures_is_the_hand_count(self):
        f = self.figures(user=self.dentist_a)
        # 9 confirmation requests (A1-A7, A11, A12) + A1's plain reminder.
        self.assertEqual(f["reminders_sent"], 10)
        self.assertEqual(f["appointments"], 12)
        # Asked 9: confirmed A1-A4 (4), rescheduled A11 (1, kept although moved since),
        # cancelled A12 (1).
        self.assertEqual(
            (f["asked"], f["confirmed"], f["rescheduled"], f["cancelled"]), (9, 4, 1, 1)
        )
        self.assertAlmostEqual(f["confirmation_rate"], 400 / 9)
        self.assertAlmostEqual(f["reschedule_rate"], 100 / 9)
        self.assertAlmostEqual(f["cancel_rate"], 100 / 9)
        moved = self.events[10][0]
        self.assertEqual(moved.wa_confirmation_state, "to_confirm", "moved: to confirm again")
        self.assertEqual(moved.wa_patient_answer, "reschedule", "the answer is kept")
        # No-shows: confirmed 1 of 4 (A1), not answered 2 of 3 (A5, A6), none 1 of 3 (A8);
        # all 4 of 10 marked (A11, A12 not marked).
        self.assertEqual(f["no_show_confirmed"], {"no_shows": 1, "marked": 4, "rate": 25.0})
        self.assertEqual(f["no_show_unanswered"]["no_shows"], 2)
        self.assertEqual(f["no_show_unanswered"]["marked"], 3)
        self.assertAlmostEqual(f["no_show_unanswered"]["rate"], 66.6667, places=3)
        self.assertEqual(f["no_show_none"]["no_shows"], 1)
        self.assertAlmostEqual(f["no_show_none"]["rate"], 33.3333, places=3)
        self.assertEqual(f["no_show"], {"no_shows": 4, "marked": 10, "rate": 40.0})
        # Waits 20, 15, 120, 25, 40 opening minutes: median 25; late (> 30) W3, W5.
        self.assertEqual((f["waits"], f["answered"]), (5, 5))
        self.assertAlmostEqual(f["response_median"], 25.0)
        self.assertEqual((f["late"], f["late_rate"]), (2, 40.0))
        # Clinical W4 and W5 (W5 urgent); a dentist took W4 after 10 minutes.
        self.assertEqual((f["clinical"], f["urgent"], f["dentist_taken"]), (2, 1, 1))
        self.assertAlmostEqual(f["dentist_median"], 10.0)
        # Payment reminders 2, paid within 7 days 1.
        self.assertEqual((f["payment_reminders"], f["paid_within_7_days"]), (2, 1))
        self.assertEqual(f["paid_rate"], 50.0)
        # Priced: 10 appointment + 2 payment messages (utility, 0.03), a greeting
        # (marketing, 0.07), a free service answer: 13 charged of 14, 0.43.
        self.assertEqual((f["priced_messages"], f["billable_messages"]), (14, 13))
        self.assertAlmostEqual(f["cost"], 0.43)
        self.assertEqual(f["cost_by_category"]["utility"]["messages"], 12)
        self.assertAlmostEqual(f["cost_by_category"]["utility"]["cost"], 0.36)
        self.assertEqual(f["cost_by_category"]["service"]["billable"], 0)

    def test_the_view_gives_the_same_totals_in_read_group(self):
        Outcome = self.env["dental.whatsapp.outcome"].with_user(self.dentist_b)
        domain = [("date", ">=", MARCH[0]), ("date", "<=", MARCH[1])]
        # Each measure with its own aggregator (no ":avg"): what the pivot shows.
        [totals] = Outcome.read_group(
            domain,
            [
                "reminder_count",
                "asked",
                "confirmed",
                "rescheduled",
                "cancelled",
                "no_show",
                "no_show_confirmed",
                "no_show_unanswered",
                "no_show_none",
                "response_minutes",
                "late_count",
                "paid_7d",
                "cost",
            ],
            [],
        )
        f = self.figures()
        self.assertEqual(totals["reminder_count"], f["reminders_sent"])
        self.assertEqual(totals["asked"], f["asked"])
        self.assertAlmostEqual(totals["confirmed"], f["confirmation_rate"])
        self.assertAlmostEqual(totals["rescheduled"], f["reschedule_rate"])
        self.assertAlmostEqual(totals["cancelled"], f["cancel_rate"])
        self.assertAlmostEqual(totals["no_show"], 40.0)
        self.assertAlmostEqual(totals["no_show_confirmed"], 25.0)
        self.assertAlmostEqual(totals["no_show_unanswered"], f["no_show_unanswered"]["rate"])
        self.assertAlmostEqual(totals["no_show_none"], f["no_show_none"]["rate"])
        self.assertAlmostEqual(totals["response_minutes"], (20 + 15 + 120 + 25 + 40) / 5)
        self.assertEqual(totals["late_count"], f["late"])
        self.assertAlmostEqual(totals["paid_7d"], f["paid_rate"])
        self.assertAlmostEqual(totals["cost"], f["cost"])
        # Month by month, the pivot's rows: everything is in March.
        months = Outcome.read_group(domain, ["fact_count:sum"], ["date:month"])
        self.assertEqual(len(months), 1)

    def test_filters_narrow_the_figures(self):
        # Dentist A: A1-A5, A11, A12 (asked all 7, confirmed 4); no-shows confirmed 1 of
        # 4, not answered 1 of 1 (A5), none 0 marked; the waits routed to dentist A.
        f = self.figures(dentist=self.dentist_a)
        self.assertEqual((f["appointments"], f["asked"], f["confirmed"]), (7, 7, 4))
        self.assertEqual(f["reminders_sent"], 8)  # 7 requests + A1's reminder
        self.assertEqual(f["no_show_unanswered"], {"no_shows": 1, "marked": 1, "rate": 100.0})
        self.assertEqual(f["no_show_none"]["marked"], 0)
        self.assertIsNone(f["no_show_none"]["rate"])
        # Not split by dentist: not applicable, not 0.
        self.assertIsNone(f["payment_reminders"], "an invoice has no dentist")
        self.assertIsNone(f["paid_rate"])
        self.assertIsNone(f["cost"], "a greeting has no dentist")
        self.assertEqual(f["not_split"], {"payments": "dentist", "cost": "dentist"})
        self.assertIsNotNone(f["waits"], "a wait has the patient's dentist")
        # Hygiene: A2, A6, A9; asked A2, A6; confirmed A2.
        f = self.figures(appointment_type=self.hygiene)
        self.assertEqual((f["appointments"], f["asked"], f["confirmed"]), (3, 2, 1))
        self.assertEqual(f["no_show_none"], {"no_shows": 0, "marked": 1, "rate": 0.0})
        self.assertIsNone(f["waits"], "a conversation has no appointment type")
        self.assertIsNone(f["response_median"])
        self.assertIsNone(f["payment_reminders"])
        # Italian patients: A3, A7, A10 and the urgent wait W5.
        f = self.figures(lang="it_IT")
        self.assertEqual((f["appointments"], f["asked"], f["confirmed"]), (3, 2, 1))
        self.assertEqual((f["waits"], f["urgent"]), (1, 1))
        self.assertAlmostEqual(f["response_median"], 40.0)
        # Another month: nothing.
        f = self.env["dental.whatsapp.outcome"]._wa_figures(date(2026, 2, 1), date(2026, 2, 28))
        self.assertEqual((f["reminders_sent"], f["appointments"], f["waits"]), (0, 0, 0))
        self.assertIsNone(f["confirmation_rate"])

    def test_the_summary_opens_on_the_last_complete_month(self):
        # In early April the practice owner reads March, whose figures are all in.
        with freeze_time(self.rome(2026, 4, 2, 10, 0)):
            summary = (
                self.env["dental.whatsapp.outcome.summary"].with_user(self.dentist_a).create({})
            )
            self.assertEqual((summary.date_from, summary.date_to), MARCH)
            self.assertEqual(summary.reminders_sent, 10)
        # In January, December of the year before.
        with freeze_time(self.rome(2027, 1, 5, 10, 0)):
            summary = (
                self.env["dental.whatsapp.outcome.summary"].with_user(self.dentist_a).create({})
            )
            self.assertEqual(
                (summary.date_from, summary.date_to), (date(2026, 12, 1), date(2026, 12, 31))
            )

    def test_the_summary_and_its_pdf_show_the_same_figures(self):
        summary = (
            self.env["dental.whatsapp.outcome.summary"]
            .with_user(self.dentist_a)
            .create({"month": date(2026, 3, 17)})
        )
        self.assertEqual((summary.date_from, summary.date_to), MARCH)
        self.assertEqual(summary.reminders_sent, 10)
        self.assertEqual(summary.no_show_confirmed_text, "1 of 4 (25.0 %)")
        self.assertEqual(summary.no_show_unanswered_text, "2 of 3 (66.7 %)")
        self.assertEqual(summary.no_show_none_text, "1 of 3 (33.3 %)")
        self.assertEqual(summary.confirmation_text, "4 of 9 (44.4 %)")
        self.assertEqual(summary.paid_text, "1 of 2 (50.0 %)")
        self.assertIn("25.0 min", summary.response_text)
        self.assertIn("Utility: 12 charged of 12", summary.cost_lines)
        self.assertIn("Marketing: 1 charged of 1", summary.cost_lines)
        summary.dentist_id = self.dentist_b
        self.assertEqual(summary.reminders_sent, 2, "A6, A7")
        self.assertEqual(summary.payment_text, "\u2013 (not split by dentist)")
        self.assertEqual(summary.paid_text, "\u2013 (not split by dentist)")
        self.assertEqual(summary.cost_lines, "\u2013 (not split by dentist)")
        self.assertNotEqual(summary.response_text, "\u2013 (not split by dentist)")
        html = (
            self.env["ir.actions.report"]
            .with_user(self.dentist_a)
            ._render_qweb_html(REPORT, summary.ids)[0]
            .decode()
        )
        self.assertIn("(not split by dentist)", html)
        summary.dentist_id = False
        summary.appointment_type_id = self.hygiene
        self.assertEqual(summary.response_text, "\u2013 (not split by appointment type)")
        summary.appointment_type_id = False
        Report = self.env["ir.actions.report"].with_user(self.dentist_a)
        html = Report._render_qweb_html(REPORT, summary.ids)[0].decode()
        for text in ("1 of 4 (25.0 %)", "2 of 3 (66.7 %)", "1 of 3 (33.3 %)", "4 of 9"):
            self.assertIn(text, html)
        self.assertEqual(
            summary.action_print()["report_name"], "dental_whatsapp.report_outcome_summary"
        )
        analysis = summary.action_open_analysis()
        self.assertEqual(analysis["res_model"], "dental.whatsapp.outcome")
        rows = (
            self.env["dental.whatsapp.outcome"].with_user(self.dentist_a).search(analysis["domain"])
        )
        self.assertEqual(sum(rows.mapped("reminder_count")), 10)

    def test_a_wait_closed_without_an_answer_counts_as_not_answered(self):
        # Tuesday 7 April 2026: the patient writes at 10:00, reception closes it at 11:00.
        with freeze_time(self.rome(2026, 4, 7, 10, 0)):
            self._patient_writes(self.patient, "Hello, can I pay the invoice by card?")
        conversation = self._conversation(self.patient)
        with freeze_time(self.rome(2026, 4, 7, 11, 0)):
            conversation.with_user(self.reception).action_done()
        f = self.env["dental.whatsapp.outcome"]._wa_figures(date(2026, 4, 1), date(2026, 4, 30))
        self.assertEqual((f["waits"], f["answered"], f["late"]), (1, 0, 0))
        self.assertIsNone(f["response_median"])
        wait = self.env["dental.whatsapp.response"].search(
            [("conversation_id", "=", conversation.id)], limit=1
        )
        self.assertTrue(wait.late, "an hour of opening time without an answer is late")
        self.assertFalse(wait.answered_date)

    def test_a_patient_blocked_while_waiting_counts_as_a_wait_not_answered(self):
        manager = new_test_user(
            self.env,
            login="outcome_manager",
            groups="base.group_user,dental_whatsapp.group_manager",
        )
        with freeze_time(self.rome(2026, 4, 7, 10, 0)):
            self._patient_writes(self.patient, "Sei bellissima, usciamo stasera?")
        conversation = self._conversation(self.patient)
        with freeze_time(self.rome(2026, 4, 7, 10, 20)):
            conversation.with_user(manager).action_block_number()
        self.assertTrue(conversation.blocked)
        f = self.env["dental.whatsapp.outcome"]._wa_figures(date(2026, 4, 1), date(2026, 4, 30))
        self.assertEqual((f["waits"], f["answered"]), (1, 0))
        # Blocking again records nothing more.
        conversation.with_user(manager).action_block_number()
        self.assertEqual(
            self.env["dental.whatsapp.response"].search_count(
                [
                    ("conversation_id", "=", conversation.id),
                    ("waiting_since", ">=", self.rome(2026, 4, 1, 0, 0)),
                ]
            ),
            1,
        )

    def test_only_the_dental_groups_see_what_the_messages_achieve(self):
        summary = self.env["dental.whatsapp.outcome.summary"].with_user(self.dentist_a).create({})
        for user in (self.outsider, self.reception):
            with self.subTest(user=user.login):
                with self.assertRaises(AccessError):
                    self.figures(user=user)
                with self.assertRaises(AccessError):
                    self.env["dental.whatsapp.outcome"].with_user(user).search([])
                with self.assertRaises(AccessError):
                    self.env["dental.whatsapp.outcome.summary"].with_user(user).create({})
                with self.assertRaises(AccessError):
                    self.env["ir.actions.report"].with_user(user)._render_qweb_html(
                        REPORT, summary.ids
                    )
        with self.assertRaises(AccessError):
            self.events[0][0].with_user(self.dentist_a).write({"wa_patient_answer": "confirmed"})

    # ------------------------------------------------------------------ review fixes
    def test_the_view_reads_the_messages_by_an_index_and_without_bodies(self):
        cr = self.env.cr
        cr.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = %s",
            ["dental_whatsapp_message_outcome_index"],
        )
        [[definition]] = cr.fetchall()
        self.assertIn("(model, res_id)", definition)
        self.assertIn("direction", definition)
        cr.execute("SELECT pg_get_viewdef('dental_whatsapp_outcome'::regclass)")
        [[view]] = cr.fetchall()
        self.assertNotIn("body", view, "the messages' bodies are not read")
        self.assertNotIn("EXISTS", view.upper(), "no subquery per appointment")

    def test_an_appointment_belongs_to_the_practice_that_wrote_to_the_patient(self):
        main = self.account.company_id
        other = self.env["res.company"].create({"name": "Second Practice"})
        # A1's owner works in both practices and last switched to the other one.
        owner = new_test_user(
            self.env,
            login="outcome_owner",
            groups="base.group_user",
            company_id=other.id,
            company_ids=[Command.set((main | other).ids)],
        )
        first, no_request = self.events[0][0], self.events[7][0]  # A1, A8
        first.sudo().user_id = owner
        # A8 got no message: its type's practice says where it belongs.
        self.checkup.company_id = other
        self.env.flush_all()
        Outcome = self.env["dental.whatsapp.outcome"].sudo()
        rows = Outcome.search([("id", "in", [first.id * 10 + 1, no_request.id * 10 + 1])])
        companies = {row.id: row.company_id for row in rows}
        self.assertEqual(companies[first.id * 10 + 1], main, "the account that asked")
        self.assertEqual(companies[no_request.id * 10 + 1], other, "the appointment type's")

    def test_a_confirmation_state_without_a_reply_is_not_an_answer(self):
        """May 2026. B1 was confirmed before the patient's answer was recorded (only the
        state says it, and the patient wrote after the request); B2 was booked
        confirmed (the state set, no reply after the request)."""
        rome = self.rome
        rows = {}
        for day in (12, 19):
            start = rome(2026, 5, day, 10, 0)
            event = self.book(start, wa_dentist_id=self.dentist_a.id)
            self._sent(self.patient, start - timedelta(days=2), event, self.confirmation)
            event.sudo().with_context(wa_no_rearm=True).write(
                {"wa_confirmation_state": "confirmed"}
            )
            rows[day] = event
        self.env["dental.whatsapp.message"].sudo().create(
            {
                "account_id": self.account.id,
                "direction": "in",
                "partner_id": self.patient.id,
                "number": self.patient.whatsapp_number,
                "body": "ok, see you",
                "state": "received",
                "received_date": rome(2026, 5, 11, 9, 0),
            }
        )
        self.assertFalse(rows[12].sudo().wa_patient_answer)
        f = self.env["dental.whatsapp.outcome"]._wa_figures(date(2026, 5, 1), date(2026, 5, 31))
        self.assertEqual((f["asked"], f["confirmed"]), (2, 1), "B1 only")

    def test_the_payment_week_is_over_by_the_practice_s_calendar(self):
        """A practice 14 hours ahead of UTC: its today is not UTC's. A reminder that
        left 8 of its days ago has its 7 days over."""
        tz = "Pacific/Kiritimati"
        practice = self.account.company_id
        practice.resource_calendar_id.tz = tz
        practice.partner_id.tz = tz
        today = datetime.now(pytz.timezone(tz)).date()
        left = pytz.timezone(tz).localize(datetime.combine(today - timedelta(days=8), time(12)))
        move = self.invoices[1]  # never paid
        reminder = self.env["dental.whatsapp.payment.reminder"].search([("move_id", "=", move.id)])
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE dental_whatsapp_message SET sent_date = %s WHERE id = %s",
            [left.astimezone(pytz.utc).replace(tzinfo=None), reminder.message_id.id],
        )
        self.env.flush_all()
        [row] = (
            self.env["dental.whatsapp.outcome"]
            .sudo()
            .search_read([("id", "=", reminder.id * 10 + 4)], ["date", "paid_7d"])
        )
        self.assertEqual(row["date"], today - timedelta(days=8))
        self.assertEqual(row["paid_7d"], 0.0, "decided: not paid within the 7 days")

    def test_the_patient_s_answer_is_for_the_desk_only(self):
        Event = self.env["calendar.event"]
        self.assertIn("wa_patient_answer", Event.with_user(self.reception).fields_get())
        self.assertNotIn("wa_patient_answer", Event.with_user(self.outsider).fields_get())

    def test_the_summary_speaks_the_user_s_language(self):
        self.dentist_a.lang = "it_IT"
        summary = (
            self.env["dental.whatsapp.outcome.summary"]
            .with_user(self.dentist_a)
            .with_context(lang="it_IT")
            .create({"month": date(2026, 3, 17)})
        )
        self.assertIn("(25,0 %)", summary.no_show_confirmed_text)
        self.assertIn("25,0 min", summary.response_text)
        self.assertNotIn("utility", summary.cost_lines)
