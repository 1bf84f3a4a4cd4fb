"""Appointment reminders and confirmations, end to end through the simulator."""

from collections import Counter
from datetime import datetime, timedelta

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import Form, freeze_time, new_test_user, tagged

from ..const import RUN_CACHE
from .common import APP_SECRET, PATIENT_NUMBER, TOKEN, WABA_ID, WhatsappCase, WhatsappHttpCase

ITALIAN_NUMBER = "+393401112233"
SPANISH_NUMBER = "+34699887766"
SHIPPED = (
    "appointment_reminder",
    "appointment_confirmation",
    "appointment_moved",
    "appointment_cancelled",
)


@tagged("post_install", "-at_install")
class TestAppointments(WhatsappHttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        for code in ("it_IT", "es_ES"):
            env["res.lang"]._activate_lang(code)
        # The shared set-up's own "appointment_reminder" would compete with the shipped one.
        cls.template.active = False
        cls.shipped = cls._approve_shipped(SHIPPED)
        assert len(cls.shipped) == 12, cls.shipped.mapped("display_name")
        cls.reception = new_test_user(
            env,
            login="reception_appointments",
            groups="base.group_user,dental_whatsapp.group_reception",
            name="Reception Desk",
        )
        cls.rule_48h = env.ref("dental_whatsapp.reminder_rule_48h")
        cls.rule_2h = env.ref("dental_whatsapp.reminder_rule_2h")
        cls.italian = env["res.partner"].create(
            {
                "name": "Giulia Bianchi",
                "whatsapp_number": ITALIAN_NUMBER,
                "lang": "it_IT",
                "wa_consent_care": True,
            }
        )
        cls.spanish = env["res.partner"].create(
            {
                "name": "Lucía Fernández",
                "whatsapp_number": SPANISH_NUMBER,
                "lang": "es_ES",
                "wa_consent_care": True,
            }
        )

    # ------------------------------------------------------------------ helpers
    def _appointment(self, start, patient=None, **values):
        """An appointment booked by reception; ``start`` is a naive UTC datetime."""
        patient = patient or self.patient
        return (
            self.env["calendar.event"]
            .with_context(no_mail_to_attendees=True)
            .create(
                {
                    "name": values.pop("name", f"Check-up {patient.name}"),
                    "start": start,
                    "stop": start + timedelta(minutes=30),
                    "user_id": self.reception.id,
                    "partner_ids": [Command.set([patient.id])],
                    **values,
                }
            )
        )

    def _messages(self, event, template_name=None):
        domain = [("model", "=", "calendar.event"), ("res_id", "=", event.id)]
        if template_name:
            domain.append(("template_id.name", "=", template_name))
        return self.env["dental.whatsapp.message"].search(domain, order="id")

    def _sent_templates(self, number):
        """(template name, language, body parameters) the simulator received for ``number``."""
        return [
            (m["template"], m["language"], m["params"])
            for m in self.sim_sent(number=number)
            if m["template"]
        ]

    def _send_due_reminders(self):
        return self.env["dental.whatsapp.reminder"]._wa_send_due()

    def _patient_writes(self, number, text):
        self.sim_call(
            "POST", "/_sim/inbound", json={"from": number[1:], "type": "text", "text": text}
        )
        self.flush_webhooks()
        self.process_events()

    def _patient_presses(self, number, button):
        self.sim_call("POST", "/_sim/press", json={"from": number[1:], "button": button})
        self.flush_webhooks()
        self.process_events()

    def _confirmation_sent(self, event):
        event.action_wa_send_confirmation()
        self.dispatch()
        message = self._messages(event, "appointment_confirmation")
        self.assertEqual(message.state, "sent", message.error_message)
        return message

    def _todo(self, partner):
        return self.env["mail.activity"].search(
            [("res_model", "=", "res.partner"), ("res_id", "=", partner.id)]
        )

    # ------------------------------------------------------------------ timing
    def test_reminders_go_out_at_the_right_moment_across_the_autumn_clock_change(self):
        # Thursday 22 October 2026; the clocks go back on Sunday 25 October.
        with freeze_time("2026-10-22 08:00:00"):
            event = self._appointment(self.rome(2026, 10, 26, 9, 30))
        reminders = event.wa_reminder_ids
        # 48 h before is Saturday: the last opening before is Friday, just before 19:00
        # (summer time). 2 h before is 07:30 on the day: at 09:00 only 30 minutes would be
        # left, so that reminder is not planned.
        self.assertEqual(reminders.rule_id, self.rule_48h)
        self.assertEqual(reminders.due_at, datetime(2026, 10, 23, 16, 59))
        self.assertEqual(reminders.due_at, self.rome(2026, 10, 23, 18, 59))

        with freeze_time("2026-10-23 16:58:00"):
            self._send_due_reminders()
            self.assertFalse(self._messages(event))
        with freeze_time("2026-10-23 16:59:00"):
            self._send_due_reminders()
            self.dispatch()
        self.assertEqual(reminders.state, "done")
        self.assertEqual(
            self._sent_templates(PATIENT_NUMBER),
            [
                (
                    "appointment_confirmation",
                    "en",
                    ["Maria Rossi", self.company.name, "Monday 26 October at 09:30"],
                )
            ],
        )
        # The Monday morning run sends nothing more.
        with freeze_time("2026-10-26 07:30:00"):
            self._send_due_reminders()
            self.dispatch()
        self.assertEqual(len(self._messages(event)), 1)

    def test_reminders_go_out_at_the_right_moment_across_the_spring_clock_change(self):
        # Wednesday 24 March 2027; the clocks go forward on Sunday 28 March.
        with freeze_time("2027-03-24 09:00:00"):
            event = self._appointment(self.rome(2027, 3, 29, 11, 0), patient=self.italian)
        due = {r.rule_id: r.due_at for r in event.wa_reminder_ids}
        self.assertEqual(
            due,
            {
                # Friday 18:59 winter time, not Saturday 11:00 when the practice is closed.
                self.rule_48h: datetime(2027, 3, 26, 17, 59),
                # Monday 09:00 summer time: two hours before, inside office hours.
                self.rule_2h: datetime(2027, 3, 29, 7, 0),
            },
        )
        with freeze_time("2027-03-26 17:59:00"):
            self._send_due_reminders()
            self.dispatch()
        with freeze_time("2027-03-29 06:59:00"):
            self._send_due_reminders()
            self.dispatch()
        self.assertEqual(len(self._sent_templates(ITALIAN_NUMBER)), 1)
        with freeze_time("2027-03-29 07:00:00"):
            self._send_due_reminders()
            self.dispatch()
        when = "lunedì 29 marzo alle 11:00"
        self.assertEqual(
            self._sent_templates(ITALIAN_NUMBER),
            [
                ("appointment_confirmation", "it", ["Giulia Bianchi", self.company.name, when]),
                ("appointment_reminder", "it", ["Giulia Bianchi", self.company.name, when]),
            ],
        )

    def test_a_morning_run_records_each_reminder_in_the_chatter_and_tells_a_follower(self):
        # The run queues its reminders together; each still has its own entries on the
        # appointment and on the patient, with its delivery state, and a colleague who
        # follows a patient for WhatsApp is told, as when one reminder is sent alone.
        whatsapp = self.env.ref("dental_whatsapp.mt_whatsapp")
        with freeze_time("2026-11-23 08:00:00"):  # Monday
            first = self._appointment(self.rome(2026, 11, 26, 9, 30))  # Thursday
            second = self._appointment(self.rome(2026, 11, 26, 10, 0), patient=self.italian)
        self.italian.message_subscribe(
            partner_ids=self.reception.partner_id.ids, subtype_ids=whatsapp.ids
        )
        cron = self.env.ref("dental_whatsapp.ir_cron_dispatch")
        Trigger = self.env["ir.cron.trigger"]
        triggers = Trigger.search([("cron_id", "=", cron.id)])
        with freeze_time("2026-11-24 10:00:00"):  # Tuesday 11:00: both 48 h reminders due
            self.assertEqual(self._send_due_reminders(), 2)
            self.env.flush_all()
        # The outbox is woken once for the run, not once per reminder.
        self.assertEqual(len(Trigger.search([("cron_id", "=", cron.id)]) - triggers), 1)
        for event, patient in ((first, self.patient), (second, self.italian)):
            message = self._messages(event)
            self.assertEqual(message.state, "queued")
            entries = message.mail_message_ids
            self.assertEqual(
                {(e.model, e.res_id) for e in entries},
                {("calendar.event", event.id), ("res.partner", patient.id)},
            )
            self.assertEqual(entries.subtype_id, whatsapp)
            self.assertEqual(entries.wa_message_id, message)
            self.assertIn(event.display_name, entries.mapped("record_name"))
            for entry in entries:
                self.assertIn("appointment_confirmation", entry.body)
                self.assertIn(patient.name, entry.body)
            states = entries.notification_ids.filtered(lambda n: n.notification_type == "whatsapp")
            self.assertEqual(states.mapped("notification_status"), ["ready", "ready"])
        told = self.env["mail.notification"].search(
            [
                ("res_partner_id", "=", self.reception.partner_id.id),
                ("notification_type", "=", "inbox"),
            ]
        )
        self.assertEqual(
            {(m.model, m.res_id) for m in told.mail_message_id}, {("res.partner", self.italian.id)}
        )
        # The delivery state on every entry follows its message.
        with freeze_time("2026-11-24 10:00:30"):
            self.dispatch()
        for event in (first, second):
            states = self._messages(event).mail_message_ids.notification_ids
            self.assertEqual(
                states.filtered(lambda n: n.notification_type == "whatsapp").mapped(
                    "notification_status"
                ),
                ["pending", "pending"],
            )

    def test_opening_hours_read_once_for_a_run_are_the_practice_s_hours(self):
        company = self.company
        run = company.with_context(**{RUN_CACHE: {}})
        for start in (
            self.rome(2026, 11, 27, 14, 37),  # Friday afternoon
            self.rome(2026, 11, 27, 20, 5),  # the same day, after closing: read from the run
            self.rome(2026, 12, 24, 8, 0),
        ):
            self.assertEqual(
                run._wa_opening_intervals(start, days=7), company._wa_opening_intervals(start, 7)
            )

    def test_a_reminder_whose_time_has_passed_is_not_sent_late(self):
        # Booked on Tuesday at 10:00 for Wednesday at 10:00: the 48 h moment is gone.
        event = self._appointment(self.rome(2026, 11, 25, 10, 0))
        self.assertEqual(event.wa_reminder_ids.rule_id, self.rule_2h)
        # The cron was down on Wednesday morning until 09:30: less than an hour is left.
        with freeze_time(self.rome(2026, 11, 25, 9, 30)):
            self._send_due_reminders()
        self.assertEqual(event.wa_reminder_ids.state, "skipped")
        self.assertFalse(self._messages(event))

    # ------------------------------------------------------------------ exactly once
    def test_cron_twice_and_saving_again_send_one_reminder_per_rule(self):
        event = self._appointment(self.rome(2026, 11, 26, 10, 30))
        with freeze_time(self.rome(2026, 11, 24, 10, 30)):
            self._send_due_reminders()
            self._send_due_reminders()
            event.write({"description": "Bring the X-ray", "start": event.start})
            event.write({"partner_ids": [Command.set([self.patient.id])]})
            self._send_due_reminders()
            self.dispatch()
        with freeze_time(self.rome(2026, 11, 26, 9, 0)):
            self._send_due_reminders()
            self._send_due_reminders()
            self.dispatch()
        per_template = Counter(self._messages(event).mapped("template_id.name"))
        self.assertEqual(per_template, {"appointment_confirmation": 1, "appointment_reminder": 1})
        self.assertEqual(
            [name for name, _lang, _params in self._sent_templates(PATIENT_NUMBER)],
            ["appointment_confirmation", "appointment_reminder"],
        )
        self.assertEqual(set(event.wa_reminder_ids.mapped("state")), {"done"})

    # ------------------------------------------------------------------ language
    def test_date_reads_in_the_patients_language_and_the_practices_time(self):
        # A user working from another time zone sends them: the patient still reads Rome time.
        self.env.user.tz = "America/New_York"
        start = self.rome(2026, 11, 26, 10, 30)
        for patient in (self.italian, self.spanish, self.patient):
            self._appointment(start, patient=patient).action_wa_send_reminder()
        self.dispatch()
        self.assertEqual(
            self._sent_templates(ITALIAN_NUMBER),
            [
                (
                    "appointment_reminder",
                    "it",
                    ["Giulia Bianchi", self.company.name, "giovedì 26 novembre alle 10:30"],
                )
            ],
        )
        self.assertEqual(
            self._sent_templates(SPANISH_NUMBER),
            [
                (
                    "appointment_reminder",
                    "es",
                    ["Lucía Fernández", self.company.name, "jueves 26 de noviembre a las 10:30"],
                )
            ],
        )
        self.assertEqual(
            self._sent_templates(PATIENT_NUMBER)[0][2][2], "Thursday 26 November at 10:30"
        )

    # ------------------------------------------------------------------ answers
    def test_pressing_confirm_confirms_the_appointment_and_the_attendee(self):
        event = self._appointment(self.rome(2026, 11, 26, 10, 30))
        self._confirmation_sent(event)
        self._patient_presses(PATIENT_NUMBER, "I confirm")
        self.assertEqual(event.wa_confirmation_state, "confirmed")
        attendee = event.attendee_ids.filtered(lambda a: a.partner_id == self.patient)
        self.assertEqual(attendee.state, "accepted")
        notes = event.message_ids.filtered(lambda m: "confirmed on WhatsApp" in (m.body or ""))
        self.assertEqual(len(notes), 1)
        self.assertIn("I confirm", notes.body)
        self.assertEqual(notes.author_id, self.patient)
        self.assertFalse(self._todo(self.patient), "a confirmation needs nobody's attention")

    def test_devo_spostare_opens_an_activity_for_reception(self):
        event = self._appointment(self.rome(2026, 11, 26, 10, 30), patient=self.italian)
        self._confirmation_sent(event)
        self._patient_writes(ITALIAN_NUMBER, "Buongiorno, devo spostare purtroppo")
        self.assertEqual(event.wa_confirmation_state, "reschedule_requested")
        attendee = event.attendee_ids.filtered(lambda a: a.partner_id == self.italian)
        self.assertEqual(attendee.state, "declined")
        todo = self._todo(self.italian)
        self.assertEqual(len(todo), 1)
        self.assertEqual(todo.user_id, self.reception)
        self.assertEqual(todo.summary, "Reschedule the appointment")
        self.assertIn("devo spostare purtroppo", todo.note)
        self.assertIn("giovedì 26 novembre alle 10:30", todo.note)

    def test_an_unclear_answer_never_confirms_and_reaches_reception(self):
        event = self._appointment(self.rome(2026, 11, 26, 10, 30), patient=self.italian)
        self._confirmation_sent(event)
        self._patient_writes(ITALIAN_NUMBER, "ok ma non so se riesco")
        self.assertEqual(event.wa_confirmation_state, "to_confirm")
        attendee = event.attendee_ids.filtered(lambda a: a.partner_id == self.italian)
        self.assertNotEqual(attendee.state, "accepted")
        todo = self._todo(self.italian)
        self.assertEqual(todo.summary, "Unclear answer about the appointment")
        self.assertIn("ok ma non so se riesco", todo.note)

    def test_cancel_button_cancels_the_visit_but_stop_opts_out(self):
        event = self._appointment(self.rome(2026, 11, 26, 10, 30), patient=self.spanish)
        self._confirmation_sent(event)
        self._patient_presses(SPANISH_NUMBER, "Cancelo la cita")
        self.assertEqual(event.wa_confirmation_state, "cancelled_by_patient")
        self.assertFalse(self.spanish.wa_opt_out, "cancelling a visit is not an opt-out")
        self.assertEqual(
            self._todo(self.spanish).summary, "The patient cancelled: the slot is free"
        )

        self._patient_writes(SPANISH_NUMBER, "STOP")
        self.assertTrue(self.spanish.wa_opt_out)
        self.assertEqual(event.wa_confirmation_state, "cancelled_by_patient")

    # ------------------------------------------------------------------ moved, cancelled
    def test_moving_an_appointment_rearms_and_tells_the_patient(self):
        event = self._appointment(self.rome(2026, 11, 26, 10, 30))
        self._confirmation_sent(event)
        self._patient_presses(PATIENT_NUMBER, "I confirm")
        old_rows = event.wa_reminder_ids

        new_start = self.rome(2026, 12, 1, 15, 0)
        event.write({"start": new_start, "stop": new_start + timedelta(minutes=30)})
        self.assertEqual(event.wa_confirmation_state, "to_confirm")
        moved = self._messages(event, "appointment_moved")
        self.assertEqual(len(moved), 1)
        self.assertEqual(moved.state, "queued")
        new_rows = event.wa_reminder_ids.filtered(lambda r: r.appointment_start == new_start)
        self.assertEqual(
            {r.rule_id: r.due_at for r in new_rows},
            {
                # Sunday: the Friday before, just before closing.
                self.rule_48h: self.rome(2026, 11, 27, 18, 59),
                # 13:00 is the lunch break: the last minute of the morning.
                self.rule_2h: self.rome(2026, 12, 1, 12, 59),
            },
        )
        self.assertTrue(all(r.state != "armed" for r in old_rows.exists()))
        self.dispatch()
        sent = self._sent_templates(PATIENT_NUMBER)[-1]
        self.assertEqual(sent[0], "appointment_moved")
        self.assertEqual(sent[2][2], "Tuesday 1 December at 15:00")

    def test_moving_before_any_reminder_tells_nobody(self):
        event = self._appointment(self.rome(2026, 11, 27, 10, 30))
        event.write({"start": self.rome(2026, 11, 30, 10, 30)})
        self.assertFalse(self._messages(event))

    def test_cancelling_withdraws_queued_reminders_and_notifies(self):
        event = self._appointment(self.rome(2026, 11, 26, 10, 30))
        self._confirmation_sent(event)
        reminder = event.action_wa_send_reminder() and self._messages(event, "appointment_reminder")
        self.assertEqual(reminder.state, "queued")
        armed = event.wa_reminder_ids.filtered(lambda r: r.state == "armed")
        self.assertTrue(armed)

        event.action_archive()
        self.assertEqual(reminder.state, "cancelled")
        self.assertEqual(set(armed.mapped("state")), {"cancelled"})
        notice = self._messages(event, "appointment_cancelled")
        self.assertEqual(notice.state, "queued")
        self.dispatch()
        self.assertEqual(
            [name for name, _lang, _params in self._sent_templates(PATIENT_NUMBER)],
            ["appointment_confirmation", "appointment_cancelled"],
        )
        # The cron finds nothing left to send about it.
        with freeze_time(self.rome(2026, 11, 26, 9, 0)):
            self._send_due_reminders()
        self.assertEqual(len(self._messages(event)), 3)

    def test_pressing_ask_for_confirmation_twice_queues_one_request(self):
        event = self._appointment(self.rome(2026, 11, 26, 10, 30))
        with freeze_time("2026-11-24 20:00:00"):  # closed: the first request waits
            event.with_user(self.reception).action_wa_send_confirmation()
            with self.assertRaisesRegex(UserError, "already waiting.*queued on"):
                event.with_user(self.reception).action_wa_send_confirmation()
        self.assertEqual(len(self._messages(event, "appointment_confirmation")), 1)

    def test_a_confirmation_pressed_at_night_gets_no_acknowledgement(self):
        event = self._appointment(self.rome(2026, 11, 26, 10, 30))
        self._confirmation_sent(event)
        self.env.ref("dental_whatsapp.template_message_received_closed_en").with_context(
            wa_template_sync=True
        ).write({"review_state": "approved", "meta_status": "approved"})
        with freeze_time("2026-11-24 21:00:00"):
            self._patient_presses(PATIENT_NUMBER, "I confirm")
            self.dispatch()
        self.assertEqual(event.wa_confirmation_state, "confirmed")
        sent = [m["template"] for m in self.sim_sent(self.patient)]
        self.assertNotIn("message_received_closed", sent, "the module already answered it")

    def test_a_patient_who_cancelled_gets_no_cancellation_notice(self):
        event = self._appointment(self.rome(2026, 11, 26, 10, 30))
        self._confirmation_sent(event)
        self._patient_presses(PATIENT_NUMBER, "I cancel")
        event.action_archive()
        self.assertFalse(self._messages(event, "appointment_cancelled"))

    # ------------------------------------------------------------------ buttons, composer
    def test_list_buttons_send_to_many_and_say_what_was_refused(self):
        self.spanish.wa_opt_out = True  # appointments are essential: still sent
        self.italian.wa_consent_care = False  # no consent: refused, with the reason
        events = self.env["calendar.event"]
        for patient in (self.patient, self.italian, self.spanish):
            events |= self._appointment(self.rome(2026, 11, 26, 10, 30), patient=patient)
        action = events.with_user(self.reception).action_wa_send_reminder()
        self.assertEqual(action["params"]["type"], "warning")
        self.assertIn("2 queued, 1 not sent", action["params"]["message"])
        refused = self._messages(events[1])
        self.assertEqual(refused.state, "cancelled")
        self.assertIn("consent", refused.error_message)

    def test_composer_previews_refuses_in_words_and_sends(self):
        event = self._appointment(self.rome(2026, 11, 26, 10, 30), patient=self.italian)
        action = event.with_user(self.reception).action_wa_open_composer()
        composer = Form(
            self.env[action["res_model"]]
            .with_user(self.reception)
            .with_context(**action["context"])
        )
        self.assertEqual(composer.partner_id, self.italian)
        # Only Italian templates for appointments are offered.
        offered = self.env["dental.whatsapp.template"].browse(
            [t.id for t in composer.available_template_ids]
        )
        self.assertEqual(set(offered.mapped("language")), {"it"})
        self.assertIn("appointment_reminder", offered.mapped("name"))
        composer.template_id = offered.filtered(lambda t: t.name == "appointment_reminder")
        self.assertIn("giovedì 26 novembre alle 10:30", composer.preview)
        self.assertIn("Giulia Bianchi", composer.preview)
        self.assertFalse(composer.policy_message)

        # Free text: the patient has not written in the last 24 hours.
        composer.mode = "text"
        composer.body = "Buongiorno, ricordi di portare la radiografia."
        self.assertFalse(composer.window_open)
        self.assertIn("24", composer.policy_message)
        wizard = composer.save()
        with self.assertRaises(UserError):
            wizard.action_send()
        self.assertFalse(self._messages(event), "a refused message is not queued")

        composer.mode = "template"
        composer.schedule = "later"
        composer.scheduled_at = self.rome(2026, 11, 25, 9, 0)
        composer.save().action_send()
        message = self._messages(event)
        self.assertEqual(message.state, "queued")
        self.assertEqual(message.scheduled_at, self.rome(2026, 11, 25, 9, 0))
        self.assertEqual(message.author_id, self.reception)

    def test_composer_from_the_patients_action_menu_answers_within_the_window(self):
        self._patient_writes(ITALIAN_NUMBER, "Posso portare mia figlia alla visita?")
        Composer = self.env["dental.whatsapp.composer"].with_user(self.reception)
        composer = Form(
            Composer.with_context(active_model="res.partner", active_ids=self.italian.ids)
        )
        self.assertEqual(composer.partner_id, self.italian)
        composer.mode = "text"
        self.assertTrue(composer.window_open)
        composer.body = "Prenda 600 mg di ibuprofene ogni 8 ore"
        self.assertIn("ibuprofene", composer.policy_message)
        wizard = composer.save()
        with self.assertRaises(UserError):
            wizard.action_send()
        self.assertFalse(self.sim_messages(ITALIAN_NUMBER))

        composer.body = "Certo, può venire con sua figlia. A domani."
        self.assertFalse(composer.policy_message)
        composer.save().action_send()
        self.dispatch()
        sent = self.sim_messages(ITALIAN_NUMBER)
        self.assertEqual(
            [m["payload"]["text"]["body"] for m in sent if m["payload"].get("text")],
            ["Certo, può venire con sua figlia. A domani."],
        )

    def test_an_italian_or_spanish_receptionist_reads_the_refusal_in_their_language(self):
        self.env["ir.module.module"]._load_module_terms(["dental_whatsapp"], ["it_IT", "es_ES"])
        event = self._appointment(self.rome(2026, 11, 26, 10, 30), patient=self.italian)
        expected = {
            "it_IT": "il paziente non ha scritto nelle ultime 24 ore",
            "es_ES": "el paciente no ha escrito en las últimas 24 horas",
        }
        for lang, words in expected.items():
            self.reception.lang = lang
            action = event.with_user(self.reception).action_wa_open_composer()
            composer = Form(
                self.env[action["res_model"]]
                .with_user(self.reception)
                .with_context(action["context"], lang=lang)
            )
            composer.mode = "text"
            composer.body = "Buongiorno"
            self.assertIn(words, composer.policy_message)

    def test_the_composer_offers_what_fits_the_appointment_by_its_name(self):
        with freeze_time(self.rome(2026, 11, 24, 9, 0)):
            live = self._appointment(self.rome(2026, 11, 26, 10, 30))
            cancelled = self._appointment(self.rome(2026, 11, 27, 10, 30))
            cancelled.action_archive()

            def offered(event):
                composer = (
                    self.env["dental.whatsapp.composer"]
                    .with_user(self.reception)
                    .create({"res_model": "calendar.event", "res_ids": str(event.ids)})
                )
                return composer.available_template_ids

            on_live = offered(live)
            self.assertNotIn("appointment_cancelled", on_live.mapped("name"))
            self.assertIn("appointment_reminder", on_live.mapped("name"))
            self.assertIn(
                "Appointment reminder (no buttons) (en)",
                on_live.mapped("display_name"),
                "shown by what it is for, in the patient's language",
            )
            on_cancelled = offered(cancelled)
            self.assertIn("appointment_cancelled", on_cancelled.mapped("name"))
            self.assertNotIn("appointment_reminder", on_cancelled.mapped("name"))


@tagged("post_install", "-at_install")
class TestConcurrentReminderRuns(WhatsappCase):
    """Two reminder crons (two workers) on the same committed appointments."""

    EVENTS = 60

    def setUp(self):
        super().setUp()
        # Committed through cursors of their own (the test transaction is invisible to
        # other connections); removed in SQL by the cleanup.
        with self.registry.cursor() as cr:
            env = self._committed_env(cr)
            kind = env["dental.whatsapp.appointment.type"].create({"name": "Concurrency check"})
            # A database without demo data has no number: the runs need one to queue on.
            account = env["dental.whatsapp.account"]
            if not account.search_count([]):
                account = account.create(
                    {
                        "name": "Concurrency number",
                        "phone_number_id": "100000000000777",
                        "waba_id": WABA_ID,
                        "access_token": TOKEN,
                        "app_secret": APP_SECRET,
                        "base_url": self.sim.url,
                    }
                )
            template = env["dental.whatsapp.template"].create(
                {
                    "name": "concurrency_reminder",
                    "language": "en",
                    "message_category": "care",
                    "body": "Reminder for {{1}}.",
                    "variable_ids": [
                        Command.create({"index": 1, "name": "Name", "field_path": "name"})
                    ],
                }
            )
            template.with_context(wa_template_sync=True).write(
                {"review_state": "approved", "meta_status": "approved"}
            )
            rule = env["dental.whatsapp.reminder.rule"].create(
                {
                    "name": "Concurrency 24 h",
                    "offset_hours": 24,
                    "appointment_type_ids": [Command.set(kind.ids)],
                    "template_id": template.id,
                }
            )
            patient = env["res.partner"].create(
                {
                    "name": "Concurrent patient",
                    "whatsapp_number": "+393339990001",
                    "wa_consent_care": True,
                }
            )
            # Wednesday 10:00 in Rome: the 24 h reminders are due now (Tuesday 10:00).
            start = self.rome(2026, 11, 25, 10, 0)
            events = (
                env["calendar.event"]
                .with_context(no_mail_to_attendees=True)
                .create(
                    [
                        {
                            "name": f"Visit {n}",
                            "start": start,
                            "stop": start + timedelta(minutes=30),
                            "partner_ids": [Command.set(patient.ids)],
                            "wa_appointment_type_id": kind.id,
                        }
                        for n in range(self.EVENTS)
                    ]
                )
            )
            self.ids = {
                "kind": kind.id,
                "template": template.id,
                "rule": rule.id,
                "patient": patient.id,
                "events": tuple(events.ids),
                "account": account.id or 0,
            }
        self.addCleanup(self._cleanup)

    def _cleanup(self):
        ids = self.ids
        with self.registry.cursor() as cr:
            # Evidence rows are protected from the ORM's unlink: remove test data in SQL.
            cr.execute(
                "DELETE FROM dental_whatsapp_message WHERE model = 'calendar.event' "
                "AND res_id IN %s",
                (ids["events"],),
            )
            self._purge(cr, "calendar.event", ids["events"])
            cr.execute("DELETE FROM dental_whatsapp_reminder_rule WHERE id = %s", (ids["rule"],))
            cr.execute("DELETE FROM dental_whatsapp_template WHERE id = %s", (ids["template"],))
            cr.execute("DELETE FROM dental_whatsapp_appointment_type WHERE id = %s", (ids["kind"],))
            self._purge(cr, "res.partner", ids["patient"])
            cr.execute("DELETE FROM dental_whatsapp_account WHERE id = %s", (ids["account"],))

    def test_two_concurrent_runs_queue_one_message_per_appointment_and_rule(self):
        done, errors = self._run_together(
            lambda env: env["dental.whatsapp.reminder"]._wa_send_due(batch_size=5, commit=True)
        )
        self.assertEqual(errors, [])
        self.assertTrue(all(done), f"one run did all the work: {done}")

        with self.registry.cursor() as cr:
            cr.execute(
                "SELECT res_id, count(*) FROM dental_whatsapp_message "
                "WHERE model = 'calendar.event' AND res_id IN %s AND template_id = %s "
                "GROUP BY res_id",
                (self.ids["events"], self.ids["template"]),
            )
            per_event = dict(cr.fetchall())
            cr.execute(
                "SELECT state, count(*) FROM dental_whatsapp_reminder "
                "WHERE rule_id = %s GROUP BY state",
                (self.ids["rule"],),
            )
            rows = dict(cr.fetchall())
        self.assertEqual(len(per_event), self.EVENTS, "every appointment got its reminder")
        self.assertEqual(set(per_event.values()), {1}, "an appointment got a reminder twice")
        self.assertEqual(rows, {"done": self.EVENTS})
