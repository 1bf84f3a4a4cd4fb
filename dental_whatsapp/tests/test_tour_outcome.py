import re
from datetime import timedelta

from odoo.tests import freeze_time, new_test_user, tagged
from odoo.tools import mute_logger

from .common import WhatsappHttpCase

# Wednesday 4 March 2026, 10:00 in Rome: the summary opens on the last complete month,
# February, a month without demo history.
MARCH_NOW = "2026-03-04 09:00:00"
REPORT = "dental_whatsapp.action_report_outcome_summary"


@tagged("post_install", "-at_install")
class TestOutcomeTour(WhatsappHttpCase):
    """In the browser and on paper (wkhtmltopdf fetches the page's styles from the test
    server, which only an HttpCase runs)."""

    def setUp(self):
        super().setUp()
        self.enterContext(freeze_time(MARCH_NOW))
        self.dentist = new_test_user(
            self.env,
            login="outcome_tour_dentist",
            name="Dott.ssa Bianchi",
            groups="base.group_user,dental_whatsapp.group_dentist",
        )
        confirmation = self.env.ref("dental_whatsapp.template_appointment_confirmation_en")
        # Two February appointments whose confirmation request the patient confirmed:
        # one came, one did not (no-shows after a confirmed reminder: 1 of 2).
        for day, attendance in ((9, "no_show"), (10, "attended")):
            start = self.rome(2026, 2, day, 10, 0)
            event = self.book(start, wa_dentist_id=self.dentist.id)
            self.env["dental.whatsapp.message"].sudo().create(
                {
                    "account_id": self.account.id,
                    "direction": "out",
                    "partner_id": self.patient.id,
                    "template_id": confirmation.id,
                    "model": "calendar.event",
                    "res_id": event.id,
                    "state": "read",
                    "sent_date": start - timedelta(days=2),
                }
            )
            event.sudo().with_context(wa_no_rearm=True).write(
                {
                    "wa_confirmation_state": "confirmed",
                    "wa_patient_answer": "confirmed",
                    "wa_attendance": attendance,
                }
            )

    def test_a_dentist_reads_what_the_messages_achieve(self):
        self.start_tour("/odoo", "dental_whatsapp_outcome_tour", login=self.dentist.login)

    def test_the_month_prints_on_one_page(self):
        summary = self.env["dental.whatsapp.outcome.summary"].with_user(self.dentist).create({})
        self.assertEqual(summary.no_show_confirmed_text, "1 of 2 (50.0 %)")
        Report = self.env["ir.actions.report"].with_user(self.dentist)
        html = Report._render_qweb_html(REPORT, summary.ids)[0].decode()
        self.assertIn("1 of 2 (50.0 %)", html)
        # Debian's wkhtmltopdf (unpatched Qt) warns that it ignores Odoo's header options.
        with mute_logger("odoo.addons.base.models.ir_actions_report"):
            pdf, kind = Report.with_context(force_report_rendering=True)._render_qweb_pdf(
                REPORT, summary.ids
            )
        self.assertEqual(kind, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))
        self.assertEqual(len(re.findall(rb"/Type\s*/Page\b", pdf)), 1, "one page")
