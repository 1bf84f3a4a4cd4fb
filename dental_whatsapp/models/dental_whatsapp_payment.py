import logging

from odoo import _, api, fields, models, modules
from odoo.exceptions import ValidationError

from ..const import BATCH_SIZE, PORTAL_LINK_FIELD

_logger = logging.getLogger(__name__)


class DentalWhatsappPaymentRule(models.Model):
    _name = "dental.whatsapp.payment.rule"
    _description = "WhatsApp Payment Reminder Rule"
    _order = "days_after_due, id"

    name = fields.Char(required=True, translate=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", "Practice", index=True, help="Empty: every practice of the database."
    )
    days_after_due = fields.Integer(
        "Days After the Due Date",
        required=True,
        default=3,
        help="The reminder goes out this many days after the invoice's due date, at the "
        "practice's opening. An invoice already further overdue when reminders start gets "
        "only the step now due, never the earlier ones.",
    )
    template_id = fields.Many2one(
        "dental.whatsapp.template",
        required=True,
        ondelete="restrict",
        domain=[("message_category", "=", "billing")],
        help="The patient receives the template with this name in their language, once a "
        "dentist and Meta approved it.",
    )
    min_amount = fields.Float(
        "Minimum Open Amount",
        help="Invoices with less than this left to pay (in the invoice's currency) get no "
        "reminder.",
    )
    attach_pdf = fields.Boolean(
        "Attach the Invoice PDF",
        default=True,
        help="The invoice PDF goes with the reminder: the template must have a document "
        "header. If the PDF cannot be made, the patient receives the payment link instead.",
    )
    portal_link = fields.Boolean(
        "Include the Payment Link",
        default=True,
        help="The message carries the link where the patient sees the invoice and pays it "
        "online: the template must have a variable filled by the field wa_portal_url.",
    )
    reminder_ids = fields.One2many("dental.whatsapp.payment.reminder", "rule_id", readonly=True)

    _sql_constraints = [
        (
            "days_positive",
            "CHECK(days_after_due >= 0)",
            "A payment reminder goes out on or after the due date.",
        ),
    ]

    @api.constrains("template_id", "attach_pdf", "portal_link")
    def _check_template(self):
        for rule in self:
            template = rule.template_id
            if template.message_category != "billing":
                raise ValidationError(
                    _("The template %s is not a billing template.", template.name)
                )
            has_document = template.header_type == "document"
            if rule.attach_pdf and not has_document:
                raise ValidationError(
                    _(
                        "The template %s has no document header: untick 'Attach the Invoice "
                        "PDF' or choose a template made for the PDF.",
                        template.name,
                    )
                )
            if has_document and not rule.attach_pdf:
                raise ValidationError(
                    _(
                        "The template %s has a document header and needs the PDF: tick "
                        "'Attach the Invoice PDF' or choose a template without it.",
                        template.name,
                    )
                )
            has_link = PORTAL_LINK_FIELD in template.variable_ids.mapped("field_path")
            if rule.portal_link != has_link:
                raise ValidationError(
                    _(
                        "The rule %(rule)s and its template %(template)s disagree about the "
                        "payment link: the template must have a variable filled by "
                        "wa_portal_url exactly when 'Include the Payment Link' is ticked.",
                        rule=rule.name,
                        template=template.name,
                    )
                )


class DentalWhatsappPaymentReminder(models.Model):
    """One (invoice, step): each step is handled at most once."""

    _name = "dental.whatsapp.payment.reminder"
    _description = "WhatsApp Payment Reminder"
    _order = "id desc"

    move_id = fields.Many2one(
        "account.move", "Invoice", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="move_id.company_id", store=True, index=True)
    rule_id = fields.Many2one(
        "dental.whatsapp.payment.rule", "Step", required=True, ondelete="cascade"
    )
    state = fields.Selection(
        [
            ("queued", "Sent to the Outbox"),
            ("skipped", "Not Sent"),
        ],
        required=True,
        default="queued",
    )
    message_id = fields.Many2one("dental.whatsapp.message", ondelete="set null")
    message_state = fields.Selection(related="message_id.state", string="Message Status")
    note = fields.Char("Why")

    _sql_constraints = [
        (
            "move_rule_uniq",
            "unique(move_id, rule_id)",
            "This payment reminder step was already handled for this invoice.",
        ),
    ]

    @api.model
    def _cron_send_due(self):
        self._wa_send_due(commit=not modules.module.current_test)

    @api.model
    def _wa_send_due(self, moves=None, commit=False):
        """Handle the step now due of every overdue invoice (or of ``moves``); return the
        number of reminders queued."""
        Move = self.env["account.move"].sudo()
        moves = Move.search(Move._wa_overdue_domain()) if moves is None else moves.sudo()
        rules = self.env["dental.whatsapp.payment.rule"].sudo().search([])
        today = Move._wa_today()
        queued = 0
        # A practice of the database without a WhatsApp number sends nothing; it must not
        # stop the reminders of the others.
        accounts = {}
        Account = self.env["dental.whatsapp.account"].sudo()
        for start in range(0, len(moves), BATCH_SIZE):
            batch = moves[start : start + BATCH_SIZE]
            for move in batch:
                company = move.company_id
                if company not in accounts:
                    accounts[company] = Account._wa_for_company(company)
                if not accounts[company]:
                    continue
                rule = move._wa_due_rule(rules, today)
                if rule:
                    queued += move._wa_payment_reminder_due(rule).state == "queued"
            if commit:
                self.env.cr.commit()  # pylint: disable=invalid-commit
        return queued
