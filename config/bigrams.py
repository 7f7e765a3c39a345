"""The one tokenizer for searching Chinese text without a segmenter (docs/search.md): NFKC and
lower case, runs of letters and digits, and each run's overlapping character bigrams (the approach
of CJK full-text indexes such as Lucene's CJKAnalyzer), so 医用空调 is found by 医用, 用空 and 空调.
Tenders index every run this way; the portal bigrams its Chinese runs and keeps Latin words whole."""

import re
import unicodedata

# Runs of letters and digits in any script; everything else (spaces, punctuation) separates.
_RUN = re.compile(r"[^\W_]+", re.UNICODE)
# Chinese characters (the CJK unified ideographs, extension A and the compatibility block).
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")


def normalise(text: str) -> str:
    """NFKC (full-width letters and digits become ASCII) and lower case."""
    return unicodedata.normalize("NFKC", text or "").lower()


def runs(text: str) -> list[str]:
    """The runs of letters and digits of the normalised text."""
    return _RUN.findall(normalise(text))


def bigrams(run: str) -> list[str]:
    """The run's overlapping character bigrams in order; a one-character run gives itself."""
    if len(run) == 1:
        return [run]
    return [run[i : i + 2] for i in range(len(run) - 1)]


def tokens_of(text: str) -> set[str]:
    """The distinct bigrams (and lone characters) of every run of `text`."""
    return {token for run in runs(text) for token in bigrams(run)}
