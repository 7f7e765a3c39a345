"""Atom feeds of articles, by topic (a category slug) or by kind (news, policy...)."""

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from portal.constants import ArticleKind
from portal.models import Article, Category


class ArticleFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request, slug: str):
        if slug in ArticleKind.values:
            return ("kind", slug, str(ArticleKind(slug).label))
        category = Category.objects.filter(slug=slug).first()
        if category is None:
            raise Http404
        return ("topic", category, category.name)

    def title(self, obj) -> str:
        return f"一站 · {obj[2]}"

    def link(self, obj) -> str:
        return (
            reverse("portal:articles", args=[obj[1]])
            if obj[0] == "kind"
            else reverse("portal:catalogue") + f"?category={obj[1].slug}"
        )

    def subtitle(self, obj) -> str:
        return "Yizhan one-stop portal"

    def items(self, obj):
        qs = Article.objects.filter(kind=obj[1]) if obj[0] == "kind" else Article.objects.filter(topic=obj[1])
        return qs[:30]

    def item_title(self, item: Article) -> str:
        return item.name

    def item_description(self, item: Article) -> str:
        return item.summary or item.body[:200]

    def item_link(self, item: Article) -> str:
        return reverse("portal:article", args=[item.slug])

    def item_pubdate(self, item: Article):
        return item.published_at

    def item_updateddate(self, item: Article):
        return item.published_at
