import hashlib
import logging
from datetime import timedelta

import psycopg2.errors
from odoo import _, api, fields, models, modules

from ..const import EVENT_BATCH_SIZE, MAX_EVENT_ATTEMPTS
from ..tools import message_state
from ..tools.errors import CODE_MARKETING_LIMIT, CODE_REENGAGEMENT, CODE_UNDELIVERABLE
from ..tools.message_state import MAYBE_SENT
from ..tools.webhook import (
    InboundMessage,
    StatusUpdate,
    TemplateUpdate,
    decode_body,
    parse_payload,
    routing_key,
)

_logger = logging.getLogger(__name__)

# Plain delivery statuses applied together (_wa_process_statuses).
STATUS_CHUNK = 200

# A concurrent transaction got there first (the same conversation row updated, the same
# conversation created): the event is tried again, never marked failed for it.
CONCURRENCY_ERRORS = (
    psycopg2.errors.SerializationFailure,
    psycopg2.errors.LockNotAvailable,
    psycopg2.errors.UniqueViolation,
)


class DentalWhatsappEvent(models.Model):
    """A webhook body exactly as Meta sent it, stored before anything is done with it."""

    _name = "dental.whatsapp.event"
    _description = "WhatsApp Webhook Event"
    _order = "id"

    account_id = fields.Many2one(
        "dental.whatsapp.account", required=True, ondelete="cascade", readonly=True
    )
    company_id = fields.Many2one(related="account_id.company_id", store=True, index=True)
    body = fields.Text(required=True, readonly=True)
    body_hash = fields.Char(required=True, readonly=True, index=True)
    state = fields.Selection(
        [("new", "To Process"), ("done", "Processed"), ("failed", "Could Not Be Processed")],
        default="new",
        required=True,
        readonly=True,
        index=True,
    )
    attempts = fields.Integer(readonly=True)
    error = fields.Text(readonly=True)

    _sql_constraints = [
        ("body_hash_uniq", "unique(account_id, body_hash)", "This webhook body is already stored."),
    ]

    @api.model
    def _wa_store(self, account, raw_body):
        """Store a verified body once; a byte-identical retry from Meta is dropped here."""
        digest = hashlib.sha256(raw_body).hexdigest()
        self.env.cr.execute(
            """
            INSERT INTO dental_whatsapp_event
                   (account_id, company_id, body, body_hash, state, attempts, create_uid,
                    write_uid, create_date, write_date)
            VALUES (%s, %s, %s, %s, 'new', 0, %s, %s,
                    now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC')
            ON CONFLICT (account_id, body_hash) DO NOTHING
            RETURNING id
            """,
            (
                account.id,
                account.company_id.id,
                raw_body.decode("utf-8"),
                digest,
                self.env.uid,
                self.env.uid,
            ),
        )
        row = self.env.cr.fetchone()
        if row:
            cron = self.env.ref("dental_whatsapp.ir_cron_process_events", raise_if_not_found=False)
            if cron:
                cron.sudo()._trigger()
        return self.browse(row[0]) if row else self.browse()

    @api.model
    def _cron_process_events(self, limit=EVENT_BATCH_SIZE):
        events = self.sudo().search([("state", "=", "new")], limit=limit)
        events._wa_process(commit=not modules.module.current_test)

    def _wa_process(self, commit=False):
        """Apply each event in its own savepoint (and, from the cron, its own
        transaction: a fresh snapshot, short row locks). A clash with a concurrent
        transaction (a receptionist opening the same conversation, two workers creating
        it) is tried again later: a patient's message is never dropped for it.

        The delivery statuses of a morning's reminders come by the thousand: events that
        only move known messages along (sent, delivered, read) are applied together,
        STATUS_CHUNK at a time; any other event, or a chunk that meets a problem, goes
        one by one as before."""
        chunk = []
        for event in self:
            statuses = event._wa_plain_statuses()
            if statuses is not None:
                chunk.append((event, statuses))
                if len(chunk) < STATUS_CHUNK:
                    continue
            if chunk:
                self._wa_process_statuses(chunk, commit)
                chunk = []
            if statuses is None:
                self._wa_process_one(event)
                if commit:
                    self.env.cr.commit()  # pylint: disable=invalid-commit
        if chunk:
            self._wa_process_statuses(chunk, commit)

    def _wa_plain_statuses(self):
        """This event's statuses when it holds nothing else and none of them failed (a
        failure has its own words and follow-ups); otherwise None."""
        self.ensure_one()
        try:
            keys = self.account_id._wa_routing_keys()
            items = [
                item
                for item in parse_payload(decode_body(self.body.encode()))
                if routing_key(item) in keys
            ]
        except Exception:  # the one-by-one path reports it
            return None
        if not items or not all(
            isinstance(item, StatusUpdate) and item.status in ("sent", "delivered", "read")
            for item in items
        ):
            return None
        return items

    def _wa_process_statuses(self, chunk, commit):
        """Apply the plain statuses of ``chunk`` (events, their statuses) together: one
        search for the messages, one write per state and time. An event with a status
        whose message is not found by Meta's id goes one by one; any error sends the
        whole chunk one by one."""
        try:
            with self.env.cr.savepoint():
                alone = self._wa_apply_statuses_together(chunk)
        except Exception:  # every event is tried again one by one
            alone = [event for event, _statuses in chunk]
        if commit:
            self.env.cr.commit()  # pylint: disable=invalid-commit
        for event in alone:
            self._wa_process_one(event)
            if commit:
                self.env.cr.commit()  # pylint: disable=invalid-commit

    def _wa_apply_statuses_together(self, chunk):
        """Return the events of ``chunk`` left to apply one by one."""
        Message = self.env["dental.whatsapp.message"].sudo()
        events = self.browse([event.id for event, _statuses in chunk])
        wanted = {(event.account_id.id, s.message_id) for event, sts in chunk for s in sts}
        messages = Message.search(
            [
                ("meta_message_id", "in", list({meta for _account, meta in wanted})),
                ("account_id", "in", events.account_id.ids),
            ]
        )
        by_key = {(m.account_id.id, m.meta_message_id): m for m in messages}
        # A status of a message we do not know by Meta's id (yet: an answer that never
        # came) goes one by one, with our reference and its retries.
        alone = [
            event
            for event, statuses in chunk
            if any((event.account_id.id, s.message_id) not in by_key for s in statuses)
        ]
        events -= self.browse([event.id for event in alone])
        pricing, moves, clear, user_ids = {}, {}, Message, {}
        for event, statuses in chunk:
            if event in alone:
                continue
            for status in statuses:
                message = by_key[(event.account_id.id, status.message_id)]
                if status.pricing_category and not message.pricing_category:
                    key = (
                        status.pricing_category,
                        bool(status.pricing_billable),
                        status.pricing_type or False,
                    )
                    pricing[key] = pricing.get(key, Message) | message
                user_id = getattr(status, "recipient_user_id", None)
                if user_id:
                    user_ids[message.recipient_partner_id] = user_id
                if message.state in MAYBE_SENT or message.error_code == "no_answer":
                    clear |= message
                key = (message_state.FORWARD.index(status.status), status.timestamp)
                moves[key] = moves.get(key, Message) | message
        for (category, billable, kind), group in pricing.items():
            group.write(
                {"pricing_category": category, "pricing_billable": billable, "pricing_type": kind}
            )
        for partner, user_id in user_ids.items():
            if partner and partner.sudo().wa_user_id != user_id:
                partner.sudo().wa_user_id = user_id
        if clear:
            clear.write({"next_attempt_at": False, "error_code": False, "error_message": False})
        # Along the state machine in its order: never backwards, whatever Meta's order.
        for rank, when in sorted(moves, key=lambda key: key[0]):
            moves[(rank, when)]._wa_set_state(message_state.FORWARD[rank], when=when)
        events.write({"state": "done", "error": False})
        for event in events:
            event.attempts += 1
        return alone

    def _wa_process_one(self, event):
        try:
            with self.env.cr.savepoint():
                keys = event.account_id._wa_routing_keys()
                # What the module writes on its own (chatter lines, to-dos) is in
                # the practice's language, not in the cron user's English.
                practice = event.with_context(lang=event.account_id._wa_practice_lang())
                pending = practice._wa_apply(
                    [
                        item
                        for item in parse_payload(decode_body(event.body.encode()))
                        if routing_key(item) in keys
                    ]
                )
        except CONCURRENCY_ERRORS as error:
            attempts = event.attempts + 1
            _logger.info(
                "WhatsApp webhook event %s met a concurrent update (attempt %s): %s",
                event.id,
                attempts,
                error,
            )
            if attempts >= MAX_EVENT_ATTEMPTS:
                event.write({"state": "failed", "error": str(error), "attempts": attempts})
                return
            event.write({"attempts": attempts, "error": str(error)})
            cron = self.env.ref("dental_whatsapp.ir_cron_process_events")
            cron.sudo()._trigger(at=fields.Datetime.now() + timedelta(seconds=10 * attempts))
            return
        except Exception as error:
            _logger.exception("WhatsApp webhook event %s could not be processed", event.id)
            event.write({"state": "failed", "error": str(error), "attempts": event.attempts + 1})
            return
        attempts = event.attempts + 1
        if pending and attempts < MAX_EVENT_ATTEMPTS:
            event.write({"attempts": attempts, "error": pending})
            cron = self.env.ref("dental_whatsapp.ir_cron_process_events")
            cron.sudo()._trigger(at=fields.Datetime.now() + timedelta(minutes=attempts))
        else:
            event.write({"state": "done", "attempts": attempts, "error": pending or False})

    def _wa_apply(self, events):
        """Apply parsed events; return a reason when some must be tried again later."""
        self.ensure_one()
        pending = []
        for item in events:
            if isinstance(item, StatusUpdate):
                if not self._wa_apply_status(item):
                    pending.append(_("status for unknown message %s", item.message_id))
            elif isinstance(item, InboundMessage):
                self.env["dental.whatsapp.inbound"]._wa_receive(self.account_id, item)
            elif isinstance(item, TemplateUpdate):
                self._wa_apply_template(item)
        return "; ".join(pending)

    def _wa_apply_status(self, status):
        message = (
            self.env["dental.whatsapp.message"]
            .sudo()
            .search(
                [
                    ("account_id", "=", self.account_id.id),
                    ("meta_message_id", "=", status.message_id),
                ],
                limit=1,
            )
        )
        if not message:
            # The answer to the send never came (a timeout after Meta accepted it): our
            # reference in the status names the message, which adopts Meta's id.
            message = self.env["dental.whatsapp.message"]._wa_from_callback_ref(
                self.account_id, status.biz_opaque_callback_data
            )
            if not message or message.meta_message_id:
                return False
            message.meta_message_id = status.message_id
        if status.pricing_category and not message.pricing_category:
            message.write(
                {
                    "pricing_category": status.pricing_category,
                    "pricing_billable": bool(status.pricing_billable),
                    "pricing_type": status.pricing_type or False,
                }
            )
        user_id = getattr(status, "recipient_user_id", None)
        recipient = message.recipient_partner_id
        if user_id and recipient and recipient.sudo().wa_user_id != user_id:
            # Meta names the patient's business-scoped user id: the day they hide their
            # number behind a username, the practice can still write to them.
            recipient.sudo().wa_user_id = user_id
        error_code = error_message = None
        if status.status == "failed" and status.errors:
            first = status.errors[0]
            error_code = first.get("code")
            error_message = self._wa_status_error_words(first)
        if status.status in ("sent", "delivered", "read", "failed"):
            if message.state in MAYBE_SENT or message.error_code == "no_answer":
                # It left after all: no second send, and the "no answer" note is over.
                message.write(
                    {"next_attempt_at": False, "error_code": False, "error_message": False}
                )
            moved = message._wa_set_state(
                status.status,
                when=status.timestamp,
                error_code=error_code,
                error_message=error_message,
            )
            if moved and status.status == "failed" and error_code == CODE_MARKETING_LIMIT:
                message._wa_retry_marketing_limit()
        return True

    def _wa_status_error_words(self, error):
        code = error.get("code")
        detail = error.get("details") or error.get("message") or error.get("title") or ""
        if code == CODE_REENGAGEMENT:
            words = _(
                "The patient had not written in the last 24 hours, so WhatsApp refused "
                "free text: send an approved template instead."
            )
        elif code == CODE_MARKETING_LIMIT:
            words = _(
                "Meta did not deliver this message to keep the patient's marketing "
                "messages to a healthy number. A greeting or news is tried again on a "
                "later day; any other message is not."
            )
        elif code == CODE_UNDELIVERABLE:
            words = _(
                "WhatsApp could not deliver the message: the number may not use WhatsApp "
                "or may have blocked the practice. Check the number with the patient."
            )
        else:
            words = _("WhatsApp reported a failure.")
        return f"{words} (Meta code {code}: {detail})" if code else words

    def _wa_apply_template(self, update):
        domain = [("account_id", "=", self.account_id.id)]
        if update.template_id:
            domain.append(("meta_template_id", "=", str(update.template_id)))
        else:
            domain += [("name", "=", update.template_name), ("language", "=", update.language)]
        templates = (
            self.env["dental.whatsapp.template"]
            .sudo()
            .with_context(active_test=False)
            .search(domain)
        )
        if not templates and update.template_name:
            templates = templates.search(
                [
                    ("account_id", "=", self.account_id.id),
                    ("name", "=", update.template_name),
                    ("language", "=", update.language),
                ]
            )
        if update.field == "message_template_status_update":
            templates._apply_meta_status(update.event, update.reason, update.template_id)
        elif update.field == "message_template_quality_update" and update.quality_score:
            templates._apply_meta_status(
                templates[:1].meta_status.upper() or "APPROVED", quality=update.quality_score
            )
