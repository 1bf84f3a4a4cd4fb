import logging
import mimetypes
from datetime import timedelta

import phonenumbers
from markupsafe import Markup
from odoo import _, api, fields, models, modules

from ..const import SUBTYPE_WHATSAPP

_logger = logging.getLogger(__name__)

# Meta's media types as the message's media kind (a sticker is shown as a photo).
_MEDIA_KINDS = {
    "image": "image",
    "sticker": "image",
    "video": "video",
    "audio": "audio",
    "document": "document",
}


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
        on the patient, their conversation and the document it answers, then let the
        features and the desk react."""
        Message = self.env["dental.whatsapp.message"].sudo()
        if Message.search_count(
            [("account_id", "=", account.id), ("meta_message_id", "=", item.message_id)]
        ):
            return Message  # Meta's at-least-once delivery: already recorded
        if getattr(item, "system_type", None):
            return self._wa_receive_system(account, item)
        user_id = getattr(item, "user_id", None) or False
        number = "+" + item.wa_id.lstrip("+") if item.wa_id else False
        partner, ambiguous = self._wa_match_partner(
            account,
            number,
            item.profile_name or getattr(item, "username", None),
            user_id=user_id,
        )
        self._wa_learn_identity(partner, number, user_id, getattr(item, "username", None))
        revoked = getattr(item, "revoke_of", None)
        if revoked:
            return self._wa_receive_revoke(account, item, revoked)
        edited = self._wa_find(account, getattr(item, "edit_of", None))
        replied = self._wa_find(account, item.context_id)
        conversation = self.env["dental.whatsapp.conversation"]._wa_for(
            account, partner, number=number, user_id=user_id
        )
        received = fields.Datetime.to_string(item.timestamp.replace(tzinfo=None))
        vals = {
            "account_id": account.id,
            "conversation_id": conversation.id,
            "direction": "in",
            "partner_id": partner.id,
            "recipient_partner_id": partner.id,
            "number": number or user_id,
            "body": item.text or self._wa_placeholder_text(item),
            "state": "received",
            "meta_message_id": item.message_id,
            "received_date": received,
            "reply_to_id": replied.id,
            "edit_of_id": edited.id,
            "model": replied.model if replied else "res.partner",
            "res_id": replied.res_id if replied else partner.id,
            "ambiguous_partner": ambiguous,
            "media_state": "pending" if item.media else "none",
            "media_meta": item.media or False,
            "media_kind": _MEDIA_KINDS.get(item.type, False) if item.media else False,
        }
        message = Message.create(vals)
        if edited:
            edited.edited_date = message.received_date
        received = message.received_date
        if not partner.wa_last_inbound_date or partner.wa_last_inbound_date < received:
            partner.wa_last_inbound_date = received
        message._wa_post_chatter()
        if item.media:
            cron = self.env.ref("dental_whatsapp.ir_cron_download_media", raise_if_not_found=False)
            if cron:
                cron.sudo()._trigger()
        handled = False
        if not edited:
            opt_out = self.env["dental.whatsapp.policy"]._wa_is_opt_out(item)
            handled = self._wa_on_inbound(message, item, opt_out=opt_out)
            if not handled and opt_out:
                self._wa_handle_opt_out(account, message, item)
                handled = True
        conversation._wa_on_patient_message(message, handled=handled, acknowledge=not edited)
        return message

    def _wa_find(self, account, meta_message_id):
        """The message Meta knows as ``meta_message_id`` on this account (or none)."""
        Message = self.env["dental.whatsapp.message"].sudo()
        if not meta_message_id:
            return Message
        return Message.search(
            [("account_id", "=", account.id), ("meta_message_id", "=", meta_message_id)],
            limit=1,
        )

    def _wa_learn_identity(self, partner, number, user_id, username):
        """Keep the business-scoped user id and username Meta gives with a message."""
        vals = {}
        if user_id and partner.wa_user_id != user_id:
            vals["wa_user_id"] = user_id
        if username and partner.wa_username != username:
            vals["wa_username"] = username
        if number and not partner.whatsapp_number and not partner.whatsapp_recipient_id:
            vals["whatsapp_number"] = number
        if vals:
            partner.sudo().write(vals)

    def _wa_receive_revoke(self, account, item, revoked_id):
        """The patient deleted a message on their phone: the practice keeps it, marked."""
        original = self._wa_find(account, revoked_id)
        if not original:
            _logger.info("WhatsApp revoke for an unknown message %s", revoked_id)
            return original
        when = item.timestamp.replace(tzinfo=None)
        original.revoked_date = when
        note = Markup("<i>%s</i><br/>%s") % (
            _(
                "%(patient)s deleted this message on their phone at %(when)s. The practice "
                "keeps it as it was:",
                patient=original.partner_id.display_name or original.number,
                when=original.partner_id._wa_format_datetime(when, self.env.user.lang or "en_US"),
            ),
            original.body or "",
        )
        subtype = self.env.ref(SUBTYPE_WHATSAPP)
        posted = self.env["mail.message"]
        for target in (original.conversation_id, original.partner_id):
            if target:
                posted |= target.with_context(mail_create_nosubscribe=True).message_post(
                    wa_message_id=original.id,
                    body=note,
                    message_type="notification",
                    subtype_id=subtype.id,
                    author_id=original.partner_id.id,
                )
        original.mail_message_ids = [fields.Command.link(m.id) for m in posted]
        return original

    def _wa_receive_system(self, account, item):
        """WhatsApp says a patient changed number or user id: follow them."""
        Partner = self.env["res.partner"].sudo()
        company = account.company_id
        mine = [("company_id", "in", (company.id, False))]
        old_number = "+" + item.wa_id.lstrip("+") if item.wa_id else False
        partner = Partner.browse()
        if getattr(item, "user_id", None):
            partner = Partner.search([("wa_user_id", "=", item.user_id), *mine], limit=1)
        if not partner and old_number:
            partner = Partner.search([("whatsapp_number", "=", old_number), *mine], limit=1)
        if not partner:
            _logger.info("WhatsApp %s for a contact the practice does not know", item.system_type)
            return self.env["dental.whatsapp.message"]
        vals = {}
        if item.system_type == "user_changed_number" and getattr(item, "new_wa_id", None):
            vals["whatsapp_number"] = "+" + item.new_wa_id.lstrip("+")
            note = _(
                "WhatsApp: the patient changed number, from %(old)s to %(new)s.",
                old=partner.whatsapp_number or _("unknown"),
                new=vals["whatsapp_number"],
            )
        else:
            note = _("WhatsApp: the patient's user ID changed.")
        if getattr(item, "new_user_id", None):
            vals["wa_user_id"] = item.new_user_id
        if vals:
            partner.write(vals)
            for conversation in partner.wa_conversation_ids.filtered(
                lambda c: c.account_id == account
            ):
                conversation.write(
                    {
                        "number": partner.whatsapp_number,
                        "wa_user_id": partner.wa_user_id,
                    }
                )
                conversation.with_context(wa_internal_post=True).message_post(
                    body=note, subtype_xmlid="mail.mt_note"
                )
            # The numbers stay in the conversation (dental staff only): the contact's
            # chatter is read by every employee.
            partner.message_post(
                body=_("WhatsApp: the patient's WhatsApp number or user id changed."),
                subtype_xmlid="mail.mt_note",
            )
        return self.env["dental.whatsapp.message"]

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

    def _wa_match_partner(self, account, number, profile_name, user_id=None):
        """The patient who wrote: by business-scoped user id, by WhatsApp number, then by
        phone; when several share it, the one with the nearest appointment, flagged for
        the receptionist. Someone unknown becomes a new enquiry."""
        Partner = self.env["res.partner"].sudo()
        # Only the practice's own patients (and contacts shared by every company): a
        # number known to another practice of the database is a new enquiry here.
        company = account.company_id
        mine = [("company_id", "in", (company.id, False))]
        partners = Partner.browse()
        if user_id:
            partners = Partner.search([("wa_user_id", "=", user_id), *mine])
        if not partners and number:
            partners = Partner.search([("whatsapp_number", "=", number), *mine])
            if not partners:
                partners = Partner.search([("phone_sanitized", "=", number), *mine])
        if not partners:
            partner = Partner.create(
                {
                    "name": profile_name or number or user_id,
                    "lang": self._wa_guess_lang(number, company),
                    "whatsapp_number": number or False,
                    "wa_user_id": user_id or False,
                    "wa_new_enquiry": True,
                    "company_id": company.id,
                }
            )
            return partner, False
        if len(partners) == 1:
            return partners, False
        return self._wa_nearest_appointment_partner(partners), True

    def _wa_guess_lang(self, number, company):
        """The language a new enquiry is answered in: that of the number's country when
        the practice has it installed (+39: Italian, +34: Spanish), else the practice's."""
        installed = [code for code, _name in self.env["res.lang"].get_installed()]
        region = None
        if number:
            try:
                region = phonenumbers.region_code_for_number(phonenumbers.parse(number))
            except phonenumbers.NumberParseException:
                region = None
        if region:
            for code in installed:
                if code.endswith("_" + region):
                    return code
        fallback = company.partner_id.lang
        return fallback if fallback in installed else False

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
            if mimetype.startswith("audio/"):
                # A voice note: the chatter plays it with Discuss's own voice player.
                attachment._set_voice_metadata()
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
