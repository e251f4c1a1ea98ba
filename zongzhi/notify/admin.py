"""The outbox in the admin: what failed or is stuck, and 重新发送. Phones are shown masked."""

from django.contrib import admin, messages

from zongzhi.notify.delivery import resend
from zongzhi.notify.models import Message


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    list_display = [
        "created_at",
        "channel",
        "kind",
        "recipient",
        "status",
        "attempts",
        "next_attempt_at",
        "last_error",
    ]
    list_filter = ["status", "channel", "kind"]
    date_hierarchy = "created_at"
    list_select_related = ["recipient_user"]
    fields = [
        "channel",
        "kind",
        "recipient",
        "text",
        "case",
        "status",
        "attempts",
        "next_attempt_at",
        "sending_started_at",
        "sent_at",
        "last_error",
        "created_at",
        "read_at",
        "idempotency_key",
    ]
    readonly_fields = fields
    actions = ["resend_messages"]

    @admin.display(description="接收人")
    def recipient(self, message: Message) -> str:
        return message.recipient_label

    @admin.action(description="重新发送")
    def resend_messages(self, request, queryset):
        count = resend(queryset)
        messages.success(
            request, f"已将 {count} 条消息重新排队发送（已发送的消息和站内消息不受影响）"
        )

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
