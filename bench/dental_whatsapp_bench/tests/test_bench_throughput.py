"""Benchmarks (``make bench``): they measure and report, they never fail the suite.

Targets: the webhook answers Meta fast (p95 under 200 ms, Meta retries slow
endpoints) and the dispatcher keeps up with the default account limit of 20 messages
per second."""

import hashlib
import hmac
import json
import logging
import statistics
import time

import requests
from odoo.addons.dental_whatsapp.tests.common import (
    APP_SECRET,
    PHONE_NUMBER_ID,
    WABA_ID,
    WhatsappHttpCase,
)
from odoo.tests import tagged

_logger = logging.getLogger(__name__)


def _clock():
    """Seconds on a clock freezegun leaves alone (the tests freeze time)."""
    return time.clock_gettime(time.CLOCK_MONOTONIC)


WEBHOOKS = 300
MESSAGES = 300
TARGET_WEBHOOK_P95_MS = 200
TARGET_SEND_RATE = 20


def _status_body(n):
    return {
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
                                "phone_number_id": PHONE_NUMBER_ID,
                            },
                            "statuses": [
                                {
                                    "id": f"wamid.bench{n}",
                                    "status": "delivered",
                                    "timestamp": "1795000000",
                                    "recipient_id": "393479876543",
                                }
                            ],
                        },
                    }
                ],
            }
        ],
    }


@tagged("-standard", "dental_whatsapp_bench", "post_install", "-at_install")
class BenchThroughput(WhatsappHttpCase):
    def _report(self, what, value, unit, target, ok):
        verdict = "meets" if ok else "MISSES"
        _logger.info(
            "BENCH %s: %.1f %s (target %s %s) %s", what, value, unit, target, unit, verdict
        )

    def test_webhook_latency(self):
        session = requests.Session()
        latencies = []
        for n in range(WEBHOOKS):
            raw = json.dumps(_status_body(n)).encode()
            signature = "sha256=" + hmac.new(APP_SECRET.encode(), raw, hashlib.sha256).hexdigest()
            start = _clock()
            response = session.post(
                self.webhook_url,
                data=raw,
                timeout=30,
                headers={"Content-Type": "application/json", "X-Hub-Signature-256": signature},
            )
            latencies.append((_clock() - start) * 1000)
            self.assertEqual(response.status_code, 200)
        latencies.sort()
        p50 = statistics.median(latencies)
        p95 = latencies[int(len(latencies) * 0.95) - 1]
        _logger.info(
            "BENCH webhook: %d signed POSTs, p50 %.1f ms, p95 %.1f ms, max %.1f ms",
            WEBHOOKS,
            p50,
            p95,
            latencies[-1],
        )
        self._report("webhook p95", p95, "ms", TARGET_WEBHOOK_P95_MS, p95 < TARGET_WEBHOOK_P95_MS)
        Event = self.env["dental.whatsapp.event"]
        stored = Event.search_count([("account_id", "=", self.account.id), ("state", "=", "new")])
        start = _clock()
        self.process_events()
        elapsed = _clock() - start
        _logger.info(
            "BENCH event processing: %d stored events in %.2f s (%.0f events/s)",
            stored,
            elapsed,
            stored / elapsed if elapsed else 0,
        )

    def test_dispatch_rate(self):
        self.account.throughput_limit = 80
        self.patient.wa_last_inbound_date = "2026-11-24 08:30:00"
        Message = self.env["dental.whatsapp.message"].sudo()
        Message.create(
            [
                {
                    "account_id": self.account.id,
                    "direction": "out",
                    "partner_id": self.patient.id,
                    "recipient_partner_id": self.patient.id,
                    "number": self.patient.whatsapp_number,
                    "body": f"Bench {n}",
                    "state": "queued",
                    "scheduled_at": "2026-11-24 08:00:00",
                }
                for n in range(MESSAGES)
            ]
        )
        start = _clock()
        sent = self.env["dental.whatsapp.outbox"]._wa_dispatch()
        elapsed = _clock() - start
        rate = sent / elapsed
        _logger.info("BENCH dispatch: %d messages to the simulator in %.2f s", sent, elapsed)
        self._report(
            "dispatch rate", rate, "messages/s", TARGET_SEND_RATE, rate >= TARGET_SEND_RATE
        )
