from odoo import _, fields, models


class DentalWhatsappDocumentMixin(models.AbstractModel):
    """What appointments and invoices share: their WhatsApp messages and the composer."""

    _name = "dental.whatsapp.document.mixin"
    _inherit = ["dental.whatsapp.sender.mixin"]
    _description = "Document with WhatsApp Messages"

    wa_message_ids = fields.One2many(
        "dental.whatsapp.message",
        "res_id",
        "WhatsApp Messages",
        domain=lambda self: [("model", "=", self._name)],
        readonly=True,
    )
    wa_message_count = fields.Integer("WhatsApp", compute="_compute_wa_message_count")
    wa_practice_name = fields.Char("Practice", compute="_compute_wa_practice_name")

    def _compute_wa_practice_name(self):
        for record in self:
            record.wa_practice_name = record._wa_company().name

    def _compute_wa_message_count(self):
        counts = dict(
            self.env["dental.whatsapp.message"]
            .sudo()
            ._read_group(
                [("model", "=", self._name), ("res_id", "in", self.ids)],
                ["res_id"],
                ["__count"],
            )
        )
        for record in self:
            record.wa_message_count = counts.get(record.id, 0)

    def _wa_unfit_templates(self):
        """Names of the templates that do not fit these records as they are now (the
        composer does not offer them); the documents that know their state say."""
        return set()

    def action_wa_messages(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("WhatsApp Messages"),
            "res_model": "dental.whatsapp.message",
            "view_mode": "list,form",
            "domain": [("model", "=", self._name), ("res_id", "=", self.id)],
        }

    def action_wa_open_composer(self):
        self.env["dental.whatsapp.policy"]._wa_check_sender()
        return self.env["dental.whatsapp.composer"]._action_open(self)
