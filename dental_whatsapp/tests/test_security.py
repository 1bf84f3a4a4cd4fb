"""Who may do what, probed as each role would over RPC (README.rst, "Who may do what").

Every probe runs the method a client would call (``with_user`` is what the RPC layer
does), so a hidden button is never what protects the data.
"""

import hashlib
import hmac
import json

import requests
from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.modules.neutralize import neutralize_database
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from .common import APP_SECRET, PATIENT_NUMBER, WhatsappHttpCase

WEBHOOK_LOGGER = "odoo.addons.dental_whatsapp.controllers.main"


@tagged("post_install", "-at_install")
class TestAccess(WhatsappHttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.reception = new_test_user(
            env,
            "sec_reception",
            groups="base.group_user,dental_whatsapp.group_reception",
            email="reception@studio.example",
        )
        cls.dentist = new_test_user(
            env,
            "sec_dentist",
            groups="base.group_user,dental_whatsapp.group_dentist",
            email="dentist@studio.example",
        )
        cls.manager = new_test_user(
            env,
            "sec_manager",
            groups="base.group_user,dental_whatsapp.group_manager",
            email="manager@studio.example",
        )
        # An employee with every right on contacts and invoices, but no dental group.
        cls.employee = new_test_user(
            env,
            "sec_employee",
            groups="base.group_user,base.group_partner_manager,account.group_account_invoice",
            email="employee@studio.example",
        )
        cls.portal = new_test_user(env, "sec_portal", groups="base.group_portal")
        cls.other_company = env["res.company"].create({"name": "Studio Due"})
        cls.other_reception = new_test_user(
            env,
            "sec_other_reception",
            groups="base.group_user,dental_whatsapp.group_reception",
            company_id=cls.other_company.id,
            company_ids=[Command.set(cls.other_company.ids)],
        )
        cls.patient.write({"wa_consent_greetings": True})

    def setUp(self):
        super().setUp()
        self.message = self.enqueue(self.patient)
        self.entry = self.message.mail_message_ids
        self.assertEqual(len(self.entry), 1)

    def _inbound_photo(self):
        self.sim_call(
            "POST",
            "/_sim/inbound",
            json={"from": PATIENT_NUMBER[1:], "type": "image", "caption": "protesi rotta"},
        )
        self.flush_webhooks()
        self.process_events()
        self.env["dental.whatsapp.inbound"]._cron_download_media()
        message = self.env["dental.whatsapp.message"].search(
            [("direction", "=", "in"), ("partner_id", "=", self.patient.id)]
        )
        self.assertTrue(message.attachment_ids)
        return message

    def _post_webhook(self, raw, secret=APP_SECRET, headers=None):
        headers = dict(headers or {}, **{"Content-Type": "application/json"})
        if secret:
            digest = hmac.new(secret.encode(), raw, hashlib.sha256).hexdigest()
            headers["X-Hub-Signature-256"] = "sha256=" + digest
        return requests.post(self.webhook_url, data=raw, headers=headers, timeout=30)

    # ------------------------------------------------------------------ reading
    def test_chatter_entries_are_for_the_dental_groups_only(self):
        domain = [("model", "=", "res.partner"), ("res_id", "=", self.patient.id)]
        Message = self.env["mail.message"]
        for user in (self.reception, self.dentist, self.manager):
            self.assertIn(self.entry, Message.with_user(user).search(domain), user.login)
            self.assertTrue(self.entry.with_user(user).read(["body"]))
        for user in (self.employee, self.portal):
            self.assertNotIn(self.entry, Message.with_user(user).search(domain), user.login)
            fetched = Message.with_user(user)._message_fetch(domain)["messages"]
            self.assertNotIn(self.entry, fetched, user.login)
            with self.assertRaises(AccessError), mute_logger("odoo.models"):
                self.entry.with_user(user).read(["body"])
        # The rest of the patient's chatter stays visible to the employee.
        note = self.patient.message_post(body="Called about parking", subtype_xmlid="mail.mt_note")
        self.assertIn(note, Message.with_user(self.employee).search(domain))

    def test_whatsapp_fields_of_the_patient_are_for_the_dental_groups(self):
        patient = self.patient.with_user(self.employee)
        self.assertEqual(patient.name, "Maria Rossi")
        for field in ("whatsapp_number", "wa_consent_care", "wa_message_ids", "wa_opt_out"):
            with self.assertRaises(AccessError), mute_logger("odoo.models"):
                patient.read([field])
        self.assertTrue(self.patient.with_user(self.reception).read(["whatsapp_number"]))

    def test_photos_are_for_the_dental_groups_only(self):
        photo = self._inbound_photo().attachment_ids
        self.assertEqual(photo.res_model, "dental.whatsapp.message")
        self.assertTrue(photo.with_user(self.reception).raw)
        for user in (self.employee, self.portal):
            with self.assertRaises(AccessError), mute_logger("odoo.models"):
                photo.with_user(user).read(["datas"])
        found = self.env["ir.attachment"].with_user(self.employee).search([("id", "=", photo.id)])
        self.assertFalse(found)
        # And through the download URL a browser would use.
        self.authenticate("sec_employee", "sec_employee")
        self.assertNotEqual(self.url_open(f"/web/content/{photo.id}").status_code, 200)
        self.authenticate("sec_reception", "sec_reception")
        response = self.url_open(f"/web/content/{photo.id}")
        self.assertEqual((response.status_code, response.content), (200, photo.raw))

    def test_statement_pdf_belongs_to_its_message(self):
        self._approve_shipped(["account_statement"])
        product = self.env["product.product"].create({"name": "Cleaning", "list_price": 80})
        invoice = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": self.patient.id,
                "invoice_line_ids": [Command.create({"product_id": product.id, "price_unit": 80})],
            }
        )
        invoice.action_post()
        # Reports rendered by wkhtmltopdf, as in production (tests get HTML otherwise).
        self.enterContext(mute_logger("odoo.addons.base.models.ir_actions_report"))
        self.patient.with_user(self.reception).with_context(
            force_report_rendering=True
        ).action_wa_send_statement()
        sent = self.env["dental.whatsapp.message"].search(
            [("partner_id", "=", self.patient.id), ("header_attachment_id", "!=", False)]
        )
        pdf = sent.header_attachment_id
        self.assertEqual((pdf.res_model, pdf.res_id), ("dental.whatsapp.message", sent.id))
        with self.assertRaises(AccessError), mute_logger("odoo.models"):
            pdf.with_user(self.employee).read(["datas"])

    # ------------------------------------------------------------------ evidence
    def test_nobody_below_administrator_alters_a_photo(self):
        photo = self._inbound_photo().attachment_ids
        checksum = photo.checksum
        for user in (self.reception, self.manager, self.employee):
            for attachment in (photo.with_user(user), photo.with_user(user).sudo()):
                with self.assertRaises(AccessError), mute_logger("odoo.models"):
                    attachment.write({"raw": b"another picture"})
                with self.assertRaises(AccessError), mute_logger("odoo.models"):
                    attachment.unlink()
        self.assertEqual(photo.checksum, checksum)
        admin = self.env.ref("base.user_admin")
        with self.assertLogs("odoo.addons.dental_whatsapp.models.ir_attachment", "WARNING") as log:
            photo.with_user(admin).write({"name": "renamed by the administrator.jpg"})
        self.assertIn(admin.login, log.output[0])

    def test_whatsapp_entries_cannot_be_forged(self):
        subtype = self.env.ref("dental_whatsapp.mt_whatsapp")
        forged = {
            "model": "res.partner",
            "res_id": self.patient.id,
            "body": "Sì, ho detto che non pago",
            "author_id": self.patient.id,
            "message_type": "notification",
            "subtype_id": subtype.id,
        }
        for user in (self.employee, self.reception, self.manager):
            with self.assertRaises(AccessError), mute_logger("odoo.models"):
                self.env["mail.message"].with_user(user).create(forged)
            with self.assertRaises(AccessError), mute_logger("odoo.models"):
                self.patient.with_user(user).message_post(
                    body="forged",
                    author_id=self.patient.id,
                    email_from="maria.rossi@example.com",
                    subtype_xmlid="dental_whatsapp.mt_whatsapp",
                )
            with self.assertRaises(AccessError), mute_logger("odoo.models"):
                self.patient.with_user(user).message_post(body="forged", wa_message_id=1)
        # Discuss posts as superuser on the user's behalf: still refused.
        self.authenticate("sec_reception", "sec_reception")
        with mute_logger("odoo.http", "odoo.models"):
            response = self.url_open(
                "/mail/message/post",
                data=json.dumps(
                    {
                        "jsonrpc": "2.0",
                        "method": "call",
                        "params": {
                            "thread_model": "res.partner",
                            "thread_id": self.patient.id,
                            "post_data": {
                                "body": "forged through Discuss",
                                "message_type": "comment",
                                "subtype_xmlid": "dental_whatsapp.mt_whatsapp",
                            },
                        },
                    }
                ),
                headers={"Content-Type": "application/json"},
            )
        self.assertIn("error", response.json())
        self.assertFalse(
            self.env["mail.message"].search(
                [("subtype_id", "=", subtype.id), ("body", "ilike", "forged")]
            )
        )

    def test_entries_cannot_be_shown_to_anyone_else(self):
        for user in (self.reception, self.manager):
            for entry in (self.entry.with_user(user), self.entry.with_user(user).sudo()):
                with self.assertRaises(AccessError), mute_logger("odoo.models"):
                    entry.write({"partner_ids": [Command.link(self.portal.partner_id.id)]})
        self.assertFalse(self.entry.partner_ids)
        # Reading state stays free.
        self.entry.with_user(self.reception).toggle_message_starred()

    # ------------------------------------------------------------------ sending
    def test_sending_needs_a_dental_group_on_the_server(self):
        Message = self.env["dental.whatsapp.message"]
        start = self.rome(2026, 11, 30, 10, 0)
        event = self.env["calendar.event"].create(
            {
                "name": "Check-up",
                "start": start,
                "stop": self.rome(2026, 11, 30, 10, 30),
                "partner_ids": [Command.link(self.patient.id)],
            }
        )
        before = Message.search_count([])
        probes = [
            lambda: event.with_user(self.employee).action_wa_send_reminder(),
            lambda: event.with_user(self.employee).action_wa_send_confirmation(),
            lambda: self.patient.with_user(self.employee).action_wa_send_statement(),
            lambda: Message.with_user(self.employee)._wa_enqueue(
                self.patient, template=self.template
            ),
            lambda: Message.with_user(self.portal)._wa_enqueue(
                self.patient, template=self.template
            ),
        ]
        for probe in probes:
            with self.assertRaises(AccessError), mute_logger("odoo.models"):
                probe()
        self.assertEqual(Message.search_count([]), before)
        self.assertEqual(event.wa_confirmation_state, "to_confirm")

    def test_conduct_and_care_actions_check_their_group_on_the_server(self):
        """What the conduct safeguards and the care sheets add, called as RPC would:
        an employee with no dental group reaches none of it; reception reaches only
        what is theirs (not blocking, holding, approving sheets or the transcript)."""
        account = self.env["dental.whatsapp.account"].search([], limit=1)
        conversation = self.env["dental.whatsapp.conversation"]._wa_for(account, self.patient)
        sheet = (
            self.env["dental.whatsapp.instruction"]
            .with_user(self.dentist)
            .create({"name": "Night guard", "body": "Rinse it every morning."})
        )
        event = self.book(self.rome(2026, 11, 23, 10, 0), minutes=60)
        Transcript = self.env["dental.whatsapp.transcript"]
        employee_probes = [
            lambda: conversation.with_user(self.employee).read(["triage_label"]),
            lambda: conversation.with_user(self.employee).action_use_suggested_reply(),
            lambda: conversation.with_user(self.employee).action_put_on_hold(),
            lambda: sheet.with_user(self.employee).read(["body"]),
            lambda: event.with_user(self.employee).action_wa_mark_attended(),
            lambda: event.with_user(self.employee).action_wa_send_instructions(),
            lambda: (
                self.env["dental.whatsapp.instruction.send"]
                .with_user(self.employee)
                .create({"res_model": "res.partner", "res_id": self.patient.id})
            ),
            lambda: Transcript.with_user(self.employee).create(
                {"conversation_id": conversation.id}
            ),
        ]
        reception_probes = [
            lambda: conversation.with_user(self.reception).action_block_number(),
            lambda: conversation.with_user(self.reception).action_put_on_hold(),
            lambda: conversation.with_user(self.reception).write({"evidence_hold": True}),
            lambda: conversation.with_user(self.reception).write({"blocked": True}),
            lambda: sheet.with_user(self.reception).action_approve(),
            lambda: sheet.with_user(self.reception).write({"body": "Other words"}),
            lambda: event.with_user(self.reception).write({"wa_attendance": "attended"}),
            lambda: (
                Transcript.with_user(self.reception)
                .create({"conversation_id": conversation.id})
                .action_verify()
            ),
        ]
        for number, probe in enumerate(employee_probes + reception_probes):
            with (
                self.subTest(probe=number),
                self.assertRaises(AccessError),
                mute_logger("odoo.models"),
            ):
                probe()
        self.assertFalse(conversation.evidence_hold or conversation.blocked)
        self.assertEqual(sheet.review_state, "draft")
        self.assertEqual(sheet.body, "Rinse it every morning.")
        self.assertFalse(event.wa_attendance)

    # ------------------------------------------------------------------ consent
    def test_consent_and_number_change_only_with_a_record_of_why(self):
        for user in (self.employee, self.reception, self.manager):
            patient = self.patient.with_user(user)
            for vals in (
                {"wa_opt_out": True},
                {"wa_consent_billing": False},
                {"whatsapp_number": "+393470000000"},
                {"whatsapp_recipient_id": user.partner_id.id},
                {"wa_last_inbound_date": "2026-11-24 08:00:00"},
            ):
                with (
                    self.assertRaises(AccessError, msg=f"{user.login} {vals}"),
                    mute_logger("odoo.models"),
                ):
                    patient.write(vals)
        self.assertEqual(self.patient.whatsapp_number, PATIENT_NUMBER)
        # The way that is recorded: who, when and why.
        action = self.patient.with_user(self.reception).action_wa_record_consent()
        wizard = (
            self.env["dental.whatsapp.consent"]
            .with_user(self.reception)
            .with_context(**action["context"])
            .create({"source": "form", "billing": False, "reason": "Signed the new form"})
        )
        self.assertTrue(wizard.care)  # the current consent, offered to keep
        wizard.action_confirm()
        self.assertFalse(self.patient.wa_consent_billing)
        note = self.patient.message_ids[0]
        self.assertEqual(note.author_id, self.reception.partner_id)
        self.assertIn("Signed the new form", note.body)
        with self.assertRaises(UserError):
            self.env["dental.whatsapp.consent"].with_user(self.reception).create(
                {"partner_id": self.patient.id, "source": "form", "reason": " "}
            ).action_confirm()
        with self.assertRaises(AccessError), mute_logger("odoo.models"):
            self.env["dental.whatsapp.consent"].with_user(self.employee).create(
                {"partner_id": self.patient.id, "source": "form", "reason": "x"}
            )

    def test_new_patient_created_by_staff_records_who(self):
        desk = new_test_user(
            self.env,
            "sec_desk",
            groups="base.group_user,base.group_partner_manager,dental_whatsapp.group_reception",
        )
        partner = (
            self.env["res.partner"]
            .with_user(desk)
            .create({"name": "Nuovo Paziente", "whatsapp_number": "+39 347 111 2233"})
        )
        self.assertEqual(partner.whatsapp_number, "+393471112233")
        self.assertIn("Recorded when the contact was created", partner.message_ids[0].body)
        with self.assertRaises(AccessError), mute_logger("odoo.models"):
            self.env["res.partner"].with_user(self.employee).create(
                {"name": "Altro", "wa_consent_greetings": True}
            )

    # ------------------------------------------------------------------ templates
    def test_template_gates_cannot_be_skipped(self):
        template = self._make_template("probe_gate", "Ciao {{1}}", [("Nome", "name")])
        for vals in ({"meta_status": "approved"}, {"review_state": "approved"}):
            with self.assertRaises(AccessError), mute_logger("odoo.models"):
                template.with_user(self.dentist).write(vals)
        with self.assertRaises(AccessError), mute_logger("odoo.models"):
            self.env["dental.whatsapp.template"].with_user(self.manager).create(
                {"name": "sneaky", "body": "Hi", "meta_status": "approved"}
            )
        # The sync context from RPC does not keep the approvals.
        template.with_user(self.dentist).with_context(wa_template_sync=True).write(
            {"body": "Ciao {{1}}, paga subito"}
        )
        self.assertEqual((template.review_state, template.meta_status), ("draft", "draft"))

    def test_editing_a_variable_sends_the_template_back_to_review(self):
        template = self._make_template("probe_variable", "Ciao {{1}}", [("Nome", "name")])
        template.variable_ids.with_user(self.dentist).write({"example": "Mario"})
        self.assertEqual(template.review_state, "draft")
        template = self._make_template("probe_button", "Ciao {{1}}", [("Nome", "name")])
        self.env["dental.whatsapp.template.button"].with_user(self.dentist).create(
            {"template_id": template.id, "title": "Paga ora", "payload": "PAY"}
        )
        self.assertEqual((template.review_state, template.meta_status), ("draft", "draft"))

    def test_reception_cannot_submit_to_meta(self):
        template = self._make_template("probe_submit", "Ciao {{1}}", [("Nome", "name")])
        calls = len(self.sim_call("GET", "/_sim/requests"))
        with self.assertRaises(AccessError), mute_logger("odoo.models"):
            template.with_user(self.reception).action_submit_to_meta()
        self.assertEqual(len(self.sim_call("GET", "/_sim/requests")), calls)

    # ------------------------------------------------------------------ accounts
    def test_secrets_and_base_url_are_for_system_administrators(self):
        Account = self.env["dental.whatsapp.account"].with_user(self.manager)
        for vals in ({"app_secret": "mine"}, {"access_token": "t"}, {"base_url": self.sim.url}):
            with self.assertRaises(AccessError), mute_logger("odoo.models"):
                Account.create({"name": "X", "phone_number_id": "1", "waba_id": "2", **vals})
            with self.assertRaises(AccessError), mute_logger("odoo.models"):
                self.account.with_user(self.manager).write(vals)
        self.account.with_user(self.manager).write({"name": "Reception number"})
        for user in (self.portal, self.employee, self.manager):
            with self.assertRaises(AccessError), mute_logger("odoo.models"):
                self.account.with_user(user).action_regenerate_verify_token()
        self.assertEqual(self.account.verify_token, "test-verify-token")

    def test_base_url_is_https_or_this_computer(self):
        for url in ("http://attacker.example", "ftp://x", "https://user:pw@graph.facebook.com"):
            with self.assertRaises(ValidationError, msg=url):
                self.account.base_url = url
        for url in ("https://graph.facebook.com", "http://localhost:8765", "http://[::1]:9"):
            self.account.base_url = url

    def test_test_connection_checks_rights_before_calling_meta(self):
        calls = len(self.sim_call("GET", "/_sim/requests"))
        for user in (self.reception, self.employee):
            with self.assertRaises(AccessError), mute_logger("odoo.models"):
                self.account.with_user(user).action_test_connection()
        self.assertEqual(len(self.sim_call("GET", "/_sim/requests")), calls)
        self.account.with_user(self.manager).action_test_connection()

    # ------------------------------------------------------------------ companies
    def test_another_practice_sees_nothing_of_this_one(self):
        photo = self._inbound_photo().attachment_ids
        user = self.other_reception
        for model in ("dental.whatsapp.message", "dental.whatsapp.account"):
            self.assertFalse(self.env[model].with_user(user).search([]), model)
        with self.assertRaises(AccessError), mute_logger("odoo.models"):
            self.message.with_user(user).read(["body"])
        with self.assertRaises(AccessError), mute_logger("odoo.models"):
            photo.with_user(user).read(["datas"])
        self.assertFalse(
            self.env["dental.whatsapp.template"]
            .with_user(user)
            .search([("account_id", "=", self.account.id)])
        )
        # Its staff cannot send through this practice's number either.
        with self.assertRaises(UserError):
            self.env["dental.whatsapp.message"].with_user(user).with_company(
                self.other_company
            )._wa_enqueue(self.patient, template=self.template)

    def test_webhook_finds_the_account_by_phone_number_id(self):
        # Two numbers of one Meta app share the app secret.
        other = self.env["dental.whatsapp.account"].create(
            {
                "name": "Studio Due",
                "company_id": self.other_company.id,
                "phone_number_id": "100000000000777",
                "waba_id": "200000000000777",
                "access_token": "x",
                "app_secret": APP_SECRET,
                "base_url": self.sim.url,
            }
        )
        self.env["res.partner"].create(
            {
                "name": "Paziente di Studio Uno",
                "whatsapp_number": "+393405550000",
                "company_id": self.company.id,
            }
        )
        body = {
            "object": "whatsapp_business_account",
            "entry": [
                {
                    "id": other.waba_id,
                    "changes": [
                        {
                            "field": "messages",
                            "value": {
                                "messaging_product": "whatsapp",
                                "metadata": {
                                    "display_phone_number": "390200000777",
                                    "phone_number_id": other.phone_number_id,
                                },
                                "contacts": [{"wa_id": "393405550000", "profile": {"name": "L"}}],
                                "messages": [
                                    {
                                        "from": "393405550000",
                                        "id": "wamid.other-practice-1",
                                        "timestamp": "1795510800",
                                        "type": "text",
                                        "text": {"body": "Buongiorno"},
                                    }
                                ],
                            },
                        }
                    ],
                }
            ],
        }
        Event = self.env["dental.whatsapp.event"]
        before = Event.search([])
        self.assertEqual(self._post_webhook(json.dumps(body).encode()).status_code, 200)
        self.assertEqual((Event.search([]) - before).account_id, other)
        self.process_events()
        received = self.env["dental.whatsapp.message"].search(
            [("meta_message_id", "=", "wamid.other-practice-1")]
        )
        self.assertEqual(received.account_id, other)
        # The number belongs to a patient of the first practice: here it is a new enquiry.
        self.assertEqual(received.partner_id.company_id, self.other_company)
        self.assertTrue(received.partner_id.wa_new_enquiry)

    # ------------------------------------------------------------------ neutralize
    def test_a_neutralized_copy_keeps_no_secret_and_sends_nothing(self):
        sent_before = len(self.sim_messages())
        neutralize_database(self.env.cr)
        self.env.invalidate_all()
        account = self.account.sudo()
        self.assertFalse(account.access_token or account.app_secret or account.verify_token)
        self.assertEqual(account.base_url, "https://neutralized.invalid")
        self.assertEqual(self.dispatch(), 0)
        self.assertEqual(self.message.state, "queued")
        with self.assertRaises(UserError):
            self.account.action_test_connection()
        self.assertEqual(len(self.sim_messages()), sent_before)

    # ------------------------------------------------------------------ webhook edges
    def test_webhook_edges_never_answer_500(self):
        before = self.env["dental.whatsapp.event"].search_count([])
        with mute_logger(WEBHOOK_LOGGER):
            url = self.webhook_url + "?hub.mode=subscribe&hub.verify_token=%C3%A9&hub.challenge=1"
            self.assertEqual(requests.get(url, timeout=30).status_code, 403)
            huge = (
                b'{"object": "whatsapp_business_account", "entry": [], "x": "'
                + (b"a" * (3 * 1024 * 1024))
                + b'"}'
            )
            self.assertEqual(self._post_webhook(huge).status_code, 413)
            nested = b"[" * 10000 + b"]" * 10000
            self.assertEqual(self._post_webhook(nested).status_code, 400)
            utf16 = json.dumps({"object": "whatsapp_business_account", "entry": []}).encode(
                "utf-16"
            )
            self.assertEqual(self._post_webhook(utf16).status_code, 400)
            nul = b'{"object": "whatsapp_business_account", "entry": [], "x": "\x00"}'
            self.assertEqual(self._post_webhook(nul).status_code, 400)
            odd = json.dumps(
                {"object": "whatsapp_business_account", "entry": [{"changes": [{"value": 1}]}]}
            ).encode()
            self.assertEqual(self._post_webhook(odd).status_code, 400)
        self.assertEqual(self.env["dental.whatsapp.event"].search_count([]), before)
