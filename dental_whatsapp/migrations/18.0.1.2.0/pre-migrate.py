"""18.0.1.2.0: the shipped templates' variables are records with XML ids of their own
(``<template id>_var<n>``), so that their meaning can be translated. Databases from
before created them inline, without ids: give the existing ones their ids first, so
that loading the (noupdate) data does not add each variable a second time."""


def migrate(cr, version):
    cr.execute(
        """
        INSERT INTO ir_model_data (module, name, model, res_id, noupdate)
        SELECT 'dental_whatsapp', imd.name || '_var' || var.index,
               'dental.whatsapp.template.variable', var.id, true
          FROM ir_model_data imd
          JOIN dental_whatsapp_template_variable var ON var.template_id = imd.res_id
         WHERE imd.module = 'dental_whatsapp'
           AND imd.model = 'dental.whatsapp.template'
        ON CONFLICT (module, name) DO NOTHING
        """
    )
