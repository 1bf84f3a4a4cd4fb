"""Request bodies of the Cloud API's ``POST /{phone-number-id}/messages``.

Pure functions, no HTTP and no Odoo: the client sends what these build, and the tests
compare them with Meta's own examples (``/work/shared/fixtures``).

A recipient is a phone number (sent as ``"to"``) or a business-scoped user id, a BSUID
such as ``US.13491208655302741918`` (sent as ``"recipient"``): a user who adopted a
username may have shown the practice only that. A parent BSUID (``US.ENT.…``) names a
user across business portfolios and is refused here: send to the user's own BSUID.
"""

import re

MEDIA_TYPES = ("image", "document", "audio", "video", "sticker")
CAPTIONED_MEDIA = ("image", "document", "video")
HEADER_MEDIA = ("image", "document", "video")
MAX_REPLY_BUTTONS = 3
MAX_BUTTON_TITLE = 20
# An interactive list: up to 10 rows in all, titles of 24, descriptions of 72 characters.
MAX_LIST_ROWS = 10
MAX_ROW_TITLE = 24
MAX_ROW_DESCRIPTION = 72
MAX_INTERACTIVE_BODY = 1024
MAX_CALLBACK_DATA = 512
# Two upper-case letters (the country), a dot, up to 128 letters and digits.
USER_ID = re.compile(r"[A-Z]{2}\.[A-Za-z0-9]{1,128}")
PARENT_USER_ID = re.compile(r"[A-Z]{2}\.ENT\.[A-Za-z0-9]{1,128}")


def is_user_id(value) -> bool:
    """True for a business-scoped user id (``US.13491208655302741918``) that a message
    can be sent to; False for a phone number, a parent BSUID (``US.ENT.…``) or else."""
    return isinstance(value, str) and USER_ID.fullmatch(value.strip()) is not None


def is_parent_user_id(value) -> bool:
    """True for a parent BSUID (``US.ENT.11815799212886844830``): not a send address."""
    return isinstance(value, str) and PARENT_USER_ID.fullmatch(value.strip()) is not None


def _recipient(to):
    """``{"to": number}`` (spaces removed, "+" kept as given) or ``{"recipient": bsuid}``."""
    if is_parent_user_id(to):
        raise ValueError(
            f"{str(to).strip()} is a parent business-scoped user id: send to the user's own "
            "id (CC.digits) or phone number"
        )
    if is_user_id(to):
        return {"recipient": to.strip()}
    to = str(to or "").replace(" ", "")
    if not to:
        raise ValueError("A message needs a recipient number")
    return {"to": to}


def _message(to, kind, content, reply_to=None):
    payload = {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        **_recipient(to),
        "type": kind,
        kind: content,
    }
    if reply_to:
        payload["context"] = {"message_id": reply_to}
    return payload


def _media_object(media_id=None, link=None, **extra):
    if bool(media_id) == bool(link):
        raise ValueError("Give exactly one of a media id and a link")
    media = {"id": media_id} if media_id else {"link": link}
    media.update({key: value for key, value in extra.items() if value})
    return media


def build_text(to, body, preview_url=False, reply_to=None):
    if not body:
        raise ValueError("A text message needs a body")
    return _message(to, "text", {"body": body, "preview_url": bool(preview_url)}, reply_to)


def build_template(to, name, language_code, components=None, reply_to=None):
    # Meta's spec also marks language.policy ("deterministic") as required; the live API
    # does not need it, so it is not sent.
    template = {"name": name, "language": {"code": language_code}}
    if components:
        template["components"] = list(components)
    return _message(to, "template", template, reply_to)


def _parameter(value):
    """A template parameter: text from a str (or number), Meta's own dict otherwise
    (``{"type": "currency", ...}``, ``{"type": "date_time", ...}``)."""
    if isinstance(value, dict):
        return value
    if isinstance(value, str) or (isinstance(value, int | float) and not isinstance(value, bool)):
        return {"type": "text", "text": str(value)}
    raise TypeError(f"A template parameter is a str or a dict, not {type(value).__name__}")


def _header_component(header):
    if isinstance(header, str):
        return {"type": "header", "parameters": [_parameter(header)]}
    kind = header.get("type")
    if kind not in HEADER_MEDIA:
        raise ValueError(f"A template media header is one of {HEADER_MEDIA}, not {kind!r}")
    filename = header.get("filename")
    if filename and kind != "document":
        raise ValueError("Only a document header has a filename")
    media = _media_object(header.get("id"), header.get("link"), filename=filename)
    return {"type": "header", "parameters": [{"type": kind, kind: media}]}


def template_components(header=None, body=None, buttons=None):
    """The ``components`` of a template message; empty parts are left out.

    header: a text, or ``{"type": "document"|"image", "id" or "link", "filename"?}``;
    body: the body parameters in order, a str becomes a text parameter and a dict
    (currency, date_time) is passed through; buttons: quick-reply payloads (str), whose
    index is their position, or button component dicts passed through.
    """
    components = []
    if header:
        components.append(_header_component(header))
    if body:
        components.append({"type": "body", "parameters": [_parameter(v) for v in body]})
    for index, button in enumerate(buttons or ()):
        if isinstance(button, dict):
            components.append(button)
        elif isinstance(button, str) and button:
            components.append(
                {
                    "type": "button",
                    "sub_type": "quick_reply",
                    "index": str(index),
                    "parameters": [{"type": "payload", "payload": button}],
                }
            )
        else:
            raise ValueError(f"Quick-reply button {index} needs a payload, got {button!r}")
    return components


def build_reply_buttons(  # noqa: PLR0917 - the agreed signature
    to, body, buttons, header=None, footer=None, reply_to=None
):
    """An interactive message with 1 to 3 reply buttons, given as (id, title) pairs."""
    buttons = [tuple(button) for button in buttons]
    if not 1 <= len(buttons) <= MAX_REPLY_BUTTONS:
        raise ValueError(f"WhatsApp allows 1 to {MAX_REPLY_BUTTONS} reply buttons")
    for button_id, title in buttons:
        if not button_id or not title:
            raise ValueError("Every reply button needs an id and a title")
        if len(title) > MAX_BUTTON_TITLE:
            raise ValueError(f"Button title {title!r} is longer than {MAX_BUTTON_TITLE} characters")
    if len({button_id for button_id, _title in buttons}) != len(buttons):
        raise ValueError("Reply button ids must be unique")
    if not body:
        raise ValueError("An interactive message needs a body")
    interactive = {
        "type": "button",
        "body": {"text": body},
        "action": {
            "buttons": [
                {"type": "reply", "reply": {"id": button_id, "title": title}}
                for button_id, title in buttons
            ]
        },
    }
    if header:
        interactive["header"] = {"type": "text", "text": header}
    if footer:
        interactive["footer"] = {"text": footer}
    return _message(to, "interactive", interactive, reply_to)


def build_list(  # noqa: PLR0917 - same shape as build_reply_buttons
    to, body, button, sections, header=None, footer=None, reply_to=None
):
    """An interactive list: ``button`` opens it, ``sections`` are ``(title, rows)`` pairs
    and each row ``(id, title)`` or ``(id, title, description)``. The patient's choice
    comes back as a ``list_reply`` with the row's id."""
    sections = [(title, [tuple(row) for row in rows]) for title, rows in sections]
    rows = [row for _title, section_rows in sections for row in section_rows]
    if not 1 <= len(rows) <= MAX_LIST_ROWS:
        raise ValueError(f"WhatsApp allows 1 to {MAX_LIST_ROWS} list rows in all")
    if not body or len(body) > MAX_INTERACTIVE_BODY:
        raise ValueError(f"A list needs a body of at most {MAX_INTERACTIVE_BODY} characters")
    if not button or len(button) > MAX_BUTTON_TITLE:
        raise ValueError(f"The list's button needs 1 to {MAX_BUTTON_TITLE} characters")
    if len(sections) > 1 and not all(title for title, _rows in sections):
        raise ValueError("A list of several sections needs a title for each")
    for row in rows:
        row_id, title, *description = row
        if not row_id or not title or len(title) > MAX_ROW_TITLE:
            raise ValueError(f"Row {row!r} needs an id and a title of 1 to {MAX_ROW_TITLE}")
        if description and len(description[0] or "") > MAX_ROW_DESCRIPTION:
            raise ValueError(f"Row description {description[0]!r} is too long")
    if len({row[0] for row in rows}) != len(rows):
        raise ValueError("List row ids must be unique")

    def row_object(row):
        row_id, title, *description = row
        item = {"id": row_id, "title": title}
        if description and description[0]:
            item["description"] = description[0]
        return item

    interactive = {
        "type": "list",
        "body": {"text": body},
        "action": {
            "button": button,
            "sections": [
                {
                    **({"title": title} if title else {}),
                    "rows": [row_object(row) for row in section_rows],
                }
                for title, section_rows in sections
            ],
        },
    }
    if header:
        interactive["header"] = {"type": "text", "text": header}
    if footer:
        interactive["footer"] = {"text": footer}
    return _message(to, "interactive", interactive, reply_to)


def build_media(  # noqa: PLR0917 - the agreed signature
    to, media_type, media_id=None, link=None, caption=None, filename=None, reply_to=None
):
    """A media message by uploaded media id or by public link (exactly one of them)."""
    if media_type not in MEDIA_TYPES:
        raise ValueError(f"Media type is one of {MEDIA_TYPES}, not {media_type!r}")
    if caption and media_type not in CAPTIONED_MEDIA:
        raise ValueError(f"A {media_type} message cannot have a caption")
    if filename and media_type != "document":
        raise ValueError("Only a document message has a filename")
    media = _media_object(media_id, link, caption=caption, filename=filename)
    return _message(to, media_type, media, reply_to)


def with_callback_data(payload, data):
    """``payload`` with ``biz_opaque_callback_data``: a reference of the sender's own
    (at most 512 characters) that Meta echoes in the message's status webhooks."""
    if not data or len(data) > MAX_CALLBACK_DATA:
        raise ValueError(f"Callback data is 1 to {MAX_CALLBACK_DATA} characters")
    return {**payload, "biz_opaque_callback_data": data}


def build_read_receipt(message_id):
    """Mark an incoming message (and the ones before it) as read."""
    if not message_id:
        raise ValueError("A read receipt needs the id of the incoming message")
    return {"messaging_product": "whatsapp", "status": "read", "message_id": message_id}


def build_typing_indicator(message_id):
    """Mark an incoming message as read and show "typing…" to the patient (until the
    reply is sent, or for 25 seconds at most)."""
    return {**build_read_receipt(message_id), "typing_indicator": {"type": "text"}}
