/** @odoo-module */

// The systray's WhatsApp counter: conversations waiting for the practice (new or
// opened and not answered); red when one is late. One click opens the inbox.

import { Component, onWillStart, useState } from "@odoo/owl";
import { registry } from "@web/core/registry";
import { user } from "@web/core/user";
import { useService } from "@web/core/utils/hooks";
import { useDeskRefresh } from "./inbox_views";

export class DeskSystray extends Component {
    static template = "dental_whatsapp.DeskSystray";
    static props = {};

    setup() {
        this.orm = useService("orm");
        this.action = useService("action");
        this.state = useState({ count: 0, late: 0, allowed: false });
        onWillStart(async () => {
            this.state.allowed = await user.hasGroup("dental_whatsapp.group_reception");
            await this.refresh();
        });
        useDeskRefresh(() => this.refresh());
    }

    async refresh() {
        if (!this.state.allowed) {
            return;
        }
        const waiting = [["state", "in", ["new", "opened"]]];
        const [count, late] = await Promise.all([
            this.orm.searchCount("dental.whatsapp.conversation", waiting),
            this.orm.searchCount("dental.whatsapp.conversation", [
                ...waiting,
                ["is_late", "=", true],
            ]),
        ]);
        this.state.count = count;
        this.state.late = late;
    }

    openInbox() {
        this.action.doAction("dental_whatsapp.action_dental_whatsapp_conversation", {
            clearBreadcrumbs: true,
        });
    }
}

registry.category("systray").add("dental_whatsapp.desk", { Component: DeskSystray }, {
    sequence: 26,
});
