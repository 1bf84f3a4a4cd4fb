from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..const import STATEMENT_PAYMENT_DAYS, TEMPLATE_STATEMENT
from ..tools.pdf import is_pdf


class ResPartner(models.Model):
    _inherit = "res.partner"

    wa_payment_reminders_paused = fields.Boolean(
        "Payment Reminders Paused",
        tracking=True,
        help="No WhatsApp payment reminder goes out for this patient's invoices (for example "
        "a payment plan was agreed). Only a WhatsApp manager can change it, with a reason.",
    )
    wa_payment_pause_reason = fields.Char("Why Payment Reminders Are Paused", tracking=True)
    wa_statement_currency_id = fields.Many2one(
        "res.currency", compute="_compute_wa_statement", string="Statement Currency"
    )
    wa_statement_total = fields.Monetary(
        "Open Amount",
        currency_field="wa_statement_currency_id",
        compute="_compute_wa_statement",
        help="What the patient still has to pay on posted customer invoices.",
    )
    wa_practice_name = fields.Char("Practice", compute="_compute_wa_practice_name")

    @api.constrains("wa_payment_reminders_paused", "wa_payment_pause_reason")
    def _check_wa_payment_pause_reason(self):
        for partner in self:
            if (
                partner.wa_payment_reminders_paused
                and not (partner.wa_payment_pause_reason or "").strip()
            ):
                raise ValidationError(
                    _("Say why the payment reminders of %s are paused.", partner.name)
                )

    def write(self, vals):
        if {"wa_payment_reminders_paused", "wa_payment_pause_reason"} & set(vals):
            self._wa_check_pause_rights()
        return super().write(vals)

    def _compute_wa_practice_name(self):
        for partner in self:
            partner.wa_practice_name = (partner.company_id or self.env.company).name

    def _wa_open_invoices(self):
        self.ensure_one()
        return (
            self.env["account.move"]
            .sudo()
            .search(
                [
                    ("commercial_partner_id", "=", self.commercial_partner_id.id),
                    ("move_type", "=", "out_invoice"),
                    ("state", "=", "posted"),
                    ("payment_state", "in", ("not_paid", "partial")),
                ],
                order="invoice_date_due, id",
            )
        )

    def _wa_recent_payments(self):
        self.ensure_one()
        since = fields.Date.context_today(self) - timedelta(days=STATEMENT_PAYMENT_DAYS)
        return (
            self.env["account.payment"]
            .sudo()
            .search(
                [
                    ("partner_id", "child_of", self.commercial_partner_id.id),
                    ("payment_type", "=", "inbound"),
                    ("state", "in", ("in_process", "paid")),
                    ("date", ">=", since),
                ],
                order="date desc, id desc",
            )
        )

    def _compute_wa_statement(self):
        """The open amount in the invoices' currency (the company's when they differ)."""
        for partner in self:
            company_currency = (partner.company_id or self.env.company).currency_id
            invoices = partner._wa_open_invoices() if partner.id else self.env["account.move"]
            currencies = invoices.currency_id
            currency = currencies if len(currencies) == 1 else company_currency
            partner.wa_statement_currency_id = currency
            partner.wa_statement_total = sum(
                move.currency_id._convert(
                    move.amount_residual, currency, move.company_id, fields.Date.today()
                )
                for move in invoices
            )

    def _wa_report_lang(self):
        """The patient's language for a PDF, if the database has it installed."""
        self.ensure_one()
        lang = self._wa_lang()
        return lang if self.env["res.lang"]._lang_get(lang) else self.env.lang or "en_US"

    def _wa_statement_pdf(self):
        """The account statement as a PDF attachment."""
        self.ensure_one()
        content, _kind = (
            self.env["ir.actions.report"]
            .sudo()
            .with_context(lang=self._wa_report_lang())
            ._render_qweb_pdf("dental_whatsapp.action_report_wa_statement", res_ids=self.ids)
        )
        if not is_pdf(content):
            raise UserError(
                _(
                    "The account statement of %s could not be made as a PDF: ask an "
                    "administrator to check wkhtmltopdf.",
                    self.name,
                )
            )
        date = fields.Date.context_today(self)
        return (
            self.env["ir.attachment"]
            .sudo()
            .create(
                {
                    "name": _("Statement %(name)s %(date)s.pdf", name=self.name, date=date),
                    "raw": content,
                    "mimetype": "application/pdf",
                    # No owner yet: the message that sends it becomes its owner.
                }
            )
        )

    def _wa_patient(self):
        self.ensure_one()
        return self

    def _wa_send_statement(self, raise_on_refusal=True):
        self.ensure_one()
        account = self.env["dental.whatsapp.account"]._wa_for_company(self._wa_company())
        if (
            not self.env["dental.whatsapp.template"]
            .sudo()
            ._find_for(account, TEMPLATE_STATEMENT, self)
        ):
            raise UserError(
                _(
                    "The WhatsApp template %s is not approved yet by a dentist and by Meta.",
                    TEMPLATE_STATEMENT,
                )
            )
        return self._wa_send_template(
            TEMPLATE_STATEMENT,
            category="billing",
            header_attachment=self._wa_statement_pdf(),
            raise_on_refusal=raise_on_refusal,
        )

    def action_wa_send_statement(self):
        """Send each selected patient their account statement (PDF) by WhatsApp."""
        self.env["dental.whatsapp.policy"]._wa_check_sender()
        if len(self) == 1:
            self._wa_send_statement()
            queued, refused = 1, 0
        else:
            queued = refused = 0
            for partner in self:
                if partner.wa_statement_total <= 0:
                    refused += 1
                    continue
                message = partner._wa_send_statement(raise_on_refusal=False)
                refused += message.state == "cancelled"
                queued += message.state != "cancelled"
        return self._wa_notify(
            queued,
            refused,
            what=_(
                "Statements queued: %(queued)s. Not sent: %(refused)s (nothing open, or "
                "the patient's chatter says why).",
                queued=queued,
                refused=refused,
            ),
        )
