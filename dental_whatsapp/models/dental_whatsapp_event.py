import hashlib
import logging
import mimetypes
from datetime import timedelta

from odoo import _, api, fields, models, modules

from ..tools import keywords
from ..tools.webhook import (
    InboundMessage,
    StatusUpdate,
    TemplateUpdate,
    decode_body,
    parse_payload,
    routing_key,
)

_logger = logging.getLogger(__name__)

# A status may arrive before the dispatcher committed the Meta id of its message: keep
# such events and try again for a while before giving up on them.
MAX_EVENT_ATTEMPTS = 10


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
    def _cron_process_events(self, limit=500):
        events = self.sudo().search([("state", "=", "new")], limit=limit)
        events._wa_process()
        if not modules.module.current_test:
            self.env.cr.commit()  # pylint: disable=invalid-commit

    def _wa_process(self):
        for event in self:
            try:
                with self.env.cr.savepoint():
                    keys = event.account_id._wa_routing_keys()
                    pending = event._wa_apply(
                        [
                            item
                            for item in parse_payload(decode_body(event.body.encode()))
                            if routing_key(item) in keys
                        ]
                    )
            except Exception as error:
                _logger.exception("WhatsApp webhook event %s could not be processed", event.id)
                event.write(
                    {"state": "failed", "error": str(error), "attempts": event.attempts + 1}
                )
                continue
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
                    pending.append(_("status for unknown message %s") % item.message_id)
            elif isinstance(item, InboundMessage):
                self._wa_apply_inbound(item)
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
            return False
        error_code = error_message = None
        if status.status == "failed" and status.errors:
            first = status.errors[0]
            error_code = first.get("code")
            error_message = self._wa_status_error_words(first)
        if status.status in ("sent", "delivered", "read", "failed"):
            message._wa_set_state(
                status.status,
                when=status.timestamp,
                error_code=error_code,
                error_message=error_message,
            )
        return True

    def _wa_status_error_words(self, error):
        code = error.get("code")
        detail = error.get("details") or error.get("message") or error.get("title") or ""
        if code == 131047:
            words = _(
                "The patient had not written in the last 24 hours, so WhatsApp refused "
                "free text: send an approved template instead."
            )
        elif code == 131026:
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

    # ------------------------------------------------------------------ inbound
    def _wa_apply_inbound(self, item):
        Message = self.env["dental.whatsapp.message"].sudo()
        if Message.search_count(
            [("account_id", "=", self.account_id.id), ("meta_message_id", "=", item.message_id)]
        ):
            return  # Meta's at-least-once delivery: already recorded
        number = "+" + item.wa_id.lstrip("+")
        partner, ambiguous = self._wa_match_partner(number, item.profile_name)
        replied = (
            Message.search(
                [
                    ("account_id", "=", self.account_id.id),
                    ("meta_message_id", "=", item.context_id),
                ],
                limit=1,
            )
            if item.context_id
            else Message
        )
        vals = {
            "account_id": self.account_id.id,
            "direction": "in",
            "partner_id": partner.id,
            "recipient_partner_id": partner.id,
            "number": number,
            "body": item.text or self._wa_placeholder_text(item),
            "state": "received",
            "meta_message_id": item.message_id,
            "received_date": fields.Datetime.to_string(item.timestamp.replace(tzinfo=None)),
            "reply_to_id": replied.id,
            "model": replied.model if replied else "res.partner",
            "res_id": replied.res_id if replied else partner.id,
            "ambiguous_partner": ambiguous,
            "media_state": "pending" if item.media else "none",
            "media_meta": item.media or False,
        }
        message = Message.create(vals)
        received = message.received_date
        if not partner.wa_last_inbound_date or partner.wa_last_inbound_date < received:
            partner.wa_last_inbound_date = received
        message._wa_post_chatter()
        if item.media:
            cron = self.env.ref("dental_whatsapp.ir_cron_download_media", raise_if_not_found=False)
            if cron:
                cron.sudo()._trigger()
        if not message._wa_on_inbound(item):
            self._wa_handle_keywords(message, item)
        return message

    def _wa_placeholder_text(self, item):
        return {
            "image": _("[photo]"),
            "audio": _("[voice message]"),
            "video": _("[video]"),
            "document": _("[document]"),
            "sticker": _("[sticker]"),
            "location": _("[location]"),
            "unsupported": _("[a message WhatsApp cannot show]"),
        }.get(item.type, _("[%s]") % item.type)

    def _wa_match_partner(self, number, profile_name):
        """The patient who wrote: by WhatsApp number, then by phone; when several share
        it, the one with the nearest appointment, flagged for the receptionist."""
        Partner = self.env["res.partner"].sudo()
        # Only the practice's own patients (and contacts shared by every company): a
        # number known to another practice of the database is a new enquiry here.
        company = self.account_id.company_id
        mine = [("company_id", "in", (company.id, False))]
        partners = Partner.search([("whatsapp_number", "=", number), *mine])
        if not partners:
            partners = Partner.search([("phone_sanitized", "=", number), *mine])
        if not partners:
            partner = Partner.create(
                {
                    "name": profile_name or number,
                    "whatsapp_number": number,
                    "wa_new_enquiry": True,
                    "company_id": company.id,
                }
            )
            return partner, False
        if len(partners) == 1:
            return partners, False
        return self._wa_nearest_appointment_partner(partners), True

    def _wa_nearest_appointment_partner(self, partners):
        now = fields.Datetime.now()
        events = (
            self.env["calendar.event"]
            .sudo()
            .search(
                [("partner_ids", "in", partners.ids), ("stop", ">=", now - timedelta(days=1))],
                order="start",
                limit=20,
            )
        )
        for event in events:
            match = partners & event.partner_ids
            if match:
                return match[:1]
        return partners.sorted("id")[:1]

    def _wa_handle_keywords(self, message, item):
        if not item.text or item.type not in ("text", "button", "interactive"):
            return
        words = self.env["dental.whatsapp.message"]._wa_opt_out_words()
        # A pressed button is not typed text: its title ("Cancella") opts out only when
        # the button itself is an opt-out button (payload STOP).
        said = item.payload if item.payload else item.text
        if keywords.is_opt_out(said, words) and not message.partner_id.wa_opt_out:
            message.partner_id._wa_set_opt_out(item.text)
            self.env["dental.whatsapp.message"]._wa_enqueue(
                message.partner_id,
                category="care",
                body=message.partner_id.with_context(
                    lang=message.partner_id._wa_lang()
                )._wa_opt_out_confirmation(),
                raise_on_refusal=False,
                account=self.account_id,
                service_reply=True,
            )

    # ------------------------------------------------------------------ media
    @api.model
    def _cron_download_media(self, limit=50):
        """Fetch photos, voice notes and documents patients sent, outside the webhook
        request, and attach them to the message's document and chatter entries."""
        messages = (
            self.env["dental.whatsapp.message"]
            .sudo()
            .search([("media_state", "=", "pending")], limit=limit, order="id")
        )
        for message in messages:
            meta = message.media_meta or {}
            try:
                client = message.account_id._get_client()
                info = client.get_media(meta["id"])
                content = client.download_media(info["url"])
            except Exception as error:
                _logger.info("WhatsApp media of message %s not downloaded: %s", message.id, error)
                message.write({"media_state": "failed"})
                continue
            mimetype = info.get("mime_type") or meta.get("mime_type") or "application/octet-stream"
            name = meta.get("filename") or _media_filename(message, mimetype)
            attachment = (
                self.env["ir.attachment"]
                .sudo()
                .create(
                    {
                        "name": name,
                        "raw": content,
                        "mimetype": mimetype,
                        # Owned by the message: only who may read the message reads
                        # the photo, and nobody below administrator changes it.
                        "res_model": message._name,
                        "res_id": message.id,
                    }
                )
            )
            message.write(
                {"media_state": "done", "attachment_ids": [fields.Command.link(attachment.id)]}
            )
            for mail_message in message.mail_message_ids:
                mail_message.sudo().attachment_ids = [fields.Command.link(attachment.id)]
        if not modules.module.current_test:
            self.env.cr.commit()  # pylint: disable=invalid-commit


def _media_filename(message, mimetype):
    extension = mimetypes.guess_extension(mimetype.split(";")[0].strip()) or ""
    stamp = fields.Datetime.to_string(message.received_date or fields.Datetime.now())
    return f"whatsapp-{stamp.replace(' ', '-').replace(':', '')}{extension}"
