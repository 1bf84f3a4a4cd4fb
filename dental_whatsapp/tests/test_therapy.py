"""Therapy plans over the simulator: a reviewed reminder at each agreed dose time, in the
patient's zone and inside the care hours, stopped by STOP, ended on the last day."""

from datetime import datetime, timedelta

import pytz
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import freeze_time, new_test_user, tagged

from ..const import TEMPLATE_THERAPY
from .common import WhatsappHttpCase

LONDON = pytz.timezone("Europe/London")


@tagged("post_install", "-at_install")
class TestTherapy(WhatsappHttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.dentist = new_test_user(
            cls.env,
            login="therapy_dentist",
            name="Dott.ssa Bianchi",
            groups="base.group_user,dental_whatsapp.group_dentist",
        )
        cls.reception = new_test_user(
            cls.env,
            login="therapy_reception",
            name="Giulia Reception",
            groups="base.group_user,dental_whatsapp.group_reception",
        )
        cls.employee = new_test_user(
            cls.env, login="therapy_employee", name="Accounting", groups="base.group_user"
        )
        # The patient lives an hour behind the practice: the doses are on her clock.
        cls.patient.tz = "Europe/London"
        cls._approve_shipped([TEMPLATE_THERAPY])

    def plan(self, **values):
        return (
            self.env["dental.whatsapp.therapy"]
            .with_user(self.dentist)
            .create(
                {
                    "partner_id": self.patient.id,
                    "medicine": "Amoxicillin 1 g",
                    "dose": "1 tablet after meals",
                    "dose_times": "08:00, 20:00",
                    "start_date": "2026-11-30",
                    "days": 5,
                    **values,
                }
            )
        )

    def london(self, *args):
        return LONDON.localize(datetime(*args)).astimezone(pytz.utc).replace(tzinfo=None)

    def run_days(self, start, end, step=timedelta(minutes=30), on_step=None):
        """Time goes by: the scheduled actions run as the cron would, every ``step``."""
        moment = start
        while moment <= end:
            with freeze_time(moment):
                self.env["dental.whatsapp.therapy"]._cron_queue_reminders()
                self.dispatch()
                if on_step:
                    on_step(moment)
            moment += step

    def reminders(self):
        return [m for m in self.sim_sent(self.patient) if m["template"] == TEMPLATE_THERAPY]

    def test_a_five_day_plan_sends_ten_reminders_at_the_agreed_times(self):
        with freeze_time(self.london(2026, 11, 29, 18, 0)):  # Sunday: the practice is closed
            plan = self.plan()
            plan.action_start()
        self.run_days(self.london(2026, 11, 29, 18, 0), self.london(2026, 12, 6, 22, 0))
        sent = self.reminders()
        self.assertEqual(len(sent), 10)
        # Day 1 to 5, morning and evening, the dose and the time in the patient's words.
        self.assertEqual(
            [(m["params"][1], m["params"][4]) for m in sent],
            [(at, str(day)) for day in range(1, 6) for at in ("08:00", "20:00")],
        )
        self.assertEqual(sent[0]["params"][2:4], ["Amoxicillin 1 g", "1 tablet after meals"])
        messages = plan.reminder_ids.filtered(lambda m: m.state != "cancelled")
        local_times = sorted(
            pytz.utc.localize(m.sent_date).astimezone(LONDON).strftime("%a %H:%M") for m in messages
        )
        self.assertEqual(
            local_times,
            sorted(
                f"{day} {at}"
                for day in ("Mon", "Tue", "Wed", "Thu", "Fri")
                for at in ("08:00", "20:00")
            ),
            "at the patient's 08:00 and 20:00, although the practice opens at 09:00 and "
            "closes at 19:00 in Rome (09:00 and 21:00 there)",
        )
        self.assertEqual(plan.state, "done", "it ends by itself after the last dose")
        self.assertIn("ended", str(plan.message_ids.mapped("body")))
        # The plan appears in the patient's conversation, each reminder in it and in the
        # patient's chatter.
        conversation = self.env["dental.whatsapp.conversation"].search(
            [("partner_id", "=", self.patient.id)]
        )
        self.assertIn("Therapy plan started", str(conversation.message_ids.mapped("body")))
        self.assertIn("Therapy plan", str(conversation.message_ids.mapped("body")))
        whatsapp = self.patient.message_ids.filtered("wa_message_id")
        self.assertEqual(len(whatsapp.filtered(lambda m: "Amoxicillin" in m.body)), 10)

    def test_no_reminder_after_stop(self):
        number = self.patient.whatsapp_number.lstrip("+")

        def patient_answers_stop(moment):
            if moment == self.london(2026, 12, 1, 9, 0):  # after the third reminder
                self.sim_call(
                    "POST", "/_sim/inbound", json={"from": number, "type": "text", "text": "STOP"}
                )
                self.flush_webhooks()
                self.process_events()

        with freeze_time(self.london(2026, 11, 30, 7, 0)):
            plan = self.plan()
            plan.action_start()
        self.run_days(
            self.london(2026, 11, 30, 7, 0),
            self.london(2026, 12, 5, 22, 0),
            on_step=patient_answers_stop,
        )
        self.assertEqual(len(self.reminders()), 3)
        self.assertEqual(plan.state, "stopped")
        self.assertIn("STOP", plan.stop_reason)
        # STOP under a therapy stops the therapy, not every non-essential message; the
        # patient is told in words, once.
        self.assertFalse(self.patient.wa_opt_out)
        answers = [m["text"] for m in self.sim_sent(self.patient) if m["text"]]
        self.assertEqual(len(answers), 1)
        self.assertIn("stopped the reminders for Amoxicillin 1 g", answers[0])

    def test_done_on_the_last_day_ends_the_plan(self):
        with freeze_time(self.london(2026, 11, 30, 7, 0)):
            plan = self.plan(days=2)
            plan.action_start()
        self.run_days(self.london(2026, 11, 30, 7, 0), self.london(2026, 12, 1, 8, 0))
        self.assertEqual(len(self.reminders()), 3)
        with freeze_time(self.london(2026, 12, 1, 8, 10)):
            self.sim_call(
                "POST",
                "/_sim/press",
                json={"from": self.patient.whatsapp_number.lstrip("+"), "button": "Done"},
            )
            self.flush_webhooks()
            self.process_events()
        self.assertEqual(plan.state, "done")
        self.run_days(self.london(2026, 12, 1, 8, 30), self.london(2026, 12, 1, 21, 0))
        self.assertEqual(len(self.reminders()), 3, "no evening reminder after 'done'")

    def test_done_before_the_last_day_is_noted_and_the_plan_goes_on(self):
        with freeze_time(self.london(2026, 11, 30, 7, 0)):
            plan = self.plan(days=2)
            plan.action_start()
        self.run_days(self.london(2026, 11, 30, 7, 0), self.london(2026, 11, 30, 8, 0))
        with freeze_time(self.london(2026, 11, 30, 8, 5)):
            self.sim_call(
                "POST",
                "/_sim/inbound",
                json={
                    "from": self.patient.whatsapp_number.lstrip("+"),
                    "type": "text",
                    "text": "Fatto!",
                },
            )
            self.flush_webhooks()
            self.process_events()
        self.assertEqual(plan.state, "running")
        self.assertIn("confirmed the dose", str(plan.message_ids.mapped("body")))

    def test_a_reminder_that_could_not_leave_on_time_is_withdrawn(self):
        with freeze_time(self.london(2026, 11, 30, 7, 0)):
            plan = self.plan(days=1)
            plan.action_start()
        first = plan.reminder_ids
        # The server was down from 07:50 to 09:00: the 08:00 reminder is an hour late.
        self.run_days(self.london(2026, 11, 30, 9, 0), self.london(2026, 11, 30, 20, 30))
        self.assertEqual(first.state, "cancelled")
        self.assertIn("dose time passed", first.error_message)
        self.assertEqual([m["params"][1] for m in self.reminders()], ["20:00"])

    def test_no_dose_time_outside_the_care_hours(self):
        with self.assertRaisesRegex(ValidationError, "22:00 is outside the care hours 08:00-20:00"):
            self.plan(dose_times="08:00, 22:00")
        with self.assertRaisesRegex(ValidationError, "cannot be read"):
            self.plan(dose_times="morning and evening")
        self.company.wa_care_hour_to = 22.0
        self.assertEqual(self.plan(dose_times="08:00, 22:00").times_per_day, 2)

    def test_a_dentist_writes_and_starts_the_plan_reception_reads_it(self):
        plan = self.plan()
        with self.assertRaises(AccessError):
            self.env["dental.whatsapp.therapy"].with_user(self.reception).create(
                {"partner_id": self.patient.id, "medicine": "X", "dose": "1", "days": 1}
            )
        with self.assertRaises(AccessError):
            plan.with_user(self.reception).action_start()
        with self.assertRaises(AccessError):
            plan.with_user(self.reception).write({"state": "running"})
        self.assertEqual(plan.with_user(self.reception).medicine, "Amoxicillin 1 g")
        with self.assertRaises(AccessError):
            plan.with_user(self.employee).read(["medicine"])
        with self.assertRaises(AccessError):
            plan.with_user(self.dentist).write({"state": "running"})
        with freeze_time(self.london(2026, 11, 30, 7, 0)):
            plan.with_user(self.dentist).action_start()
            self.assertEqual(plan.state, "running")
            plan.with_user(self.dentist).action_close()
        self.assertEqual(plan.state, "stopped")
        self.assertEqual(plan.reminder_ids.state, "cancelled", "the waiting reminder is withdrawn")

    def test_the_dentist_prescribes_from_the_appointment_in_the_browser(self):
        event = self.book(self.london(2026, 11, 24, 8, 0), user_id=self.dentist.id)
        self.env.flush_all()  # the browser reads the database
        self.start_tour(
            f"/odoo/action-dental_whatsapp.action_dental_appointments/{event.id}",
            "dental_whatsapp_therapy_tour",
            login=self.dentist.login,
        )
        plan = self.env["dental.whatsapp.therapy"].search([("event_id", "=", event.id)])
        self.assertEqual(plan.state, "running")
        self.assertEqual(plan.dose_times, "08:00, 20:00")
        self.assertEqual(plan.partner_id, self.patient)
        self.assertEqual(plan.reminder_ids.state, "queued")

    def test_a_plan_does_not_start_without_its_reviewed_template(self):
        self.env["dental.whatsapp.template"].search([("name", "=", TEMPLATE_THERAPY)]).with_context(
            wa_template_sync=True
        ).write({"review_state": "draft"})
        plan = self.plan()
        with self.assertRaisesRegex(UserError, "therapy_reminder is not approved yet"):
            plan.action_start()
        self.assertEqual(plan.state, "draft")
