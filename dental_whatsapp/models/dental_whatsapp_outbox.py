import functools
import logging
import random
import threading
from contextlib import contextmanager
from datetime import timedelta

from odoo import _, api, fields, models, modules, tools
from odoo.service.model import PG_CONCURRENCY_EXCEPTIONS_TO_RETRY

from ..const import (
    BACKOFF_BASE,
    BACKOFF_CAP,
    BATCH_SIZE,
    LEAVING_GRACE,
    MAX_CLAIM_CONFLICTS,
    MAX_SEND_ATTEMPTS,
    PAIR_SPACING,
    THROUGHPUT_PAUSE,
    THROUGHPUT_RETRIES,
)
from ..tools import errors as wa_errors
from ..tools import pacing, payloads
from ..tools.claims import claimed_batches
from ..tools.cloud_api import CloudApiClient, template_components
from ..tools.dates import aware as _aware
from ..tools.dates import naive_utc as _naive_utc
from ..tools.errors import WhatsAppApiError
from ..tools.threads import SendingPool

_logger = logging.getLogger(__name__)

CODE_THROUGHPUT = 130429
CODE_PAIR_RATE = 131056
# The answer time each number showed in its last run, per process: it sizes the pool of
# sending threads (first run: a typical Cloud API answer).
_LATENCY = {}
DEFAULT_LATENCY = 0.3


class DentalWhatsappOutbox(models.AbstractModel):
    """The dispatcher of queued messages (the only caller of the client for sends).

    One run, per number (account)::

        claim a batch (FOR UPDATE SKIP LOCKED) -> decide each message (policy, obsolete,
        office hours) -> mark the ones that go "Leaving" and COMMIT -> hand them to the
        sending threads (one task per patient, in order; each send at a time reserved in
        the number's shared pace) -> while they send, claim and prepare the next batch
        -> record the answers of the batch together and COMMIT.

    Nothing is sent that was not committed as "Leaving" first: after a crash, a restart
    or a deploy, such a message is reconciled (Meta's status, carrying our reference,
    says whether it left) instead of being sent again blindly."""

    _name = "dental.whatsapp.outbox"
    _description = "WhatsApp Outbox Dispatcher"

    @api.model
    def _wa_trigger(self, at=None):
        """Wake the dispatcher at ``at``: a moment, several (once per distinct one), or
        now; a moment already past is now."""
        cron = self.env.ref("dental_whatsapp.ir_cron_dispatch", raise_if_not_found=False)
        if cron:
            now = fields.Datetime.now()
            moments = at if isinstance(at, list | tuple | set) else [at]
            cron.sudo()._trigger(at=sorted({m if m and m > now else now for m in moments}))

    @api.model
    def _cron_dispatch(self):
        self._wa_dispatch(commit=not modules.module.current_test)

    @api.model
    def _wa_dispatch(self, batch_size=None, commit=False, max_batches=None):
        """Send due messages, batch by batch, each number at its messages per second
        shared with every other worker. Two dispatchers running at once never take the
        same row: each batch is claimed with FOR UPDATE SKIP LOCKED and leaves the queue
        ("Leaving") in the commit that releases the lock. Without ``commit`` (inside a
        caller's transaction) the pace is kept in this process."""
        if self.env["dental.whatsapp.account"]._wa_neutralized():
            _logger.info("Neutralized database: queued WhatsApp messages stay unsent")
            return 0
        self._wa_reconcile()
        if commit:
            self.env.cr.commit()  # pylint: disable=invalid-commit
        run = _Run(self, commit, batch_size)
        done = batches = 0
        in_flight = None
        try:
            while max_batches is None or batches < max_batches:
                with run.timing("claiming"):
                    messages = next(
                        claimed_batches(
                            self.env.cr, lambda: self._wa_claim(run.batch_size), commit
                        ),
                        None,
                    )
                if not messages:
                    if in_flight is None:
                        break
                    # The rest may wait for a patient's message still leaving.
                    done += self._wa_settle(in_flight, run)
                    in_flight = None
                    continue
                with run.timing("deciding"):
                    prepared = self._wa_prepare(messages, run)
                if commit:
                    # The "Leaving" marks are committed before any request goes out.
                    with run.timing("committing"):
                        self.env.cr.commit()  # pylint: disable=invalid-commit
                started = run.start(*prepared)
                if in_flight is not None:
                    done += self._wa_settle(in_flight, run)
                in_flight = started
                batches += 1
            if in_flight is not None:
                done += self._wa_settle(in_flight, run)
                in_flight = None
        finally:
            if in_flight is not None:  # an error in the loop: still record what left
                self._wa_settle(in_flight, run)
            run.close()
        if done:
            _logger.info("WhatsApp dispatch: %s", run.summary(done))
        return done

    def _wa_settle(self, started, run):
        """Record the answers of a batch already sending; commit them. A status that
        settled one of its messages meanwhile may make the commit conflict: then the
        answers are recorded again on a fresh transaction."""
        with run.timing("waiting"):
            outcomes = started.outcomes()
        ids = [o.job.message_id for o in outcomes]
        for attempt in range(MAX_CLAIM_CONFLICTS + 1):
            try:
                with run.timing("recording"):
                    # Locked first, quietly: a status that settled one of them since
                    # this transaction began is no error, only a reason to read again.
                    if run.commit and self._wa_lock(ids) is None:
                        raise _Conflict
                    self._wa_record(outcomes, run)
                if run.commit:
                    run.done += started.claimed
                    with run.timing("committing"):
                        self.env["ir.cron"]._notify_progress(
                            done=run.done, remaining=self._wa_due_count()
                        )
                        self.env.cr.commit()  # pylint: disable=invalid-commit
                return started.claimed
            except (_Conflict, *PG_CONCURRENCY_EXCEPTIONS_TO_RETRY):
                if not run.commit or attempt == MAX_CLAIM_CONFLICTS:
                    raise
                self.env.cr.rollback()
                self.env.invalidate_all()
        return 0

    @api.model
    def _wa_lock(self, ids=None, skip_locked=False):
        """Lock these messages' rows (or, without ``ids``, every one "Leaving" or in
        "Outcome Unknown", skipping those another dispatcher holds) for this transaction;
        return the ids locked, or None when a concurrent transaction committed a change to
        one of them since this one began (then the caller reads again or leaves them to
        the other). That is not an error: nothing is logged."""
        self.env["dental.whatsapp.message"].flush_model()
        where = "id = ANY(%s)" if ids is not None else "state IN ('sending', 'unknown')"
        query = (
            f"SELECT id FROM dental_whatsapp_message WHERE {where} "  # noqa: S608
            f"FOR NO KEY UPDATE{' SKIP LOCKED' if skip_locked else ''}"
        )
        try:
            with self.env.cr.savepoint(flush=False):
                self.env.cr.execute(query, [ids] if ids is not None else None, log_exceptions=False)
                return [row[0] for row in self.env.cr.fetchall()]
        except PG_CONCURRENCY_EXCEPTIONS_TO_RETRY:
            return None

    @api.model
    def _wa_claim(self, batch_size):
        # The claim reads the table directly: write pending ORM changes first.
        self.env["dental.whatsapp.message"].flush_model()
        now = fields.Datetime.now()
        # Compare with Odoo's clock (tests freeze it), not the database's. A concurrent
        # dispatcher's commit makes this raise SerializationFailure, which the caller
        # retries: keep sql_db from logging it as an error (as bus.presence does).
        #
        # A patient's messages keep their order across batches and dispatchers: none is
        # claimed while one of theirs is still leaving, nor while an earlier one is still
        # queued outside this claim (waiting for its retry after Meta refused the pace or
        # the network failed, or claimed a moment ago by another dispatcher: skipped here
        # as locked, it still reads as queued until that dispatcher commits it as
        # leaving). The rows the last condition puts back stay locked until this
        # transaction commits, and queued.
        with tools.mute_logger("odoo.sql_db"):
            self.env.cr.execute(
                """
                WITH claimed AS (
                    SELECT m.id, m.account_id,
                           COALESCE(m.recipient_partner_id, m.partner_id) AS patient,
                           COALESCE(m.scheduled_at, '-infinity') AS due
                      FROM dental_whatsapp_message m
                     WHERE m.state = 'queued' AND m.direction = 'out'
                       AND (m.scheduled_at IS NULL OR m.scheduled_at <= %(now)s)
                       AND (m.next_attempt_at IS NULL OR m.next_attempt_at <= %(now)s)
                       AND NOT EXISTS (
                           SELECT 1 FROM dental_whatsapp_message busy
                            WHERE busy.state = 'sending'
                              AND busy.account_id = m.account_id
                              AND COALESCE(busy.recipient_partner_id, busy.partner_id)
                                = COALESCE(m.recipient_partner_id, m.partner_id))
                     ORDER BY m.scheduled_at NULLS FIRST, m.id
                     LIMIT %(limit)s
                       FOR UPDATE OF m SKIP LOCKED
                )
                SELECT c.id FROM claimed c
                 WHERE NOT EXISTS (
                       SELECT 1 FROM dental_whatsapp_message earlier
                        WHERE earlier.state = 'queued' AND earlier.direction = 'out'
                          AND earlier.account_id = c.account_id
                          AND COALESCE(earlier.recipient_partner_id, earlier.partner_id)
                            = c.patient
                          AND (earlier.scheduled_at IS NULL OR earlier.scheduled_at <= %(now)s)
                          AND (COALESCE(earlier.scheduled_at, '-infinity'), earlier.id)
                            < (c.due, c.id)
                          AND earlier.id NOT IN (SELECT id FROM claimed))
                 ORDER BY c.due, c.id
                """,
                {"now": now, "limit": batch_size},
            )
        return (
            self.env["dental.whatsapp.message"]
            .sudo()
            .browse([r[0] for r in self.env.cr.fetchall()])
        )

    @api.model
    def _wa_due_count(self):
        now = fields.Datetime.now()
        return (
            self.env["dental.whatsapp.message"]
            .sudo()
            .search_count(
                [
                    ("state", "=", "queued"),
                    ("direction", "=", "out"),
                    "|",
                    ("scheduled_at", "=", False),
                    ("scheduled_at", "<=", now),
                    "|",
                    ("next_attempt_at", "=", False),
                    ("next_attempt_at", "<=", now),
                ]
            )
        )

    # ------------------------------------------------------------- before sending
    @api.model
    def _wa_prepare(self, messages, run):
        """Decide each claimed message in order; return the jobs to send (their messages
        marked "Leaving", in one write) and how many were claimed."""
        Policy = self.env["dental.whatsapp.policy"]
        now = _aware(fields.Datetime.now())
        jobs = []
        for message in messages:
            partner = message.partner_id
            obsolete = message._wa_obsolete_reason()
            if obsolete:  # e.g. the invoice was paid while its reminder waited
                message._wa_cancel(_("Not sent: %s", obsolete), code="obsolete")
                continue
            decision, recipient = Policy._wa_decide(
                partner,
                category=message.category,
                template=message.template_id,
                text=message.body,
                company=message.account_id.company_id,
                service_reply=message.service_reply,
                immediate=message.immediate,
                dose_time=message.dose_time,
                now=now,
            )
            final = Policy._wa_final_refusals(decision)
            if final:
                reason = Policy._wa_refusal_words(final, partner)
                message._wa_cancel(_("Not sent: %s", reason), code=",".join(final))
                continue
            if decision.send_at is None or decision.send_at > now:
                # The practice is closed now (or has no opening soon): wait for it.
                message.scheduled_at = (
                    _naive_utc(decision.send_at)
                    if decision.send_at
                    else (fields.Datetime.now() + timedelta(days=1))
                )
                self._wa_trigger(message.scheduled_at)
                continue
            account = message.account_id
            try:
                sender = run.sender(account)
                payload = self._wa_payload(sender.client, message, recipient._wa_address())
            except WhatsAppApiError as error:  # a media upload that failed
                self._wa_handle_error(message, error)
                continue
            except ValueError as error:  # a payload Meta would refuse (a bad list)
                message.write({"attempts": message.attempts + 1, "next_attempt_at": False})
                message._wa_set_state(
                    "failed",
                    error_code="invalid",
                    error_message=_("This message could not be prepared for WhatsApp: %s", error),
                )
                continue
            jobs.append(
                _Job(
                    message.id,
                    account.id,
                    recipient.id,
                    recipient.whatsapp_number or recipient.wa_user_id,
                    payloads.with_callback_data(payload, message._wa_callback_ref()),
                )
            )
        leaving = self.env["dental.whatsapp.message"].sudo().browse([j.message_id for j in jobs])
        leaving._wa_set_state("sending")
        leaving.write({"leaving_date": fields.Datetime.now(), "leaving_session": run.session})
        return jobs, len(messages)

    # -------------------------------------------------------------- after sending
    @api.model
    def _wa_record(self, outcomes, run):
        """Write what the sends of a batch answered, together: Meta's ids, the states,
        the chatter. A message a status already settled meanwhile keeps its state."""
        Message = self.env["dental.whatsapp.message"].sudo()
        messages = Message.browse([o.job.message_id for o in outcomes])
        by_id = {m.id: m for m in messages}
        sent = Message
        unknown = Message
        for outcome in outcomes:
            message = by_id[outcome.job.message_id]
            if outcome.result is not None:
                message.write(
                    {
                        "meta_message_id": outcome.result.message_id,
                        "number": outcome.job.number,
                        "attempts": message.attempts + 1,
                        "next_attempt_at": False,
                        "error_code": False,
                        "error_message": False,
                    }
                )
                sent |= message
            elif outcome.error is not None and outcome.error.outcome_unknown:
                account = message.account_id
                message.write(
                    {
                        "attempts": message.attempts + 1,
                        "next_attempt_at": fields.Datetime.now()
                        + timedelta(minutes=account.unknown_outcome_wait),
                        "error_code": "no_answer",
                        "error_message": _(
                            "WhatsApp did not answer (%(error)s). The message may have left: "
                            "it waits up to %(minutes)s minutes for Meta's status before it "
                            "is sent again.",
                            error=outcome.error.message,
                            minutes=account.unknown_outcome_wait,
                        ),
                    }
                )
                unknown |= message
            elif outcome.error is not None and outcome.retry_at:
                # 130429 / 131056: Meta refused the pace, not the message; no attempt
                # is counted and the patient's later messages keep their order.
                message.write(
                    {
                        "next_attempt_at": outcome.retry_at,
                        "error_code": str(outcome.error.code),
                        "error_message": self.env["dental.whatsapp.account"]._describe_api_error(
                            outcome.error
                        ),
                    }
                )
                message._wa_set_state("queued")
                if outcome.error.code == CODE_PAIR_RATE:
                    self._wa_space_patient(message, outcome.retry_at)
            elif outcome.error is not None:
                self._wa_handle_error(message, outcome.error)
            else:  # held back: a message before it to the same patient did not leave
                message.write({"next_attempt_at": outcome.retry_at})
                message._wa_set_state("queued")
        sent._wa_set_state("sent")
        unknown._wa_set_state("unknown")
        if unknown:
            self._wa_trigger(min(unknown.mapped("next_attempt_at")))
        held = [o.retry_at for o in outcomes if o.retry_at]
        if held:
            self._wa_trigger(min(held))

    @api.model
    def _wa_space_patient(self, message, not_before):
        """Meta answered 131056 (too many messages to this patient in a short time):
        the patient's other queued messages wait too, so that they keep their order."""
        recipient = message.recipient_partner_id or message.partner_id
        later = (
            self.env["dental.whatsapp.message"]
            .sudo()
            .search(
                [
                    ("account_id", "=", message.account_id.id),
                    ("state", "=", "queued"),
                    ("direction", "=", "out"),
                    ("id", "!=", message.id),
                    "|",
                    ("recipient_partner_id", "=", recipient.id),
                    "&",
                    ("recipient_partner_id", "=", False),
                    ("partner_id", "=", recipient.id),
                    "|",
                    ("next_attempt_at", "=", False),
                    ("next_attempt_at", "<", not_before),
                ]
            )
        )
        later.write({"next_attempt_at": not_before})

    @api.model
    def _wa_reconcile(self):
        """After a crash, a restart, a deploy or a lost answer: a message left "Leaving"
        by a dispatcher whose database session is gone may have reached Meta, so it
        waits for Meta's status ("Outcome Unknown"); one whose wait passed without a
        status is queued to be sent again."""
        Message = self.env["dental.whatsapp.message"].sudo()
        now = fields.Datetime.now()
        # Two dispatchers reconcile at once: each takes the rows the other does not hold.
        ids = self._wa_lock(skip_locked=True)
        if not ids:
            return
        leaving = Message.search([("id", "in", ids), ("state", "=", "sending")])
        if leaving:
            self.env.cr.execute(
                "SELECT pid || ':' || extract(epoch FROM backend_start) FROM pg_stat_activity"
            )
            alive = {row[0] for row in self.env.cr.fetchall()}
            orphans = leaving.filtered(
                lambda m: (
                    m.leaving_session not in alive
                    or m.leaving_date
                    < now - timedelta(seconds=2 * m.account_id.timeout + LEAVING_GRACE)
                )
            )
            for message in orphans:
                wait = message.account_id.unknown_outcome_wait
                message.write(
                    {
                        "next_attempt_at": (message.leaving_date or now) + timedelta(minutes=wait),
                        "error_code": "no_answer",
                        "error_message": _(
                            "The outbox stopped while this message was leaving (a restart "
                            "or a crash): it may have left, so it waits up to %s minutes "
                            "for Meta's status before it is sent again.",
                            wait,
                        ),
                    }
                )
            orphans._wa_set_state("unknown")
        unknown = Message.search([("id", "in", ids), ("state", "=", "unknown")])
        expired = unknown.filtered(lambda m: m.next_attempt_at and m.next_attempt_at <= now)
        for message in expired:
            message.write(
                {
                    "next_attempt_at": False,
                    "error_message": _(
                        "No status from WhatsApp came within %s minutes: the message is "
                        "sent again.",
                        message.account_id.unknown_outcome_wait,
                    ),
                }
            )
        expired._wa_set_state("queued")
        waiting = (unknown - expired).filtered("next_attempt_at")
        if waiting:
            self._wa_trigger(min(waiting.mapped("next_attempt_at")))

    @api.model
    def _wa_payload(self, client, message, to):
        template = message.template_id
        if not template and message.header_attachment_id:
            # A photo, a video, a voice note or a PDF staff attached to a reply.
            attachment = message.header_attachment_id.sudo()
            kind = message.media_kind or "document"
            media_id = client.upload_media(
                attachment.raw, attachment.mimetype or "application/octet-stream", attachment.name
            )
            return payloads.build_media(
                to,
                kind,
                media_id=media_id,
                caption=(message.body or None) if kind in ("image", "video", "document") else None,
                filename=attachment.name if kind == "document" else None,
            )
        if not template and message.interactive:
            # A list to choose from: the message's text shows its rows, Meta gets them.
            listed = message.interactive
            return payloads.build_list(
                to,
                listed["body"],
                listed["button"],
                [
                    (
                        section.get("title"),
                        [(r["id"], r["title"], r.get("description")) for r in section["rows"]],
                    )
                    for section in listed["sections"]
                ],
            )
        if not template:
            return payloads.build_text(to, message.body)
        header = None
        if template.header_type == "text" and template.header_text:
            header = None  # a static text header has no parameter
        elif template.header_type == "document" and message.header_attachment_id:
            attachment = message.header_attachment_id.sudo()
            media_id = client.upload_media(
                attachment.raw, attachment.mimetype or "application/pdf", attachment.name
            )
            header = {"type": "document", "id": media_id, "filename": attachment.name}
        components = template_components(
            header=header,
            body=list(message.template_values or []),
            buttons=[b.payload for b in template.button_ids] or None,
        )
        return payloads.build_template(to, template.name, template.language, components)

    @api.model
    def _wa_handle_error(self, message, error):
        words = self.env["dental.whatsapp.account"]._describe_api_error(error)
        attempts = message.attempts + 1
        retry = error.kind in (wa_errors.RETRYABLE, wa_errors.AUTH) and attempts < MAX_SEND_ATTEMPTS
        _logger.info(
            "WhatsApp message %s: %s error %s (attempt %s)%s",
            message.id,
            error.kind,
            error.code,
            attempts,
            ", will retry" if retry else "",
        )
        if retry:
            delay = min(BACKOFF_CAP, BACKOFF_BASE * 2 ** (attempts - 1))
            delay = delay * random.uniform(0.5, 1.0)  # noqa: S311 (jitter, not security)
            retry_after = getattr(error, "retry_after", None)
            if retry_after:
                delay = max(delay, float(retry_after))
            message.write(
                {
                    "attempts": attempts,
                    "next_attempt_at": fields.Datetime.now() + timedelta(seconds=delay),
                    "error_code": str(error.code)
                    if error.code is not None
                    else str(error.http_status or ""),
                    "error_message": words,
                }
            )
            message._wa_set_state("queued")
            self._wa_trigger(message.next_attempt_at)
            return
        message.write({"attempts": attempts, "next_attempt_at": False})
        message._wa_set_state(
            "failed",
            error_code=str(error.code) if error.code is not None else str(error.http_status or ""),
            error_message=words,
        )


# ---------------------------------------------------------------------- the sending side
class _Job:
    """One message handed to the sending threads: only plain values cross threads."""

    __slots__ = ("account_id", "message_id", "number", "payload", "recipient_id")

    def __init__(self, message_id, account_id, recipient_id, number, payload):
        self.message_id = message_id
        self.account_id = account_id
        self.recipient_id = recipient_id
        self.number = number
        self.payload = payload


class _Outcome:
    """What one send answered: Meta's result, or its error (with, for a pace error,
    when to try again); neither for a message held back behind the patient's earlier one."""

    __slots__ = ("error", "job", "result", "retry_at")

    def __init__(self, job, result=None, error=None, retry_at=None):
        self.job = job
        self.result = result
        self.error = error
        self.retry_at = retry_at


class _Conflict(Exception):
    """A row to record was changed by a concurrent transaction: record again."""


class _Sender:
    """The sending side of one number in one run: a client per thread, the pacer on the
    number's shared schedule, a bounded pool of threads."""

    def __init__(self, outbox, account, commit):
        self.client = account._get_client()  # the main thread's (media uploads)
        self._config = (
            (self.client.access_token, self.client.phone_number_id, self.client.waba_id),
            {
                "base_url": self.client.base_url,
                "api_version": self.client.api_version,
                "timeout": self.client.timeout,
            },
        )
        self.account_id = account.id
        schedule = (
            outbox.env["dental.whatsapp.pace"]._wa_schedule(account.id)
            if commit
            else pacing.LocalSchedule()
        )
        self.pacer = pacing.Pacer(schedule.reserve, schedule.pause, account.throughput_limit)
        latency = _LATENCY.get(account.id, DEFAULT_LATENCY)
        self.threads = pacing.thread_count(account.throughput_limit, latency)
        self.pool = SendingPool(self.threads, f"whatsapp-{account.id}")
        self._local = threading.local()
        self.latencies = []

    def _thread_client(self):
        client = getattr(self._local, "client", None)
        if client is None:
            args, options = self._config
            client = self._local.client = CloudApiClient(*args, **options)
        return client

    def send_patient(self, jobs):
        """Send one patient's messages in their order (in a sending thread)."""
        outcomes = []
        for index, job in enumerate(jobs):
            outcome = self._send(job)
            outcomes.append(outcome)
            if outcome.retry_at:
                # Meta refused the pace: the patient's later messages wait behind it.
                outcomes.extend(
                    _Outcome(later, retry_at=outcome.retry_at) for later in jobs[index + 1 :]
                )
                break
        return outcomes

    def _send(self, job):
        for attempt in range(THROUGHPUT_RETRIES + 1):
            sent = []  # its send time, once the request is built
            try:
                result = self._thread_client().send(
                    job.payload, ready=functools.partial(self._wait_turn, sent)
                )
            except WhatsAppApiError as error:
                if error.code == CODE_THROUGHPUT:
                    pause = self.pacer.pause(THROUGHPUT_PAUSE)
                    if attempt < THROUGHPUT_RETRIES:
                        continue
                    return _Outcome(job, error=error, retry_at=_later(pause))
                if error.code == CODE_PAIR_RATE:
                    return _Outcome(job, error=error, retry_at=_later(PAIR_SPACING))
                return _Outcome(job, error=error)
            except Exception as exc:
                _logger.exception("WhatsApp message %s: unexpected error", job.message_id)
                error = WhatsAppApiError(
                    f"Unexpected error while sending: {exc}", kind=wa_errors.RETRYABLE
                )
                error.outcome_unknown = True  # it may have left: wait for its status
                return _Outcome(job, error=error)
            self.latencies.append(pacing.monotonic() - sent[0])  # from its send time
            return _Outcome(job, result=result)
        return None  # not reached: the last attempt returns

    def _wait_turn(self, times):
        times.append(self.pacer.wait())

    def close(self):
        self.pool.shutdown()
        if self.latencies:
            ordered = sorted(self.latencies)
            _LATENCY[self.account_id] = ordered[len(ordered) // 2]


def _later(seconds):
    return fields.Datetime.now() + timedelta(seconds=seconds)


class _Started:
    """A batch handed to the sending threads; ``outcomes()`` waits for its answers."""

    def __init__(self, futures, claimed):
        self.futures = futures
        self.claimed = claimed

    def outcomes(self):
        return [outcome for future in self.futures for outcome in future.result()]


class _Run:
    """One dispatcher run: its database session (the mark of its "Leaving" messages),
    a sender per number, the batch size."""

    def __init__(self, outbox, commit, batch_size):
        self.outbox = outbox
        self.commit = commit
        self.done = 0
        self.senders = {}
        self.seconds = {}
        self.started = pacing.monotonic()
        cr = outbox.env.cr
        cr.execute(
            "SELECT pid || ':' || extract(epoch FROM backend_start) FROM pg_stat_activity "
            "WHERE pid = pg_backend_pid()"
        )
        self.session = cr.fetchone()[0]
        if batch_size:
            self.batch_size = batch_size
        else:
            # About a second of sending per batch at the fastest number's limit.
            limits = (
                outbox.env["dental.whatsapp.account"].sudo().search([]).mapped("throughput_limit")
            )
            self.batch_size = max(BATCH_SIZE, min(max(limits or [0]), MAX_BATCH))

    def sender(self, account):
        sender = self.senders.get(account.id)
        if sender is None:
            sender = self.senders[account.id] = _Sender(self.outbox, account, self.commit)
        return sender

    def start(self, jobs, claimed):
        """Hand ``jobs`` to the sending threads: one task per patient, in order."""
        tasks = {}
        for job in jobs:
            tasks.setdefault((job.account_id, job.recipient_id), []).append(job)
        futures = [
            self.senders[account_id].pool.submit(self.senders[account_id].send_patient, group)
            for (account_id, _recipient), group in tasks.items()
        ]
        return _Started(futures, claimed)

    @contextmanager
    def timing(self, step):
        start = pacing.monotonic()
        try:
            yield
        finally:
            self.seconds[step] = self.seconds.get(step, 0.0) + pacing.monotonic() - start

    def summary(self, done):
        """Where one run's time went, for the log and ``make bench``."""
        total = pacing.monotonic() - self.started
        latencies = sorted(t for sender in self.senders.values() for t in sender.latencies)
        steps = ", ".join(f"{step} {seconds:.2f} s" for step, seconds in self.seconds.items())
        return (
            f"{done} messages in {total:.2f} s ({done / total if total else 0:.1f}/s): {steps}; "
            f"{sum(s.pool.threads for s in self.senders.values())} sending threads, "
            f"{sum(s.pacer.reservations for s in self.senders.values())} pace reservations "
            f"({sum(s.pacer.reserving for s in self.senders.values()):.2f} s), "
            f"{sum(s.pacer.unused for s in self.senders.values())} send times unused, "
            f"answer p50 {latencies[len(latencies) // 2] * 1000 if latencies else 0:.0f} ms"
        )

    def close(self):
        for sender in self.senders.values():
            sender.close()


MAX_BATCH = 500
