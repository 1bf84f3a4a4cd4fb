"""The evidence hold: while a conversation is held, nothing in it is altered or
deleted, by anyone (system administrators and the superuser included), until a manager
lifts the hold with a reason (wizard/dental_whatsapp_hold_lift.py).

One service asked by every model that holds a part of the conversation: the
conversation itself (through ``mail.thread`` in models/mail_message.py), its messages
(models/dental_whatsapp_message.py), their chatter entries (models/mail_message.py) and
their files (models/ir_attachment.py)."""

from odoo import _, api, models
from odoo.exceptions import UserError

from ..const import EVIDENCE_LIFT_KEY

CONVERSATION = "dental.whatsapp.conversation"
MESSAGE = "dental.whatsapp.message"


class DentalWhatsappEvidenceHold(models.AbstractModel):
    _name = "dental.whatsapp.evidence.hold"
    _description = "WhatsApp Evidence Hold"

    @api.model
    def _wa_lifting(self):
        return self.env.su and self.env.context.get(EVIDENCE_LIFT_KEY)

    @api.model
    def _wa_any_held(self):
        """One indexed query: most databases hold nothing, and chatter writes are many."""
        return bool(
            self.env[CONVERSATION].sudo().search_count([("evidence_hold", "=", True)], limit=1)
        )

    @api.model
    def _wa_check(self, records):
        """Refuse when one of ``records`` (conversations, messages, chatter entries or
        attachments) belongs to a conversation on evidence hold."""
        if not records or not self._wa_any_held():
            return
        finders = {
            CONVERSATION: lambda r: r.sudo(),
            MESSAGE: self._wa_conversations_of_messages,
            "mail.message": self._wa_conversations_of_entries,
            "ir.attachment": self._wa_conversations_of_attachments,
        }
        self._wa_refuse(finders[records._name](records))

    @api.model
    def _wa_held(self, conversations):
        """The conversations among ``conversations`` that are on evidence hold."""
        return conversations.sudo().filtered("evidence_hold")

    @api.model
    def _wa_refuse(self, conversations):
        """Raise the hold's refusal when one of ``conversations`` is held."""
        held = self._wa_held(conversations)[:1]
        if not held:
            return
        since = (
            held._wa_format_datetime(held.evidence_hold_date, self.env.user.lang or "en_US")
            if held.evidence_hold_date
            else _("an unknown date")
        )
        raise UserError(
            _(
                "The WhatsApp conversation with %(patient)s is on evidence hold since "
                "%(since)s: nothing in it can be changed or deleted, by anyone. Only a "
                "manager can lift the hold, with a reason.",
                patient=held.partner_id.display_name or held.number or "",
                since=since,
            )
        )

    # ------------------------------------------------------------------ what belongs where
    @api.model
    def _wa_conversations_of_messages(self, messages):
        return messages.sudo().conversation_id

    @api.model
    def _wa_conversations_of_entries(self, entries):
        """The conversations of chatter entries: posted on the conversation, or tied to
        one of its messages (``wa_message_id`` or the message's ``mail_message_ids``)."""
        entries = entries.sudo()
        Conversation = self.env[CONVERSATION].sudo()
        on_thread = Conversation.browse(
            {entry.res_id for entry in entries if entry.model == CONVERSATION and entry.res_id}
        ).exists()
        messages = entries.wa_message_id
        if entries:
            messages |= self.env[MESSAGE].sudo().search([("mail_message_ids", "in", entries.ids)])
        return on_thread | messages.conversation_id

    @api.model
    def _wa_conversations_of_attachments(self, attachments):
        attachments = attachments.sudo()
        ids = {CONVERSATION: set(), MESSAGE: set()}
        for attachment in attachments:
            if attachment.res_model in ids and attachment.res_id:
                ids[attachment.res_model].add(attachment.res_id)
        conversations = self.env[CONVERSATION].sudo().browse(ids[CONVERSATION]).exists()
        messages = self.env[MESSAGE].sudo().browse(ids[MESSAGE]).exists()
        if attachments:
            messages |= (
                self.env[MESSAGE]
                .sudo()
                .search(
                    [
                        "|",
                        ("attachment_ids", "in", attachments.ids),
                        ("header_attachment_id", "in", attachments.ids),
                    ]
                )
            )
        return conversations | messages.conversation_id
