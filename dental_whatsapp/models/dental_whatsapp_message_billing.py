"""The billing feature's listener on the outbox: reminders of settled invoices."""

from odoo import models


class DentalWhatsappMessage(models.Model):
    _inherit = "dental.whatsapp.message"

    def _wa_obsolete_reason(self):
        """A payment reminder waiting in the outbox is withdrawn once the invoice is paid,
        reversed or cancelled, or its reminders are paused."""
        reason = super()._wa_obsolete_reason()
        if reason or self.model != "account.move":
            return reason
        reminder = (
            self.env["dental.whatsapp.payment.reminder"]
            .sudo()
            .search([("message_id", "=", self.id)], limit=1)
        )
        if not reminder:
            return False
        move = reminder.move_id
        return move._wa_settled_words() or move._wa_pause_reason_words()
