from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import WhatsappCase


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
