{
    "name": "Dental WhatsApp: benchmarks",
    "version": "18.0.1.0.0",
    "summary": "Speed figures for make bench (webhook latency, dispatch rate); not for "
    "production databases",
    "category": "Hidden",
    "author": "dental_whatsapp contributors",
    "license": "LGPL-3",
    "depends": ["dental_whatsapp"],
    "installable": True,
}
