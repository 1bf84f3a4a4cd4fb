from odoo import models

from ..const import GROUP_RECEPTION, SUBTYPE_WHATSAPP


class MailThread(models.AbstractModel):
    _inherit = "mail.thread"

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
            if recipient.get("uid")
            and not recipient.get("share")
            and staff in (recipient.get("groups") or [])
        ]
