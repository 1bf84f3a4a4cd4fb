import { registry } from "@web/core/registry";

// A dentist opens Reporting > What the Messages Achieve, reads the month's no-show
// comparison, then looks at the same facts in the pivot and the graph.

const REPORTING = "dental_whatsapp.menu_dental_whatsapp_reporting";

// The app has many menus: Reporting is in the navbar, or under its "+" (more) menu when
// the screen is too narrow for all of them.
function openReporting() {
    return {
        content: "Open Reporting",
        trigger: ".o_main_navbar .o_menu_brand:contains(WhatsApp)",
        async run() {
            // The navbar moves the sections that do not fit under "+" once it has
            // measured them: wait for either.
            for (let attempt = 0; attempt < 100; attempt++) {
                const section = document.querySelector(
                    `.o_menu_sections [data-menu-xmlid='${REPORTING}']`
                );
                if (section && section.offsetParent) {
                    section.click();
                    return;
                }
                const more = document.querySelector(".o_menu_sections_more button");
                if (more && more.offsetParent) {
                    more.click();
                    return;
                }
                await new Promise((resolve) => setTimeout(resolve, 100));
            }
            throw new Error("The Reporting menu is neither in the navbar nor under +");
        },
    };
}

registry.category("web_tour.tours").add("dental_whatsapp_outcome_tour", {
    steps: () => [
        {
            content: "Open the apps menu",
            trigger: ".o_navbar_apps_menu button",
            run: "click",
        },
        {
            content: "Open WhatsApp",
            trigger: ".o_app[data-menu-xmlid='dental_whatsapp.menu_dental_whatsapp_root']",
            run: "click",
        },
        openReporting(),
        {
            content: "The month in figures",
            trigger: "[data-menu-xmlid='dental_whatsapp.menu_dental_whatsapp_outcome_summary']",
            run: "click",
        },
        {
            content: "The reminders sent this month are counted",
            // The exact text: "2", not any text with a 2 in it ("12", "2026").
            trigger: ".o_field_widget[name=reminders_sent]:contains(/^\\s*2\\s*$/)",
        },
        {
            content: "No-shows after a confirmed reminder",
            trigger: ".o_field_widget[name=no_show_confirmed_text]:contains('1 of 2 (50.0 %)')",
        },
        openReporting(),
        {
            content: "The same facts, to analyse",
            trigger: "[data-menu-xmlid='dental_whatsapp.menu_dental_whatsapp_outcome']",
            run: "click",
        },
        {
            // Every month is in the pivot (the demo history too): February's row, the
            // Reminders Sent column, exactly 2.
            content: "The pivot counts February's reminders: 2",
            trigger: ".o_pivot tbody th:contains(February 2026)",
            run() {
                const measures = [
                    ...document.querySelectorAll(".o_pivot thead th.o_pivot_measure_row"),
                ].map((th) => th.textContent.trim());
                const column = measures.indexOf("Reminders Sent");
                const row = [...document.querySelectorAll(".o_pivot tbody tr")].find(
                    (tr) => tr.querySelector("th")?.textContent.trim() === "February 2026"
                );
                const cells = row ? row.querySelectorAll("td.o_pivot_cell_value") : [];
                const text = column >= 0 && cells[column] ? cells[column].textContent.trim() : "";
                if (text !== "2") {
                    throw new Error(`February's Reminders Sent in the pivot: "${text}", not "2"`);
                }
            },
        },
        {
            content: "Switch to the graph",
            trigger: ".o_switch_view.o_graph",
            run: "click",
        },
        {
            content: "The graph is drawn",
            trigger: ".o_graph_renderer canvas",
        },
    ],
});
