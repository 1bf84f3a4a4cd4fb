import re

from odoo import _, api, fields, models, tools
from odoo.exceptions import AccessError, UserError, ValidationError

from ..const import (
    CATEGORIES,
    GROUP_DENTIST,
    META_STATUS_MAP,
    META_STATUSES,
    QUALITY_RATINGS,
    REVIEW_STATES,
    TEMPLATE_LANGUAGES,
)
from ..tools import run_cache
from ..tools.errors import WhatsAppApiError

PLACEHOLDER = re.compile(r"\{\{\s*(\d+)\s*\}\}")
META_NAME = re.compile(r"^[a-z0-9_]{1,512}$")


class DentalWhatsappTemplate(models.Model):
    _name = "dental.whatsapp.template"
    _description = "WhatsApp Message Template"
    _inherit = ["mail.thread"]
    _order = "name, language"
    _rec_names_search = ["name", "label"]

    name = fields.Char(
        "Template Name",
        required=True,
        tracking=True,
        help="Meta's name for the template: lowercase letters, digits and underscores.",
    )
    label = fields.Char("Description", translate=True, help="What the template is for, for staff.")
    active = fields.Boolean(default=True)
    account_id = fields.Many2one(
        "dental.whatsapp.account",
        "WhatsApp Account",
        ondelete="cascade",
        default=lambda self: self.env["dental.whatsapp.account"].search([], limit=1),
        help="Empty for the templates shipped with the module: they take the practice's "
        "account when submitted to Meta.",
    )
    company_id = fields.Many2one(related="account_id.company_id", store=True, index=True)
    language = fields.Selection(TEMPLATE_LANGUAGES, required=True, default="it", tracking=True)
    meta_category = fields.Selection(
        [("UTILITY", "Utility"), ("MARKETING", "Marketing"), ("AUTHENTICATION", "Authentication")],
        required=True,
        default="UTILITY",
        help="Meta's category: appointment and payment reminders are Utility; greetings and "
        "news are Marketing.",
    )
    message_category = fields.Selection(
        CATEGORIES,
        "Consent Category",
        required=True,
        default="care",
        help="The patient must have consented to this category to receive the template.",
    )
    header_type = fields.Selection(
        [("none", "None"), ("text", "Text"), ("document", "Document (PDF)")],
        default="none",
        required=True,
    )
    header_text = fields.Char()
    body = fields.Text(
        required=True,
        tracking=True,
        help="Use {{1}}, {{2}}, ... where the values of the variables below go.",
    )
    footer = fields.Char()
    variable_ids = fields.One2many(
        "dental.whatsapp.template.variable", "template_id", "Variables", copy=True
    )
    button_ids = fields.One2many(
        "dental.whatsapp.template.button", "template_id", "Quick Reply Buttons", copy=True
    )
    model_ids = fields.Many2many(
        "ir.model",
        string="Applies To",
        domain=[("model", "in", ("calendar.event", "account.move", "res.partner"))],
        help="Documents from which staff can send this template.",
    )
    quality_rating = fields.Selection(
        QUALITY_RATINGS,
        readonly=True,
        default="UNKNOWN",
    )
    review_state = fields.Selection(
        REVIEW_STATES,
        "Practice Review",
        default="draft",
        required=True,
        readonly=True,
        tracking=True,
        copy=False,
    )
    reviewed_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    reviewed_date = fields.Datetime("Reviewed On", readonly=True, copy=False)
    meta_status = fields.Selection(
        META_STATUSES,
        default="draft",
        required=True,
        readonly=True,
        tracking=True,
        copy=False,
    )
    meta_template_id = fields.Char("Meta Template ID", readonly=True, copy=False)
    meta_rejection_reason = fields.Text("Meta's Reason", readonly=True, copy=False)
    is_usable = fields.Boolean(
        "Ready to Send", compute="_compute_is_usable", search="_search_is_usable"
    )

    _sql_constraints = [
        (
            "name_language_account_uniq",
            "unique(account_id, name, language)",
            "A template with this name already exists in this language.",
        ),
    ]

    # Set only by the template's own actions (review, submission, Meta's answers), which
    # write them as superuser: a direct write or create, even by a manager, is refused.
    _GATE_FIELDS = (
        "review_state",
        "reviewed_by_id",
        "reviewed_date",
        "meta_status",
        "meta_template_id",
        "meta_rejection_reason",
        "quality_rating",
    )
    # Editing any of these after approval sends the template back through both gates.
    _CONTENT_FIELDS = (
        "name",
        "language",
        "meta_category",
        "header_type",
        "header_text",
        "body",
        "footer",
        "variable_ids",
        "button_ids",
    )

    @api.depends("review_state", "meta_status", "active")
    def _compute_is_usable(self):
        for template in self:
            template.is_usable = template._is_usable()

    def _search_is_usable(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(_("Unsupported search on 'Ready to Send'."))
        usable = [("review_state", "=", "approved"), ("meta_status", "=", "approved")]
        if (operator == "=") == value:
            return usable
        return ["|", ("review_state", "!=", "approved"), ("meta_status", "!=", "approved")]

    def _is_usable(self):
        self.ensure_one()
        return self.active and self.review_state == "approved" and self.meta_status == "approved"

    @api.constrains("name")
    def _check_name(self):
        for template in self:
            if not META_NAME.match(template.name or ""):
                raise ValidationError(
                    _(
                        "The template name %s may contain only lowercase letters, digits and "
                        "underscores (Meta's rule), e.g. appointment_reminder.",
                        template.name,
                    )
                )

    @api.constrains("body", "variable_ids")
    def _check_placeholders(self):
        for template in self:
            numbers = sorted({int(n) for n in PLACEHOLDER.findall(template.body or "")})
            if numbers != list(range(1, len(numbers) + 1)):
                raise ValidationError(
                    _("Placeholders must be numbered {{1}}, {{2}}, ... without gaps.")
                )
            indexes = sorted(template.variable_ids.mapped("index"))
            if self.env.context.get("install_filename") and not indexes:
                # Shipped data: the variables are records of their own (translatable),
                # loaded right after their template. A test checks they all match.
                continue
            if indexes != numbers:
                raise ValidationError(
                    _(
                        "The body uses %(used)s placeholders but %(defined)s variables are "
                        "defined: give each {{n}} exactly one variable.",
                        used=len(numbers),
                        defined=len(indexes),
                    )
                )

    def _check_gate_fields(self, vals_list):
        if self.env.su:
            return
        defaults = {"review_state": "draft", "meta_status": "draft", "quality_rating": "UNKNOWN"}
        for vals in vals_list:
            for name in self._GATE_FIELDS:
                if name in vals and vals[name] != defaults.get(name, False):
                    raise AccessError(
                        _(
                            "%(field)s of a WhatsApp template changes only through its "
                            "buttons (dentist's review, Submit to Meta, Meta's answer).",
                            field=self._fields[name].string,
                        )
                    )

    @api.model_create_multi
    def create(self, vals_list):
        self._check_gate_fields(vals_list)
        # Variables and buttons created with the template are part of what was reviewed.
        templates = super(DentalWhatsappTemplate, self.with_context(wa_template_new=True)).create(
            vals_list
        )
        return templates.with_env(self.env)

    def _wa_syncing(self):
        """A write from Meta's side (or the module's own data): only the module itself,
        as superuser, may say so; the context key alone is ignored from RPC."""
        return self.env.su and self.env.context.get("wa_template_sync")

    def write(self, vals):
        self._check_gate_fields([vals])
        if not self._wa_syncing() and self._content_changes(vals):
            vals = dict(vals, review_state="draft", reviewed_by_id=False, reviewed_date=False)
            if any(t.meta_status != "draft" for t in self):
                vals["meta_status"] = "draft"
        return super().write(vals)

    def _content_changes(self, vals):
        """Whether ``vals`` really changes what the patient reads (a module update that
        writes the same wording back must not undo a dentist's approval)."""
        for name in self._CONTENT_FIELDS:
            if name not in vals:
                continue
            if self._fields[name].type in ("one2many", "many2many"):
                return True
            if any(template[name] != vals[name] for template in self):
                return True
        return False

    @api.depends("label", "name", "language")
    def _compute_display_name(self):
        # Staff choose a template by what it is for, not by its technical name.
        for template in self:
            template.display_name = f"{template.label or template.name} ({template.language})"

    # ------------------------------------------------------------------ review gate
    def _wa_reset_review(self):
        """The wording changed behind the template (a variable, a button): both gates
        again, as for an edit of the body."""
        templates = self.filtered(lambda t: t.review_state != "draft" or t.meta_status != "draft")
        if templates:
            templates.sudo().write(
                {
                    "review_state": "draft",
                    "reviewed_by_id": False,
                    "reviewed_date": False,
                    "meta_status": "draft",
                }
            )

    def _wa_reset_review_unless_syncing(self):
        creating = self.env.su and self.env.context.get("wa_template_new")
        if not self._wa_syncing() and not creating:
            self._wa_reset_review()

    def _check_dentist(self):
        if not self.env.su and not self.env.user.has_group(GROUP_DENTIST):
            raise AccessError(_("Only a dentist or a manager can review or submit templates."))
        self.check_access("write")

    def action_submit_review(self):
        self._check_dentist()
        self.filtered(lambda t: t.review_state == "draft").sudo().review_state = "to_review"
        return True

    def action_approve_review(self):
        if not self.env.user.has_group(GROUP_DENTIST):
            raise AccessError(_("Only a dentist or a manager can approve a template."))
        self.check_access("write")
        self.sudo().write(
            {
                "review_state": "approved",
                "reviewed_by_id": self.env.uid,
                "reviewed_date": fields.Datetime.now(),
            }
        )
        for template in self:
            template.message_post(
                body=_("Template wording approved by %s.", self.env.user.name),
                subtype_xmlid="mail.mt_note",
            )
        return True

    def action_reset_draft(self):
        self._check_dentist()
        self.sudo().write(
            {"review_state": "draft", "reviewed_by_id": False, "reviewed_date": False}
        )
        return True

    # ------------------------------------------------------------------ Meta gate
    def _meta_components(self):
        self.ensure_one()
        components = []
        if self.header_type == "text" and self.header_text:
            components.append({"type": "HEADER", "format": "TEXT", "text": self.header_text})
        elif self.header_type == "document":
            components.append({"type": "HEADER", "format": "DOCUMENT"})
        body = {"type": "BODY", "text": self.body}
        examples = [v.example or v.name for v in self.variable_ids.sorted("index")]
        if examples:
            body["example"] = {"body_text": [examples]}
        components.append(body)
        if self.footer:
            components.append({"type": "FOOTER", "text": self.footer})
        if self.button_ids:
            components.append(
                {
                    "type": "BUTTONS",
                    "buttons": [{"type": "QUICK_REPLY", "text": b.title} for b in self.button_ids],
                }
            )
        return components

    def action_submit_to_meta(self):
        self._check_dentist()  # before anything reaches Meta
        for template in self:
            if not template.account_id:
                template.sudo().account_id = self.env["dental.whatsapp.account"]._wa_for_company()
            if not template.account_id:
                raise UserError(_("No WhatsApp account is configured: ask a manager to add one."))
            if template.review_state != "approved":
                raise UserError(
                    _(
                        "%s must be approved by a dentist before it is submitted to Meta.",
                        template.name,
                    )
                )
            try:
                result = template.account_id._get_client().create_template(
                    template.name,
                    template.language,
                    template.meta_category,
                    template._meta_components(),
                )
            except WhatsAppApiError as error:
                raise UserError(
                    _(
                        "Meta did not accept %(name)s: %(reason)s",
                        name=template.name,
                        reason=self.env["dental.whatsapp.account"]._describe_api_error(error),
                    )
                ) from error
            template.sudo().with_context(wa_template_sync=True).write(
                {
                    "meta_template_id": result.get("id"),
                    "meta_status": _meta_status(result.get("status")),
                    "meta_rejection_reason": False,
                }
            )
        return True

    def action_sync_from_meta(self):
        self._check_dentist()
        for account in self.mapped("account_id"):
            try:
                remote = account._get_client().list_templates()
            except WhatsAppApiError as error:
                raise UserError(
                    _(
                        "Could not read templates from Meta: %s",
                        self.env["dental.whatsapp.account"]._describe_api_error(error),
                    )
                ) from error
            by_key = {(r.get("name"), r.get("language")): r for r in remote}
            for template in self.filtered(lambda t, a=account: t.account_id == a):
                found = by_key.get((template.name, template.language))
                if not found:
                    continue
                template._apply_meta_status(
                    found.get("status"),
                    found.get("rejected_reason"),
                    found.get("id"),
                    found.get("quality_score", {}).get("score"),
                )
        return True

    def _apply_meta_status(self, status, reason=None, meta_id=None, quality=None):
        vals = {"meta_status": _meta_status(status)}
        if meta_id:
            vals["meta_template_id"] = str(meta_id)
        if vals["meta_status"] == "rejected":
            vals["meta_rejection_reason"] = reason if reason and reason != "NONE" else False
        elif vals["meta_status"] == "approved":
            vals["meta_rejection_reason"] = False
        if quality in ("GREEN", "YELLOW", "RED", "UNKNOWN"):
            vals["quality_rating"] = quality
        self.sudo().with_context(wa_template_sync=True).write(vals)

    # ------------------------------------------------------------------ rendering
    def _render_values(self, record, partner=None):
        """Parameter values for ``record``, in placeholder order, as text in ``partner``'s
        language (the patient's)."""
        self.ensure_one()
        return [var._value_for(record, partner) for var in self.variable_ids.sorted("index")]

    def _render_text(self, values):
        """The body as the patient reads it, for the chatter and the preview."""
        self.ensure_one()
        values = list(values)

        def fill(match):
            index = int(match.group(1)) - 1
            return values[index] if 0 <= index < len(values) else match.group(0)

        return PLACEHOLDER.sub(fill, self.body or "")

    @api.model
    def _find_for(self, account, name, partner):
        """The usable template ``name`` in the patient's language (or its base language)."""
        lang = partner._wa_lang() if partner else "en_US"
        return self.browse(
            run_cache.cached(
                self.env,
                ("template", account.id, name, lang),
                lambda: self._find_usable(account, name, lang).id,
            )
        )

    @api.model
    def _find_usable(self, account, name, lang):
        candidates = [lang, lang.split("_")[0], "en", "en_US"]
        templates = self.search(
            [
                ("account_id", "in", (account.id, False)),
                ("name", "=", name),
                ("language", "in", candidates),
            ]
        ).filtered(lambda t: t._is_usable())
        for code in candidates:
            match = templates.filtered(lambda t, c=code: t.language == c)
            if match:
                return match[:1]
        return self.browse()


def _meta_status(status):
    return META_STATUS_MAP.get((status or "").upper(), "pending")


class DentalWhatsappTemplatePart(models.AbstractModel):
    """What a template is made of besides its body: changing it changes what the
    patient reads, so the template goes back through both gates."""

    _name = "dental.whatsapp.template.part"
    _description = "Part of a WhatsApp Template"
    # What only staff read (a variable's meaning, in their language): changing it
    # changes nothing the patient reads, so no new review.
    _wa_staff_fields = ()

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        records.template_id._wa_reset_review_unless_syncing()
        return records

    def write(self, vals):
        def plain(value):
            return value.id if isinstance(value, models.BaseModel) else value

        changed = any(
            plain(record[name]) != value
            for record in self
            for name, value in vals.items()
            if name in record._fields and name not in self._wa_staff_fields
        )
        templates = self.template_id
        result = super().write(vals)
        if changed:
            (templates | self.template_id)._wa_reset_review_unless_syncing()
        return result

    def unlink(self):
        templates = self.template_id
        result = super().unlink()
        templates._wa_reset_review_unless_syncing()
        return result


class DentalWhatsappTemplateVariable(models.Model):
    _name = "dental.whatsapp.template.variable"
    _inherit = ["dental.whatsapp.template.part"]
    _description = "WhatsApp Template Variable"
    _order = "index"
    _wa_staff_fields = ("name",)

    template_id = fields.Many2one("dental.whatsapp.template", required=True, ondelete="cascade")
    index = fields.Integer("Placeholder", required=True, help="n of {{n}} in the body.")
    name = fields.Char("Meaning", required=True, translate=True, help="e.g. Patient's first name.")
    field_path = fields.Char(
        "Field",
        help="Field of the document, dotted for related records, e.g. partner_id.name or "
        "start. Empty: the value is typed by staff in the composer.",
    )
    example = fields.Char("Example Shown to Meta")

    def _value_for(self, record, partner=None):
        self.ensure_one()
        if not self.field_path or not record:
            return self.example or ""
        value = record
        for part in self.field_path.split("."):
            if part not in value._fields:
                raise UserError(
                    _(
                        "The template variable %(var)s refers to %(path)s, which %(model)s lacks.",
                        var=self.name,
                        path=self.field_path,
                        model=record._description,
                    )
                )
            field = value._fields[part]
            value = value[part]
            if field.type in ("many2one", "one2many", "many2many"):
                value = value[:1]
        return self._wa_format(value, field, record, partner=partner)

    def _wa_format(self, value, field, record, partner=None):
        """Text for a template parameter, in the practice's time zone and the patient's
        language (``partner``: the patient, when the record's own one is not)."""
        if not partner:
            partner = record._wa_patient() if hasattr(record, "_wa_patient") else record
        lang = partner._wa_lang() if partner and partner._name == "res.partner" else None
        lang = lang or self.env.lang or "en_US"
        if isinstance(value, models.BaseModel):
            return value.display_name or ""
        if field.type == "datetime" and value:
            return record._wa_format_datetime(value, lang)
        if field.type == "date" and value:
            return tools.format_date(self.env, value, lang_code=lang)
        if field.type == "monetary":
            currency = (
                record[field.get_currency_field(record)]
                if hasattr(field, "get_currency_field")
                else record.currency_id
            )
            return tools.format_amount(self.env, value, currency, lang_code=lang)
        if value is False or value is None:
            return ""
        return str(value)


class DentalWhatsappTemplateButton(models.Model):
    _name = "dental.whatsapp.template.button"
    _inherit = ["dental.whatsapp.template.part"]
    _description = "WhatsApp Template Quick Reply Button"
    _order = "sequence, id"

    template_id = fields.Many2one("dental.whatsapp.template", required=True, ondelete="cascade")
    sequence = fields.Integer(default=10)
    title = fields.Char(required=True, size=25, help="At most 25 characters, e.g. Confirm.")
    payload = fields.Char(
        required=True,
        help="What Odoo receives when the patient presses it, e.g. CONFIRM, RESCHEDULE, CANCEL.",
    )
