"""Words of praise the sentiment head reads mildly, and words that speak to the brand (handlers.praise_words)."""

from __future__ import annotations

from handlers.praise_words import speaks_to_brand, speaks_well


def test_praise_is_found_in_each_language_past_its_litotes() -> None:
    praise = ["Пользуюсь уже 5 лет, ни разу не подводили", "Волна лучший провайдер, третий год без проблем!",
              "Самый стабильный интернет из всех, что у меня были", "Очень довольна, всем советую",
              "Мастер Игорь просто молодец", "İki yıldır kullanıyorum, hiç sorun yaşamadım", "Volna en iyisi!",
              "Herkese tavsiye ederim", "Been with you for three years and never had an issue",
              "Volna is the best provider in town", "Highly recommend", "Интернет не работал, но мастер молодец"]
    assert [text for text in praise if not speaks_well(text)] == []


def test_praise_turned_round_by_a_negation_or_a_contrast_is_none() -> None:
    turned = ["Не доволен вашим обслуживанием", "Никому не рекомендую", "Не самый лучший провайдер",
              "Мне не очень нравится", "Kesinlikle tavsiye etmem", "Memnunum değil", "Would not recommend",
              "Wouldn't recommend", "Not the best provider", "Без проблем подключили, но скорость низкая",
              "Hizmet çok iyi ancak fiyatlar yüksek", "The best price, but the speed is awful",
              # "лучшее" folds to "лучше" (letter runs collapse): "лучше бы я не знала" is no praise
              "лучше бы я не знала", "Сколько стоит интернет?", ""]
    assert [text for text in turned if speaks_well(text)] == []


def test_a_message_speaks_to_the_brand_with_you_thanks_or_praise() -> None:
    to_brand = ["С вами приятно иметь дело", "Спасибо за работу", "Sizinle çalışmak güzel", "Love you guys",
                "Волна лучший провайдер"]
    about_anything = ["обожаю котиков", "хочется сидеть и смотреть на небо", "МегаФон увеличил покрытие 4G",
                      "Harika bir gün", "What a lovely day"]
    assert [text for text in to_brand if not speaks_to_brand(text)] == []
    assert [text for text in about_anything if speaks_to_brand(text)] == []
