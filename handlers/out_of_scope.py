"""Built-in out-of-scope requests: what customers ask a support chat that is no business of the brand.

Weather, sport, recipes, travel, trivia, sums, jokes, assistant chores, health, shopping elsewhere,
politics, in every language the bot serves. Each brand's intent head trains them as its
out-of-scope class (models.intent_head), so a message about none of the argument base's topics is
handed to a person instead of being answered from the nearest entry (off-topic requests lie about as
close to some entry by similarity alone as real questions do). `python -m benchmarks.routing` on the
sample brand (these phrases were not written from its probes): off-topic requests answered from some
entry 29.0% / 28.3% (en / ru) without them, 21.0% / 21.5% with them; its own examples, 5-fold, answered
wrongly 6.2% -> 5.1%, right 73.2% -> 72.6%.

A brand whose own examples come close to a phrase (say, a weather service) keeps its topic: such
phrases are left out for it (`away_from`); `builtin_out_of_scope = false` leaves all of them out.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence

import numpy as np

# A built-in phrase this similar (cosine of sentence embeddings; unrelated short requests reach 0.93,
# "weather at the weekend" vs "are you open at the weekend" 0.91) to one of a brand's examples is
# the brand's topic, not out of scope.
CONFLICT_SIMILARITY = 0.95

BUILTIN: dict[str, tuple[str, ...]] = {
"ru": (
 "какая погода будет на выходных", "будет ли дождь сегодня вечером", "сколько градусов сейчас на улице",
 "кто победил в последнем матче чемпионата", "во сколько начинается футбол", "какой счёт в игре",
 "как сварить гречку", "дай рецепт блинов", "чем заменить сахар в выпечке",
 "сколько лететь до Парижа", "какие документы нужны для визы", "найди дешёвый отель у моря",
 "какой сегодня день недели", "сколько будет 17 умножить на 23", "переведи слово счастье на японский",
 "расскажи смешную историю", "спой песню", "как тебя зовут и сколько тебе лет",
 "какой фильм посмотреть с детьми", "посоветуй сериал про космос", "кто написал Войну и мир",
 "какая столица Австралии", "сколько людей живёт на Земле", "почему небо голубое",
 "поставь будильник на семь утра", "напомни мне позвонить маме", "включи музыку",
 "где ближайшая аптека", "как записаться к врачу", "что выпить от головной боли",
 "какие акции сейчас покупать", "как похудеть к лету", "где купить дешёвые кроссовки",
 "сколько стоит такси до вокзала", "когда следующий автобус", "как пройти в библиотеку",
 "что подарить девушке на день рождения", "как научиться играть на гитаре", "кто будет следующим президентом",
 "что ты думаешь о смысле жизни",
),
"tr": (
 "hafta sonu hava nasıl olacak", "bu akşam yağmur yağacak mı", "dışarıda kaç derece",
 "son maçı kim kazandı", "futbol maçı saat kaçta başlıyor", "maçın skoru ne",
 "pilav nasıl pişirilir", "kek tarifi verir misin", "şekerin yerine ne kullanabilirim",
 "Paris'e uçuş kaç saat sürüyor", "vize için hangi belgeler gerekli", "deniz kenarında ucuz otel bul",
 "bugün günlerden ne", "17 çarpı 23 kaç eder", "mutluluk kelimesini Japoncaya çevir",
 "komik bir hikaye anlat", "bir şarkı söyle", "adın ne ve kaç yaşındasın",
 "çocuklarla hangi filmi izleyelim", "uzay hakkında bir dizi öner", "Suç ve Ceza'yı kim yazdı",
 "Avustralya'nın başkenti neresi", "dünyada kaç kişi yaşıyor", "gökyüzü neden mavi",
 "sabah yediye alarm kur", "annemi aramamı hatırlat", "müzik aç",
 "en yakın hastane nerede", "doktordan nasıl randevu alınır", "baş ağrısına ne iyi gelir",
 "hangi hisseleri almalıyım", "yaza kadar nasıl kilo veririm", "ucuz spor ayakkabı nereden alınır",
 "otogara taksi ne kadar tutar", "sıradaki otobüs ne zaman", "kütüphaneye nasıl giderim",
 "kız arkadaşıma doğum günü için ne alayım", "gitar çalmayı nasıl öğrenirim", "seçimi kim kazanacak",
 "sence hayatın anlamı ne",
),
"en": (
 "what's the weather going to be like this weekend", "is it going to rain tonight", "how cold is it outside",
 "who won the championship game", "when does the football game start", "what's the score of the match",
 "how do I cook rice", "give me a pancake recipe", "what can I use instead of sugar when baking",
 "how long is the flight to Paris", "what documents do I need for a visa", "find me a cheap hotel by the sea",
 "what day of the week is it", "what is 17 times 23", "translate happiness into Japanese",
 "tell me something funny", "sing me a song", "what's your name and how old are you",
 "which movie should I watch with my kids", "recommend a show about space", "who wrote Pride and Prejudice",
 "what is the capital of Australia", "how many people live on Earth", "why is the sky blue",
 "set an alarm for 7 am", "remind me to call my mom", "play some music",
 "where is the nearest hospital", "how do I book a doctor's appointment", "what helps with a headache",
 "which stocks should I buy", "how can I lose weight before summer", "where can I buy cheap sneakers",
 "how much is a taxi to the train station", "when is the next bus", "how do I get to the library",
 "what should I get my girlfriend for her birthday", "how do I learn to play guitar", "who will win the election",
 "what do you think is the meaning of life",
),
}

def out_of_scope_phrases(languages: Sequence[str]) -> list[str]:
    """The built-in phrases of these languages."""
    return [phrase for lang in languages for phrase in BUILTIN.get(lang, ())]


def phrases_digest(phrases: Sequence[str]) -> str:
    """Names a set of phrases (trained intent heads are cached under it)."""
    return hashlib.sha256(json.dumps(list(phrases), ensure_ascii=False).encode()).hexdigest()[:12]


def away_from(phrase_vectors: np.ndarray, example_vectors: np.ndarray,
              limit: float = CONFLICT_SIMILARITY) -> list[int]:
    """Indices of the phrases whose nearest example (rows L2-normalised) is under `limit`."""
    if not len(phrase_vectors):
        return []
    if not len(example_vectors):
        return list(range(len(phrase_vectors)))
    nearest = (phrase_vectors @ example_vectors.T).max(axis=1)
    return [int(i) for i in np.flatnonzero(nearest < limit)]
