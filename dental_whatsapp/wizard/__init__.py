from . import dental_whatsapp_composer
