from . import (
    dental_whatsapp_ask_colleague,
    dental_whatsapp_composer,
    dental_whatsapp_consent,
    dental_whatsapp_enquiry,
    dental_whatsapp_hold_lift,
    dental_whatsapp_instruction_send,
    dental_whatsapp_transcript,
)
