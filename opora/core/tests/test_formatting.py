from datetime import date

from opora.core.formatting import appendix_line, numbers_list, percent, quoted


def test_numbers_list_is_sorted_and_unique_like_seed_004():
    assert numbers_list([66, "44", 5, 41, 11, 38, 28, 5]) == "5, 11, 28, 38, 41, 44, 66"


def test_percent_uses_decimal_comma():
    assert percent(0.125, 1) == "12,5 %"
    assert percent(None) == "—"


def test_appendix_line_puts_the_kind_in_the_dative():
    assert (
        appendix_line("распоряжение ДОО ТО", "352-р", date(2023, 3, 13))
        == "Приложение к распоряжению ДОО ТО от 13.03.2023 № 352-р"
    )
    assert appendix_line("", "№ 5", None) == "Приложение к документу № 5"
    assert appendix_line("", "", None) == "Приложение"


def test_quoted_nests_the_quotes_of_a_title_that_has_its_own():
    assert quoted("Карта района") == "«Карта района»"
    # seed 003's title opens with a quote of its own: no «« and no lost closing quote
    assert (
        quoted("«Дорожная карта» по реализации программы «Повышение качества» на 2023 год")
        == "«„Дорожная карта“ по реализации программы „Повышение качества“ на 2023 год»"
    )
