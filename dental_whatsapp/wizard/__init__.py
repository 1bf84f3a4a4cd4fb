from . import dental_whatsapp_composer, dental_whatsapp_consent
