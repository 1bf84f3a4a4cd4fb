"""Greetings: birthday wishes once a year to the patients who want them, never late, and
marketing templates only to patients who consented to greetings and news."""

from datetime import date, datetime, timedelta

from odoo.tests import freeze_time, tagged

from .common import WhatsappCase

BIRTHDAY = "birthday_wishes"


@tagged("post_install", "-at_install")
class TestGreetings(WhatsappCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._approve_shipped([BIRTHDAY])
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
