import { registry } from "@web/core/registry";

// Reception at the conversation desk: a patient writes while the inbox is on screen,
// the conversation appears without a reload; reception opens it, tries a heart (refused,
// with the reason), writes a plain answer and sends it on WhatsApp.
// The test sets window.dentalWhatsappSimulator to the simulator's address: the patient
// writes from the simulator's phone, as Meta's webhook would bring it.

async function patientWrites(text) {
    const simulator = window.dentalWhatsappSimulator;
    const post = (path, body) =>
        fetch(simulator + path, {
            method: "POST",
            mode: "no-cors",
            headers: { "Content-Type": "text/plain" },
            body: JSON.stringify(body),
        });
    await post("/_sim/inbound", { from: "393479876543", type: "text", text });
    await post("/_sim/flush", {});
}

registry.category("web_tour.tours").add("dental_whatsapp_desk_tour", {
    steps: () => [
        {
            content: "The inbox is on screen, with no conversation yet",
            trigger: ".o_dental_whatsapp_inbox",
            run: () => patientWrites("Buongiorno, mi si è rotta la protesi"),
        },
        {
            content: "The patient's message appears without a reload",
            trigger: ".o_kanban_record:contains(mi si è rotta la protesi)",
            run: "click",
        },
        {
            content: "Opening it tells the desk someone is on it",
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains(Opened)",
        },
        {
            content: "The patient's message is in the conversation",
            trigger: ".o-mail-Message:contains(mi si è rotta la protesi)",
        },
        {
            content: "Write a reply with a heart",
            trigger: ".o_wa_reply_body textarea",
            run: "edit Grazie a Lei ❤️",
        },
        {
            content: "Leave the box: the checks run",
            trigger: ".o_field_widget[name=quick_reply_id] input",
            run: "click",
        },
        {
            content: "The heart is refused, with the reason",
            trigger: ".o_wa_reply_check:contains(ambiguous emoji)",
        },
        {
            content: "Write a plain answer instead",
            trigger: ".o_wa_reply_body textarea",
            run: "edit Venga pure oggi alle 16, La aspettiamo.",
        },
        {
            content: "Leave the box again",
            trigger: ".o_field_widget[name=quick_reply_id] input",
            run: "click",
        },
        {
            content: "Nothing is refused any more",
            trigger: ".o_form_view:not(:has(.o_wa_reply_check:visible))",
        },
        {
            content: "Send it on WhatsApp",
            trigger: "button.o_wa_send_reply",
            run: "click",
        },
        {
            content: "The reply is in the conversation, and the patient is now the one to answer",
            trigger: ".o-mail-Message:contains(Venga pure oggi alle 16)",
        },
        {
            content: "Waiting for the patient",
            trigger:
                ".o_statusbar_status button.o_arrow_button_current:contains(Waiting for the Patient)",
        },
    ],
});
