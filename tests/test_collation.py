"""Issue 11, forms: names sort as a reader of each language expects (portal/i18n/collation.py),
not in code point order, which put Ё, Ә, Қ, Ө and Ç after the whole alphabet and Chinese by
the characters' Unicode numbers."""

from __future__ import annotations

from portal.i18n.collation import collated, sort_key
from portal.i18n.languages import FOCUS_COUNTRIES, collated_countries, country_choices, country_name


def _names(language: str) -> list[str]:
    return [name for _, name in country_choices(language)]


def test_russian_puts_yo_with_ye_and_ignores_case():
    assert collated(["ель", "ёж", "еда", "Яблоко", "абрикос", "Ёлка"], "ru") == [
        "абрикос", "еда", "ёж", "Ёлка", "ель", "Яблоко"]
    names = _names("ru")[len(FOCUS_COUNTRIES):]
    assert names[:3] == ["Австралия", "Австрия", "Азербайджан"]
    assert names.index("Эстония") < names.index("Южный Судан") < names.index("Ямайка")


def test_china_and_central_asia_come_first_in_each_languages_order():
    assert [code for code, _ in country_choices("ru")[:6]] == ["KZ", "KG", "CN", "TJ", "TM", "UZ"]
    # Kazakh: Қ after К, Ө after О, Ә after А, Ү after У: Қазақстан, Қырғызстан, Қытай, Өзбекстан, …
    assert [code for code, _ in country_choices("kk")[:6]] == ["KZ", "KG", "CN", "UZ", "TJ", "TM"]
    # Chinese: pinyin, hā sà kè … before zhōng guó.
    assert [name for _, name in country_choices("zh")[:6]] == [
        "哈萨克斯坦", "吉尔吉斯斯坦", "塔吉克斯坦", "土库曼斯坦", "乌兹别克斯坦", "中国"]
    assert collated_countries(["UZ", "CN", "KZ"], "en") == ["CN", "KZ", "UZ"]
    assert collated_countries(["UZ", "CN", "KZ"], "tk") == ["KZ", "CN", "UZ"]  # Gazagystan, Hytaý, Özbegistan


def test_kazakh_letters_sort_after_their_base_letters():
    # The Kazakh alphabet's order: … У Ұ Ү …
    assert collated(["Қытай", "Кения", "Лаос", "Ұлыбритания", "Уганда", "Үндістан"], "kk") == [
        "Кения", "Қытай", "Лаос", "Уганда", "Ұлыбритания", "Үндістан"]
    names = _names("kk")
    # Әзірбайжан among the А names (before Б), not after Я as in code point order.
    assert names.index("Аустрия") < names.index("Әзірбайжан") < names.index("Багам аралдары")


def test_turkmen_and_uzbek_latin_letters_sort_with_their_base_letters():
    assert collated(["Daniýa", "Çad", "Bahreýn", "Alžir", "Albaniýa", "Ýemen", "Zambiýa", "Wenesuela"], "tk") == [
        "Albaniýa", "Alžir", "Bahreýn", "Çad", "Daniýa", "Wenesuela", "Ýemen", "Zambiýa"]
    names = _names("tk")
    assert names.index("Bahreýn") < names.index("Çad") < names.index("Daniýa")
    # Uzbek: Q between P and R, X after V, and the ʻ of oʻ/gʻ does not throw a name out of its letter.
    assert collated(["Xitoy", "Qozogʻiston", "Rossiya", "Portugaliya", "Yaponiya", "Vetnam", "Qirgʻiziston"], "uz") == [
        "Portugaliya", "Qirgʻiziston", "Qozogʻiston", "Rossiya", "Vetnam", "Xitoy", "Yaponiya"]
    # The Uzbek alphabet ends … X Y Z Oʻ Gʻ Sh Ch: Oʻzbekiston and Shveytsariya come after Zambiya.
    assert collated(["Shveytsariya", "Oʻzbekiston", "Ozarbayjon", "Zambiya", "Chili", "Sudan"], "uz") == [
        "Ozarbayjon", "Sudan", "Zambiya", "Oʻzbekiston", "Shveytsariya", "Chili"]
    focus = [country_name(code, "uz") for code in collated_countries(FOCUS_COUNTRIES, "uz")]
    assert focus == ["Qirgʻiziston", "Qozogʻiston", "Tojikiston", "Turkmaniston", "Xitoy", "Oʻzbekiston"]


def test_chinese_sorts_by_pinyin_syllable_by_syllable():
    assert collated(["中国", "阿富汗", "西安", "先", "巴西"], "zh") == ["阿富汗", "巴西", "西安", "先", "中国"]
    names = _names("zh")
    assert names.index("阿富汗") < names.index("巴基斯坦") < names.index("蒙古") < names.index("越南")
    # Other languages keep DUCET's order for Han characters (by code point): pinyin is Chinese only.
    assert collated(["中国", "阿富汗"], "en") == ["中国", "阿富汗"]


def test_different_names_never_compare_equal_and_the_key_is_cached():
    assert collated(["Ёж", "ёж", "Еж", "еж"], "ru") == ["еж", "Еж", "ёж", "Ёж"]
    assert sort_key("Қытай", "kk") is sort_key("Қытай", "kk")


def test_without_icu_the_default_unicode_order_and_pinyin_still_sort_by_letter(monkeypatch):
    """Where no ICU wheel exists (ARM, macOS), pyuca's DUCET and pypinyin sort instead."""
    from portal.i18n import collation

    monkeypatch.setattr(collation, "USE_ICU", False)
    collation.sort_key.cache_clear()
    try:
        assert collated(["ель", "ёж", "еда", "Яблоко", "абрикос", "Ёлка"], "ru") == [
            "абрикос", "еда", "ёж", "Ёлка", "ель", "Яблоко"]
        assert collated(["Қытай", "Кения", "Лаос", "Уганда"], "kk") == ["Кения", "Қытай", "Лаос", "Уганда"]
        assert collated(["中国", "阿富汗", "西安", "先", "巴西"], "zh") == ["阿富汗", "巴西", "西安", "先", "中国"]
        assert collated(["Xitoy", "Qozogʻiston", "Rossiya", "Portugaliya"], "uz") == [
            "Portugaliya", "Qozogʻiston", "Rossiya", "Xitoy"]
    finally:
        collation.sort_key.cache_clear()
