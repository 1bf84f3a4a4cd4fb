import logging

from odoo import SUPERUSER_ID, _, models
from odoo.exceptions import AccessError

_logger = logging.getLogger(__name__)

MESSAGE_MODEL = "dental.whatsapp.message"


class IrAttachment(models.Model):
    _inherit = "ir.attachment"

    def _dental_whatsapp_check(self, vals=None, deleting=False):
        """Photos, voice notes and documents of WhatsApp messages belong to their message
        (who may read the message reads them, as Odoo's attachment rules have it): only
        the module itself or a system administrator changes or deletes them, even
        through code running as superuser for someone else; the administrator is
        logged."""
        if self.env.uid == SUPERUSER_ID:
            return
        moving_in = vals and vals.get("res_model") == MESSAGE_MODEL
        evidence = self.sudo().filtered(lambda a: a.res_model == MESSAGE_MODEL)
        if not evidence and not moving_in:
            return
        if not self.env.user._is_system():
            if moving_in and not evidence and self.env.su:
                return  # the module attaching a document to the message it sends
            raise AccessError(
                _("Files of WhatsApp messages are kept as evidence: they cannot be deleted.")
                if deleting
                else _("Files of WhatsApp messages are kept as evidence: they cannot be changed.")
            )
        _logger.warning(
            "System administrator %s %s WhatsApp attachments %s",
            self.env.user.login,
            "deleted" if deleting else "changed",
            evidence.ids,
        )

    def write(self, vals):
        # An evidence hold freezes the files of the conversation and of its messages,
        # for everyone (a portal link's token may still be made).
        if set(vals) - {"access_token"}:
            self.env["dental.whatsapp.evidence.hold"]._wa_check(self)
        self._dental_whatsapp_check(vals)
        return super().write(vals)

    def unlink(self):
        self.env["dental.whatsapp.evidence.hold"]._wa_check(self)
        self._dental_whatsapp_check(deleting=True)
        return super().unlink()
