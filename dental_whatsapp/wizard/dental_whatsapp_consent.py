from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError

from ..const import CONSENT_SOURCES, GROUP_RECEPTION


class DentalWhatsappConsent(models.TransientModel):
    """Update WhatsApp Consent: the one way staff change a patient's consent, opt-out
    and WhatsApp number, with who, when and why kept in the patient's chatter."""

    _name = "dental.whatsapp.consent"
    _description = "Update WhatsApp Consent"

    partner_id = fields.Many2one("res.partner", "Patient", required=True, readonly=True)
    opted_out = fields.Boolean(related="partner_id.wa_opt_out", string="Opted Out")
    care = fields.Boolean("Care and Appointments")
    billing = fields.Boolean()
    greetings = fields.Boolean("Greetings and News")
    is_staff = fields.Boolean(related="partner_id.wa_is_staff", string="Practice Staff")
    staff = fields.Boolean(
        "Staff Notices on WhatsApp",
        help="The staff member agreed to receive the practice's service notices on this "
        "number. Only for the practice's own users, never for a patient.",
    )
    source = fields.Selection(
        CONSENT_SOURCES, "Consent Given Through", required=True, default="reception"
    )
    consent_date = fields.Date(required=True, default=fields.Date.context_today)
    whatsapp_number = fields.Char("WhatsApp Number")
    recipient_id = fields.Many2one(
        "res.partner",
        "Send WhatsApp To",
        help="A parent, a carer or a guardian who receives this patient's messages instead.",
    )
    clear_opt_out = fields.Boolean(
        "The Patient Asked to Receive Messages Again",
        help="Clears the opt-out. Tick it only when the patient explicitly asked.",
    )
    reason = fields.Text(
        "Why",
        required=True,
        help="What the patient said or signed, e.g. 'Signed the consent form at the desk'.",
    )

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        partner = self.env["res.partner"].browse(values.get("partner_id")).sudo()
        if partner:
            values.update(
                care=partner.wa_consent_care,
                billing=partner.wa_consent_billing,
                greetings=partner.wa_consent_greetings,
                staff=partner.wa_consent_staff,
                source=partner.wa_consent_source or values.get("source"),
                whatsapp_number=partner.whatsapp_number,
                recipient_id=partner.whatsapp_recipient_id.id,
            )
        return values

    def action_confirm(self):
        self.ensure_one()
        if not self.env.user.has_group(GROUP_RECEPTION):
            raise AccessError(_("Only the practice's staff can record WhatsApp consent."))
        partner = self.partner_id
        partner.check_access("read")  # a patient of the user's practices
        if not (self.reason or "").strip():
            raise UserError(_("Say why the consent or the number changes."))
        if self.recipient_id == partner:
            raise UserError(_('"Send WhatsApp To" must be someone other than the patient.'))
        is_staff = partner.sudo().wa_is_staff
        if self.staff and not is_staff:
            raise UserError(
                _(
                    "Staff notices are only for the practice's own users: %s is not one.",
                    partner.display_name,
                )
            )
        vals = {
            "wa_consent_care": self.care,
            "wa_consent_billing": self.billing,
            "wa_consent_greetings": self.greetings,
            "wa_consent_staff": self.staff and is_staff,
            "wa_consent_source": self.source,
            "wa_consent_date": self.consent_date,
            "whatsapp_number": (self.whatsapp_number or "").strip() or False,
            "whatsapp_recipient_id": self.recipient_id.id,
        }
        if self.clear_opt_out and partner.sudo().wa_opt_out:
            vals.update(wa_opt_out=False, wa_opt_out_date=False)
        # sudo: the fields are closed to direct writes; this form is the way in, and the
        # chatter note below (and the fields' tracking) names the user.
        partner.sudo().write(vals)
        why = self.reason.strip()
        if "wa_opt_out" in vals:
            why = _("%s (the opt-out is cleared at the patient's request)", why)
        partner._wa_post_consent_note(why)
        return {"type": "ir.actions.act_window_close"}
