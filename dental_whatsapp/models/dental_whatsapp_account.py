import ipaddress
import logging
import secrets
from datetime import datetime, time, timezone
from urllib.parse import urlsplit

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from ..const import MAX_THROUGHPUT, META_GRAPH_URL, QUALITY_RATINGS, WEBHOOK_PATH
from ..tools import errors as wa_errors
from ..tools import run_cache
from ..tools.cloud_api import CloudApiClient
from ..tools.errors import WhatsAppApiError

_logger = logging.getLogger(__name__)

# Whoever sets these decides where the access token goes and who may sign webhooks as
# Meta: system administrators only, on create as on write.
SYSTEM_FIELDS = ("access_token", "app_secret", "verify_token", "base_url")


def _is_loopback(host):
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


# Meta's messaging limit tiers: distinct patients a number may start conversations with
# in 24 hours.
MESSAGING_TIERS = [
    ("TIER_50", "50 patients a day"),
    ("TIER_250", "250 patients a day"),
    ("TIER_1K", "1,000 patients a day"),
    ("TIER_10K", "10,000 patients a day"),
    ("TIER_100K", "100,000 patients a day"),
    ("TIER_UNLIMITED", "Unlimited"),
]


class DentalWhatsappAccount(models.Model):
    _name = "dental.whatsapp.account"
    _description = "WhatsApp Business Account"
    _order = "sequence, id"

    name = fields.Char(required=True, help="A name staff recognise, e.g. 'Reception number'.")
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, ondelete="cascade"
    )
    phone_number_id = fields.Char(
        "Phone Number ID",
        required=True,
        help="Meta's id of the WhatsApp number (WhatsApp Manager > API Setup), not the number "
        "itself.",
    )
    waba_id = fields.Char(
        "WhatsApp Business Account ID",
        required=True,
        help="Meta's id of the WhatsApp Business Account that owns the number and its templates.",
    )
    access_token = fields.Char(
        groups="base.group_system",
        copy=False,
        help="Permanent token of a Meta system user with whatsapp_business_messaging and "
        "whatsapp_business_management permissions.",
    )
    app_secret = fields.Char(
        groups="base.group_system",
        copy=False,
        help="Secret of the Meta app: used to check that webhook calls really come from Meta.",
    )
    verify_token = fields.Char(
        "Webhook Verify Token",
        groups="base.group_system",
        copy=False,
        default=lambda self: secrets.token_urlsafe(24),
        help="Paste this in Meta's webhook configuration together with the callback URL.",
    )
    api_version = fields.Char("Graph API Version", required=True, default="v23.0")
    base_url = fields.Char(
        "API Base URL",
        required=True,
        default=META_GRAPH_URL,
        groups="base.group_system",
        help="Meta's Graph API. Change it only to use the local Cloud API simulator "
        "(http is accepted only for this computer's own addresses).",
    )
    timeout = fields.Float(
        "Timeout (seconds)", default=10.0, help="How long to wait for Meta before retrying later."
    )
    throughput_limit = fields.Integer(
        "Messages per Second",
        default=80,
        help="The most messages sent per second from this number, by all Odoo workers and "
        "servers together: 80 is Meta's default, 1000 once Meta upgraded the number, 20 for "
        "a number shared with the WhatsApp Business app (coexistence).",
    )
    unknown_outcome_wait = fields.Integer(
        "Send Again After (minutes)",
        default=10,
        help="When WhatsApp's answer to a send never came (a timeout, a lost connection), "
        "the message may have left: it waits this long for Meta's status before it is "
        "sent again, so that the patient does not receive it twice.",
    )
    webhook_url = fields.Char("Webhook Callback URL", compute="_compute_webhook_url")
    display_phone_number = fields.Char(readonly=True, copy=False)
    verified_name = fields.Char("Name Shown to Patients", readonly=True, copy=False)
    quality_rating = fields.Selection(
        QUALITY_RATINGS,
        readonly=True,
        copy=False,
    )
    messaging_limit_tier = fields.Selection(
        MESSAGING_TIERS,
        "Messaging Limit",
        readonly=True,
        copy=False,
        default="TIER_250",
        help="Meta's limit on the distinct patients this number may write to first in 24 "
        "hours, read with Test Connection; a new number has 250.",
    )
    last_check_date = fields.Datetime("Last Connection Check", readonly=True, copy=False)
    usage_this_month = fields.Text(
        "Sent This Month",
        compute="_compute_usage_this_month",
        help="Messages sent from this number since the first of the month (practice time), "
        "by what Meta counts them as and whether it charges them, from its status webhooks.",
    )
    # The outcome figures' cost estimate (views: the account's Message Prices page).
    currency_id = fields.Many2one(related="company_id.currency_id")
    price_marketing = fields.Monetary(
        "Price of a Marketing Message",
        help="What Meta charges for one charged message of this category, in the "
        "practice's currency: copy it from Meta's rate card for your patients' country "
        "(WhatsApp pricing page). 0 until set: the estimated cost stays 0.",
    )
    price_utility = fields.Monetary(
        "Price of a Utility Message",
        help="From Meta's rate card for your patients' country (reminders, payment "
        "requests). 0 until set.",
    )
    price_authentication = fields.Monetary(
        "Price of an Authentication Message",
        help="From Meta's rate card for your patients' country. 0 until set.",
    )
    price_service = fields.Monetary(
        "Price of a Service Message",
        help="From Meta's rate card for your patients' country: answers inside the "
        "patient's 24-hour window are usually free (Meta then says they are not charged). "
        "0 until set.",
    )

    _sql_constraints = [
        (
            "phone_number_id_uniq",
            "unique(phone_number_id)",
            "This phone number id is already configured in another WhatsApp account.",
        ),
    ]

    def _compute_usage_this_month(self):
        labels = {
            "marketing": _("Marketing"),
            "utility": _("Utility"),
            "authentication": _("Authentication"),
            "service": _("Service"),
        }
        Message = self.env["dental.whatsapp.message"].sudo()
        for account in self:
            if not account.id:
                account.usage_this_month = False
                continue
            company = account.company_id
            today = company._wa_today()
            first = datetime.combine(today.replace(day=1), time.min)
            start = company._wa_practice_tz().localize(first).astimezone(timezone.utc)
            groups = Message._read_group(
                [
                    ("account_id", "=", account.id),
                    ("direction", "=", "out"),
                    ("sent_date", ">=", start.replace(tzinfo=None)),
                ],
                ["pricing_category", "pricing_billable"],
                ["__count"],
            )
            counts = {}
            for category, billable, count in groups:
                line = counts.setdefault(category or "", [0, 0])
                line[0 if billable else 1] += count
            lines = []
            for category, (charged, free) in sorted(counts.items()):
                if category:  # (a loop, not a comprehension: _() reads its caller's frame)
                    lines.append(
                        _(
                            "%(category)s: %(charged)s charged, %(free)s free",
                            category=labels.get(category, category),
                            charged=charged,
                            free=free,
                        )
                    )
            if "" in counts:
                lines.append(_("Not priced by Meta yet: %s", sum(counts[""])))
            account.usage_this_month = "\n".join(lines) or _("Nothing sent this month.")

    @api.depends("company_id")
    def _compute_webhook_url(self):
        base_url = self.env["ir.config_parameter"].sudo().get_param("web.base.url", "")
        for account in self:
            account.webhook_url = base_url.rstrip("/") + WEBHOOK_PATH

    @api.constrains("throughput_limit", "timeout", "unknown_outcome_wait")
    def _check_limits(self):
        for account in self:
            if not 1 <= account.throughput_limit <= MAX_THROUGHPUT:
                raise ValidationError(
                    _(
                        "Messages per second must be between 1 and %s (Meta's highest "
                        "limit for a number).",
                        MAX_THROUGHPUT,
                    )
                )
            if account.unknown_outcome_wait < 1:
                raise ValidationError(
                    _("The wait before sending again must be at least one minute.")
                )
            if account.timeout <= 0:
                raise ValidationError(_("The timeout must be a positive number of seconds."))

    @api.constrains("base_url")
    def _check_base_url(self):
        for account in self:
            where = urlsplit(account.base_url or "")
            host = where.hostname or ""
            secure = where.scheme == "https" or (where.scheme == "http" and _is_loopback(host))
            if not host or not secure or where.username or where.password or where.query:
                raise ValidationError(
                    _(
                        "The API base URL must be https://host (http:// only for this "
                        "computer, e.g. the local simulator), without user, password or "
                        "query; got %s.",
                        account.base_url,
                    )
                )

    # ------------------------------------------------------------------ access
    def _check_system_fields(self, vals_list):
        if self.env.su or self.env.user._is_system():
            return
        touched = sorted({name for vals in vals_list for name in SYSTEM_FIELDS if name in vals})
        if touched:
            labels = ", ".join(self._fields[name].string for name in touched)
            raise AccessError(
                _("Only a system administrator can set %s of a WhatsApp account.", labels)
            )

    @api.model_create_multi
    def create(self, vals_list):
        self._check_system_fields(vals_list)
        return super().create(vals_list)

    def write(self, vals):
        self._check_system_fields([vals])
        return super().write(vals)

    @api.model
    def _wa_for_company(self, company=None):
        """The WhatsApp account of ``company`` (the current one by default): never
        another practice's number."""
        company = company or self.env.company
        Account = self.sudo()
        return Account.browse(
            run_cache.cached(
                self.env,
                ("account", company.id),
                lambda: Account.search([("company_id", "=", company.id)], limit=1).id,
            )
        )

    def _wa_practice_lang(self):
        """The language the practice's staff work in (its company's contact language),
        for what the module writes on its own; the current one when it has none."""
        self.ensure_one()
        lang = self.company_id.partner_id.lang
        installed = {code for code, _name in self.env["res.lang"].get_installed()}
        return lang if lang in installed else self.env.lang

    def _wa_routing_keys(self):
        """What Meta names in a webhook for this account (see tools.webhook.routing_key)."""
        self.ensure_one()
        return {("phone", self.phone_number_id), ("waba", self.waba_id)}

    @api.model
    def _wa_neutralized(self):
        """A neutralized copy of the database (``odoo-bin neutralize``) never talks to
        Meta, whatever an account says."""
        return bool(self.env["ir.config_parameter"].sudo().get_param("database.is_neutralized"))

    def _get_client(self):
        """The Cloud API client for this account; secrets are read as superuser."""
        self.ensure_one()
        if self._wa_neutralized():
            raise UserError(_("This database is a neutralized copy: it does not talk to WhatsApp."))
        account = self.sudo()
        if not account.access_token:
            raise UserError(
                _(
                    "The WhatsApp account %s has no access token: a system administrator "
                    "must set it.",
                    account.name,
                )
            )
        return CloudApiClient(
            account.access_token,
            account.phone_number_id,
            account.waba_id,
            base_url=account.base_url.rstrip("/"),
            api_version=account.api_version,
            timeout=account.timeout,
        )

    @api.model
    def _describe_api_error(self, error):
        """Say in words what a Cloud API error means for the person reading it."""
        if error.kind == wa_errors.AUTH:
            advice = _(
                "Meta refused the access token: ask a system administrator to paste a valid "
                "permanent token."
            )
        elif error.kind == wa_errors.NEEDS_TEMPLATE:
            advice = _(
                "The patient has not written in the last 24 hours: only an approved template "
                "can be sent."
            )
        elif error.kind == wa_errors.RETRYABLE:
            advice = _("WhatsApp is not reachable or busy right now; it will be tried again.")
        else:
            advice = _("WhatsApp refused the request; trying again will not help.")
        code = _(" (Meta code %s)", error.code) if error.code is not None else ""
        detail = error.details or error.message or ""
        return f"{advice}{code}" + (f": {detail}" if detail else "")

    def action_test_connection(self):
        self.ensure_one()
        self.check_access("write")  # before the token leaves for Meta
        try:
            info = self._get_client().get_phone_number()
        except WhatsAppApiError as error:
            raise UserError(
                _("Connection to WhatsApp failed. %s", self._describe_api_error(error))
            ) from error
        self.write(
            {
                "display_phone_number": info.get("display_phone_number"),
                "verified_name": info.get("verified_name"),
                "quality_rating": info.get("quality_rating")
                if info.get("quality_rating") in ("GREEN", "YELLOW", "RED")
                else "UNKNOWN",
                "messaging_limit_tier": info.get("messaging_limit_tier")
                if info.get("messaging_limit_tier") in dict(MESSAGING_TIERS)
                else "TIER_250",
                "last_check_date": fields.Datetime.now(),
            }
        )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "title": _("Connected"),
                "message": _(
                    "WhatsApp number %(number)s (%(name)s) answers.",
                    number=self.display_phone_number,
                    name=self.verified_name or "",
                ),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    def action_regenerate_verify_token(self):
        if not self.env.user._is_system():
            raise AccessError(_("Only a system administrator can change the webhook verify token."))
        for account in self:
            account.sudo().verify_token = secrets.token_urlsafe(24)
        return True
