from . import (
    test_account,
    test_appointment,
    test_concurrency,
    test_desk,
    test_evidence,
    test_outbox,
    test_payment,
    test_security,
    test_template,
    test_tour_consent,
    test_tour_desk,
    test_webhook,
)
