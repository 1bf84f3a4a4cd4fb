import { registry } from "@web/core/registry";

// Reception meets the conduct safeguards: an upset patient's conversation says not to
// argue on WhatsApp (with the call button and the reviewed "let's talk" reply) and warns
// when the answer argues; a clinical question says the dentist answers and offers the
// reviewed reply, which reception sends.

registry.category("web_tour.tours").add("dental_whatsapp_conduct_tour", {
    steps: () => [
        {
            content: "The upset patient's conversation is marked heated in the inbox",
            trigger: ".o_kanban_record:has(.o_wa_badge_heated):contains(Luca Bruni)",
            run: "click",
        },
        {
            content: "Opened: the desk knows someone is on it",
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains(Opened)",
        },
        {
            content: "The banner: do not argue on WhatsApp, call the patient",
            trigger: ".o_wa_triage_heated:contains(do not argue on WhatsApp) a[href^='tel:']",
        },
        {
            content: "Answer back",
            trigger: ".o_wa_reply_body textarea",
            run: "edit Lei ha torto, COME LE HO GIÀ DETTO!!!",
        },
        {
            content: "Leave the box: the checks run",
            trigger: ".o_wa_reply_box h5",
            run: "click",
        },
        {
            content: "Arguing is pointed out",
            trigger: ".o_wa_reply_warning:contains(arguing)",
        },
        {
            content: "The reviewed reply is offered",
            trigger: ".o_wa_suggested_reply:contains(talk by phone)",
        },
        {
            content: "Take it instead",
            trigger: "button.o_wa_use_suggested_reply",
            run: "click",
        },
        {
            content: "The reviewed reply is in the box, and nothing is pointed out",
            trigger:
                ".o_form_view:not(:has(.o_wa_reply_warning:visible)) .o_wa_reply_body textarea:value(It is better to talk it over)",
        },
        {
            content: "Back to the inbox",
            trigger: ".o_breadcrumb .o_back_button a",
            run: "click",
        },
        {
            content: "The clinical question is marked for the dentist",
            trigger: ".o_kanban_record:has(.o_wa_badge_clinical):contains(Maria Rossi)",
            run: "click",
        },
        {
            content: "Opened: the desk knows someone is on it",
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains(Opened)",
        },
        {
            content: "The banner: a clinical question, the dentist answers",
            trigger: ".o_wa_triage_clinical:contains(the dentist answers):contains(Dott.ssa Bianchi)",
        },
        {
            content: "The reviewed reply is offered",
            trigger: ".o_wa_suggested_reply:contains(The dentist will call you back)",
        },
        {
            content: "Use it",
            trigger: "button.o_wa_use_suggested_reply",
            run: "click",
        },
        {
            content: "It fills the reply box",
            trigger: ".o_wa_reply_body textarea:value(will call you back)",
        },
        {
            content: "Send it on WhatsApp",
            trigger: "button.o_wa_send_reply",
            run: "click",
        },
        {
            content: "The reply is in the conversation",
            trigger: ".o-mail-Message:contains(will call you back)",
        },
    ],
});
