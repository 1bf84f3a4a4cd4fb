{
    "name": "Dental WhatsApp",
    "version": "18.0.1.0.0",
    "summary": "Run the practice's WhatsApp from Odoo: reminders, payment requests and a "
    "chatter record of every message, with policy checks on the server",
    "category": "Productivity/Discuss",
    "author": "dental_whatsapp contributors",
    "license": "LGPL-3",
    "depends": ["mail", "calendar", "account", "resource", "phone_validation", "portal"],
    "external_dependencies": {"python": ["requests", "phonenumbers"]},
    "data": [
        "security/dental_whatsapp_groups.xml",
        "security/ir.model.access.csv",
        "data/mail_message_subtype_data.xml",
        "data/ir_cron_data.xml",
        "views/dental_whatsapp_account_views.xml",
        "views/dental_whatsapp_message_views.xml",
        "views/dental_whatsapp_template_views.xml",
        "views/res_partner_views.xml",
        "views/res_config_settings_views.xml",
        "views/dental_whatsapp_menus.xml",
    ],
    "demo": [
        "demo/dental_whatsapp_account_demo.xml",
        "demo/dental_whatsapp_demo.xml",
    ],
    "application": True,
    "installable": True,
}
