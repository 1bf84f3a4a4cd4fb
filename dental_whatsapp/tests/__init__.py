from . import test_account
from . import test_outbox
from . import test_webhook
from . import test_evidence
from . import test_concurrency
