import { registry } from "@web/core/registry";

// Reception after a patient chose a new time on WhatsApp: the conversation shows the
// list the patient got, what they pressed and the note that the appointment moved; the
// appointment shows the new time, confirmed.

registry.category("web_tour.tours").add("dental_whatsapp_booking_conversation_tour", {
    steps: () => [
        {
            content: "The desk lists Giulia's conversation",
            trigger: ".o_dental_whatsapp_inbox .o_kanban_record:contains(Giulia Bianchi)",
            run: "click",
        },
        {
            content: "The free times the patient was offered",
            trigger: ".o-mail-Message:contains(mer 25 nov, 10:00)",
        },
        {
            content: "What the patient pressed",
            trigger: ".o-mail-Message-body:contains(gio 26 nov, 09:30):not(:contains(mer 25 nov))",
        },
        {
            content: "Reception is told the appointment moved there",
            trigger: ".o-mail-Message:contains(moved there)",
        },
    ],
});

registry.category("web_tour.tours").add("dental_whatsapp_booking_event_tour", {
    steps: () => [
        {
            content: "The appointment is confirmed by the patient's choice",
            trigger:
                ".o_statusbar_status button.o_arrow_button_current:contains(Confirmed)",
        },
        {
            content: "Its log says the patient chose the new time, and what it was before",
            trigger:
                ".o-mail-Message:contains(chose gio 26 nov, 09:30 on WhatsApp):contains(it was giovedì 26 novembre alle 10:30)",
        },
    ],
});
