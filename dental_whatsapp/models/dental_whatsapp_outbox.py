import logging
import random
import time
from datetime import timedelta

from odoo import _, api, fields, models, modules, tools

from ..const import BACKOFF_BASE, BACKOFF_CAP, BATCH_SIZE, MAX_SEND_ATTEMPTS
from ..tools import errors as wa_errors
from ..tools import payloads
from ..tools.claims import claimed_batches
from ..tools.cloud_api import template_components
from ..tools.dates import aware as _aware
from ..tools.dates import naive_utc as _naive_utc
from ..tools.errors import WhatsAppApiError

_logger = logging.getLogger(__name__)


class DentalWhatsappOutbox(models.AbstractModel):
    """The dispatcher of queued messages (the only caller of the client for sends)."""

    _name = "dental.whatsapp.outbox"
    _description = "WhatsApp Outbox Dispatcher"

    @api.model
    def _wa_trigger(self, at=None):
        cron = self.env.ref("dental_whatsapp.ir_cron_dispatch", raise_if_not_found=False)
        if cron:
            now = fields.Datetime.now()
            cron.sudo()._trigger(at=at if at and at > now else None)

    @api.model
    def _cron_dispatch(self):
        self._wa_dispatch(commit=not modules.module.current_test)

    @api.model
    def _wa_dispatch(self, batch_size=BATCH_SIZE, commit=False, max_batches=None):
        """Send due messages, batch by batch. Two dispatchers running at once never take
        the same row: each batch is claimed with FOR UPDATE SKIP LOCKED and the lock is
        held until the batch's commit."""
        if self.env["dental.whatsapp.account"]._wa_neutralized():
            _logger.info("Neutralized database: queued WhatsApp messages stay unsent")
            return 0
        done = batches = 0
        throttle = _Throttle()
        for messages in claimed_batches(self.env.cr, lambda: self._wa_claim(batch_size), commit):
            for message in messages:
                self._wa_send_one(message, throttle)
            done += len(messages)
            batches += 1
            if commit:
                self.env["ir.cron"]._notify_progress(done=done, remaining=self._wa_due_count())
                self.env.cr.commit()  # pylint: disable=invalid-commit
            if max_batches is not None and batches >= max_batches:
                break
        return done

    @api.model
    def _wa_claim(self, batch_size):
        # The claim reads the table directly: write pending ORM changes first.
        self.env["dental.whatsapp.message"].flush_model()
        now = fields.Datetime.now()
        # Compare with Odoo's clock (tests freeze it), not the database's. A concurrent
        # dispatcher's commit makes this raise SerializationFailure, which the caller
        # retries: keep sql_db from logging it as an error (as bus.presence does).
        with tools.mute_logger("odoo.sql_db"):
            self.env.cr.execute(
                """
                SELECT id FROM dental_whatsapp_message
                 WHERE state = 'queued' AND direction = 'out'
                   AND (scheduled_at IS NULL OR scheduled_at <= %s)
                   AND (next_attempt_at IS NULL OR next_attempt_at <= %s)
                 ORDER BY scheduled_at NULLS FIRST, id
                 LIMIT %s
                   FOR UPDATE SKIP LOCKED
                """,
                (now, now, batch_size),
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

    # ------------------------------------------------------------------ one message
    @api.model
    def _wa_send_one(self, message, throttle):
        Policy = self.env["dental.whatsapp.policy"]
        partner = message.partner_id
        obsolete = message._wa_obsolete_reason()
        if obsolete:  # e.g. the invoice was paid while its reminder waited for the opening
            message._wa_cancel(_("Not sent: %s", obsolete), code="obsolete")
            return
        decision, recipient = Policy._wa_decide(
            partner,
            category=message.category,
            template=message.template_id,
            text=message.body,
            company=message.account_id.company_id,
            service_reply=message.service_reply,
            immediate=message.immediate,
            dose_time=message.dose_time,
        )
        final = Policy._wa_final_refusals(decision)
        if final:
            reason = Policy._wa_refusal_words(final, partner)
            message._wa_cancel(_("Not sent: %s", reason), code=",".join(final))
            return
        now = _aware(fields.Datetime.now())
        if decision.send_at is None or decision.send_at > now:
            # The practice is closed now (or has no opening soon): wait for the opening.
            message.scheduled_at = (
                _naive_utc(decision.send_at)
                if decision.send_at
                else (fields.Datetime.now() + timedelta(days=1))
            )
            self._wa_trigger(message.scheduled_at)
            return
        account = message.account_id
        throttle.wait(account.id, account.throughput_limit)
        try:
            client = account._get_client()
            result = self._wa_call(client, message, recipient)
        except WhatsAppApiError as error:
            self._wa_handle_error(message, error)
            return
        message.write(
            {
                "meta_message_id": result.message_id,
                "number": recipient.whatsapp_number or recipient.wa_user_id,
                "attempts": message.attempts + 1,
                "next_attempt_at": False,
                "error_code": False,
                "error_message": False,
            }
        )
        message._wa_set_state("sent")

    @api.model
    def _wa_call(self, client, message, recipient):
        """Send ``message``: its request carries our reference
        (``biz_opaque_callback_data``), which Meta echoes in every status, so a status
        can find the message even when the answer to the request never came."""
        payload = self._wa_payload(client, message, recipient._wa_address())
        return client.send(payloads.with_callback_data(payload, message._wa_callback_ref()))

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
            self._wa_trigger(message.next_attempt_at)
            return
        message.write({"attempts": attempts, "next_attempt_at": False})
        message._wa_set_state(
            "failed",
            error_code=str(error.code) if error.code is not None else str(error.http_status or ""),
            error_message=words,
        )


class _Throttle:
    """Hold each account to its messages-per-second limit within one dispatcher run."""

    def __init__(self):
        self._last = {}

    def wait(self, key, per_second):
        interval = 1.0 / max(per_second, 1)
        last = self._last.get(key)
        now = time.monotonic()
        if last is not None and now - last < interval:
            time.sleep(interval - (now - last))
        self._last[key] = time.monotonic()
