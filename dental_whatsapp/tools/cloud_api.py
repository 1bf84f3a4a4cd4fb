"""The WhatsApp Cloud API (Graph API) client: a plain class, one method does HTTP.

Imports no Odoo: the models build it from an account (``_get_client``) and the tests
point it at a local server. Every call carries a timeout; the access token travels only
in the Authorization header and is never logged.
"""

import logging
import numbers
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import requests
import urllib3

from .errors import PERMANENT, RETRYABLE, WhatsAppApiError, classify
from .payloads import (
    build_list,
    build_media,
    build_read_receipt,
    build_reply_buttons,
    build_template,
    build_text,
    build_typing_indicator,
    is_parent_user_id,
    is_user_id,
    template_components,
)

_logger = logging.getLogger(__name__)

__all__ = [
    "BlockUsersResult",
    "BlockedUser",
    "CloudApiClient",
    "FailedUser",
    "SendResult",
    "UntrustedUrlError",
    "is_user_id",
    "template_components",
]

# 100 templates a page: 60 pages hold more than the largest template quota Meta grants
# a WhatsApp Business Account; a server that keeps answering "next" past that is broken.
MAX_TEMPLATE_PAGES = 60
PHONE_NUMBER_FIELDS = (
    "display_phone_number,verified_name,quality_rating,code_verification_status,"
    "messaging_limit_tier"
)
# Meta serves downloaded media from its CDN, not from the Graph API host: the only other
# host the access token may travel to (over HTTPS), and only for a media download.
MEDIA_HOSTS = ("lookaside.fbsbx.com",)
# Meta's Block Users API: at most 1,000 users a request, 64,000 on a blocklist.
MAX_BLOCK_USERS = 1000
MAX_BLOCKLIST = 64000


class UntrustedUrlError(ValueError):
    """An absolute URL from an answer points at a host the token must not travel to."""


@dataclass(frozen=True)
class SendResult:
    """What ``POST /{phone-number-id}/messages`` answered: ``wa_id`` for a send to a phone
    number, ``user_id`` for one to a business-scoped user id."""

    message_id: str
    wa_id: str | None = None
    input: str | None = None
    raw: dict = field(default_factory=dict, compare=False, repr=False)
    user_id: str | None = None

    @classmethod
    def from_response(cls, body):
        messages = body.get("messages") if isinstance(body, dict) else None
        message = messages[0] if isinstance(messages, list) and messages else None
        message_id = message.get("id") if isinstance(message, dict) else None
        if not message_id:
            raise WhatsAppApiError(
                "The WhatsApp API accepted the message but returned no message id",
                http_status=200,
                kind=PERMANENT,
            )
        contacts = body.get("contacts")
        contact = contacts[0] if isinstance(contacts, list) and contacts else {}
        if not isinstance(contact, dict):
            contact = {}
        return cls(
            message_id,
            contact.get("wa_id"),
            contact.get("input"),
            body,
            user_id=contact.get("user_id"),
        )


@dataclass(frozen=True)
class BlockedUser:
    """A user a block (or unblock) request took: ``input`` as sent, ``wa_id`` as Meta
    knows them (it may differ from the number sent)."""

    input: str
    wa_id: str | None = None


@dataclass(frozen=True)
class FailedUser:
    """A user a block (or unblock) request could not take, with Meta's error for them:
    131047 (not written in the last 24 hours, or not a WhatsApp user), 131021 (the
    practice's own number), 139101 (the blocklist is full), ..."""

    input: str
    wa_id: str | None
    code: int | None
    message: str
    details: str = ""

    @property
    def retryable(self):
        return classify(self.code, None) == RETRYABLE


@dataclass(frozen=True)
class BlockUsersResult:
    """What ``POST`` / ``DELETE /{phone-number-id}/block_users`` answered: the users
    done (blocked, or unblocked) and those that failed. Meta answers HTTP 400 with both
    lists when some failed: that is a result, not an exception."""

    done: tuple[BlockedUser, ...] = ()
    failed: tuple[FailedUser, ...] = ()
    raw: dict = field(default_factory=dict, compare=False, repr=False)

    @property
    def ok(self):
        return not self.failed

    @classmethod
    def from_response(cls, body, done_key):
        lists = body.get("block_users") if isinstance(body, dict) else None
        if not isinstance(lists, dict):
            raise WhatsAppApiError(
                "The WhatsApp API answered the block request without its block_users lists",
                http_status=200,
                kind=PERMANENT,
            )
        done = tuple(
            BlockedUser(str(item.get("input") or ""), item.get("wa_id"))
            for item in lists.get(done_key) or []
            if isinstance(item, dict)
        )
        failed = tuple(
            _failed_user(item) for item in lists.get("failed_users") or [] if isinstance(item, dict)
        )
        return cls(done, failed, body)


def _failed_user(item):
    errors = item.get("errors")
    error = errors[0] if isinstance(errors, list) and errors else {}
    error = error if isinstance(error, dict) else {}
    data = error.get("error_data")
    details = data.get("details") if isinstance(data, dict) else None
    try:
        code = int(error["code"]) if error.get("code") is not None else None
    except (TypeError, ValueError):
        code = None
    return FailedUser(
        str(item.get("input") or ""),
        item.get("wa_id"),
        code,
        str(error.get("message") or ""),
        str(details or ""),
    )


def _may_have_arrived(exc):
    """Whether the request may have reached the server before ``exc``: a read timeout or
    a connection lost mid-answer may follow a processed send (Meta accepted it, the
    answer was lost), while a refused connection or a connect timeout never sent a byte."""
    if isinstance(exc, requests.ConnectTimeout):
        return False
    if isinstance(exc, requests.ConnectionError) and not isinstance(exc, requests.Timeout):
        reason = getattr(exc.args[0], "reason", None) if exc.args else None
        if isinstance(reason, urllib3.exceptions.NewConnectionError):
            return False
    return True


def _check_timeout(timeout):
    """A positive number of seconds, or a (connect, read) pair of them."""
    parts = timeout if isinstance(timeout, tuple) else (timeout,)
    valid = len(parts) in (1, 2) and all(
        isinstance(part, numbers.Real) and not isinstance(part, bool) and part > 0 for part in parts
    )
    if not valid:
        raise ValueError(
            f"timeout must be a positive number of seconds or a (connect, read) pair, "
            f"not {timeout!r}: the client never waits forever"
        )
    return timeout


class CloudApiClient:
    """One WhatsApp business phone number (and, for templates, its business account)."""

    build_text = staticmethod(build_text)
    build_template = staticmethod(build_template)
    template_components = staticmethod(template_components)
    build_reply_buttons = staticmethod(build_reply_buttons)
    build_list = staticmethod(build_list)
    build_media = staticmethod(build_media)
    build_read_receipt = staticmethod(build_read_receipt)
    build_typing_indicator = staticmethod(build_typing_indicator)

    def __init__(
        self,
        access_token,
        phone_number_id,
        waba_id=None,
        *,
        base_url="https://graph.facebook.com",
        api_version="v23.0",
        timeout=10,
        session=None,
    ):
        self.timeout = _check_timeout(timeout)
        self.access_token = access_token
        self.phone_number_id = str(phone_number_id)
        self.waba_id = str(waba_id) if waba_id else None
        self.base_url = base_url.rstrip("/")
        self.api_version = api_version.strip("/")
        self.session = session if session is not None else requests.Session()

    def __repr__(self):  # never show the token
        return f"<CloudApiClient {self.base_url} phone_number_id={self.phone_number_id}>"

    # ------------------------------------------------------------------ HTTP
    def _request(
        self,
        method,
        path=None,
        *,
        json=None,
        data=None,
        files=None,
        params=None,
        url=None,
        raw=False,
        partial=None,
        ready=None,
    ):
        """The only method that talks HTTP.

        Calls ``{base_url}/{api_version}/{path}`` (or the absolute ``url``) and returns
        the parsed JSON, or the bytes when ``raw``. Any failure is a WhatsAppApiError,
        except an error answer that carries the key ``partial`` (Meta's per-user lists
        of a request that partly failed): that body is returned. ``ready``, when given,
        is called once the request is built and just before it goes out (the pacer's
        wait for the send's time: the building is not done in the time slot).
        """
        target = url or f"{self.base_url}/{self.api_version}/{str(path).lstrip('/')}"
        where = urlsplit(target)
        if url:
            self._check_token_host(where, media=raw)
        _logger.debug("WhatsApp API %s %s://%s%s", method, where.scheme, where.netloc, where.path)
        # What Session.request does, in two steps: build, then send.
        prepared = self.session.prepare_request(
            requests.Request(
                method,
                target,
                json=json,
                data=data,
                files=files,
                params=params,
                headers={"Authorization": f"Bearer {self.access_token}"},
            )
        )
        settings = self.session.merge_environment_settings(prepared.url, {}, None, None, None)
        if ready is not None:
            ready()
        try:
            response = self.session.send(prepared, timeout=self.timeout, **settings)
        except (requests.Timeout, requests.ConnectionError) as exc:
            # Not chained: the original text may hold a paging URL with the token in it.
            error = WhatsAppApiError.from_exception(exc)
            error.outcome_unknown = _may_have_arrived(exc)
            raise self._redacted(error) from None
        if not 200 <= response.status_code < 300:
            try:
                body = response.json()
            except ValueError:
                body = None
            if partial and isinstance(body, dict) and isinstance(body.get(partial), dict):
                return body
            raise self._redacted(
                WhatsAppApiError.from_response(
                    response.status_code,
                    body,
                    response.text,
                    retry_after=response.headers.get("Retry-After"),
                )
            )
        if raw:
            return response.content
        if not response.content.strip():
            return {}
        try:
            return response.json()
        except ValueError:
            raise WhatsAppApiError(
                f"The WhatsApp API answered HTTP {response.status_code} with a body that "
                f"is not JSON",
                http_status=response.status_code,
                kind=PERMANENT,
            ) from None

    def _check_token_host(self, where, media=False):
        """The token goes only to ``base_url``'s scheme and host (or, for a media
        download, to Meta's media CDN over HTTPS): an answer that names another host is
        refused before anything is sent."""
        base = urlsplit(self.base_url)
        same = (where.scheme, where.netloc.lower()) == (base.scheme, base.netloc.lower())
        cdn = media and where.scheme == "https" and (where.hostname or "") in MEDIA_HOSTS
        if not (same or cdn) or where.username or where.password:
            raise UntrustedUrlError(
                f"Refused to send the access token to {where.scheme}://{where.hostname}: "
                f"only {base.scheme}://{base.hostname} (and Meta's media CDN for downloads) "
                "may receive it"
            )

    def _redacted(self, error):
        """Belt and braces: no error text ever repeats the access token."""
        if self.access_token:
            for name in ("message", "details"):
                value = getattr(error, name)
                if self.access_token in value:
                    setattr(error, name, value.replace(self.access_token, "***"))
            error.args = (error.message,)
        return error

    def _need_waba(self):
        if not self.waba_id:
            raise ValueError(
                "This operation needs the WhatsApp Business Account id (waba_id) of the "
                "account; set it on the client"
            )
        return self.waba_id

    # ------------------------------------------------------------------ messages
    def send(self, payload, ready=None):
        """Send a message body built by one of the ``build_*`` functions (``ready``: see
        ``_request``)."""
        body = self._request("POST", f"{self.phone_number_id}/messages", json=payload, ready=ready)
        return SendResult.from_response(body)

    def send_text(self, to, body, preview_url=False, reply_to=None):
        return self.send(build_text(to, body, preview_url=preview_url, reply_to=reply_to))

    def send_template(self, to, name, language_code, components=None, reply_to=None):
        return self.send(build_template(to, name, language_code, components, reply_to=reply_to))

    def send_reply_buttons(  # noqa: PLR0917 - same signature as build_reply_buttons
        self, to, body, buttons, header=None, footer=None, reply_to=None
    ):
        payload = build_reply_buttons(
            to, body, buttons, header=header, footer=footer, reply_to=reply_to
        )
        return self.send(payload)

    def send_list(  # noqa: PLR0917 - same signature as build_list
        self, to, body, button, sections, header=None, footer=None, reply_to=None
    ):
        payload = build_list(
            to, body, button, sections, header=header, footer=footer, reply_to=reply_to
        )
        return self.send(payload)

    def send_media(  # noqa: PLR0917 - same signature as build_media
        self, to, media_type, media_id=None, link=None, caption=None, filename=None, reply_to=None
    ):
        payload = build_media(
            to,
            media_type,
            media_id=media_id,
            link=link,
            caption=caption,
            filename=filename,
            reply_to=reply_to,
        )
        return self.send(payload)

    def mark_as_read(self, message_id):
        body = self._request(
            "POST", f"{self.phone_number_id}/messages", json=build_read_receipt(message_id)
        )
        return bool(body.get("success"))

    def send_typing_indicator(self, message_id):
        """Mark the patient's message as read and show them "typing…" while a reply is
        prepared (Meta clears it when the reply arrives, or after 25 seconds)."""
        body = self._request(
            "POST", f"{self.phone_number_id}/messages", json=build_typing_indicator(message_id)
        )
        return bool(body.get("success"))

    # ------------------------------------------------------------------ media
    def upload_media(self, content, mimetype, filename):
        """Upload bytes as a multipart form; returns the media id to send them by."""
        if not isinstance(content, bytes | bytearray):
            raise TypeError("upload_media needs the file content as bytes")
        body = self._request(
            "POST",
            f"{self.phone_number_id}/media",
            data={"messaging_product": "whatsapp", "type": mimetype},
            files={"file": (filename, bytes(content), mimetype)},
        )
        media_id = body.get("id")
        if not media_id:
            raise WhatsAppApiError(
                "The WhatsApp API accepted the upload but returned no media id", kind=PERMANENT
            )
        return media_id

    def get_media(self, media_id):
        """url (valid a few minutes), mime_type, sha256, file_size, id."""
        return self._request("GET", str(media_id))

    def download_media(self, url):
        """The bytes behind a media url from ``get_media`` (it needs the token too)."""
        if urlsplit(url or "").scheme not in ("http", "https"):
            raise UntrustedUrlError(f"Not a media URL: {url!r}")
        return self._request("GET", url=url, raw=True)

    def delete_media(self, media_id):
        return bool(self._request("DELETE", str(media_id)).get("success"))

    # ------------------------------------------------------------------ templates
    def list_templates(self, limit=100):
        """All the account's message templates, following ``paging.next`` to the end."""
        body = self._request(
            "GET", f"{self._need_waba()}/message_templates", params={"limit": limit}
        )
        templates = list(body.get("data") or [])
        seen = set()
        for _page in range(MAX_TEMPLATE_PAGES):
            next_url = (body.get("paging") or {}).get("next")
            if not next_url or next_url in seen:
                return templates
            seen.add(next_url)
            body = self._request("GET", url=next_url)
            templates.extend(body.get("data") or [])
        raise WhatsAppApiError(
            f"The template list goes on past {MAX_TEMPLATE_PAGES} pages; stopped reading",
            kind=PERMANENT,
        )

    def create_template(self, name, language, category, components, allow_category_change=True):
        """Submit a template for review; Meta answers ``{id, status, category}``."""
        return self._request(
            "POST",
            f"{self._need_waba()}/message_templates",
            json={
                "name": name,
                "language": language,
                "category": category,
                "components": components,
                "allow_category_change": bool(allow_category_change),
            },
        )

    # ------------------------------------------------------------------ number
    def get_phone_number(self):
        """The number's display name, verified name and quality (for "Test connection")."""
        return self._request("GET", self.phone_number_id, params={"fields": PHONE_NUMBER_FIELDS})

    # ------------------------------------------------------------------ blocked users
    def block_users(self, users):
        """Block WhatsApp users (phone numbers or wa_ids) from writing to the practice.

        Meta blocks only users who wrote in the last 24 hours; the others come back in
        ``failed`` (131047), as does any other per-user failure: the request itself
        raises WhatsAppApiError only when it failed as a whole (token, rate limit, ...).
        """
        return self._block_request("POST", users, "added_users")

    def unblock_users(self, users):
        """Unblock WhatsApp users (no 24 hour rule); same result as :meth:`block_users`."""
        return self._block_request("DELETE", users, "removed_users")

    def _block_request(self, method, users, done_key):
        wanted = _block_inputs(users)
        if not wanted:
            return BlockUsersResult()
        body = self._request(
            method,
            f"{self.phone_number_id}/block_users",
            json={
                "messaging_product": "whatsapp",
                "block_users": [{"user": user} for user in wanted],
            },
            partial="block_users",
        )
        return BlockUsersResult.from_response(body, done_key)

    def list_blocked_users(self, limit=100):
        """The wa_ids on the blocklist, following ``paging.next`` to the end. A list that
        changes meanwhile raises WhatsAppApiError 139102 (retryable: read it again)."""
        body = self._request("GET", f"{self.phone_number_id}/block_users", params={"limit": limit})
        found = [item.get("wa_id") for item in body.get("data") or [] if isinstance(item, dict)]
        seen = set()
        for _page in range(MAX_BLOCKLIST // max(int(limit), 1) + 1):
            next_url = (body.get("paging") or {}).get("next")
            if not next_url or next_url in seen:
                return tuple(wa_id for wa_id in found if wa_id)
            seen.add(next_url)
            body = self._request("GET", url=next_url)
            found += [
                item.get("wa_id") for item in body.get("data") or [] if isinstance(item, dict)
            ]
        raise WhatsAppApiError(
            f"The blocklist goes on past {MAX_BLOCKLIST} users; stopped reading", kind=PERMANENT
        )


def _block_inputs(users):
    """The users of a block request: strings, each once, in order, at most 1,000.

    Meta's Block Users API documents phone numbers and wa_ids only: a business-scoped
    user id (a patient known by their username) cannot be blocked through it.
    """
    if isinstance(users, str):
        users = [users]
    wanted = []
    for user in users:
        if not isinstance(user, str) or not user.strip():
            raise ValueError(f"A user to block is a phone number or a wa_id, not {user!r}")
        if is_user_id(user) or is_parent_user_id(user):
            raise ValueError(
                f"{user} is a business-scoped user id: Meta's Block Users API takes phone "
                "numbers and wa_ids only"
            )
        if user.strip() not in wanted:
            wanted.append(user.strip())
    if len(wanted) > MAX_BLOCK_USERS:
        raise ValueError(
            f"Meta takes at most {MAX_BLOCK_USERS} users a block request, not {len(wanted)}"
        )
    return wanted
