"""Odoo stores naive UTC datetimes; every "when" decision compares aware ones."""

from datetime import datetime, timezone


def aware(value):
    """``value`` as an aware UTC datetime (naive values are Odoo's UTC); None for an
    empty value (Odoo's False included)."""
    if not value:
        return None
    if isinstance(value, datetime) and value.tzinfo is None:
        return value.replace(tzinfo=timezone.utc)
    return value


def naive_utc(value):
    """``value`` as Odoo stores it: naive, in UTC; None for an empty value."""
    if not value:
        return None
    if value.tzinfo is not None:
        value = value.astimezone(timezone.utc).replace(tzinfo=None)
    return value
