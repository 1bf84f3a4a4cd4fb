"""Demo history for "what the messages achieve": three months of past appointments with
their reminders, answers and attendance, patients' waits for an answer, payment
reminders and priced messages. Every message is already in its final state (nothing
is sent); the pattern is fixed, only the dates follow the day the demo is loaded."""

from datetime import datetime, time, timedelta, timezone

from dateutil.relativedelta import relativedelta
from odoo import Command, api, fields, models

# (reminder, answer, attendance) of each demo appointment, in turn; reminder: None (no
# reminder), "ask" (a confirmation request).
PATTERN = [
    ("ask", "confirmed", "attended"),
    ("ask", None, "no_show"),
    (None, None, "attended"),
    ("ask", "confirmed", "attended"),
    ("ask", None, "attended"),
    (None, None, "no_show"),
    ("ask", "confirmed", "attended"),
    ("ask", "reschedule", "attended"),
    (None, None, "attended"),
    ("ask", "confirmed", "no_show"),
    ("ask", None, "no_show"),
    ("ask", "cancel", None),
]
# Opening minutes until the first answer, and the triage of the patient's message.
WAITS = [(6, "admin", False), (14, "other", False), (45, "clinical", False), (3, "clinical", True)]


class DentalWhatsappOutcome(models.Model):
    _inherit = "dental.whatsapp.outcome"

    @api.model
    def _wa_load_demo(self):
        env = self.sudo().env
        ref = env.ref
        account = ref("dental_whatsapp.demo_account", raise_if_not_found=False)
        if not account:
            return
        company = account.company_id
        tz = company._wa_practice_tz()
        patients = [
            ref(f"dental_whatsapp.demo_patient_{name}", raise_if_not_found=False)
            for name in ("maria", "carlos", "giulia", "emma")
        ]
        patients = [p for p in patients if p]
        dentists = [
            user
            for user in (ref("base.user_admin"), ref("base.user_demo", raise_if_not_found=False))
            if user
        ]
        types = [
            ref(f"dental_whatsapp.appointment_type_{name}", raise_if_not_found=False)
            for name in ("checkup", "hygiene", "extraction")
        ]
        types = [t for t in types if t]
        Template = env["dental.whatsapp.template"]
        confirmation = Template.search(
            [("name", "=", "appointment_confirmation"), ("button_ids", "!=", False)], limit=1
        )
        Message = env["dental.whatsapp.message"]
        Event = env["calendar.event"].with_context(
            no_mail_to_attendees=True, mail_create_nosubscribe=True, wa_no_rearm=True
        )
        today = company._wa_today()

        def at(day, hour):
            local = tz.localize(datetime.combine(day, time(hour)))
            return local.astimezone(timezone.utc).replace(tzinfo=None)

        def out_message(partner, when, record, *, template=None, category="utility", billable=True):
            return Message.create(
                {
                    "account_id": account.id,
                    "direction": "out",
                    "partner_id": partner.id,
                    "recipient_partner_id": partner.id,
                    "number": partner.whatsapp_number,
                    "template_id": template.id if template else False,
                    "body": template.body if template else "Demo",
                    "model": record._name,
                    "res_id": record.id,
                    "state": "read",
                    "sent_date": when,
                    "delivered_date": when,
                    "read_date": when + timedelta(minutes=20),
                    "pricing_category": category,
                    "pricing_billable": billable,
                    "pricing_type": "regular" if billable else "free_customer_service",
                }
            )

        first = today.replace(day=1) - relativedelta(months=2)
        index = 0
        for month in range(3):
            start = first + relativedelta(months=month)
            for slot, (reminder, answer, attendance) in enumerate(PATTERN):
                day = start + timedelta(days=2 * slot + 1)
                if day.weekday() >= 5:
                    day += timedelta(days=7 - day.weekday())
                if day >= today:
                    continue  # only appointments already over
                patient = patients[index % len(patients)]
                event = Event.create(
                    {
                        "name": "Demo visit",
                        "start": at(day, 10),
                        "stop": at(day, 10) + timedelta(minutes=30),
                        "partner_ids": [Command.set(patient.ids)],
                        "wa_dentist_id": dentists[index % len(dentists)].id,
                        "wa_appointment_type_id": types[index % len(types)].id if types else False,
                    }
                )
                index += 1
                vals = {"wa_attendance": attendance or False}
                if reminder and confirmation:
                    out_message(
                        patient, at(day - timedelta(days=2), 10), event, template=confirmation
                    )
                if answer:
                    vals["wa_patient_answer"] = answer
                    vals["wa_confirmation_state"] = {
                        "confirmed": "confirmed",
                        "reschedule": "reschedule_requested",
                        "cancel": "cancelled_by_patient",
                    }[answer]
                elif reminder:
                    vals["wa_confirmation_state"] = "no_answer"
                event.with_context(wa_no_rearm=True).write(vals)
            self._wa_demo_waits(account, patients, start, today, at)
        self._wa_demo_payments(
            account, patients, first, today=today, at=at, out_message=out_message
        )

    @api.model
    def _wa_demo_waits(self, account, patients, start, today, at):
        Response = self.env["dental.whatsapp.response"].sudo()
        Conversation = self.env["dental.whatsapp.conversation"].sudo()
        for number, (minutes, label, urgent) in enumerate(WAITS):
            day = start + timedelta(days=3 * number + 2)
            if day.weekday() >= 5:
                day += timedelta(days=7 - day.weekday())
            if day >= today:
                continue
            patient = patients[number % len(patients)]
            conversation = Conversation._wa_for(account, patient)
            wrote = at(day, 11)
            clinical = label == "clinical"
            Response.create(
                {
                    "conversation_id": conversation.id,
                    "company_id": account.company_id.id,
                    "partner_id": patient.id,
                    "waiting_since": wrote,
                    "answered_date": wrote + timedelta(minutes=minutes),
                    "answered_by_id": self.env.ref("base.user_admin").id,
                    "minutes": minutes,
                    "late": minutes > 30,
                    "triage_label": label,
                    "triage_urgent": urgent,
                    "dentist_taken_date": wrote + timedelta(minutes=minutes) if clinical else False,
                    "dentist_minutes": minutes if clinical else 0,
                }
            )

    @api.model
    def _wa_demo_payments(self, account, patients, first, *, today, at, out_message):
        """Three invoices with a payment reminder; the first is paid three days after it,
        the others later."""
        env = self.env
        rule = env.ref("dental_whatsapp.payment_rule_3d", raise_if_not_found=False)
        journal = env["account.journal"].search(
            [("type", "=", "sale"), ("company_id", "=", account.company_id.id)], limit=1
        )
        if not rule or not journal:
            return
        template = rule.template_id
        for number in range(3):
            due = first + timedelta(days=20 * number + 5)
            sent_day = due + timedelta(days=3)
            if sent_day + timedelta(days=11) >= today:
                continue
            patient = patients[number % len(patients)]
            move = (
                env["account.move"]
                .with_context(mail_create_nosubscribe=True)
                .create(
                    {
                        "move_type": "out_invoice",
                        "partner_id": patient.id,
                        "journal_id": journal.id,
                        "invoice_date": due - timedelta(days=30),
                        "invoice_date_due": due,
                        "invoice_line_ids": [
                            Command.create(
                                {
                                    "name": "Demo treatment",
                                    "quantity": 1,
                                    "price_unit": 180.0 + 60 * number,
                                    "tax_ids": [],
                                }
                            )
                        ],
                    }
                )
            )
            move.action_post()
            move.invoice_date_due = due
            message = out_message(patient, at(sent_day, 9), move, template=template)
            env["dental.whatsapp.payment.reminder"].create(
                {
                    "move_id": move.id,
                    "rule_id": rule.id,
                    "state": "queued",
                    "message_id": message.id,
                }
            )
            # The first paid three days after the reminder, the others ten days after:
            # one of three within the week, and no open demo invoice left for the
            # payment reminders to chase.
            paid = sent_day + timedelta(days=3 if number == 0 else 10)
            env["account.payment.register"].with_context(
                active_model="account.move", active_ids=move.ids
            ).create({"payment_date": fields.Date.to_string(paid)})._create_payments()
        # A few greetings priced as marketing, and free answers inside the window.
        for number, patient in enumerate(patients):
            when = at(first + timedelta(days=10 + number), 12)
            out_message(patient, when, patient, category="marketing")
            out_message(
                patient, when + timedelta(hours=1), patient, category="service", billable=False
            )
