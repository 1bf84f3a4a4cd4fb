import { registry } from "@web/core/registry";

// The dentist after a visit: prescribes a rinse from the appointment, writes a night-time
// dose by mistake and is told why it cannot be, corrects it and starts the reminders.

registry.category("web_tour.tours").add("dental_whatsapp_therapy_tour", {
    steps: () => [
        {
            content: "Prescribe from the appointment",
            trigger: "button[name=action_wa_therapies]",
            run: "click",
        },
        {
            content: "A new plan for this patient",
            trigger: ".o_list_button_add",
            run: "click",
        },
        {
            content: "The medicine",
            trigger: ".o_field_widget[name=medicine] input",
            run: "edit Chlorhexidine mouthwash 0.2%",
        },
        {
            content: "The dose",
            trigger: ".o_field_widget[name=dose] input",
            run: "edit rinse for 1 minute with 10 ml",
        },
        {
            content: "A dose time at night, by mistake",
            trigger: ".o_field_widget[name=dose_times] input",
            run: "edit 08:00, 23:00",
        },
        {
            content: "Save",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "The dentist is told the time is outside the care hours",
            trigger: ".modal:contains(23:00 is outside the care hours)",
        },
        {
            content: "Close the message",
            trigger: ".modal .modal-footer .btn-primary",
            run: "click",
        },
        {
            content: "The evening dose at 20:00",
            trigger: "body:not(:has(.modal)) .o_field_widget[name=dose_times] input",
            run: "edit 08:00, 20:00",
        },
        {
            content: "Save",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "Start the reminders",
            trigger: ".o_form_saved button[name=action_start]",
            run: "click",
        },
        {
            content: "The reminders are running and the next one is planned",
            trigger:
                ".o_statusbar_status button.o_arrow_button_current:contains(Reminders Running)",
        },
        {
            content: "The first reminder waits for its dose time",
            trigger: ".o_field_widget[name=reminder_ids] .o_data_row:contains(Queued)",
        },
    ],
});
