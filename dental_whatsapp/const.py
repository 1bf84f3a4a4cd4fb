"""Every constant the module shares, defined once (as payment_stripe/const.py does).

Pure Python: tools/ and models/ both import it, and it imports neither.
"""

from datetime import timedelta

# ---------------------------------------------------------------------------- routes
WEBHOOK_PATH = "/dental_whatsapp/webhook"
META_GRAPH_URL = "https://graph.facebook.com"

# ---------------------------------------------------------------------------- groups
GROUP_RECEPTION = "dental_whatsapp.group_reception"
GROUP_DENTIST = "dental_whatsapp.group_dentist"
GROUP_MANAGER = "dental_whatsapp.group_manager"
# The chatter subtype of WhatsApp entries (evidence: filterable, never e-mailed).
SUBTYPE_WHATSAPP = "dental_whatsapp.mt_whatsapp"
# Field groups of the patient's WhatsApp data: the dental groups and administrators.
STAFF_GROUPS = f"{GROUP_RECEPTION},base.group_system"

# The context key of the one method that clears an evidence hold (the lift wizard);
# honoured only with superuser rights, so never from RPC.
EVIDENCE_LIFT_KEY = "dental_whatsapp_lift_hold"

# ---------------------------------------------------------------------------- messages
MESSAGE_STATES = [
    ("queued", "Queued"),
    ("sending", "Leaving"),
    ("unknown", "Outcome Unknown"),
    ("sent", "Sent"),
    ("delivered", "Delivered"),
    ("read", "Read"),
    ("failed", "Failed"),
    ("received", "Received"),
    ("cancelled", "Not Sent"),
]
# Message categories a patient consents to separately. "care" covers appointments,
# reminders and post-treatment follow-up; an opt-out never stops it (it is essential to
# the treatment) but its own consent still has to be given.
PATIENT_CATEGORIES = [
    ("care", "Care and appointments"),
    ("billing", "Billing"),
    ("greetings", "Greetings and news"),
]
# "staff": the practice's service notices on the phones of staff members who gave their
# number and this consent of their own; never a patient's category (not in the patient's
# consent form, not in the composer), and an opt-out stops it.
CATEGORIES = [*PATIENT_CATEGORIES, ("staff", "Staff notices")]
ESSENTIAL_CATEGORIES = ("care",)
CONSENT_SOURCES = [
    ("form", "Signed consent form"),
    ("reception", "Told the reception"),
    ("whatsapp", "Wrote on WhatsApp"),
    ("portal", "Patient portal"),
]

# ---------------------------------------------------------------------------- batches
# Rows handled per transaction by the dispatcher and the reminder crons (each batch is
# committed on its own, so a crash loses at most one batch's work).
BATCH_SIZE = 50
# The context key of a run over many records (the morning's reminders): a dict where
# what does not change during the run (opening hours, accounts, templates) is read once.
RUN_CACHE = "wa_run_cache"
# Webhook events processed per run of their cron.
EVENT_BATCH_SIZE = 500
# A status may arrive before the dispatcher committed the Meta id of its message: keep
# such events and try again for a while before giving up on them.
MAX_EVENT_ATTEMPTS = 10
# Sending: attempts before a message is failed, and the growing pause between them.
MAX_SEND_ATTEMPTS = 8
BACKOFF_BASE = 30  # seconds; doubled at every attempt, capped, with jitter
BACKOFF_CAP = 3600
# Meta's highest throughput for one number (messages per second, an upgraded number).
MAX_THROUGHPUT = 1000
# 130429 (the number sends too fast): every worker of the number pauses this long,
# doubled at each pause in a row; the message is tried again within the run this often.
THROUGHPUT_PAUSE = 1.0
THROUGHPUT_RETRIES = 3
# 131056 (too many messages to one patient in a short time): the patient's next message
# waits this long (Meta allows about one message every six seconds to one person).
PAIR_SPACING = 6
# A message left "Leaving" longer than this by a dispatcher whose database session is
# still open is treated as possibly sent (seconds, beyond twice the account's timeout).
LEAVING_GRACE = 300
# A claim conflicting with a concurrent worker is tried again this many times.
MAX_CLAIM_CONFLICTS = 10

# ---------------------------------------------------------------------------- templates
TEMPLATE_LANGUAGES = [
    ("it", "Italian"),
    ("es", "Spanish"),
    ("en", "English"),
    ("en_US", "English (US)"),
    ("en_GB", "English (UK)"),
    ("pt_BR", "Portuguese (Brazil)"),
    ("pt_PT", "Portuguese (Portugal)"),
    ("fr", "French"),
    ("de", "German"),
]
META_STATUSES = [
    ("draft", "Not Submitted"),
    ("pending", "Pending at Meta"),
    ("approved", "Approved by Meta"),
    ("rejected", "Rejected by Meta"),
    ("paused", "Paused by Meta"),
    ("disabled", "Disabled by Meta"),
]
# Meta's template status (API and webhook) -> ours; anything else is still pending.
META_STATUS_MAP = {
    "APPROVED": "approved",
    "PENDING": "pending",
    "IN_APPEAL": "pending",
    "REJECTED": "rejected",
    "PAUSED": "paused",
    "DISABLED": "disabled",
    "FLAGGED": "approved",
    "REINSTATED": "approved",
}
REVIEW_STATES = [
    ("draft", "Draft"),
    ("to_review", "Waiting for Review"),
    ("approved", "Approved by the Practice"),
]
QUALITY_RATINGS = [
    ("GREEN", "High"),
    ("YELLOW", "Medium"),
    ("RED", "Low"),
    ("UNKNOWN", "Unknown"),
]
# Shipped templates (one per language) the features send by name.
TEMPLATE_REMINDER = "appointment_reminder"
TEMPLATE_CONFIRMATION = "appointment_confirmation"
TEMPLATE_MOVED = "appointment_moved"
TEMPLATE_CANCELLED = "appointment_cancelled"
TEMPLATE_INVOICE_DOCUMENT = "invoice_document"
TEMPLATE_PAYMENT_LINK = "invoice_payment_link"
TEMPLATE_STATEMENT = "account_statement"
TEMPLATE_STAFF_NOTICE = "staff_notice"

# ---------------------------------------------------------------------------- appointments
CONFIRMATION_STATES = [
    ("to_confirm", "To Confirm"),
    ("confirmed", "Confirmed"),
    ("reschedule_requested", "Wants to Reschedule"),
    ("cancelled_by_patient", "Cancelled by the Patient"),
    ("no_answer", "No Answer"),
]
# Colour index (Odoo's palette) per state, for the calendar.
CONFIRMATION_COLORS = {
    "to_confirm": 0,
    "confirmed": 10,  # green
    "reschedule_requested": 2,  # orange
    "cancelled_by_patient": 1,  # red
    "no_answer": 3,  # yellow
}
# The quick-reply buttons a confirmation request must offer (payloads the parser knows).
CONFIRMATION_PAYLOADS = ("dwa:confirm", "dwa:reschedule", "dwa:cancel")
# How the appointment time reads in each language: "martedì 24 novembre alle 09:30".
APPOINTMENT_TIME_FORMATS = {
    "it": "EEEE d MMMM 'alle' HH:mm",
    "es": "EEEE d 'de' MMMM 'a las' HH:mm",
    "en": "EEEE d MMMM 'at' HH:mm",
    "pt": "EEEE, d 'de' MMMM 'às' HH:mm",
    "fr": "EEEE d MMMM 'à' HH'h'mm",
    "de": "EEEE, d. MMMM 'um' HH:mm 'Uhr'",
}
# A free-text answer counts as a reply to the confirmation request for this long.
REPLY_WINDOW = timedelta(days=3)
# A confirmation request unanswered this long before the appointment: "no answer".
NO_ANSWER_BEFORE = timedelta(hours=24)

# ---------------------------------------------------------------------------- billing
# An invoice in these payment states needs no reminder.
SETTLED_PAYMENT_STATES = ("paid", "in_payment", "reversed")
# The template variable that carries the portal link where the patient sees and pays.
PORTAL_LINK_FIELD = "wa_portal_url"
# How far back the statement lists the patient's payments.
STATEMENT_PAYMENT_DAYS = 90

# ---------------------------------------------------------------------------- the desk
# A conversation's state, as an "actionable" inbox has them.
CONVERSATION_STATES = [
    ("new", "New"),
    ("opened", "Opened, Not Answered"),
    ("waiting", "Waiting for the Patient"),
    ("done", "Done"),
]
# Minutes of opening time within which a patient's message gets a human answer.
DEFAULT_ANSWER_TARGET = 30
# Minutes without a human answer (while open) before the "received" acknowledgement.
DEFAULT_ACK_DELAY = 10
ACK_CLOSED_TEMPLATE = "message_received_closed"
ACK_BUSY_TEMPLATE = "message_received_busy"
# The reviewed emergency instructions, sent at once (instead of the "closed"
# acknowledgement) when a patient describes a dental emergency while the practice is
# closed.
EMERGENCY_TEMPLATE = "emergency_instructions"
# Triage labels by how much they matter for the conversation: the most serious since the
# practice last answered is the one the desk shows.
TRIAGE_SEVERITY = {"flirt": 4, "hostile": 3, "clinical": 2, "admin": 1, "other": 0}
# Whether the patient came to an appointment (the check-in, the recall and the outcome
# figures start from it).
ATTENDANCE_STATES = [("attended", "Attended"), ("no_show", "Did Not Attend")]
# An appointment still unmarked this long after its end is suggested as "did not attend".
ATTENDANCE_SUGGEST_AFTER = timedelta(hours=2)
# The post-operative check-in ("how are you after the procedure?") and its two answers.
TEMPLATE_CHECKIN = "postop_checkin"
CHECKIN_OK = "dwa:checkin_ok"
CHECKIN_PROBLEM = "dwa:checkin_problem"
CHECKIN_RULES = [
    ("none", "No Check-In"),
    ("next_day", "The Next Day, at the Opening"),
    ("hours", "Some Hours After the End"),
]
# A care instruction sheet sent as a PDF ("after an extraction", "the dosage you forgot").
TEMPLATE_INSTRUCTIONS = "care_instructions"

# ---------------------------------------------------------------------------- therapy
TEMPLATE_THERAPY = "therapy_reminder"
THERAPY_DONE = "dwa:therapy_done"
THERAPY_STOP = "dwa:therapy_stop"
THERAPY_STATES = [
    ("draft", "Draft"),
    ("running", "Reminders Running"),
    ("done", "Finished"),
    ("stopped", "Stopped"),
]
# A patient who writes one of these (casefolded) means "I took it / I finished".
THERAPY_DONE_WORDS = frozenset(
    {
        "fatto",
        "fatta",
        "finito",
        "finita",
        "preso",
        "presa",
        "done",
        "finished",
        "taken",
        "hecho",
        "hecha",
        "terminado",
        "terminada",
        "listo",
        "lista",
    }
)
# The recall ("it is time for your hygiene visit"): its two reviewed invitations, the
# patient's two quick replies, and the states a receptionist follows it through.
TEMPLATE_RECALL_FIRST = "recall_invitation"
TEMPLATE_RECALL_SECOND = "recall_second"
RECALL_BOOK = "dwa:recall_book"
RECALL_LATER = "dwa:recall_later"
RECALL_STATES = [
    ("planned", "Planned"),
    ("invited", "Invited"),
    ("reminded", "Second Invitation Sent"),
    ("answered", "Answered: Booking to Do"),
    ("booked", "Booked"),
    ("stopped", "Stopped"),
]

# ---------------------------------------------------------------------------- booking
# The list rows a patient chooses from: "dwa:slot:<offer id>:<row>" and "call me".
SLOT_PAYLOAD = "dwa:slot"
SLOT_CALL_PAYLOAD = "dwa:slot_call"
# WhatsApp shows at most 10 rows: 9 free times and "none of these: call me".
MAX_SLOT_ROWS = 9
SLOTS_PER_DAY = 3  # the list spreads over several days
SLOT_STEP_MINUTES = 30
SLOT_HORIZON_DAYS = 21  # how far ahead free times are looked for
SAME_DAY_NOTICE_HOURS = 2  # a minimum notice of 0 working days still means 2 hours
TEMPLATE_FIRST_VISIT_CONFIRMED = "first_visit_confirmed"
OFFER_KINDS = [
    ("reschedule", "New Time for an Appointment"),
    ("first_visit", "First Visit"),
]
OFFER_STATES = [
    ("offered", "Offered"),
    ("booked", "Booked"),
    ("proposed", "Waiting for Reception"),
    ("call_me", "Asked to Be Called"),
    ("replaced", "Replaced by a Newer List"),
    ("declined", "Declined by Reception"),
]
# The reviewed texts (quick replies) the booking sends, by use.
BOOKING_TEXTS = [
    ("slots_move", "Free times: moving an appointment"),
    ("slots_first_visit", "Free times: a first visit"),
    ("slots_taken", "Free times: the chosen time was just taken"),
    ("slots_expired", "Free times: the patient chose from an old list"),
    ("booked_proposed", "New time noted, reception accepts it"),
    ("booked_first_visit", "First visit noted, reception confirms it"),
    ("call_me", "The patient asked to be called"),
]
