"""Whether the patient came: reception marks it, the scheduled action points out the
appointments nobody marked, and moving an appointment to a day to come clears it."""

from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import freeze_time, new_test_user, tagged

from ..const import TEMPLATE_CHECKIN
from .common import WhatsappCase, WhatsappHttpCase

NOW = "2026-11-24 15:00:00"


@tagged("post_install", "-at_install")
class TestAttendance(WhatsappCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.reception = new_test_user(
            cls.env,
            login="attendance_reception",
            name="Giulia Reception",
            groups="base.group_user,dental_whatsapp.group_reception",
        )
        cls.employee = new_test_user(
            cls.env, login="attendance_employee", name="Accounting", groups="base.group_user"
        )

    def appointment(self, hours_from_now):
        start = fields.Datetime.now() + timedelta(hours=hours_from_now)
        return self.book(start, user_id=self.reception.id)

    def test_reception_marks_whether_the_patient_came(self):
        with freeze_time(NOW):
            came = self.appointment(-3)
            missed = self.appointment(-5)
            came.with_user(self.reception).action_wa_mark_attended()
            missed.with_user(self.reception).action_wa_mark_no_show()
        self.assertEqual(came.wa_attendance, "attended")
        self.assertEqual(missed.wa_attendance, "no_show")
        self.assertIn(
            "Giulia Reception marked the appointment: Attended", came.message_ids.mapped("body")[0]
        )
        # A wrong click is undone.
        missed.with_user(self.reception).action_wa_clear_attendance()
        self.assertFalse(missed.wa_attendance)

    def test_an_appointment_to_come_cannot_be_marked(self):
        with freeze_time(NOW):
            later = self.appointment(2)
            with self.assertRaisesRegex(UserError, "has not started yet"):
                later.with_user(self.reception).action_wa_mark_attended()
        self.assertFalse(later.wa_attendance)

    def test_only_the_practice_s_staff_marks_attendance(self):
        with freeze_time(NOW):
            event = self.appointment(-3)
            with self.assertRaises(AccessError):
                event.with_user(self.employee).action_wa_mark_no_show()
            with self.assertRaises(AccessError):
                event.with_user(self.employee).write({"wa_attendance": "attended"})
        self.assertFalse(event.wa_attendance)

    def test_the_scheduled_action_points_out_appointments_nobody_marked(self):
        with freeze_time(NOW):
            unmarked = self.appointment(-4)
            marked = self.appointment(-4)
            marked.action_wa_mark_attended()
            just_over = self.appointment(-1)  # ended 30 minutes ago: not yet
            to_come = self.appointment(3)
            self.env["calendar.event"]._cron_suggest_no_show()
        self.assertTrue(unmarked.wa_attendance_suggested)
        self.assertFalse(marked.wa_attendance_suggested)
        self.assertFalse(just_over.wa_attendance_suggested)
        self.assertFalse(to_come.wa_attendance_suggested)
        to_mark = self.env["calendar.event"].search(
            [("wa_attendance_suggested", "=", True), ("wa_attendance", "=", False)]
        )
        self.assertIn(unmarked, to_mark)
        # Marking it takes it off the list.
        with freeze_time(NOW):
            unmarked.with_user(self.reception).action_wa_mark_no_show()
        self.assertFalse(unmarked.wa_attendance_suggested)

    def test_moving_an_appointment_to_a_day_to_come_clears_the_mark(self):
        with freeze_time(NOW):
            event = self.appointment(-3)
            event.action_wa_mark_no_show()
            event.write(
                {
                    "start": fields.Datetime.now() + timedelta(days=2),
                    "stop": fields.Datetime.now() + timedelta(days=2, minutes=30),
                }
            )
        self.assertFalse(event.wa_attendance, "rebooked: whether they come is unknown again")


@tagged("post_install", "-at_install")
class TestCheckin(WhatsappHttpCase):
    """The post-operative check-in, over the simulator: planned when an extraction is
    marked attended, asked the next morning at the opening, answered with a button."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.reception = new_test_user(
            cls.env,
            login="checkin_reception",
            name="Giulia Reception",
            groups="base.group_user,dental_whatsapp.group_reception",
        )
        cls.dentist = new_test_user(
            cls.env,
            login="checkin_dentist",
            name="Dott.ssa Bianchi",
            groups="base.group_user,dental_whatsapp.group_dentist",
        )
        cls.extraction = cls.env.ref("dental_whatsapp.appointment_type_extraction")
        cls.extraction.checkin = "next_day"  # as shipped; set for databases upgraded before
        cls.extraction.send_instructions = False  # the demo sends a sheet too: not here
        cls._approve_shipped([TEMPLATE_CHECKIN])

    def extraction_at(self, start):
        return self.book(
            start,
            minutes=60,
            user_id=self.reception.id,
            wa_appointment_type_id=self.extraction.id,
            wa_dentist_id=self.dentist.id,
        )

    def checkins(self):
        return [m for m in self.sim_sent(self.patient) if m["template"] == TEMPLATE_CHECKIN]

    def test_an_attended_extraction_is_asked_after_the_next_morning(self):
        # Tuesday 24 November 2026, 10:00-11:00 in Rome; open 09-13 and 14-19.
        event = self.extraction_at(self.rome(2026, 11, 24, 10, 0))
        with freeze_time(self.rome(2026, 11, 24, 11, 30)):
            event.with_user(self.reception).action_wa_mark_attended()
            self.dispatch()
        checkin = event.wa_checkin_message_id
        self.assertEqual(checkin.scheduled_at, self.rome(2026, 11, 25, 9, 0), "Wednesday 09:00")
        self.assertFalse(self.checkins(), "not the same day")
        # Marked twice: still one check-in.
        with freeze_time(self.rome(2026, 11, 24, 11, 31)):
            event.with_user(self.reception).action_wa_mark_attended()
        with freeze_time(self.rome(2026, 11, 25, 9, 1)):
            self.dispatch()
        self.assertEqual(len(self.checkins()), 1)
        # "I have a problem": the dentist gets the to-do in the patient's conversation.
        with freeze_time(self.rome(2026, 11, 25, 9, 20)):
            self.sim_call(
                "POST",
                "/_sim/press",
                json={
                    "from": self.patient.whatsapp_number.lstrip("+"),
                    "button": "I have a problem",
                },
            )
            self.flush_webhooks()
            self.process_events()
        conversation = self.env["dental.whatsapp.conversation"].search(
            [("partner_id", "=", self.patient.id)]
        )
        todo = conversation.activity_ids.filtered(
            lambda a: (
                a.activity_type_id == self.env.ref("dental_whatsapp.mail_activity_type_clinical")
            )
        )
        self.assertEqual(todo.user_id, self.dentist)
        self.assertIn("they have a problem", str(event.message_ids.mapped("body")))

    def test_all_good_is_noted_and_nobody_has_to_answer(self):
        event = self.extraction_at(self.rome(2026, 11, 24, 10, 0))
        with freeze_time(self.rome(2026, 11, 24, 11, 30)):
            event.with_user(self.reception).action_wa_mark_attended()
        with freeze_time(self.rome(2026, 11, 25, 9, 1)):
            self.dispatch()
        with freeze_time(self.rome(2026, 11, 25, 9, 20)):
            self.sim_call(
                "POST",
                "/_sim/press",
                json={"from": self.patient.whatsapp_number.lstrip("+"), "button": "All good"},
            )
            self.flush_webhooks()
            self.process_events()
        self.assertIn("all good", str(event.message_ids.mapped("body")))
        conversation = self.env["dental.whatsapp.conversation"].search(
            [("partner_id", "=", self.patient.id)]
        )
        self.assertNotIn(conversation.state, ("new", "opened"), "nobody has to answer")
        self.assertFalse(conversation.activity_ids)

    def test_no_check_in_for_a_missed_or_cancelled_appointment(self):
        missed = self.extraction_at(self.rome(2026, 11, 24, 10, 0))
        cancelled = self.extraction_at(self.rome(2026, 11, 24, 15, 0))
        with freeze_time(self.rome(2026, 11, 24, 16, 30)):
            missed.with_user(self.reception).action_wa_mark_no_show()
            cancelled.with_user(self.reception).action_wa_mark_attended()
            self.assertEqual(cancelled.wa_checkin_message_id.state, "queued")
            cancelled.action_archive()
        self.assertFalse(missed.wa_checkin_message_id)
        self.assertEqual(cancelled.wa_checkin_message_id.state, "cancelled")
        with freeze_time(self.rome(2026, 11, 25, 9, 1)):
            self.dispatch()
        self.assertFalse(self.checkins())

    def test_reception_marks_attendance_in_the_browser(self):
        event = self.extraction_at(fields.Datetime.now() - timedelta(hours=4))
        self.env["calendar.event"]._cron_suggest_no_show()
        self.assertTrue(event.wa_attendance_suggested)
        self.env.flush_all()  # the browser reads the database
        self.start_tour(
            f"/odoo/action-dental_whatsapp.action_dental_appointments/{event.id}",
            "dental_whatsapp_attendance_tour",
            login=self.reception.login,
        )
        self.assertEqual(event.wa_attendance, "attended")
        self.assertEqual(event.wa_checkin_message_id.state, "queued", "the check-in is planned")
