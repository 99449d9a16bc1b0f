"""Spam and scams in the comments: adverts that send readers elsewhere, and accounts posing as the brand's support.

A brand's page draws two kinds of commenters who are not customers. Advertisers and spam bots ("Заработок от 10 000
₽ в день без вложений, пиши в ЛС", "Günde 5000 TL kazan, detaylar profilimde"): a bait (earnings, easy work, bets,
a prize, a channel to follow) and a way out of the page (a link, an @handle, a phone number, "write to my DMs",
"see my profile"). And scammers posing as the brand's support, answering unhappy customers before the brand does
("Служба поддержки: для возврата средств напишите нам в личные сообщения @volna_help"): an account named like the
brand's support, or a text speaking as the company ("напишите нам", "contact us", "bize yazın") the way a support
desk does (answering another customer's comment, offering help, under a signature: a business customer also
writes "свяжитесь с нами"), and again a way out of the page, where the customer is asked for a card number or a
code.

Neither is a customer to answer, or a thread for a person. Both need the two signs together: a customer's own
words have one at times (a link to a screenshot, "напишите мне в лс", "I want a refund"), rarely both. Words in
quotes are someone else's ("мне ответили «напишите нам в лс», и тишина"), and a text that speaks of a scam ("мне
написали от вашего имени… это вы?", "осторожно, мошенники") is a customer telling of one, unless it gives its way
out in the company's voice ("Осторожно, мошенники! Наша официальная поддержка только здесь: @…", as scammers warn of
"fakes"). Links to the brand's own sites and pages (those its argument base's answers give; on Telegram and VK the
page's @handle too) send nobody elsewhere.

Matching is on folded whole words (models.word_match); every list is read in every language (spammers mix them).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from enum import StrEnum

from handlers.customer_details import PHONE
from models.word_match import WordList, fold


class SpamKind(StrEnum):
    SPAM = "spam"  # an advert or bait with a way out of the page
    IMPERSONATION = "impersonation"  # posing as the brand's support, with a way out of the page


# Links: a scheme or www., or a bare host name ("bit.ly/x", "t.me/x", "site.ru", "volna.example'dan").
_LINK = re.compile(
    r"(?:(?:https?://|www\.)(?P<host>[\w.-]+)"
    r"|(?<![\w@.])(?P<bare>(?:[a-z0-9-]+\.)+(?:[a-z]{2,12}|рф))(?![\w.-]*@)(?=[/\s,;:!?)'’]|$|\.(?:\s|$)))"
    r"(?P<path>/[^\s/?#,;!)]*)?",
    re.IGNORECASE)
# Hosts of everyone's pages, where a link is somebody's by its first path segment ("vk.com/volna", "t.me/volna").
SHARED_HOSTS = frozenset({"vk.com", "m.vk.com", "vk.me", "vk.cc", "t.me", "telegram.me", "wa.me", "ok.ru",
                          "instagram.com", "facebook.com", "youtube.com", "dzen.ru", "x.com", "twitter.com"})
_HANDLE = re.compile(r"(?<![\w@])@[A-Za-z][A-Za-z0-9_]{3,}")  # a Telegram, Instagram or VK handle
# Handles a text begins with (after "RT"): whom it answers or quotes, not where it sends readers.
_ADDRESSED = re.compile(r"^\s*(?:RT\s+)?(?:@\w+[\s,:]*)+")

# "Write to my DMs", "see my profile": readers sent elsewhere in words.
ELSEWHERE = WordList((
    "в лс", "в личку", "в личные сообщения", "в личных сообщениях", "в директ", "в телеграм*", "в телеграмм*",
    "в тг", "в ватсап*", "в вотсап*", "в whatsapp", "в профиле", "в шапке профиля", "в описании профиля",
    "по ссылке", "ссылка в профиле",
    "ozelden", "ozel mesaj*", "dm den", "dmden", "profilimde*", "profilime", "linke tikla*", "whatsapp*", "telegram*",
    "dm", "dms", "in dm", "send a dm", "direct message", "dm me", "dm us", "message me", "inbox me", "link in bio",
    "in my bio", "in my profile", "click the link",
))

# Bait: earnings, easy work, bets, prizes, a channel to follow. Not "заработал" ("интернет заработал": it works
# again), nor "справка о доходах", investments or crypto (a bank's customers ask about them), nor "abone oldum"
# (a telecom's customers subscribe) or "para kazanmak" ("you only want to make money").
BAIT = WordList((
    "заработок", "заработка", "заработку", "заработком", "зарабатывай*", "зарабатывать от", "заработать от",
    "заработай", "заработайте",  # "Заработай 100000 в день! Пиши в лс" got "Понимаю ваше недовольство" and a person
    "заработать в интернете", "как заработать", "доход от*", "доходом от", "пассивный доход", "пассивного дохода",
    "дополнительный доход", "стабильный доход", "доход в день", "доход в месяц", "без вложени*", "форекс",
    "казино", "ставки на спорт", "букмекер*", "удаленк*", "работа на дому", "работу на дому", "подработк*",
    "ищу партнер*", "набираю команду", "подпишись", "подписывайтесь", "подпишитесь", "мои канал", "моем канале",
    "мою страницу", "накрутк*", "вы выиграли", "вы стали победител*", "ваш приз", "забрать приз", "получить приз",
    "забрать подарок",
    "para kazan", "para kazanin", "evden para*", "gunluk kazanc*", "ek kazanc*", "kazanmak ister misin*", "ek gelir",
    "pasif gelir", "bahis*", "casino", "kumar*", "evden calis*", "abone ol", "abone olun", "kazandiniz",
    "odulunuz*",
    "make money", "earn", "earning money", "passive income", "extra income", "forex", "casino", "betting",
    "work from home", "subscribe to my*", "you have won", "you ve won", "claim your prize", "giveaway winner",
))

# Speaking as the company: "write to us", a support desk introducing itself. Not "служба поддержки" or "customer
# support" alone: customers name them ("служба поддержки молчит, ответьте в лс").
AS_COMPANY = WordList((
    "напишите нам", "пишите нам", "свяжитесь с нами", "обратитесь к нам", "обращайтесь к нам", "наш оператор",
    "нашему оператору", "наш менеджер", "нашему менеджеру", "нашему специалисту", "вас беспокоит",
    "мы служба поддержки", "это служба поддержки", "на связи служба поддержки", "на связи поддержка",
    "официальный представитель", "мы поможем", "поможем разобраться", "будем рады помочь", "готовы помочь",
    "наш специалист", "наши специалисты", "нашим специалистам",
    "write to us", "contact us", "message us", "reach us", "our support", "our agent", "this is customer support",
    "we are support", "dm us", "send us a dm", "send us a direct message", "let us know in dm", "join us in dm",
    "we d like to help", "we d love to help", "we can help", "happy to help", "we re here to help",
    "bize yazin", "bize ulasin", "bize yazabilirsiniz", "bize ulasabilirsiniz", "destek ekibimiz*", "temsilcimiz*",
    "biz destek", "yardimci olalim", "yardimci olabiliriz", "yardimci olmak isteriz", "ekibimiz*", "uzmanlarimiz*",
))

# A support desk offering help in the company's voice ("поможем", "вернём", "we can help", "yardımcı olalım"): what
# makes "write to us" a scammer's and not a business customer's ("наш офис без связи, свяжитесь с нами: +7…").
OFFERING_HELP = WordList((
    "поможем", "помочь вам", "будем рады помочь", "готовы помочь", "вернем", "решим", "разберемся", "проверим",
    "уточним", "компенсируем", "ваше обращение", "вашу проблему", "вашу заявку", "вашему вопросу",
    "we can help", "happy to help", "we d like to help", "we d love to help", "we re here to help", "help you",
    "assist you", "look into this", "your issue", "your concern", "refund you",
    "yardimci olalim", "yardimci olabiliriz", "yardimci olmak isteriz", "cozelim", "cozecegiz", "iade edelim",
    "iade edecegiz", "sorununuz*", "talebiniz*",
))
# A support desk's signature at the start ("Служба поддержки Волна: …", "Support team: …").
SELF_INTRO = WordList(("служба поддержки", "техподдержка", "поддержка", "support", "support team", "customer support",
                       "destek", "destek ekibi", "musteri hizmetleri"))
INTRO_WORDS = 4  # how far into the text a signature counts as one
# A support desk's signature that points at a link or a handle, the way a fake desk gives itself ("Поддержка Волны
# тут: t.me/volna_support_help", "Служба поддержки: @volna_help_24", "Volna support here: t.me/x"): only names
# (capitalised words) stand around it. A customer's text that opens with the support goes on to say something of it
# ("Поддержка: не отвечает третий день", "Техподдержка не отвечает: https://imgur.com/…").
_NAME = r"[«\"']?[A-ZА-ЯЁÇĞİÖŞÜ][\w»\"'-]*"
_SIGNED_POINTER = re.compile(
    rf"^\W*(?:{_NAME}\s+){{0,2}}?(?i:служба\s+поддержки|техподдержка|поддержка|support(?:\s+team)?"
    rf"|destek(?:\s+ekibi)?|müşteri\s+hizmetleri)(?:\s+{_NAME}){{0,3}}?(?i:\s+(?:тут|здесь|here|burada|buradan))?"
    r"\s*[:—–-]\s*(?P<target>\S+)")

# Words of a customer told that someone speaks in the brand's name, or asking whether it was the brand (folded whole
# words; a trailing `*` lets the last word go on). handlers.scam_reports adds its own to these.
IN_BRANDS_NAME_WORDS = (
    "от вашего имени", "это вы", "это правда вы", "sizin adiniza", "bu siz misiniz", "is this you",
    "is this really you", "on your behalf",
)
# Words of a customer telling that someone contacted them ("мне звонили", "bana yazdılar", "texted me").
CONTACTED_WORDS = (
    "мне написал*", "написали мне", "мне пишут", "мне позвонил*", "мне звонил*", "мне прислал*",
    "bana yazd*", "bana yazil*", "beni arad*", "bana mesaj at*",
    "dmed me", "messaged me", "texted me", "called me", "contacted me", "sent me", "wrote to me",
)
# A customer telling the brand of a scam ("мне написали от вашего имени: напишите нам в телеграм… это вы?"):
# theirs to answer, whatever else the text says. Also what came to them: "мне пришло" (scam_reports leaves it out,
# as the brand's own login code comes so).
TELLING_OF_SCAM = WordList((
    *IN_BRANDS_NAME_WORDS, *CONTACTED_WORDS, "написал мне", "мне пришло", "мне пришла", "bana gelen", "dm d me",
    "i got a message", "i received a message",
))
# Words of a scam: a customer's when they tell of one ("осторожно, мошенники…"), yet scammers warn of "fakes" too
# and give their own contact as the only official one, in the company's voice.
SCAM_WORDS = WordList((
    "мошенн*", "развод*", "фейк*", "лохотрон*", "dolandirici*", "dolandiricilik*", "sahte", "scam*", "fraud*",
    "fake", "fakes", "phishing",
))
# The "real" contact such a warning gives, in the company's voice ("наша официальная поддержка только здесь",
# "write only to us"): no customer's words.
ONLY_OFFICIAL = WordList((
    "наш официальн*", "наша официальн*", "наши официальн*", "наш единственн*", "наша единственн*",
    "пишите только нам", "пишите нам только", "обращайтесь только к нам", "пишите только сюда",
    "our official", "our only", "only official", "only contact us", "contact us only", "write only to us",
    "resmi hesabimiz*", "resmi destek hattimiz*", "tek resmi", "sadece bize", "sadece buradan",
))
# Quoted words are someone else's ("мне ответили «напишите нам в лс», и тишина").
_QUOTED = re.compile(r"«[^»]*»|“[^”]*”|„[^“”]*[“”]|\"[^\"]*\"")

# An account's name that says it is a support desk or the page's staff ("Поддержка Волна", "Volna Support").
STAFF_NAME = WordList((
    "поддержк*", "техподдержк*", "служба", "службы", "администрац*", "админ*", "модератор*", "официальн*",
    "оператор*", "support*", "helpdesk", "help desk", "customer service*", "admin*", "moderator*", "official*",
    "destek*", "musteri hizmetleri", "resmi", "yonetici*",
))


def linked_sites(texts: Iterable[str]) -> frozenset[str]:
    """The sites `texts` link to: host names (lower case, without "www."), and on everyone's hosts (SHARED_HOSTS)
    the page ("vk.com/volna"). A brand's own, read from its argument base's answers."""
    return frozenset(site for text in texts for site in _sites(text))


# Links written apart to slip past filters: "t . me/x", "site(.)ru", "bit[dot]ly".
_SPLIT_DOT = re.compile(r"\s*(?:\(\s*(?:\.|dot|точка)\s*\)|\[\s*(?:\.|dot|точка)\s*\])\s*"
                        r"|\s+\.\s+|\s+\.(?=[a-z]{2,6}\b)|(?<=\w)\.\s+(?=(?:me|ru|com|ly|io|cc|su|рф)\s*/)",
                        re.IGNORECASE)


def _sites(text: str) -> list[str]:
    sites = []
    for found in _LINK.finditer(_SPLIT_DOT.sub(".", text)):
        host = (found.group("host") or found.group("bare") or "").lower().rstrip(".").removeprefix("www.")
        page = (found.group("path") or "/").lower().strip("/").rstrip(".")
        sites.append(f"{host}/{page}" if host in SHARED_HOSTS else host)
    return sites


def _links_away(text: str, own_sites: frozenset[str], addressing: bool = True) -> bool:
    """Whether the text links to a site not the brand's, or gives a handle not of its pages (with `addressing`,
    handles it begins with address someone and count for nothing)."""
    if any(not any(site == own or site.endswith("." + own) for own in own_sites) for site in _sites(text)):
        return True
    own_pages = {site.partition("/")[2] for site in own_sites if "/" in site}  # "t.me/volna": @volna is the brand's
    handles = _HANDLE.findall(_ADDRESSED.sub("", text, count=1) if addressing else text)
    return any(h[1:].lower() not in own_pages for h in handles)


def _leads_elsewhere(text: str, words: list[str], own_sites: frozenset[str]) -> bool:
    """Whether the text sends readers off the page: a link to a site not the brand's, a handle, a phone number,
    or the words for it."""
    return _links_away(text, own_sites) or bool(PHONE.search(text) or ELSEWHERE.first(words))


def _points_at_a_fake_desk(text: str, own_sites: frozenset[str]) -> bool:
    """Whether the text opens with a support desk's signature pointing at a link or handle not the brand's."""
    signed = _SIGNED_POINTER.match(_QUOTED.sub(" ", text))
    return signed is not None and _links_away(signed.group("target"), own_sites, addressing=False)


def spam_kind(text: str, author_name: str = "", own_sites: frozenset[str] = frozenset(),
              answers_customer: bool = False) -> SpamKind | None:
    """What a customer-side message is, if it is not a customer's: an impersonation of the brand's support or spam
    (bait), each only with a way off the page. An impersonation's author is named like a support desk, or its text
    speaks as the company and is a support desk's: it answers a customer (`answers_customer`: it replies to
    another customer's comment, as scammers answer complaints), offers help in the company's voice, or opens
    with a support desk's signature."""
    words = fold(text)
    if not words or not _leads_elsewhere(text, words, own_sites) or TELLING_OF_SCAM.first(words):
        return None
    if author_name and STAFF_NAME.first(fold(author_name)):
        return SpamKind.IMPERSONATION
    own_words = fold(_QUOTED.sub(" ", text))
    as_company = AS_COMPANY.first(own_words) and (answers_customer or OFFERING_HELP.first(own_words)
                                                  or SELF_INTRO.first(own_words[:INTRO_WORDS]))
    if SCAM_WORDS.first(words):  # a warning of a scam: a customer's, unless the company's voice gives the way out
        return SpamKind.IMPERSONATION if as_company or ONLY_OFFICIAL.first(own_words) else None
    if as_company or _points_at_a_fake_desk(text, own_sites):
        return SpamKind.IMPERSONATION
    if BAIT.first(words):
        return SpamKind.SPAM
    return None
