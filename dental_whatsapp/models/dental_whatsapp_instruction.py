import base64

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError

from ..const import GROUP_DENTIST, TEMPLATE_INSTRUCTIONS
from ..tools.pdf import is_pdf

# A change of these sends the sheet back to the dentist's review.
REVIEWED_FIELDS = frozenset({"name", "body", "leaflet"})


class DentalWhatsappInstruction(models.Model):
    """What a patient should do after a procedure, written once and reviewed by a
    dentist: after an extraction, implant care, after whitening, a night guard, brushing
    with braces, a drug's dosage. It leaves as a PDF (the practice's leaflet, or the text
    laid out) through the reviewed template ``care_instructions``."""

    _name = "dental.whatsapp.instruction"
    _inherit = ["mail.thread"]
    _description = "Care Instruction Sheet"
    _order = "sequence, name"

    name = fields.Char("Title", required=True, translate=True, tracking=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", "Practice", index=True, help="Empty: every practice of the database."
    )
    body = fields.Text(
        "Instructions",
        required=True,
        translate=True,
        help="What the patient reads, in each language of the practice's patients.",
    )
    leaflet = fields.Binary(
        "PDF Leaflet",
        attachment=True,
        help="The practice's own leaflet; without it the instructions above are sent as a PDF.",
    )
    leaflet_name = fields.Char("Leaflet File Name")
    appointment_type_ids = fields.Many2many(
        "dental.whatsapp.appointment.type",
        "dental_whatsapp_instruction_appointment_type_rel",
        string="Appointment Types",
        help="Offered first for these appointments, and sent after them when the type says so.",
    )
    review_state = fields.Selection(
        [("draft", "To Review"), ("approved", "Approved by a Dentist")],
        default="draft",
        required=True,
        readonly=True,
        tracking=True,
    )
    reviewed_by_id = fields.Many2one("res.users", "Approved By", readonly=True)
    reviewed_date = fields.Datetime("Approved On", readonly=True)

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            vals.update(review_state="draft", reviewed_by_id=False, reviewed_date=False)
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su and {"review_state", "reviewed_by_id", "reviewed_date"} & set(vals):
            raise AccessError(_("A sheet is approved with its Approve button, by a dentist."))
        if REVIEWED_FIELDS & set(vals):
            # Changed wording is not what the dentist approved. The review fields are
            # readonly for everyone: the rights are the writer's, checked first.
            self.check_access("write")
            vals = dict(vals, review_state="draft", reviewed_by_id=False, reviewed_date=False)
            return super(DentalWhatsappInstruction, self.sudo()).write(vals)
        return super().write(vals)

    def action_approve(self):
        if not self.env.su and not self.env.user.has_group(GROUP_DENTIST):
            raise AccessError(_("Only a dentist can approve care instructions."))
        self.check_access("write")
        self.sudo().write(
            {
                "review_state": "approved",
                "reviewed_by_id": self.env.uid,
                "reviewed_date": fields.Datetime.now(),
            }
        )
        return True

    def action_back_to_review(self):
        if not self.env.su and not self.env.user.has_group(GROUP_DENTIST):
            raise AccessError(_("Only a dentist can send care instructions back to review."))
        self.sudo().write(
            {"review_state": "draft", "reviewed_by_id": False, "reviewed_date": False}
        )
        return True

    # ------------------------------------------------------------------ sending
    def _wa_pdf(self, partner):
        """The sheet as a PDF attachment in the patient's language."""
        self.ensure_one()
        lang = partner._wa_report_lang()
        sheet = self.with_context(lang=lang)
        if self.leaflet:
            raw = base64.b64decode(sheet.sudo().leaflet)
        else:
            raw, _kind = (
                self.env["ir.actions.report"]
                .sudo()
                .with_context(lang=lang)
                ._render_qweb_pdf("dental_whatsapp.action_report_wa_instruction", res_ids=self.ids)
            )
        if not is_pdf(raw):
            raise UserError(
                _(
                    "The instructions %s could not be made as a PDF: ask an administrator to "
                    "check wkhtmltopdf, or attach the leaflet as a PDF.",
                    sheet.name,
                )
            )
        return (
            self.env["ir.attachment"]
            .sudo()
            .create({"name": f"{sheet.name}.pdf", "raw": raw, "mimetype": "application/pdf"})
        )

    def _wa_send(self, partner, record, raise_on_refusal=True):
        """Send the sheet to ``partner`` about ``record`` (an appointment, a conversation
        or the patient): the reviewed template with the PDF, in the patient's language."""
        self.ensure_one()
        self.env["dental.whatsapp.policy"]._wa_check_sender()
        if self.review_state != "approved":
            raise UserError(_("The instructions %s are not approved by a dentist yet.", self.name))
        company = record.company_id if "company_id" in record._fields else self.env.company
        company = company or self.env.company
        account = self.env["dental.whatsapp.account"]._wa_for_company(company)
        template = (
            self.env["dental.whatsapp.template"]
            .sudo()
            ._find_for(account, TEMPLATE_INSTRUCTIONS, partner)
        )
        if not template:
            raise UserError(
                _(
                    "The WhatsApp template %s is not approved yet by a dentist and by Meta.",
                    TEMPLATE_INSTRUCTIONS,
                )
            )
        title = self.with_context(lang=partner._wa_lang()).name
        return self.env["dental.whatsapp.message"]._wa_enqueue(
            partner,
            category="care",
            record=record,
            template=template,
            values=[partner.name or "", title, company.name or ""],
            account=account,
            header_attachment=self._wa_pdf(partner),
            raise_on_refusal=raise_on_refusal,
        )
