"""Conduct safeguards, end to end over the simulator: what the patient writes is triaged
on the server (clinical questions to the dentist, emergencies alerted, advances kept as
evidence, anger marked heated), and what reception answers is checked (arguing,
personal matters, spelling)."""

from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import freeze_time, new_test_user, tagged

from ..const import ACK_BUSY_TEMPLATE, ACK_CLOSED_TEMPLATE, EMERGENCY_TEMPLATE
from .common import PATIENT_NUMBER, WhatsappHttpCase

# Tuesday 24 November 2026 in Rome (UTC+1): open 09-13 and 14-19.
TUESDAY_10 = "2026-11-24 09:00:00"
TUESDAY_21 = "2026-11-24 20:00:00"


@tagged("post_install", "-at_install")
class TestConduct(WhatsappHttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.reception = new_test_user(
            cls.env,
            login="conduct_reception",
            name="Giulia Reception",
            groups="base.group_user,dental_whatsapp.group_reception",
        )
        cls.dentist = new_test_user(
            cls.env,
            login="conduct_dentist",
            name="Dott.ssa Bianchi",
            groups="base.group_user,dental_whatsapp.group_dentist",
        )
        cls.duty = new_test_user(
            cls.env,
            login="conduct_duty",
            name="Dott. Neri",
            groups="base.group_user,dental_whatsapp.group_dentist",
        )
        cls.manager = new_test_user(
            cls.env,
            login="conduct_manager",
            name="Dott. Verdi",
            groups="base.group_user,dental_whatsapp.group_manager",
        )
        cls.company.wa_emergency_phone = "+39 333 0000000"
        cls.company.wa_duty_dentist_id = cls.duty
        cls._approve_shipped([ACK_BUSY_TEMPLATE, ACK_CLOSED_TEMPLATE, EMERGENCY_TEMPLATE])

    # ------------------------------------------------------------------ helpers
    def patient_writes(self, text, number=PATIENT_NUMBER):
        sent = self.sim_call(
            "POST", "/_sim/inbound", json={"from": number.lstrip("+"), "type": "text", "text": text}
        )
        self.flush_webhooks()
        self.process_events()
        return sent

    def conversation(self):
        return self.env["dental.whatsapp.conversation"].search(
            [("partner_id", "=", self.patient.id), ("account_id", "=", self.account.id)]
        )

    def todos(self, conversation, xmlid):
        kind = self.env.ref(f"dental_whatsapp.{xmlid}")
        return conversation.activity_ids.filtered(lambda a: a.activity_type_id == kind)

    def alerts_for(self, user):
        """The sticky notifications the bus carries to ``user``'s open screens."""
        return self.env["bus.bus"].search(
            [
                ("channel", "like", f'"res.partner",{user.partner_id.id}]'),
                ("message", "like", "simple_notification"),
            ]
        )

    def appointment_with(self, dentist, days=7):
        start = fields.Datetime.now() + timedelta(days=days)
        return self.env["calendar.event"].create(
            {
                "name": "Controllo",
                "start": start,
                "stop": start + timedelta(minutes=30),
                "partner_ids": [(6, 0, self.patient.ids)],
                "wa_dentist_id": dentist.id,
            }
        )

    # ------------------------------------------------------------------ clinical
    def test_a_clinical_question_goes_to_the_patients_dentist_with_the_reviewed_reply(self):
        self.appointment_with(self.dentist)
        with freeze_time(TUESDAY_10):
            self.patient_writes(
                "Buongiorno, da ieri ho la gengiva gonfia e mi fa male quando mastico"
            )
            conversation = self.conversation()
            self.assertEqual(conversation.triage_label, "clinical")
            self.assertFalse(conversation.triage_urgent)
            todo = self.todos(conversation, "mail_activity_type_clinical")
            self.assertEqual(todo.user_id, self.dentist, "the dentist of the next appointment")
            self.assertIn("gengiva gonfia", str(todo.note), "with the patient's words")
            self.assertFalse(self.alerts_for(self.dentist), "not an emergency: no alarm")
            # Reception's reply box says the dentist answers and offers the reviewed reply.
            desk = conversation.with_user(self.reception)
            self.assertEqual(desk.dentist_id, self.dentist)
            suggested = self.env.ref("dental_whatsapp.quick_reply_dentist_calls")
            self.assertEqual(desk.suggested_reply_id, suggested)
            desk.action_use_suggested_reply()
            self.assertIn("call you back", desk.reply_body)
            # Advice typed by reception is refused, naming only what applies.
            desk.reply_body = "Prenda amoxicillina 1 g ogni 8 ore"
            with self.assertRaises(UserError) as refusal:
                desk.action_send_reply()
            words = str(refusal.exception)
            self.assertIn("clinical advice", words)
            self.assertIn("amoxicillina", words)
            self.assertIn(suggested.name, words, "the reviewed reply that fits")
            self.assertNotIn("emoji", words)
            self.assertNotIn("personal matters", words)
            desk.action_use_suggested_reply()
            desk.action_send_reply()
            self.dispatch()
        self.assertIn("call you back", self.sim_sent(self.patient)[-1]["text"])

    def test_a_patient_without_a_dentist_goes_to_the_dentist_on_duty(self):
        with freeze_time(TUESDAY_10):
            self.patient_writes("mi si è rotto un pezzo di otturazione mangiando")
        todo = self.todos(self.conversation(), "mail_activity_type_clinical")
        self.assertEqual(todo.user_id, self.duty)

    def test_no_more_pain_is_not_a_clinical_question(self):
        with freeze_time(TUESDAY_10):
            self.patient_writes("non ho più dolore, grazie mille dottore")
        conversation = self.conversation()
        self.assertNotEqual(conversation.triage_label, "clinical")
        self.assertFalse(self.todos(conversation, "mail_activity_type_clinical"))
        self.assertFalse(conversation.suggested_reply_id)

    # ------------------------------------------------------------------ urgent
    def test_an_emergency_at_night_gets_the_emergency_instructions_and_alerts_the_dentists(self):
        self.appointment_with(self.dentist)
        with freeze_time(TUESDAY_21):
            self.patient_writes(
                "ho la guancia gonfia fino all'occhio e faccio fatica a deglutire, cosa faccio?"
            )
            self.dispatch()
        conversation = self.conversation()
        self.assertTrue(conversation.triage_urgent)
        sent = self.sim_sent(self.patient)
        self.assertEqual(
            [m["template"] for m in sent],
            [EMERGENCY_TEMPLATE],
            "the emergency instructions leave at once, instead of the 'closed' message",
        )
        self.assertEqual(sent[0]["params"][-1], "+39 333 0000000")
        todo = self.todos(conversation, "mail_activity_type_urgent")
        self.assertEqual(todo.user_id, self.dentist)
        self.assertEqual(todo.activity_type_id.decoration_type, "danger", "shown as urgent")
        for dentist in (self.dentist, self.duty, self.manager):
            self.assertTrue(self.alerts_for(dentist), f"{dentist.name} is alerted at once")
        self.assertFalse(self.alerts_for(self.reception))

    def test_an_emergency_during_opening_hours_is_alerted_without_an_automatic_answer(self):
        with freeze_time(TUESDAY_10):
            self.patient_writes("mi hanno dato un pugno e il dente è caduto, sanguina tanto")
            self.dispatch()
        conversation = self.conversation()
        self.assertTrue(conversation.triage_urgent)
        self.assertFalse(self.sim_sent(self.patient), "reception is there: people answer")
        self.assertTrue(self.alerts_for(self.duty))
        # A clinical question already waiting becomes urgent instead of a second to-do.
        self.assertEqual(len(self.todos(conversation, "mail_activity_type_urgent")), 1)
        self.assertFalse(self.todos(conversation, "mail_activity_type_clinical"))

    # ------------------------------------------------------------------ advances
    def test_advances_hold_the_conversation_as_evidence_and_tell_the_dentist(self):
        self.appointment_with(self.dentist)
        with freeze_time(TUESDAY_10):
            self.patient_writes("ciao bella, sei fidanzata? ti va di uscire una sera con me?")
        conversation = self.conversation()
        self.assertEqual(conversation.triage_label, "flirt")
        self.assertTrue(conversation.evidence_hold)
        self.assertIn("Evidence hold", str(conversation.message_ids.mapped("body")))
        self.assertEqual(
            self.todos(conversation, "mail_activity_type_conduct").user_id, self.dentist
        )
        self.assertTrue(self.alerts_for(self.dentist), "the dentist is told at once")
        desk = conversation.with_user(self.reception)
        self.assertEqual(
            desk.suggested_reply_id, self.env.ref("dental_whatsapp.quick_reply_neutral")
        )
        # Reception cannot block; a manager can, at WhatsApp too (the patient just wrote).
        with self.assertRaises(AccessError):
            desk.action_block_number()
        conversation.with_user(self.manager).action_block_number()
        self.assertTrue(conversation.blocked)
        blocked = [u["wa_id"] for u in self.sim_call("GET", "/_sim/blocklist")["blocked"]]
        self.assertEqual(blocked, [PATIENT_NUMBER.lstrip("+")])
        self.assertIn(
            "WhatsApp blocked the number too", str(conversation.message_ids.mapped("body"))
        )
        # Nothing is sent to a blocked patient, not even by the practice's own templates.
        message = self.enqueue(self.patient, raise_on_refusal=False)
        self.assertEqual(message.state, "cancelled")
        self.assertIn("blocked", message.error_message)
        # Unblocked: messages can go again.
        conversation.with_user(self.manager).action_unblock_number()
        self.assertFalse(self.sim_call("GET", "/_sim/blocklist")["blocked"])
        self.assertEqual(self.enqueue(self.patient).state, "queued")

    def test_a_patient_blocked_in_odoo_only_is_kept_and_flagged_and_gets_nothing(self):
        with freeze_time("2026-11-20 09:00:00"):
            self.patient_writes("ti penso sempre, sei bellissima")
        conversation = self.conversation()
        with freeze_time(TUESDAY_10):
            conversation.with_user(self.manager).action_block_number()
            self.assertTrue(conversation.blocked)
            self.assertIn(
                "in Odoo only", str(conversation.message_ids.mapped("body")), "Meta's 24 h rule"
            )
            self.assertFalse(self.sim_call("GET", "/_sim/blocklist")["blocked"])
            self.patient_writes("perché non mi rispondi? sei bellissima")
            self.dispatch()
        last = conversation.wa_message_ids.filtered(lambda m: m.direction == "in").sorted("id")[-1]
        self.assertIn("perché non mi rispondi", last.body, "stored")
        self.assertTrue(last.flagged, "and flagged")
        self.assertFalse(self.sim_sent(self.patient), "no acknowledgement, nothing at all")
        self.assertNotEqual(conversation.state, "new", "nobody is asked to answer")

    # ------------------------------------------------------------------ heated
    def test_a_heated_conversation_warns_against_arguing(self):
        with freeze_time(TUESDAY_10):
            self.patient_writes("Siete degli incompetenti, vergognatevi! Vi denuncio!!!")
            conversation = self.conversation()
            self.assertEqual(conversation.triage_label, "hostile")
            self.assertTrue(conversation.heated)
            desk = conversation.with_user(self.reception)
            self.assertEqual(
                desk.suggested_reply_id, self.env.ref("dental_whatsapp.quick_reply_lets_talk")
            )
            desk.reply_body = "Lei ha torto, COME LE HO GIÀ DETTO!!!"
            self.assertIn("arguing", desk.reply_warning)
            self.assertFalse(desk.reply_check, "a warning, the receptionist decides")
            heated = self.env["dental.whatsapp.conversation"].with_user(self.manager)
            self.assertIn(conversation, heated.search([("heated", "=", True)]))
            desk.action_use_suggested_reply()
            self.assertFalse(desk.reply_warning)
            desk.action_send_reply()
        # Answered, and the patient calms down: the banner goes.
        with freeze_time("2026-11-24 10:00:00"):
            self.patient_writes("va bene, aspetto la vostra chiamata")
        self.assertFalse(conversation.heated)

    # ------------------------------------------------------------------ reception's words
    def test_personal_matters_are_refused_with_the_words_found(self):
        with freeze_time(TUESDAY_10):
            self.patient_writes("Posso spostare l'appuntamento di giovedì?")
            conversation = self.conversation()
            self.assertEqual(conversation.triage_label, "admin")
            self.assertFalse(conversation.activity_ids, "an appointment question: reception")
            self.assertFalse(conversation.evidence_hold)
            desk = conversation.with_user(self.reception)
            desk.reply_body = "Certo! Forza Juve, avete visto la partita di ieri?"
            with self.assertRaises(UserError) as refusal:
                desk.action_send_reply()
        words = str(refusal.exception)
        self.assertIn("football", words)
        self.assertNotIn("clinical", words)
        self.assertEqual(desk.reply_body, "Certo! Forza Juve, avete visto la partita di ieri?")
        self.assertFalse(self.sim_sent(self.patient))

    def test_typos_are_a_warning_with_suggestions_never_a_block(self):
        self.env["res.lang"]._activate_lang("it_IT")
        self.patient.whatsapp_lang = "it_IT"
        with freeze_time(TUESDAY_10):
            self.patient_writes("Posso venire lunedì?")
            desk = self.conversation().with_user(self.reception)
            desk.reply_body = "Certo Maria, la aspettiamo lunedi perche il dottore e libero"
            self.assertIn("lunedi", desk.reply_warning)
            self.assertIn("lunedì", desk.reply_warning, "with the suggestion")
            self.assertNotIn("Maria", desk.reply_warning, "the patient's name is known")
            self.assertFalse(desk.reply_check)
            desk.action_send_reply()
            self.dispatch()
        self.assertIn("lunedi perche", self.sim_sent(self.patient)[-1]["text"])
