"""The one screen (and the one-page PDF) a dentist reads in a minute: the month's
figures of dental.whatsapp.outcome, in words."""

from dateutil.relativedelta import relativedelta
from odoo import _, api, fields, models
from odoo.tools import format_amount, formatLang

NO_FIGURE = "\u2013"  # an en dash: nothing to count
FILTERS = ("month", "dentist_id", "appointment_type_id", "lang")
FIGURE_FIELDS = (
    "reminders_sent",
    "confirmation_text",
    "reschedule_text",
    "cancel_text",
    "no_show_confirmed_text",
    "no_show_unanswered_text",
    "no_show_none_text",
    "no_show_text",
    "response_text",
    "late_text",
    "clinical_text",
    "dentist_text",
    "payment_text",
    "paid_text",
    "cost_text",
    "cost_lines",
)
# The texts of the sections whose facts are not split by every filter.
SECTION_TEXTS = {
    "payments": ("payment_text", "paid_text"),
    "waits": ("response_text", "late_text", "clinical_text", "dentist_text"),
    "cost": ("cost_text", "cost_lines"),
}


class DentalWhatsappOutcomeSummary(models.TransientModel):
    _name = "dental.whatsapp.outcome.summary"
    _description = "What the WhatsApp Messages Achieve: the Month in Figures"

    month = fields.Date(
        required=True,
        # The last complete month: the one the practice owner reviews (and the current
        # one has only begun). Any other month is one click away.
        default=lambda self: self.env.company._wa_today().replace(day=1) - relativedelta(months=1),
        help="Any day of the month to read: the figures cover that whole month. It opens "
        "on the last complete month.",
    )
    date_from = fields.Date("From", compute="_compute_period")
    date_to = fields.Date("To", compute="_compute_period")
    dentist_id = fields.Many2one("res.users", domain=[("share", "=", False)])
    appointment_type_id = fields.Many2one("dental.whatsapp.appointment.type")
    lang = fields.Selection("_lang_selection", "Patient's Language")

    reminders_sent = fields.Integer(
        compute="_compute_figures",
        help="Appointment reminders and confirmation requests that reached WhatsApp "
        "(sent, delivered or read) this month.",
    )
    confirmation_text = fields.Char(
        "Confirmed",
        compute="_compute_figures",
        help="Appointments of the month whose patient confirmed, of those asked to confirm "
        "(a confirmation request reached WhatsApp). The patient's last answer counts.",
    )
    reschedule_text = fields.Char(
        "Asked to Reschedule",
        compute="_compute_figures",
        help="Of the appointments asked: the patient answered Reschedule (counted even if "
        "the appointment was moved since).",
    )
    cancel_text = fields.Char(
        "Cancelled by Reply",
        compute="_compute_figures",
        help="Of the appointments asked: the patient answered Cancel.",
    )
    no_show_confirmed_text = fields.Char(
        "No-Shows, Reminder Confirmed",
        compute="_compute_figures",
        help="Appointments whose attendance was marked and whose patient confirmed the "
        "reminder: how many did not come.",
    )
    no_show_unanswered_text = fields.Char(
        "No-Shows, Reminder Not Answered",
        compute="_compute_figures",
        help="Attendance marked, a reminder reached the patient, no answer.",
    )
    no_show_none_text = fields.Char(
        "No-Shows, No Reminder",
        compute="_compute_figures",
        help="Attendance marked, no reminder reached the patient.",
    )
    no_show_text = fields.Char(
        "No-Shows, All",
        compute="_compute_figures",
        help="Every appointment whose attendance was marked (answers to reschedule or cancel "
        "included).",
    )
    response_text = fields.Char(
        "First Answer (Median)",
        compute="_compute_figures",
        help="From a patient's first unanswered message to the first answer a person sent, "
        "in minutes of opening time (the practice's working schedule): the median.",
    )
    late_text = fields.Char(
        "Answered Late",
        compute="_compute_figures",
        help="Answers that took longer than the desk's answer-time target in opening time "
        "(or that the desk had marked late), of all answers.",
    )
    clinical_text = fields.Char(
        "Clinical Messages",
        compute="_compute_figures",
        help="Patients' waits whose messages read as a clinical question (routed to the "
        "dentist), and of them the urgent ones (a dental emergency).",
    )
    dentist_text = fields.Char(
        "Taken by a Dentist",
        compute="_compute_figures",
        help="Clinical and urgent waits a dentist took (opened the conversation or answered "
        "it), and the median opening minutes until then.",
    )
    payment_text = fields.Char(
        "Payment Reminders Sent",
        compute="_compute_figures",
        help="Payment reminders that reached WhatsApp this month.",
    )
    paid_text = fields.Char(
        "Paid Within 7 Days",
        compute="_compute_figures",
        help="Of the payment reminders whose 7 days are over: the invoice is paid (Paid or "
        "In Payment) and its last payment is dated at most 7 days after the day the "
        "reminder left. Reminders of the last 7 days are not counted yet.",
    )
    cost_text = fields.Char(
        "Estimated Messaging Cost",
        compute="_compute_figures",
        help="Messages Meta priced (from its status webhooks) and charged, times the price "
        "per category set on the WhatsApp account (Message Prices), in the practice's "
        "currency. An estimate: Meta's invoice is what counts.",
    )
    cost_lines = fields.Text("Cost by Category", compute="_compute_figures")

    @api.model
    def _lang_selection(self):
        return self.env["res.lang"].get_installed()

    @api.depends("month")
    def _compute_period(self):
        for summary in self:
            first = (summary.month or fields.Date.today()).replace(day=1)
            summary.date_from = first
            summary.date_to = first + relativedelta(months=1, days=-1)

    @api.depends(*FILTERS)
    def _compute_figures(self):
        for summary in self:
            texts = summary._wa_texts(summary._wa_figures())
            for name in FIGURE_FIELDS:
                summary[name] = texts[name]

    def _wa_figures(self):
        self.ensure_one()
        return self.env["dental.whatsapp.outcome"]._wa_figures(
            self.date_from,
            self.date_to,
            dentist=self.dentist_id,
            appointment_type=self.appointment_type_id,
            lang=self.lang or None,
        )

    # ------------------------------------------------------------------ in words
    @api.model
    def _wa_texts(self, figures):
        """The figures as a dentist reads them ("4 of 7 asked (57.1 %)")."""

        def number(value):  # the user's language's decimal separator
            return formatLang(self.env, value, digits=1)

        def percent(value):
            return NO_FIGURE if value is None else f"{number(value)} %"

        def minutes(value):
            return NO_FIGURE if value is None else self.env._("%s min", number(value))

        def share(part, whole, rate):
            return self.env._(
                "%(part)s of %(whole)s (%(rate)s)", part=part, whole=whole, rate=percent(rate)
            )

        def no_shows(split):
            return share(split["no_shows"], split["marked"], split["rate"])

        currency = figures["currency"]
        # Meta's categories as the account's usage lines name them (the same terms: the
        # same translations).
        labels = {
            "marketing": _("Marketing"),
            "utility": _("Utility"),
            "authentication": _("Authentication"),
            "service": _("Service"),
        }
        lines = []
        for category, line in sorted((figures["cost_by_category"] or {}).items()):
            lines.append(  # (a loop, not a comprehension: _() reads its caller's frame)
                _(
                    "%(category)s: %(billable)s charged of %(messages)s, %(cost)s",
                    category=labels.get(category, category),
                    billable=line["billable"],
                    messages=line["messages"],
                    cost=format_amount(self.env, line["cost"], currency),
                )
            )
        asked = figures["asked"]
        texts = {
            "reminders_sent": figures["reminders_sent"],
            "confirmation_text": share(figures["confirmed"], asked, figures["confirmation_rate"]),
            "reschedule_text": share(figures["rescheduled"], asked, figures["reschedule_rate"]),
            "cancel_text": share(figures["cancelled"], asked, figures["cancel_rate"]),
            "no_show_confirmed_text": no_shows(figures["no_show_confirmed"]),
            "no_show_unanswered_text": no_shows(figures["no_show_unanswered"]),
            "no_show_none_text": no_shows(figures["no_show_none"]),
            "no_show_text": no_shows(figures["no_show"]),
            "response_text": _(
                "%(median)s, over %(answered)s answers",
                median=minutes(figures["response_median"]),
                answered=figures["answered"],
            ),
            "late_text": share(figures["late"], figures["answered"], figures["late_rate"]),
            "clinical_text": _(
                "%(clinical)s, of which %(urgent)s urgent",
                clinical=figures["clinical"],
                urgent=figures["urgent"],
            ),
            "dentist_text": _(
                "%(taken)s of %(clinical)s, median %(median)s",
                taken=figures["dentist_taken"],
                clinical=figures["clinical"],
                median=minutes(figures["dentist_median"]),
            ),
            "payment_text": str(figures["payment_reminders"]),
            "paid_text": share(
                figures["paid_within_7_days"], figures["payment_decided"], figures["paid_rate"]
            ),
            "cost_text": _(
                "%(cost)s for %(billable)s charged of %(messages)s priced messages",
                cost=format_amount(self.env, figures["cost"] or 0, currency),
                billable=figures["billable_messages"],
                messages=figures["priced_messages"],
            ),
            "cost_lines": "\n".join(lines) or _("No message priced by Meta."),
        }
        # Under a dentist / appointment type filter, the facts that have none are not
        # applicable (not 0).
        not_split = {
            "dentist": _("%s (not split by dentist)", NO_FIGURE),
            "appointment_type": _("%s (not split by appointment type)", NO_FIGURE),
        }
        for section, by in figures.get("not_split", {}).items():
            for name in SECTION_TEXTS[section]:
                texts[name] = not_split[by]
        return texts

    # ------------------------------------------------------------------ buttons
    def action_print(self):
        """The month's page for the practice owner (PDF)."""
        self.ensure_one()
        self.env["dental.whatsapp.outcome"]._wa_check_rights()
        return self.env.ref("dental_whatsapp.action_report_outcome_summary").report_action(self)

    def action_open_analysis(self):
        """The same facts in the pivot, filtered the same way."""
        self.ensure_one()
        Outcome = self.env["dental.whatsapp.outcome"]
        Outcome._wa_check_rights()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "dental_whatsapp.action_dental_whatsapp_outcome"
        )
        action["domain"] = Outcome._wa_domain(
            self.date_from, self.date_to, self.dentist_id, self.appointment_type_id, self.lang
        )
        return action


class ReportOutcomeSummary(models.AbstractModel):
    _name = "report.dental_whatsapp.report_outcome_summary"
    _description = "What the WhatsApp Messages Achieve (PDF)"

    @api.model
    def _get_report_values(self, docids, data=None):
        # The report is health-practice data: the dental groups only, checked here for
        # every way of printing it.
        self.env["dental.whatsapp.outcome"]._wa_check_rights()
        docs = self.env["dental.whatsapp.outcome.summary"].browse(docids)
        docs.check_access("read")
        return {"doc_ids": docids, "doc_model": docs._name, "docs": docs}
