"""What the messages achieve: one row per fact, as a SQL view, and the one method that
turns the rows into the figures the summary, the PDF and the tests show.

Kinds of fact (each row has the month's day it belongs to, in the practice's time zone,
and the patient's language; appointments and their messages also the dentist and the
type). A measure is NULL where it does not apply, so the pivot's average of a 100 / 0
measure is a rate over the rows it applies to:

* ``appointment``: an appointment with a patient (archived ones only when the patient
  answered or cancelled), on its day. ``asked``: a confirmation request reached
  WhatsApp. ``confirmed`` / ``rescheduled`` / ``cancelled`` (asked ones only): the
  patient's last answer (recorded from the reply; for older appointments read from the
  confirmation state, only when the patient wrote after the request: a booking or the
  desk sets that state too). The practice: the company of the account that wrote to the
  patient, else the appointment type's, else the creator's (see ``appointment``).
  ``no_show*`` (attendance marked only: Attended / Did Not Attend): overall, and split
  by the reminder: confirmed, sent but not answered, none sent.
* ``reminder``: an appointment reminder or confirmation request that reached WhatsApp
  (sent, delivered or read), on the day it left.
* ``conversation``: a patient's wait for the practice (dental.whatsapp.response), on the
  day they wrote: the answer time in opening minutes, late or not, clinical / urgent,
  and how long until a dentist took a clinical or urgent one.
* ``payment``: a payment reminder that reached WhatsApp; ``paid_7d`` 100 when the
  invoice is paid (Paid / In Payment) and its last payment is dated at most 7 days after
  the day the reminder left, 0 when not, NULL while those 7 days are not over.
* ``cost``: an outgoing message Meta priced (its status gave a pricing category), on
  the day it left; ``cost`` = the account's price for the category when Meta charges
  it, else 0.
"""

from odoo import _, api, fields, models, tools
from odoo.exceptions import AccessError
from odoo.tools import SQL
from odoo.tools.sql import create_index

from ..const import GROUP_DENTIST, TEMPLATE_CONFIRMATION, TEMPLATE_REMINDER
from ..tools import outcome_stats

KINDS = [
    ("appointment", "Appointment"),
    ("reminder", "Reminder Sent"),
    ("conversation", "Patient Waiting for an Answer"),
    ("payment", "Payment Reminder Sent"),
    ("cost", "Priced Message"),
]
REMINDER_GROUPS = [
    ("confirmed", "Reminder Confirmed"),
    ("unanswered", "Reminder Not Answered"),
    ("none", "No Reminder"),
    ("other", "Answered: Reschedule or Cancel"),
]
# What reached WhatsApp.
SENT_STATES = ("sent", "delivered", "read")
# Meta's pricing categories with a price on the account (the others cost 0 here).
PRICED_CATEGORIES = ("marketing", "utility", "authentication", "service")
PAID_WITHIN_DAYS = 7
# The figures of the facts that are not split by dentist or appointment type (payments)
# or only by dentist (the patients' waits), by section.
UNSPLIT_FIGURES = {
    "payments": ("payment_reminders", "payment_decided", "paid_within_7_days", "paid_rate"),
    "waits": (
        "waits",
        "answered",
        "response_median",
        "late",
        "late_rate",
        "clinical",
        "urgent",
        "dentist_taken",
        "dentist_median",
    ),
    "cost": ("priced_messages", "billable_messages", "cost", "cost_by_category"),
}


class DentalWhatsappOutcome(models.Model):
    _name = "dental.whatsapp.outcome"
    _description = "What the WhatsApp Messages Achieve"
    _auto = False
    _order = "date desc, id desc"
    _rec_name = "kind"

    kind = fields.Selection(KINDS, readonly=True)
    date = fields.Date(readonly=True, help="The day of the fact, in the practice's time zone.")
    company_id = fields.Many2one("res.company", "Practice", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    dentist_id = fields.Many2one("res.users", readonly=True)
    appointment_type_id = fields.Many2one("dental.whatsapp.appointment.type", readonly=True)
    lang = fields.Selection("_lang_selection", "Patient's Language", readonly=True)
    partner_id = fields.Many2one("res.partner", "Patient", readonly=True)
    reminder_group = fields.Selection(REMINDER_GROUPS, "Reminder", readonly=True)
    pricing_category = fields.Char("Meta Pricing Category", readonly=True)

    fact_count = fields.Integer("Count", readonly=True, aggregator="sum")
    appointment_count = fields.Integer("Appointments", readonly=True, aggregator="sum")
    asked = fields.Integer("Asked to Confirm", readonly=True, aggregator="sum")
    confirmed = fields.Float(
        "Confirmed (%)", readonly=True, aggregator="avg", help="Of the appointments asked."
    )
    rescheduled = fields.Float("Reschedule Asked (%)", readonly=True, aggregator="avg")
    cancelled = fields.Float("Cancelled by Reply (%)", readonly=True, aggregator="avg")
    no_show = fields.Float(
        "No-Show (%)", readonly=True, aggregator="avg", help="Of the attendances marked."
    )
    no_show_confirmed = fields.Float(
        "No-Show, Reminder Confirmed (%)", readonly=True, aggregator="avg"
    )
    no_show_unanswered = fields.Float(
        "No-Show, Reminder Not Answered (%)", readonly=True, aggregator="avg"
    )
    no_show_none = fields.Float("No-Show, No Reminder (%)", readonly=True, aggregator="avg")
    reminder_count = fields.Integer("Reminders Sent", readonly=True, aggregator="sum")
    wait_count = fields.Integer("Patients Waiting", readonly=True, aggregator="sum")
    answer_count = fields.Integer("Answered", readonly=True, aggregator="sum")
    response_minutes = fields.Float(
        "Answer Time (Opening Minutes)", readonly=True, aggregator="avg"
    )
    late_count = fields.Integer("Answered Late", readonly=True, aggregator="sum")
    clinical_count = fields.Integer("Clinical Messages", readonly=True, aggregator="sum")
    urgent_count = fields.Integer("Urgent Messages", readonly=True, aggregator="sum")
    dentist_taken_count = fields.Integer("Taken by a Dentist", readonly=True, aggregator="sum")
    dentist_minutes = fields.Float(
        "Taken by a Dentist After (Opening Minutes)", readonly=True, aggregator="avg"
    )
    payment_reminder_count = fields.Integer(
        "Payment Reminders Sent", readonly=True, aggregator="sum"
    )
    paid_7d = fields.Float(
        "Paid Within 7 Days (%)",
        readonly=True,
        aggregator="avg",
        help="Of the payment reminders whose 7 days are over: the invoice is paid (Paid or "
        "In Payment) and its last payment is dated at most 7 days after the day the "
        "reminder left.",
    )
    message_count = fields.Integer("Priced Messages", readonly=True, aggregator="sum")
    billable_count = fields.Integer("Charged by Meta", readonly=True, aggregator="sum")
    cost = fields.Monetary(
        "Estimated Cost",
        readonly=True,
        aggregator="sum",
        help="Charged messages times the price per category set on the WhatsApp account.",
    )

    @api.model
    def _lang_selection(self):
        langs = self.env["res.lang"].with_context(active_test=False).search([])
        return [(lang.code, lang.name) for lang in langs]

    # ------------------------------------------------------------------ the view
    def init(self):
        # The view reads an appointment's outgoing messages by (model, res_id); the
        # message model (not this file's) has no such index.
        create_index(
            self.env.cr,
            "dental_whatsapp_message_outcome_index",
            "dental_whatsapp_message",
            ["model", "res_id"],
            where="direction = 'out'",
        )
        tools.drop_view_if_exists(self.env.cr, self._table)
        query = SQL(
            self._wa_query(),
            sent=SENT_STATES,
            shipped_reminders=(TEMPLATE_REMINDER, TEMPLATE_CONFIRMATION),
            days=PAID_WITHIN_DAYS,
        )
        self.env.cr.execute(
            SQL("CREATE OR REPLACE VIEW %s AS (%s)", SQL.identifier(self._table), query)
        )

    @api.model
    def _wa_query(self):
        # The values are bound parameters (see init).
        return """
        WITH practice AS (
            SELECT c.id AS company_id, c.currency_id,
                   COALESCE(rc.tz, cp.tz, 'UTC') AS tz
              FROM res_company c
              LEFT JOIN resource_calendar rc ON rc.id = c.resource_calendar_id
              LEFT JOIN res_partner cp ON cp.id = c.partner_id
        ),
        reminder_template AS (
            SELECT t.id FROM dental_whatsapp_template t
             WHERE t.name IN %(shipped_reminders)s
                OR t.name IN (SELECT rt.name FROM dental_whatsapp_reminder_rule r
                                JOIN dental_whatsapp_template rt ON rt.id = r.template_id)
        ),
        confirmation_template AS (
            SELECT DISTINCT b.template_id AS id FROM dental_whatsapp_template_button b
             WHERE lower(b.payload) = 'dwa:confirm'
        ),
        -- Only the columns the facts read (a CTE read several times is materialized
        -- with every column it selects: no bodies here).
        sent AS (
            SELECT m.id, m.company_id, m.account_id, m.partner_id, m.model, m.res_id,
                   m.template_id, m.pricing_category, m.pricing_billable,
                   COALESCE(m.sent_date, m.create_date) AS left_at
              FROM dental_whatsapp_message m
             WHERE m.direction = 'out' AND m.state IN %(sent)s
        ),
        -- What reached each appointment's patient, in one pass over the messages
        -- (not a subquery per appointment).
        event_message AS (
            SELECT m.res_id AS event_id,
                   bool_or(m.template_id IN (SELECT id FROM reminder_template)) AS reminded,
                   bool_or(m.template_id IN (SELECT id FROM confirmation_template))
                       AS was_asked,
                   min(m.left_at) FILTER (
                       WHERE m.template_id IN (SELECT id FROM confirmation_template))
                       AS asked_at,
                   (array_agg(m.company_id ORDER BY m.left_at DESC, m.id DESC))[1]
                       AS company_id
              FROM sent m
             WHERE m.model = 'calendar.event'
               AND (m.template_id IN (SELECT id FROM reminder_template)
                    OR m.template_id IN (SELECT id FROM confirmation_template))
             GROUP BY m.res_id
        ),
        -- Each patient's last message to the practice (older appointments' answers).
        patient_wrote AS (
            SELECT i.partner_id, max(COALESCE(i.received_date, i.create_date)) AS last_at
              FROM dental_whatsapp_message i
             WHERE i.direction = 'in' AND i.partner_id IS NOT NULL
             GROUP BY i.partner_id
        ),
        appointment AS (
            SELECT e.id, e.start, e.patient_id, e.wa_dentist_id, e.wa_appointment_type_id,
                   e.wa_attendance,
                   -- The practice: calendar.event has no company. Not the users' current
                   -- company (res_users.company_id is whichever practice they last
                   -- switched to): the company of the account that sent the appointment's
                   -- reminder / confirmation request (the latest), else the appointment
                   -- type's practice, else, as a last resort, the company of the user who
                   -- created the appointment. Never "the first company": a row whose
                   -- practice is unknown has none (the record rule shows it to all).
                   COALESCE(em.company_id, kind.company_id, creator.company_id)
                       AS practice_id,
                   COALESCE(em.reminded, FALSE) AS reminded,
                   COALESCE(em.was_asked, FALSE) AS was_asked,
                   -- The patient's answer: the one recorded from their reply
                   -- (wa_patient_answer). Appointments answered before that field existed
                   -- only have the confirmation state, which a booking or the desk also
                   -- sets without any reply: it counts only when a confirmation request
                   -- was sent and the patient wrote to the practice after it.
                   COALESCE(e.wa_patient_answer,
                            CASE WHEN em.asked_at IS NOT NULL AND pw.last_at >= em.asked_at
                                 THEN CASE e.wa_confirmation_state
                                     WHEN 'confirmed' THEN 'confirmed'
                                     WHEN 'reschedule_requested' THEN 'reschedule'
                                     WHEN 'cancelled_by_patient' THEN 'cancel' END
                            END) AS answer
              FROM calendar_event e
              LEFT JOIN event_message em ON em.event_id = e.id
              LEFT JOIN patient_wrote pw ON pw.partner_id = e.patient_id
              LEFT JOIN dental_whatsapp_appointment_type kind
                ON kind.id = e.wa_appointment_type_id
              LEFT JOIN res_users creator ON creator.id = e.create_uid
             WHERE e.patient_id IS NOT NULL
               AND (e.active OR e.wa_patient_answer IS NOT NULL
                    OR e.wa_confirmation_state = 'cancelled_by_patient')
        ),
        appointment_fact AS (
            SELECT a.*,
                   CASE WHEN NOT a.reminded THEN 'none'
                        WHEN a.answer = 'confirmed' THEN 'confirmed'
                        WHEN a.answer IS NULL THEN 'unanswered'
                        ELSE 'other' END AS reminder_group,
                   CASE a.wa_attendance WHEN 'no_show' THEN 100.0 WHEN 'attended' THEN 0.0
                   END AS no_show
              FROM appointment a
        )
        SELECT a.id * 10 + 1 AS id, 'appointment' AS kind,
               ((a.start AT TIME ZONE 'UTC') AT TIME ZONE COALESCE(p.tz, 'UTC'))::date
                   AS date,
               a.practice_id AS company_id, p.currency_id,
               a.wa_dentist_id AS dentist_id, a.wa_appointment_type_id AS appointment_type_id,
               COALESCE(pa.whatsapp_lang, pa.lang) AS lang, a.patient_id AS partner_id,
               a.reminder_group, NULL AS pricing_category,
               1 AS fact_count, 1 AS appointment_count,
               CASE WHEN a.was_asked THEN 1 ELSE 0 END AS asked,
               CASE WHEN a.was_asked THEN
                   CASE WHEN a.answer = 'confirmed' THEN 100.0 ELSE 0.0 END END AS confirmed,
               CASE WHEN a.was_asked THEN
                   CASE WHEN a.answer = 'reschedule' THEN 100.0 ELSE 0.0 END END AS rescheduled,
               CASE WHEN a.was_asked THEN
                   CASE WHEN a.answer = 'cancel' THEN 100.0 ELSE 0.0 END END AS cancelled,
               a.no_show,
               CASE WHEN a.reminder_group = 'confirmed' THEN a.no_show END AS no_show_confirmed,
               CASE WHEN a.reminder_group = 'unanswered' THEN a.no_show END
                   AS no_show_unanswered,
               CASE WHEN a.reminder_group = 'none' THEN a.no_show END AS no_show_none,
               0 AS reminder_count, 0 AS wait_count, 0 AS answer_count,
               NULL::float AS response_minutes, 0 AS late_count, 0 AS clinical_count,
               0 AS urgent_count, 0 AS dentist_taken_count, NULL::float AS dentist_minutes,
               0 AS payment_reminder_count, NULL::float AS paid_7d,
               0 AS message_count, 0 AS billable_count, NULL::numeric AS cost
          FROM appointment_fact a
          LEFT JOIN practice p ON p.company_id = a.practice_id
          LEFT JOIN res_partner pa ON pa.id = a.patient_id

        UNION ALL
        SELECT m.id * 10 + 2, 'reminder',
               ((m.left_at AT TIME ZONE 'UTC') AT TIME ZONE p.tz)::date,
               m.company_id, p.currency_id, e.wa_dentist_id, e.wa_appointment_type_id,
               COALESCE(pa.whatsapp_lang, pa.lang), m.partner_id, NULL, NULL,
               1, 0, 0, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
               1, 0, 0, NULL, 0, 0, 0, 0, NULL, 0, NULL, 0, 0, NULL
          FROM sent m
          JOIN practice p ON p.company_id = m.company_id
          LEFT JOIN calendar_event e ON e.id = m.res_id
          LEFT JOIN res_partner pa ON pa.id = m.partner_id
         WHERE m.model = 'calendar.event'
           AND m.template_id IN (SELECT id FROM reminder_template)

        UNION ALL
        SELECT r.id * 10 + 3, 'conversation',
               ((r.waiting_since AT TIME ZONE 'UTC') AT TIME ZONE p.tz)::date,
               r.company_id, p.currency_id, r.dentist_id, NULL,
               COALESCE(pa.whatsapp_lang, pa.lang), r.partner_id, NULL, NULL,
               1, 0, 0, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
               0, 1,
               CASE WHEN r.answered_date IS NOT NULL THEN 1 ELSE 0 END,
               CASE WHEN r.answered_date IS NOT NULL THEN r.minutes END,
               CASE WHEN r.answered_date IS NOT NULL AND r.late THEN 1 ELSE 0 END,
               CASE WHEN r.triage_label = 'clinical' OR r.triage_urgent THEN 1 ELSE 0 END,
               CASE WHEN r.triage_urgent THEN 1 ELSE 0 END,
               CASE WHEN r.dentist_taken_date IS NOT NULL THEN 1 ELSE 0 END,
               CASE WHEN r.dentist_taken_date IS NOT NULL THEN r.dentist_minutes END,
               0, NULL, 0, 0, NULL
          FROM dental_whatsapp_response r
          JOIN practice p ON p.company_id = r.company_id
          LEFT JOIN res_partner pa ON pa.id = r.partner_id

        UNION ALL
        SELECT pr.id * 10 + 4, 'payment', pay.day, m.company_id, p.currency_id, NULL, NULL,
               COALESCE(pa.whatsapp_lang, pa.lang), m.partner_id, NULL, NULL,
               1, 0, 0, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
               0, 0, 0, NULL, 0, 0, 0, 0, NULL,
               1,
               CASE WHEN am.payment_state IN ('paid', 'in_payment')
                         AND pay.paid_on <= pay.day + %(days)s THEN 100.0
                    WHEN pay.day + %(days)s < (now() AT TIME ZONE p.tz)::date THEN 0.0
               END,
               0, 0, NULL
          FROM dental_whatsapp_payment_reminder pr
          JOIN sent m ON m.id = pr.message_id
          JOIN practice p ON p.company_id = m.company_id
          JOIN account_move am ON am.id = pr.move_id
          LEFT JOIN res_partner pa ON pa.id = m.partner_id
          CROSS JOIN LATERAL (
              SELECT ((m.left_at AT TIME ZONE 'UTC') AT TIME ZONE p.tz)::date AS day,
                     (SELECT max(apr.max_date)
                        FROM account_move_line aml
                        JOIN account_partial_reconcile apr
                          ON apr.debit_move_id = aml.id OR apr.credit_move_id = aml.id
                       WHERE aml.move_id = am.id AND aml.display_type = 'payment_term')
                         AS paid_on
          ) pay
         WHERE pr.state = 'queued'

        UNION ALL
        SELECT m.id * 10 + 5, 'cost',
               ((m.left_at AT TIME ZONE 'UTC') AT TIME ZONE p.tz)::date,
               m.company_id, p.currency_id,
               CASE WHEN m.model = 'calendar.event' THEN e.wa_dentist_id END,
               CASE WHEN m.model = 'calendar.event' THEN e.wa_appointment_type_id END,
               COALESCE(pa.whatsapp_lang, pa.lang), m.partner_id, NULL, m.pricing_category,
               1, 0, 0, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
               0, 0, 0, NULL, 0, 0, 0, 0, NULL, 0, NULL,
               1,
               CASE WHEN m.pricing_billable THEN 1 ELSE 0 END,
               CASE WHEN NOT COALESCE(m.pricing_billable, FALSE) THEN 0
                    WHEN m.pricing_category = 'marketing' THEN COALESCE(acc.price_marketing, 0)
                    WHEN m.pricing_category = 'utility' THEN COALESCE(acc.price_utility, 0)
                    WHEN m.pricing_category = 'authentication'
                        THEN COALESCE(acc.price_authentication, 0)
                    WHEN m.pricing_category = 'service' THEN COALESCE(acc.price_service, 0)
                    ELSE 0 END
          FROM sent m
          JOIN practice p ON p.company_id = m.company_id
          JOIN dental_whatsapp_account acc ON acc.id = m.account_id
          LEFT JOIN calendar_event e ON e.id = m.res_id AND m.model = 'calendar.event'
          LEFT JOIN res_partner pa ON pa.id = m.partner_id
         WHERE m.pricing_category IS NOT NULL
        """

    # ------------------------------------------------------------------ the figures
    @api.model
    def _wa_check_rights(self):
        if not self.env.su and not self.env.user.has_group(GROUP_DENTIST):
            raise AccessError(
                _("Only the practice's dentists and managers see what the messages achieve.")
            )

    @api.model
    def _wa_domain(self, date_from, date_to, dentist=None, appointment_type=None, lang=None):
        domain = [("date", ">=", date_from), ("date", "<=", date_to)]
        if dentist:
            domain.append(("dentist_id", "=", dentist.id))
        if appointment_type:
            domain.append(("appointment_type_id", "=", appointment_type.id))
        if lang:
            domain.append(("lang", "=", lang))
        return domain

    @api.model
    def _wa_figures(self, date_from, date_to, dentist=None, appointment_type=None, lang=None):
        """Every figure of "what the messages achieve" from ``date_from`` to ``date_to``
        (days, both included), narrowed to a dentist, an appointment type and a patient
        language when given (a filter keeps only the facts that have one). Rates are
        percentages (None when there is nothing to count); times are opening minutes.
        Read from the view with the user's rights: the pivot shows the same."""
        self._wa_check_rights()
        # The view reads the tables of other models: what this transaction changed in
        # them must be in the database first.
        self.env.flush_all()
        domain = self._wa_domain(date_from, date_to, dentist, appointment_type, lang)
        measures = [
            "fact_count:sum",
            "asked:sum",
            "confirmed:sum",
            "rescheduled:sum",
            "cancelled:sum",
            "no_show:count",
            "no_show:sum",
            "no_show_confirmed:count",
            "no_show_confirmed:sum",
            "no_show_unanswered:count",
            "no_show_unanswered:sum",
            "no_show_none:count",
            "no_show_none:sum",
            "answer_count:sum",
            "late_count:sum",
            "clinical_count:sum",
            "urgent_count:sum",
            "dentist_taken_count:sum",
            "paid_7d:count",
            "paid_7d:sum",
            "message_count:sum",
            "billable_count:sum",
            "cost:sum",
        ]
        totals = {kind: dict.fromkeys(measures, 0) for kind, _label in KINDS}
        for kind, *values in self._read_group(domain, ["kind"], measures):
            totals[kind] = dict(zip(measures, (v or 0 for v in values), strict=True))
        appointments, conversations = totals["appointment"], totals["conversation"]
        payments, costs = totals["payment"], totals["cost"]

        def count(measure, kind=appointments):
            return round((kind[measure] or 0) / 100)  # a 100 / 0 measure's sum

        def split(measure):
            shown, marked = count(f"{measure}:sum"), appointments[f"{measure}:count"]
            return {"no_shows": shown, "marked": marked, "rate": outcome_stats.rate(shown, marked)}

        asked = appointments["asked:sum"]
        confirmed = count("confirmed:sum")
        rescheduled = count("rescheduled:sum")
        cancelled = count("cancelled:sum")
        answered = conversations["answer_count:sum"]
        paid = count("paid_7d:sum", payments)
        by_category = {}
        for category, messages, billable, cost in self._read_group(
            [*domain, ("kind", "=", "cost")],
            ["pricing_category"],
            ["message_count:sum", "billable_count:sum", "cost:sum"],
        ):
            by_category[category] = {"messages": messages, "billable": billable, "cost": cost}
        company = self.env.company
        figures = {
            "date_from": date_from,
            "date_to": date_to,
            "reminders_sent": totals["reminder"]["fact_count:sum"],
            "appointments": appointments["fact_count:sum"],
            "asked": asked,
            "confirmed": confirmed,
            "confirmation_rate": outcome_stats.rate(confirmed, asked),
            "rescheduled": rescheduled,
            "reschedule_rate": outcome_stats.rate(rescheduled, asked),
            "cancelled": cancelled,
            "cancel_rate": outcome_stats.rate(cancelled, asked),
            "no_show": split("no_show"),
            "no_show_confirmed": split("no_show_confirmed"),
            "no_show_unanswered": split("no_show_unanswered"),
            "no_show_none": split("no_show_none"),
            "waits": conversations["fact_count:sum"],
            "answered": answered,
            "response_median": self._wa_median(domain, "answer_count", "response_minutes"),
            "late": conversations["late_count:sum"],
            "late_rate": outcome_stats.rate(conversations["late_count:sum"], answered),
            "clinical": conversations["clinical_count:sum"],
            "urgent": conversations["urgent_count:sum"],
            "dentist_taken": conversations["dentist_taken_count:sum"],
            "dentist_median": self._wa_median(domain, "dentist_taken_count", "dentist_minutes"),
            "payment_reminders": payments["fact_count:sum"],
            "payment_decided": payments["paid_7d:count"],
            "paid_within_7_days": paid,
            "paid_rate": outcome_stats.rate(paid, payments["paid_7d:count"]),
            "priced_messages": costs["message_count:sum"],
            "billable_messages": costs["billable_count:sum"],
            "cost": costs["cost:sum"],
            "cost_by_category": by_category,
            "currency": company.currency_id,
            "not_split": {},
        }
        # Facts with no dentist / no appointment type (an invoice, a conversation, a
        # greeting) would read 0 under such a filter: not applicable, None.
        unsplit = {
            "payments": ("dentist" if dentist else None)
            or ("appointment_type" if appointment_type else None),
            "waits": "appointment_type" if appointment_type else None,
            "cost": ("dentist" if dentist else None)
            or ("appointment_type" if appointment_type else None),
        }
        for section, by in unsplit.items():
            if by:
                figures["not_split"][section] = by
                for name in UNSPLIT_FIGURES[section]:
                    figures[name] = None
        return figures

    @api.model
    def _wa_median(self, domain, flag, measure):
        """The median of ``measure`` over the conversation rows where ``flag`` is 1."""
        rows = self.search_read(
            [*domain, ("kind", "=", "conversation"), (flag, "=", 1)], [measure], order="id"
        )
        return outcome_stats.median(row[measure] for row in rows)
