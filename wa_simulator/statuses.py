"""What happens to a message after the API accepted it: status webhooks sent, delivered,
read, or failed with the error Meta reports asynchronously (131047 outside the 24 h window,
131026 for a number that cannot receive WhatsApp messages)."""

import threading
import time

from .errors import status_error
from .webhooks import contact_item, envelope, messages_value, profile_name, status_item

UNDELIVERABLE = "Message Undeliverable."
MARKETING_LIMIT = (
    "In order to maintain a healthy ecosystem engagement, the message failed to be delivered."
)
REENGAGEMENT = (
    "Message failed to send because more than 24 hours have passed since the "
    "customer last replied to this number."
)


def _failure(world, message, kind):
    """Why Meta would report this message failed, as status ``errors``; None if it goes."""
    wa_id = message["wa_id"]
    number = world.number(wa_id)
    by_number = not message.get("recipient_user_id")  # a BSUID has no digits to count
    if not number["on_whatsapp"] or (by_number and not 8 <= len(wa_id) <= 15):
        return [status_error(131026, UNDELIVERABLE)]
    if kind != "template" and not world.window_open(wa_id):
        return [status_error(131047, REENGAGEMENT)]
    if message.get("pricing_category") == "marketing" and number.get("marketing_limit"):
        # Meta's per-user marketing limit: accepted, then held back.
        return [status_error(131049, MARKETING_LIMIT)]
    return None


def schedule(sim, message, kind):
    """Emit sent, delivered, read (or failed) for a message just accepted: at once in
    manual mode, else ``delivery_delay`` seconds apart."""
    world = sim.state
    generation = world.generation
    errors = _failure(world, message, kind)
    steps = ["failed"] if errors else ["sent", "delivered", "read"]

    def step(index):
        status = steps[index]
        with world.lock:
            if world.generation != generation:
                return False  # the world was reset meanwhile
            number = world.number(message["wa_id"])
            if status == "read" and not number["reads"]:
                return False
            message["status"] = status
            message["statuses"].append({"status": status, "time": time.time()})
            if errors:
                message["errors"] = errors
            # Meta leaves the username out of "sent"; the number out of a send by BSUID.
            by_number = not message.get("recipient_user_id")
            name = profile_name(number, by_number)
            contact = contact_item(number, name, by_number, with_username=status != "sent")
            item = status_item(message, status, errors, number["user_id"])
        body = envelope(
            sim, messages_value(sim, message["wa_id"], name, statuses=[item], contacts=[contact])
        )
        sim.deliverer.emit(body, "status")
        return True

    delay = float(sim.delivery_delay or 0)
    if sim.deliverer.mode["manual"] or delay <= 0:
        for index in range(len(steps)):
            if not step(index):
                break
        return

    def chain(index):
        if step(index) and index + 1 < len(steps):
            _timer(delay, chain, index + 1)

    _timer(delay, chain, 0)


def _timer(seconds, function, *args):
    timer = threading.Timer(seconds, function, args)
    timer.daemon = True
    timer.start()
