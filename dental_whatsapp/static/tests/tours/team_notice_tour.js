import { registry } from "@web/core/registry";

// A manager posted a service notice: reception sees it at the top of the WhatsApp
// inbox, in the kanban and in the list.
registry.category("web_tour.tours").add("dental_whatsapp_team_notice_tour", {
    steps: () => [
        {
            content: "The notice is at the top of the inbox (kanban)",
            trigger: ".o_kanban_view .o_wa_notice_banner .o_wa_notice:contains(Autoclave out of order)",
        },
        {
            content: "Switch to the list",
            trigger: ".o_switch_view.o_list",
            run: "click",
        },
        {
            content: "The notice is at the top of the list too",
            trigger: ".o_list_view .o_wa_notice_banner .o_wa_notice:contains(Autoclave out of order)",
        },
    ],
});

// A manager posts a notice that also goes to the phones of the staff who agreed: the
// form says how many, shows the notice posted and lists what was sent.
registry.category("web_tour.tours").add("dental_whatsapp_staff_phones_tour", {
    steps: () => [
        {
            content: "Send it to staff phones too",
            trigger: ".o_field_widget[name=send_to_staff_phones] input",
            run: "click",
        },
        {
            content: "Post it",
            trigger: "button[name=action_post]",
            run: "click",
        },
        {
            content: "The manager reads how many phones it goes to",
            trigger: ".o_notification:contains(1 staff phone)",
        },
        {
            content: "The form shows the notice posted, with no second Post to press",
            trigger: ".o_statusbar_status .o_arrow_button_current:contains(Posted)",
        },
        {
            content: "What went to staff phones",
            trigger: "button[name=action_view_wa_staff_messages]:contains(On Staff Phones)",
            run: "click",
        },
        {
            content: "The dentist's message is listed",
            trigger: ".o_list_view .o_data_row:contains(Dott. Neri)",
        },
    ],
});
