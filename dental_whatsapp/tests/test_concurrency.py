from collections import Counter
from datetime import datetime

import requests
from odoo.tests import tagged

from .common import APP_SECRET, TOKEN, WABA_ID, Simulator, WhatsappCase

MESSAGES = 500


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
            partner = env["res.partner"].create(
                {
                    "name": "Concurrent patient",
                    "whatsapp_number": "+393339990000",
                    "wa_consent_care": True,
                    "wa_last_inbound_date": datetime(2026, 11, 24, 8, 0),
                }
            )
            env["dental.whatsapp.message"].sudo().create(
                [
                    {
                        "account_id": account.id,
                        "direction": "out",
                        "partner_id": partner.id,
                        "recipient_partner_id": partner.id,
                        "number": partner.whatsapp_number,
                        "body": f"Message {n}",
                        "state": "queued",
                        "scheduled_at": datetime(2026, 11, 24, 8, 0),
                    }
                    for n in range(MESSAGES)
                ]
            )
            self.account_id, self.partner_id = account.id, partner.id
        self.addCleanup(self._cleanup)

    def _cleanup(self):
        with self.registry.cursor() as cr:
            # Evidence rows are protected from the ORM's unlink: remove test data in SQL.
            cr.execute(
                "DELETE FROM dental_whatsapp_message WHERE account_id = %s", (self.account_id,)
            )
            cr.execute("DELETE FROM dental_whatsapp_account WHERE id = %s", (self.account_id,))
            cr.execute("DELETE FROM res_partner WHERE id = %s", (self.partner_id,))

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
