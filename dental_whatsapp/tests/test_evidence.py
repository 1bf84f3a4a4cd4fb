# pylint: disable=invalid-commit
import base64
import itertools
import json

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger
from psycopg2.errors import SerializationFailure

from ..tools import evidence
from .common import PATIENT_NUMBER, WhatsappCase, WhatsappHttpCase


@tagged("post_install", "-at_install")
class TestEvidence(WhatsappCase):
    def setUp(self):
        super().setUp()
        self.message = self.env["dental.whatsapp.message"]._wa_enqueue(
            self.patient, template=self.template
        )
        self.entry = self.message.mail_message_ids

    def test_reception_cannot_edit_or_delete_messages(self):
        message = self.message.with_user(self.reception)
        self.assertTrue(message.body)  # can read
        with self.assertRaises(AccessError):
            message.write({"body": "something else"})
        with self.assertRaises(AccessError):
            message.unlink()

    def test_reception_cannot_edit_or_delete_the_chatter_entry(self):
        entry = self.entry.with_user(self.reception)
        with self.assertRaises(AccessError):
            entry.write({"body": "<p>rewritten</p>"})
        with self.assertRaises(AccessError):
            entry.unlink()
        with self.assertRaises(AccessError):
            entry.sudo().write({"body": "<p>rewritten as superuser on their behalf</p>"})
        with self.assertRaises(AccessError):
            self.patient.with_user(self.reception)._message_update_content(entry, "<p>x</p>")

    def test_deleting_the_patient_does_not_delete_the_evidence(self):
        with self.assertRaises(AccessError):
            self.patient.with_user(self.reception).sudo().unlink()

    def test_system_administrator_can_and_is_logged(self):
        admin = self.env.ref("base.user_admin")
        with self.assertLogs("odoo.addons.dental_whatsapp.models.mail_message", "WARNING") as logs:
            self.entry.with_user(admin).write({"body": "<p>corrected by the administrator</p>"})
        self.assertIn(admin.login, logs.output[0])


@tagged("post_install", "-at_install")
class TestEvidenceChain(WhatsappHttpCase):
    """The transcript, its seal and the evidence hold, over the simulator: the patient
    writes, sends a photo, edits and deletes; reception answers."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.reception = new_test_user(
            cls.env,
            login="ev_reception",
            name="Giulia Reception",
            groups="base.group_user,dental_whatsapp.group_reception",
        )
        cls.dentist = new_test_user(
            cls.env,
            login="ev_dentist",
            name="Dott. Bianchi",
            groups="base.group_user,dental_whatsapp.group_dentist",
        )
        cls.manager = new_test_user(
            cls.env,
            login="ev_manager",
            name="Dott. Verdi",
            groups="base.group_user,dental_whatsapp.group_manager",
        )
        cls.admin = cls.env.ref("base.user_admin")

    # ------------------------------------------------------------------ helpers
    def patient_sends(self, body):
        sent = self.sim_call("POST", "/_sim/inbound", json={"from": PATIENT_NUMBER[1:], **body})
        self.flush_webhooks()
        self.process_events()
        return sent["id"]

    def conversation(self):
        return self.env["dental.whatsapp.conversation"].search(
            [("partner_id", "=", self.patient.id), ("account_id", "=", self.account.id)]
        )

    def by_wamid(self, wamid):
        return self.env["dental.whatsapp.message"].search([("meta_message_id", "=", wamid)])

    def hold(self, conversation):
        conversation.sudo().write(
            {
                "evidence_hold": True,
                "evidence_hold_date": fields.Datetime.now(),
                "evidence_hold_reason": "The patient's lawyer wrote",
            }
        )

    def exchange(self):
        """Text, a photo, an edit, a staff reply (delivered and read), a deletion."""
        first = self.patient_sends({"type": "text", "text": "Vengo alle 10, è urgente"})
        photo = self.patient_sends({"type": "image", "caption": "La protesi rotta"})
        self.env["dental.whatsapp.inbound"]._cron_download_media()
        self.sim_call("POST", "/_sim/edit", json={"message_id": first, "text": "Vengo alle 11"})
        self.flush_webhooks()
        self.process_events()
        conversation = self.conversation()
        desk = conversation.with_user(self.reception)
        desk.reply_body = "Va bene, La aspettiamo alle 11."
        desk.action_send_reply()
        self.dispatch()
        self.flush_webhooks()
        self.process_events()
        self.sim_call("POST", "/_sim/revoke", json={"message_id": photo})
        self.flush_webhooks()
        self.process_events()
        return conversation, self.by_wamid(first), self.by_wamid(photo)

    def transcript(self, conversation, user=None):
        return (
            self.env["dental.whatsapp.transcript"]
            .with_user(user or self.dentist)
            .create({"conversation_id": conversation.id})
        )

    # ------------------------------------------------------------------ the seal
    def test_every_message_is_sealed_in_its_conversation_s_chain(self):
        # A reminder queued before the patient ever wrote: sealed when the conversation
        # is opened by the patient's first message (backfill).
        reminder = self.enqueue(self.patient)
        self.assertFalse(reminder.evidence_hash, "no conversation yet, no chain")
        conversation, first, photo = self.exchange()
        messages = conversation.wa_message_ids.sorted("evidence_seq")
        self.assertEqual(len(messages), 5)
        self.assertEqual(messages.mapped("evidence_seq"), [1, 2, 3, 4, 5])
        self.assertEqual(messages[0], reminder)
        self.assertEqual(messages[1], first)
        self.assertFalse(messages[0].evidence_prev_id)
        for previous, message in itertools.pairwise(messages):
            self.assertEqual(message.evidence_prev_id, previous)
            self.assertEqual(
                message.evidence_hash,
                evidence.seal(previous.evidence_hash, message._wa_evidence_entry()),
            )
        # The photo downloaded, delivered and read times and the deletion came after
        # the seal: the chain still holds.
        self.assertTrue(photo.revoked_date and photo.attachment_ids)
        intact, words = self.transcript(conversation)._wa_verify()
        self.assertTrue(intact, words)
        with self.assertRaises(AccessError):
            first.with_user(self.admin).write({"evidence_hash": "0" * 64})

    def test_transcript_pdf_and_json_show_every_message_and_the_chain(self):
        conversation, _first, photo = self.exchange()
        wizard = self.transcript(conversation)
        action = wizard.action_print()
        self.assertEqual(action["report_name"], "dental_whatsapp.report_wa_transcript")
        content, _kind = (
            self.env["ir.actions.report"]
            .with_user(self.dentist)
            ._render_qweb_pdf("dental_whatsapp.action_report_wa_transcript", wizard.ids)
        )
        html = content.decode()
        last = conversation.wa_message_ids.sorted("evidence_seq")[-1]
        for words in (
            "WhatsApp Evidence Transcript",
            "Maria Rossi",
            PATIENT_NUMBER,
            "Vengo alle 10, è urgente",  # the original, kept
            "Vengo alle 11",  # the edit
            "La protesi rotta",
            "Deleted by the patient",
            "Giulia Reception",
            "Va bene, La aspettiamo alle 11.",
            "Delivered",
            "Read",
            last.evidence_hash,
            "Intact: 4 messages",
            "not sealed",  # the footnote says what is mutable
            photo.attachment_ids.checksum,
        ):
            self.assertIn(words.replace("'", "&#39;") if "'" in words else words, html)

        wizard.action_export_json()
        data = json.loads(base64.b64decode(wizard.json_file))
        self.assertTrue(wizard.json_filename.endswith(".json"))
        self.assertEqual(len(data["messages"]), len(conversation.wa_message_ids))
        self.assertTrue(data["intact"])
        self.assertEqual(data["last_hash"], last.evidence_hash)
        previous = evidence.GENESIS
        for row in data["messages"]:
            # Anyone can recompute the chain from the export alone.
            self.assertEqual(row["prev_hash"], previous)
            self.assertEqual(evidence.seal(previous, row["sealed_entry"]), row["hash"])
            previous = row["hash"]
        reply = next(r for r in data["messages"] if r["direction"] == "out")
        self.assertEqual(reply["author"], "Giulia Reception")
        self.assertTrue(reply["delivered"] and reply["read"])
        edit = next(r for r in data["messages"] if r["edit_of"])
        self.assertEqual(edit["edit_of_text"], "Vengo alle 10, è urgente")
        image = next(r for r in data["messages"] if r["id"] == photo.id)
        self.assertTrue(image["revoked"] and image["meta_media_id"] and image["media"])

    def test_verify_names_a_changed_body_and_a_missing_message(self):
        conversation, first, photo = self.exchange()
        wizard = self.transcript(conversation)
        wizard.action_verify()
        self.assertTrue(wizard.intact)
        last = conversation.wa_message_ids.sorted("evidence_seq")[-1]
        self.assertEqual(
            wizard.verification, f"Intact: 4 messages, last hash {last.evidence_hash}."
        )

        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE dental_whatsapp_message SET body = %s WHERE id = %s",
            ["Non vengo più", first.id],
        )
        wizard.action_verify()
        self.assertFalse(wizard.intact)
        when = wizard._wa_local(first._wa_evidence_time())
        self.assertIn(
            f"The message of {when} from Maria Rossi differs from its seal.", wizard.verification
        )
        self.env.cr.execute(
            "UPDATE dental_whatsapp_message SET body = %s WHERE id = %s",
            ["Vengo alle 10, è urgente", first.id],
        )
        wizard.action_verify()
        self.assertTrue(wizard.intact, wizard.verification)

        # A row deleted behind Odoo's back: the chain says one is missing, and where.
        after = conversation.wa_message_ids.filtered(
            lambda m: m.evidence_seq == photo.evidence_seq + 1
        )
        self.env.cr.execute("DELETE FROM dental_whatsapp_message WHERE id = %s", [photo.id])
        wizard.action_verify()
        self.assertFalse(wizard.intact)
        when = wizard._wa_local(after._wa_evidence_time())
        self.assertIn(
            f"A message is missing before the message of {when} from", wizard.verification
        )

    # ------------------------------------------------------------------ who may
    def test_only_dentists_and_managers_print_export_or_verify(self):
        conversation, _first, _photo = self.exchange()
        with self.assertRaises(AccessError):
            self.transcript(conversation, user=self.reception)
        wizard = self.transcript(conversation, user=self.manager)
        for method in ("action_print", "action_export_json", "action_verify"):
            with self.assertRaises(AccessError):
                getattr(wizard.with_user(self.reception), method)()
        self.assertTrue(wizard.action_verify())

    # ------------------------------------------------------------------ the hold
    def test_on_hold_nobody_deletes_or_edits_not_even_the_superuser(self):
        conversation, first, photo = self.exchange()
        self.hold(conversation)
        entry = first.mail_message_ids[:1]
        note = conversation.message_ids.filtered(lambda m: not m.wa_message_id)[:1]
        attachment = photo.attachment_ids
        for env in (self.env(user=self.admin), self.env):  # administrator, superuser
            with self.assertRaisesRegex(UserError, "evidence hold since"):
                first.with_env(env).unlink()
            with self.assertRaisesRegex(UserError, "evidence hold since"):
                first.with_env(env).write({"body": "rewritten"})
            with self.assertRaisesRegex(UserError, "evidence hold since"):
                entry.with_env(env).unlink()
            with self.assertRaisesRegex(UserError, "evidence hold since"):
                entry.with_env(env).write({"body": "<p>rewritten</p>"})
            with self.assertRaisesRegex(UserError, "evidence hold since"):
                note.with_env(env).write({"body": "<p>rewritten</p>"})
            with self.assertRaisesRegex(UserError, "evidence hold since"):
                attachment.with_env(env).unlink()
            with self.assertRaisesRegex(UserError, "evidence hold since"):
                attachment.with_env(env).write({"name": "renamed.jpg"})
            with self.assertRaisesRegex(UserError, "evidence hold since"):
                conversation.with_env(env).sudo().unlink()
            with self.assertRaisesRegex(UserError, "evidence hold since"):
                conversation.with_env(env).sudo().write({"evidence_hold": False})
        with self.assertRaisesRegex(UserError, "only a manager|Only a manager"):
            first.sudo().unlink()
        self.assertTrue(first.exists() and entry.exists() and attachment.exists())

    def test_on_hold_status_updates_and_new_messages_still_apply(self):
        self.patient_sends({"type": "text", "text": "Buongiorno"})
        conversation = self.conversation()
        desk = conversation.with_user(self.reception)
        desk.reply_body = "Buongiorno a Lei"
        desk.action_send_reply()
        reply = conversation.wa_message_ids.filtered(lambda m: m.direction == "out")
        self.dispatch()
        self.hold(conversation)
        self.flush_webhooks()
        self.process_events()
        self.assertEqual(reply.state, "read", "Meta's statuses still reach a held message")
        self.assertTrue(reply.delivered_date)
        wamid = self.patient_sends({"type": "text", "text": "Grazie"})
        later = self.by_wamid(wamid)
        self.assertEqual(later.evidence_seq, 3, "the patient may keep writing: sealed")
        self.assertTrue(self.transcript(conversation)._wa_verify()[0])

    def test_a_manager_lifts_the_hold_with_a_reason_then_the_usual_rules_apply(self):
        conversation, first, _photo = self.exchange()
        self.hold(conversation)
        Lift = self.env["dental.whatsapp.hold.lift"]
        for user in (self.reception, self.dentist):
            with self.assertRaises(AccessError):
                Lift.with_user(user).create({"conversation_id": conversation.id, "reason": "x"})
        lift = Lift.with_user(self.manager).create(
            {"conversation_id": conversation.id, "reason": "The lawyer closed the matter"}
        )
        with self.assertRaises(AccessError):
            lift.with_user(self.reception).action_lift()
        with self.assertLogs(
            "odoo.addons.dental_whatsapp.wizard.dental_whatsapp_hold_lift", "WARNING"
        ) as logs:
            lift.action_lift()
        self.assertIn("ev_manager", logs.output[0])
        self.assertFalse(conversation.evidence_hold)
        note = conversation.message_ids[:1]
        self.assertIn("Dott. Verdi", str(note.body))
        self.assertIn("The lawyer closed the matter", str(note.body))
        # The usual evidence rules again: reception cannot, the administrator can (logged).
        entry = first.mail_message_ids[:1]
        with self.assertRaises(AccessError):
            entry.with_user(self.reception).write({"body": "<p>x</p>"})
        with self.assertLogs("odoo.addons.dental_whatsapp.models.mail_message", "WARNING"):
            entry.with_user(self.admin).write({"body": "<p>corrected by the administrator</p>"})


@tagged("post_install", "-at_install")
class TestEvidenceChainConcurrency(WhatsappCase):
    """Two messages of one conversation sealed at once, by two workers on committed
    cursors (the test transaction is invisible to other connections): the second waits
    for the first and is tried again, it never seals after a stale last seal."""

    def setUp(self):
        super().setUp()
        with self.registry.cursor() as cr:
            env = self._committed_env(cr)
            env = env(context={"mail_create_nolog": True, "mail_create_nosubscribe": True})
            account = env["dental.whatsapp.account"].create(
                {
                    "name": "Chain concurrency",
                    "phone_number_id": "100000000000778",
                    "waba_id": "200000000000902",
                    "access_token": "test-access-token",
                    "app_secret": "test-app-secret",
                    "base_url": self.sim.url,
                    "sequence": 998,
                }
            )
            partner = env["res.partner"].create(
                {"name": "Chain patient", "whatsapp_number": "+393339990001"}
            )
            conversation = env["dental.whatsapp.conversation"].create(
                {"account_id": account.id, "partner_id": partner.id}
            )
            self.ids_ = {
                "account": account.id,
                "partner": partner.id,
                "conversation": conversation.id,
            }
        self.addCleanup(self._cleanup)

    def _cleanup(self):
        ids = self.ids_
        with self.registry.cursor() as cr:
            # Evidence rows are protected from the ORM's unlink: remove test data in SQL.
            cr.execute(
                "DELETE FROM dental_whatsapp_message WHERE account_id = %s", (ids["account"],)
            )
            self._purge(cr, "dental.whatsapp.conversation", ids["conversation"])
            self._purge(cr, "dental.whatsapp.account", ids["account"])
            self._purge(cr, "res.partner", ids["partner"])

    def _receive(self, env, body):
        return (
            env["dental.whatsapp.message"]
            .sudo()
            .create(
                {
                    "account_id": self.ids_["account"],
                    "conversation_id": self.ids_["conversation"],
                    "direction": "in",
                    "partner_id": self.ids_["partner"],
                    "number": "+393339990001",
                    "body": body,
                    "state": "received",
                    "received_date": fields.Datetime.now(),
                }
            )
        )

    def test_two_messages_at_once_do_not_fork_the_chain(self):
        conversation_id = self.ids_["conversation"]
        with self.registry.cursor() as first_cr, self.registry.cursor() as second_cr:
            first, second = self._committed_env(first_cr), self._committed_env(second_cr)
            # The second worker's transaction takes its snapshot...
            second["dental.whatsapp.conversation"].browse(conversation_id).read(["state"])
            # ...the first seals its message and commits...
            self._receive(first, "Uno")
            first_cr.commit()  # pylint: disable=invalid-commit
            # ...the second cannot seal after the last seal it saw: it is tried again.
            with mute_logger("odoo.sql_db"), self.assertRaises(SerializationFailure):
                self._receive(second, "Due")
            second_cr.rollback()
            self._receive(second, "Due")
            second_cr.commit()  # pylint: disable=invalid-commit
        with self.registry.cursor() as cr:
            env = self._committed_env(cr)
            messages = (
                env["dental.whatsapp.message"]
                .search([("conversation_id", "=", conversation_id)])
                .sorted("evidence_seq")
            )
            self.assertEqual(messages.mapped("body"), ["Uno", "Due"])
            self.assertEqual(messages.mapped("evidence_seq"), [1, 2])
            self.assertEqual(messages[1].evidence_prev_id, messages[0])
            transcript = env["dental.whatsapp.transcript"].create(
                {"conversation_id": conversation_id}
            )
            intact, words = transcript._wa_verify()
            self.assertTrue(intact, words)
