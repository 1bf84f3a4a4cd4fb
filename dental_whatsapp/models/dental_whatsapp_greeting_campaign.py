"""Seasonal wishes: Christmas, Easter, New Year. A manager picks the day and the reviewed
template; on that day the scheduled action queues one wish per patient who consented to
greetings, through the outbox (so in office hours), never more distinct patients in 24
hours than Meta's messaging limit of the number allows: the rest go the next day."""

from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError

from ..const import GROUP_MANAGER
from .res_partner import TEMPLATE_CONDOLENCES as TEMPLATE_CONDOLENCES_NAME

# Meta's messaging limit tiers: distinct patients a number may write to first in 24 h.
TIER_PATIENTS = {
    "TIER_50": 50,
    "TIER_250": 250,
    "TIER_1K": 1000,
    "TIER_10K": 10000,
    "TIER_100K": 100000,
    "TIER_UNLIMITED": None,
}
DAY = timedelta(hours=24)


class DentalWhatsappGreetingCampaign(models.Model):
    _name = "dental.whatsapp.greeting.campaign"
    _inherit = ["mail.thread"]
    _description = "Seasonal Wishes"
    _order = "send_date desc, id desc"

    name = fields.Char("Occasion", required=True, tracking=True, help="e.g. Christmas 2026")
    company_id = fields.Many2one(
        "res.company", "Practice", required=True, default=lambda s: s.env.company, index=True
    )
    template_id = fields.Many2one(
        "dental.whatsapp.template",
        required=True,
        tracking=True,
        domain=[
            ("message_category", "=", "greetings"),
            ("review_state", "=", "approved"),
            ("name", "!=", TEMPLATE_CONDOLENCES_NAME),
        ],
        help="A reviewed greetings template; each patient gets it in their own language.",
    )
    send_date = fields.Date("Send On", required=True, tracking=True)
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("scheduled", "Scheduled"),
            ("sending", "Sending"),
            ("done", "Sent"),
            ("cancelled", "Cancelled"),
        ],
        default="draft",
        required=True,
        readonly=True,
        tracking=True,
        copy=False,
    )
    patient_count = fields.Integer("Patients It Reaches", compute="_compute_counts")
    queued_count = fields.Integer("Wishes Queued or Sent", compute="_compute_counts")

    def _compute_counts(self):
        Partner = self.env["res.partner"].sudo()
        for campaign in self:
            campaign.patient_count = Partner.search_count(campaign._wa_audience_domain())
            campaign.queued_count = len(campaign._wa_messages())

    # ------------------------------------------------------------------ audience
    def _wa_audience_domain(self):
        """Who gets the wishes: consent to greetings and news, no opt-out, alive, active,
        with a WhatsApp number, of this practice (or of none)."""
        self.ensure_one()
        return [
            *self.env["res.partner"]._wa_greetings_domain(),
            ("whatsapp_number", "!=", False),
            ("company_id", "in", [self.company_id.id, False]),
        ]

    def _wa_messages(self):
        self.ensure_one()
        if not isinstance(self.id, int):
            return self.env["dental.whatsapp.message"]
        return (
            self.env["dental.whatsapp.message"]
            .sudo()
            .search([("model", "=", self._name), ("res_id", "=", self.id)])
        )

    # ------------------------------------------------------------------ actions
    def _check_manager(self):
        if not self.env.su and not self.env.user.has_group(GROUP_MANAGER):
            raise AccessError(_("Only a WhatsApp manager can schedule or cancel seasonal wishes."))

    def action_schedule(self):
        self._check_manager()
        self.check_access("write")
        today = self.env.company._wa_today()
        for campaign in self:
            if campaign.template_id.name == TEMPLATE_CONDOLENCES_NAME:
                raise UserError(_("Condolences are never sent to many: only by a person, to one."))
            if campaign.template_id.meta_category != "MARKETING" or (
                campaign.template_id.message_category != "greetings"
            ):
                raise UserError(
                    _(
                        "%s is not a greetings template: seasonal wishes use one, sent only "
                        "to patients who consented to greetings and news.",
                        campaign.template_id.display_name,
                    )
                )
            if campaign.send_date < today:
                raise UserError(_("The day of %s has passed: choose a day to come.", campaign.name))
            campaign.sudo().state = "scheduled"
        return True

    def action_cancel(self):
        """Stop the wishes: those still waiting in the outbox are withdrawn."""
        self._check_manager()
        self.check_access("write")
        for campaign in self.filtered(lambda c: c.state in ("draft", "scheduled", "sending")):
            for message in campaign._wa_messages().filtered(lambda m: m.state == "queued"):
                message._wa_cancel(_("The seasonal wishes were cancelled."))
            campaign.sudo().state = "cancelled"
        return True

    def action_back_to_draft(self):
        self._check_manager()
        self.check_access("write")
        self.filtered(lambda c: c.state in ("scheduled", "cancelled")).sudo().state = "draft"
        return True

    # ------------------------------------------------------------------ sending
    @api.model
    def _cron_send_campaigns(self):
        """Hourly: the wishes of the day's campaigns, within the messaging limit."""
        for campaign in self.sudo().search([("state", "in", ("scheduled", "sending"))]):
            if campaign.send_date <= campaign.company_id._wa_today():
                campaign._wa_send_batch()

    def _wa_room(self, account):
        """How many more distinct patients the number may write to first now: Meta's
        tier minus those it sent a template to in the last 24 hours or is about to."""
        cap = TIER_PATIENTS.get(account.messaging_limit_tier or "TIER_250", 250)
        if cap is None:
            return None
        recent = (
            self.env["dental.whatsapp.message"]
            .sudo()
            ._read_group(
                [
                    ("account_id", "=", account.id),
                    ("direction", "=", "out"),
                    ("template_id", "!=", False),
                    # Waiting in the outbox (they will leave soon) or sent in the last
                    # 24 hours: both count against the rolling day.
                    "|",
                    ("state", "=", "queued"),
                    ("sent_date", ">=", fields.Datetime.now() - DAY),
                ],
                ["partner_id"],
            )
        )
        return max(0, cap - len(recent))

    def _wa_send_batch(self):
        self.ensure_one()
        account = self.env["dental.whatsapp.account"]._wa_for_company(self.company_id)
        if not account:
            return
        done = set(self._wa_messages().mapped("partner_id").ids)
        patients = (
            self.env["res.partner"]
            .sudo()
            .search([*self._wa_audience_domain(), ("id", "not in", list(done))], order="id")
        )
        patients = patients.filtered(
            lambda p: not self.env["dental.whatsapp.policy"]._wa_is_blocked(p, self.company_id)
        )
        room = self._wa_room(account)
        batch = patients if room is None else patients[:room]
        Message = self.env["dental.whatsapp.message"].sudo()
        for patient in batch:
            template = self._wa_find_template(self.template_id.name, account, patient)
            Message._wa_enqueue(
                patient,
                category="greetings",
                record=self,
                template=template,
                values=[patient.name or "", self.company_id.name or ""],
                account=account,
                raise_on_refusal=False,
            )
        left = len(patients) - len(batch)
        if not left:
            self.state = "done"
            self.message_post(
                body=_("All the wishes are queued: %s patients.", len(done) + len(batch)),
                subtype_xmlid="mail.mt_note",
            )
        elif self.state != "sending":
            self.state = "sending"
            self.message_post(
                body=_(
                    "Meta's messaging limit of the number allows %(room)s patients in 24 "
                    "hours: %(left)s wishes follow in the next days.",
                    room=room,
                    left=left,
                ),
                subtype_xmlid="mail.mt_note",
            )

    def _wa_find_template(self, name, account, partner):
        return self.env["res.partner"]._wa_find_template(name, account, partner)
