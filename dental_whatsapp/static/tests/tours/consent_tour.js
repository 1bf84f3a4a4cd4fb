import { registry } from "@web/core/registry";

// Reception updates a patient's WhatsApp consent from the patient's form: the fields are
// read-only there, the button opens the form that records who, when and why.
registry.category("web_tour.tours").add("dental_whatsapp_consent_tour", {
    steps: () => [
        {
            content: "Open the patient's WhatsApp page",
            trigger: ".o_notebook .nav-link:contains(WhatsApp)",
            run: "click",
        },
        {
            content: "The consent cannot be ticked in place",
            trigger: ".o_field_widget[name=wa_consent_billing] input:disabled",
        },
        {
            content: "Update the consent",
            trigger: "button[name=action_wa_record_consent]",
            run: "click",
        },
        {
            content: "Add billing messages",
            trigger: ".modal .o_field_widget[name=billing] input",
            run: "click",
        },
        {
            content: "Say why",
            trigger: ".modal .o_field_widget[name=reason] textarea",
            run: "edit Signed the consent form at the desk",
        },
        {
            content: "Record it",
            trigger: ".modal button[name=action_confirm]",
            run: "click",
        },
        {
            content: "The chatter says who and why",
            trigger: ".o-mail-Message:contains(Signed the consent form at the desk)",
        },
    ],
});
