from textwrap import shorten as _shorten

from markupsafe import Markup, escape
from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import format_datetime, html2plaintext

from ..const import GROUP_MANAGER, GROUP_RECEPTION

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
    resource_calendar_id = fields.Many2one(
        related="company_id.resource_calendar_id", string="Working Schedule"
    )

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
        """Post the notice in the team channel, pinned, and show it in the inbox."""
        self._check_manager()
        now = fields.Datetime.now()
        for notice in self:
            if notice.state != "draft":
                raise UserError(_("The notice “%s” was already posted.", notice.name))
            if notice.date_to <= now:
                raise UserError(_("The notice “%s” has already expired.", notice.name))
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
        cron = self.env.ref("dental_whatsapp.ir_cron_expire_notices", raise_if_not_found=False)
        if cron:
            for notice in self:
                cron.sudo()._trigger(at=notice.date_to)
        return True

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
