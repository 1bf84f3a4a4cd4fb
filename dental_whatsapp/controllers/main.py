import hmac
import logging

from odoo import http, sql_db
from odoo.http import request
from psycopg2.extensions import ISOLATION_LEVEL_READ_COMMITTED
from werkzeug.exceptions import Forbidden

from ..const import WEBHOOK_PATH
from ..tools.webhook import (
    MAX_BODY_BYTES,
    WebhookFormatError,
    decode_body,
    parse_payload,
    routing_key,
    verify_signature,
)

_logger = logging.getLogger(__name__)


def _plain(text, status=200):
    return request.make_response(text, status=status, headers=[("Content-Type", "text/plain")])


class DentalWhatsappWebhook(http.Controller):
    @http.route(
        WEBHOOK_PATH, type="http", methods=["GET"], auth="public", csrf=False, save_session=False
    )
    def dental_whatsapp_verify(self, **params):
        """Meta's subscription handshake: echo the challenge when the token is ours."""
        token = (params.get("hub.verify_token") or "").encode()
        if params.get("hub.mode") != "subscribe" or not token:
            raise Forbidden()
        accounts = request.env["dental.whatsapp.account"].sudo().search([])
        if not any(
            a.verify_token and hmac.compare_digest(a.verify_token.encode(), token) for a in accounts
        ):
            _logger.warning("WhatsApp webhook handshake with an unknown verify token")
            raise Forbidden()
        return _plain(params.get("hub.challenge", ""))

    @http.route(
        WEBHOOK_PATH, type="http", methods=["POST"], auth="public", csrf=False, save_session=False
    )
    def dental_whatsapp_receive(self):
        """Verify, store, answer: processing happens after the response (see the event
        model), so Meta gets its 200 fast and retries create nothing twice."""
        httprequest = request.httprequest
        length = httprequest.content_length
        if length is None or length > MAX_BODY_BYTES:
            _logger.warning("WhatsApp webhook of %s bytes refused unread", length)
            return _plain("body too large or of unknown length", status=413)
        # Cached: after a serialization failure Odoo runs this handler again, and the
        # retry must verify the same bytes, not an exhausted stream.
        raw = httprequest.get_data(cache=True)
        accounts = self._dental_whatsapp_signers(
            raw, httprequest.headers.get("X-Hub-Signature-256")
        )
        try:
            events = parse_payload(decode_body(raw))
        except (WebhookFormatError, TypeError, AttributeError, KeyError) as error:
            _logger.warning("Signed WhatsApp webhook body that is not Meta's shape: %s", error)
            return _plain("malformed body", status=400)
        targets = self._dental_whatsapp_route(accounts, events)
        if not targets:
            # Signed by our app, for a number no account here has: nothing to keep, and
            # a refusal would only make Meta deliver it again and again.
            _logger.warning("Signed WhatsApp webhook for a number no account is set up for")
            return _plain("OK")
        # Stored on a cursor of its own in READ COMMITTED: two deliveries of the same
        # body at once then wait for each other instead of failing to serialize, and
        # the event is committed before Meta hears 200.
        with request.env.registry.cursor() as cr:
            if isinstance(cr, sql_db.Cursor):  # a test's shared cursor keeps its own
                cr.connection.set_isolation_level(ISOLATION_LEVEL_READ_COMMITTED)
            Event = request.env["dental.whatsapp.event"].with_env(request.env(cr=cr)).sudo()
            for account in targets:
                Event._wa_store(account.with_env(Event.env), raw)
        return _plain("OK")

    def _dental_whatsapp_signers(self, raw, signature):
        """The accounts whose app secret signed ``raw`` (several numbers may share one
        Meta app), or 403 with nothing stored."""
        if not signature:
            _logger.warning("WhatsApp webhook without X-Hub-Signature-256 refused")
            raise Forbidden()
        accounts = request.env["dental.whatsapp.account"].sudo().search([])
        signers = accounts.filtered(
            lambda a: a.app_secret and verify_signature(a.app_secret, raw, signature)
        )
        if not signers:
            _logger.warning("WhatsApp webhook with a signature that matches no account refused")
            raise Forbidden()
        return signers

    def _dental_whatsapp_route(self, accounts, events):
        """The accounts the events are for, by the phone number id (or, for template
        updates, the WhatsApp Business Account id) Meta names in the body."""
        keys = {routing_key(event) for event in events}
        return accounts.filtered(lambda a: a._wa_routing_keys() & keys)
