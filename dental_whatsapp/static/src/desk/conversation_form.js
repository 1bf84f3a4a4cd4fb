/** @odoo-module */

// A conversation's form: opening it is what sends the patient the blue ticks (never
// the message's arrival), and new messages appear in its chatter as they come.

import { onMounted, onWillUnmount } from "@odoo/owl";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { formView } from "@web/views/form/form_view";
import { FormController } from "@web/views/form/form_controller";
import { DESK_NOTIFICATION } from "./inbox_views";

export class ConversationFormController extends FormController {
    setup() {
        super.setup();
        this.orm = useService("orm");
        this.bus = useService("bus_service");
        this.lastOpened = null;
        this.onDeskChange = this.onDeskChange.bind(this);
        this.bus.subscribe(DESK_NOTIFICATION, this.onDeskChange);
        onMounted(() => this.markOpened());
        onWillUnmount(() => this.bus.unsubscribe(DESK_NOTIFICATION, this.onDeskChange));
    }

    /** The person looking at the conversation has seen the patient's messages. */
    async markOpened() {
        const root = this.model.root;
        if (!root?.resId) {
            return;
        }
        const state = root.data.state;
        const unread = root.data.unread_count;
        if (this.lastOpened === root.resId && state !== "new" && !unread) {
            return;
        }
        this.lastOpened = root.resId;
        if (state === "new" || unread) {
            // The server tells the desk (and this form) over the bus: that one reload
            // shows "Opened". Loading here too would race it, and a reply typed between
            // the two loads would be lost. Without the bus, reload after a while.
            this.awaitingOpened = root.resId;
            await this.orm.call(root.resModel, "action_mark_opened", [[root.resId]]);
            setTimeout(async () => {
                if (this.awaitingOpened === root.resId && !(await root.isDirty())) {
                    this.awaitingOpened = null;
                    await this.model.load();
                }
            }, 3000);
        }
    }

    async onDeskChange(payload) {
        // The bus may speak before the record is loaded, or after the form left.
        const root = this.model.root;
        const ids = (payload || []).map((item) => item.id);
        if (!root?.resId || !ids.includes(root.resId)) {
            return;
        }
        this.awaitingOpened = null;
        // isDirty(), not dirty: it also counts what is being typed and not yet committed
        // to the record (a reload then would wipe the first words of a reply).
        if (await root.isDirty()) {
            // A reply is being written: keep it, refresh only the messages.
            this.env.bus.trigger("MAIL:RELOAD-THREAD", { model: root.resModel, id: root.resId });
            return;
        }
        await this.model.load();
        const item = payload.find((entry) => entry.id === root.resId);
        if (item && item.state === "new") {
            // Still on screen: the new message is seen as it arrives.
            await this.markOpened();
        }
    }
}

registry.category("views").add("dental_whatsapp_conversation_form", {
    ...formView,
    Controller: ConversationFormController,
});
