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
