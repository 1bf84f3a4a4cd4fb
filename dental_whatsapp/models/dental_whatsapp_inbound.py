import logging
import mimetypes
from datetime import timedelta

from odoo import _, api, fields, models, modules

_logger = logging.getLogger(__name__)


class DentalWhatsappInbound(models.AbstractModel):
    """What patients send: matched to the patient (by number, within the account's
    practice), recorded as a message on the patient and on the document it answers,
    then handed to the features (confirmation answers, opt-out, ...). Photos and
    documents are downloaded here too, outside the webhook request."""

    _name = "dental.whatsapp.inbound"
    _description = "WhatsApp Inbound Messages"

    @api.model
    def _wa_receive(self, account, item):
        """Record what a patient sent (``item``: a parsed InboundMessage) as a message,
        on the patient and the document it answers, then let the features react."""
        Message = self.env["dental.whatsapp.message"].sudo()
        if Message.search_count(
            [("account_id", "=", account.id), ("meta_message_id", "=", item.message_id)]
        ):
            return Message  # Meta's at-least-once delivery: already recorded
        number = "+" + item.wa_id.lstrip("+")
        partner, ambiguous = self._wa_match_partner(account, number, item.profile_name)
        replied = (
            Message.search(
                [
                    ("account_id", "=", account.id),
                    ("meta_message_id", "=", item.context_id),
                ],
                limit=1,
            )
            if item.context_id
            else Message
        )
        vals = {
            "account_id": account.id,
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
        opt_out = self.env["dental.whatsapp.policy"]._wa_is_opt_out(item)
        if not self._wa_on_inbound(message, item, opt_out=opt_out) and opt_out:
            self._wa_handle_opt_out(account, message, item)
        return message

    def _wa_on_inbound(self, message, item, opt_out=False):
        """Listener hook: features (appointment confirmations, ...) extend it to react to
        a patient's ``message`` (``item``: the parsed InboundMessage; ``opt_out``: the
        words ask to stop). Return True when a feature understood the message as an
        answer to it: then it is not also read as an opt-out ("Cancella" under a
        reminder cancels the appointment)."""
        return False

    def _wa_placeholder_text(self, item):
        return {
            "image": _("[photo]"),
            "audio": _("[voice message]"),
            "video": _("[video]"),
            "document": _("[document]"),
            "sticker": _("[sticker]"),
            "location": _("[location]"),
            "unsupported": _("[a message WhatsApp cannot show]"),
        }.get(item.type, _("[%s]", item.type))

    def _wa_match_partner(self, account, number, profile_name):
        """The patient who wrote: by WhatsApp number, then by phone; when several share
        it, the one with the nearest appointment, flagged for the receptionist."""
        Partner = self.env["res.partner"].sudo()
        # Only the practice's own patients (and contacts shared by every company): a
        # number known to another practice of the database is a new enquiry here.
        company = account.company_id
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

    def _wa_handle_opt_out(self, account, message, item):
        """The patient asked to stop: record it and confirm once."""
        if not message.partner_id.wa_opt_out:
            message.partner_id._wa_set_opt_out(item.text)
            self.env["dental.whatsapp.message"]._wa_enqueue(
                message.partner_id,
                category="care",
                body=message.partner_id.with_context(
                    lang=message.partner_id._wa_lang()
                )._wa_opt_out_confirmation(),
                raise_on_refusal=False,
                account=account,
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
