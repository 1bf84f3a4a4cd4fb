"""Booking on WhatsApp: a patient who asks to move chooses a free time from a list, a new
patient writing at night books a first visit that reception confirms in the morning.
End to end through the simulator (real HTTP, Meta's list messages)."""

from datetime import timedelta

import psycopg2
from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import freeze_time, new_test_user, tagged
from odoo.tools import mute_logger

from ..models.dental_whatsapp_event import CONCURRENCY_ERRORS
from .common import WhatsappCase, WhatsappHttpCase

ITALIAN_NUMBER = "+393401112233"
SECOND_NUMBER = "+393405556677"
NEW_NUMBER = "+393409998877"
SHIPPED = (
    "appointment_reminder",
    "appointment_confirmation",
    "appointment_moved",
    "appointment_cancelled",
    "first_visit_confirmed",
    "message_received_closed",
    "message_received_busy",
)


@tagged("post_install", "-at_install")
class TestBooking(WhatsappHttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        env["res.lang"]._activate_lang("it_IT")
        # The Italian words the module sends on its own (the list's button and last row).
        env["ir.module.module"]._load_module_terms(["dental_whatsapp"], ["it_IT"], overwrite=True)
        cls.template.active = False  # the shared set-up's reminder competes with the shipped
        cls._approve_shipped(SHIPPED)
        cls.company.write(
            {
                "wa_booking_reschedule": True,
                "wa_booking_first_visit": True,
                "wa_booking_notice_days": 1,
                "wa_booking_mode": "move",
            }
        )
        cls.reception = new_test_user(
            env,
            login="reception_booking",
            groups="base.group_user,dental_whatsapp.group_reception",
            name="Reception Desk",
        )
        cls.employee = new_test_user(
            env, login="employee_booking", groups="base.group_user", name="Accountant"
        )
        cls.dentist = new_test_user(
            env,
            login="dentist_booking",
            groups="base.group_user,dental_whatsapp.group_dentist",
            name="Dott. Verdi",
        )
        cls.first_visit = env.ref("dental_whatsapp.appointment_type_first_visit")
        cls.first_visit.dentist_ids = cls.dentist
        cls.giulia = env["res.partner"].create(
            {
                "name": "Giulia Bianchi",
                "whatsapp_number": ITALIAN_NUMBER,
                "lang": "it_IT",
                "wa_consent_care": True,
            }
        )
        cls.paolo = env["res.partner"].create(
            {
                "name": "Paolo Neri",
                "whatsapp_number": SECOND_NUMBER,
                "lang": "it_IT",
                "wa_consent_care": True,
            }
        )

    # ------------------------------------------------------------------ helpers
    def _appointment(self, start, patient, minutes=30):
        return (
            self.env["calendar.event"]
            .with_context(no_mail_to_attendees=True)
            .create(
                {
                    "name": f"Igiene {patient.name}",
                    "start": start,
                    "stop": start + timedelta(minutes=minutes),
                    "user_id": self.reception.id,
                    "wa_dentist_id": self.dentist.id,
                    "partner_ids": [Command.set([patient.id, self.dentist.partner_id.id])],
                    "patient_id": patient.id,
                }
            )
        )

    def _asked_to_confirm(self, event):
        event.action_wa_send_confirmation()
        self.dispatch()

    def _writes(self, number, text):
        self.sim_call(
            "POST", "/_sim/inbound", json={"from": number[1:], "type": "text", "text": text}
        )
        self.flush_webhooks()
        self.process_events()
        self.dispatch()

    def _presses(self, number, row):
        self.sim_call("POST", "/_sim/press", json={"from": number[1:], "button": row})
        self.flush_webhooks()
        self.process_events()
        self.dispatch()

    def _lists(self, number):
        """The rows of each list the simulator received for ``number``, in order."""
        return [
            [
                row["title"]
                for section in sent["payload"]["interactive"]["action"]["sections"]
                for row in section["rows"]
            ]
            for sent in self.sim_messages(number)
            if sent["payload"].get("type") == "interactive"
        ]

    def _texts(self, number):
        return [m["text"] for m in self.sim_sent(number=number) if m["text"]]

    def _templates(self, number):
        """(name, body parameters) of each template the simulator received."""
        return [(m["template"], m["params"]) for m in self.sim_sent(number=number) if m["template"]]

    def _todo(self, partner):
        return self.env["mail.activity"].search(
            [("res_model", "=", "res.partner"), ("res_id", "=", partner.id)]
        )

    # ------------------------------------------------------------------ moving
    def test_devo_spostare_gets_free_times_and_pressing_one_moves_the_appointment(self):
        event = self._appointment(self.rome(2026, 11, 26, 10, 30), self.giulia)
        # The dentist is taken on Wednesday 9:00-10:00; lunch and closing are not offered.
        self._appointment(self.rome(2026, 11, 25, 9, 0), self.paolo, minutes=60)
        self._asked_to_confirm(event)
        self._writes(ITALIAN_NUMBER, "Buongiorno, devo spostare purtroppo")

        self.assertEqual(event.wa_confirmation_state, "reschedule_requested")
        todo = self._todo(self.giulia)
        self.assertEqual(todo.summary, "Reschedule the appointment")
        [rows] = self._lists(ITALIAN_NUMBER)
        # Notice of one working day: from Wednesday; 9:00-10:00 busy; three a day.
        self.assertEqual(
            rows,
            [
                "mer 25 nov, 10:00",
                "mer 25 nov, 10:30",
                "mer 25 nov, 11:00",
                "gio 26 nov, 09:00",
                "gio 26 nov, 09:30",
                "gio 26 nov, 10:00",
                "ven 27 nov, 09:00",
                "ven 27 nov, 09:30",
                "ven 27 nov, 10:00",
                "Nessuno di questi",
            ],
            "nine free times in Italian, then 'none of these'",
        )
        reminders_before = event.wa_reminder_ids.filtered(lambda r: r.state == "armed")

        self._presses(ITALIAN_NUMBER, "ven 27 nov, 10:00")

        self.assertEqual(event.start, self.rome(2026, 11, 27, 10, 0))
        self.assertEqual(event.stop, self.rome(2026, 11, 27, 10, 30))
        self.assertEqual(event.wa_confirmation_state, "confirmed")
        armed = event.wa_reminder_ids.filtered(lambda r: r.state == "armed")
        rules = self.env.ref("dental_whatsapp.reminder_rule_48h") | self.env.ref(
            "dental_whatsapp.reminder_rule_2h"
        )
        self.assertEqual(armed.rule_id, rules, "both reminders, for Friday 10:00")
        self.assertEqual(set(armed.mapped("appointment_start")), {event.start})
        self.assertFalse(reminders_before.exists() & armed)
        moved = [p for name, p in self._templates(ITALIAN_NUMBER) if name == "appointment_moved"]
        self.assertEqual(len(moved), 1, "one confirmation of the new time")
        self.assertIn("venerdì 27 novembre alle 10:00", moved[0])
        self.assertFalse(self._todo(self.giulia), "the patient chose: nobody has to call")
        conversation = self.env["dental.whatsapp.conversation"].search(
            [("partner_id", "=", self.giulia.id)]
        )
        notes = conversation.message_ids.filtered(lambda m: "chose" in (m.body or ""))
        self.assertEqual(len(notes), 1)
        self.assertIn("ven 27 nov, 10:00", notes.body)
        self.assertIn("it was giovedì 26 novembre alle 10:30", notes.body)
        choice = conversation.wa_message_ids.filtered(lambda m: m.direction == "in")[:1]
        self.assertEqual(choice.body, "ven 27 nov, 10:00")

    def test_a_proposed_day_asks_to_move_and_not_coming_cancels(self):
        event = self._appointment(self.rome(2026, 11, 26, 10, 30), self.giulia)
        self._asked_to_confirm(event)
        self._writes(ITALIAN_NUMBER, "Possiamo fare venerdì invece?")
        self.assertEqual(event.wa_confirmation_state, "reschedule_requested")
        self.assertEqual(len(self._lists(ITALIAN_NUMBER)), 1)

        other = self._appointment(self.rome(2026, 11, 27, 15, 0), self.paolo)
        self._asked_to_confirm(other)
        self._writes(SECOND_NUMBER, "Non vengo più, grazie")
        self.assertEqual(other.wa_confirmation_state, "cancelled_by_patient")
        self.assertFalse(self._lists(SECOND_NUMBER), "a cancellation gets no list")

    def test_a_time_the_patient_cancelled_is_offered_to_the_next(self):
        paolo = self._appointment(self.rome(2026, 11, 25, 9, 0), self.paolo)
        self._asked_to_confirm(paolo)
        self._writes(SECOND_NUMBER, "Non vengo più, grazie")
        self.assertEqual(paolo.wa_confirmation_state, "cancelled_by_patient")
        giulia = self._appointment(self.rome(2026, 11, 30, 10, 30), self.giulia)
        self._asked_to_confirm(giulia)
        self._writes(ITALIAN_NUMBER, "devo spostare")
        self.assertEqual(self._lists(ITALIAN_NUMBER)[0][0], "mer 25 nov, 09:00")

    def test_two_patients_press_the_same_time_one_gets_it_the_other_a_fresh_list(self):
        giulia = self._appointment(self.rome(2026, 11, 30, 10, 30), self.giulia)
        paolo = self._appointment(self.rome(2026, 11, 30, 11, 30), self.paolo)
        self._asked_to_confirm(giulia)
        self._asked_to_confirm(paolo)
        self._writes(ITALIAN_NUMBER, "devo spostare")
        self._writes(SECOND_NUMBER, "devo spostare")
        self.assertEqual(self._lists(ITALIAN_NUMBER)[0][0], "mer 25 nov, 09:00")
        self.assertEqual(self._lists(SECOND_NUMBER)[0][0], "mer 25 nov, 09:00")

        self._presses(ITALIAN_NUMBER, "mer 25 nov, 09:00")
        self._presses(SECOND_NUMBER, "mer 25 nov, 09:00")

        self.assertEqual(giulia.start, self.rome(2026, 11, 25, 9, 0))
        self.assertEqual(paolo.start, self.rome(2026, 11, 30, 11, 30), "never a double booking")
        lists = self._lists(SECOND_NUMBER)
        self.assertEqual(len(lists), 2, "Paolo gets the free times as they are now")
        self.assertNotIn("mer 25 nov, 09:00", lists[1])
        self.assertEqual(lists[1][0], "mer 25 nov, 09:30")
        fresh = self.sim_messages(SECOND_NUMBER)[-1]["payload"]["interactive"]
        self.assertIn("appena stato occupato", fresh["body"]["text"])
        # Paolo's fresh list works.
        self._presses(SECOND_NUMBER, "mer 25 nov, 09:30")
        self.assertEqual(paolo.start, self.rome(2026, 11, 25, 9, 30))

    def test_an_old_list_answers_with_a_fresh_one(self):
        event = self._appointment(self.rome(2026, 11, 30, 10, 30), self.giulia)
        self._asked_to_confirm(event)
        self._writes(ITALIAN_NUMBER, "devo spostare")
        with freeze_time("2026-11-25 10:00:00"):  # a day later: a list is valid 12 hours
            self._presses(ITALIAN_NUMBER, "mer 25 nov, 09:00")
        self.assertEqual(event.start, self.rome(2026, 11, 30, 10, 30))
        lists = self._lists(ITALIAN_NUMBER)
        self.assertEqual(len(lists), 2)
        self.assertEqual(lists[1][0], "gio 26 nov, 09:00", "from the next working day again")

    def test_none_of_these_leaves_the_to_do_for_reception(self):
        event = self._appointment(self.rome(2026, 11, 30, 10, 30), self.giulia)
        self._asked_to_confirm(event)
        self._writes(ITALIAN_NUMBER, "devo spostare")
        self._presses(ITALIAN_NUMBER, self._lists(ITALIAN_NUMBER)[0][-1])
        self.assertEqual(event.start, self.rome(2026, 11, 30, 10, 30))
        self.assertEqual(self._todo(self.giulia).summary, "Reschedule the appointment")
        self.assertIn("la reception La chiamerà", self._texts(ITALIAN_NUMBER)[-1])
        offer = self.env["dental.whatsapp.slot.offer"].search([("event_id", "=", event.id)])
        self.assertEqual(offer.state, "call_me")

    def test_reception_accepts_the_chosen_time_when_the_practice_says_so(self):
        self.company.wa_booking_mode = "propose"
        event = self._appointment(self.rome(2026, 11, 30, 10, 30), self.giulia)
        self._asked_to_confirm(event)
        self._writes(ITALIAN_NUMBER, "devo spostare")
        self._presses(ITALIAN_NUMBER, "mer 25 nov, 09:00")
        self.assertEqual(event.start, self.rome(2026, 11, 30, 10, 30), "not moved yet")
        self.assertEqual(event.wa_proposed_start, self.rome(2026, 11, 25, 9, 0))
        self.assertIn("La reception confermerà la modifica", self._texts(ITALIAN_NUMBER)[-1])
        self.assertEqual(self._todo(self.giulia).summary, "Accept the new time chosen on WhatsApp")

        # The held time is not offered to another patient meanwhile.
        other = self._appointment(self.rome(2026, 11, 30, 12, 0), self.paolo)
        self._asked_to_confirm(other)
        self._writes(SECOND_NUMBER, "devo spostare")
        self.assertEqual(self._lists(SECOND_NUMBER)[0][0], "mer 25 nov, 09:30")

        with self.assertRaises(AccessError):
            event.with_user(self.employee).action_wa_accept_new_time()
        event.with_user(self.reception).action_wa_accept_new_time()
        self.dispatch()
        self.assertEqual(event.start, self.rome(2026, 11, 25, 9, 0))
        self.assertFalse(event.wa_proposed_start)
        self.assertEqual(event.wa_confirmation_state, "confirmed")
        names = [name for name, _t in self._templates(ITALIAN_NUMBER)]
        self.assertEqual(names.count("appointment_moved"), 1)
        self.assertFalse(self._todo(self.giulia))

    def test_without_the_setting_reception_calls_back_as_before(self):
        self.company.wa_booking_reschedule = False
        event = self._appointment(self.rome(2026, 11, 30, 10, 30), self.giulia)
        self._asked_to_confirm(event)
        self._writes(ITALIAN_NUMBER, "devo spostare")
        self.assertFalse(self._lists(ITALIAN_NUMBER))
        self.assertEqual(self._todo(self.giulia).summary, "Reschedule the appointment")

    # ------------------------------------------------------------------ first visit
    def test_a_night_enquiry_books_a_first_visit_that_reception_confirms_in_the_morning(self):
        with freeze_time("2026-11-24 20:30:00"):  # 21:30 in Rome: closed
            self._writes(NEW_NUMBER, "Buonasera, vorrei prenotare una prima visita")
            patient = self.env["res.partner"].search([("whatsapp_number", "=", NEW_NUMBER)])
            self.assertTrue(patient.wa_new_enquiry)
            names = [name for name, _t in self._templates(NEW_NUMBER)]
            self.assertEqual(names, ["message_received_closed"], "the acknowledgement first")
            [rows] = self._lists(NEW_NUMBER)
            self.assertEqual(rows[0], "mer 25 nov, 09:00")

            self._presses(NEW_NUMBER, "mer 25 nov, 09:30")

            event = self.env["calendar.event"].search([("patient_id", "=", patient.id)])
            self.assertEqual(event.start, self.rome(2026, 11, 25, 9, 30))
            self.assertEqual(event.wa_dentist_id, self.dentist)
            self.assertEqual(event.wa_appointment_type_id, self.first_visit)
            self.assertTrue(event.wa_booking_to_confirm)
            self.assertIn("La reception la confermerà", self._texts(NEW_NUMBER)[-1])
            conversation = self.env["dental.whatsapp.conversation"].search(
                [("partner_id", "=", patient.id)]
            )
            self.assertEqual(conversation.first_visit_event_id, event)
            self.assertFalse(conversation.activity_ids, "nobody is asked at night")

        with freeze_time("2026-11-25 08:00:00"):  # 9:00 in Rome: the practice opens
            self.env["dental.whatsapp.conversation"]._cron_desk()
            todo = conversation.activity_ids
            self.assertEqual(todo.summary, "Confirm the first visit")
            with self.assertRaises(AccessError):
                event.with_user(self.employee).action_wa_confirm_first_visit()
            with self.assertRaises(AccessError):
                event.with_user(self.reception).write({"wa_booking_to_confirm": False})
            event.with_user(self.reception).action_wa_confirm_first_visit()
            self.dispatch()
        self.assertFalse(event.wa_booking_to_confirm)
        self.assertFalse(conversation.activity_ids)
        confirmed = [
            p for name, p in self._templates(NEW_NUMBER) if name == "first_visit_confirmed"
        ]
        self.assertEqual(len(confirmed), 1)
        self.assertIn("mercoledì 25 novembre alle 09:30", confirmed[0])

    def test_a_daytime_enquiry_keeps_one_to_do_which_becomes_confirm_the_first_visit(self):
        self._writes(NEW_NUMBER, "Buongiorno, vorrei prenotare una prima visita")
        self.env["dental.whatsapp.conversation"]._cron_desk()  # open: the call-back now
        conversation = self.env["dental.whatsapp.conversation"].search(
            [("partner_id.whatsapp_number", "=", NEW_NUMBER)]
        )
        self.assertEqual(conversation.activity_ids.summary, "Call back: first visit request")
        self._presses(NEW_NUMBER, "mer 25 nov, 10:00")
        self.env["dental.whatsapp.conversation"]._cron_desk()
        self.assertEqual(len(conversation.activity_ids), 1, "one to-do, not a second call-back")
        self.assertEqual(conversation.activity_ids.summary, "Confirm the first visit")
        self.assertIn("Wednesday 25 November at 10:00", conversation.activity_ids.note)
        with freeze_time("2026-11-24 09:30:00"):  # well past the acknowledgement delay
            self.env["dental.whatsapp.conversation"]._cron_desk()
            self.dispatch()
        names = [name for name, _p in self._templates(NEW_NUMBER)]
        self.assertNotIn("message_received_busy", names, "the list was the answer")

    def test_an_angry_or_urgent_newcomer_gets_a_person_not_a_list(self):
        self._writes("+393401230001", "Siete degli incompetenti, vergognatevi!!!")
        self._writes("+393401230002", "Ho la guancia gonfia fino all'occhio, cosa faccio?")
        self.assertFalse(self._lists("+393401230001"))
        self.assertFalse(self._lists("+393401230002"))
        self._writes("+393401230003", "Buongiorno, vorrei prenotare una prima visita")
        self.assertEqual(len(self._lists("+393401230003")), 1)

    def test_free_times_and_their_offers_are_for_the_practice_staff_only(self):
        event = self._appointment(self.rome(2026, 11, 30, 10, 30), self.giulia)
        self._asked_to_confirm(event)
        self._writes(ITALIAN_NUMBER, "devo spostare")
        offer = self.env["dental.whatsapp.slot.offer"].search([("event_id", "=", event.id)])
        self.assertTrue(offer)
        with self.assertRaises(AccessError):
            offer.with_user(self.employee).read(["slots"])
        self.assertEqual(offer.with_user(self.reception).partner_id, self.giulia)
        with self.assertRaises(AccessError):
            offer.with_user(self.reception).write({"state": "booked"})

    def test_tour_reception_sees_the_moved_appointment_and_the_patients_choice(self):
        event = self._appointment(self.rome(2026, 11, 26, 10, 30), self.giulia)
        self._appointment(self.rome(2026, 11, 25, 9, 0), self.paolo, minutes=60)
        self._asked_to_confirm(event)
        self._writes(ITALIAN_NUMBER, "devo spostare")
        self._presses(ITALIAN_NUMBER, "gio 26 nov, 09:30")
        self.reception.tz = "Europe/Rome"
        self.env.flush_all()  # the browser reads the database
        self.start_tour(
            "/odoo/action-dental_whatsapp.action_dental_whatsapp_conversation",
            "dental_whatsapp_booking_conversation_tour",
            login=self.reception.login,
        )
        self.start_tour(
            f"/odoo/action-dental_whatsapp.action_dental_appointments/{event.id}",
            "dental_whatsapp_booking_event_tour",
            login=self.reception.login,
        )


@tagged("post_install", "-at_install")
class TestBookingRace(WhatsappCase):
    """Two patients choosing the same time at the same moment, in two workers: the
    booking rewrites the dentist's row first, so the later transaction fails on the
    concurrent update (and its webhook event is tried again, then sees the booking)
    instead of booking the same chair twice. Committed cursors: the test transaction
    is invisible to other connections."""

    def test_the_second_of_two_simultaneous_bookings_fails_and_is_tried_again(self):
        # A user row no test writes (a user created here would wait for the test
        # transaction's own locks): the mechanism, not who the dentist is, is tested.
        dentist_id = self.env.ref("base.public_user").id
        with self.registry.cursor() as first, self.registry.cursor() as second:
            Offer1 = self._committed_env(first)["dental.whatsapp.slot.offer"]
            Offer2 = self._committed_env(second)["dental.whatsapp.slot.offer"]
            second.execute("SELECT 1")  # the second worker's snapshot is taken
            Offer1._wa_lock_diaries(Offer1.env["res.users"].browse(dentist_id))
            first.commit()  # the first patient's booking is in
            with mute_logger("odoo.sql_db"), self.assertRaises(psycopg2.Error) as caught:
                Offer2._wa_lock_diaries(Offer2.env["res.users"].browse(dentist_id))
            self.assertIsInstance(caught.exception, CONCURRENCY_ERRORS)
            second.rollback()
