"""One tokenizer (config/bigrams.py) for the tenders' and the portal's Chinese search."""

from config.bigrams import bigrams, runs, tokens_of
from portal.search import tokens as portal_tokens


def test_runs_are_cut_into_character_bigrams_after_nfkc_and_lower_case():
    assert runs("浦东新区人民医院，医用空调（ＡＢ１）") == ["浦东新区人民医院", "医用空调", "ab1"]
    assert bigrams("医用空调") == ["医用", "用空", "空调"] and bigrams("院") == ["院"]
    assert tokens_of("医用空调 医用") == {"医用", "用空", "空调"}


def test_the_portal_bigrams_chinese_the_same_way_and_keeps_latin_words_whole():
    text = "婚姻登记 Marriage 2024年"
    chinese = ["婚姻", "姻登", "登记", "年"]
    assert portal_tokens(text) == [*chinese, "marriage", "2024"]
    assert set(chinese[:3]) == tokens_of("婚姻登记")
