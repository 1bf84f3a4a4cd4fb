"""Seasonal wishes: a manager schedules them; on the day the patients who consented to
greetings get them, in opening hours, never more in 24 hours than Meta's messaging limit
of the number allows."""

from odoo.exceptions import AccessError, UserError
from odoo.tests import freeze_time, new_test_user, tagged

from .common import WhatsappCase

CHRISTMAS = "season_christmas"


@tagged("post_install", "-at_install")
class TestSeasonalWishes(WhatsappCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = new_test_user(
            cls.env,
            login="wishes_manager",
            name="Practice Manager",
            groups="base.group_user,dental_whatsapp.group_manager",
        )
        cls._approve_shipped([CHRISTMAS, "condolences"])
        cls.account.messaging_limit_tier = "TIER_50"
        Partner = cls.env["res.partner"]
        # The demo patients who consented are not this practice's audience here.
        Partner.search([("wa_consent_greetings", "=", True)]).wa_consent_greetings = False
        cls.consenting = Partner.create(
            [
                {
                    "name": f"Patient {n}",
                    "whatsapp_number": f"+3933300{n:05d}",
                    "lang": "it_IT" if n % 2 else "en_US",
                    "wa_consent_care": True,
                    "wa_consent_greetings": True,
                }
                for n in range(52)
            ]
        )
        greetings = {"wa_consent_care": True, "wa_consent_greetings": True}
        cls.left_out = Partner.create(
            [
                {
                    "name": "No greetings",
                    "whatsapp_number": "+393339990101",
                    "wa_consent_care": True,
                },
                {
                    "name": "Deceased",
                    "whatsapp_number": "+393339990102",
                    "wa_deceased": True,
                    **greetings,
                },
                {"name": "Opted out", "whatsapp_number": "+393339990103", **greetings},
                {
                    "name": "Archived",
                    "whatsapp_number": "+393339990104",
                    "active": False,
                    **greetings,
                },
            ]
        )
        cls.left_out[2]._wa_set_opt_out("STOP")

    def campaign(self, day, template=CHRISTMAS):
        template = self.env["dental.whatsapp.template"].search(
            [("name", "=", template), ("language", "=", "it")], limit=1
        )
        return (
            self.env["dental.whatsapp.greeting.campaign"]
            .with_user(self.manager)
            .create({"name": "Natale", "template_id": template.id, "send_date": day})
        )

    def wishes(self, partners):
        return [
            m for partner in partners for m in self.sim_sent(partner) if m["template"] == CHRISTMAS
        ]

    def test_the_wishes_reach_the_consenting_patients_within_the_messaging_limit(self):
        campaign = self.campaign("2026-11-24")
        with self.assertRaises(AccessError):
            campaign.with_user(self.reception).action_schedule()
        campaign.with_user(self.manager).action_schedule()
        with freeze_time(self.rome(2026, 11, 24, 10, 0)):
            self.env["dental.whatsapp.greeting.campaign"]._cron_send_campaigns()
            self.dispatch()
        self.assertEqual(len(self.wishes(self.consenting)), 50, "Meta allows 50 patients a day")
        self.assertEqual(campaign.state, "sending")
        self.assertIn("50 patients in 24 hours", str(campaign.message_ids.mapped("body")))
        with freeze_time(self.rome(2026, 11, 24, 16, 0)):
            self.env["dental.whatsapp.greeting.campaign"]._cron_send_campaigns()
            self.dispatch()
        self.assertEqual(len(self.wishes(self.consenting)), 50, "not within the same 24 hours")
        with freeze_time(self.rome(2026, 11, 25, 10, 30)):
            self.env["dental.whatsapp.greeting.campaign"]._cron_send_campaigns()
            self.dispatch()
        sent = self.wishes(self.consenting)
        self.assertEqual(len(sent), 52, "the rest the next day")
        self.assertEqual({m["language"] for m in sent}, {"it", "en"}, "each in their language")
        self.assertEqual(campaign.state, "done")
        self.assertFalse(self.wishes(self.left_out | self.patient))
        # Once each: another run sends nothing again.
        with freeze_time(self.rome(2026, 11, 26, 10, 30)):
            self.env["dental.whatsapp.greeting.campaign"]._cron_send_campaigns()
            self.dispatch()
        self.assertEqual(len(self.wishes(self.consenting)), 52)

    def test_wishes_for_a_closed_day_wait_for_the_opening(self):
        self.account.messaging_limit_tier = "TIER_UNLIMITED"
        campaign = self.campaign("2026-11-28")  # a Saturday: the practice is closed
        campaign.with_user(self.manager).action_schedule()
        with freeze_time(self.rome(2026, 11, 28, 10, 0)):
            self.env["dental.whatsapp.greeting.campaign"]._cron_send_campaigns()
            self.dispatch()
        self.assertFalse(self.wishes(self.consenting))
        queued = campaign._wa_messages()
        self.assertEqual(len(queued), 52)
        self.assertEqual(set(queued.mapped("scheduled_at")), {self.rome(2026, 11, 30, 9, 0)})

    def test_condolences_are_never_sent_to_many(self):
        campaign = self.campaign("2026-11-30", template="condolences")
        with self.assertRaisesRegex(UserError, "Condolences are never sent to many"):
            campaign.with_user(self.manager).action_schedule()
        past = self.campaign("2026-11-20")
        with self.assertRaisesRegex(UserError, "has passed"):
            past.with_user(self.manager).action_schedule()

    def test_cancelling_withdraws_the_wishes_still_waiting(self):
        campaign = self.campaign("2026-11-28")
        campaign.with_user(self.manager).action_schedule()
        with freeze_time(self.rome(2026, 11, 28, 10, 0)):
            self.env["dental.whatsapp.greeting.campaign"]._cron_send_campaigns()
        campaign.with_user(self.manager).action_cancel()
        self.assertEqual(set(campaign._wa_messages().mapped("state")), {"cancelled"})
        self.assertEqual(campaign.state, "cancelled")
