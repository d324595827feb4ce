"""What the desk's Proposed queue shows of followed feeds: proposals grouped
by the article they came from (its title, outlet and link), and the feed it
came through, so an editor can mute the feed or a kind of proposal from it.

`group_proposals(rows)` takes the desk's rows (each with `.item` and
`.citations`, their sources loaded) and returns groups in the order of their
first row: one per followed article, then one (article None) for the
proposals that came from no followed feed (a pasted article, a calendar).
Two queries, whatever the number of rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from timeline.lifecycle import Kind

from .models import Article


@dataclass
class ArticleGroup:
    article: Article | None
    rows: list = field(default_factory=list)

    @property
    def kinds(self) -> list[str]:
        """The kinds among its proposals that its feed does not mute yet: what a mute button may offer."""
        if self.article is None:
            return []
        present = {row.item.kind for row in self.rows}
        return [kind for kind in Kind.values if kind in present and kind not in self.article.feed.mutes]


def group_proposals(rows) -> list[ArticleGroup]:
    source_ids = {c.source_id for row in rows for c in row.citations}
    articles = {a.source_id: a for a in Article.objects.filter(source_id__in=source_ids)
                .select_related("outlet", "feed", "feed__outlet")}
    groups: dict[int | None, ArticleGroup] = {}
    for row in rows:
        article = next((articles[c.source_id] for c in row.citations if c.source_id in articles), None)
        key = article.pk if article else None
        groups.setdefault(key, ArticleGroup(article=article)).rows.append(row)
    ordered = [g for k, g in groups.items() if k is not None]
    if None in groups:
        ordered.append(groups[None])
    return ordered
