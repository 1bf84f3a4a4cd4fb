/** @odoo-module */

// The WhatsApp inbox (kanban and list of conversations) follows the bus: a patient's
// message, a reply or a colleague opening a conversation shows without a reload.

import { onWillUnmount } from "@odoo/owl";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { kanbanView } from "@web/views/kanban/kanban_view";
import { KanbanController } from "@web/views/kanban/kanban_controller";
import { listView } from "@web/views/list/list_view";
import { ListController } from "@web/views/list/list_controller";

export const DESK_NOTIFICATION = "dental_whatsapp/conversation";

/** Reload the view's records whenever the desk changes (debounced: a burst of
 * messages reloads once). */
export function useDeskRefresh(reload) {
    const bus = useService("bus_service");
    let timer = null;
    const onChange = () => {
        clearTimeout(timer);
        timer = setTimeout(reload, 300);
    };
    bus.subscribe(DESK_NOTIFICATION, onChange);
    onWillUnmount(() => {
        clearTimeout(timer);
        bus.unsubscribe(DESK_NOTIFICATION, onChange);
    });
}

export class InboxKanbanController extends KanbanController {
    setup() {
        super.setup();
        useDeskRefresh(() => this.model.load());
    }
}

export class InboxListController extends ListController {
    setup() {
        super.setup();
        useDeskRefresh(() => {
            if (!this.model.root.editedRecord) {
                this.model.load();
            }
        });
    }
}

registry.category("views").add("dental_whatsapp_inbox_kanban", {
    ...kanbanView,
    Controller: InboxKanbanController,
});
registry.category("views").add("dental_whatsapp_inbox_list", {
    ...listView,
    Controller: InboxListController,
});
