"""The phone page served at ``/``: a self-contained HTML file (inline CSS and JS) in
``static/phone.html`` that shows every patient's chat and lets a demo user answer."""

from functools import cache
from pathlib import Path

PAGE = Path(__file__).with_name("static") / "phone.html"


@cache
def phone_page():
    return PAGE.read_bytes()
