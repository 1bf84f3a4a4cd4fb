import json
from collections import Counter
from datetime import datetime

import requests
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import APP_SECRET, TOKEN, WABA_ID, Simulator, WhatsappCase

MESSAGES = 500
PATIENTS = 50


@tagged("post_install", "-at_install")
class TestConcurrentDispatchers(WhatsappCase):
    """Two dispatchers (two workers or cron threads) on the same committed queue.

    The rows are committed through cursors of their own, as in production, because the
    test transaction is invisible to other connections; cleanUp removes them."""

    def setUp(self):
        super().setUp()
        # A number of its own: the test transaction's uncommitted account holds the
        # other one, and the unique index would make committed inserts wait for it.
        self.sim2 = Simulator(
            port=0,
            access_token=TOKEN,
            app_secret=APP_SECRET,
            phone_number_id="100000000000777",
            waba_id=WABA_ID,
            auto_deliver=False,
        )
        self.sim2.start()
        self.addCleanup(self.sim2.stop)
        with self.registry.cursor() as cr:
            env = self._committed_env(cr)
            account = env["dental.whatsapp.account"].create(
                {
                    "name": "Concurrency",
                    "phone_number_id": self.sim2.phone_number_id,
                    "waba_id": WABA_ID,
                    "access_token": TOKEN,
                    "app_secret": APP_SECRET,
                    "base_url": self.sim2.url,
                    "throughput_limit": 1000,
                    "sequence": 999,
                }
            )
            # Several patients: one patient's messages leave one after the other, in
            # their order, so only different patients' messages can leave side by side.
            partners = env["res.partner"].create(
                [
                    {
                        "name": f"Concurrent patient {n}",
                        "whatsapp_number": f"+39333999{n:04d}",
                        "wa_consent_care": True,
                        "wa_last_inbound_date": datetime(2026, 11, 24, 8, 0),
                    }
                    for n in range(PATIENTS)
                ]
            )
            env["dental.whatsapp.message"].sudo().create(
                [
                    {
                        "account_id": account.id,
                        "direction": "out",
                        "partner_id": partners[n % PATIENTS].id,
                        "recipient_partner_id": partners[n % PATIENTS].id,
                        "number": partners[n % PATIENTS].whatsapp_number,
                        "body": f"Message {n}",
                        "state": "queued",
                        "scheduled_at": datetime(2026, 11, 24, 8, 0),
                    }
                    for n in range(MESSAGES)
                ]
            )
            self.account_id, self.partner_ids = account.id, partners.ids
        self.addCleanup(self._cleanup)

    def _cleanup(self):
        with self.registry.cursor() as cr:
            # Evidence rows are protected from the ORM's unlink: remove test data in SQL.
            cr.execute(
                "DELETE FROM dental_whatsapp_message WHERE account_id = %s", (self.account_id,)
            )
            cr.execute("DELETE FROM dental_whatsapp_account WHERE id = %s", (self.account_id,))
            self._purge(cr, "res.partner", self.partner_ids)

    def test_two_dispatchers_send_each_message_once(self):
        done, errors = self._run_together(
            lambda env: env["dental.whatsapp.outbox"]._wa_dispatch(batch_size=20, commit=True)
        )
        self.assertEqual(errors, [])
        self.assertEqual(sum(done), MESSAGES)
        self.assertTrue(all(done), f"one dispatcher did all the work: {done}")

        sent = requests.get(self.sim2.url + "/_sim/messages", timeout=30).json()
        bodies = Counter(m["payload"]["text"]["body"] for m in sent)
        self.assertEqual(len(bodies), MESSAGES)
        self.assertEqual(set(bodies.values()), {1}, "a message was sent twice")
        with self.registry.cursor() as cr:
            cr.execute(
                "SELECT state, count(*), count(DISTINCT meta_message_id) "
                "FROM dental_whatsapp_message WHERE account_id = %s GROUP BY state",
                (self.account_id,),
            )
            self.assertEqual(cr.fetchall(), [("sent", MESSAGES, MESSAGES)])
        # Each patient received theirs in the order they were queued.
        order = [int(m["payload"]["text"]["body"].split()[-1]) for m in sent]
        for patient in range(PATIENTS):
            theirs = [n for n in order if n % PATIENTS == patient]
            self.assertEqual(theirs, sorted(theirs), f"patient {patient} got them out of order")

    def test_a_patients_next_message_waits_while_another_dispatcher_holds_the_first(self):
        # Another dispatcher has claimed (locked) the patient's first message and not yet
        # committed it as leaving: this one must not send the second before the first.
        with self.registry.cursor() as cr:
            env = self._committed_env(cr)
            other = env["res.partner"].create(
                {"name": "Another patient", "whatsapp_number": "+393339990001"}
            )
            other_message = (
                env["dental.whatsapp.message"]
                .sudo()
                .create(
                    {
                        "account_id": self.account_id,
                        "direction": "out",
                        "partner_id": other.id,
                        "recipient_partner_id": other.id,
                        "number": other.whatsapp_number,
                        "body": "Another patient's message",
                        "state": "queued",
                        "scheduled_at": datetime(2026, 11, 24, 8, 0),
                    }
                )
            )
            first = env["dental.whatsapp.message"].search(
                [("account_id", "=", self.account_id), ("body", "=", "Message 0")]
            )
            ids = (other.id, other_message.id, first.id)
        self.addCleanup(self._purge_partner, ids[0])
        with self.registry.cursor() as first_cr, self.registry.cursor() as second_cr:
            first_cr.execute(
                "SELECT id FROM dental_whatsapp_message WHERE id = %s FOR UPDATE", (ids[2],)
            )
            env = self._committed_env(second_cr)
            claimed = env["dental.whatsapp.outbox"]._wa_claim(MESSAGES + 1000)
            ours = claimed.filtered(lambda m: m.account_id.id == self.account_id)
            self.assertNotIn(
                self.partner_ids[0], ours.partner_id.ids, "the patient's second message went first"
            )
            # Every other patient's messages still go, and all of them in one claim.
            self.assertIn(ids[1], ours.ids)
            self.assertEqual(len(ours), MESSAGES - MESSAGES // PATIENTS + 1)
            second_cr.rollback()
            first_cr.rollback()

    def _purge_partner(self, partner_id):
        with self.registry.cursor() as cr:
            cr.execute("DELETE FROM dental_whatsapp_message WHERE partner_id = %s", (partner_id,))
            self._purge(cr, "res.partner", partner_id)


@tagged("post_install", "-at_install")
class TestInboundMeetsTheDesk(WhatsappCase):
    """A patient's message processed while a receptionist updates the same conversation
    (opening it, writing a reply): PostgreSQL refuses the cron's update, and the message
    must still be recorded, later, exactly once."""

    NUMBER = "393339990555"
    PHONE_NUMBER_ID = "100000000000778"

    def setUp(self):
        super().setUp()
        with self.registry.cursor() as cr:
            env = self._committed_env(cr)
            account = env["dental.whatsapp.account"].create(
                {
                    "name": "Desk race",
                    "phone_number_id": self.PHONE_NUMBER_ID,
                    "waba_id": WABA_ID,
                    "access_token": TOKEN,
                    "app_secret": APP_SECRET,
                    "base_url": "http://127.0.0.1:9",
                    "sequence": 998,
                }
            )
            partner = env["res.partner"].create(
                {"name": "Racing patient", "whatsapp_number": "+" + self.NUMBER}
            )
            conversation = env["dental.whatsapp.conversation"]._wa_for(account, partner)
            body = json.dumps(
                {
                    "object": "whatsapp_business_account",
                    "entry": [
                        {
                            "id": WABA_ID,
                            "changes": [
                                {
                                    "field": "messages",
                                    "value": {
                                        "messaging_product": "whatsapp",
                                        "metadata": {
                                            "display_phone_number": "390612345678",
                                            "phone_number_id": self.PHONE_NUMBER_ID,
                                        },
                                        "contacts": [
                                            {"profile": {"name": "Racing"}, "wa_id": self.NUMBER}
                                        ],
                                        "messages": [
                                            {
                                                "from": self.NUMBER,
                                                "id": "wamid.race-1",
                                                "timestamp": "1795510800",
                                                "type": "text",
                                                "text": {"body": "Mi fa male il dente"},
                                            }
                                        ],
                                    },
                                }
                            ],
                        }
                    ],
                }
            ).encode()
            event = env["dental.whatsapp.event"]._wa_store(account, body)
            self.ids_ = {
                "account": account.id,
                "partner": partner.id,
                "conversation": conversation.id,
                "event": event.id,
            }
        self.addCleanup(self._cleanup)

    def _cleanup(self):
        ids = self.ids_
        with self.registry.cursor() as cr:
            # Evidence rows are protected from the ORM's unlink: remove test data in SQL.
            cr.execute(
                "DELETE FROM dental_whatsapp_message WHERE account_id = %s", (ids["account"],)
            )
            cr.execute("DELETE FROM dental_whatsapp_event WHERE id = %s", (ids["event"],))
            self._purge(cr, "dental.whatsapp.conversation", ids["conversation"])
            self._purge(cr, "dental.whatsapp.account", ids["account"])
            self._purge(cr, "res.partner", ids["partner"])

    def test_a_message_that_meets_a_concurrent_update_is_recorded_on_the_next_run(self):
        ids = self.ids_
        with self.registry.cursor() as cron_cr, self.registry.cursor() as desk_cr:
            cron = self._committed_env(cron_cr)
            desk = self._committed_env(desk_cr)
            # The cron's transaction takes its snapshot...
            cron["dental.whatsapp.conversation"].browse(ids["conversation"]).read(["state"])
            # ...then a receptionist opens the conversation and her transaction commits.
            desk["dental.whatsapp.conversation"].browse(ids["conversation"]).write(
                {"unread_count": 0, "opened_date": datetime(2026, 11, 24, 9, 0)}
            )
            desk_cr.commit()  # pylint: disable=invalid-commit
            with mute_logger("odoo.sql_db"):
                cron["dental.whatsapp.event"].browse(ids["event"])._wa_process()
            cron_cr.commit()  # pylint: disable=invalid-commit
            event = cron["dental.whatsapp.event"].browse(ids["event"])
            self.assertEqual((event.state, event.attempts), ("new", 1), event.error)
            self.assertFalse(
                cron["dental.whatsapp.message"].search([("account_id", "=", ids["account"])])
            )
        with self.registry.cursor() as cr:  # the cron's next run
            env = self._committed_env(cr)
            env["dental.whatsapp.event"].browse(ids["event"])._wa_process()
            cr.commit()  # pylint: disable=invalid-commit
            messages = env["dental.whatsapp.message"].search([("account_id", "=", ids["account"])])
            self.assertEqual(messages.mapped("body"), ["Mi fa male il dente"])
            conversation = env["dental.whatsapp.conversation"].browse(ids["conversation"])
            self.assertEqual(conversation.state, "new")
            self.assertEqual(env["dental.whatsapp.event"].browse(ids["event"]).state, "done")
