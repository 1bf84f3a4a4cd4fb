/** @odoo-module */

// WhatsApp delivery in Odoo's own places: the chatter's status icon on each WhatsApp
// entry, and the messaging menu's failure tray (as the sms module does for SMS).

import { Failure } from "@mail/core/common/failure_model";
import { Notification } from "@mail/core/common/notification_model";
import { MessagingMenu } from "@mail/core/public_web/messaging_menu";
import { _t } from "@web/core/l10n/translation";
import { patch } from "@web/core/utils/patch";

patch(Notification.prototype, {
    get icon() {
        if (this.notification_type === "whatsapp") {
            return "fa fa-whatsapp";
        }
        return super.icon;
    },
    get label() {
        if (this.notification_type === "whatsapp") {
            return _t("WhatsApp");
        }
        return super.label;
    },
});

patch(Failure.prototype, {
    get iconSrc() {
        if (this.type === "whatsapp") {
            return "/dental_whatsapp/static/description/icon.png";
        }
        return super.iconSrc;
    },
    get body() {
        if (this.type === "whatsapp") {
            if (this.notifications.length === 1 && this.lastMessage?.thread) {
                return _t("A WhatsApp message to “%(record_name)s” was not delivered", {
                    record_name: this.lastMessage.thread.name,
                });
            }
            return _t("WhatsApp messages were not delivered");
        }
        return super.body;
    },
});

patch(MessagingMenu.prototype, {
    openFailureView(failure) {
        if (failure.type !== "whatsapp") {
            return super.openFailureView(failure);
        }
        this.env.services.action.doAction("dental_whatsapp.action_dental_whatsapp_message", {
            additionalContext: { search_default_filter_failed: 1 },
        });
        this.dropdown.close();
    },
    getFailureNotificationName(failure) {
        if (failure.type === "whatsapp") {
            return _t("WhatsApp Failure: %(modelName)s", { modelName: failure.modelName });
        }
        return super.getFailureNotificationName(...arguments);
    },
});
