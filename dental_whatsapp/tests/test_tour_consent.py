from odoo.tests import new_test_user, tagged

from .common import WhatsappHttpCase


@tagged("post_install", "-at_install")
class TestConsentTour(WhatsappHttpCase):
    def test_reception_updates_consent_in_the_browser(self):
        desk = new_test_user(
            self.env,
            "tour_desk",
            groups="base.group_user,base.group_partner_manager,dental_whatsapp.group_reception",
            email="desk@studio.example",
        )
        self.patient.sudo().wa_consent_billing = False
        self.start_tour(
            f"/odoo/res.partner/{self.patient.id}",
            "dental_whatsapp_consent_tour",
            login=desk.login,
        )
        self.assertTrue(self.patient.wa_consent_billing)
        note = self.patient.message_ids.filtered(lambda m: "Signed the consent form" in m.body)
        self.assertEqual(note.author_id, desk.partner_id)
