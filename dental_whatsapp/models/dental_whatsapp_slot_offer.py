"""Free times offered on WhatsApp: a patient who asks to move an appointment, or someone
new asking for a first visit, chooses one from a list instead of waiting for a call."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from markupsafe import Markup
from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError

from ..const import (
    GROUP_DENTIST,
    GROUP_RECEPTION,
    MAX_SLOT_ROWS,
    OFFER_KINDS,
    OFFER_STATES,
    SAME_DAY_NOTICE_HOURS,
    SLOT_CALL_PAYLOAD,
    SLOT_HORIZON_DAYS,
    SLOT_PAYLOAD,
    SLOT_STEP_MINUTES,
    SLOTS_PER_DAY,
    TEMPLATE_FIRST_VISIT_CONFIRMED,
    TEMPLATE_MOVED,
)
from ..tools import slots as slot_tools
from ..tools.dates import aware, naive_utc


class DentalWhatsappSlotOffer(models.Model):
    """One list of free times sent to a patient, and what became of it. The list is
    the module's own reviewed words (quick replies marked for the booking) and the
    dentist's calendar: nobody types it, so it may leave at night, as the answer to a
    patient who has just written."""

    _name = "dental.whatsapp.slot.offer"
    _description = "Free Times Offered on WhatsApp"
    _order = "id desc"

    kind = fields.Selection(OFFER_KINDS, "Offered For", required=True, readonly=True)
    state = fields.Selection(
        OFFER_STATES, default="offered", required=True, readonly=True, index=True
    )
    partner_id = fields.Many2one(
        "res.partner", "Patient", required=True, readonly=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one("res.company", "Practice", required=True, readonly=True)
    conversation_id = fields.Many2one(
        "dental.whatsapp.conversation", readonly=True, ondelete="set null"
    )
    event_id = fields.Many2one(
        "calendar.event", "Appointment to Move", readonly=True, index=True, ondelete="cascade"
    )
    appointment_type_id = fields.Many2one("dental.whatsapp.appointment.type", readonly=True)
    duration = fields.Float("Duration (Hours)", readonly=True)
    message_id = fields.Many2one("dental.whatsapp.message", "List Sent", readonly=True)
    activity_id = fields.Many2one("mail.activity", "Reception's To-Do", readonly=True)
    slots = fields.Json("Free Times as Sent", readonly=True)
    slot_summary = fields.Text("Free Times", compute="_compute_slot_summary")
    chosen_start = fields.Datetime("Chosen Time", readonly=True)
    chosen_stop = fields.Datetime("End of the Chosen Time", readonly=True)
    chosen_dentist_id = fields.Many2one("res.users", "Dentist", readonly=True)
    booked_event_id = fields.Many2one(
        "calendar.event", "Appointment Booked", readonly=True, ondelete="set null"
    )

    @api.depends("slots")
    def _compute_slot_summary(self):
        for offer in self:
            offer.slot_summary = "\n".join(s["label"] for s in offer.slots or [])

    @api.depends("kind", "partner_id")
    def _compute_display_name(self):
        kinds = dict(self._fields["kind"]._description_selection(self.env))
        for offer in self:
            offer.display_name = f"{kinds.get(offer.kind, '')}: {offer.partner_id.name or ''}"

    # ------------------------------------------------------------------ calendars
    def _wa_tz(self, company):
        return ZoneInfo(str(company._wa_practice_tz()))

    @api.model
    def _wa_busy(self, dentists, start, end, tz, exclude_event=None):
        """{dentist id: [(start, end), ...]}: when each dentist is taken between ``start``
        and ``end`` (aware): their busy appointments (as attendee, organiser or dentist;
        not those the patient cancelled on WhatsApp),
        the new times held for reception to accept, and their own time off."""
        busy = {dentist.id: [] for dentist in dentists}
        Event = self.env["calendar.event"].sudo()
        domain = [
            ("start", "<", naive_utc(end)),
            ("stop", ">", naive_utc(start - timedelta(days=1))),
            ("show_as", "=", "busy"),
            # A patient who said they are not coming frees the chair.
            ("wa_confirmation_state", "!=", "cancelled_by_patient"),
            "|",
            "|",
            ("partner_ids", "in", dentists.partner_id.ids),
            ("user_id", "in", dentists.ids),
            ("wa_dentist_id", "in", dentists.ids),
        ]
        if exclude_event:
            domain.append(("id", "!=", exclude_event.id))
        for event in Event.search(domain):
            if event.allday:
                first = datetime.combine(event.start_date, datetime.min.time(), tz)
                last = datetime.combine(event.stop_date, datetime.min.time(), tz)
                interval = (first, last + timedelta(days=1))
            else:
                interval = (aware(event.start), aware(event.stop))
            taken = event.partner_ids.user_ids | event.user_id | event.wa_dentist_id
            for dentist in dentists & taken:
                busy[dentist.id].append(interval)
        held = self.sudo().search(
            [("state", "=", "proposed"), ("chosen_dentist_id", "in", dentists.ids)]
        )
        for offer in held:
            if offer.event_id != exclude_event:
                busy[offer.chosen_dentist_id.id].append(
                    (aware(offer.chosen_start), aware(offer.chosen_stop))
                )
        leaves = (
            self.env["resource.calendar.leaves"]
            .sudo()
            .search(
                [
                    ("resource_id.user_id", "in", dentists.ids),
                    ("date_from", "<", naive_utc(end)),
                    ("date_to", ">", naive_utc(start)),
                ]
            )
        )
        for leave in leaves:
            busy[leave.resource_id.user_id.id].append(
                (aware(leave.date_from), aware(leave.date_to))
            )
        return busy

    @api.model
    def _wa_openings(self, company):
        """(openings, earliest start): the practice's opening hours ahead (holidays and
        the lunch break left out) and the first moment the minimum notice allows."""
        now = aware(fields.Datetime.now())
        openings = company._wa_opening_intervals(now, days=SLOT_HORIZON_DAYS) or []
        earliest = slot_tools.earliest_start(
            now,
            openings,
            self._wa_tz(company),
            notice_days=company.wa_booking_notice_days,
            notice_hours=SAME_DAY_NOTICE_HOURS,
        )
        return openings, earliest

    @api.model
    def _wa_free_slots(self, company, dentists, duration, exclude_event=None):
        """The next free times of ``dentists`` (in order of preference) lasting
        ``duration`` hours, at most nine, spread over the days."""
        openings, earliest = self._wa_openings(company)
        if not earliest or not dentists:
            return []
        now = aware(fields.Datetime.now())
        busy = self._wa_busy(
            dentists,
            now,
            now + timedelta(days=SLOT_HORIZON_DAYS),
            self._wa_tz(company),
            exclude_event=exclude_event,
        )
        exclude = [aware(exclude_event.start)] if exclude_event else []
        return slot_tools.free_slots(
            openings,
            busy,
            timedelta(hours=duration),
            earliest,
            self._wa_tz(company),
            step=timedelta(minutes=SLOT_STEP_MINUTES),
            limit=MAX_SLOT_ROWS,
            per_day=SLOTS_PER_DAY,
            exclude=exclude,
        )

    def _wa_still_free(self, start, stop, dentist):
        """Whether the chosen time is still free, asked again the moment it is chosen."""
        self.ensure_one()
        openings, earliest = self._wa_openings(self.company_id)
        if not earliest:
            return False
        tz = self._wa_tz(self.company_id)
        busy = self._wa_busy(dentist, start, stop, tz, exclude_event=self.event_id)[dentist.id]
        return slot_tools.slot_is_free(start, stop, openings, busy, earliest)

    def _wa_lock_diaries(self, dentists):
        """Two patients choosing the same time at once: each booking rewrites the
        dentist's row first, so the second transaction fails on a concurrent update and
        is tried again (the webhook events are), then sees the first booking."""
        if dentists:
            self.env.cr.execute(
                "UPDATE res_users SET write_date = write_date WHERE id IN %s",
                [tuple(dentists.ids)],
            )

    # ------------------------------------------------------------------ texts
    @api.model
    def _wa_text(self, usage, partner, company, **values):
        """The reviewed text for ``usage`` in the patient's language, {time} and
        {dentist} filled in; None when the practice has none (then nothing is sent)."""
        lang = partner._wa_lang()
        reply = (
            self.env["dental.whatsapp.quick.reply"]
            .sudo()
            .with_context(lang=lang)
            .search(
                [("usage", "=", usage), ("company_id", "in", (company.id, False))],
                order="company_id, sequence, id",
                limit=1,
            )
        )
        if not reply:
            return None
        text = reply.body
        for key, value in values.items():
            text = text.replace("{" + key + "}", value or "")
        return text

    def _wa_when(self, start, lang):
        """The appointment time in words: "giovedì 26 novembre alle 10:30"."""
        self.ensure_one()
        holder = self.event_id or self.booked_event_id or self.env["calendar.event"]
        return holder._wa_format_datetime(naive_utc(start), lang)

    # ------------------------------------------------------------------ offering
    @api.model
    def _wa_offer_new_time(self, event, message, activity=None):
        """The patient asked to move ``event``: the free times of the same dentist and
        length, if the practice lets patients choose. Returns the offer (or none)."""
        company = event._wa_company()
        if not company.wa_booking_reschedule or not event.patient_id:
            return self.browse()
        organiser = event.user_id
        dentist = event.wa_dentist_id or (
            organiser if organiser and organiser._has_group(GROUP_DENTIST) else organiser.browse()
        )
        if not dentist:
            event.sudo().message_post(
                body=_("No free times were offered: the appointment has no dentist."),
                subtype_xmlid="mail.mt_note",
            )
            return self.browse()
        return self._wa_offer(
            "reschedule",
            event.patient_id,
            company,
            dentist,
            event.duration or 0.5,
            "slots_move",
            message,
            event=event,
            activity=activity,
        )

    @api.model
    def _wa_offer_first_visit(self, conversation, message):
        """Someone new wrote: the free first-visit times, once per enquiry."""
        company = conversation.company_id
        if not company.wa_booking_first_visit or not conversation.partner_id:
            return self.browse()
        if self.sudo().search_count([("conversation_id", "=", conversation.id)]):
            return self.browse()
        kind = (
            self.env["dental.whatsapp.appointment.type"]
            .sudo()
            .search(
                [("first_visit", "=", True), ("company_id", "in", (company.id, False))],
                limit=1,
            )
        )
        if not kind:
            return self.browse()
        offer = self._wa_offer(
            "first_visit",
            conversation.partner_id,
            company,
            self._wa_type_dentists(kind, company),
            kind.duration,
            "slots_first_visit",
            message,
            conversation=conversation,
            kind_record=kind,
        )
        if offer and conversation.ack_due:
            # The list answers the message: no "message received" a few minutes later.
            conversation.sudo().write({"ack_due": False, "last_ack_date": fields.Datetime.now()})
        return offer

    @api.model
    def _wa_type_dentists(self, kind, company):
        dentists = kind.dentist_ids or self.env.ref(GROUP_DENTIST).sudo().users
        return dentists.filtered(lambda u: u.active and not u.share and company in u.company_ids)

    @api.model
    def _wa_offer(  # noqa: PLR0917 - one offer, every fact it is made of
        self,
        kind,
        partner,
        company,
        dentists,
        duration,
        usage,
        message,
        event=None,
        conversation=None,
        kind_record=None,
        activity=None,
    ):
        """Send ``partner`` the free times of ``dentists`` introduced by the reviewed
        text ``usage``; returns the offer, or none (and a note why) when there is no
        free time or no text."""
        Offer = self.sudo()
        conversation = conversation or self.env["dental.whatsapp.conversation"]._wa_for(
            message.account_id, partner, number=message.number
        )
        slots = Offer._wa_free_slots(company, dentists, duration, exclude_event=event)
        lang = partner._wa_lang()
        dentist_names = {d.id: d.name for d in dentists}
        dentist_words = ", ".join(dentists.mapped("name"))
        intro = Offer._wa_text(usage, partner, company, dentist=dentist_words)
        where = event or conversation
        if not slots or not intro:
            why = (
                _("no free time in the next %s days", SLOT_HORIZON_DAYS)
                if not slots
                else _("the practice has no reviewed text for it (Quick Replies)")
            )
            where.sudo().message_post(
                body=_(
                    "No list of free times was sent to %(patient)s: %(why)s.",
                    patient=partner.name,
                    why=why,
                ),
                subtype_xmlid="mail.mt_note",
            )
            return self.browse()
        Offer.search(
            [("partner_id", "=", partner.id), ("state", "=", "offered")]
        ).state = "replaced"
        tz = self._wa_tz(company)
        offer = Offer.create(
            {
                "kind": kind,
                "partner_id": partner.id,
                "company_id": company.id,
                "conversation_id": conversation.id,
                "event_id": event.id if event else False,
                "appointment_type_id": (
                    kind_record.id if kind_record else event.wa_appointment_type_id.id
                )
                or False,
                "duration": duration,
                "activity_id": activity.id if activity else False,
                "slots": [
                    {
                        "start": fields.Datetime.to_string(naive_utc(slot.start)),
                        "stop": fields.Datetime.to_string(naive_utc(slot.stop)),
                        "dentist_id": slot.dentist,
                        "label": slot_tools.slot_label(slot.start, lang, tz),
                    }
                    for slot in slots
                ],
            }
        )
        offer._wa_send_list(intro, dentist_names)
        return offer

    def _wa_send_list(self, intro, dentist_names=None):
        """Queue the list: one row per free time (the dentist below it when several may
        see the patient) and "none of these: call me"."""
        self.ensure_one()
        partner = self.partner_id.with_context(lang=self.partner_id._wa_lang())
        env = partner.env
        several = len({s["dentist_id"] for s in self.slots}) > 1
        names = dentist_names or {}
        rows = [
            {
                "id": f"{SLOT_PAYLOAD}:{self.id}:{index}",
                "title": slot["label"],
                **(
                    {"description": names.get(slot["dentist_id"]) or ""}
                    if several and names.get(slot["dentist_id"])
                    else {}
                ),
            }
            for index, slot in enumerate(self.slots)
        ]
        rows.append(
            {
                "id": f"{SLOT_CALL_PAYLOAD}:{self.id}",
                "title": env._("None of these"),
                "description": env._("Call me to find another time"),
            }
        )
        listed = {
            "body": intro,
            "button": env._("Free times"),
            "sections": [{"rows": rows}],
        }
        shown = "\n".join([intro, *(f"• {row['title']}" for row in rows)])
        self.message_id = self._wa_send_text(shown, interactive=listed)

    def _wa_send_text(self, text, record=None, interactive=None):
        """The module's reviewed answer to the patient who has just written (leaves at
        once): a short text, or the list ``interactive`` whose rows ``text`` shows."""
        self.ensure_one()
        if not text:
            return self.env["dental.whatsapp.message"]
        return (
            self.env["dental.whatsapp.message"]
            .sudo()
            ._wa_enqueue(
                self.partner_id,
                category="care",
                record=record or self.event_id or self.conversation_id,
                body=text,
                account=self.conversation_id.account_id or None,
                raise_on_refusal=False,
                service_reply=True,
                immediate=True,
                interactive=interactive,
            )
        )

    def _wa_offer_again(self, usage, message):
        """A fresh list, introduced by ``usage``'s words (the time was taken, the list
        was old)."""
        self.ensure_one()
        return self._wa_offer(
            self.kind,
            self.partner_id,
            self.company_id,
            self._wa_offer_dentists(),
            self.duration,
            usage,
            message,
            event=self.event_id if self.event_id.active else None,
            conversation=self.conversation_id,
            kind_record=self.appointment_type_id,
        )

    def _wa_offer_dentists(self):
        self.ensure_one()
        if self.kind == "first_visit":
            return self._wa_type_dentists(self.appointment_type_id, self.company_id)
        users = self.env["res.users"].sudo().browse({s["dentist_id"] for s in self.slots or []})
        return users.exists() or self.event_id.wa_dentist_id

    # ------------------------------------------------------------------ choosing
    @api.model
    def _wa_picked(self, message, item):
        """The patient pressed a row of a list: book it, or answer why not. Returns
        True when the row was one of ours."""
        parts = (item.payload or "").split(":")
        try:
            offer = self.sudo().browse(int(parts[2])).exists()
        except (IndexError, ValueError):
            return False
        if not offer or offer.partner_id != message.partner_id:
            return False
        if ":".join(parts[:2]) == SLOT_CALL_PAYLOAD:
            offer._wa_call_me(message)
            return True
        try:
            index = int(parts[3])
            slot = offer.slots[index]
        except (IndexError, ValueError, TypeError):
            return False
        offer._wa_choose(slot, message)
        return True

    def _wa_choose(self, slot, message):
        """The patient chose ``slot`` of this list: book it if it is still free and the
        list still valid, else send the free times as they are now."""
        self.ensure_one()
        offer = self
        start = aware(fields.Datetime.to_datetime(slot["start"]))
        stop = aware(fields.Datetime.to_datetime(slot["stop"]))
        if offer.state in ("booked", "proposed") and aware(offer.chosen_start) == start:
            return  # the same row pressed twice: booked already, nothing more to say
        created = aware(offer.message_id.sent_date or offer.create_date)
        expired = aware(fields.Datetime.now()) - created > timedelta(
            hours=offer.company_id.wa_booking_list_hours
        )
        live = offer.state in ("offered", "call_me")  # "call me" first, then a time: fine
        if not live or expired or (offer.event_id and not offer.event_id.active):
            if not (offer.event_id and not offer.event_id.active):
                # (An appointment cancelled meanwhile gets no list: reception answers.)
                offer._wa_offer_again("slots_expired", message)
            return
        dentist = self.env["res.users"].sudo().browse(slot["dentist_id"]).exists()
        offer._wa_lock_diaries(dentist)
        if not dentist or not offer._wa_still_free(start, stop, dentist):
            offer._wa_note_conversation(
                _(
                    "%(patient)s chose %(time)s, but it had just been taken: a fresh list "
                    "of free times was sent.",
                    patient=offer.partner_id.name,
                    time=slot["label"],
                )
            )
            offer.state = "replaced"
            offer._wa_offer_again("slots_taken", message)
            return
        offer.write(
            {
                "chosen_start": naive_utc(start),
                "chosen_stop": naive_utc(stop),
                "chosen_dentist_id": dentist.id,
            }
        )
        if offer.kind == "first_visit":
            offer._wa_book_first_visit(slot)
        elif offer.company_id.wa_booking_mode == "propose":
            offer._wa_propose(slot)
        else:
            offer._wa_move(slot)

    def _wa_note_conversation(self, text):
        self.ensure_one()
        if self.conversation_id:
            self.conversation_id._wa_note(text, author=self.partner_id)

    def _wa_close_todo(self, feedback):
        activity = self.activity_id.exists()
        if activity:
            activity.sudo().action_feedback(feedback=feedback)

    def _wa_move(self, slot):
        """Move the appointment to the chosen time: reminders follow, the patient gets the
        reviewed "moved" template at once, reception reads it in the conversation."""
        self.ensure_one()
        event = self.event_id.sudo()
        before = event._wa_format_datetime(event.start, self.partner_id._wa_lang())
        event.with_context(wa_patient_choice=True).write(
            {"start": self.chosen_start, "stop": self.chosen_stop}
        )
        event._wa_patient_chose()
        event._wa_send_template(
            TEMPLATE_MOVED, raise_on_refusal=False, immediate=True, service_reply=True
        )
        self.write({"state": "booked", "booked_event_id": event.id})
        words = _(
            "%(patient)s chose %(time)s on WhatsApp: %(appointment)s moved there (it was "
            "%(before)s).",
            patient=self.partner_id.name,
            time=slot["label"],
            appointment=event.name,
            before=before,
        )
        event.message_post(body=words, subtype_xmlid="mail.mt_note")
        self._wa_note_conversation(words)
        self._wa_close_todo(words)

    def _wa_propose(self, slot):
        """Hold the chosen time for reception to accept (setting "Reception accepts the
        move first"): the patient is told it is noted, reception gets the to-do."""
        self.ensure_one()
        event = self.event_id.sudo()
        event.with_context(wa_no_rearm=True).write(
            {"wa_proposed_start": self.chosen_start, "wa_proposed_stop": self.chosen_stop}
        )
        self.state = "proposed"
        lang = self.partner_id._wa_lang()
        self._wa_send_text(
            self._wa_text(
                "booked_proposed",
                self.partner_id,
                self.company_id,
                time=self._wa_when(self.chosen_start, lang),
            )
        )
        words = _(
            "%(patient)s chose %(time)s on WhatsApp for %(appointment)s: accept it on the "
            "appointment.",
            patient=self.partner_id.name,
            time=slot["label"],
            appointment=event.name,
        )
        event.message_post(body=words, subtype_xmlid="mail.mt_note")
        self._wa_note_conversation(words)
        activity = self.activity_id.exists()
        if activity:
            activity.sudo().write(
                {
                    "summary": _("Accept the new time chosen on WhatsApp"),
                    "note": Markup("%s") % words,
                }
            )

    def _wa_book_first_visit(self, slot):
        """Book the first visit the new patient chose, to be confirmed by reception: the
        call-back to-do at the next opening becomes "confirm the first visit"."""
        self.ensure_one()
        partner, dentist = self.partner_id, self.chosen_dentist_id
        practice_lang = self.conversation_id.account_id._wa_practice_lang()
        name = self.with_context(lang=practice_lang).env._("First visit: %s", partner.name)
        event = (
            self.env["calendar.event"]
            .sudo()
            .with_context(no_mail_to_attendees=True, wa_patient_choice=True)
            .create(
                {
                    "name": name,
                    "start": self.chosen_start,
                    "stop": self.chosen_stop,
                    "user_id": dentist.id,
                    "wa_dentist_id": dentist.id,
                    "wa_appointment_type_id": self.appointment_type_id.id,
                    "partner_ids": [(6, 0, (partner | dentist.partner_id).ids)],
                    "patient_id": partner.id,
                    "wa_booking_to_confirm": True,
                    "wa_confirmation_state": "confirmed",
                }
            )
        )
        self.write({"state": "booked", "booked_event_id": event.id})
        lang = partner._wa_lang()
        self._wa_send_text(
            self._wa_text(
                "booked_first_visit",
                partner,
                self.company_id,
                time=event._wa_format_datetime(event.start, lang),
            ),
            record=event,
        )
        words = _(
            "%(patient)s booked a first visit on WhatsApp for %(time)s with %(dentist)s: "
            "confirm it on the appointment.",
            patient=partner.name,
            time=slot["label"],
            dentist=dentist.name,
        )
        event.message_post(body=words, subtype_xmlid="mail.mt_note")
        self._wa_note_conversation(words)
        self.conversation_id._wa_first_visit_booked(event, words)

    def _wa_call_me(self, message):
        """ "None of these: call me": reception's to-do stays as it is."""
        self.ensure_one()
        if self.state == "offered":
            self.state = "call_me"
        self._wa_send_text(self._wa_text("call_me", self.partner_id, self.company_id))
        self._wa_note_conversation(
            _("%s chose none of the free times: call them back.", self.partner_id.name)
        )

    # ------------------------------------------------------------------ reception
    @api.model
    def _wa_check_reception(self):
        if not self.env.su and not self.env.user.has_group(GROUP_RECEPTION):
            raise AccessError(_("Only the practice's staff can accept or decline a booking."))

    def _wa_accept(self):
        """Reception accepts the held time: the appointment moves, the patient is told
        (in opening hours)."""
        self._wa_check_reception()
        for offer in self.sudo():
            event = offer.event_id
            dentist = offer.chosen_dentist_id
            start, stop = aware(offer.chosen_start), aware(offer.chosen_stop)
            offer._wa_lock_diaries(dentist)
            if not offer._wa_still_free(start, stop, dentist):  # its own hold left out
                raise UserError(
                    _(
                        "%(time)s is no longer free for %(dentist)s: decline the patient's "
                        "choice and call them.",
                        time=event._wa_format_datetime(offer.chosen_start, self.env.user.lang),
                        dentist=dentist.name,
                    )
                )
            event.with_context(wa_patient_choice=True).write(
                {
                    "start": offer.chosen_start,
                    "stop": offer.chosen_stop,
                    "wa_proposed_start": False,
                    "wa_proposed_stop": False,
                }
            )
            event._wa_patient_chose()
            event._wa_send_template(TEMPLATE_MOVED, raise_on_refusal=False, service_reply=True)
            offer.write({"state": "booked", "booked_event_id": event.id})
            words = _(
                "%(user)s accepted the time %(patient)s chose: %(appointment)s moved.",
                user=self.env.user.name,
                patient=offer.partner_id.name,
                appointment=event.name,
            )
            event.message_post(body=words, subtype_xmlid="mail.mt_note")
            offer._wa_note_conversation(words)
            offer._wa_close_todo(words)

    def _wa_decline(self):
        """Reception declines the held time: it is free again; they call the patient."""
        self._wa_check_reception()
        for offer in self.sudo():
            offer.event_id.with_context(wa_no_rearm=True).write(
                {"wa_proposed_start": False, "wa_proposed_stop": False}
            )
            offer.state = "declined"
            words = _(
                "%(user)s declined the time %(patient)s chose: call them to agree another.",
                user=self.env.user.name,
                patient=offer.partner_id.name,
            )
            offer.event_id.message_post(body=words, subtype_xmlid="mail.mt_note")
            offer._wa_note_conversation(words)
            activity = offer.activity_id.exists()
            if activity:
                activity.write({"summary": _("Call the patient: the chosen time was declined")})

    @api.model
    def _wa_confirmed_first_visit(self, event):
        """Reception confirmed a first visit the patient booked: they are told."""
        self._wa_check_reception()
        event = event.sudo()
        event.with_context(wa_no_rearm=True).write({"wa_booking_to_confirm": False})
        # The answer to the booking the patient made: no consent needed for it.
        event._wa_send_template(
            TEMPLATE_FIRST_VISIT_CONFIRMED, raise_on_refusal=False, service_reply=True
        )
        offer = self.sudo().search([("booked_event_id", "=", event.id)], limit=1)
        words = _("%s confirmed the first visit.", self.env.user.name)
        event.message_post(body=words, subtype_xmlid="mail.mt_note")
        if offer.conversation_id:
            offer._wa_note_conversation(words)
            offer.conversation_id._wa_first_visit_confirmed(words)
