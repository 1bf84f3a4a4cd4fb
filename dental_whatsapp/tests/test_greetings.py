"""Greetings: birthday wishes once a year to the patients who want them, never late, and
marketing templates only to patients who consented to greetings and news."""

from datetime import date, datetime, timedelta

from odoo.exceptions import AccessError
from odoo.tests import Form, freeze_time, new_test_user, tagged

from .common import WhatsappCase, WhatsappHttpCase

BIRTHDAY = "birthday_wishes"


@tagged("post_install", "-at_install")
class TestGreetings(WhatsappCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._approve_shipped([BIRTHDAY, "congratulations", "condolences"])
        cls.reception = new_test_user(
            cls.env,
            login="greetings_reception",
            name="Giulia Reception",
            groups="base.group_user,dental_whatsapp.group_reception",
        )
        cls.employee = new_test_user(
            cls.env, login="greetings_employee", name="Accounting", groups="base.group_user"
        )
        cls.company.write({"wa_birthday_enabled": True, "wa_birthday_hour": 10})
        numbers = iter(range(10, 99))

        def patient(name, birth, **values):
            return cls.env["res.partner"].create(
                {
                    "name": name,
                    "whatsapp_number": f"+3934700000{next(numbers):02d}",
                    "lang": "en_US",
                    "wa_consent_greetings": True,
                    "wa_birth_date": birth,
                    **values,
                }
            )

        # 10 March 2027 is a Wednesday: the practice is open at 10:00.
        cls.wanted = patient("Anna Wanted", date(1970, 3, 10))
        # 29 February: 28 February 2027 is a Sunday, the wish leaves on Friday the 26th.
        cls.leap = patient("Leo Leap", date(1988, 2, 29))
        # 6 December 2026 is a Sunday: the last opening before it is Friday afternoon.
        cls.sunday = patient("Sara Sunday", date(1990, 12, 6))
        cls.no_consent = patient("Nino Noconsent", date(1970, 4, 14), wa_consent_greetings=False)
        cls.deceased = patient("Dario Deceased", date(1950, 5, 12), wa_deceased=True)
        cls.archived = patient("Aldo Archived", date(1960, 6, 15))
        cls.archived.active = False
        cls.opted_out = patient("Olga Optout", date(1975, 7, 14))
        cls.opted_out._wa_set_opt_out()

    def run_hour(self, moment):
        with freeze_time(moment):
            self.env["dental.whatsapp.birthday"]._cron_send_birthday_wishes()
            self.dispatch()

    def test_a_simulated_year_gives_one_wish_to_each_patient_who_wants_one(self):
        self.sim_call("POST", "/_sim/reset", json={"keep_templates": True})
        day = datetime(2026, 11, 25)
        sent_on = {}
        while day < datetime(2027, 11, 25):
            for hour in (7, 9, 13, 17):  # UTC: 08, 10, 14, 18 in Rome (winter)
                self.run_hour(day + timedelta(hours=hour))
            for partner in (self.wanted, self.leap, self.sunday):
                if partner not in sent_on and self.sim_sent(partner):
                    sent_on[partner] = day.date()
            day += timedelta(days=1)
        for partner in (self.wanted, self.leap, self.sunday):
            sent = self.assertWhatsAppSent(partner, template=BIRTHDAY, count=1)
            self.assertEqual(sent[0]["params"][0], partner.name)
        self.assertEqual(sent_on[self.wanted], date(2027, 3, 10))
        self.assertEqual(sent_on[self.leap], date(2027, 2, 26), "Friday before Sunday 28")
        self.assertEqual(sent_on[self.sunday], date(2026, 12, 4), "Friday before Sunday 6")
        for partner in (self.no_consent, self.deceased, self.archived, self.opted_out):
            self.assertFalse(self.sim_sent(partner), partner.name)

    def test_the_wish_leaves_at_the_hour_and_only_once(self):
        self.sim_call("POST", "/_sim/reset", json={"keep_templates": True})
        self.run_hour(self.rome(2027, 3, 10, 9, 30))
        self.assertFalse(self.sim_sent(self.wanted), "not before the hour")
        self.run_hour(self.rome(2027, 3, 10, 10, 5))
        self.assertWhatsAppSent(self.wanted, template=BIRTHDAY, count=1)
        self.run_hour(self.rome(2027, 3, 10, 11, 5))
        self.run_hour(self.rome(2027, 3, 10, 16, 5))
        self.assertWhatsAppSent(self.wanted, template=BIRTHDAY, count=1)

    def test_a_wish_that_cannot_leave_on_the_birthday_is_cancelled(self):
        self.sim_call("POST", "/_sim/reset", json={"keep_templates": True})
        with freeze_time(self.rome(2027, 3, 10, 10, 5)):
            self.env["dental.whatsapp.birthday"]._cron_send_birthday_wishes()
        wish = self.assertWhatsAppQueued(self.wanted, template=BIRTHDAY)
        # The outbox was down the whole day: the next morning it is too late.
        with freeze_time(self.rome(2027, 3, 11, 9, 5)):
            self.dispatch()
        self.assertEqual(wish.state, "cancelled")
        self.assertIn("not sent late", wish.error_message or "")
        self.assertFalse(self.sim_sent(self.wanted))

    def test_a_marketing_template_needs_the_greetings_consent(self):
        self._freeze_open_time()
        news = self._make_template(
            "practice_news", "Dear {{1}}, our practice has news.", [("Patient name", "name")]
        )
        # Filed under care by mistake: Meta's category decides.
        news.with_context(wa_template_sync=True).meta_category = "MARKETING"
        refused = self.enqueue(self.patient, template=news, raise_on_refusal=False)
        self.assertEqual(refused.state, "cancelled")
        self.assertIn("has not consented", refused.error_message)
        welcome = self.enqueue(self.wanted, template=news, raise_on_refusal=False)
        self.assertEqual(welcome.state, "queued", welcome.error_message)
        # Consent to greetings given once, then "STOP": the opt-out wins.
        stopped = self.enqueue(self.opted_out, template=news, raise_on_refusal=False)
        self.assertEqual(stopped.state, "cancelled")
        self.assertIn("asked to stop", stopped.error_message)

    def test_reception_sends_condolences_from_the_form(self):
        self._freeze_open_time()
        widow = self.wanted.with_user(self.reception)
        action = widow.action_wa_send_condolences()
        composer = Form(
            self.env[action["res_model"]]
            .with_user(self.reception)
            .with_context(**action["context"])
        )
        self.assertEqual(composer.template_id.name, "condolences")
        self.assertEqual(composer.template_id.language, "en")
        composer.save().action_send()
        self.dispatch()
        sent = self.assertWhatsAppSent(self.wanted, template="condolences")
        self.assertEqual(sent[0]["params"], [self.wanted.name, self.company.name])

    def test_an_employee_outside_the_dental_groups_cannot_open_them(self):
        patient = self.wanted.with_user(self.employee)
        with self.assertRaises(AccessError):
            patient.action_wa_send_condolences()
        with self.assertRaises(AccessError):
            patient.action_wa_send_congratulations()

    def test_condolences_are_never_automatic(self):
        # No scheduled job names them, and the birthday job, the only greeting that
        # leaves on its own, sends its own template and nothing else.
        crons = self.env["ir.cron"].with_context(active_test=False).search([])
        self.assertFalse([c.name for c in crons if "condolences" in (c.code or "")])
        self.sim_call("POST", "/_sim/reset", json={"keep_templates": True})
        for day in range(1, 32):
            self.run_hour(self.rome(2027, 3, day, 10, 5))
        templates = self.env["dental.whatsapp.message"].search([]).mapped("template_id.name")
        self.assertNotIn("condolences", templates)
        self.assertIn(BIRTHDAY, templates)


@tagged("post_install", "-at_install")
class TestMarketingLimit(WhatsappHttpCase):
    """Meta's per-user marketing limit (131049) arrives in the status webhook after the
    send was accepted: a greeting is tried again the next day, not at once."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._approve_shipped([BIRTHDAY])
        cls.company.write({"wa_birthday_enabled": True, "wa_birthday_hour": 10})
        cls.friend = cls.env["res.partner"].create(
            {
                "name": "Anna Wanted",
                "whatsapp_number": "+393470000049",
                "lang": "en_US",
                "wa_consent_greetings": True,
                "wa_birth_date": date(1970, 3, 10),
            }
        )

    def settle(self):
        self.dispatch()
        self.flush_webhooks()
        self.process_events()

    def test_a_wish_meta_held_back_is_tried_again_the_next_day(self):
        number = self.friend.whatsapp_number.lstrip("+")
        self.sim_call("POST", "/_sim/numbers", json={"wa_id": number, "marketing_limit": True})
        with freeze_time(self.rome(2027, 3, 10, 10, 5)):
            self.env["dental.whatsapp.birthday"]._cron_send_birthday_wishes()
            self.settle()
        Message = self.env["dental.whatsapp.message"]
        first = Message.search([("partner_id", "=", self.friend.id), ("retry_of_id", "=", False)])
        self.assertEqual(len(first), 1)
        self.assertEqual((first.state, first.error_code), ("failed", "131049"))
        retry = Message.search([("retry_of_id", "=", first.id)])
        self.assertEqual(retry.state, "queued", "not at once: the next day")
        self.assertEqual(retry.scheduled_at, self.rome(2027, 3, 11, 9, 0))
        self.assertEqual(retry.template_values, first.template_values)
        notes = self.friend.message_ids.mapped("body")
        self.assertTrue(any("tried again on" in (body or "") for body in notes), notes)

        self.sim_call("POST", "/_sim/numbers", json={"wa_id": number, "marketing_limit": False})
        with freeze_time(self.rome(2027, 3, 10, 16, 0)):
            self.settle()
        self.assertEqual(retry.state, "queued", "still waiting for tomorrow")
        with freeze_time(self.rome(2027, 3, 11, 9, 5)):
            self.env["dental.whatsapp.birthday"]._cron_send_birthday_wishes()
            self.settle()
        self.assertIn(retry.state, ("sent", "delivered", "read"))
        self.assertEqual(first.state, "failed", "the first one's state never goes back")
        self.assertEqual(Message.search_count([("partner_id", "=", self.friend.id)]), 2)

    def test_it_is_tried_again_three_days_at_most(self):
        number = self.friend.whatsapp_number.lstrip("+")
        self.sim_call("POST", "/_sim/numbers", json={"wa_id": number, "marketing_limit": True})
        for day in (10, 11, 12, 15, 16):  # Friday 12 March, then Monday
            with freeze_time(self.rome(2027, 3, day, 10, 5)):
                self.env["dental.whatsapp.birthday"]._cron_send_birthday_wishes()
                self.settle()
        messages = self.env["dental.whatsapp.message"].search([("partner_id", "=", self.friend.id)])
        self.assertEqual(len(messages), 4, "the wish and three more tries")
        self.assertEqual(set(messages.mapped("state")), {"failed"})

    def test_a_message_that_is_not_marketing_is_not_tried_again(self):
        message = self.enqueue(self.patient)
        self.assertFalse(message._wa_retry_marketing_limit())

    def test_the_account_reads_its_messaging_limit_from_meta(self):
        self.assertEqual(self.account.messaging_limit_tier, "TIER_250")
        self.sim_call("POST", "/_sim/config", json={"messaging_limit_tier": "TIER_1K"})
        self.addCleanup(
            self.sim_call, "POST", "/_sim/config", json={"messaging_limit_tier": "TIER_250"}
        )
        self.account.action_test_connection()
        self.assertEqual(self.account.messaging_limit_tier, "TIER_1K")
