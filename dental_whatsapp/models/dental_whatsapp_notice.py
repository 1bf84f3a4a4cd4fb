from textwrap import shorten as _shorten

from markupsafe import Markup, escape
from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import format_datetime, html2plaintext

from ..const import GROUP_MANAGER, GROUP_RECEPTION, TEMPLATE_STAFF_NOTICE

NOTICE_KINDS = [
    ("hours", "Opening Hours Changed"),
    ("equipment", "Equipment Out of Order"),
    ("other", "Other"),
]


def shorten(text, width):
    """``text`` on one line, cut at a word to ``width`` characters."""
    return _shorten(text or "", width, placeholder="…")


class DentalWhatsappNotice(models.Model):
    """A service notice for the practice's team (the hours change on Friday, the
    panoramic X-ray is out of order): posted and pinned in the team channel, shown at
    the top of the WhatsApp inbox until it expires."""

    _name = "dental.whatsapp.notice"
    _inherit = ["dental.whatsapp.sender.mixin"]
    _description = "Service Notice"
    _order = "date_from desc, id desc"

    name = fields.Char("Title", required=True)
    body = fields.Html("Details")
    kind = fields.Selection(NOTICE_KINDS, required=True, default="other")
    date_from = fields.Datetime("Shown From", required=True, default=fields.Datetime.now)
    date_to = fields.Datetime(
        "Expires On",
        required=True,
        help="The notice is unpinned from the team channel and leaves the inbox then.",
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    state = fields.Selection(
        [("draft", "Draft"), ("posted", "Posted"), ("expired", "Expired")],
        default="draft",
        required=True,
        readonly=True,
        index=True,
    )
    message_id = fields.Many2one(
        "mail.message", "Posted Message", readonly=True, copy=False, ondelete="set null"
    )
    posted_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    posted_date = fields.Datetime("Posted On", readonly=True, copy=False)
    channel_id = fields.Many2one(related="company_id.wa_team_channel_id", string="Team Channel")
    send_to_staff_phones = fields.Boolean(
        "Also Send to Staff Phones on WhatsApp",
        help="When the notice is posted, the reviewed staff notice template goes to the "
        "WhatsApp number of each member of the dental staff who gave their number and "
        "agreed to staff notices (Update WhatsApp Consent on their contact), within the "
        "practice's opening hours. Nobody else receives it.",
    )
    wa_staff_text = fields.Char(
        "Text for Staff Phones",
        compute="_compute_wa_staff_text",
        help="The title and the details on one line, as the staff notice template sends them.",
    )
    wa_staff_message_count = fields.Integer(
        "Sent to Staff Phones", compute="_compute_wa_staff_message_count"
    )
    resource_calendar_id = fields.Many2one(
        related="company_id.resource_calendar_id", string="Working Schedule"
    )

    @api.depends("name", "body")
    def _compute_wa_staff_text(self):
        for notice in self:
            title = (notice.name or "").strip()
            if title and title[-1] not in ".!?:":
                title += "."
            details = html2plaintext(notice.body or "") if notice.body else ""
            # One line (Meta refuses line breaks in a parameter), short enough to read.
            notice.wa_staff_text = shorten(f"{title} {details}", 600)

    def _compute_wa_staff_message_count(self):
        counts = dict(
            self.env["dental.whatsapp.message"]
            .sudo()
            ._read_group(
                [("model", "=", self._name), ("res_id", "in", self.ids)], ["res_id"], ["__count"]
            )
        )
        for notice in self:
            notice.wa_staff_message_count = counts.get(notice.id, 0)

    @api.constrains("date_from", "date_to")
    def _check_dates(self):
        for notice in self:
            if notice.date_to <= notice.date_from:
                raise ValidationError(_("A notice expires after it is shown."))

    def write(self, vals):
        result = super().write(vals)
        if vals.get("date_to"):
            # A posted notice whose expiry moved: the expiry runs then.
            cron = self.env.ref("dental_whatsapp.ir_cron_expire_notices", raise_if_not_found=False)
            for notice in self.filtered(lambda n: n.state == "posted"):
                if cron:
                    cron.sudo()._trigger(at=notice.date_to)
        return result

    # ------------------------------------------------------------------ posting
    def _check_manager(self):
        if not self.env.su and not self.env.user.has_group(GROUP_MANAGER):
            raise AccessError(_("Only a WhatsApp manager can post or withdraw service notices."))
        self.check_access("write")

    def action_post(self):
        """Post the notice in the team channel, pinned, and show it in the inbox; with
        "Also Send to Staff Phones", queue the staff notice template for each consenting
        staff member. Everything is checked before anything is posted."""
        self._check_manager()
        now = fields.Datetime.now()
        for notice in self:
            if notice.state != "draft":
                raise UserError(_("The notice “%s” was already posted.", notice.name))
            if notice.date_to <= now:
                raise UserError(_("The notice “%s” has already expired.", notice.name))
        phones = {
            notice: notice._wa_staff_phone_templates()
            for notice in self
            if notice.send_to_staff_phones
        }
        for notice in self:
            # sudo: the manager's rights were checked above; the channel is the team's.
            channel = notice.company_id._wa_team_channel().sudo()
            message = channel.with_context(wa_consult_post=True).message_post(
                body=notice._wa_channel_body(),
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
                author_id=self.env.user.partner_id.id,
            )
            channel.set_message_pin(message.id, True)
            notice.sudo().write(
                {
                    "state": "posted",
                    "message_id": message.id,
                    "posted_by_id": self.env.uid,
                    "posted_date": now,
                }
            )
            for partner, template in phones.get(notice, []):
                notice._wa_send_template(template, partner=partner, raise_on_refusal=False)
        cron = self.env.ref("dental_whatsapp.ir_cron_expire_notices", raise_if_not_found=False)
        if cron:
            for notice in self:
                cron.sudo()._trigger(at=notice.date_to)
        if not phones:
            return True
        return self._wa_phones_notification(sum(len(pairs) for pairs in phones.values()))

    def _wa_phones_notification(self, count):
        """What the manager reads after posting with "Also Send to Staff Phones"."""
        if count == 1:
            text = _("The notice is posted and goes to 1 staff phone on WhatsApp.")
        elif count:
            text = _("The notice is posted and goes to %s staff phones on WhatsApp.", count)
        else:
            text = _(
                "The notice is posted, but no staff phone receives it: no member of the "
                "dental staff has a WhatsApp number and agreed to staff notices (Update "
                "WhatsApp Consent on their contact)."
            )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "message": text,
                "type": "success" if count else "warning",
                # the form shows the notice as posted (no second Post to press)
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    # ------------------------------------------------------------------ staff phones
    def _wa_patient(self):
        """A notice has no patient: its messages name their staff member each time."""
        return self.env["res.partner"]

    def _wa_staff_phone_recipients(self):
        """The contacts of the practice's dental staff who gave a WhatsApp number and
        agreed to staff notices (and did not opt out since)."""
        self.ensure_one()
        return (
            self.company_id._wa_team_members()
            .partner_id.sudo()
            .filtered(lambda p: p.whatsapp_number and p.wa_consent_staff and not p.wa_opt_out)
            .sudo(False)
        )

    def _wa_staff_phone_templates(self):
        """[(staff contact, template)] for the notice, or a UserError when the staff
        notice template cannot be used for one of them (not approved by a dentist and by
        Meta in their language, or no WhatsApp account)."""
        self.ensure_one()
        account = self.env["dental.whatsapp.account"]._wa_for_company(self.company_id)
        if not account:
            raise UserError(_("No WhatsApp account is configured: ask a manager to add one."))
        Template = self.env["dental.whatsapp.template"].sudo()
        result = []
        for partner in self._wa_staff_phone_recipients():
            template = Template._find_for(account, TEMPLATE_STAFF_NOTICE, partner)
            if not template:
                raise UserError(
                    _(
                        "The notice was not posted: the WhatsApp template %(template)s "
                        "(Service notice to staff phones) is not approved both by a dentist "
                        "and by Meta in %(lang)s, the language of %(staff)s. Have it reviewed "
                        "and submitted (WhatsApp > Configuration > Templates), or untick "
                        "“Also Send to Staff Phones on WhatsApp”.",
                        template=TEMPLATE_STAFF_NOTICE,
                        lang=dict(self.env["res.lang"].get_installed()).get(
                            partner._wa_lang(), partner._wa_lang()
                        ),
                        staff=partner.display_name,
                    )
                )
            result.append((partner, template.sudo(False)))
        return result

    def _wa_outgoing_obsolete(self, message):
        """A staff notice still waiting for the opening hours when the notice expired or
        was withdrawn is not sent any more."""
        self.ensure_one()
        if self.state != "posted" or self.date_to <= fields.Datetime.now():
            return _("the service notice expired or was withdrawn before it could leave.")
        return False

    def action_view_wa_staff_messages(self):
        """The WhatsApp messages this notice sent to staff phones."""
        self.ensure_one()
        self.check_access("read")  # called over RPC on any id: the notice's own rights
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "dental_whatsapp.action_dental_whatsapp_message"
        )
        action["domain"] = [("model", "=", self._name), ("res_id", "=", self.id)]
        action["context"] = {}
        return action

    def action_withdraw(self):
        """Expire the notice now (the equipment is repaired)."""
        self._check_manager()
        self.filtered(lambda n: n.state == "posted")._wa_expire()
        return True

    def action_open_working_schedule(self):
        """The practice's working schedule, to update it with the new hours."""
        self.ensure_one()
        calendar = self.company_id.resource_calendar_id
        if not calendar:
            raise UserError(_("The practice has no working schedule yet."))
        return {
            "type": "ir.actions.act_window",
            "name": _("Working Schedule"),
            "res_model": "resource.calendar",
            "res_id": calendar.id,
            "view_mode": "form",
            "target": "current",
        }

    def _wa_channel_body(self):
        self.ensure_one()
        kind = dict(self._fields["kind"]._description_selection(self.env))[self.kind]
        return Markup("<p><strong>%s: %s</strong></p>%s<p><small>%s</small></p>") % (
            kind,
            self.name,
            self.body or "",
            _("Until %s", format_datetime(self.env, self.date_to, dt_format="short")),
        )

    def _wa_expire(self):
        """Unpin from the team channel, leave the inbox."""
        for notice in self.sudo():
            channel = (
                notice.message_id.model == "discuss.channel"
                and notice.env["discuss.channel"].browse(notice.message_id.res_id).exists()
            )
            if channel and notice.message_id.pinned_at:
                channel.set_message_pin(notice.message_id.id, False)
            notice.state = "expired"

    @api.model
    def _cron_expire_notices(self):
        """Notices past their expiry: unpinned, expired."""
        self.sudo().search(
            [("state", "=", "posted"), ("date_to", "<=", fields.Datetime.now())]
        )._wa_expire()

    # ------------------------------------------------------------------ the inbox banner
    @api.model
    def _wa_current(self):
        """The notices the user's practices show now."""
        if not self.env.user.has_group(GROUP_RECEPTION):
            return self.browse()
        now = fields.Datetime.now()
        return self.search(
            [
                ("state", "=", "posted"),
                ("company_id", "in", self.env.companies.ids),
                ("date_from", "<=", now),
                ("date_to", ">", now),
            ]
        )

    @api.model
    def _wa_banner_html(self):
        """The inbox's banner: every current notice, or nothing."""
        notices = self._wa_current()
        if not notices:
            return ""
        items = Markup("").join(
            Markup(
                '<div class="alert alert-warning mb-1 py-2 o_wa_notice" role="status">'
                '<strong>%s</strong> %s <small class="text-muted">%s</small></div>'
            )
            % (
                notice.name,
                escape(shorten(html2plaintext(notice.body or ""), 300)),
                _("until %s", format_datetime(self.env, notice.date_to, dt_format="short")),
            )
            for notice in notices
        )
        return Markup('<div class="o_wa_notices">%s</div>') % items
