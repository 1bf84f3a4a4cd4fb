import logging

from odoo import _, models
from odoo.exceptions import AccessError

_logger = logging.getLogger(__name__)

# Changing these on a WhatsApp chatter entry would rewrite the evidence; reading state
# (starred, notifications, needaction) lives elsewhere or stays free.
PROTECTED_FIELDS = {
    "body",
    "attachment_ids",
    "subtype_id",
    "model",
    "res_id",
    "author_id",
    "email_from",
    "message_type",
    "date",
    "tracking_value_ids",
    "subject",
}


class MailMessage(models.Model):
    _inherit = "mail.message"

    def _dental_whatsapp_entries(self):
        subtype = self.env.ref("dental_whatsapp.mt_whatsapp", raise_if_not_found=False)
        if not subtype:
            return self.browse()
        return self.sudo().filtered(lambda m: m.subtype_id == subtype)

    def _dental_whatsapp_check(self, deleting=False):
        """Staff cannot edit or delete WhatsApp chatter entries, even through code that
        runs as superuser on their behalf; system administrators can, and it is logged."""
        if self.env.uid == self.env.ref("base.user_root").id:
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

    def write(self, vals):
        if PROTECTED_FIELDS.intersection(vals):
            self._dental_whatsapp_check()
        return super().write(vals)

    def unlink(self):
        self._dental_whatsapp_check(deleting=True)
        return super().unlink()


class MailThread(models.AbstractModel):
    _inherit = "mail.thread"

    def _check_can_update_message_content(self, messages):
        messages._dental_whatsapp_check()
        return super()._check_can_update_message_content(messages)
