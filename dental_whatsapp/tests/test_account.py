from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import WhatsappCase


@tagged("post_install", "-at_install")
class TestAccount(WhatsappCase):
    def test_test_connection_reads_the_number(self):
        action = self.account.action_test_connection()
        self.assertEqual(action["params"]["type"], "success")
        self.assertEqual(self.account.display_phone_number, self.sim.display_phone_number)
        self.assertEqual(self.account.quality_rating, "GREEN")
        self.assertTrue(self.account.last_check_date)

    def test_test_connection_with_a_wrong_token_says_so(self):
        self.account.access_token = "not-the-token"
        with self.assertRaises(UserError) as caught:
            self.account.action_test_connection()
        self.assertIn("token", str(caught.exception))
        self.assertIn("190", str(caught.exception))

    def test_secrets_are_for_system_administrators_only(self):
        manager = self.env["res.users"].create(
            {
                "name": "Practice manager",
                "login": "wa_manager",
                "groups_id": [
                    (
                        6,
                        0,
                        [
                            self.env.ref("base.group_user").id,
                            self.env.ref("dental_whatsapp.group_manager").id,
                        ],
                    )
                ],
            }
        )
        account = self.account.with_user(manager)
        self.assertEqual(account.phone_number_id, self.account.phone_number_id)
        with self.assertRaises(AccessError), mute_logger("odoo.models"):
            account.read(["access_token"])
        with self.assertRaises(AccessError), mute_logger("odoo.models"):
            account.read(["app_secret"])

    def test_bad_settings_are_refused_in_words(self):
        with self.assertRaises(ValidationError):
            self.account.throughput_limit = 0
        with self.assertRaises(ValidationError):
            self.account.throughput_limit = 5000
        with self.assertRaises(ValidationError):
            self.account.unknown_outcome_wait = 0
        with self.assertRaises(ValidationError):
            self.account.base_url = "graph.facebook.com"
