"""Small facts about documents the practice sends."""


def is_pdf(content) -> bool:
    """Whether ``content`` (bytes) is a PDF, as wkhtmltopdf makes one."""
    return bool(content) and content[:5] == b"%PDF-"
