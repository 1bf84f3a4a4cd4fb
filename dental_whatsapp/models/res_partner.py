from markupsafe import Markup, escape
from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from ..const import CONSENT_SOURCES, GROUP_RECEPTION, STAFF_GROUPS

TEMPLATE_CONGRATULATIONS = "congratulations"
TEMPLATE_CONDOLENCES = "condolences"  # only ever chosen by a person

# Whether the practice may write to the patient, and where their messages go: changed
# only through "Update WhatsApp Consent" (who, when and why in the chatter), by the
# module itself (an opt-out, a new enquiry) or by a system administrator (imports).
CONSENT_FIELDS = (
    "wa_consent_care",
    "wa_consent_billing",
    "wa_consent_greetings",
    "wa_consent_staff",
    "wa_consent_date",
    "wa_consent_source",
    "wa_opt_out",
    "wa_opt_out_date",
)
ROUTING_FIELDS = (
    "whatsapp_number",
    "whatsapp_recipient_id",
    "wa_last_inbound_date",
    "wa_user_id",
)
PROTECTED_FIELDS = CONSENT_FIELDS + ROUTING_FIELDS


class ResPartner(models.Model):
    _name = "res.partner"
    _inherit = ["res.partner", "dental.whatsapp.sender.mixin"]

    whatsapp_number = fields.Char(
        "WhatsApp Number",
        tracking=True,
        help="Written in international format (E.164) when saved; the company's country is "
        "assumed when the number has no prefix.",
        groups=STAFF_GROUPS,
    )
    whatsapp_lang = fields.Selection(
        "_lang_get_selection",
        string="WhatsApp Language",
        help="Language of the templates sent to this patient; the contact's language when empty.",
        groups=STAFF_GROUPS,
    )
    whatsapp_recipient_id = fields.Many2one(
        "res.partner",
        "Send WhatsApp To",
        help="A parent, a carer or a guardian who receives this patient's messages instead.",
        groups=STAFF_GROUPS,
    )
    wa_consent_care = fields.Boolean("Care and Appointments", tracking=True, groups=STAFF_GROUPS)
    wa_consent_billing = fields.Boolean("Billing", tracking=True, groups=STAFF_GROUPS)
    wa_consent_greetings = fields.Boolean("Greetings and News", tracking=True, groups=STAFF_GROUPS)
    wa_consent_staff = fields.Boolean(
        "Staff Notices on WhatsApp",
        tracking=True,
        help="A member of the practice's staff agreed to receive its service notices "
        "(changed hours, equipment out of order) on this WhatsApp number. Only for the "
        "partner of an internal user: never a patient's consent.",
        groups=STAFF_GROUPS,
    )
    wa_is_staff = fields.Boolean(
        "Practice Staff",
        compute="_compute_wa_is_staff",
        help="The contact of an internal user: staff notices may reach them on WhatsApp.",
        groups=STAFF_GROUPS,
    )
    wa_consent_date = fields.Date("Consent Date", tracking=True, groups=STAFF_GROUPS)
    wa_consent_source = fields.Selection(
        CONSENT_SOURCES, "Consent Given Through", tracking=True, groups=STAFF_GROUPS
    )
    wa_opt_out = fields.Boolean(
        "Opted Out",
        tracking=True,
        readonly=True,
        help="The patient asked to stop non-essential messages (billing, greetings). Only an "
        "explicit new consent clears it.",
        groups=STAFF_GROUPS,
    )
    wa_opt_out_date = fields.Datetime("Opted Out On", readonly=True, groups=STAFF_GROUPS)
    wa_new_enquiry = fields.Boolean(
        "New WhatsApp Enquiry",
        help="Created from a WhatsApp message of an unknown number: check who it is.",
        groups=STAFF_GROUPS,
    )
    wa_last_inbound_date = fields.Datetime(
        "Last WhatsApp Received",
        readonly=True,
        help="Free text can be sent for 24 hours after this moment.",
        groups=STAFF_GROUPS,
    )
    wa_message_ids = fields.One2many(
        "dental.whatsapp.message", "partner_id", "WhatsApp Messages", groups=STAFF_GROUPS
    )
    wa_message_count = fields.Integer(compute="_compute_wa_message_count", groups=STAFF_GROUPS)
    wa_therapy_ids = fields.One2many(
        "dental.whatsapp.therapy", "partner_id", "Therapy Plans", groups=STAFF_GROUPS
    )
    wa_therapy_count = fields.Integer(
        "Number of Therapy Plans", compute="_compute_wa_therapy_count", groups=STAFF_GROUPS
    )
    wa_user_id = fields.Char(
        "WhatsApp User ID",
        readonly=True,
        index=True,
        copy=False,
        help="Meta's business-scoped user id for this contact: WhatsApp gives it instead of "
        "the number to people who use a username.",
        groups=STAFF_GROUPS,
    )
    wa_username = fields.Char("WhatsApp Username", readonly=True, groups=STAFF_GROUPS)
    wa_conversation_ids = fields.One2many(
        "dental.whatsapp.conversation", "partner_id", "WhatsApp Conversations", groups=STAFF_GROUPS
    )
    wa_birth_date = fields.Date("Date of Birth", groups=STAFF_GROUPS)
    wa_deceased = fields.Boolean(
        "Deceased",
        tracking=True,
        help="No greetings or news are ever sent to a deceased patient.",
        groups=STAFF_GROUPS,
    )
    wa_deceased_date = fields.Date("Date of Death", groups=STAFF_GROUPS)
    wa_birthday_sent_date = fields.Datetime(
        "Last Birthday Wish",
        readonly=True,
        copy=False,
        help="The birthday (at the wish hour) of the last wish queued: one wish per calendar year.",
        groups=STAFF_GROUPS,
    )

    @api.constrains("wa_birth_date", "wa_deceased_date")
    def _check_wa_birth_date(self):
        today = fields.Date.context_today(self)
        for partner in self:
            if partner.wa_birth_date and partner.wa_birth_date > today:
                raise ValidationError(_("The date of birth cannot be in the future."))
            if (
                partner.wa_birth_date
                and partner.wa_deceased_date
                and partner.wa_deceased_date < partner.wa_birth_date
            ):
                raise ValidationError(_("The date of death cannot be before the date of birth."))

    @api.model
    def _wa_greetings_domain(self):
        """Patients who may receive greetings: consent, no opt-out, alive, active."""
        return [
            ("wa_consent_greetings", "=", True),
            ("wa_opt_out", "=", False),
            ("wa_deceased", "=", False),
            ("active", "=", True),
        ]

    @api.depends("user_ids.share")
    def _compute_wa_is_staff(self):
        for partner in self:
            partner.wa_is_staff = bool(partner.sudo().user_ids.filtered(lambda u: not u.share))

    @api.model
    def _lang_get_selection(self):
        return self.env["res.lang"].get_installed()

    @api.depends("wa_therapy_ids")
    def _compute_wa_therapy_count(self):
        for partner in self:
            partner.wa_therapy_count = len(partner.wa_therapy_ids)

    def action_wa_therapies(self):
        """The patient's therapy plans (a new one is the dentist's)."""
        self.ensure_one()
        return self.env["dental.whatsapp.therapy"]._wa_action_for(self)

    def _compute_wa_message_count(self):
        counts = dict(
            self.env["dental.whatsapp.message"]._read_group(
                [("partner_id", "in", self.ids)], ["partner_id"], ["__count"]
            )
        )
        for partner in self:
            partner.wa_message_count = counts.get(partner, 0)

    # ------------------------------------------------------------------ number
    def _wa_format_number(self, number, country=None):
        """E.164 form of ``number`` or a ValidationError that says what is wrong."""
        country = country or self.country_id or self.env.company.country_id
        try:
            formatted = self._phone_format(
                number=number, country=country, force_format="E164", raise_exception=True
            )
        except UserError as error:
            raise ValidationError(
                _(
                    "%(number)s is not a valid WhatsApp number: %(reason)s Write it with the "
                    "international prefix, e.g. +39 333 123 4567.",
                    number=number,
                    reason=error.args[0],
                )
            ) from error
        return formatted

    def _wa_trusted_writer(self):
        return self.env.su or self.env.user._is_system()

    @api.model_create_multi
    def create(self, vals_list):
        recorded = []
        for vals in vals_list:
            given = [name for name in PROTECTED_FIELDS if vals.get(name)]
            if given and not self._wa_trusted_writer():
                if not self.env.user.has_group(GROUP_RECEPTION):
                    raise AccessError(
                        _("Only the practice's staff can record a WhatsApp number or consent.")
                    )
                if {"wa_opt_out", "wa_opt_out_date", "wa_last_inbound_date"} & set(given):
                    raise AccessError(
                        _("An opt-out or a patient's last message is recorded by WhatsApp itself.")
                    )
            recorded.append(given and not self._wa_trusted_writer())
            if vals.get("whatsapp_number"):
                country = self.env["res.country"].browse(vals.get("country_id"))
                vals["whatsapp_number"] = self._wa_format_number(
                    vals["whatsapp_number"], country or None
                )
        partners = super().create(vals_list)
        for partner, note in zip(partners, recorded, strict=True):
            if note:
                partner._wa_post_consent_note(_("Recorded when the contact was created."))
        return partners

    def write(self, vals):
        touched = [name for name in PROTECTED_FIELDS if name in vals]
        if touched and not self._wa_trusted_writer():
            raise AccessError(
                _(
                    "The WhatsApp number, the consent and the opt-out change only with "
                    "Update WhatsApp Consent on the patient, which records who, when and why."
                )
            )
        if vals.get("whatsapp_number"):
            country = (
                self.env["res.country"].browse(vals["country_id"])
                if vals.get("country_id")
                else None
            )
            # One number for the whole batch: format against the first record's country.
            vals = dict(
                vals, whatsapp_number=self[:1]._wa_format_number(vals["whatsapp_number"], country)
            )
        return super().write(vals)

    @api.onchange("whatsapp_number")
    def _onchange_whatsapp_number(self):
        if self.whatsapp_number:
            formatted = self._phone_format(
                number=self.whatsapp_number, force_format="E164", raise_exception=False
            )
            if formatted:
                self.whatsapp_number = formatted

    # ------------------------------------------------------------------ helpers
    def _wa_recipient(self):
        """The contact who actually receives this patient's WhatsApp messages."""
        self.ensure_one()
        return self.whatsapp_recipient_id or self

    def _wa_lang(self):
        self.ensure_one()
        return self.whatsapp_lang or self.lang or self.env.lang or "en_US"

    def _wa_has_consent(self, category):
        self.ensure_one()
        return bool(self[f"wa_consent_{category}"])

    def _wa_set_opt_out(self, source_message=None):
        """Record an opt-out: non-essential categories stop until a new consent."""
        now = fields.Datetime.now()
        for partner in self.filtered(lambda p: not p.wa_opt_out):
            partner.sudo().write({"wa_opt_out": True, "wa_opt_out_date": now})
            partner.message_post(
                body=_(
                    "The patient asked on WhatsApp to stop non-essential messages: %s",
                    source_message or "",
                ),
                subtype_xmlid="mail.mt_note",
            )

    def _wa_opt_out_confirmation(self):
        """The one reply to an opt-out, in the patient's language (context lang)."""
        return _(
            "We have received your request: you will no longer receive billing reminders, "
            "greetings or news from us on WhatsApp. Appointment messages continue while you "
            "are in treatment. To receive everything again, tell the reception."
        )

    def _wa_post_consent_note(self, why):
        """Who recorded the WhatsApp consent and number, and why, in the chatter."""
        self.ensure_one()
        partner = self.sudo()
        given = [
            partner._fields[name].string
            for name in (
                "wa_consent_care",
                "wa_consent_billing",
                "wa_consent_greetings",
                "wa_consent_staff",
            )
            if partner[name]
        ]
        lines = [
            _("WhatsApp consent recorded by %s.", self.env.user.name),
            _("Consents to: %s", ", ".join(given) or _("nothing")),
            _("WhatsApp number: %s", partner._wa_recipient().whatsapp_number or _("none")),
        ]
        if partner.whatsapp_recipient_id:
            lines.append(_("Messages go to: %s", partner.whatsapp_recipient_id.display_name))
        if partner.wa_opt_out:
            lines.append(_("The patient's opt-out stays in force."))
        lines.append(_("Why: %s", why))
        partner.message_post(
            body=Markup("<br/>").join(escape(line) for line in lines),
            subtype_xmlid="mail.mt_note",
            author_id=self.env.user.partner_id.id,
        )

    def action_wa_record_consent(self):
        """Update WhatsApp Consent: the form that records who, when and why."""
        self.ensure_one()
        if not self.env.user.has_group(GROUP_RECEPTION):
            raise AccessError(_("Only the practice's staff can record WhatsApp consent."))
        return {
            "type": "ir.actions.act_window",
            "name": _("Update WhatsApp Consent"),
            "res_model": "dental.whatsapp.consent",
            "view_mode": "form",
            "target": "new",
            "context": {"default_partner_id": self.id},
        }

    def _wa_address(self):
        """Where WhatsApp reaches this contact: the number (without +), else the
        business-scoped user id, else False."""
        self.ensure_one()
        return (self.whatsapp_number or "").lstrip("+") or self.wa_user_id or False

    def action_wa_send_congratulations(self):
        return self._wa_open_greeting(TEMPLATE_CONGRATULATIONS)

    def action_wa_send_condolences(self):
        return self._wa_open_greeting(TEMPLATE_CONDOLENCES)

    def _wa_open_greeting(self, name):
        """The composer with the reviewed template ``name`` chosen: a person reads it and
        sends it, these words never leave on their own."""
        self.ensure_one()
        self.env["dental.whatsapp.policy"]._wa_check_sender()
        account = self.env["dental.whatsapp.account"]._wa_for_company(self._wa_company())
        template = self._wa_find_template(name, account, self)
        action = self.env["dental.whatsapp.composer"]._action_open(self)
        action["context"] = dict(action["context"], default_template_id=template.id)
        return action

    def action_wa_open_conversation(self):
        """The patient's WhatsApp conversation (the desk), created when missing."""
        self.ensure_one()
        self.env["dental.whatsapp.policy"]._wa_check_sender()
        if self.sudo().user_ids or (self.company_id and self.company_id not in self.env.companies):
            raise UserError(_("%s is not one of this practice's patients.", self.display_name))
        account = self.env["dental.whatsapp.account"]._wa_for_company(
            self.company_id or self.env.company
        )
        if not account:
            raise UserError(_("No WhatsApp account is configured: ask a manager to add one."))
        conversation = self.env["dental.whatsapp.conversation"]._wa_for(account, self.sudo())
        return {
            "type": "ir.actions.act_window",
            "res_model": "dental.whatsapp.conversation",
            "res_id": conversation.id,
            "view_mode": "form",
            "target": "current",
        }

    def action_view_wa_messages(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "dental_whatsapp.action_dental_whatsapp_message"
        )
        action["domain"] = [("partner_id", "=", self.id)]
        action["context"] = {"default_partner_id": self.id}
        return action
