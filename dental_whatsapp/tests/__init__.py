from . import (
    test_account,
    test_appointment,
    test_attendance,
    test_concurrency,
    test_conduct,
    test_desk,
    test_evidence,
    test_greeting_campaign,
    test_greetings,
    test_instruction,
    test_outbox,
    test_payment,
    test_security,
    test_template,
    test_therapy,
    test_tour_consent,
    test_tour_desk,
    test_webhook,
)

# isort: split
from . import test_booking, test_recall, test_status_reference, test_team, test_throughput

# isort: split
from . import test_outcome, test_tour_outcome
