"""What administrators tune about search: groups of words that mean the same to the people who
type them, and the searches people make (the popular ones are offered as suggestions)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Scope(models.TextChoices):
    SERVICES = "services", _("government services")
    NOTICES = "notices", _("tender notices")


class SynonymGroup(models.Model):
    """Words and phrases that find the same things: a query holding one of them is also searched
    with each of the others in its place (驾照 → 驾驶证, 开公司 → 企业设立)."""

    words = models.TextField(
        _("words"),
        help_text=_("One word or phrase a line (or separated by commas); each finds what the others find."),
    )
    scope = models.CharField(
        _("used for"), max_length=16, choices=Scope.choices, blank=True, help_text=_("Empty: everywhere.")
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("synonym group")
        verbose_name_plural = _("synonym groups")

    def __str__(self) -> str:
        return " = ".join(self.word_list())

    def word_list(self) -> list[str]:
        from search.engine import synonym_words

        return synonym_words(self.words)


class SearchCount(models.Model):
    """How often a query that found something was searched (no user, no time of each search)."""

    scope = models.CharField(_("searched in"), max_length=16, choices=Scope.choices)
    query = models.CharField(_("query"), max_length=40)
    count = models.PositiveIntegerField(_("searches"), default=0)
    last_searched_at = models.DateTimeField(_("last searched"))
    hidden = models.BooleanField(
        _("hidden from popular searches"), default=False, help_text=_("Never offer this query to others.")
    )

    class Meta:
        ordering = ["-count", "query"]
        verbose_name = _("search count")
        verbose_name_plural = _("search counts")
        constraints = [models.UniqueConstraint(fields=["scope", "query"], name="search_count_unique")]
        indexes = [models.Index(fields=["scope", "hidden", "-count"], name="search_count_popular")]

    def __str__(self) -> str:
        return f"{self.query} ({self.count})"
