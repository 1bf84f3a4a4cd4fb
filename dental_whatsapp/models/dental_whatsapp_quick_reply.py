from odoo import api, fields, models
from odoo.exceptions import UserError

from ..const import BOOKING_TEXTS


class DentalWhatsappQuickReply(models.Model):
    """A short answer the practice wrote once and reviewed ("we'll call you back",
    "please come in"), one click away in the reply box. It is still free text: it leaves
    only inside the 24 h window and passes the same checks as anything typed."""

    _name = "dental.whatsapp.quick.reply"
    _description = "WhatsApp Quick Reply"
    _order = "sequence, name"

    name = fields.Char("Title", required=True, translate=True)
    body = fields.Text(
        "Text",
        required=True,
        translate=True,
        help="{opening_hours} is replaced by the practice's weekly hours, in the patient's "
        "language.",
    )
    suggested_for = fields.Selection(
        [
            ("clinical", "Clinical Questions"),
            ("flirt", "Personal Advances"),
            ("hostile", "Heated Conversations"),
        ],
        "Suggest For",
        help="The reply box offers this reply first when the patient's messages read so.",
    )
    usage = fields.Selection(
        BOOKING_TEXTS,
        "Sent Automatically For",
        help="The module sends this reviewed text on its own, in the patient's language, "
        "when patients choose a time on WhatsApp: {time} is the appointment's time, "
        "{dentist} the dentist. Empty: a reply the staff pick in the reply box.",
    )
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", "Practice", index=True)

    @api.constrains("body")
    def _check_body(self):
        Policy = self.env["dental.whatsapp.policy"]
        for reply in self:
            blocks = Policy._wa_check_text(reply.body or "")[0]
            if blocks:
                raise UserError(
                    Policy._wa_refusal_words(["content_blocked"], self.env["res.partner"], blocks)
                )
