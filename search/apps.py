from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    """The platform's one search engine (docs/search.md): ranking, synonyms, popular searches and
    "did you mean", shared by the portal's services and the public tender notices."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "search"
    verbose_name = _("Site search")
