"""A visit that did not happen: "мастер не пришёл, ждал весь день", "Teknisyen gelmedi, sabahtan beri bekliyorum",
"The technician never showed up". The connection-status entry lay nearest and answered "Teknisyen genellikle
ziyaretten bir gün önce arar" (the technician usually calls the day before) to a customer who had waited all day,
and the sentiment head reads such waiting mildly ("Teknisyen gelmedi…" 0.16 negative, "When will the technician
come? I have been waiting since morning" 0.06). Only a person can send someone or book another time: the customer
hears regret and when that person answers, and the entry goes along for the moderator."""

from __future__ import annotations

from models.word_match import WordList, fold

MISSED_VISIT = "missed_visit"  # the reason of the handoff

# Who was to come (folded whole words; a trailing `*` lets the last word go on)
_VISITORS = WordList((
    "мастер*", "монтажник*", "техник*", "инженер*", "установщик*", "специалист*", "сотрудник*",
    "teknisyen*", "teknik servis*", "tekniker*", "usta*", "servis*", "kurulum ekib*",
    "technician*", "engineer*", "installer*", "repairman", "repairmen", "your guy",
))
# ... and words that they did not come, or kept the customer waiting long
_NOT_COME = WordList((
    # ru
    "не пришел", "не пришла", "не пришли", "не приехал", "не приехала", "не приехали", "не явился", "не явились",
    "не было", "не дождал*", "никого нет", "никого не было", "ждал", "ждала", "ждали", "прождал*", "жду с",
    "жду уже", "уже жду", "до сих пор жду", "все еще жду", "весь день", "полдня", "опаздывает", "опоздал*",
    "сколько можно ждать", "долго еще ждать", "сколько еще ждать",
    # tr
    "gelmedi", "gelmediler", "gelen olmadi", "gelmeyen", "bekledim", "bekledik", "sabahtan beri", "saatlerdir",
    "hala bekliyorum", "hala bekliyoruz", "gecikti", "gec kaldi", "daha ne kadar bekle*",
    # en
    "didn't come", "did not come", "never came", "didn't show*", "did not show*", "never showed*", "didn't turn up",
    "did not turn up", "never turned up", "no show", "waiting since", "waited", "still waiting", "all day",
    "is late", "hours late", "how much longer",
))
# Said without naming who was to come
_NOBODY_CAME = WordList((
    "никто не пришел", "никто не приехал", "никто не явился", "kimse gelmedi", "gelen giden yok",
    "nobody came", "no one came", "nobody showed*", "no one showed*", "nobody turned up", "no one turned up",
))


def says_visit_missed(text: str) -> bool:
    """Whether a message says someone the brand sent did not come, or has kept the customer waiting for hours."""
    words = fold(text)
    if _NOBODY_CAME.first(words) is not None:
        return True
    return _VISITORS.first(words) is not None and _NOT_COME.first(words) is not None
