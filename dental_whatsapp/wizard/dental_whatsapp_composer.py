import ast

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..const import PATIENT_CATEGORIES, TEMPLATE_INSTRUCTIONS
from ..tools import send_policy
from ..tools.dates import aware as _aware

PATIENT_CODES = frozenset(code for code, _label in PATIENT_CATEGORIES)

# Where the composer can be opened from, and the consent category of free text there.
SOURCES = {"calendar.event": "care", "account.move": "billing", "res.partner": "care"}


class DentalWhatsappComposer(models.TransientModel):
    _name = "dental.whatsapp.composer"
    _description = "Send a WhatsApp Message"

    res_model = fields.Char("Document Model", required=True, readonly=True)
    # A list of ids as text, like mail's composer: the form carries it to the server.
    res_ids = fields.Text("Documents", readonly=True)
    record_count = fields.Integer(compute="_compute_record_count")
    partner_id = fields.Many2one(
        "res.partner",
        "Patient",
        compute="_compute_partner_id",
        store=True,
        readonly=False,
        help="For one document: who receives the message.",
    )
    mode = fields.Selection(
        [("template", "Approved Template"), ("text", "Free Text (reply)")],
        "Message",
        default="template",
        required=True,
        help="Free text is allowed only within 24 hours of the patient's last message.",
    )
    template_id = fields.Many2one(
        "dental.whatsapp.template",
        domain="[('id', 'in', available_template_ids)]",
    )
    available_template_ids = fields.Many2many(
        "dental.whatsapp.template", compute="_compute_available_template_ids"
    )
    body = fields.Text("Text")
    preview = fields.Text(compute="_compute_preview")
    window_open = fields.Boolean(compute="_compute_policy")
    policy_message = fields.Text("Cannot Send", compute="_compute_policy")
    schedule = fields.Selection(
        [("now", "As Soon As the Practice Is Open"), ("later", "At a Time")],
        "When",
        default="now",
        required=True,
    )
    scheduled_at = fields.Datetime("Send At")
    recent_message_ids = fields.Many2many(
        "dental.whatsapp.message",
        string="Last Messages",
        compute="_compute_recent_message_ids",
        help="The last messages between the patient and the practice.",
    )

    @api.model
    def default_get(self, fields_list):
        """Opened from the Action menu of a list or form: the selected documents."""
        values = super().default_get(fields_list)
        context = self.env.context
        model = context.get("active_model")
        if not values.get("res_model") and model in SOURCES:
            ids = context.get("active_ids") or [context.get("active_id")]
            values["res_model"] = model
            values["res_ids"] = str([i for i in ids if i])
        return values

    @api.model
    def _action_open(self, records):
        if records._name not in SOURCES:
            raise UserError(_("WhatsApp cannot be sent from this document."))
        return {
            "type": "ir.actions.act_window",
            "name": _("Send WhatsApp"),
            "res_model": self._name,
            "view_mode": "form",
            "target": "new",
            "context": {"default_res_model": records._name, "default_res_ids": str(records.ids)},
        }

    def _records(self):
        self.ensure_one()
        return self.env[self.res_model].browse(self._ids_of()).exists()

    def _ids_of(self):
        try:
            ids = ast.literal_eval(self.res_ids or "[]")
        except (ValueError, SyntaxError):
            return []
        return [i for i in ids if isinstance(i, int)] if isinstance(ids, list | tuple) else []

    @api.model
    def _patient_of(self, record):
        if record._name == "calendar.event":
            return record.patient_id
        if record._name == "res.partner":
            return record
        return record.partner_id

    @api.depends("partner_id")
    def _compute_recent_message_ids(self):
        Message = self.env["dental.whatsapp.message"]
        for wizard in self:
            wizard.recent_message_ids = (
                Message.search(
                    [("partner_id", "=", wizard.partner_id.id), ("edit_of_id", "=", False)],
                    order="create_date desc, id desc",
                    limit=5,
                )
                if wizard.partner_id
                else Message
            )

    @api.depends("res_ids")
    def _compute_record_count(self):
        for wizard in self:
            wizard.record_count = len(wizard._ids_of())

    @api.depends("res_model", "res_ids")
    def _compute_partner_id(self):
        for wizard in self:
            records = wizard._records() if wizard.res_model else []
            wizard.partner_id = self._patient_of(records[0]) if len(records) == 1 else False

    @api.depends("res_model", "res_ids", "partner_id")
    def _compute_available_template_ids(self):
        Template = self.env["dental.whatsapp.template"]
        for wizard in self:
            # ir.model is for administrators: read the template's models as superuser.
            templates = Template.search([("is_usable", "=", True)]).filtered(
                lambda t, w=wizard: (
                    not t.sudo().model_ids or w.res_model in t.sudo().model_ids.mapped("model")
                )
            )
            # The instruction sheet's template leaves with its sheet (Send Care
            # Instructions), never without the PDF.
            templates = templates.filtered(lambda t: t.name != TEMPLATE_INSTRUCTIONS)
            # The composer writes to patients: staff notices leave only with their notice.
            templates = templates.filtered(lambda t: t.message_category in PATIENT_CODES)
            records = wizard._records() if wizard.res_model else []
            if records and hasattr(records, "_wa_unfit_templates"):
                # Only what fits the record now: no cancellation notice on a live
                # appointment.
                unfit = records.with_context(active_test=False)._wa_unfit_templates()
                templates = templates.filtered(lambda t, u=unfit: t.name not in u)
            if wizard.partner_id:
                lang = wizard.partner_id._wa_lang()
                codes = {lang, lang.split("_")[0]}
                in_lang = templates.filtered(lambda t, c=codes: t.language in c)
                templates = in_lang or templates
            wizard.available_template_ids = templates.sorted(lambda t: (t.label or t.name).lower())

    def _category(self):
        if self.mode == "template" and self.template_id:
            return self.template_id.message_category
        return SOURCES.get(self.res_model, "care")

    @api.depends("mode", "template_id", "body", "partner_id", "res_ids")
    def _compute_preview(self):
        for wizard in self:
            records = wizard._records() if wizard.res_model else []
            if wizard.mode == "text" or not wizard.template_id or not records:
                wizard.preview = wizard.body if wizard.mode == "text" else False
                continue
            record = records[0]
            patient = wizard.partner_id or self._patient_of(record)
            try:
                values = wizard.template_id._render_values(record, patient)
            except UserError as error:
                wizard.preview = str(error)
                continue
            wizard.preview = wizard.template_id._render_text(values)

    @api.depends("mode", "template_id", "body", "partner_id", "schedule", "scheduled_at")
    def _compute_policy(self):
        Policy = self.env["dental.whatsapp.policy"]
        for wizard in self:
            patient = wizard.partner_id
            recipient = patient._wa_recipient() if patient else patient
            last = recipient.wa_last_inbound_date if recipient else False
            wizard.window_open = bool(last) and send_policy.window_open(
                _aware(last), _aware(fields.Datetime.now())
            )
            if not patient or wizard.record_count != 1:
                wizard.policy_message = False
                continue
            is_template = wizard.mode == "template"
            if is_template and not wizard.template_id:
                wizard.policy_message = False
                continue
            blocks = [] if is_template else Policy._wa_check_text(wizard.body or "")[0]
            # The same practice (and so opening hours) as the send will use.
            account = wizard._account()
            decision, _recipient = Policy._wa_decide(
                patient,
                category=wizard._category(),
                template=wizard.template_id if is_template else None,
                text=wizard.body or "",
                not_before=wizard._not_before(),
                company=account.company_id or self.env.company,
                content_blocks=blocks,
            )
            wizard.policy_message = (
                Policy._wa_refusal_words(decision.refusals, patient, blocks)
                if decision.refusals
                else False
            )

    def _account(self):
        """The account the messages go through: the one of the documents' practice."""
        records = self._records()
        company = records[:1]._wa_company() if records else self.env.company
        return self.env["dental.whatsapp.account"]._wa_for_company(company)

    def _not_before(self):
        if self.schedule == "later" and self.scheduled_at:
            return self.scheduled_at
        return None

    def action_send(self):
        self.ensure_one()
        records = self._records()
        if not records:
            raise UserError(_("The document was deleted in the meantime."))
        if self.mode == "template" and not self.template_id:
            raise UserError(_("Choose an approved template."))
        if self.mode == "text" and not (self.body or "").strip():
            raise UserError(_("Write the message first."))
        if self.schedule == "later":
            if not self.scheduled_at:
                raise UserError(_("Choose when the message should go out."))
            if self.scheduled_at < fields.Datetime.now():
                raise UserError(_("The chosen time is in the past."))
        Message = self.env["dental.whatsapp.message"]
        account = self._account()
        single = len(records) == 1
        refused = 0
        for record in records:
            patient = (self.partner_id if single else None) or self._patient_of(record)
            if not patient:
                if single:
                    raise UserError(_("Choose the patient the message is for."))
                refused += 1
                continue
            template = self.template_id if self.mode == "template" else None
            if template and not single:
                # The same template in each patient's language.
                template = (
                    self.env["dental.whatsapp.template"]._find_for(
                        template.account_id or account, template.name, patient
                    )
                    or template
                )
            message = Message._wa_enqueue(
                patient,
                account=account,
                category=self._category(),
                record=record,
                template=template,
                body=None if template else self.body,
                scheduled_at=self._not_before(),
                raise_on_refusal=single,
            )
            refused += message.state == "cancelled"
        if single:
            return self._held_notice(message)
        return records[:1]._wa_notify(len(records) - refused, refused, close=True)

    def _held_notice(self, message):
        """Close the dialog; say so when the message waits for the practice's opening."""
        if (
            message.state == "queued"
            and message.scheduled_at
            and (message.scheduled_at > fields.Datetime.now())
        ):
            record = message._record()
            when = message.partner_id._wa_format_datetime(
                message.scheduled_at, self.env.user.lang or "en_US"
            )
            text = (
                _("Queued: the practice is closed, so it leaves at the opening, %s.", when)
                if self.schedule == "now"
                else _("Queued: it leaves on %s.", when)
            )
            return (record or message.partner_id)._wa_notify(0, 0, what=text, close=True)
        return {"type": "ir.actions.act_window_close"}
