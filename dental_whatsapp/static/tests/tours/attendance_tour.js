import { registry } from "@web/core/registry";

// Reception after an extraction nobody marked: the appointment says so, reception marks
// it attended, and the check-in is planned.

registry.category("web_tour.tours").add("dental_whatsapp_attendance_tour", {
    steps: () => [
        {
            content: "The appointment says nobody marked whether the patient came",
            trigger: ".o_wa_attendance_to_mark:contains(nobody marked whether the patient came)",
        },
        {
            content: "The patient came",
            trigger: "button[name=action_wa_mark_attended]",
            run: "click",
        },
        {
            content: "The appointment is marked attended, and the banner is gone",
            trigger:
                ".o_form_view:not(:has(.o_wa_attendance_to_mark:visible)) .o_field_widget[name=wa_attendance]:contains(Attended)",
        },
    ],
});
