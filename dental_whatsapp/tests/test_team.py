"""The team channel: the practice's staff in one Discuss channel that follows the
groups, a colleague asked about a patient's photo (the answer back in the patient's
conversation as an internal note, never to the patient), service notices pinned and
shown in the inbox until they expire."""

import base64
from datetime import timedelta, timezone
from types import SimpleNamespace
from unittest.mock import patch

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, HttpCase, freeze_time, new_test_user, tagged
from odoo.tools import mute_logger

from ..controllers import team as team_controller
from ..tools.webhook import InboundMessage
from .common import PATIENT_NUMBER, PHONE_NUMBER_ID, WABA_ID, WhatsappCase, WhatsappHttpCase

# A 1x1 PNG: what a patient's phone sends, in miniature.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)


@tagged("post_install", "-at_install")
class TestTeam(WhatsappCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.dentist = new_test_user(
            cls.env,
            login="team_dentist",
            name="Dott. Bianchi",
            groups="base.group_user,dental_whatsapp.group_dentist",
        )
        cls.manager = new_test_user(
            cls.env,
            login="team_manager",
            name="Dott. Verdi",
            groups="base.group_user,dental_whatsapp.group_manager",
        )
        cls.employee = new_test_user(
            cls.env, login="team_employee", name="Accounting", groups="base.group_user"
        )
        cls.reception_group = cls.env.ref("dental_whatsapp.group_reception")
        cls.channel = cls.company.wa_team_channel_id
        cls.Consult = cls.env["dental.whatsapp.consult"]
        cls.note = cls.env.ref("mail.mt_note")

    # ------------------------------------------------------------------ helpers
    def members(self):
        return self.channel.channel_member_ids.partner_id

    def photo_from_patient(self, caption="La gengiva è gonfia da ieri"):
        """The patient sends a photo on WhatsApp; the module has downloaded it."""
        item = InboundMessage(
            waba_id=WABA_ID,
            phone_number_id=PHONE_NUMBER_ID,
            display_phone_number="",
            message_id="wamid.team-photo",
            wa_id=PATIENT_NUMBER.lstrip("+"),
            profile_name="Maria Rossi",
            timestamp=fields.Datetime.now().replace(tzinfo=timezone.utc),
            type="image",
            text=caption,
            media={"id": "media-team-1", "mime_type": "image/png"},
        )
        message = self.env["dental.whatsapp.inbound"]._wa_receive(self.account, item)
        photo = (
            self.env["ir.attachment"]
            .sudo()
            .create(
                {
                    "name": "whatsapp-photo.png",
                    "raw": PNG,
                    "mimetype": "image/png",
                    "res_model": message._name,
                    "res_id": message.id,
                }
            )
        )
        message.write({"media_state": "done", "attachment_ids": [Command.link(photo.id)]})
        return message.sudo(False)

    def ask(self, user, active, **values):
        wizard = (
            self.env["dental.whatsapp.ask.colleague"]
            .with_user(user)
            .with_context(active_model=active._name, active_id=active.id)
            .create(values)
        )
        wizard.action_confirm()
        return wizard

    def outgoing(self):
        return self.env["dental.whatsapp.message"].search_count([("direction", "=", "out")])

    def banner(self, user):
        with patch.object(team_controller, "request", SimpleNamespace(env=self.env(user=user))):
            return team_controller.DentalWhatsappTeam().dental_whatsapp_team_notices()["html"]

    # ------------------------------------------------------------------ the channel
    def test_the_channel_holds_the_dental_staff_and_follows_the_groups(self):
        channel = self.channel
        self.assertEqual(channel.channel_type, "channel")
        self.company.name = "Studio Dentistico Azzurro"
        self.assertEqual(channel.name, "Studio Dentistico Azzurro — Team")
        self.assertEqual(channel.group_public_id, self.reception_group)
        staff = self.reception | self.dentist | self.manager
        self.assertLessEqual(staff.partner_id, self.members())
        self.assertNotIn(self.employee.partner_id, self.members())

        # Added to reception: joins; removed: leaves (on the user as on the group).
        self.employee.write({"groups_id": [Command.link(self.reception_group.id)]})
        self.assertIn(self.employee.partner_id, self.members())
        self.employee.write({"groups_id": [Command.unlink(self.reception_group.id)]})
        self.assertNotIn(self.employee.partner_id, self.members())
        self.reception_group.write({"users": [Command.link(self.employee.id)]})
        self.assertIn(self.employee.partner_id, self.members())
        self.reception_group.write({"users": [Command.unlink(self.employee.id)]})
        self.assertNotIn(self.employee.partner_id, self.members())

        # A new dentist joins at once; an archived colleague leaves.
        newcomer = new_test_user(
            self.env,
            login="team_newcomer",
            name="Dott.ssa Neri",
            groups="base.group_user,dental_whatsapp.group_dentist",
        )
        self.assertIn(newcomer.partner_id, self.members())
        newcomer.active = False
        self.assertNotIn(newcomer.partner_id, self.members())

    def test_other_employees_can_neither_read_nor_join_the_channel(self):
        with mute_logger("odoo.addons.base.models.ir_rule", "odoo.models"):
            with self.assertRaises(AccessError):
                self.channel.with_user(self.employee).check_access("read")
            with self.assertRaises(AccessError):
                self.channel.with_user(self.employee).add_members(
                    partner_ids=self.employee.partner_id.ids
                )
            # Discuss lets a member invite anyone to a channel of their group: not here.
            with self.assertRaises(AccessError):
                self.channel.with_user(self.reception).add_members(
                    partner_ids=self.employee.partner_id.ids
                )
        self.assertNotIn(self.employee.partner_id, self.members())
        self.channel.with_user(self.reception).check_access("read")

    # ------------------------------------------------------------------ asking a colleague
    def test_a_photo_shared_with_a_dentist_and_the_answer_back_as_a_note(self):
        message = self.photo_from_patient()
        conversation = message.conversation_id
        self.ask(
            self.reception,
            message,
            question="Is this an abscess? The patient is in the chair.",
            destination="dentist",
            dentist_id=self.dentist.id,
        )
        consult = self.Consult.search([("wa_message_id", "=", message.id)])
        self.assertEqual(consult.state, "asked")
        chat = consult.channel_id
        self.assertEqual(chat.channel_type, "chat")
        self.assertEqual(
            chat.channel_member_ids.partner_id, self.reception.partner_id | self.dentist.partner_id
        )
        # The dentist reads the question, the photo and the way back to the patient.
        question = consult.message_id.with_user(self.dentist)
        self.assertEqual(question.author_id, self.reception.partner_id)
        self.assertIn("Is this an abscess?", question.body)
        self.assertIn(f'href="/odoo/res.partner/{self.patient.id}"', question.body)
        self.assertIn(f'href="/odoo/dental.whatsapp.conversation/{conversation.id}"', question.body)
        self.assertEqual(len(question.attachment_ids), 1)
        shared = question.attachment_ids
        self.assertEqual(
            (shared.res_model, shared.res_id, shared.raw), ("discuss.channel", chat.id, PNG)
        )
        self.assertEqual(message.attachment_ids.res_model, "dental.whatsapp.message")
        # Another receptionist sees that a question was asked, not into the private chat.
        colleague = new_test_user(
            self.env,
            login="team_reception2",
            groups="base.group_user,dental_whatsapp.group_reception",
        )
        seen = consult.with_user(colleague)
        self.assertEqual(seen.channel_name, "Direct chat: Reception and Dott. Bianchi")
        self.assertFalse(seen.can_open_channel)
        self.assertTrue(consult.with_user(self.reception).can_open_channel)

        outgoing = self.outgoing()
        chat.with_user(self.dentist).message_post(
            body="An abscess <b>indeed</b>: I see her at 17:00 today.",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            parent_id=consult.message_id.id,
        )
        notes = conversation.message_ids.filtered(
            lambda m: m.subtype_id == self.note and "I see her at 17:00" in (m.body or "")
        )
        self.assertEqual(len(notes), 1)
        self.assertEqual(notes.author_id, self.dentist.partner_id)
        self.assertIn("Dott. Bianchi", notes.body)
        self.assertIn("&lt;b&gt;indeed&lt;/b&gt;", notes.body)  # quoted, never markup
        self.assertNotIn("<b>indeed", notes.body)
        self.assertTrue(notes.subtype_id.internal)
        self.assertEqual(self.outgoing(), outgoing, "nothing may be queued to the patient")
        self.assertEqual(consult.state, "answered")
        self.assertEqual(consult.answered_by_id, self.dentist.partner_id)

        # A second word from the dentist in the chat follows; the asker's own does not.
        chat.with_user(self.dentist).message_post(
            body="Tell her no ibuprofen before.", message_type="comment"
        )
        chat.with_user(self.reception).message_post(body="Thank you!", message_type="comment")
        notes = conversation.message_ids.filtered(lambda m: m.subtype_id == self.note)
        self.assertTrue(any("no ibuprofen" in (m.body or "") for m in notes))
        self.assertFalse(any("Thank you!" in (m.body or "") for m in notes))
        self.assertEqual(consult.answer_count, 2)
        self.assertEqual(self.outgoing(), outgoing)

    def test_an_image_on_the_patient_asked_in_the_team_channel(self):
        xray = self.env["ir.attachment"].create(
            {
                "name": "panoramica.png",
                "raw": PNG,
                "mimetype": "image/png",
                "res_model": "res.partner",
                "res_id": self.patient.id,
            }
        )
        # Through the form, as reception opens it from the attachment.
        form = Form(
            self.env["dental.whatsapp.ask.colleague"]
            .with_user(self.reception)
            .with_context(active_model=xray._name, active_id=xray.id)
        )
        self.assertEqual(form.partner_id, self.patient)
        self.assertEqual(form.destination, "team")
        form.question = "Root fragment left in 36?"
        form.save().action_confirm()
        consult = self.Consult.search([("partner_id", "=", self.patient.id)])
        self.assertEqual(consult.channel_id, self.channel)
        self.assertEqual(consult.message_id.attachment_ids.raw, PNG)
        self.assertIn("Root fragment left in 36?", consult.message_id.body)

        # Chatting in the channel is not an answer; a Reply to the question is.
        channel = self.channel.with_user(self.manager)
        channel.message_post(body="Coffee machine fixed.", message_type="comment")
        channel.message_post(
            body="Yes, a small fragment: leave it.",
            message_type="comment",
            parent_id=consult.message_id.id,
        )
        notes = self.patient.message_ids.filtered(lambda m: m.subtype_id == self.note)
        self.assertTrue(any("leave it" in (m.body or "") for m in notes))
        self.assertFalse(any("Coffee" in (m.body or "") for m in notes))
        self.assertEqual(notes[:1].author_id, self.manager.partner_id)

    def test_only_the_dental_staff_ask_and_only_the_patient_s_files(self):
        message = self.photo_from_patient()
        with self.assertRaises(AccessError):
            self.ask(self.employee, message, question="What is it?", destination="team")
        # The method checks, whatever the client sends.
        wizard = (
            self.env["dental.whatsapp.ask.colleague"]
            .with_context(active_model=message._name, active_id=message.id)
            .create({"question": "What is it?", "destination": "team"})
        )
        with self.assertRaises(AccessError):
            wizard.with_user(self.employee).action_confirm()
        other = self.env["res.partner"].create({"name": "Another patient"})
        elsewhere = self.env["ir.attachment"].create(
            {"name": "other.png", "raw": PNG, "res_model": "res.partner", "res_id": other.id}
        )
        with self.assertRaises(AccessError):
            self.ask(
                self.reception,
                message,
                question="What is it?",
                destination="team",
                attachment_ids=[Command.set(elsewhere.ids)],
            )
        self.assertFalse(self.Consult.search([("wa_message_id", "=", message.id)]))

    # ------------------------------------------------------------------ notices
    def test_a_notice_is_pinned_and_shown_until_it_expires(self):
        now = fields.Datetime.now()
        notice = (
            self.env["dental.whatsapp.notice"]
            .with_user(self.manager)
            .create(
                {
                    "name": "Panoramic X-ray out of order",
                    "kind": "equipment",
                    "body": "<p>Send patients for a panoramic to Via Roma 3.</p>",
                    "date_to": now + timedelta(days=2),
                }
            )
        )
        with self.assertRaises(AccessError):
            notice.with_user(self.reception).action_post()
        self.assertEqual(notice.state, "draft")
        self.assertNotIn("Panoramic X-ray", self.banner(self.reception))

        notice.action_post()
        message = notice.message_id
        self.assertEqual(notice.state, "posted")
        self.assertEqual((message.model, message.res_id), ("discuss.channel", self.channel.id))
        self.assertTrue(message.pinned_at)
        self.assertIn(message, self.channel.pinned_message_ids)
        self.assertIn("Panoramic X-ray out of order", self.banner(self.reception))
        self.assertIn("Via Roma 3", self.banner(self.dentist))
        self.assertFalse(self.banner(self.employee))

        with freeze_time(now + timedelta(days=2, minutes=1)):
            self.assertNotIn("Panoramic X-ray", self.banner(self.reception))
            self.env["dental.whatsapp.notice"]._cron_expire_notices()
        self.assertEqual(notice.state, "expired")
        self.assertFalse(message.pinned_at)
        self.channel.invalidate_recordset(["pinned_message_ids"])
        self.assertNotIn(message, self.channel.pinned_message_ids)

    def test_an_opening_hours_notice_opens_the_working_schedule(self):
        notice = (
            self.env["dental.whatsapp.notice"]
            .with_user(self.manager)
            .create(
                {
                    "name": "Closed on Friday afternoon",
                    "kind": "hours",
                    "date_to": fields.Datetime.now() + timedelta(days=3),
                }
            )
        )
        notice.action_post()
        action = notice.action_open_working_schedule()
        self.assertEqual(
            (action["res_model"], action["res_id"]), ("resource.calendar", self.calendar.id)
        )
        with self.assertRaises(AccessError):
            self.env["dental.whatsapp.notice"].with_user(self.reception).create(
                {"name": "Mine", "date_to": fields.Datetime.now() + timedelta(days=1)}
            )

    # ------------------------------------------------------------------ staff phones
    def staff_phone(self, user, number, consent=True):
        user.partner_id.sudo().write(
            {"whatsapp_number": number, "wa_consent_staff": consent, "lang": "it_IT"}
        )

    def phones_notice(self):
        return (
            self.env["dental.whatsapp.notice"]
            .with_user(self.manager)
            .create(
                {
                    "name": "Panoramica fuori servizio",
                    "kind": "equipment",
                    "body": "<p>Inviare i pazienti in Via Roma 3.</p>",
                    "date_to": fields.Datetime.now() + timedelta(days=2),
                    "send_to_staff_phones": True,
                }
            )
        )

    def staff_messages(self, notice):
        return self.env["dental.whatsapp.message"].search(
            [("model", "=", notice._name), ("res_id", "=", notice.id)]
        )

    def test_a_notice_also_reaches_the_phones_of_staff_who_agreed(self):
        self.env["res.lang"]._activate_lang("it_IT")
        self._approve_shipped(["staff_notice"])
        self.staff_phone(self.dentist, "+393331110001")
        self.staff_phone(self.manager, "+393331110002", consent=False)
        # Outside the dental groups: no staff notice, whatever their contact says.
        self.staff_phone(self.employee, "+393331110003")
        # Agreed, then wrote STOP from their phone.
        self.staff_phone(self.reception, "+393331110004")
        self.reception.partner_id.sudo()._wa_set_opt_out("STOP")
        notice = self.phones_notice()
        done = notice.with_context(lang="en_US").action_post()
        self.assertEqual(notice.state, "posted")
        self.assertEqual(done["params"]["type"], "success")
        self.assertIn("1 staff phone", done["params"]["message"])
        message = self.staff_messages(notice)
        self.assertEqual(message.partner_id, self.dentist.partner_id)
        self.assertEqual((message.state, message.category), ("queued", "staff"))
        self.assertEqual(notice.wa_staff_message_count, 1)
        self.assertEqual(notice.with_user(self.reception).wa_staff_message_count, 1)
        listed = notice.with_user(self.reception).action_view_wa_staff_messages()
        self.assertEqual(
            self.env["dental.whatsapp.message"].with_user(self.reception).search(listed["domain"]),
            message,
        )
        with self.assertRaises(AccessError), mute_logger("odoo.models"):
            notice.with_user(self.employee).action_view_wa_staff_messages()
        with self.assertRaises(AccessError), mute_logger("odoo.models"):
            self.employee.partner_id.with_user(self.employee).read(["wa_consent_staff"])
        self.dispatch()
        [sent] = self.sim_sent(number="+393331110001")
        self.assertEqual((sent["template"], sent["language"]), ("staff_notice", "it"))
        self.assertEqual(
            sent["params"][:2],
            [self.company.name, "Panoramica fuori servizio. Inviare i pazienti in Via Roma 3."],
        )
        self.assertFalse(self.sim_sent(number="+393331110002"))
        self.assertFalse(self.sim_sent(number="+393331110003"))
        self.assertFalse(self.sim_sent(number="+393331110004"))

    def test_a_notice_for_staff_phones_waits_for_its_template_and_nothing_is_posted(self):
        self.staff_phone(self.dentist, "+393331110001")
        notice = self.phones_notice()
        with self.assertRaisesRegex(UserError, "staff_notice"):
            notice.action_post()
        self.assertEqual(notice.state, "draft")
        self.assertFalse(self.channel.pinned_message_ids)
        self.assertFalse(self.staff_messages(notice))

    def test_a_withdrawn_notice_does_not_reach_a_phone_later(self):
        self._approve_shipped(["staff_notice"])
        self.staff_phone(self.dentist, "+393331110001")
        with freeze_time(self.rome(2026, 11, 28, 20, 0)):  # Saturday evening: closed
            notice = self.phones_notice()
            notice.action_post()
            message = self.staff_messages(notice)
            self.assertEqual(message.state, "queued")
            self.assertEqual(message.scheduled_at, self.rome(2026, 11, 30, 9, 0))
            notice.action_withdraw()
        with freeze_time(self.rome(2026, 11, 30, 9, 1)):
            self.dispatch()
        self.assertEqual(message.state, "cancelled")
        self.assertIn("withdrawn", message.error_message)
        self.assertFalse(self.sim_sent(number="+393331110001"))

    def consent(self, partner, **values):
        action = partner.with_user(self.reception).action_wa_record_consent()
        return (
            self.env["dental.whatsapp.consent"]
            .with_user(self.reception)
            .with_context(**action["context"])
            .create(values)
        )

    def test_staff_notices_are_never_a_patient_s(self):
        wizard = self.consent(self.patient, reason="Asked at the desk", staff=True)
        self.assertFalse(wizard.is_staff)  # the box is not even shown for a patient
        with self.assertRaisesRegex(UserError, "only for the practice's own users"):
            wizard.action_confirm()
        self.assertFalse(self.patient.sudo().wa_consent_staff)
        # A colleague's own consent, recorded at the desk.
        self.dentist.partner_id.sudo().whatsapp_number = "+393331110001"
        wizard = self.consent(self.dentist.partner_id, reason="Agreed at the meeting", staff=True)
        self.assertTrue(wizard.is_staff)
        wizard.action_confirm()
        self.assertTrue(self.dentist.partner_id.sudo().wa_consent_staff)
        # The composer never offers the staff notice to a patient.
        self._approve_shipped(["staff_notice"])
        composer = (
            self.env["dental.whatsapp.composer"]
            .with_user(self.reception)
            .create({"res_model": "res.partner", "res_ids": str(self.patient.ids)})
        )
        offered = composer.available_template_ids.mapped("name")
        self.assertIn("appointment_reminder", offered)
        self.assertNotIn("staff_notice", offered)


@tagged("post_install", "-at_install")
class TestTeamTour(HttpCase):
    """The notice in the browser: at the top of the WhatsApp inbox."""

    def test_reception_sees_the_notice_in_the_inbox(self):
        manager = new_test_user(
            self.env,
            login="tour_team_manager",
            groups="base.group_user,dental_whatsapp.group_manager",
        )
        new_test_user(
            self.env,
            login="tour_team_reception",
            groups="base.group_user,dental_whatsapp.group_reception",
        )
        self.env["dental.whatsapp.notice"].with_user(manager).create(
            {
                "name": "Autoclave out of order",
                "kind": "equipment",
                "date_to": fields.Datetime.now() + timedelta(days=1),
            }
        ).action_post()
        self.start_tour(
            "/odoo/action-dental_whatsapp.action_dental_whatsapp_conversation",
            "dental_whatsapp_team_notice_tour",
            login="tour_team_reception",
        )


@tagged("post_install", "-at_install")
class TestStaffPhonesTour(WhatsappHttpCase):
    """The staff-phones option in the browser, as the manager posts a notice."""

    def test_a_manager_sends_a_notice_to_staff_phones(self):
        self._approve_shipped(["staff_notice"])
        manager = new_test_user(
            self.env,
            login="tour_phones_manager",
            email="manager@studio.example",
            groups="base.group_user,dental_whatsapp.group_manager",
        )
        dentist = new_test_user(
            self.env,
            login="tour_phones_dentist",
            name="Dott. Neri",
            groups="base.group_user,dental_whatsapp.group_dentist",
        )
        dentist.partner_id.sudo().write(
            {"whatsapp_number": "+393331110007", "wa_consent_staff": True}
        )
        notice = (
            self.env["dental.whatsapp.notice"]
            .with_user(manager)
            .create(
                {
                    "name": "Autoclave out of order",
                    "kind": "equipment",
                    "date_to": fields.Datetime.now() + timedelta(days=1),
                }
            )
        )
        self.start_tour(
            f"/odoo/action-dental_whatsapp.action_dental_whatsapp_notice/{notice.id}",
            "dental_whatsapp_staff_phones_tour",
            login=manager.login,
        )
        self.assertEqual(notice.state, "posted")
        sent = self.env["dental.whatsapp.message"].search(
            [("model", "=", notice._name), ("res_id", "=", notice.id)]
        )
        self.assertEqual((sent.partner_id, sent.state), (dentist.partner_id, "queued"))
