from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from shangliang.core import admin as core_admin
from shangliang.core.errors import DomainError
from shangliang.hotline import services
from shangliang.hotline.models import Classifier, HotIssue, PlaceAlias, Record, Source


@admin.register(Source)
class SourceAdmin(core_admin.NoDeleteAdmin):
    list_display = ["name", "kind", "region", "is_archived"]
    list_filter = ["kind", "is_archived"]
    readonly_fields = ["mapping"]


@admin.register(Record)
class RecordAdmin(core_admin.ReadOnlyAdmin):
    """Records change through the hotline pages (places, categories, groups), where scope is checked."""

    list_display = ["external_id", "kind", "received_at", "region", "place_status", "category", "category_by"]
    list_filter = ["kind", "place_status", "category_by"]
    search_fields = ["external_id", "title"]
    list_select_related = ["region", "category"]
    exclude = ["reporter_phone", "reporter_name", "original"]


@admin.register(HotIssue)
class HotIssueAdmin(core_admin.ReadOnlyAdmin):
    list_display = ["title", "region", "status", "record_count", "heat"]
    list_filter = ["status"]


@admin.register(PlaceAlias)
class PlaceAliasAdmin(core_admin.NoDeleteAdmin):
    list_display = ["name", "region", "origin", "is_archived"]
    list_filter = ["origin", "is_archived"]
    search_fields = ["name"]


@admin.action(description=_("用已分类的记录重新训练（生成新版本）"))
def retrain(modeladmin, request, queryset):
    try:
        trained = services.classifier_train(actor=request.user)
    except DomainError as error:
        modeladmin.message_user(request, error.message, messages.ERROR)
        return
    done = {"v": trained.version, "f": trained.figures.get("macro_f1")}
    modeladmin.message_user(request, _("已训练模型 v%(v)s（交叉验证 macro-F1 %(f)s）。") % done)


@admin.register(Classifier)
class ClassifierAdmin(core_admin.NoDeleteAdmin):
    list_display = ["version", "trained_at", "training_size", "is_active"]
    readonly_fields = ["version", "trained_at", "trained_by", "training_size", "labels", "figures"]
    exclude = ["model"]
    actions = [retrain]

    def has_add_permission(self, request):
        return False
