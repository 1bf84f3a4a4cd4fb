"""Benchmarks (``make bench``): they measure and report, they never fail the suite.

Each figure is one line ``BENCH <name>: <value> <unit> (target <target>) meets|MISSES``;
the lines that say where the time went start with ``BENCH-INFO``."""

import hashlib
import hmac
import importlib
import json
import logging
import re
import statistics
import subprocess
import sys
import time
from datetime import datetime, timedelta

import requests
from odoo import fields
from odoo.addons.dental_whatsapp.tests.common import (
    APP_SECRET,
    PHONE_NUMBER_ID,
    TOKEN,
    WABA_ID,
    Simulator,
    WhatsappCase,
    WhatsappHttpCase,
)
from odoo.addons.dental_whatsapp.tests.test_throughput import DISPATCHER, odoo_arguments
from odoo.tests import freeze_time, tagged

_logger = logging.getLogger(__name__)
load = importlib.import_module("wa_simulator.load")


def _clock():
    """Seconds on a clock freezegun leaves alone (the tests freeze time)."""
    return time.clock_gettime(time.CLOCK_MONOTONIC)


def report(name, value, unit, target, ok, fmt="%.1f"):  # noqa: PLR0917
    verdict = "meets" if ok else "MISSES"
    _logger.info(f"BENCH %s: {fmt} %s (target %s) %s", name, value, unit, target, verdict)


def info(text, *args):
    _logger.info("BENCH-INFO " + text, *args)


class CommittedQueue:
    """A number of its own on a simulator of its own, patients and queued messages,
    all committed (other processes dispatch them); removed in SQL afterwards."""

    def __init__(self, case, *, limit, latency, jitter, patients, messages, rate_limit=None):
        self.case = case
        self.sim = Simulator(
            port=0,
            access_token=TOKEN,
            app_secret=APP_SECRET,
            phone_number_id=f"1000000000{limit:05d}{patients % 10}",
            waba_id=WABA_ID,
            auto_deliver=False,
            answer_latency=latency,
            answer_jitter=jitter,
            rate_limit=limit if rate_limit is None else rate_limit,
        )
        self.sim.start()
        with case.registry.cursor() as cr:
            env = case._committed_env(cr)
            # The test's own set-up holds the other numbers' rows: wait for no lock
            # forever. Their queued messages wait while the benchmark runs.
            cr.execute("SET LOCAL lock_timeout = '30s'")
            cr.execute(
                "UPDATE dental_whatsapp_message SET next_attempt_at = now() + interval '1 day' "
                "WHERE state = 'queued' AND (next_attempt_at IS NULL OR next_attempt_at < now()) "
                "RETURNING id"
            )
            self.postponed_ids = [row[0] for row in cr.fetchall()]
            account = env["dental.whatsapp.account"].create(
                {
                    "name": f"Bench {limit}/s",
                    "phone_number_id": self.sim.phone_number_id,
                    "waba_id": WABA_ID,
                    "access_token": TOKEN,
                    "app_secret": APP_SECRET,
                    "base_url": self.sim.url,
                    "throughput_limit": limit,
                    "timeout": 10,
                }
            )
            partners = env["res.partner"].create(
                [
                    {"name": f"Bench {n}", "whatsapp_number": f"+39320{n:07d}"}
                    for n in range(patients)
                ]
            )
            cr.execute(
                "UPDATE res_partner SET wa_last_inbound_date = now() AT TIME ZONE 'UTC', "
                "wa_consent_care = true WHERE id = ANY(%s)",
                (partners.ids,),
            )
            env.invalidate_all()
            values = [
                {
                    "account_id": account.id,
                    "direction": "out",
                    "partner_id": partners[n % patients].id,
                    "recipient_partner_id": partners[n % patients].id,
                    "number": partners[n % patients].whatsapp_number,
                    "body": f"Bench {n}",
                    "state": "queued",
                    "immediate": True,
                    "service_reply": True,
                }
                for n in range(messages)
            ]
            for start in range(0, messages, 2000):
                env["dental.whatsapp.message"].sudo().create(values[start : start + 2000])
                env.invalidate_all()
            self.account_id, self.partner_ids = account.id, partners.ids

    def dispatch(self, processes):
        """Run ``processes`` dispatchers at once, each in its own Odoo process; return
        their logs' run summaries."""
        command = [sys.executable, DISPATCHER, *odoo_arguments(self.case.env.cr.dbname)]
        workers = [
            subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # noqa: S603
            for _ in range(processes)
        ]
        summaries = []
        for worker in workers:
            _out, err = worker.communicate(timeout=1200)
            if worker.returncode:
                _logger.error("dispatcher failed: %s", err[-3000:])
            summaries += re.findall(r"WhatsApp dispatch: (.*)", err)
        return summaries

    def sends(self):
        return requests.get(self.sim.url + "/_sim/sends", timeout=60).json()["sends"]

    def close(self):
        self.sim.stop()
        with self.case.registry.cursor() as cr:
            cr.execute(
                "DELETE FROM dental_whatsapp_message WHERE account_id = %s", (self.account_id,)
            )
            cr.execute("DELETE FROM dental_whatsapp_account WHERE id = %s", (self.account_id,))
            cr.execute("DELETE FROM res_partner WHERE id = ANY(%s)", (self.partner_ids,))
            cr.execute(
                "UPDATE dental_whatsapp_message SET next_attempt_at = NULL WHERE id = ANY(%s)",
                (self.postponed_ids,),
            )


def send_rate(sends):
    """Accepted sends per second, from the simulator's own clock: the count after the
    first over the time from the first to the last."""
    times = sorted(load.accepted_times(sends))
    if len(times) < 2:
        return 0.0
    return (len(times) - 1) / (times[-1] - times[0])


@tagged("-standard", "dental_whatsapp_bench", "post_install", "-at_install")
class BenchDispatch(WhatsappCase):
    def _freeze_open_time(self):
        # Other processes dispatch on the real clock; the messages are immediate answers.
        self.sim_call("POST", "/_sim/reset", json={"keep_templates": True})

    def _rate_at_limit(self, name, limit, messages, processes=1):
        queue = CommittedQueue(
            self, limit=limit, latency=0.2, jitter=0.02, patients=400, messages=messages
        )
        try:
            start = _clock()
            summaries = queue.dispatch(processes)
            elapsed = _clock() - start
            sends = queue.sends()
        finally:
            queue.close()
        rate = send_rate(sends)
        refused = sum(1 for s in sends if s["outcome"] == load.RATE_LIMIT_CODE)
        busiest = load.max_per_window([s["time"] for s in sends])
        report(
            f"dispatch rate, {name}",
            rate,
            f"messages/s = {rate / limit:.2f} of the limit",
            f">= {0.95 * limit:.0f} messages/s = 0.95 of {limit}",
            rate >= 0.95 * limit,
        )
        report(
            f"busiest second, {name}",
            busiest,
            f"sends = {busiest / limit:.2f} of the limit, {refused} refused with 130429",
            f"<= {limit} sends",
            busiest <= limit and not refused,
            fmt="%d",
        )
        info(
            "%s: %d messages in %.1f s wall time (%d process(es) started, Odoo loaded)",
            name,
            messages,
            elapsed,
            processes,
        )
        for summary in summaries:
            info("%s: %s", name, summary)
        return rate

    def test_dispatch_at_80_with_200_ms_answers(self):
        self._rate_at_limit("one dispatcher, 200 ms answers, limit 80/s", 80, 1200)

    def test_dispatch_at_80_with_two_processes(self):
        self._rate_at_limit("two processes, 200 ms answers, limit 80/s", 80, 1600, processes=2)

    def test_dispatch_at_1000(self):
        import resource  # noqa: PLC0415

        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        own_before = resource.getrusage(resource.RUSAGE_SELF)
        start = _clock()
        self._rate_at_limit("one dispatcher, 200 ms answers, limit 1000/s", 1000, 10000)
        wall = _clock() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        own_after = resource.getrusage(resource.RUSAGE_SELF)
        child = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
        own = (own_after.ru_utime + own_after.ru_stime) - (
            own_before.ru_utime + own_before.ru_stime
        )
        info(
            "limit 1000/s: CPU seconds over %.1f s: dispatcher process %.1f, simulator and "
            "this process %.1f (2 cores = %.1f CPU seconds available)",
            wall,
            child,
            own,
            2 * wall,
        )

    def test_queries_per_sent_message(self):
        figures = {}
        for count in (100, 10000):
            queue = CommittedQueue(
                self,
                limit=1000,
                latency=0.0,
                jitter=0.0,
                patients=min(count, 1000),
                messages=count,
                rate_limit=0,
            )
            try:
                with self.registry.cursor() as cr:
                    env = self._committed_env(cr)
                    before = cr.sql_log_count
                    sent = env["dental.whatsapp.outbox"]._wa_dispatch(commit=True)
                    queries = cr.sql_log_count - before
                    reservations = env["dental.whatsapp.pace"].search_count([])
            finally:
                queue.close()
            figures[count] = queries / max(sent, 1)
            report(
                f"SQL queries per sent message, {count} messages",
                figures[count],
                "queries",
                "<= 3 queries",
                figures[count] <= 3,
                fmt="%.2f",
            )
            info(
                "%d messages: %d queries on the dispatcher's cursor (pace reservations run "
                "on cursors of their own: %d pace row(s))",
                sent,
                queries,
                reservations,
            )
        if figures.get(100):
            info(
                "queries per message from 100 to 10,000 messages: %.2f -> %.2f",
                figures[100],
                figures[10000],
            )


WEBHOOKS = 10000


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
                                    "timestamp": "1795510800",
                                    "recipient_id": "393479876543",
                                    "biz_opaque_callback_data": f"dwa:message:{n}",
                                    "pricing": {
                                        "billable": True,
                                        "pricing_model": "PMP",
                                        "category": "utility",
                                        "type": "regular",
                                    },
                                }
                            ],
                        },
                    }
                ],
            }
        ],
    }


@tagged("-standard", "dental_whatsapp_bench", "post_install", "-at_install")
class BenchWebhook(WhatsappHttpCase):
    def test_status_webhooks(self):
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
                    "state": "sent",
                    "meta_message_id": f"wamid.bench{n}",
                    "sent_date": datetime(2026, 11, 24, 8, 0),
                }
                for n in range(WEBHOOKS)
            ]
        )
        self.env.flush_all()
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
        p95 = latencies[int(len(latencies) * 0.95) - 1]
        info(
            "webhook: %d signed status POSTs, p50 %.1f ms, p95 %.1f ms, max %.1f ms",
            WEBHOOKS,
            statistics.median(latencies),
            p95,
            latencies[-1],
        )
        report("webhook answer p95, 10,000 statuses", p95, "ms", "< 50 ms", p95 < 50)
        Event = self.env["dental.whatsapp.event"]
        stored = Event.search_count([("account_id", "=", self.account.id), ("state", "=", "new")])
        start = _clock()
        while Event.search_count([("state", "=", "new")], limit=1):  # a batch per cron run
            self.process_events()
        elapsed = _clock() - start
        rate = stored / elapsed if elapsed else 0
        report(
            "status processing, 10,000 statuses", rate, "events/s", ">= 500 events/s", rate >= 500
        )
        delivered = Message.search_count(
            [("account_id", "=", self.account.id), ("state", "=", "delivered")]
        )
        info("%d events processed in %.1f s: %d messages delivered", stored, elapsed, delivered)


APPOINTMENTS = 100000


@tagged("-standard", "dental_whatsapp_bench", "post_install", "-at_install")
class BenchReminders(WhatsappCase):
    def test_planning_the_days_reminders(self):
        """The day's reminders of 100,000 appointments: planned (one reminder per rule
        and appointment, ``_wa_arm_reminders``) and, at their time, queued in the outbox
        (policy, template values, chatter: ``_wa_send_due``)."""
        env = self.env
        self._approve_shipped(["appointment_reminder", "appointment_confirmation"])
        rules = env["dental.whatsapp.reminder.rule"].search([])
        # The 48 h reminder: at one moment of the day before yesterday every one of them
        # is due and no appointment has begun.
        rules.filtered(lambda r: r.offset_hours != 48).active = False
        # Friday's appointments, Rome 09:00 onwards: their 48 h reminders fall due on
        # Wednesday, after the tests' clock (Tuesday morning), when they are planned.
        day = datetime(2026, 11, 27, 8, 0)
        cr = env.cr
        env.flush_all()
        inserted = _clock()
        # A patient per appointment, as in a group of clinics: inserted in SQL (the ORM
        # would take minutes to create them, and creating patients is not measured).
        cr.execute(
            """
            INSERT INTO res_partner (name, complete_name, active, type, is_company,
                                     partner_share, lang, autopost_bills, whatsapp_number,
                                     wa_consent_care)
            SELECT 'Reminder ' || n, 'Reminder ' || n, true, 'contact', false, true,
                   'en_US', 'ask', '+39321' || lpad(n::text, 7, '0'), true
              FROM generate_series(1, %(count)s) n
         RETURNING id
            """,
            {"count": APPOINTMENTS},
        )
        patient_ids = [r[0] for r in cr.fetchall()]
        cr.execute(
            "UPDATE res_partner SET commercial_partner_id = id WHERE id = ANY(%s)",
            (patient_ids,),
        )
        cr.execute(
            """
            INSERT INTO calendar_event (name, start, stop, duration, active, privacy,
                                        show_as, user_id, allday, patient_id,
                                        wa_confirmation_state)
            SELECT 'Controllo ' || n,
                   %(day)s + (n %% 36) * interval '15 minutes',
                   %(day)s + (n %% 36) * interval '15 minutes' + interval '30 minutes',
                   0.5, true, 'private', 'busy', 2, false, (%(patients)s)[n], 'to_confirm'
              FROM generate_series(1, %(count)s) n
         RETURNING id
            """,
            {"day": day, "count": APPOINTMENTS, "patients": patient_ids},
        )
        event_ids = [r[0] for r in cr.fetchall()]
        cr.execute(
            """
            INSERT INTO calendar_event_res_partner_rel (calendar_event_id, res_partner_id)
            SELECT id, patient_id FROM calendar_event WHERE id = ANY(%s)
            """,
            (event_ids,),
        )
        env.invalidate_all()
        info("%d appointments inserted in SQL in %.1f s", len(event_ids), _clock() - inserted)
        Event = env["calendar.event"]
        planned = _clock()
        for start in range(0, len(event_ids), 1000):
            Event.browse(event_ids[start : start + 1000])._wa_arm_reminders()
            env.flush_all()
            env.invalidate_all()
        planning = _clock() - planned
        Reminder = env["dental.whatsapp.reminder"]
        armed = Reminder.search_count([("state", "=", "armed"), ("event_id", "in", event_ids)])
        report(
            "planning the reminders of 100,000 appointments",
            planning,
            f"s ({armed} reminders armed)",
            "< 60 s",
            planning < 60 and armed > 0,  # nothing planned: the benchmark measured nothing
        )
        # The first hour of the morning's reminders (Wednesday from 09:00 Rome, a slot
        # every 15 minutes): due in one run, queued with policy, template values and
        # chatter entries, as the cron does. The whole day would take this as many times.
        with freeze_time(day - timedelta(hours=48) + timedelta(minutes=45)):
            due = Reminder.search_count(
                [("state", "=", "armed"), ("due_at", "<=", fields.Datetime.now())]
            )
            run = _clock()
            queued = Reminder._wa_send_due(batch_size=500)
            elapsed = _clock() - run
        messages = env["dental.whatsapp.message"].search_count(
            [("state", "=", "queued"), ("partner_id", "in", patient_ids)]
        )
        states = Reminder.read_group(
            [("event_id", "in", event_ids)], ["state"], ["state"], lazy=False
        )
        info(
            "reminders after the run: %s (%d were due)",
            ", ".join(f"{g['state']} {g['__count']}" for g in states),
            due,
        )
        rate = messages / elapsed if elapsed else 0
        report(
            "queueing the morning's first hour of reminders",
            rate,
            f"messages/s ({queued} reminders, {messages} messages queued in {elapsed:.1f} s)",
            ">= 80 messages/s (the outbox never waits for the queue at a number's default limit)",
            rate >= 80 and messages > 0,
        )
