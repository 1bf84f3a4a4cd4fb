from odoo import fields, models

from ..tools import send_policy
from ..tools.errors import CODE_REENGAGEMENT, CODE_UNDELIVERABLE

# Why a WhatsApp message failed, by Meta's code or the policy's refusal.
FAILURE_BY_CODE = {
    str(CODE_REENGAGEMENT): "wa_window",
    send_policy.WINDOW_CLOSED: "wa_window",
    str(CODE_UNDELIVERABLE): "wa_number",
    send_policy.NO_NUMBER: "wa_number",
    send_policy.NO_CONSENT: "wa_consent",
    send_policy.OPTED_OUT: "wa_consent",
}


class MailNotification(models.Model):
    """WhatsApp delivery as Odoo shows e-mail and SMS delivery: one notification per
    chatter entry, whose status gives the chatter its icon and whose failures fill the
    messaging menu's failure tray (as ``sms/models/mail_notification.py`` does)."""

    _inherit = "mail.notification"

    notification_type = fields.Selection(
        selection_add=[("whatsapp", "WhatsApp")], ondelete={"whatsapp": "cascade"}
    )
    failure_type = fields.Selection(
        selection_add=[
            ("wa_window", "WhatsApp: the patient has not written in 24 hours"),
            ("wa_number", "WhatsApp: the number does not use WhatsApp"),
            ("wa_consent", "WhatsApp: no consent for this kind of message"),
            ("wa_refused", "WhatsApp refused the message"),
        ]
    )

    def _wa_failure_type(self, error_code):
        codes = (error_code or "").split(",")
        return next((FAILURE_BY_CODE[c] for c in codes if c in FAILURE_BY_CODE), "wa_refused")
