"""The search engine itself, without the database (docs/search.md): terms, synonym variants of a
query, BM25 ranking that does not need every term, and "did you mean".

Terms come from the platform's one tokenizer (config/bigrams.py): the character bigrams of each run
of Chinese characters (a lone character stands for itself) and Latin words kept whole, which match
as prefixes ("marri" finds "marriage"). A query is scored as itself and as each synonym variant
(the query with one word of a synonym group replaced by another); a document keeps its best score.
A document must hold at least half of a variant's terms, and come within a fraction of the best
document's score, so one common bigram ("登记") does not drag the whole catalogue in."""

import difflib
import math
import re
from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from config.bigrams import CJK, bigrams, normalise

# BM25's usual constants: term-frequency saturation and length normalisation.
K1 = 1.2
B = 0.75
# A document must hold this share of a variant's distinct terms...
MIN_SHOULD_MATCH = 0.5
# ...and score at least this share of the best document's score.
MIN_RELATIVE_SCORE = 0.25
# A synonym variant counts a little less than what was typed.
SYNONYM_WEIGHT = 0.9
MAX_VARIANTS = 12
# "Did you mean": how alike (difflib's ratio over characters) a suggestion must be.
SUGGESTION_CUTOFF = 0.6

_WORD = re.compile(r"[a-z0-9]+")
_SPLIT = re.compile(r"[\n,，、;；=]+")


def terms(text: str) -> list[str]:
    """The terms of `text` in order, repeated as often as they occur."""
    text = normalise(text)
    found = [token for run in CJK.findall(text) for token in bigrams(run)]
    found.extend(_WORD.findall(CJK.sub(" ", text)))
    return found


def synonym_words(words: str) -> list[str]:
    """The normalised words of a synonym group as administrators type it (one a line or comma-separated)."""
    return list(dict.fromkeys(w for w in (normalise(p).strip() for p in _SPLIT.split(words or "")) if w))


@dataclass(frozen=True)
class Variant:
    text: str
    weight: float
    terms: tuple[str, ...]


def variants(query: str, groups: Iterable[Sequence[str]] = ()) -> list[Variant]:
    """The query itself, then the query with each synonym it contains replaced by each other word of
    its group (longest words first, so 办营业执照 wins over 营业执照)."""
    query = normalise(query).strip()
    found = [Variant(query, 1.0, tuple(dict.fromkeys(terms(query))))]
    seen = {query}
    replacements: list[tuple[str, str]] = []
    for group in groups:
        for word in sorted(group, key=len, reverse=True):
            if word and word in query:
                replacements += [(word, other) for other in group if other != word]
                break
    for word, other in replacements:
        text = query.replace(word, f" {other} ")
        text = " ".join(text.split())
        if text not in seen and len(found) < MAX_VARIANTS:
            seen.add(text)
            found.append(Variant(text, SYNONYM_WEIGHT, tuple(dict.fromkeys(terms(text)))))
    return [v for v in found if v.terms]


@dataclass
class Hit:
    key: Hashable
    score: float
    variant: str


@dataclass
class Index:
    """BM25F over a small set of documents held in memory: each document is a few fields of text,
    and a term in a heavier field (the name) counts as if it occurred more often."""

    weights: Mapping[str, float]
    _tf: dict[Hashable, dict[str, float]] = field(default_factory=dict)
    _length: dict[Hashable, float] = field(default_factory=dict)
    _df: Counter = field(default_factory=Counter)

    @classmethod
    def of(
        cls, documents: Iterable[tuple[Hashable, Mapping[str, str]]], weights: Mapping[str, float]
    ) -> "Index":
        index = cls(weights=weights)
        for key, fields in documents:
            index.add(key, fields)
        return index

    def add(self, key: Hashable, fields: Mapping[str, str]) -> None:
        tf: defaultdict[str, float] = defaultdict(float)
        for name, text in fields.items():
            weight = self.weights.get(name, 1.0)
            for term in terms(text or ""):
                tf[term] += weight
        self._tf[key] = dict(tf)
        self._length[key] = sum(tf.values())
        self._df.update(tf.keys())

    def __len__(self) -> int:
        return len(self._tf)

    def _frequency(self, term: str, tf: Mapping[str, float]) -> float:
        if CJK.match(term):
            return tf.get(term, 0.0)
        # A Latin word matches as a prefix of the document's words.
        return sum(n for word, n in tf.items() if word.startswith(term))

    def _document_frequency(self, term: str) -> int:
        if CJK.match(term):
            return self._df.get(term, 0)
        return sum(1 for tf in self._tf.values() if any(word.startswith(term) for word in tf))

    def rank(self, query: str, synonyms: Iterable[Sequence[str]] = ()) -> list[Hit]:
        """Documents that match the query or a synonym variant, best first."""
        if not self._tf:
            return []
        count = len(self._tf)
        average = sum(self._length.values()) / count or 1.0
        best: dict[Hashable, Hit] = {}
        for variant in variants(query, synonyms):
            idf = {}
            for term in variant.terms:
                df = self._document_frequency(term)
                idf[term] = math.log(1 + (count - df + 0.5) / (df + 0.5))
            needed = math.ceil(len(variant.terms) * MIN_SHOULD_MATCH)
            for key, tf in self._tf.items():
                score, held = 0.0, 0
                norm = K1 * (1 - B + B * self._length[key] / average)
                for term in variant.terms:
                    f = self._frequency(term, tf)
                    if f:
                        held += 1
                        score += idf[term] * f * (K1 + 1) / (f + norm)
                if held < max(needed, 1):
                    continue
                # Holding every term of what was typed is worth more than a high count of a few.
                score *= variant.weight * (held / len(variant.terms))
                if key not in best or score > best[key].score:
                    best[key] = Hit(key, score, variant.text)
        if not best:
            return []
        top = max(hit.score for hit in best.values())
        hits = [hit for hit in best.values() if hit.score >= top * MIN_RELATIVE_SCORE]
        return sorted(hits, key=lambda hit: (-hit.score, str(hit.key)))


def suggestion(query: str, vocabulary: Iterable[str]) -> str | None:
    """The word or phrase of `vocabulary` most like `query` (a typo, a near form), if any is alike
    enough and is not the query itself."""
    query = normalise(query).strip()
    if not query:
        return None
    candidates = {normalise(word).strip(): word for word in vocabulary if word and word.strip()}
    candidates.pop(query, None)
    close = difflib.get_close_matches(query, list(candidates), n=1, cutoff=SUGGESTION_CUTOFF)
    return candidates[close[0]] if close else None
