"""The hygiene recall, over the simulator with time advanced across months: a visit in
January brings an invitation in July and a second one three weeks later, none once an
appointment is booked; the patient's answer gives reception a booking to-do."""

from datetime import date, timedelta

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import freeze_time, new_test_user, tagged

from ..const import GROUP_RECEPTION, TEMPLATE_RECALL_FIRST, TEMPLATE_RECALL_SECOND
from .common import WhatsappHttpCase

RECALL_TEMPLATES = (TEMPLATE_RECALL_FIRST, TEMPLATE_RECALL_SECOND)


@tagged("post_install", "-at_install")
class TestRecall(WhatsappHttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.reception = new_test_user(
            cls.env,
            login="recall_reception",
            name="Giulia Reception",
            groups="base.group_user,dental_whatsapp.group_reception",
        )
        cls.employee = new_test_user(
            cls.env, login="recall_employee", name="Accounting", groups="base.group_user"
        )
        cls.hygiene = cls.env.ref("dental_whatsapp.appointment_type_hygiene")
        cls.hygiene.write({"recall_months": 6, "recall_second_weeks": 3})
        cls.checkup = cls.env.ref("dental_whatsapp.appointment_type_checkup")
        cls._approve_shipped(RECALL_TEMPLATES)

    # ------------------------------------------------------------------ helpers
    def visit(self, start, kind=None, attended=True):
        """A hygiene session at ``start`` (naive UTC), marked by reception an hour later."""
        event = self.book(
            start,
            minutes=45,
            name="Hygiene",
            user_id=self.reception.id,
            wa_appointment_type_id=(kind or self.hygiene).id,
        )
        with freeze_time(start + timedelta(hours=1)):
            if attended:
                event.with_user(self.reception).action_wa_mark_attended()
            else:
                event.with_user(self.reception).action_wa_mark_no_show()
        return event

    def recall(self, kind=None):
        return self.env["dental.whatsapp.recall"].search(
            [
                ("patient_id", "=", self.patient.id),
                ("appointment_type_id", "=", (kind or self.hygiene).id),
            ]
        )

    def run_day(self, *moment):
        """The scheduled action and the outbox at ``moment`` (a wall-clock time in Rome)."""
        with freeze_time(self.rome(*moment)):
            self.env["dental.whatsapp.recall"]._cron_send_due()
            self.dispatch()

    def invitations(self):
        return [m for m in self.sim_sent(self.patient) if m["template"] in RECALL_TEMPLATES]

    def press(self, button, *moment):
        with freeze_time(self.rome(*moment)):
            self.sim_call(
                "POST",
                "/_sim/press",
                json={"from": self.patient.whatsapp_number.lstrip("+"), "button": button},
            )
            self.flush_webhooks()
            self.process_events()

    def patient_writes(self, text, *moment):
        with freeze_time(self.rome(*moment)):
            self.sim_call(
                "POST",
                "/_sim/inbound",
                json={
                    "from": self.patient.whatsapp_number.lstrip("+"),
                    "type": "text",
                    "text": text,
                },
            )
            self.flush_webhooks()
            self.process_events()

    def conversation(self):
        return self.env["dental.whatsapp.conversation"].search(
            [("partner_id", "=", self.patient.id)]
        )

    def booking_todos(self):
        return self.conversation().activity_ids.filtered(
            lambda a: a.summary == "Book the Hygiene visit"
        )

    # ------------------------------------------------------------------ the round
    def test_a_january_visit_brings_an_invitation_in_july_and_a_second_later(self):
        # Tuesday 13 January 2026, 10:00 in Rome.
        self.visit(self.rome(2026, 1, 13, 10, 0))
        recall = self.recall()
        self.assertEqual(recall.state, "planned")
        self.assertEqual(recall.first_due_date, date(2026, 7, 13))
        self.assertEqual(recall.second_due_date, date(2026, 8, 3))
        # Nothing in the months between.
        self.run_day(2026, 3, 10, 10, 0)
        self.run_day(2026, 7, 10, 10, 0)
        self.assertFalse(self.invitations())
        # Monday 13 July, 07:00: due today, but the practice opens at 09:00.
        self.run_day(2026, 7, 13, 7, 0)
        self.assertEqual(recall.state, "invited")
        self.assertEqual(recall.first_message_id.scheduled_at, self.rome(2026, 7, 13, 9, 0))
        self.assertFalse(self.invitations(), "not before the opening")
        self.run_day(2026, 7, 13, 9, 5)
        self.run_day(2026, 7, 13, 15, 0)  # the hourly action again: nothing twice
        sent = self.invitations()
        self.assertEqual(len(sent), 1)
        self.assertEqual(sent[0]["template"], TEMPLATE_RECALL_FIRST)
        self.assertEqual(sent[0]["language"], "en", "the patient's language")
        self.assertEqual(sent[0]["params"][0], "Maria Rossi")
        self.assertIn("2026", sent[0]["params"][2], "the date of the last visit")
        # No answer, nothing booked: the second invitation three weeks later.
        self.run_day(2026, 7, 27, 10, 0)
        self.assertEqual(len(self.invitations()), 1)
        self.run_day(2026, 8, 3, 10, 0)
        self.run_day(2026, 8, 4, 10, 0)
        self.run_day(2026, 9, 1, 10, 0)
        sent = self.invitations()
        self.assertEqual([m["template"] for m in sent], list(RECALL_TEMPLATES))
        self.assertEqual(recall.state, "reminded")
        self.assertEqual(recall.wa_message_count, 2, "both invitations are on the recall")

    def test_no_invitation_once_an_appointment_is_booked(self):
        self.visit(self.rome(2026, 1, 13, 10, 0))
        recall = self.recall()
        # In June the patient books a visit for late July, of any type.
        with freeze_time(self.rome(2026, 6, 15, 10, 0)):
            booked = self.book(self.rome(2026, 7, 28, 10, 0), name="Check-up")
        self.assertEqual(recall.state, "planned", "not due yet: checked on its day")
        self.run_day(2026, 7, 13, 10, 0)
        self.run_day(2026, 8, 3, 10, 0)
        self.assertFalse(self.invitations())
        self.assertEqual(recall.state, "booked")
        self.assertEqual(recall.booked_event_id, booked)

    def test_booking_after_the_invitation_stops_the_second(self):
        self.visit(self.rome(2026, 1, 13, 10, 0))
        recall = self.recall()
        self.run_day(2026, 7, 13, 10, 0)
        with freeze_time(self.rome(2026, 7, 20, 11, 0)):
            self.book(self.rome(2026, 7, 30, 15, 0), name="Hygiene")
        self.assertEqual(recall.state, "booked", "closed at once")
        self.run_day(2026, 8, 3, 10, 0)
        self.assertEqual(
            [m["template"] for m in self.invitations()], [TEMPLATE_RECALL_FIRST], "no second"
        )

    # ------------------------------------------------------------------ answers
    def test_the_answer_opens_one_booking_to_do_for_reception(self):
        self.visit(self.rome(2026, 1, 13, 10, 0))
        recall = self.recall()
        self.run_day(2026, 7, 13, 10, 0)
        self.press("Book a visit", 2026, 7, 13, 11, 0)
        self.assertEqual(recall.state, "answered")
        todo = self.booking_todos()
        self.assertEqual(len(todo), 1)
        self.assertTrue(todo.user_id.has_group(GROUP_RECEPTION))
        self.assertIn("Book a visit", str(todo.note))
        # The patient writes again: the same to-do, the words on the recall.
        self.patient_writes("Tuesday afternoons suit me best", 2026, 7, 13, 11, 5)
        self.assertEqual(len(self.booking_todos()), 1)
        self.assertIn("Tuesday afternoons", recall.answer)
        # Reception books the visit: the recall is done and so is the to-do.
        with freeze_time(self.rome(2026, 7, 13, 11, 30)):
            self.book(self.rome(2026, 7, 21, 15, 0), name="Hygiene")
        self.assertEqual(recall.state, "booked")
        self.assertFalse(self.booking_todos())
        self.run_day(2026, 8, 3, 10, 0)
        self.assertEqual(len(self.invitations()), 1, "no second invitation")

    def test_a_written_answer_in_the_days_after_the_invitation_counts(self):
        self.visit(self.rome(2026, 1, 13, 10, 0))
        recall = self.recall()
        self.run_day(2026, 7, 13, 10, 0)
        self.patient_writes("Yes please, can I come next week?", 2026, 7, 15, 9, 30)
        self.assertEqual(recall.state, "answered")
        todo = self.booking_todos()
        self.assertEqual(len(todo), 1)
        self.assertIn("can I come next week", str(todo.note))
        self.assertEqual(self.conversation().state, "new", "the desk still shows the words")
        self.run_day(2026, 8, 3, 10, 0)
        self.assertEqual(len(self.invitations()), 1)

    def test_a_quoted_reply_counts_even_days_later(self):
        self.visit(self.rome(2026, 1, 13, 10, 0))
        recall = self.recall()
        self.run_day(2026, 7, 13, 10, 0)
        self.patient_writes("Something else: my bill", 2026, 7, 24, 10, 0)
        self.assertEqual(recall.state, "invited", "ten days later, not quoted: not an answer")
        with freeze_time(self.rome(2026, 7, 24, 10, 5)):
            self.sim_call(
                "POST",
                "/_sim/inbound",
                json={
                    "from": self.patient.whatsapp_number.lstrip("+"),
                    "type": "text",
                    "text": "Sorry for the delay, I would like to come",
                    "context_id": recall.first_message_id.meta_message_id,
                },
            )
            self.flush_webhooks()
            self.process_events()
        self.assertEqual(recall.state, "answered")
        self.assertEqual(len(self.booking_todos()), 1)

    def test_the_invitation_is_in_the_patient_s_language(self):
        self.env["res.lang"]._activate_lang("it_IT")  # an Italian practice has it
        self.patient.lang = "it_IT"
        self.visit(self.rome(2026, 1, 13, 10, 0))
        self.run_day(2026, 7, 13, 10, 0)
        sent = self.invitations()
        self.assertEqual(
            [(m["template"], m["language"]) for m in sent], [(TEMPLATE_RECALL_FIRST, "it")]
        )
        self.assertEqual(sent[0]["params"][2], "13/01/2026", "the visit's day as Italians write it")

    def test_not_now_stops_the_recall_for_this_round(self):
        self.visit(self.rome(2026, 1, 13, 10, 0))
        recall = self.recall()
        self.run_day(2026, 7, 13, 10, 0)
        self.press("Not now", 2026, 7, 13, 12, 0)
        self.assertEqual(recall.state, "stopped")
        self.assertIn("not now", recall.note)
        self.assertFalse(self.booking_todos())
        self.run_day(2026, 8, 3, 10, 0)
        self.assertEqual(len(self.invitations()), 1)

    def test_stop_keeps_working_and_no_second_invitation_follows(self):
        self.visit(self.rome(2026, 1, 13, 10, 0))
        recall = self.recall()
        self.run_day(2026, 7, 13, 10, 0)
        self.patient_writes("STOP", 2026, 7, 14, 10, 0)
        self.assertTrue(self.patient.wa_opt_out)
        self.assertEqual(recall.state, "invited", "STOP is not an answer to the invitation")
        self.run_day(2026, 8, 3, 10, 0)
        self.assertEqual(len(self.invitations()), 1)
        self.assertEqual(recall.state, "stopped")

    # ------------------------------------------------------------------ attendance
    def test_no_recall_for_a_no_show(self):
        self.visit(self.rome(2026, 1, 13, 10, 0), attended=False)
        self.assertFalse(self.recall())
        self.run_day(2026, 7, 13, 10, 0)
        self.assertFalse(self.invitations())

    def test_no_recall_for_a_type_without_one(self):
        self.visit(self.rome(2026, 1, 13, 10, 0), kind=self.checkup)
        self.assertFalse(self.recall(self.checkup))

    def test_attendance_changes_recount_from_the_last_attended_visit(self):
        january = self.visit(self.rome(2026, 1, 13, 10, 0))
        march = self.visit(self.rome(2026, 3, 10, 10, 0))
        recall = self.recall()
        self.assertEqual(recall.last_event_id, march)
        self.assertEqual(recall.first_due_date, date(2026, 9, 10))
        # March was a wrong click: the recall counts from January again.
        with freeze_time(self.rome(2026, 3, 10, 12, 0)):
            march.with_user(self.reception).action_wa_mark_no_show()
        self.assertEqual(recall.last_event_id, january)
        self.assertEqual(recall.first_due_date, date(2026, 7, 13))
        self.assertEqual(recall.state, "planned")
        # January cleared too: no visit left, nothing goes.
        with freeze_time(self.rome(2026, 3, 10, 12, 5)):
            january.with_user(self.reception).action_wa_clear_attendance()
        self.assertEqual(recall.state, "stopped")
        self.assertFalse(recall.last_event_id)
        self.run_day(2026, 7, 13, 10, 0)
        self.assertFalse(self.invitations())

    # ------------------------------------------------------------------ settings and rights
    def test_recall_settings_are_checked(self):
        Type = self.env["dental.whatsapp.appointment.type"]
        with self.assertRaisesRegex(ValidationError, "negative number of months"):
            Type.create({"name": "Whitening", "recall_months": -1})
        with self.assertRaisesRegex(ValidationError, "at least one week"):
            Type.create({"name": "Sealants", "recall_months": 12, "recall_second_weeks": 0})
        self.assertTrue(Type.create({"name": "Orthodontics", "recall_months": 0}))

    def test_only_the_practice_s_staff_sees_and_changes_recalls(self):
        self.visit(self.rome(2026, 1, 13, 10, 0))
        recall = self.recall()
        Recall = self.env["dental.whatsapp.recall"]
        with self.assertRaises(AccessError):
            Recall.with_user(self.employee).search([])
        for action in ("action_stop", "action_plan_again", "action_book_visit"):
            with self.assertRaises(AccessError):
                getattr(recall.with_user(self.employee), action)()
        # Reception reads the list and stops a recall; then plans it again.
        mine = [("patient_id", "=", self.patient.id)]
        self.assertEqual(Recall.with_user(self.reception).search(mine), recall)
        recall.with_user(self.reception).action_stop()
        self.assertEqual(recall.state, "stopped")
        recall.with_user(self.reception).action_plan_again()
        self.assertEqual(recall.state, "planned")
        action = recall.with_user(self.reception).action_book_visit()
        self.assertEqual(action["context"]["default_patient_id"], self.patient.id)
