from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError

from ..const import GROUP_RECEPTION


class DentalWhatsappEnquiry(models.TransientModel):
    """Register the Patient: someone the practice did not know wrote on WhatsApp (a
    first-visit request); reception records their name, language and consent (given on
    WhatsApp, today), and the enquiry becomes a patient."""

    _name = "dental.whatsapp.enquiry"
    _description = "Register a Patient from a WhatsApp Enquiry"

    conversation_id = fields.Many2one("dental.whatsapp.conversation", required=True, readonly=True)
    name = fields.Char("Patient Name", required=True)
    lang = fields.Selection(lambda self: self.env["res.lang"].get_installed(), "Language")
    care = fields.Boolean(
        "Care and Appointments", default=True, help="The patient agreed on WhatsApp."
    )
    billing = fields.Boolean()
    greetings = fields.Boolean("Greetings and News")
    note = fields.Text(
        "Note for the Record", help="e.g. 'Agreed on WhatsApp to appointment reminders'."
    )

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        conversation = self.env["dental.whatsapp.conversation"].browse(
            values.get("conversation_id")
        )
        if conversation.exists():
            partner = conversation.partner_id
            values.setdefault("name", partner.name)
            values.setdefault("lang", partner.lang or self.env.lang)
        return values

    def action_confirm(self):
        self.ensure_one()
        if not self.env.user.has_group(GROUP_RECEPTION):
            raise AccessError(_("Only the practice's staff can register patients."))
        conversation = self.conversation_id
        conversation.check_access("write")
        if not (self.name or "").strip():
            raise UserError(_("Write the patient's name."))
        partner = conversation.partner_id
        if not conversation.enquiry or not partner.sudo().wa_new_enquiry:
            raise UserError(
                _(
                    "%s is already a known contact: change their details on their record and "
                    "their consent with Update WhatsApp Consent.",
                    partner.display_name,
                )
            )
        today = fields.Date.context_today(self)
        # sudo: consent fields are closed to direct writes; this form is a way in, and the
        # chatter note names who recorded it.
        partner.sudo().write(
            {
                "name": self.name.strip(),
                "lang": self.lang or partner.lang,
                "wa_new_enquiry": False,
                "wa_consent_care": self.care,
                "wa_consent_billing": self.billing,
                "wa_consent_greetings": self.greetings,
                "wa_consent_source": "whatsapp",
                "wa_consent_date": today,
            }
        )
        partner._wa_post_consent_note(
            (self.note or "").strip()
            or _("Registered from a WhatsApp enquiry; consent given on WhatsApp.")
        )
        conversation.sudo().enquiry = False
        return conversation.action_book_visit()
