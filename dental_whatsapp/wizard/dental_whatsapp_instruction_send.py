from odoo import _, api, fields, models
from odoo.exceptions import UserError

# Where the one-click "Send Care Instructions" comes from, and who the patient is there.
SOURCES = {
    "calendar.event": "patient_id",
    "dental.whatsapp.conversation": "partner_id",
    "res.partner": None,
}


class DentalWhatsappInstructionSend(models.TransientModel):
    """Send a reviewed care instruction sheet in one click, from an appointment, a
    conversation or the patient ("the dosage you forgot")."""

    _name = "dental.whatsapp.instruction.send"
    _description = "Send Care Instructions"

    res_model = fields.Char("Sent From", required=True, readonly=True)
    res_id = fields.Integer("Sent From Record", required=True, readonly=True)
    partner_id = fields.Many2one("res.partner", "Patient", readonly=True)
    appointment_type_id = fields.Many2one("dental.whatsapp.appointment.type", readonly=True)
    instruction_id = fields.Many2one(
        "dental.whatsapp.instruction",
        "Instructions",
        required=True,
        domain="[('review_state', '=', 'approved')]",
        help="Only sheets a dentist approved.",
    )

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        model = self.env.context.get("active_model")
        record_id = self.env.context.get("active_id")
        if model not in SOURCES or not record_id:
            return values
        record = self.env[model].browse(record_id)
        record.check_access("read")
        patient = record[SOURCES[model]] if SOURCES[model] else record
        kind = record.wa_appointment_type_id if model == "calendar.event" else False
        values.update(res_model=model, res_id=record.id, partner_id=patient.id)
        if kind:
            values["appointment_type_id"] = kind.id
            sheet = kind.instruction_ids.filtered(lambda s: s.review_state == "approved")[:1]
            values["instruction_id"] = sheet.id or False
        return values

    def action_send(self):
        self.ensure_one()
        if self.res_model not in SOURCES:
            raise UserError(
                _("Care instructions are sent from an appointment, a conversation or a patient.")
            )
        record = self.env[self.res_model].browse(self.res_id).exists()
        if not record or not self.partner_id:
            raise UserError(_("Choose the patient first."))
        record.check_access("read")
        message = self.instruction_id._wa_send(self.partner_id, record)
        queued = int(message.state != "cancelled")
        return record._wa_notify(queued, 1 - queued, close=True)
