import logging

from odoo import SUPERUSER_ID, _, api, fields, models
from odoo.exceptions import AccessError

from ..const import GROUP_RECEPTION, SUBTYPE_WHATSAPP

_logger = logging.getLogger(__name__)

# What may still change on a WhatsApp chatter entry: reading state of each user, never
# its content, its thread, its author or who it is shown to.
FREE_FIELDS = {"starred_partner_ids", "pinned_at", "link_preview_ids", "reaction_ids"}


def told_of_whatsapp(recipient, staff_group_id):
    """Whether a recipient (``mail.followers._get_recipient_data``) is told of a
    WhatsApp chatter entry: an internal user of the practice's staff."""
    return bool(
        recipient.get("uid")
        and not recipient.get("share")
        and staff_group_id in (recipient.get("groups") or [])
    )


class MailMessage(models.Model):
    _inherit = "mail.message"

    wa_message_id = fields.Many2one(
        "dental.whatsapp.message",
        "WhatsApp Message",
        readonly=True,
        index="btree_not_null",
        # An administrator deleting a message leaves its chatter entry (still marked by
        # the WhatsApp subtype, still protected) rather than rewriting the thread.
        ondelete="set null",
        help="The WhatsApp message this chatter entry records (evidence: read-only).",
    )

    def _dental_whatsapp_entries(self):
        subtype = self.env.ref(SUBTYPE_WHATSAPP, raise_if_not_found=False)
        return self.sudo().filtered(
            lambda m: m.wa_message_id or (subtype and m.subtype_id == subtype)
        )

    def _dental_whatsapp_check(self, deleting=False):
        """Staff cannot edit or delete WhatsApp chatter entries, even through code that
        runs as superuser on their behalf; system administrators can, and it is logged."""
        if self.env.uid == SUPERUSER_ID:
            return self.browse()
        entries = self._dental_whatsapp_entries()
        if not entries:
            return entries
        if not self.env.user._is_system():
            raise AccessError(
                _("WhatsApp messages in the chatter are kept as evidence: they cannot be deleted.")
                if deleting
                else _(
                    "WhatsApp messages in the chatter are kept as evidence: they cannot be edited."
                )
            )
        _logger.warning(
            "System administrator %s %s WhatsApp chatter entries %s",
            self.env.user.login,
            "deleted" if deleting else "edited",
            entries.ids,
        )
        return entries

    @api.model_create_multi
    def create(self, vals_list):
        """Only the module writes WhatsApp entries, each tied to its message: an entry
        with the WhatsApp subtype but no message (posted by hand, through Discuss or RPC,
        as anyone) would be forged evidence."""
        subtype = self.env.ref(SUBTYPE_WHATSAPP, raise_if_not_found=False)
        for vals in vals_list:
            linked = vals.get("wa_message_id")
            if linked and not self.env.su:
                raise AccessError(_("Only the WhatsApp module records WhatsApp messages."))
            if subtype and vals.get("subtype_id") == subtype.id and not linked:
                raise AccessError(
                    _(
                        "A WhatsApp entry cannot be written by hand: only messages really "
                        "sent or received on WhatsApp appear as such."
                    )
                )
        return super().create(vals_list)

    def _dental_whatsapp_check_hold(self, vals=None):
        """Entries of a conversation on evidence hold (on it, or tied to its messages)
        change for nobody; the module may still attach a photo it downloaded."""
        if vals is not None and self.env.su and set(vals) - FREE_FIELDS == {"attachment_ids"}:
            if all(
                isinstance(command, list | tuple) and command[0] == fields.Command.LINK
                for command in vals["attachment_ids"] or ()
            ):
                return
        self.env["dental.whatsapp.evidence.hold"]._wa_check(self)

    def write(self, vals):
        if set(vals) - FREE_FIELDS:
            self._dental_whatsapp_check_hold(vals)
            self._dental_whatsapp_check()
            subtype = self.env.ref(SUBTYPE_WHATSAPP, raise_if_not_found=False)
            turns_into_entry = vals.get("wa_message_id") or (
                subtype and vals.get("subtype_id") == subtype.id
            )
            if turns_into_entry and self.env.uid != SUPERUSER_ID:
                raise AccessError(_("Only the WhatsApp module records WhatsApp messages."))
        return super().write(vals)

    def unlink(self):
        self._dental_whatsapp_check_hold()
        self._dental_whatsapp_check(deleting=True)
        return super().unlink()


class MailThread(models.AbstractModel):
    _inherit = "mail.thread"

    def _check_can_update_message_content(self, messages):
        messages._dental_whatsapp_check()
        return super()._check_can_update_message_content(messages)

    @api.model
    def notify_cancel_by_type(self, notification_type):
        """Dismiss WhatsApp failures from the messaging menu (the messages stay failed
        in the log and in the chatter)."""
        if notification_type == "whatsapp":
            self._notify_cancel_by_type_generic("whatsapp")
        return super().notify_cancel_by_type(notification_type)

    def _get_message_create_valid_field_names(self):
        # message_post(wa_message_id=...) from the module's own code; the Discuss
        # controller only passes _get_allowed_message_post_params, which lacks it.
        return super()._get_message_create_valid_field_names() | {"wa_message_id"}

    def _notify_get_recipients(self, message, msg_vals, **kwargs):
        """A WhatsApp chatter entry (on a patient, an appointment, an invoice) is told
        only to the practice's staff, in their Odoo inbox: an employee who followed the
        patient with the WhatsApp subtype gets nothing, and nobody gets an e-mail."""
        recipients = super()._notify_get_recipients(message, msg_vals, **kwargs)
        subtype_id = (msg_vals or {}).get("subtype_id") or message.subtype_id.id
        whatsapp = self.env.ref(SUBTYPE_WHATSAPP, raise_if_not_found=False)
        if not whatsapp or subtype_id != whatsapp.id:
            return recipients
        staff = self.env.ref(GROUP_RECEPTION).id
        return [
            dict(recipient, notif="inbox")
            for recipient in recipients
            if told_of_whatsapp(recipient, staff)
        ]
