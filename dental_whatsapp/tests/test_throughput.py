"""Throughput at Meta's limit: sends in parallel, one limit per number shared by every
worker, no second send of a message whose answer never came, Meta's pace errors."""

import importlib
import os
import shutil
import subprocess
import sys
import time
from collections import Counter
from datetime import datetime, timedelta

import requests
from odoo.tests import freeze_time, tagged
from odoo.tools import config

from .common import (
    APP_SECRET,
    OPEN_NOW,
    PATIENT_NUMBER,
    TOKEN,
    WABA_ID,
    WhatsappCase,
    WhatsappHttpCase,
)

# common.py has put the repository's simulator on the path.
max_per_window = importlib.import_module("wa_simulator.load").max_per_window

MESSAGES = 2000
PATIENTS = 400
LIMIT = 200
SIM3_NUMBER = "100000000000779"
DISPATCHER = os.path.join(os.path.dirname(__file__), "dispatcher_process.py")


def odoo_arguments(dbname):
    """The command line that puts a second Odoo process on this test's database."""
    args = ["-d", dbname, "--addons-path", config["addons_path"]]
    if config.get("data_dir"):
        args += ["--data-dir", config["data_dir"]]
    for key in ("db_host", "db_port", "db_user", "db_password"):
        if config.get(key):
            args += [f"--{key}", str(config[key])]
    return args


@tagged("post_install", "-at_install")
class TestTwoDispatcherProcesses(WhatsappCase):
    """Two Odoo processes dispatch the same committed queue at once, as two servers on
    one database would: each message leaves once, and the number's limit holds for the
    two together (the simulator answers 130429 to any send beyond it)."""

    def _freeze_open_time(self):
        # The other processes run on the real clock: so does this test (immediate
        # answers leave at any hour, so the practice's hours do not matter).
        self.sim_call("POST", "/_sim/reset", json={"keep_templates": True})

    def setUp(self):
        super().setUp()
        self.sim3_url = self._start_own_simulator()
        with self.registry.cursor() as cr:
            env = self._committed_env(cr)
            account = env["dental.whatsapp.account"].create(
                {
                    "name": "Two processes",
                    "phone_number_id": SIM3_NUMBER,
                    "waba_id": WABA_ID,
                    "access_token": TOKEN,
                    "app_secret": APP_SECRET,
                    "base_url": self.sim3_url,
                    "throughput_limit": LIMIT,
                    "sequence": 997,
                }
            )
            partners = env["res.partner"].create(
                [
                    {
                        "name": f"Patient {n}",
                        "whatsapp_number": f"+39333{n:07d}",
                        "wa_consent_care": True,
                    }
                    for n in range(PATIENTS)
                ]
            )
            # They have just written (the database's clock: the other processes'
            # clock, not this test's).
            cr.execute(
                "UPDATE res_partner SET wa_last_inbound_date = now() AT TIME ZONE 'UTC' "
                "WHERE id = ANY(%s)",
                (partners.ids,),
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
                        "immediate": True,
                        "service_reply": True,
                    }
                    for n in range(MESSAGES)
                ]
            )
            self.account_id, self.partner_ids = account.id, partners.ids
        self.addCleanup(self._cleanup)

    def _start_own_simulator(self):
        """The simulator in a process of its own, as Meta is: it stamps each send when it
        takes it in, and in this test process a garbage collection of Odoo's heap (a
        tenth of a second) would hold the sends arriving meanwhile and stamp them
        together, a burst Meta never saw."""
        package = os.path.dirname(importlib.import_module("wa_simulator").__file__)
        command = [
            sys.executable, "-m", "wa_simulator", "--port", "0", "--quiet", "--manual-delivery",
            "--access-token", TOKEN, "--app-secret", APP_SECRET, "--waba-id", WABA_ID,
            "--phone-number-id", SIM3_NUMBER, "--rate-limit", str(LIMIT),
        ]  # fmt: skip
        process = subprocess.Popen(
            command,
            cwd=os.path.dirname(package),
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        self.addCleanup(process.wait, timeout=30)
        self.addCleanup(process.terminate)
        first_line = process.stdout.readline()
        self.assertIn("listening on", first_line, "the simulator did not start")
        return first_line.split()[-1]

    def _cleanup(self):
        with self.registry.cursor() as cr:
            # Evidence rows are protected from the ORM's unlink: remove test data in SQL.
            cr.execute(
                "DELETE FROM dental_whatsapp_message WHERE account_id = %s", (self.account_id,)
            )
            self._purge(cr, "dental.whatsapp.account", self.account_id)
            self._purge(cr, "res.partner", self.partner_ids)

    def test_two_processes_send_each_message_once_within_the_limit(self):
        command = [sys.executable, DISPATCHER, *odoo_arguments(self.env.cr.dbname)]
        if shutil.which("nice"):
            # Meta's servers do not share this machine's CPU with Odoo: the dispatchers
            # yield to the simulator, whose stamps must be when a send arrived, not when
            # the simulator got a core.
            command = ["nice", "-n", "5", *command]
        workers = [
            subprocess.Popen(
                command,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for _ in range(2)
        ]
        results = [worker.communicate(timeout=600) for worker in workers]
        for worker, (_out, err) in zip(workers, results, strict=True):
            self.assertEqual(worker.returncode, 0, err[-3000:])
        handled = [int(out.split()[-1]) for out, _err in results]
        self.assertEqual(sum(handled), MESSAGES)
        self.assertTrue(all(handled), f"one process did all the work: {handled}")

        sends = requests.get(self.sim3_url + "/_sim/sends", timeout=30).json()["sends"]
        outcomes = Counter(s["outcome"] for s in sends)
        self.assertEqual(outcomes, {"accepted": MESSAGES}, "Meta refused sends (130429?)")
        self.assertLessEqual(max_per_window([s["time"] for s in sends]), LIMIT)
        received = requests.get(self.sim3_url + "/_sim/messages", timeout=30).json()
        bodies = Counter(m["payload"]["text"]["body"] for m in received)
        self.assertEqual(len(bodies), MESSAGES)
        self.assertEqual(set(bodies.values()), {1}, "a message was sent twice")
        with self.registry.cursor() as cr:
            cr.execute(
                "SELECT state, count(*), count(DISTINCT meta_message_id) "
                "FROM dental_whatsapp_message WHERE account_id = %s GROUP BY state",
                (self.account_id,),
            )
            self.assertEqual(cr.fetchall(), [("sent", MESSAGES, MESSAGES)])
        # Each patient's messages arrived in the order they were queued.
        order = [int(m["payload"]["text"]["body"].split()[-1]) for m in received]
        first_patient = [n for n in order if n % PATIENTS == 0]
        self.assertEqual(first_patient, sorted(first_patient))


@tagged("post_install", "-at_install")
class TestNoAnswer(WhatsappHttpCase):
    """A send whose answer never came: sending again at once could give the patient the
    message twice, never sending it again could lose it."""

    def test_an_unanswered_send_waits_for_its_status_and_only_then_goes_again(self):
        other = self.patient.copy({"name": "Luigi Bianchi", "whatsapp_number": "+393471112233"})
        first = self.enqueue(self.patient)
        second = self.enqueue(other)
        # One send is processed by Meta but its answer is lost; the other never arrives.
        # (Odoo's tests raise any timeout to 10 s: the simulator stays silent longer.)
        self.sim_call(
            "POST", "/_sim/faults", json={"count": 1, "accept_silently": True, "silent_seconds": 11}
        )
        self.sim_call(
            "POST", "/_sim/faults", json={"count": 1, "timeout": True, "timeout_seconds": 11}
        )
        self.dispatch()
        self.assertEqual((first.state, second.state), ("unknown", "unknown"))
        self.assertIn("may have left", first.error_message)
        [processed] = self.sim_messages()
        arrived, lost = (
            (first, second)
            if processed["payload"]["biz_opaque_callback_data"] == first._wa_callback_ref()
            else (second, first)
        )

        # Meta's statuses carry our reference: the arrived one adopts Meta's id.
        self.flush_webhooks()
        self.process_events()
        self.assertIn(arrived.state, ("delivered", "read"))
        self.assertEqual(arrived.meta_message_id, processed["id"])
        self.assertFalse(arrived.error_message)
        self.assertEqual(lost.state, "unknown")

        # Before the wait is over nothing goes again.
        self.dispatch()
        self.assertEqual(len(self.sim_messages()), 1)

        # No status came for the lost one within the wait: it goes once more, alone.
        later = datetime.fromisoformat(OPEN_NOW) + timedelta(
            minutes=self.account.unknown_outcome_wait, seconds=30
        )
        with freeze_time(later):
            self.dispatch()
        self.assertEqual(lost.state, "sent")
        refs = Counter(m["payload"]["biz_opaque_callback_data"] for m in self.sim_messages())
        self.assertEqual(refs, {first._wa_callback_ref(): 1, second._wa_callback_ref(): 1})

    def test_a_message_left_leaving_by_a_dead_dispatcher_is_not_sent_blindly(self):
        message = self.enqueue(self.patient)
        # A dispatcher marked it "Leaving" and died (its database session is gone).
        message.write({"leaving_date": OPEN_NOW, "leaving_session": "1:12345.6"})
        message._wa_set_state("sending")
        self.dispatch()
        self.assertEqual(message.state, "unknown")
        self.assertIn("stopped while this message was leaving", message.error_message)
        self.assertEqual(self.sim_messages(), [])
        # The patient's other messages are not held back by it.
        reply = self.enqueue(self.patient)
        self.dispatch()
        self.assertEqual(reply.state, "sent")


@tagged("post_install", "-at_install")
class TestMetaPace(WhatsappHttpCase):
    def setUp(self):
        super().setUp()
        self.addCleanup(self.sim_call, "POST", "/_sim/config", json={"rate_limit": 0})

    def _dispatch_until_done(self, rounds=10):
        moment = datetime.fromisoformat(OPEN_NOW)
        for _ in range(rounds):
            with freeze_time(moment):
                self.dispatch()
            if not self.env["dental.whatsapp.message"].search_count(
                [("state", "=", "queued"), ("account_id", "=", self.account.id)]
            ):
                return
            moment += timedelta(seconds=10)

    def test_throughput_exceeded_slows_the_number_and_loses_nothing(self):
        # Meta allows this number 3 per second; the account says 30.
        self.sim_call("POST", "/_sim/config", json={"rate_limit": 3})
        self.account.throughput_limit = 30
        patients = self.env["res.partner"].create(
            [
                {
                    "name": f"Paziente {n}",
                    "whatsapp_number": f"+39347000{n:04d}",
                    "lang": "en_US",
                    "wa_consent_care": True,
                }
                for n in range(12)
            ]
        )
        messages = self.env["dental.whatsapp.message"]
        for patient in patients:
            messages |= self.enqueue(patient)
        self._dispatch_until_done()
        sends = self.sim_call("GET", "/_sim/sends")["sends"]
        self.assertIn(130429, [s["outcome"] for s in sends], "Meta never said 130429")
        self.assertEqual(set(messages.mapped("state")), {"sent"})
        refs = Counter(m["payload"]["biz_opaque_callback_data"] for m in self.sim_messages())
        self.assertEqual(set(refs.values()), {1})
        self.assertEqual(len(refs), 12)
        # Meta refused the pace, not the messages: no attempt was used up.
        self.assertEqual(set(messages.mapped("attempts")), {1})

    def test_too_many_to_one_patient_spaces_their_messages_in_order(self):
        self.sim_call(  # the patient writes: the practice may answer in free text
            "POST",
            "/_sim/inbound",
            json={"from": PATIENT_NUMBER[1:], "type": "text", "text": "Mi ricordate i dettagli?"},
        )
        self.flush_webhooks()
        self.process_events()
        messages = self.env["dental.whatsapp.message"]
        for text in ("First: the time.", "Second: the address.", "Third: bring the X-ray."):
            messages |= self.enqueue(self.patient, template=None, body=text)
        self.sim_call("POST", "/_sim/faults", json={"count": 1, "code": 131056})
        self.dispatch()
        self.assertEqual(self.sim_messages(), [])
        self.assertEqual(set(messages.mapped("state")), {"queued"})
        self.assertEqual(messages[0].error_code, "131056")
        self.assertEqual(set(messages.mapped("attempts")), {0})
        wait = set(messages.mapped("next_attempt_at"))
        self.assertEqual(len(wait), 1)
        self.assertGreaterEqual(wait.pop(), datetime.fromisoformat(OPEN_NOW) + timedelta(seconds=5))
        # Still too early: nothing goes.
        self.dispatch()
        self.assertEqual(self.sim_messages(), [])
        with freeze_time(datetime.fromisoformat(OPEN_NOW) + timedelta(seconds=7)):
            self.dispatch()
        refs = [m["payload"]["biz_opaque_callback_data"] for m in self.sim_messages()]
        self.assertEqual(refs, [m._wa_callback_ref() for m in messages])

    def test_a_message_written_after_a_refusal_does_not_overtake_it(self):
        self.sim_call(
            "POST",
            "/_sim/inbound",
            json={"from": PATIENT_NUMBER[1:], "type": "text", "text": "A che ora domani?"},
        )
        self.flush_webhooks()
        self.process_events()
        other = self.patient.copy({"name": "Luigi Bianchi", "whatsapp_number": "+393471112233"})
        first = self.enqueue(self.patient, template=None, body="Tomorrow at 10:00.")
        self.sim_call("POST", "/_sim/faults", json={"count": 1, "code": 131056})
        self.dispatch()
        self.assertEqual((first.state, first.error_code), ("queued", "131056"))
        # The receptionist adds a line, and a reminder for someone else is due: the
        # number is not paused, so the other patient's message goes, but this patient's
        # second line waits for the first.
        second = self.enqueue(self.patient, template=None, body="Please bring your X-ray.")
        third = self.enqueue(other)
        self.dispatch()
        self.assertEqual((second.state, third.state), ("queued", "sent"))
        with freeze_time(datetime.fromisoformat(OPEN_NOW) + timedelta(seconds=7)):
            self.dispatch()
        refs = [m["payload"]["biz_opaque_callback_data"] for m in self.sim_messages()]
        self.assertEqual(refs, [m._wa_callback_ref() for m in third + first + second])


@tagged("post_install", "-at_install")
class TestSharedPause(WhatsappCase):
    """The number's pause after 130429, kept in the database for every worker."""

    def setUp(self):
        super().setUp()
        with self.registry.cursor() as cr:
            env = self._committed_env(cr)
            self.account_id = (
                env["dental.whatsapp.account"]
                .create(
                    {
                        "name": "Shared pause",
                        "phone_number_id": "100000000000780",
                        "waba_id": WABA_ID,
                        "access_token": TOKEN,
                        "app_secret": APP_SECRET,
                        "base_url": self.sim.url,
                        "sequence": 998,
                    }
                )
                .id
            )
        self.addCleanup(self._cleanup)

    def _cleanup(self):
        with self.registry.cursor() as cr:
            cr.execute("DELETE FROM dental_whatsapp_pace WHERE account_id = %s", (self.account_id,))
            cr.execute("DELETE FROM dental_whatsapp_account WHERE id = %s", (self.account_id,))

    def test_a_burst_of_refusals_is_one_pause_and_the_next_burst_doubles_it(self):
        Pace = self.env["dental.whatsapp.pace"]
        # Twenty requests in flight all answered 130429: one pause of half a second.
        pauses = [Pace._wa_pause(self.account_id, 0.5) for _ in range(20)]
        self.assertTrue(all(0 < p <= 0.5 for p in pauses), pauses)
        # Every worker's next send time waits for the end of the pause.
        self.assertGreater(Pace._wa_reserve(self.account_id, 1, 0.01), pauses[-1] - 0.1)
        # Meta refuses again right after the pause: the next pause is twice as long.
        time.sleep(max(pauses) + 0.05)
        self.assertGreater(Pace._wa_pause(self.account_id, 0.5), 0.9)
