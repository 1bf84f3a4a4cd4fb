# Pure-Python building blocks of dental_whatsapp. Nothing in this package imports
# odoo, so it is tested without a database (see the top-level tests/ folder).
