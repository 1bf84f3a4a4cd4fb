"""The conversation desk, end to end: the simulator's patient writes over real HTTP
(signed webhooks), Odoo's desk reacts, replies leave through the outbox to the
simulator's phone."""

import json
from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, freeze_time, new_test_user, tagged

from ..const import ACK_BUSY_TEMPLATE, ACK_CLOSED_TEMPLATE
from .common import PATIENT_NUMBER, WhatsappHttpCase

# Tuesday 24 November 2026 in Rome (UTC+1): open 09-13 and 14-19.
TUESDAY_10 = "2026-11-24 09:00:00"
TUESDAY_12_50 = "2026-11-24 11:50:00"
TUESDAY_21 = "2026-11-24 20:00:00"
TUESDAY_22 = "2026-11-24 21:00:00"


@tagged("post_install", "-at_install")
class TestDesk(WhatsappHttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.reception = new_test_user(
            cls.env,
            login="desk_reception",
            name="Giulia Reception",
            groups="base.group_user,dental_whatsapp.group_reception",
        )
        cls.manager = new_test_user(
            cls.env,
            login="desk_manager",
            name="Dott. Verdi",
            groups="base.group_user,dental_whatsapp.group_manager",
        )
        cls.employee = new_test_user(
            cls.env, login="desk_employee", name="Accounting", groups="base.group_user"
        )
        cls.company.wa_emergency_phone = "+39 333 0000000"
        cls.company.wa_escalation_user_id = cls.manager
        cls._approve_shipped([ACK_BUSY_TEMPLATE, ACK_CLOSED_TEMPLATE])

    # ------------------------------------------------------------------ helpers
    def patient_writes(self, text, number=PATIENT_NUMBER, **extra):
        body = {"from": number.lstrip("+"), "type": "text", "text": text, **extra}
        sent = self.sim_call("POST", "/_sim/inbound", json=body)
        self.flush_webhooks()
        self.process_events()
        return sent["id"]

    def conversation_of(self, partner):
        return self.env["dental.whatsapp.conversation"].search(
            [("partner_id", "=", partner.id), ("account_id", "=", self.account.id)]
        )

    def sim_inbound(self, message_id):
        """The simulator's copy of a message the patient sent (its read state)."""
        for thread in self.sim_call("GET", "/_sim/conversations"):
            for message in thread["messages"]:
                if message["id"] == message_id:
                    return message
        raise AssertionError(f"the simulator has no message {message_id}")

    def desk_cron(self):
        self.env["dental.whatsapp.conversation"]._cron_desk()

    def acks(self, partner):
        return [
            m
            for m in self.sim_sent(partner)
            if m["template"] in (ACK_BUSY_TEMPLATE, ACK_CLOSED_TEMPLATE)
        ]

    # ------------------------------------------------------------------ the 24 h rule
    def test_free_text_to_a_patient_who_never_wrote_is_refused(self):
        self.assertFalse(self.patient.wa_last_inbound_date)
        with self.assertRaisesRegex(UserError, "24 hours"):
            self.enqueue(self.patient, template=None, body="Buongiorno")
        self.assertFalse(self.sim_sent(self.patient))

    def test_free_text_24_hours_and_1_minute_after_the_patient_is_refused(self):
        self.patient_writes("Posso spostare l'appuntamento?")
        last = self.patient.wa_last_inbound_date
        with freeze_time(last + timedelta(hours=23, minutes=59)):
            message = self.enqueue(self.patient, template=None, body="Certo, a che ora?")
            self.assertEqual(message.state, "queued")
            message._wa_cancel("test")
        with (
            freeze_time(last + timedelta(hours=24, minutes=1)),
            self.assertRaisesRegex(UserError, "24 hours"),
        ):
            self.enqueue(self.patient, template=None, body="Certo, a che ora?")

    # ------------------------------------------------------------------ new -> opened -> waiting
    def test_a_patient_writes_reception_opens_and_answers(self):
        wamid = self.patient_writes("Buongiorno, ho un dente che fa male")
        conversation = self.conversation_of(self.patient)
        self.assertEqual(conversation.state, "new")
        self.assertEqual(conversation.unread_count, 1)
        self.assertIn("dente che fa male", conversation.last_inbound_preview)
        # Reception is told in Odoo (inbox notification and the bus), never by e-mail...
        notification = self.env["mail.notification"].search(
            [
                ("res_partner_id", "=", self.reception.partner_id.id),
                ("mail_message_id.model", "=", conversation._name),
                ("mail_message_id.res_id", "=", conversation.id),
            ]
        )
        self.assertEqual(notification.notification_type, "inbox")
        self.assertFalse(notification.is_read)
        self.assertFalse(
            self.env["mail.mail"].search([("model", "=", conversation._name)]),
            "patient data must not leave by e-mail",
        )
        bus = self.env["bus.bus"].search([("message", "like", "dental_whatsapp/conversation")])
        self.assertTrue(
            any(
                json.loads(b.message)["payload"][0]["id"] == conversation.id
                for b in bus
                if json.loads(b.channel)[1] == "res.partner"
                and json.loads(b.channel)[2] == self.reception.partner_id.id
            ),
            "the reception's open screens hear of the conversation",
        )
        # ... and the patient sees no blue ticks until a person opens it.
        self.assertNotEqual(self.sim_inbound(wamid).get("status"), "read")

        conversation.with_user(self.reception).action_mark_opened()
        self.assertTrue(notification.is_read, "seen: the messaging menu's counter drops")
        self.assertEqual(conversation.state, "opened")
        self.assertEqual(conversation.opened_by_id, self.reception)
        self.assertEqual(self.sim_inbound(wamid).get("status"), "read")

        conversation = conversation.with_user(self.reception)
        conversation.reply_body = "Venga pure oggi alle 16, La aspettiamo."
        conversation.action_send_reply()
        self.assertEqual(conversation.state, "waiting")
        self.assertFalse(conversation.reply_body, "the box is emptied once the reply is queued")
        self.dispatch()
        self.flush_webhooks()
        self.process_events()
        reply = conversation.wa_message_ids.filtered(lambda m: m.direction == "out")
        self.assertIn(reply.state, ("delivered", "read"))
        self.assertWhatsAppSent(self.patient, body_contains="Venga pure oggi alle 16")
        self.assertIn("Venga pure oggi", str(conversation.message_ids.mapped("body")))

    def test_typing_a_reply_shows_typing_to_the_patient(self):
        wamid = self.patient_writes("C'è posto domani?")
        conversation = self.conversation_of(self.patient).with_user(self.reception)
        conversation.reply_body = "Controllo subito"
        self.assertTrue(self.sim_inbound(wamid).get("typing"))

    def test_the_opening_hours_quick_reply_gives_the_practice_s_week(self):
        self.env["res.lang"]._activate_lang("it_IT")
        self.patient.lang = "it_IT"
        self.patient_writes("A che ora aprite?")
        conversation = self.conversation_of(self.patient).with_user(self.reception)
        with Form(conversation) as form:
            form.quick_reply_id = self.env.ref("dental_whatsapp.quick_reply_opening_hours")
            week = "lunedì\u2013venerdì 09:00\u201313:00, 14:00\u201319:00"  # en dashes
            self.assertIn(week, form.reply_body)
            self.assertNotIn("{opening_hours}", form.reply_body)

    def test_a_heart_in_the_reply_is_refused_with_the_reason(self):
        self.patient_writes("Grazie dottore")
        conversation = self.conversation_of(self.patient).with_user(self.reception)
        conversation.reply_body = "Grazie a Lei ❤️"
        self.assertIn("❤", conversation.reply_check)
        with self.assertRaisesRegex(UserError, "ambiguous emoji"):
            conversation.action_send_reply()
        self.assertEqual(conversation.reply_body, "Grazie a Lei ❤️", "nothing typed is lost")
        self.assertFalse(conversation.wa_message_ids.filtered(lambda m: m.direction == "out"))

    def test_outside_the_window_the_refusal_names_a_reviewed_template(self):
        conversation = self.env["dental.whatsapp.conversation"]._wa_for(self.account, self.patient)
        conversation = conversation.with_user(self.reception)
        conversation.reply_body = "Buongiorno"
        self.assertIn("24 hours", conversation.reply_check)
        with self.assertRaisesRegex(UserError, "Reviewed templates you can send instead"):
            conversation.action_send_reply()

    def test_the_chatter_composer_of_a_conversation_sends_whatsapp_not_email(self):
        self.patient_writes("Mi richiamate?")
        conversation = self.conversation_of(self.patient).with_user(self.reception)
        conversation.message_post(
            body="Certo, La chiamiamo tra poco.",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        self.assertFalse(self.env["mail.mail"].search([("model", "=", conversation._name)]))
        self.dispatch()
        self.assertWhatsAppSent(self.patient, body_contains="La chiamiamo tra poco")
        self.assertEqual(conversation.state, "waiting")
        # A log note stays internal.
        conversation.message_post(body="Paziente ansioso", subtype_xmlid="mail.mt_note")
        self.dispatch()
        self.assertEqual(len(self.sim_sent(self.patient)), 1)

    def test_a_reply_photo_is_sent_as_whatsapp_media(self):
        self.patient_writes("Mi manda le istruzioni?")
        attachment = self.env["ir.attachment"].create(
            {"name": "istruzioni.pdf", "raw": b"%PDF-1.4\n%%EOF\n", "mimetype": "application/pdf"}
        )
        conversation = self.conversation_of(self.patient).with_user(self.reception)
        conversation.write({"reply_body": "Ecco le istruzioni", "reply_attachment_ids": attachment})
        conversation.action_send_reply()
        self.dispatch()
        sent = self.sim_messages(PATIENT_NUMBER)
        self.assertEqual(sent[-1]["payload"]["type"], "document")
        self.assertEqual(sent[-1]["payload"]["document"]["caption"], "Ecco le istruzioni")

    def test_other_employees_cannot_see_or_open_conversations(self):
        self.patient_writes("Buongiorno")
        conversation = self.conversation_of(self.patient)
        with self.assertRaises(AccessError):
            conversation.with_user(self.employee).read(["last_inbound_preview"])
        with self.assertRaises(AccessError):
            conversation.with_user(self.employee).action_mark_opened()
        with self.assertRaises(AccessError):
            conversation.with_user(self.employee).message_post(
                body="x", message_type="comment", subtype_xmlid="mail.mt_comment"
            )

    def test_the_desk_state_cannot_be_written_over_rpc(self):
        with freeze_time(TUESDAY_12_50):
            self.patient_writes("Ho perso l'otturazione")
        conversation = self.conversation_of(self.patient).with_user(self.reception)
        for vals in ({"state": "done"}, {"is_late": False}, {"answer_due": False}):
            with self.assertRaises(AccessError):
                conversation.write(vals)
        conversation.write({"user_id": self.reception.id})  # taking it is allowed
        self.assertEqual(conversation.state, "new")
        with self.assertRaises(AccessError):
            self.env["dental.whatsapp.enquiry"].with_user(self.employee).create(
                {"conversation_id": conversation.id, "name": "X"}
            ).action_confirm()

    def test_only_the_practice_s_staff_can_be_assigned_or_told(self):
        self.patient_writes("Buongiorno")
        conversation = self.conversation_of(self.patient).with_user(self.reception)
        with self.assertRaises(ValidationError):
            conversation.write({"user_id": self.employee.id})
        # An employee who follows the patient with the WhatsApp subtype learns nothing.
        self.patient.message_subscribe(
            partner_ids=self.employee.partner_id.ids,
            subtype_ids=self.env.ref("dental_whatsapp.mt_whatsapp").ids,
        )
        self.patient_writes("Ho ancora dolore dopo l'estrazione")
        told = self.env["mail.notification"].search(
            [("res_partner_id", "=", self.employee.partner_id.id)]
        )
        self.assertFalse(told, "no inbox entry, no e-mail for an employee outside the desk")
        self.assertFalse(
            self.env["mail.mail"].search([("recipient_ids", "in", self.employee.partner_id.ids)])
        )

    def test_an_empty_reply_does_not_count_as_an_answer(self):
        with freeze_time(TUESDAY_12_50):
            self.patient_writes("Ho perso l'otturazione")
        with freeze_time(self.rome(2026, 11, 24, 14, 21)):
            self.desk_cron()
        conversation = self.conversation_of(self.patient).with_user(self.reception)
        with self.assertRaisesRegex(UserError, "Write the reply"):
            conversation.message_post(
                body="<p><br></p>", message_type="comment", subtype_xmlid="mail.mt_comment"
            )
        self.assertTrue(conversation.is_late)
        self.assertEqual(conversation.state, "new")

    def test_personal_words_in_a_desk_reply_are_flagged_for_a_dentist(self):
        self.patient_writes("Grazie per ieri")
        conversation = self.conversation_of(self.patient).with_user(self.reception)
        conversation.reply_body = "Di niente tesoro, a presto"
        self.assertIn("tesoro", conversation.reply_warning)
        conversation.action_send_reply()
        reply = conversation.wa_message_ids.filtered(lambda m: m.direction == "out")
        self.assertTrue(reply.flagged)
        self.assertIn("tesoro", reply.flag_reason)

    def test_a_photo_captioned_thanks_still_needs_a_person(self):
        self.patient_writes("Posso mandarle una foto?")
        conversation = self.conversation_of(self.patient).with_user(self.reception)
        conversation.reply_body = "Certo"
        conversation.action_send_reply()
        self.sim_call(
            "POST",
            "/_sim/inbound",
            json={"from": PATIENT_NUMBER[1:], "type": "image", "caption": "grazie"},
        )
        self.flush_webhooks()
        self.process_events()
        self.assertEqual(conversation.state, "new")

    def test_closing_a_conversation_leaves_a_trace(self):
        with freeze_time(TUESDAY_12_50):
            self.patient_writes("Ho perso l'otturazione")
        with freeze_time(self.rome(2026, 11, 24, 14, 21)):
            self.desk_cron()
        conversation = self.conversation_of(self.patient).with_user(self.reception)
        conversation.action_done()
        self.assertIn(
            "Closed without an answer by Giulia Reception, although it was late",
            " ".join(str(b) for b in conversation.message_ids.mapped("body")),
        )
        with self.assertRaises(AccessError):
            conversation.write({"activity_ids": [(5, 0, 0)]})

    def test_register_the_patient_is_only_for_enquiries(self):
        self.patient_writes("Buongiorno")
        conversation = self.conversation_of(self.patient)
        wizard = (
            self.env["dental.whatsapp.enquiry"]
            .with_user(self.reception)
            .create({"conversation_id": conversation.id, "name": "Someone Else"})
        )
        with self.assertRaisesRegex(UserError, "already a known contact"):
            wizard.action_confirm()
        self.assertEqual(self.patient.name, "Maria Rossi")
        with self.assertRaisesRegex(UserError, "not one of this practice's patients"):
            self.employee.partner_id.with_user(self.reception).action_wa_open_conversation()

    def test_a_conversation_never_emails_the_patient(self):
        self.patient.email = "maria@example.com"
        self.patient_writes("Buongiorno")
        conversation = self.conversation_of(self.patient)
        composer = (
            self.env["mail.compose.message"]
            .with_user(self.reception)
            .create(
                {
                    "composition_mode": "mass_mail",
                    "model": conversation._name,
                    "res_ids": str(conversation.ids),
                    "subject": "Promemoria",
                    "body": "<p>La sua cartella clinica</p>",
                }
            )
        )
        composer._action_send_mail()
        self.assertFalse(self.env["mail.mail"].search([("recipient_ids", "in", self.patient.ids)]))
        self.assertFalse(self.env["mail.mail"].search([("email_to", "ilike", "maria@")]))

    # ------------------------------------------------------------------ never seen-and-unanswered
    def test_late_in_opening_hours_gives_the_manager_an_activity(self):
        with freeze_time(TUESDAY_12_50):
            self.patient_writes("Ho perso l'otturazione")
        conversation = self.conversation_of(self.patient)
        # 10 minutes before the lunch break, 20 after it: the clock stops while closed.
        self.assertEqual(conversation.answer_due, self.rome(2026, 11, 24, 14, 20))
        with freeze_time(self.rome(2026, 11, 24, 14, 19)):
            self.desk_cron()
        self.assertFalse(conversation.is_late)
        with freeze_time(self.rome(2026, 11, 24, 14, 21)):
            self.desk_cron()
        self.assertTrue(conversation.is_late)
        self.assertEqual(conversation.sla_color, 1)
        late = self.env.ref("dental_whatsapp.mail_activity_type_late")
        activity = conversation.activity_ids.filtered(lambda a: a.activity_type_id == late)
        self.assertEqual(activity.user_id, self.manager)
        self.assertEqual(activity.summary, "WhatsApp not answered in time")
        # Answering closes it.
        with freeze_time(self.rome(2026, 11, 24, 14, 25)):
            conversation.with_user(self.reception).write({"reply_body": "La richiamiamo"})
            conversation.with_user(self.reception).action_send_reply()
        self.assertFalse(conversation.is_late)
        self.assertFalse(conversation.activity_ids.filtered(lambda a: a.activity_type_id == late))
        # A lost filling is a clinical question: the dentist's to-do stays until they answer.
        self.assertEqual(
            conversation.activity_ids.activity_type_id,
            self.env.ref("dental_whatsapp.mail_activity_type_clinical"),
        )

    def test_the_answer_time_counts_opening_hours_only(self):
        # Monday 30 November is a holiday of the practice.
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Festa",
                "calendar_id": self.calendar.id,
                "date_from": self.rome(2026, 11, 30, 0, 0),
                "date_to": self.rome(2026, 11, 30, 23, 59),
            }
        )
        cases = [
            ("lunch stops the clock", self.rome(2026, 11, 24, 12, 50), (2026, 11, 24, 14, 20)),
            ("written at night", self.rome(2026, 11, 24, 22, 0), (2026, 11, 25, 9, 30)),
            (
                "Friday evening, holiday Monday",
                self.rome(2026, 11, 27, 18, 50),
                (2026, 12, 1, 9, 20),
            ),
        ]
        conversation = self.env["dental.whatsapp.conversation"]
        for why, written, due in cases:
            with freeze_time(written):
                self.patient_writes("Ho perso l'otturazione")
                conversation = self.conversation_of(self.patient)
                self.assertEqual(conversation.answer_due, self.rome(*due), why)
                conversation.with_user(self.reception).action_done()

    def test_closed_hours_acknowledge_at_once_with_the_next_opening_once_in_12_hours(self):
        with freeze_time(TUESDAY_21):
            self.patient_writes("Mi fa male il dente del giudizio")
            self.dispatch()
            acks = self.acks(self.patient)
            self.assertEqual(len(acks), 1, "the acknowledgement leaves although it is closed")
            self.assertEqual(acks[0]["template"], ACK_CLOSED_TEMPLATE)
            self.assertIn("9:00", acks[0]["params"][1], "the next opening")
            self.assertIn("25", acks[0]["params"][1], "Wednesday 25th")
            self.assertEqual(acks[0]["params"][2], "+39 333 0000000")
        with freeze_time("2026-11-24 20:30:00"):
            self.patient_writes("È urgente")
            self.dispatch()
        self.assertEqual(len(self.acks(self.patient)), 1, "at most once in 12 hours")
        # Anything else written to the patient still waits for the opening.
        with freeze_time("2026-11-24 20:31:00"):
            conversation = self.conversation_of(self.patient).with_user(self.reception)
            conversation.reply_body = "La chiamiamo domattina"
            notice = conversation.action_send_reply()
            self.dispatch()
        self.assertEqual(len(self.sim_sent(self.patient)), 1)
        self.assertIn("leaves at the opening", notice["params"]["message"])
        held = conversation.wa_message_ids.filtered(lambda m: m.body == "La chiamiamo domattina")
        self.assertEqual(held.scheduled_at, self.rome(2026, 11, 25, 9, 0))
        self.assertIn("Held", str(held.mail_message_ids.mapped("body")))

    def test_without_a_reviewed_template_no_acknowledgement_leaves_and_the_desk_is_told(self):
        self.env["dental.whatsapp.template"].search(
            [("name", "=", ACK_CLOSED_TEMPLATE)]
        ).with_context(wa_template_sync=True).write({"review_state": "draft"})
        with freeze_time(TUESDAY_21):
            self.patient_writes("Mi fa male")
            self.dispatch()
        self.assertFalse(self.acks(self.patient), "only reviewed words leave on their own")
        conversation = self.conversation_of(self.patient)
        self.assertFalse(conversation.last_ack_date)
        self.assertIn(
            "No automatic acknowledgement was sent",
            " ".join(str(b) for b in conversation.message_ids.mapped("body")),
        )

    def test_open_hours_acknowledge_after_the_delay_unless_someone_answered(self):
        self.patient_writes("Vorrei un preventivo per uno sbiancamento")
        with freeze_time("2026-11-24 09:09:00"):
            self.desk_cron()
            self.dispatch()
        self.assertFalse(self.acks(self.patient))
        with freeze_time("2026-11-24 09:11:00"):
            self.desk_cron()
            self.dispatch()
        acks = self.acks(self.patient)
        self.assertEqual([a["template"] for a in acks], [ACK_BUSY_TEMPLATE])

    def test_no_acknowledgement_for_a_bare_thanks_or_an_answered_conversation(self):
        self.patient_writes("Posso venire alle 11?")
        conversation = self.conversation_of(self.patient).with_user(self.reception)
        conversation.reply_body = "Sì, a dopo"
        conversation.action_send_reply()
        with freeze_time("2026-11-24 09:05:00"):
            self.patient_writes("Ok grazie 👍")
        self.assertEqual(conversation.state, "done", "a bare thanks leaves nothing to answer")
        with freeze_time("2026-11-24 09:30:00"):
            self.desk_cron()
            self.dispatch()
        self.assertFalse(self.acks(self.patient))

    def test_what_the_module_writes_on_its_own_is_in_the_practice_s_language(self):
        self.env["res.lang"]._activate_lang("it_IT")
        self.env["ir.module.module"]._load_module_terms(["dental_whatsapp"], ["it_IT"])
        self.company.partner_id.lang = "it_IT"
        with freeze_time(TUESDAY_12_50):
            self.patient_writes("Ho perso l'otturazione")
        conversation = self.conversation_of(self.patient)
        entry = conversation.message_ids.filtered(lambda m: "otturazione" in str(m.body))
        self.assertIn("WhatsApp da Maria Rossi", str(entry.body))
        with freeze_time(self.rome(2026, 11, 24, 14, 21)):
            self.desk_cron()
        late = self.env.ref("dental_whatsapp.mail_activity_type_late")
        self.assertEqual(
            conversation.activity_ids.filtered(lambda a: a.activity_type_id == late).summary,
            "WhatsApp senza risposta nei tempi previsti",
        )

    # ------------------------------------------------------------------ first visits at night
    def test_unknown_number_at_22_becomes_an_enquiry_with_a_call_back_at_the_opening(self):
        self.env["res.lang"]._activate_lang("it_IT")
        with freeze_time(TUESDAY_22):
            self.patient_writes(
                "Buonasera, vorrei prenotare una prima visita", number="+393405556677"
            )
            self.dispatch()
        partner = self.env["res.partner"].search([("whatsapp_number", "=", "+393405556677")])
        conversation = self.conversation_of(partner)
        self.assertTrue(conversation.enquiry)
        self.assertEqual(conversation.state, "new")
        # An Italian number is answered in Italian, with the opening in words.
        self.assertEqual(partner.lang, "it_IT")
        [ack] = self.sim_sent(partner)
        self.assertEqual((ack["template"], ack["language"]), (ACK_CLOSED_TEMPLATE, "it"))
        self.assertEqual(ack["params"][1], "mercoledì 25 novembre alle 09:00")
        self.assertFalse(conversation.activity_ids, "nobody is at the desk at night")
        with freeze_time(self.rome(2026, 11, 25, 9, 1)):
            self.desk_cron()
        activity = conversation.activity_ids
        self.assertEqual(activity.summary, "Call back: first visit request")
        self.assertIn("prima visita", activity.note)
        self.assertEqual(activity.user_id, self.reception)
        self.assertEqual(activity.date_deadline, fields.Date.to_date("2026-11-25"))

        # The next morning reception registers the patient and books the visit.
        with freeze_time(self.rome(2026, 11, 25, 9, 5)):
            wizard = (
                self.env["dental.whatsapp.enquiry"]
                .with_user(self.reception)
                .with_context(default_conversation_id=conversation.id)
                .create({"name": "Luca Bianchi", "lang": "en_US"})
            )
            action = wizard.action_confirm()
            self.assertEqual(action["res_model"], "calendar.event")
            self.assertEqual(action["context"]["default_patient_id"], partner.id)
            self.assertEqual(partner.name, "Luca Bianchi")
            self.assertFalse(partner.wa_new_enquiry)
            self.assertTrue(partner.wa_consent_care)
            self.assertEqual(partner.wa_consent_source, "whatsapp")
            self.assertEqual(partner.wa_consent_date, fields.Date.to_date("2026-11-25"))
            self.assertFalse(conversation.enquiry)

    # ------------------------------------------------------------------ duplicates
    def test_pressing_send_twice_is_refused_with_the_time_of_the_first(self):
        with freeze_time("2026-11-24 20:00:00"):  # closed: the first one waits
            first = self.enqueue(self.patient)
            self.assertEqual(first.state, "queued")
            with self.assertRaisesRegex(UserError, "already waiting"):
                self.enqueue(self.patient)
        self.assertEqual(len(self.assertWhatsAppQueued(self.patient)), 1)

    def test_a_template_sent_while_closed_says_when_it_leaves(self):
        self.patient_writes("Mi mandate il promemoria?")
        with freeze_time(TUESDAY_21):
            composer = (
                self.env["dental.whatsapp.composer"]
                .with_user(self.reception)
                .create(
                    {
                        "res_model": "res.partner",
                        "res_ids": str(self.patient.ids),
                        "template_id": self.template.id,
                    }
                )
            )
            self.assertIn("Mi mandate il promemoria?", composer.recent_message_ids.mapped("body"))
            action = composer.action_send()
        self.assertEqual(action["tag"], "display_notification")
        self.assertIn("wednesday 25 november at 09:00", action["params"]["message"].lower())
        queued = self.assertWhatsAppQueued(self.patient, template="appointment_reminder")
        self.assertIn("Held", str(queued.mail_message_ids.mapped("body")))

    # ------------------------------------------------------------------ business-scoped user ids
    def test_a_patient_known_only_by_user_id_is_stored_answered_and_matched(self):
        user_id = "IT.1349120865530274"
        self.sim_call(
            "POST",
            "/_sim/inbound",
            json={
                "from_user_id": user_id,
                "username": "@lucia.r",
                "name": "Lucia",
                "type": "text",
                "text": "Ciao, avete un posto sabato?",
            },
        )
        delivered = self.flush_webhooks()
        self.assertNotIn('"status": 400', json.dumps(delivered), "a signed body is not refused")
        self.process_events()
        partner = self.env["res.partner"].search([("wa_user_id", "=", user_id)])
        self.assertEqual(len(partner), 1)
        self.assertFalse(partner.whatsapp_number)
        self.assertEqual(partner.wa_username, "@lucia.r")
        conversation = self.conversation_of(partner)
        self.assertEqual(conversation.wa_user_id, user_id)
        self.assertIn("posto sabato", conversation.last_inbound_preview)
        conversation = conversation.with_user(self.reception)
        conversation.reply_body = "Sabato siamo chiusi, lunedì alle 9?"
        conversation.action_send_reply()
        self.dispatch()
        sent = [
            m
            for m in self.sim_call("GET", "/_sim/messages")
            if m["payload"].get("recipient") == user_id
        ]
        self.assertEqual(len(sent), 1)
        self.assertNotIn("to", sent[0]["payload"])
        self.sim_call(
            "POST",
            "/_sim/inbound",
            json={"from_user_id": user_id, "type": "text", "text": "Va bene lunedì"},
        )
        self.flush_webhooks()
        self.process_events()
        self.assertEqual(self.env["res.partner"].search_count([("wa_user_id", "=", user_id)]), 1)
        self.assertEqual(
            len(conversation.wa_message_ids.filtered(lambda m: m.direction == "in")), 2
        )

    def test_photos_and_voice_notes_show_in_the_conversation_and_on_the_patient(self):
        for kind, caption in (("image", "La protesi rotta"), ("audio", None)):
            body = {"from": PATIENT_NUMBER[1:], "type": kind}
            if caption:
                body["caption"] = caption
            self.sim_call("POST", "/_sim/inbound", json=body)
        self.flush_webhooks()
        self.process_events()
        self.env["dental.whatsapp.inbound"]._cron_download_media()
        conversation = self.conversation_of(self.patient)
        photo, voice = conversation.wa_message_ids.sorted("id")
        self.assertEqual(photo.media_kind, "image")
        self.assertEqual(voice.media_kind, "audio")
        for message in (photo, voice):
            entries = message.mail_message_ids
            self.assertEqual(
                set(entries.mapped("model")), {"res.partner", "dental.whatsapp.conversation"}
            )
            for entry in entries:
                self.assertEqual(entry.attachment_ids, message.attachment_ids)
        self.assertTrue(photo.attachment_ids.mimetype.startswith("image/"))
        # The chatter plays a voice note with Discuss's voice player.
        self.assertTrue(voice.attachment_ids.voice_ids)
        self.assertFalse(photo.attachment_ids.voice_ids)

    def test_a_patient_who_changes_number_is_followed(self):
        self.patient_writes("Buongiorno")
        self.sim_call(
            "POST",
            "/_sim/system",
            json={
                "from": PATIENT_NUMBER[1:],
                "type": "user_changed_number",
                "new_number": "393470000111",
            },
        )
        self.flush_webhooks()
        self.process_events()
        self.assertEqual(self.patient.whatsapp_number, "+393470000111")
        self.patient_writes("Sono sempre io", number="+393470000111")
        conversation = self.conversation_of(self.patient)
        self.assertEqual(len(conversation.wa_message_ids), 2, "the same conversation")
        self.assertIn(
            "changed number", " ".join(str(b) for b in conversation.message_ids.mapped("body"))
        )

    def test_a_status_teaches_the_patient_s_user_id(self):
        self.sim_call(
            "POST",
            "/_sim/numbers",
            json={"wa_id": PATIENT_NUMBER[1:], "user_id": "IT.5550001112223334"},
        )
        self.patient_writes("Buongiorno")
        conversation = self.conversation_of(self.patient).with_user(self.reception)
        conversation.reply_body = "Buongiorno a Lei"
        conversation.action_send_reply()
        self.dispatch()
        self.flush_webhooks()
        self.process_events()
        self.assertEqual(self.patient.wa_user_id, "IT.5550001112223334")

    # ------------------------------------------------------------------ edits and deletions
    def test_a_patient_s_edit_and_deletion_keep_the_original(self):
        wamid = self.patient_writes("Vengo alle 10")
        original = self.env["dental.whatsapp.message"].search([("meta_message_id", "=", wamid)])
        self.sim_call("POST", "/_sim/edit", json={"message_id": wamid, "text": "Vengo alle 11"})
        self.flush_webhooks()
        self.process_events()
        edit = self.env["dental.whatsapp.message"].search([("edit_of_id", "=", original.id)])
        self.assertEqual(edit.body, "Vengo alle 11")
        self.assertEqual(original.body, "Vengo alle 10", "the original text is kept")
        self.assertTrue(original.edited_date)
        self.assertNotIn("[edit]", edit.body)
        self.assertIn("Vengo alle 10", str(edit.mail_message_ids.mapped("body")))

        self.sim_call("POST", "/_sim/revoke", json={"message_id": wamid})
        self.flush_webhooks()
        self.process_events()
        self.assertTrue(original.revoked_date)
        self.assertEqual(original.body, "Vengo alle 10")
        conversation = self.conversation_of(self.patient)
        self.assertIn(
            "deleted this message",
            " ".join(str(b) for b in conversation.message_ids.mapped("body")),
        )
