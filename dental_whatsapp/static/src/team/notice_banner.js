/** @odoo-module */

// The practice's current service notices (the team channel's pinned notices), at the top
// of the WhatsApp inbox, kanban and list alike, until they expire. Odoo 18 no longer
// renders a view's banner_route: the inbox's own controllers show it.

import { Component, markup, onWillStart, useState } from "@odoo/owl";
import { rpc } from "@web/core/network/rpc";
import { InboxKanbanController, InboxListController } from "@dental_whatsapp/desk/inbox_views";

export const NOTICES_ROUTE = "/dental_whatsapp/team/notices";

export class TeamNoticeBanner extends Component {
    static template = "dental_whatsapp.TeamNoticeBanner";
    static props = {};

    setup() {
        this.state = useState({ html: "" });
        onWillStart(async () => {
            try {
                const { html } = await rpc(NOTICES_ROUTE);
                this.state.html = html ? markup(html) : "";
            } catch {
                this.state.html = ""; // the inbox works without its notices
            }
        });
    }
}

for (const [Controller, template] of [
    [InboxKanbanController, "dental_whatsapp.InboxKanbanView"],
    [InboxListController, "dental_whatsapp.InboxListView"],
]) {
    Controller.template = template;
    Controller.components = { ...Controller.components, TeamNoticeBanner };
}
