from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicityConfig(AppConfig):
    name = "shangliang.publicity"
    label = "publicity"
    verbose_name = _("宣传公开")

    def ready(self):
        from shangliang.core.media import register_protected_file
        from shangliang.publicity import permissions
        from shangliang.publicity.models import ArchiveDocument, ArticlePhoto

        # Uploaded files are served only to users their app allows (core.media_views): a published item's
        # photos to anyone, the archive's attachments to its readers.
        register_protected_file(ArticlePhoto, "image", permissions.can_download_article_photo, folder="news/")
        register_protected_file(ArchiveDocument, "attachment", permissions.can_download_document_attachment)
