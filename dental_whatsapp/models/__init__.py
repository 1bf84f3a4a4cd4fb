from . import dental_whatsapp_account
from . import dental_whatsapp_template
from . import dental_whatsapp_message
from . import dental_whatsapp_outbox
from . import dental_whatsapp_event
from . import mail_message
from . import res_partner
