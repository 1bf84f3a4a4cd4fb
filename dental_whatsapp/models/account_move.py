import logging

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import mute_logger
from psycopg2.errors import UniqueViolation

from ..const import SETTLED_PAYMENT_STATES, TEMPLATE_INVOICE_DOCUMENT, TEMPLATE_PAYMENT_LINK
from ..tools.pdf import is_pdf

_logger = logging.getLogger(__name__)


class AccountMove(models.Model):
    _name = "account.move"
    _inherit = ["account.move", "dental.whatsapp.document.mixin"]

    wa_payment_reminder_ids = fields.One2many(
        "dental.whatsapp.payment.reminder", "move_id", "WhatsApp Payment Reminders", readonly=True
    )
    wa_reminders_paused = fields.Boolean(
        "Payment Reminders Paused",
        copy=False,
        tracking=True,
        help="No WhatsApp payment reminder goes out for this invoice (for example a payment "
        "plan was agreed). Only a WhatsApp manager can change it, with a reason.",
    )
    wa_pause_reason = fields.Char("Why Paused", copy=False, tracking=True)
    wa_portal_url = fields.Char("Payment Link", compute="_compute_wa_portal_url")

    def _compute_wa_portal_url(self):
        for move in self:
            move.wa_portal_url = (
                move.get_base_url() + move.sudo().get_portal_url() if move.id else False
            )

    # ------------------------------------------------------------------ pause
    @api.constrains("wa_reminders_paused", "wa_pause_reason")
    def _check_wa_pause_reason(self):
        for move in self:
            if move.wa_reminders_paused and not (move.wa_pause_reason or "").strip():
                raise ValidationError(
                    _("Say why the payment reminders of %s are paused.", move.name)
                )

    def write(self, vals):
        if {"wa_reminders_paused", "wa_pause_reason"} & set(vals):
            self._wa_check_pause_rights()
        return super().write(vals)

    def _wa_pause_reason_words(self):
        """Why no payment reminder goes out for this invoice now, or False."""
        self.ensure_one()
        partner = self.partner_id.commercial_partner_id
        if self.wa_reminders_paused:
            return _("Payment reminders are paused for this invoice: %s", self.wa_pause_reason)
        for who in (self.partner_id, partner):
            if who.wa_payment_reminders_paused:
                return _(
                    "Payment reminders are paused for %(patient)s: %(reason)s",
                    patient=who.name,
                    reason=who.wa_payment_pause_reason,
                )
        return False

    def _wa_settled_words(self):
        """Why this invoice needs no payment reminder any more, or False."""
        self.ensure_one()
        if self.state != "posted":
            return _("The invoice %s is no longer posted.", self.name)
        if self.payment_state in SETTLED_PAYMENT_STATES or self.currency_id.is_zero(
            self.amount_residual
        ):
            return _("The invoice %s is paid.", self.name)
        return False

    # ------------------------------------------------------------------ reminders
    @api.model
    def _wa_today(self):
        """Today in the practice's time zone (a reminder's day changes at midnight there)."""
        return self.env.company._wa_today()

    @api.model
    def _wa_overdue_domain(self):
        return [
            ("move_type", "=", "out_invoice"),
            ("state", "=", "posted"),
            ("payment_state", "in", ("not_paid", "partial")),
            ("invoice_date_due", "<", self._wa_today()),
        ]

    def _wa_due_rule(self, rules=None, today=None):
        """The step due ``today``: the latest of ``rules`` (all active ones by default)
        whose day has come. Earlier steps that were never sent are not sent late: one
        reminder at a time, never a burst."""
        self.ensure_one()
        if rules is None:
            rules = self.env["dental.whatsapp.payment.rule"].sudo().search([])
        if not self.invoice_date_due:
            return rules.browse()
        overdue = ((today or self._wa_today()) - self.invoice_date_due).days
        return rules.filtered(
            lambda r: (
                r.days_after_due <= overdue
                and r.company_id in (self.company_id, r.company_id.browse())
            )
        )[-1:]

    def _wa_payment_reminder_due(self, rule=None, raise_on_refusal=False):
        """Handle ``rule`` (by default the step due today) for this invoice, once: return
        the reminder row, or an empty recordset when nothing is due or it was handled."""
        self.ensure_one()
        rule = rule or self._wa_due_rule()
        if not self._wa_step_open(rule, raise_on_refusal):
            return self.env["dental.whatsapp.payment.reminder"]
        paused = self._wa_pause_reason_words()
        if paused and raise_on_refusal:
            raise UserError(paused)
        reminder = self._wa_take_step(rule, paused)
        if not reminder or paused:
            return reminder
        message = self._wa_send_billing_template(
            rule.template_id, with_pdf=rule.attach_pdf, raise_on_refusal=raise_on_refusal
        )
        reminder.write(
            {
                "message_id": message.id,
                "state": "skipped" if message.state == "cancelled" else "queued",
                "note": message.error_message if message.state == "cancelled" else False,
            }
        )
        return reminder

    def _wa_step_open(self, rule, raise_on_refusal):
        """Whether ``rule`` may still be handled for this invoice."""
        if not rule or self.move_type != "out_invoice":
            return False
        handled = self.wa_payment_reminder_ids.filtered(
            lambda r: r.rule_id == rule or r.rule_id.days_after_due > rule.days_after_due
        )
        if handled:
            return False
        settled = self._wa_settled_words()
        if settled and raise_on_refusal:
            raise UserError(settled)
        return not settled and (
            self.currency_id.compare_amounts(self.amount_residual, rule.min_amount) >= 0
        )

    def _wa_take_step(self, rule, paused):
        """Record that ``rule`` is handled for this invoice; the unique key makes a second
        run at the same moment get nothing."""
        try:
            with self.env.cr.savepoint(), mute_logger("odoo.sql_db"):
                reminder = (
                    self.env["dental.whatsapp.payment.reminder"]
                    .sudo()
                    .create(
                        {
                            "move_id": self.id,
                            "rule_id": rule.id,
                            "state": "skipped" if paused else "queued",
                            "note": paused or False,
                        }
                    )
                )
        except UniqueViolation:
            _logger.info("Payment reminder %s of %s already taken", rule.name, self.name)
            return self.env["dental.whatsapp.payment.reminder"]
        if paused:
            self.sudo().message_post(
                body=_(
                    "WhatsApp payment reminder «%(step)s» not sent. %(why)s",
                    step=rule.name,
                    why=paused,
                ),
                subtype_xmlid="mail.mt_note",
            )
        return reminder

    # ------------------------------------------------------------------ sending
    def _wa_invoice_pdf(self):
        """The invoice PDF as an attachment, or None when it cannot be rendered."""
        self.ensure_one()
        legal = self.sudo().invoice_pdf_report_id
        if legal and is_pdf(legal.raw):
            return legal
        try:
            with self.env.cr.savepoint():
                content, _kind = (
                    self.env["ir.actions.report"]
                    .sudo()
                    ._render_qweb_pdf("account.account_invoices", res_ids=self.ids)
                )
        except Exception as error:  # any failure to render: the patient gets the link
            _logger.warning(
                "Invoice %s: no PDF for WhatsApp, the link goes instead: %s", self.name, error
            )
            return None
        if not is_pdf(content):
            return None
        return (
            self.env["ir.attachment"]
            .sudo()
            .create(
                {
                    "name": f"{(self.name or 'invoice').replace('/', '_')}.pdf",
                    "raw": content,
                    "mimetype": "application/pdf",
                    # No owner yet: the message that sends it becomes its owner.
                }
            )
        )

    def _wa_send_billing_template(self, template, with_pdf=True, raise_on_refusal=True):
        """Queue ``template`` (record or name) for the invoice's patient in their language,
        with the invoice PDF; when the PDF cannot be made, the payment link template."""
        self.ensure_one()
        if not self.partner_id:
            raise UserError(_("The invoice %s has no customer.", self.name))
        attachment = self._wa_invoice_pdf() if with_pdf else None
        if with_pdf and attachment is None:
            account = self.env["dental.whatsapp.account"]._wa_for_company(self._wa_company())
            link = (
                self.env["dental.whatsapp.template"]
                .sudo()
                ._find_for(account, TEMPLATE_PAYMENT_LINK, self.partner_id)
            )
            template = link or template
        return self._wa_send_template(
            template,
            category="billing",
            header_attachment=attachment,
            raise_on_refusal=raise_on_refusal,
        )

    def action_wa_send_invoice(self):
        """Send by WhatsApp: the invoice PDF with amount and due date (or the link)."""
        self.env["dental.whatsapp.policy"]._wa_check_sender()
        moves = self.filtered(lambda m: m.move_type == "out_invoice" and m.state == "posted")
        if not moves:
            raise UserError(_("Only posted customer invoices can be sent by WhatsApp."))
        refused = 0
        for move in moves:
            message = move._wa_send_billing_template(
                TEMPLATE_INVOICE_DOCUMENT, raise_on_refusal=len(moves) == 1
            )
            refused += message.state == "cancelled"
        return self._wa_notify(len(moves) - refused, refused)

    def action_wa_send_payment_reminder(self):
        """The step due now for each selected invoice; nothing twice."""
        self.env["dental.whatsapp.policy"]._wa_check_sender()
        if len(self) == 1:
            reminder = self._wa_payment_reminder_due(raise_on_refusal=True)
            if not reminder:
                raise UserError(
                    _(
                        "No payment reminder is due for %s: it is not overdue, the step due "
                        "was already sent, or the open amount is below the rule's minimum.",
                        self.name,
                    )
                )
            return self._wa_notify(1, 0)
        queued = refused = 0
        for move in self:
            reminder = move._wa_payment_reminder_due()
            if reminder.state == "queued":
                queued += 1
            else:
                refused += 1
        return self._wa_notify(queued, refused)
