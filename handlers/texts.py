"""Everything the bot itself says (outside the argument base), in Russian, Turkish and English.

Each message has several phrasings so that customers never all get the same template.
"""

from __future__ import annotations

import random
from collections.abc import Collection

LANGUAGES = ("ru", "tr", "en")

TEXTS: dict[str, dict[str, tuple[str, ...]]] = {
    # {eta} is a human-readable reaction time, e.g. "1 час" / "1 saat" / "1 hour".
    "handoff": {
        "ru": (
            "Передаю ваше сообщение специалисту, он ответит здесь же в течение {eta}.",
            "Спасибо, что написали. Подключаю коллегу — живой человек ответит в течение {eta}.",
            "Этим лучше займётся наш специалист. Он уже получил переписку и ответит в течение {eta}.",
            "Понимаю, это важно. Сотрудник поддержки ответит вам лично в течение {eta}.",
        ),
        "tr": (
            "Mesajınızı uzman arkadaşıma iletiyorum, {eta} içinde buradan yanıt verecek.",
            "Yazdığınız için teşekkürler. Bir temsilcimiz {eta} içinde size dönecek.",
            "Bu konuyu ekibimizden biri çözsün: yazışmayı aldı, {eta} içinde cevap verecek.",
            "Sizin için önemli olduğunu anlıyorum. Destek ekibimiz {eta} içinde size yazacak.",
        ),
        "en": (
            "I'm passing your message to a specialist; they will reply here within {eta}.",
            "Thanks for writing. A colleague of mine will get back to you within {eta}.",
            "This one is best handled by a person: they have the whole conversation and will answer within {eta}.",
            "I understand this matters. Someone from our support team will reply to you within {eta}.",
        ),
    },
    # A question about none of the brand's topics: said so plainly, and a person still answers.
    "out_of_scope": {
        "ru": (
            "Я отвечаю на вопросы о наших услугах, а с этим лучше поможет коллега: он ответит в течение {eta}.",
            "Хороший вопрос, но не совсем по моей части. Передаю его сотруднику, он ответит в течение {eta}.",
            "С этим я сам не помогу, поэтому позвал коллегу: живой человек ответит в течение {eta}.",
        ),
        "tr": (
            "Ben hizmetlerimizle ilgili soruları yanıtlıyorum; bu konuda bir arkadaşım {eta} içinde size dönecek.",
            "Güzel soru, ama tam benim alanım değil. Bir temsilciye iletiyorum, {eta} içinde yanıt verecek.",
            "Bu konuda kendim yardımcı olamıyorum, bu yüzden bir arkadaşımı çağırdım: {eta} içinde yazacak.",
        ),
        "en": (
            "I answer questions about our services, so a colleague will help with this one within {eta}.",
            "Good question, but not quite my area. I'm passing it to a person, who will reply within {eta}.",
            "I can't help with that myself, so I've called a colleague: a person will answer within {eta}.",
        ),
    },
    "attachment": {
        "ru": (
            "Получили ваше вложение, передаю его специалисту — он ответит в течение {eta}.",
            "Спасибо, файл у нас. Сотрудник посмотрит и ответит в течение {eta}.",
        ),
        "tr": (
            "Gönderdiğiniz dosyayı aldık, uzmanımıza iletiyorum; {eta} içinde dönecek.",
            "Teşekkürler, dosyanız bize ulaştı. Bir temsilci inceleyip {eta} içinde yanıtlayacak.",
        ),
        "en": (
            "We got your attachment and passed it to a specialist; they will reply within {eta}.",
            "Thanks, the file reached us. A colleague will look at it and answer within {eta}.",
        ),
    },
    "acknowledgement": {
        "ru": ("Хорошо! Если появятся вопросы, пишите.", "Договорились. Мы на связи, если что-то понадобится.",
               "Принято! Обращайтесь, если будут вопросы."),
        "tr": ("Tamam! Başka bir sorunuz olursa yazın.", "Anlaştık, bir şey gerekirse buradayız.",
               "Peki! Sorularınız için her zaman yazabilirsiniz."),
        "en": ("Great! Write any time if anything else comes up.", "Got it. We're here if you need anything.",
               "Alright! Just message us if you have more questions."),
    },
    # Praise the intent head took for a complaint ("the technician was very polite"): thanked (handlers.entry_moods).
    "praise_thanks": {
        "ru": ("Спасибо за тёплые слова! Нам очень приятно, обязательно передадим команде.",
               "Спасибо, что нашли время написать! Такие отзывы очень радуют нашу команду.",
               "Большое спасибо за отзыв! Рады, что всё понравилось."),
        "tr": ("Güzel sözleriniz için çok teşekkürler! Ekibimize mutlaka ileteceğiz.",
               "Yazmaya zaman ayırdığınız için teşekkürler! Bu tür yorumlar ekibimizi çok mutlu ediyor.",
               "Geri bildiriminiz için çok teşekkürler! Memnun kalmanıza sevindik."),
        "en": ("Thank you for the kind words! We'll be sure to pass them on to the team.",
               "Thanks for taking the time to write! Feedback like this makes our team's day.",
               "Thank you so much for the feedback! We're glad you're happy."),
    },
    # "Вы бот?" (handlers.bot_question): the honest answer, and how to reach a person.
    "bot_question": {  # answers "вы бот?" and "вы живой человек?" alike: no "да" or "нет" first
        "ru": ("Вам отвечает автоматический помощник поддержки: на частые вопросы я отвечаю сразу. Если нужен "
               "сотрудник, напишите об этом, и я позову коллегу.",
               "Я бот поддержки, отвечаю на типовые вопросы в любое время. Живой человек тоже рядом: попросите, "
               "и я передам ему переписку.",
               "Сейчас с вами переписывается бот. Задавайте вопрос, а если захотите поговорить с человеком, просто "
               "скажите."),
        "tr": ("Size otomatik destek asistanı yanıt veriyor: sık sorulan soruları hemen yanıtlıyorum. Bir "
               "temsilciyle görüşmek isterseniz yazın, arkadaşımı çağırayım.",
               "Ben bir destek botuyum, standart soruları her saatte yanıtlıyorum. Ekibimiz de burada: isterseniz "
               "yazışmayı bir temsilciye aktarırım.",
               "Şu an sizinle bir bot yazışıyor. Sorunuzu yazın; bir insanla konuşmak isterseniz söylemeniz yeterli."),
        "en": ("You're talking to the support team's automated assistant: I answer common questions right away. "
               "If you'd like a person, just say so and I'll bring in a colleague.",
               "I'm a support bot and answer the usual questions at any hour. A real person is close by too: ask, "
               "and I'll pass them the conversation.",
               "A bot is answering you right now. Go ahead with your question, and if you'd rather talk to a "
               "person, just tell me."),
    },
    # A message that only announces a question ("у меня вопрос", "помогите"): the customer is asked to tell it.
    "opener_prompt": {
        "ru": ("Слушаю вас! Напишите, пожалуйста, ваш вопрос или что случилось, и я постараюсь помочь.",
               "Конечно, задавайте вопрос: опишите ситуацию, и я подскажу или позову коллегу.",
               "Да, я на связи. Расскажите подробнее, в чём дело?"),
        "tr": ("Sizi dinliyorum! Sorunuzu ya da ne olduğunu yazarsanız yardımcı olmaya çalışayım.",
               "Tabii, sorunuzu yazın: durumu anlatın, ben yardımcı olayım ya da bir arkadaşımı çağırayım.",
               "Evet, buradayım. Konuyu biraz daha ayrıntılı anlatır mısınız?"),
        "en": ("I'm listening! Tell me your question or what happened and I'll do my best to help.",
               "Sure, go ahead: describe the situation and I'll help or bring in a colleague.",
               "Yes, I'm here. Could you tell me a bit more about what's going on?"),
    },
    "empty": {
        "ru": ("Кажется, сообщение пришло пустым. Напишите, пожалуйста, чем помочь?",
               "Не вижу текста в сообщении. Расскажите, что случилось?"),
        "tr": ("Mesajınız boş görünüyor. Size nasıl yardımcı olabilirim?",
               "Mesajda metin göremedim. Ne olduğunu yazabilir misiniz?"),
        "en": ("Your message seems to be empty. How can I help?",
               "I can't see any text in that message. What happened?"),
    },
    "impersonation_warning": {
        "ru": ("Осторожно: это написали не мы. Ответ выше оставил посторонний аккаунт, который выдаёт себя за "
               "поддержку. Мы отвечаем здесь только от имени сообщества и никогда не просим перейти по ссылке, "
               "написать кому-то ещё или назвать данные карты и коды из SMS.",
               "Внимание: комментарий выше не от нас, это мошенник под видом поддержки. Не переходите по его "
               "ссылкам и не сообщайте ему данные карты или коды. Мы пишем только от имени сообщества, а с "
               "вашим вопросом поможем здесь."),
        "tr": ("Dikkat: yukarıdaki yanıt bizden değil; destek ekibimiz gibi davranan başka bir hesaba ait. Burada "
               "yalnızca sayfamızın adıyla yazarız; hiçbir zaman bir bağlantıya tıklamanızı, başka birine "
               "yazmanızı ya da kart bilgilerinizi veya SMS kodlarını istemeyiz.",
               "Uyarı: yukarıdaki yorum bizden değil, kendini destek ekibi gibi gösteren bir dolandırıcıya ait. "
               "Bağlantılarına tıklamayın, kart bilgisi ya da kod paylaşmayın. Sorunuzla burada ilgileneceğiz."),
        "en": ("Careful: that reply was not ours. It came from an account posing as our support. We only answer here "
               "as the page itself, and we never ask you to follow a link, write to someone else, or share card "
               "details or SMS codes.",
               "Heads-up: the comment above is not from us but from a scammer posing as support. Please don't follow "
               "its links or share card details or codes with it. We'll help with your question right here."),
    },
    "campaign_statement": {  # once per post a directed-negative wave reached: facts and an open door, no accusation
        "ru": ("Мы видим здесь несколько похожих отзывов и разбираемся с каждым. Если вы наш клиент и у вас "
               "возникла проблема, напишите нам в личные сообщения с подробностями: проверим и ответим лично.",
               "Спасибо, что пишете. Мы проверяем каждое обращение: чтобы разобраться именно в вашей ситуации, "
               "напишите нам, пожалуйста, в личные сообщения. Ответим лично."),
        "tr": ("Burada birbirine benzeyen birkaç yorum görüyoruz ve her birini inceliyoruz. Müşterimizseniz ve bir "
               "sorun yaşadıysanız, ayrıntılarıyla bize özelden yazın; kontrol edip size bizzat dönelim.",
               "Yazdığınız için teşekkürler. Her talebi inceliyoruz: kendi durumunuza bakabilmemiz için lütfen bize "
               "özel mesajla yazın. Size bizzat yanıt vereceğiz."),
        "en": ("We see several similar comments here and we're looking into each one. If you're our customer and "
               "ran into a problem, please write to us in a private message with the details: we'll check and reply "
               "personally.",
               "Thanks for writing. We look into every report: so we can check your own case, please write to us in "
               "a private message. We'll reply personally."),
    },
    "too_long": {
        "ru": ("Сообщение очень длинное — передаю его специалисту целиком, он ответит в течение {eta}.",),
        "tr": ("Mesajınız oldukça uzun; olduğu gibi uzmanımıza iletiyorum, {eta} içinde dönecek.",),
        "en": ("That's a long message; I'm passing all of it to a specialist, who will reply within {eta}.",),
    },
    "rating_question": {
        "ru": ("Удалось ли решить ваш вопрос? Оцените, пожалуйста, помощь.",
               "Мы постарались помочь. Вы довольны решением?"),
        "tr": ("Sorununuz çözüldü mü? Lütfen aldığınız desteği değerlendirin.",
               "Yardımcı olmaya çalıştık. Çözümden memnun musunuz?"),
        "en": ("Did we solve your issue? Please rate the help you got.",
               "We did our best to help. Are you satisfied with the solution?"),
    },
    # The handoff passed its reaction deadline with no moderator reply: the customer is never left in silence.
    "solved_in_private": {
        "ru": ("Мы решили этот вопрос с вами в личных сообщениях. Спасибо, что написали нам!",
               "Вопрос решён в личной переписке. Спасибо за терпение!"),
        "tr": ("Bu konuyu sizinle özel mesajlarda çözdük. Bize yazdığınız için teşekkürler!",
               "Sorun özel mesajlarda çözüldü. Sabrınız için teşekkürler!"),
        "en": ("We sorted this out with you in private messages. Thank you for reaching out!",
               "Solved in private messages. Thank you for your patience!"),
    },
    # The customer writes again while their thread waits for a person: the message reached them, and when.
    "still_waiting": {
        "ru": ("Добавил ваше сообщение к обращению. Специалист ответит в течение {eta}.",
               "Получили, специалист увидит это вместе со всей перепиской и ответит в течение {eta}."),
        "tr": ("Mesajınızı talebinize ekledim. Uzmanımız {eta} içinde yanıt verecek.",
               "Aldık; uzmanımız bunu yazışmanın tamamıyla birlikte görecek ve {eta} içinde dönecek."),
        "en": ("I've added your message to your request. A specialist will reply within {eta}.",
               "Got it: the specialist will see this with the rest of the conversation and reply within {eta}."),
    },
    # The customer disapproved of the bot's answer with a reaction (bot.app.App.record_reaction); the `_later`
    # variant outside the brand's support hours, as below.
    "disliked_handoff": {
        "ru": ("Жаль, что ответ не помог. Передаю ваш вопрос специалисту: он ответит здесь же в течение {eta}.",
               "Похоже, я ответил не на то, извините. Подключаю коллегу — он ответит в течение {eta}.",
               "Понял, этого ответа мало. Специалист уже видит переписку и ответит в течение {eta}."),
        "tr": ("Yanıtın işe yaramadığına üzüldüm. Sorunuzu uzmanımıza iletiyorum, {eta} içinde buradan yanıt verecek.",
               "Galiba sorunuzu tam karşılayamadım, kusura bakmayın. Bir arkadaşım {eta} içinde size yazacak.",
               "Anladım, bu yanıt yetmedi. Uzmanımız yazışmayı gördü, {eta} içinde cevap verecek."),
        "en": ("Sorry that answer didn't help. I'm passing your question to a specialist: they'll reply here within "
               "{eta}.",
               "Looks like I missed the point, sorry. A colleague will get back to you within {eta}.",
               "Understood, that answer wasn't enough. A specialist has the conversation and will reply within {eta}."),
    },
    # The customer wrote that the bot's answer did not help ("перезагрузил, не помогло"): its steps failed, or it
    # missed the point; the `_later` variant outside the brand's support hours.
    "did_not_help_handoff": {
        "ru": ("Жаль, что не помогло. Подключаю специалиста: он проверит всё на нашей стороне и ответит здесь же в "
               "течение {eta}.",
               "Понял, этого было мало, извините. Передаю ваш вопрос коллеге, он ответит в течение {eta}."),
        "tr": ("İşe yaramadığına üzüldüm. Bir uzmanımızı dahil ediyorum; bizim taraftaki her şeyi kontrol edip {eta} "
               "içinde buradan yanıt verecek.",
               "Anladım, bu yetmedi, kusura bakmayın. Sorunuzu bir arkadaşıma iletiyorum, {eta} içinde size yazacak."),
        "en": ("Sorry that didn't help. I'm bringing in a specialist who will check everything on our side and reply "
               "here within {eta}.",
               "Understood, that wasn't enough, sorry. I'm passing your question to a colleague, who will reply within "
               "{eta}."),
    },
    "did_not_help_handoff_later": {
        "ru": ("Жаль, что не помогло. Подключаю специалиста: он проверит всё на нашей стороне и ответит в рабочее "
               "время, {when}.",
               "Понял, этого было мало, извините. Коллега ответит вам в рабочее время, {when}."),
        "tr": ("İşe yaramadığına üzüldüm. Bir uzmanımız bizim taraftaki her şeyi kontrol edip mesai saatlerinde, "
               "{when} yanıt verecek.",
               "Anladım, bu yetmedi, kusura bakmayın. Bir arkadaşım mesai saatlerinde, {when} size yazacak."),
        "en": ("Sorry that didn't help. A specialist will check everything on our side and reply during working "
               "hours, {when}.",
               "Understood, that wasn't enough, sorry. A colleague will get back to you during working hours, {when}."),
    },
    # The customer did not understand the bot's answer ("не понял", "а подробнее?", "what do you mean?"): a person
    # explains; the `_later` variant outside the brand's support hours.
    "unclear_handoff": {
        "ru": ("Извините, если объяснил непонятно. Подключаю специалиста: он всё разъяснит здесь же в течение {eta}.",
               "Поясню подробнее через коллегу: передаю ему ваш вопрос, он ответит в течение {eta}."),
        "tr": ("Açık anlatamadıysam kusura bakmayın. Bir uzmanımızı dahil ediyorum; {eta} içinde buradan ayrıntılı "
               "açıklayacak.",
               "Daha ayrıntılı anlatması için sorunuzu bir arkadaşıma iletiyorum, {eta} içinde size yazacak."),
        "en": ("Sorry if that wasn't clear. I'm bringing in a specialist who will explain it here within {eta}.",
               "Let me get you a fuller explanation: a colleague has your question and will reply within {eta}."),
    },
    "unclear_handoff_later": {
        "ru": ("Извините, если объяснил непонятно. Специалист всё разъяснит в рабочее время, {when}.",
               "Поясню подробнее через коллегу: он ответит вам в рабочее время, {when}."),
        "tr": ("Açık anlatamadıysam kusura bakmayın. Uzmanımız mesai saatlerinde, {when} ayrıntılı açıklayacak.",
               "Daha ayrıntılı anlatması için sorunuzu bir arkadaşıma ilettim; mesai saatlerinde, {when} yazacak."),
        "en": ("Sorry if that wasn't clear. A specialist will explain it during working hours, {when}.",
               "Let me get you a fuller explanation: a colleague will reply during working hours, {when}."),
    },
    # The customer answered the rating question that the resolution did not solve it: the thread goes back to a
    # person; the `_later` variant outside the brand's support hours.
    "not_resolved_handoff": {
        "ru": ("Жаль, что вопрос так и не решён. Возвращаю обращение специалисту: он ответит здесь же в течение "
               "{eta}.",
               "Понял, решение не помогло, извините. Коллега снова возьмётся за ваш вопрос и ответит в течение {eta}."),
        "tr": ("Sorununuzun hâlâ çözülmemesine üzüldük. Talebinizi tekrar uzmanımıza iletiyorum; {eta} içinde buradan "
               "yanıt verecek.",
               "Anladım, çözüm işe yaramadı, kusura bakmayın. Bir arkadaşım sorununuzla yeniden ilgilenecek ve {eta} "
               "içinde yazacak."),
        "en": ("Sorry it still isn't solved. I'm passing it back to a specialist, who will reply here within {eta}.",
               "Understood, the solution didn't work, sorry. A colleague will take it up again and reply within "
               "{eta}."),
    },
    "not_resolved_handoff_later": {
        "ru": ("Жаль, что вопрос так и не решён. Возвращаю обращение специалисту: он ответит в рабочее время, {when}.",
               "Понял, решение не помогло, извините. Коллега снова возьмётся за ваш вопрос в рабочее время, {when}."),
        "tr": ("Sorununuzun hâlâ çözülmemesine üzüldük. Talebinizi tekrar uzmanımıza iletiyorum; mesai saatlerinde, "
               "{when} yanıt verecek.",
               "Anladım, çözüm işe yaramadı, kusura bakmayın. Bir arkadaşım mesai saatlerinde, {when} yeniden "
               "ilgilenecek."),
        "en": ("Sorry it still isn't solved. I'm passing it back to a specialist, who will reply during working "
               "hours, {when}.",
               "Understood, the solution didn't work, sorry. A colleague will take it up again during working hours, "
               "{when}."),
    },
    "disliked_handoff_later": {
        "ru": ("Жаль, что ответ не помог. Передаю ваш вопрос специалисту: он ответит в рабочее время, {when}.",
               "Похоже, я ответил не на то, извините. Коллега ответит вам в рабочее время, {when}."),
        "tr": ("Yanıtın işe yaramadığına üzüldüm. Sorunuzu uzmanımıza iletiyorum; mesai saatlerinde, {when} yanıt "
               "verecek.",
               "Galiba sorunuzu tam karşılayamadım, kusura bakmayın. Bir arkadaşım mesai saatlerinde, {when} size "
               "yazacak."),
        "en": ("Sorry that answer didn't help. I'm passing your question to a specialist; they'll reply during "
               "working hours, {when}.",
               "Looks like I missed the point, sorry. A colleague will get back to you during working hours, {when}."),
    },
    # A very unhappy customer goes to a person (natural negative: a real problem to solve): regret first, no
    # promise of what the person will find, never a word of whose fault it is; in words that fit a complaint about
    # prices, and an unhappy question ("why is my bill higher this month?"), as well as a mishap ("почему у вас такие
    # цены высокие?" heard "Очень жаль, что так вышло").
    "unhappy_handoff": {
        "ru": ("Понимаю ваше недовольство. Передаю ваше обращение специалисту, он разберётся и ответит здесь же в "
               "течение {eta}.",
               "Понимаю, как это неприятно. Подключаю коллегу: живой человек ответит вам в течение {eta}.",
               "Сожалею, что вам пришлось с этим столкнуться. Специалист уже видит переписку и ответит в течение "
               "{eta}.",
               "Разберёмся. Этим займётся наш сотрудник, он ответит вам в течение {eta}."),
        "tr": ("Memnuniyetsizliğinizi anlıyorum. Talebinizi uzmanımıza iletiyorum, inceleyip {eta} içinde "
               "buradan yanıt verecek.",
               "Bunun ne kadar can sıkıcı olduğunu anlıyorum. Bir arkadaşım {eta} içinde size yazacak.",
               "Bununla uğraşmak zorunda kaldığınız için üzgünüm. Uzmanımız yazışmayı gördü, {eta} içinde cevap "
               "verecek.",
               "Konuyu inceleyeceğiz. Ekibimizden biri {eta} içinde size dönecek."),
        "en": ("I understand you're unhappy about this. I'm passing this to a specialist, who will look into it "
               "and reply here within {eta}.",
               "I understand how frustrating this is. A colleague of mine will get back to you within {eta}.",
               "Sorry you've had to deal with this. A specialist has the conversation and will reply within {eta}.",
               "We'll get to the bottom of this. Someone from our team will take this on and reply within {eta}."),
    },
    # A customer tells of someone who contacted them in the brand's name and asked for a code or card details, or
    # shows such a message (handlers.scam_reports, handlers.spam): what the brand never asks for and what to do if
    # it was shared, in words that hold whether or not the contact was the brand's; then when a person answers.
    "scam_warning": {
        "ru": ("Будьте осторожны: наши сотрудники никогда не спрашивают коды из СМС, пароли и данные карты. Если у "
               "вас спросили что-то из этого, это мошенники: ничего не сообщайте, а если уже сообщили, сразу "
               "позвоните в свой банк. Специалист проверит, кто с вами связывался, и ответит в течение {eta}.",
               "Спасибо, что написали. Запомните: мы никогда не просим коды из СМС, пароли или данные карты, ни по "
               "телефону, ни в сообщениях. Если их спрашивали, это мошенники: ничего не называйте, а если уже "
               "назвали, позвоните в банк и заблокируйте карту. Сотрудник разберётся и ответит в течение {eta}.",
               "Важно: коды из СМС, пароли и данные карты у вас не спрашивает никто из нашей команды. Если их "
               "просили, это мошенники; если вы их уже назвали, сразу позвоните в банк. Наш специалист проверит "
               "обращение и ответит в течение {eta}."),
        "tr": ("Lütfen dikkatli olun: çalışanlarımız asla SMS kodu, şifre ya da kart bilgisi istemez. Sizden "
               "bunlardan biri istendiyse bu bir dolandırıcılıktır: hiçbir şey paylaşmayın, paylaştıysanız hemen "
               "bankanızı arayın. Uzmanımız sizinle kimin iletişime geçtiğini kontrol edip {eta} içinde yanıt "
               "verecek.",
               "Yazdığınız için teşekkürler. Unutmayın: ne telefonda ne de mesajla SMS kodu, şifre veya kart bilgisi "
               "isteriz. İstendiyse bu dolandırıcılardır: hiçbir şey söylemeyin, söylediyseniz bankanızı arayıp "
               "kartınızı bloke ettirin. Ekibimizden biri konuyu inceleyip {eta} içinde yanıt verecek.",
               "Önemli: ekibimizden hiç kimse SMS kodu, şifre ya da kart bilgisi sormaz. Sorulduysa bunlar "
               "dolandırıcıdır; paylaştıysanız hemen bankanızı arayın. Uzmanımız talebinizi kontrol edip {eta} "
               "içinde yanıt verecek."),
        "en": ("Please be careful: our staff never ask for SMS codes, passwords or card details. If someone asked "
               "you for any of these, it was a scam: share nothing, and if you already did, call your bank right "
               "away. A specialist will check who contacted you and reply within {eta}.",
               "Thanks for letting us know. Remember: we never ask for SMS codes, passwords or card details, by "
               "phone or in messages. If you were asked for them, it's a scam: don't share anything, and if you "
               "already have, call your bank and block your card. Someone from our team will look into it and "
               "reply within {eta}.",
               "Important: nobody on our team will ever ask for your SMS codes, passwords or card details. If someone "
               "did, they were scammers; if you already shared them, call your bank at once. A specialist will "
               "check this and reply within {eta}."),
    },
    "scam_warning_later": {
        "ru": ("Будьте осторожны: наши сотрудники никогда не спрашивают коды из СМС, пароли и данные карты. Если у "
               "вас спросили что-то из этого, это мошенники: ничего не сообщайте, а если уже сообщили, сразу "
               "позвоните в свой банк. Специалист проверит, кто с вами связывался, и ответит в рабочее время, "
               "{when}.",
               "Спасибо, что написали. Запомните: мы никогда не просим коды из СМС, пароли или данные карты. Если их "
               "спрашивали, это мошенники: ничего не называйте, а если уже назвали, позвоните в банк и заблокируйте "
               "карту. Сотрудник разберётся и ответит в рабочее время, {when}."),
        "tr": ("Lütfen dikkatli olun: çalışanlarımız asla SMS kodu, şifre ya da kart bilgisi istemez. Sizden "
               "bunlardan biri istendiyse bu bir dolandırıcılıktır: hiçbir şey paylaşmayın, paylaştıysanız hemen "
               "bankanızı arayın. Uzmanımız sizinle kimin iletişime geçtiğini kontrol edip mesai saatlerinde, "
               "{when} yanıt verecek.",
               "Yazdığınız için teşekkürler. Unutmayın: SMS kodu, şifre veya kart bilgisi asla istemeyiz. İstendiyse "
               "bu dolandırıcılardır: hiçbir şey söylemeyin, söylediyseniz bankanızı arayıp kartınızı bloke "
               "ettirin. Ekibimizden biri mesai saatlerinde, {when} yanıt verecek."),
        "en": ("Please be careful: our staff never ask for SMS codes, passwords or card details. If someone asked "
               "you for any of these, it was a scam: share nothing, and if you already did, call your bank right "
               "away. A specialist will check who contacted you and reply during working hours, {when}.",
               "Thanks for letting us know. Remember: we never ask for SMS codes, passwords or card details. If you "
               "were asked for them, it's a scam: don't share anything, and if you already have, call your bank and "
               "block your card. Someone from our team will reply during working hours, {when}."),
    },
    "unhappy_handoff_later": {
        "ru": ("Понимаю ваше недовольство. Передаю ваше обращение специалисту: он ответит в рабочее время, {when}.",
               "Понимаю, как это неприятно. Коллега разберётся и ответит вам в рабочее время, {when}."),
        "tr": ("Memnuniyetsizliğinizi anlıyorum. Talebinizi uzmanımıza iletiyorum; mesai saatlerinde, {when} "
               "yanıt verecek.",
               "Bunun ne kadar can sıkıcı olduğunu anlıyorum. Bir arkadaşım mesai saatlerinde, {when} size yazacak."),
        "en": ("I understand you're unhappy about this. I'm passing this to a specialist, who will reply during "
               "working hours, {when}.",
               "I understand how frustrating this is. A colleague will get back to you during working hours, {when}."),
    },
    # Outside the brand's support hours (or past their end before the reaction time runs out): {when} is the
    # deadline as a day and time, e.g. "завтра до 10:00 (UTC+3)" / "yarın saat 10:00'a kadar (UTC+3)" /
    # "tomorrow by 10:00 (UTC+3)" (handlers.support_hours). Every kind of handoff says this instead.
    "handoff_later": {
        "ru": ("Передаю ваше сообщение специалисту. Он ответит в рабочее время, {when}.",
               "Спасибо, что написали. Переписка уже у нашего специалиста: ответ будет в рабочее время, {when}.",
               "Подключаю коллегу: живой человек ответит вам в рабочее время, {when}."),
        "tr": ("Mesajınızı uzmanımıza iletiyorum; mesai saatlerinde, {when} yanıt verecek.",
               "Yazdığınız için teşekkürler. Mesajınız ekibimizde: mesai saatlerinde, {when} size dönecek.",
               "Bir arkadaşımı dahil ediyorum; mesai saatlerinde, {when} size yazacak."),
        "en": ("I'm passing your message to a specialist; they will reply during working hours, {when}.",
               "Thanks for writing. A colleague has your message and will get back to you during working hours, "
               "{when}.",
               "I've called a colleague in: a person will answer you during working hours, {when}."),
    },
    "still_waiting_later": {
        "ru": ("Добавил ваше сообщение к обращению. Специалист ответит в рабочее время, {when}.",
               "Получили, специалист увидит это вместе со всей перепиской и ответит в рабочее время, {when}."),
        "tr": ("Mesajınızı talebinize ekledim. Uzmanımız mesai saatlerinde, {when} yanıt verecek.",
               "Aldık; uzmanımız bunu yazışmanın tamamıyla birlikte görecek ve mesai saatlerinde, {when} dönecek."),
        "en": ("I've added your message to your request. A specialist will reply during working hours, {when}.",
               "Got it: the specialist will see this with the rest of the conversation and reply during working "
               "hours, {when}."),
    },
    "eta_note_later": {
        "ru": ("Сотрудник ответит в рабочее время, {when}.", "Ответ специалиста — в рабочее время, {when}."),
        "tr": ("Bir temsilcimiz mesai saatlerinde, {when} yanıt verecek.",
               "Uzmanımız mesai saatlerinde, {when} size dönecek."),
        "en": ("A colleague will reply during working hours, {when}.",
               "A specialist will answer during working hours, {when}."),
    },
    "overdue_holding": {
        "ru": ("Простите, что ответ задерживается. Ваш вопрос у специалиста, он обязательно ответит.",
               "Мы помним о вашем обращении: специалист уже разбирается и скоро напишет. Спасибо за терпение!"),
        "tr": ("Yanıtın geciktiği için özür dileriz. Sorunuz uzmanımızda, mutlaka dönüş yapacak.",
               "Talebinizi unutmadık: uzmanımız ilgileniyor ve kısa süre içinde yazacak. Sabrınız için teşekkürler!"),
        "en": ("Sorry the answer is taking longer. Your question is with a specialist, who will get back to you.",
               "We haven't forgotten you: a specialist is on it and will write shortly. Thanks for your patience!"),
    },
    "late_answer": {  # before a bot's answer that could only go out long after the question (a platform outage)
        "ru": ("Простите за долгий ответ.", "Извините, что отвечаем с опозданием."),
        "tr": ("Geç yanıt için özür dileriz.", "Geç dönüş yaptığımız için kusura bakmayın."),
        "en": ("Sorry for the slow reply.", "Apologies for getting back to you late."),
    },
    "rating_thanks": {
        "ru": ("Спасибо за оценку!", "Спасибо, ваш отзыв помогает нам стать лучше."),
        "tr": ("Değerlendirmeniz için teşekkürler!", "Teşekkürler, geri bildiriminiz bize yol gösteriyor."),
        "en": ("Thank you for the rating!", "Thanks, your feedback helps us get better."),
    },
    # For moderators: the customer cannot be written to (VK error 901 and the like); {error} is the platform's.
    "customer_unreachable": {
        "ru": ("Клиенту нельзя написать в личные сообщения (он не разрешил сообщения сообществу): {error}",),
        "tr": ("Müşteriye özel mesaj gönderilemiyor (topluluktan mesajlara izin vermemiş): {error}",),
        "en": ("The customer cannot be messaged privately (messages from the community are not allowed): {error}",),
    },
    "eta_note": {
        "ru": ("Сотрудник ответит в течение {eta}.", "Ответ специалиста — в течение {eta}."),
        "tr": ("Bir temsilcimiz {eta} içinde yanıt verecek.", "Uzmanımız {eta} içinde size dönecek."),
        "en": ("A colleague will reply within {eta}.", "A specialist will answer within {eta}."),
    },
    # The customer sent their details (a contract number, a phone, an address: handlers.customer_details).
    "details_received": {
        "ru": ("Спасибо, данные получили. Специалист проверит их и ответит в течение {eta}.",
               "Получили, спасибо! Передаю коллеге: он всё проверит и ответит в течение {eta}.",
               "Спасибо, этого достаточно, чтобы начать проверку. Сотрудник ответит вам в течение {eta}."),
        "tr": ("Teşekkürler, bilgilerinizi aldık. Uzmanımız kontrol edip {eta} içinde yanıt verecek.",
               "Aldık, teşekkürler! Bir arkadaşıma iletiyorum; kontrol edip {eta} içinde size dönecek.",
               "Teşekkürler, kontrole başlamak için bu yeterli. Bir temsilcimiz {eta} içinde yazacak."),
        "en": ("Thanks, we've got your details. A specialist will check them and reply within {eta}.",
               "Got it, thank you! I'm passing this to a colleague, who will check and get back to you within {eta}.",
               "Thanks, that's enough for us to start checking. Someone from our team will reply within {eta}."),
    },
    "details_received_later": {
        "ru": ("Спасибо, данные получили. Специалист проверит их и ответит в рабочее время, {when}.",
               "Получили, спасибо! Коллега всё проверит и ответит вам в рабочее время, {when}."),
        "tr": ("Teşekkürler, bilgilerinizi aldık. Uzmanımız kontrol edip mesai saatlerinde, {when} yanıt verecek.",
               "Aldık, teşekkürler! Bir arkadaşım kontrol edip mesai saatlerinde, {when} size dönecek."),
        "en": ("Thanks, we've got your details. A specialist will check them and reply during working hours, {when}.",
               "Got it, thank you! A colleague will check and get back to you during working hours, {when}."),
    },
    "details_hidden_note": {  # after details_received, under a public comment the bot then hides (`hide_details`)
        "ru": ("Ваш комментарий мы скрыли, чтобы ваши данные не увидели посторонние; продолжим в личных сообщениях.",
               "Комментарии видят все, поэтому мы скрыли ваш с личными данными. Дальше лучше писать нам в личку."),
        "tr": ("Bilgilerinizi başkaları görmesin diye yorumunuzu gizledik; özel mesajla devam edelim.",
               "Yorumları herkes görebildiği için kişisel bilgilerinizi içeren yorumunuzu gizledik. Bundan sonrası "
               "için bize özelden yazabilirsiniz."),
        "en": ("We've hidden your comment so strangers can't see your details; let's continue in private messages.",
               "Comments are public, so we've hidden yours with your personal details. Please write to us privately "
               "from here on."),
    },
    "details_public_note": {  # after details_received, under a public comment
        "ru": ("Комментарии видят все, поэтому номер договора, телефон и адрес лучше присылать нам в личные "
               "сообщения.",
               "Пожалуйста, не оставляйте личные данные в открытых комментариях, их видят все: надёжнее написать "
               "нам в личные сообщения."),
        "tr": ("Yorumları herkes görebiliyor; sözleşme numarası, telefon ve adres gibi bilgileri bize özel mesajla "
               "göndermeniz daha güvenli.",
               "Lütfen kişisel bilgilerinizi herkese açık yorumlarda paylaşmayın; bize özelden yazmanız daha "
               "güvenli."),
        "en": ("Comments are public, so contract numbers, phone numbers and addresses are safer sent to us in "
               "private messages.",
               "Please don't leave personal details in public comments, where everyone can read them: a private "
               "message to us is safer."),
    },
    "private_invite": {
        "ru": ("Чтобы проверить данные по договору, напишите нам, пожалуйста, в личные сообщения: {link}",
               "Ответим лично — это касается ваших данных. Напишите нам в личку: {link}"),
        "tr": ("Sözleşme bilgilerinize bakabilmemiz için lütfen bize özelden yazın: {link}",
               "Kişisel bilgileriniz gerektiği için size özelden dönelim: {link}"),
        "en": ("To check your contract details, please message us privately: {link}",
               "This needs your personal details, so let's continue in private messages: {link}"),
    },
    "company_checking": {  # a moderator asked the company's specialists; the customer waits for a person's first word
        "ru": ("Уточняю это у специалистов компании и вернусь к вам с ответом.",
               "Хороший вопрос — передал его специалистам компании. Как только они ответят, напишу вам.",
               "Проверяю информацию у коллег из компании, чтобы ответить точно. Скоро вернусь с ответом."),
        "tr": ("Bunu şirketimizin uzmanlarına soruyorum, yanıtla size döneceğim.",
               "Güzel soru — şirketteki uzmanlarımıza ilettim. Yanıt gelir gelmez size yazacağım.",
               "Doğru bilgi verebilmek için şirketteki arkadaşlarımla kontrol ediyorum, kısa süre içinde döneceğim."),
        "en": ("I'm checking this with the company's specialists and will get back to you with the answer.",
               "Good question: I've passed it to our specialists and will write as soon as they answer.",
               "I'm confirming the details with my colleagues at the company to give you an exact answer; back soon."),
    },
}

LABELS: dict[str, dict[str, str]] = {
    "satisfied": {"ru": "👍 Доволен", "tr": "👍 Memnunum", "en": "👍 Satisfied"},
    "not_satisfied": {"ru": "👎 Не доволен", "tr": "👎 Memnun değilim", "en": "👎 Not satisfied"},
    "take": {"ru": "Взять", "tr": "Üstlen", "en": "Take"},
    "resolve": {"ru": "Решено", "tr": "Çözüldü", "en": "Resolve"},
    "return_to_bot": {"ru": "Вернуть боту", "tr": "Bota geri ver", "en": "Return to bot"},
    # Telegram: the moderators' forum (topic per thread) and the customer's /start.
    "tg_welcome": {"ru": "Здравствуйте! Напишите ваш вопрос — ответим здесь.",
                   "tr": "Merhaba! Sorunuzu yazın, buradan yanıtlayalım.",
                   "en": "Hello! Write your question and we'll answer here."},
    "card_title": {"ru": "Обращение", "tr": "Talep", "en": "Thread"},
    "card_customer": {"ru": "Клиент", "tr": "Müşteri", "en": "Customer"},
    "card_where": {"ru": "Где", "tr": "Nerede", "en": "Where"},
    "where_private": {"ru": "личные сообщения", "tr": "özel mesajlar", "en": "private messages"},
    "where_group": {"ru": "группа", "tr": "grup", "en": "group"},
    "where_comment": {"ru": "комментарий к посту", "tr": "gönderiye yorum", "en": "comment under post"},
    "card_intent": {"ru": "Тема", "tr": "Konu", "en": "Intent"},
    "card_sentiment": {"ru": "Тональность", "tr": "Duygu", "en": "Sentiment"},
    "card_toxicity": {"ru": "Токсичность", "tr": "Toksiklik", "en": "Toxicity"},
    "card_reason": {"ru": "Причина передачи", "tr": "Devir nedeni", "en": "Why escalated"},
    "card_deadline": {"ru": "Ответить до", "tr": "Son yanıt zamanı", "en": "Reply by"},
    "card_owner": {"ru": "Ответственный", "tr": "Sorumlu", "en": "Owner"},
    "card_unreachable": {"ru": "🚫 Клиент запретил личные сообщения от бренда: ответы в личку до него не дойдут",
                         "tr": "🚫 Müşteri markadan özel mesajları engelledi: özel yanıtlar ona ulaşmaz",
                         "en": "🚫 The customer blocked private messages from the brand: private replies will not "
                               "reach them"},
    "card_history": {"ru": "Последние сообщения", "tr": "Son mesajlar", "en": "Last messages"},
    "card_commands": {"ru": "Ответ в этой теме уйдёт клиенту. Команды: /resolve, /bot, /note ТЕКСТ, /use N (ответ из "
                            "базы N), /hide (скрыть публичный комментарий клиента)",
                      "tr": "Bu konuya yazılan yanıt müşteriye gider. Komutlar: /resolve, /bot, /note METİN, /use N "
                            "(bilgi bankasından N. yanıt), /hide (müşterinin herkese açık yorumunu gizle)",
                      "en": "Replies in this topic go to the customer. Commands: /resolve, /bot, /note TEXT, /use N "
                            "(answer N from the base), /hide (hide the customer's public comment)"},
    "card_commands_ask": {"ru": "/ask ТЕКСТ — вопрос специалистам компании (ответ придёт сюда)",
                          "tr": "/ask METİN — şirketin uzmanlarına soru (yanıt buraya gelir)",
                          "en": "/ask TEXT: a question to the company's specialists (the answer comes here)"},
    "company_question": {"ru": "❓ Вопрос #{n} от поддержки {brand} (модератор {who}):\n{question}\n\nОтветьте на это "
                               "сообщение (Ответить / Reply) — ответ увидят модераторы и передадут клиенту.",
                         "tr": "❓ {brand} destek ekibinden soru #{n} (moderatör {who}):\n{question}\n\nLütfen bu "
                               "mesajı yanıtlayın (Yanıtla / Reply): moderatörler görüp müşteriye iletecek.",
                         "en": "❓ Question #{n} from {brand} support (moderator {who}):\n{question}\n\nAnswer it by "
                               "replying to this message: the moderators will see it and pass it on to the customer."},
    "company_asked": {"ru": "❓ {who} спросил(а) компанию (вопрос #{n}); ответ придёт сюда.",
                      "tr": "❓ {who} şirkete sordu (soru #{n}); yanıt buraya gelecek.",
                      "en": "❓ {who} asked the company (question #{n}); the answer will come here."},
    "company_asked_told": {"ru": "Клиенту написали, что ответ уточняется у специалистов.",
                           "tr": "Müşteriye yanıtın uzmanlarla netleştirildiği yazıldı.",
                           "en": "The customer was told the answer is being checked with the specialists."},
    "company_answer": {"ru": "💬 Ответ компании на вопрос #{n} ({who}):\n{answer}",
                       "tr": "💬 Şirketin #{n} numaralı soruya yanıtı ({who}):\n{answer}",
                       "en": "💬 The company's answer to question #{n} ({who}):\n{answer}"},
    "company_send": {"ru": "✉ Отправить клиенту", "tr": "✉ Müşteriye gönder", "en": "✉ Send to the customer"},
    "company_sent": {"ru": "✉ {who} отправил(а) клиенту ответ компании.", "tr": "✉ {who} şirketin yanıtını müşteriye "
                     "gönderdi.", "en": "✉ {who} sent the company's answer to the customer."},
    "company_reminder": {"ru": "⏰ Вопрос #{n} ждёт ответа с {since}, клиент ждёт вместе с ним. Ответьте на вопрос "
                               "(Ответить / Reply), пожалуйста.",
                         "tr": "⏰ Soru #{n} {since} tarihinden beri yanıt bekliyor; müşteri de bekliyor. Lütfen "
                               "soruyu yanıtlayın (Yanıtla / Reply).",
                         "en": "⏰ Question #{n} has waited for an answer since {since}, and a customer with it. "
                               "Please answer it by replying to the question."},
    "company_thanks": {"ru": "✅ Спасибо! Ответ передан модераторам.", "tr": "✅ Teşekkürler! Yanıt moderatörlere "
                       "iletildi.", "en": "✅ Thank you! The answer went to the moderators."},
    "company_no_chat": {"ru": "У бренда не настроен чат компании (company_chat): спросите специалистов сами и "
                              "оставьте ответ заметкой.",
                        "tr": "Markanın şirket sohbeti (company_chat) ayarlı değil: uzmanlara kendiniz sorun ve "
                              "yanıtı not olarak bırakın.",
                        "en": "The brand has no company chat (company_chat): ask the specialists yourself and keep "
                              "the answer as a note."},
    "company_not_sent": {"ru": "Вопрос не ушёл в чат компании: {error}", "tr": "Soru şirket sohbetine "
                         "gönderilemedi: {error}", "en": "The question did not reach the company's chat: {error}"},
    "company_note_asked": {"ru": "Вопрос компании", "tr": "Şirkete soru", "en": "Asked the company"},
    "company_note_answered": {"ru": "Ответ компании", "tr": "Şirketin yanıtı", "en": "The company's answer"},
    "author_customer": {"ru": "Клиент", "tr": "Müşteri", "en": "Customer"},
    "author_bot": {"ru": "Бот", "tr": "Bot", "en": "Bot"},
    "author_moderator": {"ru": "Модератор", "tr": "Moderatör", "en": "Moderator"},
    "history_hidden": {"ru": "🚫 скрыл сообщение клиента", "tr": "🚫 müşterinin mesajını gizledi",
                       "en": "🚫 hid the customer's message"},
    "history_deleted_by_customer": {"ru": "(🗑 клиент удалил)", "tr": "(🗑 müşteri sildi)",
                                    "en": "(🗑 deleted by the customer)"},
    "history_deleted": {"ru": "(🗑 удалено)", "tr": "(🗑 silindi)", "en": "(🗑 deleted)"},
    "history_joins": {"ru": "присоединился к комментарию", "tr": "şu yoruma katıldı", "en": "joins the comment"},
    "read_as": {"ru": "читается как", "tr": "okunuşu", "en": "reads as"},  # Russian typed in Latin letters
    "topic_deleted_by_customer": {"ru": "🗑 Клиент удалил своё сообщение: {text}",
                                  "tr": "🗑 Müşteri mesajını sildi: {text}",
                                  "en": "🗑 The customer deleted their message: {text}"},
    "topic_deleted": {"ru": "🗑 Сообщение клиента удалено из чата: {text}",
                      "tr": "🗑 Müşterinin mesajı sohbetten silindi: {text}",
                      "en": "🗑 The customer's message was deleted from the chat: {text}"},
    "topic_restored": {"ru": "♻ Удалённое сообщение клиента восстановлено: {text}",
                       "tr": "♻ Müşterinin silinen mesajı geri yüklendi: {text}",
                       "en": "♻ The customer's deleted message was restored: {text}"},
    "topic_customer_blocked": {
        "ru": "🚫 Клиент запретил личные сообщения от бренда (заблокировал бота или сообщения сообщества): ответы в "
              "личку не дойдут, пока он их снова не разрешит.",
        "tr": "🚫 Müşteri markadan özel mesajları engelledi (botu ya da topluluğun mesajlarını): yeniden izin verene "
              "kadar özel yanıtlar ulaşmaz.",
        "en": "🚫 The customer blocked private messages from the brand (the bot, or the community's messages): "
              "private replies will not reach them until they allow them again."},
    "topic_customer_allowed": {"ru": "✅ Клиент снова разрешил личные сообщения.",
                               "tr": "✅ Müşteri özel mesajlara yeniden izin verdi.",
                               "en": "✅ The customer allowed private messages again."},
    "topic_customer_allowed_resent": {
        "ru": "✅ Клиент снова разрешил личные сообщения. Недоставленные ответы отправлены снова: {count}.",
        "tr": "✅ Müşteri özel mesajlara yeniden izin verdi. İletilemeyen yanıtlar yeniden gönderildi: {count}.",
        "en": "✅ The customer allowed private messages again. Undelivered replies sent again: {count}."},
    "topic_reaction": {"ru": "{emoji} Клиент отреагировал на ответ: {text}",
                       "tr": "{emoji} Müşteri yanıta tepki verdi: {text}",
                       "en": "{emoji} The customer reacted to a reply: {text}"},
    "topic_taken": {"ru": "Взял(а) в работу: {who}", "tr": "Üstlenen: {who}", "en": "Taken by {who}"},
    # a new question of a customer waiting for a person, answered by the bot from the base (handlers.router)
    "topic_bot_answered": {"ru": "🤖 Бот ответил по базе ({topic}): {text}",
                           "tr": "🤖 Bot bilgi bankasından yanıtladı ({topic}): {text}",
                           "en": "🤖 The bot answered from the base ({topic}): {text}"},
    "account_no_photo": {"ru": "без фото", "tr": "fotoğrafsız", "en": "no photo"},
    "account_followers": {"ru": "подписчиков: {n}", "tr": "takipçi: {n}", "en": "followers: {n}"},
    # Telegram shows a bot a profile photo only where its owner lets strangers see it
    "account_no_photo_visible": {"ru": "фото не видно", "tr": "fotoğraf görünmüyor", "en": "no photo visible"},
    "account_no_username": {"ru": "без @имени", "tr": "@kullanıcı adı yok", "en": "no @username"},
    "account_closed": {"ru": "закрытый профиль", "tr": "gizli profil", "en": "closed profile"},
    "account_deleted": {"ru": "страница удалена", "tr": "sayfa silinmiş", "en": "page deleted"},
    "account_banned": {"ru": "страница заблокирована", "tr": "sayfa engellenmiş", "en": "page banned"},
    "topic_hidden": {"ru": "{who} скрыл(а) публичный комментарий клиента.",
                     "tr": "{who} müşterinin herkese açık yorumunu gizledi.",
                     "en": "{who} hid the customer's public comment."},
    "topic_nothing_to_hide": {"ru": "Скрывать нечего: у клиента здесь нет публичного комментария, который ещё виден.",
                              "tr": "Gizlenecek bir şey yok: müşterinin burada hâlâ görünen herkese açık bir yorumu "
                                    "yok.",
                              "en": "Nothing to hide: the customer has no public comment here that is still up."},
    "topic_resolved": {"ru": "Решено ({who}). Клиенту отправлен запрос оценки.",
                       "tr": "Çözüldü ({who}). Müşteriden değerlendirme istendi.",
                       "en": "Resolved by {who}. The customer was asked for a rating."},
    "topic_returned": {"ru": "Возвращено боту ({who}).", "tr": "Bota geri verildi ({who}).",
                       "en": "Returned to the bot by {who}."},
    "topic_returned_left": {"ru": "Бот ответит на последнее сообщение клиента, оставшееся без ответа: «{text}».",
                            "tr": "Bot, müşterinin yanıtsız kalan son mesajını yanıtlayacak: «{text}».",
                            "en": "The bot will answer the customer's last message, which nobody answered: "
                                  "“{text}”."},
    "topic_note_saved": {"ru": "Заметка сохранена (клиент её не увидит).",
                         "tr": "Not kaydedildi (müşteri görmez).", "en": "Note saved (the customer never sees it)."},
    "campaign_topic": {"ru": "⚠ Кампания #{number}", "tr": "⚠ Kampanya #{number}", "en": "⚠ Campaign #{number}"},
    "abuse_topic": {"ru": "🚫 Оскорбления", "tr": "🚫 Hakaretler", "en": "🚫 Abuse"},
    "abuse_intro": {
        "ru": "Сюда бот приносит публичные комментарии, которые он счёл оскорбительными (или спамом, или "
              "мошенничеством под видом поддержки): он на них не отвечает и сам не скрывает (для бренда выключено "
              "hide_toxic или hide_spam). Если это так, скройте комментарий кнопкой под ним; если нет, оставьте: у "
              "клиента может быть вопрос, ответьте ему. Здесь же то, что бот скрыл как спам или оставил без ответа "
              "в личных: если это клиент, нажмите «🙋 Это клиент».",
        "tr": "Botun hakaret (ya da spam veya destek kılığında dolandırıcılık) saydığı herkese açık yorumlar buraya "
              "gelir: bot bunlara yanıt vermez ve kendisi gizlemez (markada hide_toxic ya da hide_spam kapalı). "
              "Öyleyse altındaki düğmeyle gizleyin; değilse bırakın: müşterinin bir sorusu olabilir, yanıtlayın. "
              "Botun spam sanıp gizlediği ya da özelde yanıtsız bıraktığı mesajlar da buradadır: müşteriyse "
              "«🙋 Bu bir müşteri» düğmesine basın.",
        "en": "Public comments the bot took for abuse (or spam, or a scam posing as the support) come here: it does "
              "not answer them and does not hide them itself (hide_toxic or hide_spam is off for the brand). If one "
              "is, hide it with the button under it; if not, leave it: the customer may have a question, answer it. "
              "What the bot hid as spam or left unanswered in private is here too: if it is a customer, press "
              "“🙋 A customer”."},
    "abuse_spam": {"ru": "🧲 Похоже на спам: приманка (заработок, ставки, приз) и ссылка или контакт вне страницы.",
                   "tr": "🧲 Spam gibi görünüyor: bir yem (kazanç, bahis, ödül) ve sayfa dışına bir bağlantı ya da "
                         "iletişim.",
                   "en": "🧲 Looks like spam: a bait (earnings, bets, a prize) and a link or contact off the page."},
    "abuse_impersonation": {
        "ru": "🎭 Похоже на мошенника под видом поддержки бренда: зовёт клиентов за пределы страницы. Клиента, "
              "которому он ответил, бот предупредил под его комментарием.",
        "tr": "🎭 Markanın destek ekibi gibi davranan bir dolandırıcıya benziyor: müşterileri sayfa dışına çağırıyor. "
              "Yanıt verdiği müşteriyi bot kendi yorumunun altında uyardı.",
        "en": "🎭 Looks like a scammer posing as the brand's support, calling customers off the page. The bot warned "
              "the customer it answered, under their comment."},
    "abuse_impersonation_hidden": {
        "ru": "🎭 Бот скрыл комментарий мошенника под видом поддержки бренда и предупредил клиента, которому тот "
              "ответил.",
        "tr": "🎭 Bot, markanın destek ekibi gibi davranan bir dolandırıcının yorumunu gizledi ve yanıt verdiği "
              "müşteriyi uyardı.",
        "en": "🎭 The bot hid a comment of a scammer posing as the brand's support and warned the customer it "
              "answered."},
    "abuse_impersonation_victim": {
        "ru": "Он ответил клиенту: обращение {thread} ({state}). Проверьте, не успел ли клиент ему написать.",
        "tr": "Yanıt verdiği müşteri: konuşma {thread} ({state}). Müşterinin ona yazıp yazmadığını kontrol edin.",
        "en": "It answered a customer: thread {thread} ({state}). Check whether they wrote to the scammer already."},
    "abuse_hide_button": {"ru": "🚫 Скрыть", "tr": "🚫 Gizle", "en": "🚫 Hide"},
    "abuse_hide_all_button": {"ru": "🚫 Скрыть все ({n})", "tr": "🚫 Tümünü gizle ({n})", "en": "🚫 Hide all ({n})"},
    "abuse_comments": {"ru": "Комментариев автора, которые бот оставил: {n}",
                       "tr": "Yazarın botun bıraktığı yorumları: {n}",
                       "en": "The author's comments the bot left up: {n}"},
    "abuse_hidden_all": {"ru": "{who} скрыл(а) комментарии автора: {n}.", "tr": "{who} yazarın yorumlarını gizledi: "
                         "{n}.", "en": "{who} hid the author's comments: {n}."},
    "abuse_hidden": {"ru": "{who} скрыл(а) комментарий.", "tr": "{who} yorumu gizledi.",
                     "en": "{who} hid the comment."},
    "outside_topic": {"ru": "🔎 Упоминания", "tr": "🔎 Bahsedilmeler", "en": "🔎 Mentions"},
    "outside_intro": {
        "ru": "Сюда бот приносит недовольные посты о бренде, найденные вне его страниц (поиск по постам ВКонтакте). "
              "Бот там не отвечает. Разберитесь: ответьте автору на его странице по существу, решите проблему и "
              "расскажите о решении публично; если это направленная атака, соберите доказательства. Не обвиняйте "
              "автора во лжи. Когда разберётесь, нажмите кнопку под постом.",
        "tr": "Markanın kendi sayfaları dışında bulunan olumsuz gönderiler buraya gelir (VK gönderi araması). Bot "
              "orada yanıt vermez. İlgilenin: yazara kendi sayfasında somut yanıt verin, sorunu çözün ve çözümü "
              "açıkça duyurun; yönlendirilmiş bir saldırıysa kanıt toplayın. Yazarı yalan söylemekle suçlamayın. "
              "İlgilendiğinizde gönderinin altındaki düğmeye basın.",
        "en": "Unhappy posts about the brand found outside its own pages (VK post search) come here. The bot does "
              "not answer there. Deal with each: answer the author on their page to the point, solve the problem and "
              "tell about the solution publicly; if it is a directed attack, collect evidence. Do not accuse the "
              "author of lying. When done, press the button under the post."},
    "outside_reading": {"ru": "негатив {negative} · по запросу «{query}»", "tr": "olumsuzluk {negative} · «{query}» "
                        "aramasıyla", "en": "negative {negative} · found by “{query}”"},
    "outside_shared": {"ru": "негатив {negative} · делится постом бренда {post}",
                       "tr": "olumsuzluk {negative} · markanın gönderisini paylaşıyor: {post}",
                       "en": "negative {negative} · shares the brand's post {post}"},
    "outside_directed": {
        "ru": "⚠ Похоже на направленный негатив: почти такие же недовольные посты от нескольких авторов за короткое "
              "время. Соберите доказательства (ссылки есть выше); не обвиняйте авторов во лжи, при необходимости "
              "ответьте один раз, фактами.",
        "tr": "⚠ Yönlendirilmiş olumsuz yorum gibi görünüyor: kısa sürede birkaç yazardan neredeyse aynı olumsuz "
              "gönderiler. Kanıt toplayın (bağlantılar yukarıda); yazarları yalan söylemekle suçlamayın, gerekirse "
              "bir kez, gerçeklerle yanıtlayın.",
        "en": "⚠ This looks like directed negative: near-identical unhappy posts from several authors in a short "
              "time. Collect evidence (the links are above); do not accuse the authors of lying; if needed, answer "
              "once, with facts."},
    "outside_customer": {"ru": "Автор уже писал бренду: обращение {thread} ({state}).",
                         "tr": "Yazar markaya daha önce yazmış: talep {thread} ({state}).",
                         "en": "The author has written to the brand: thread {thread} ({state})."},
    "outside_state_bot": {"ru": "отвечает бот", "tr": "bot yanıtlıyor", "en": "the bot answers"},
    "outside_state_waiting_for_moderator": {"ru": "ждёт ответа человека", "tr": "bir kişinin yanıtını bekliyor",
                                            "en": "waiting for a person"},
    "outside_state_with_moderator": {"ru": "у модератора", "tr": "moderatörde", "en": "with a moderator"},
    "outside_state_resolved": {"ru": "решено", "tr": "çözüldü", "en": "resolved"},
    "outside_overdue": {"ru": "⏰ Найден в {since}, и никто ещё не разобрал: недовольство растёт, пока на него не "
                              "ответили. Ответьте автору или отметьте ✅.",
                        "tr": "⏰ {since} tarihinde bulundu ve kimse ilgilenmedi: yanıt verilmedikçe olumsuzluk "
                              "büyür. Yazara yanıt verin ya da ✅ ile işaretleyin.",
                        "en": "⏰ Found at {since} and nobody has dealt with it yet: unhappiness grows while it goes "
                              "unanswered. Answer the author or mark it ✅."},
    "outside_views": {"ru": "просмотров: {n}", "tr": "görüntülenme: {n}", "en": "views: {n}"},
    "outside_handled_button": {"ru": "✅ Разобрано", "tr": "✅ İlgilenildi", "en": "✅ Dealt with"},
    "outside_handled": {"ru": "{who} разобрал(а) это упоминание.", "tr": "{who} bu gönderiyle ilgilendi.",
                        "en": "{who} dealt with this mention."},
    "campaign_intro": {
        "ru": "Похоже на направленный негатив: почти одинаковые негативные сообщения от нескольких аккаунтов за "
              "короткое время. В публичных комментариях бот им не отвечает и не открывает обращение на каждый "
              "аккаунт; все сообщения сохраняются как доказательства (smm-responder evidence --brand {brand}). "
              "Не оставляйте волну без ответа и не обвиняйте авторов во лжи: ответьте один раз под каждой записью, "
              "фактами — кнопкой ниже (готовый ответ: разбираемся с каждым, клиентов просим написать в личные "
              "сообщения) или своим текстом: /statement ТЕКСТ.",
        "tr": "Yönlendirilmiş olumsuz yorum gibi görünüyor: kısa sürede birkaç hesaptan neredeyse aynı olumsuz "
              "mesajlar. Bot herkese açık yorumlarda bunlara yanıt vermez ve her hesap için ayrı talep açmaz; tüm "
              "mesajlar kanıt olarak saklanır (smm-responder evidence --brand {brand}). Dalgayı yanıtsız bırakmayın "
              "ve yazanları yalan söylemekle suçlamayın: her gönderinin altında bir kez, gerçeklerle yanıtlayın — "
              "aşağıdaki düğmeyle (hazır yanıt: her talebi inceliyoruz, müşterilerden özelden yazmalarını "
              "istiyoruz) ya da kendi metninizle: /statement METİN.",
        "en": "This looks like directed negative: near-identical negative messages from several accounts in a short "
              "time. The bot does not answer them in public comments or open a thread per account; every message "
              "is kept as evidence (smm-responder evidence --brand {brand}). Don't leave the wave unanswered and "
              "don't accuse the authors of lying: answer once under each post, with facts, with the button below "
              "(a prepared answer: we look into every report and ask customers to write in private) or your own "
              "text: /statement TEXT.",
    },
    "spam_hidden": {
        "ru": "🧲 Бот скрыл как спам. Если это клиент, нажмите «Это клиент»: откроется обращение для ответа, а "
              "комментарий во VK вернётся на место (удалённое в Telegram не вернуть).",
        "tr": "🧲 Bot bunu spam sanıp gizledi. Bu bir müşteriyse «Bu bir müşteri» düğmesine basın: yanıt için bir "
              "talep açılır ve VK'deki yorum geri gelir (Telegram'da silinen geri gelmez).",
        "en": "🧲 The bot hid this as spam. If it is a customer, press “A customer”: a thread opens for the answer and "
              "a VK comment comes back (what Telegram deleted is gone)."},
    "spam_private_unanswered": {
        "ru": "🧲 Бот принял за спам личное сообщение и не ответил. Если это клиент, нажмите «Это клиент»: "
              "откроется обращение для ответа.",
        "tr": "🧲 Bot özel bir mesajı spam sanıp yanıtlamadı. Bu bir müşteriyse «Bu bir müşteri» düğmesine basın: "
              "yanıt için bir talep açılır.",
        "en": "🧲 The bot took a private message for spam and did not answer. If it is a customer, press “A "
              "customer”: a thread opens for the answer."},
    "spam_customer_button": {"ru": "🙋 Это клиент", "tr": "🙋 Bu bir müşteri", "en": "🙋 A customer"},
    "spam_customer_back": {"ru": "{who}: это клиент — обращение открыто, ответьте в его теме.",
                           "tr": "{who}: bu bir müşteri; talep açıldı, kendi konusunda yanıtlayın.",
                           "en": "{who}: a customer after all; the thread is open, answer in its topic."},
    "evidence_title": {"ru": "# Направленный негатив: {brand}", "tr": "# Yönlendirilmiş olumsuz yorumlar: {brand}",
                       "en": "# Directed negative: {brand}"},
    "evidence_intro": {
        "ru": "Волны почти одинаковых негативных сообщений от нескольких аккаунтов за короткое время: кто писал, что "
              "видно в их профилях (у купленных аккаунтов обычно нет фото и подписчиков) и что и когда они написали, "
              "со ссылками. Для разоблачения атаки; никого из авторов не называйте лжецом.",
        "tr": "Kısa sürede birkaç hesaptan gelen neredeyse aynı olumsuz mesaj dalgaları: kimin yazdığı, "
              "profillerinde ne göründüğü (satın alınmış hesaplarda genellikle fotoğraf ve takipçi olmaz) ve ne zaman "
              "ne yazdıkları, bağlantılarıyla. Saldırıyı ortaya koymak için; yazanların hiçbirini yalancılıkla "
              "suçlamayın.",
        "en": "Waves of near-identical negative messages from several accounts in a short time: who wrote, what "
              "their profiles showed (bought accounts usually have no photo and no followers), and what they wrote "
              "when, with links. To expose the attack; call none of the authors a liar."},
    "evidence_campaign": {"ru": "## Кампания #{n}: аккаунтов {accounts}, сообщений {messages}, замечена {since}",
                          "tr": "## Kampanya #{n}: {accounts} hesap, {messages} mesaj, {since} tarihinde fark edildi",
                          "en": "## Campaign #{n}: {accounts} accounts, {messages} messages, seen {since}"},
    "evidence_accounts_head": {"ru": "| аккаунт | что видно в профиле | сообщений |",
                               "tr": "| hesap | profilde görünen | mesaj |",
                               "en": "| account | what its profile showed | messages |"},
    "evidence_messages_head": {"ru": "Сообщения:", "tr": "Mesajlar:", "en": "Messages:"},
    "evidence_none": {"ru": "Кампаний за этот период нет.", "tr": "Bu dönemde kampanya yok.",
                      "en": "No campaigns in this period."},
    "evidence_impersonators": {"ru": "## Аккаунты, выдававшие себя за поддержку бренда",
                               "tr": "## Markanın destek ekibi gibi davranan hesaplar",
                               "en": "## Accounts that posed as the brand's support"},
    "evidence_button": {"ru": "📄 Доказательства", "tr": "📄 Kanıtlar", "en": "📄 Evidence"},
    "evidence_file": {"ru": "📄 Доказательства по кампании #{n}: страница для разоблачения атаки.",
                      "tr": "📄 Kampanya #{n} kanıtları: saldırıyı ortaya koymak için sayfa.",
                      "en": "📄 Campaign #{n}'s evidence: a page to expose the attack."},
    "campaign_statement_button": {"ru": "📣 Ответить один раз публично", "tr": "📣 Herkese açık bir kez yanıtla",
                                  "en": "📣 Answer once in public"},
    "campaign_answered": {"ru": "{who} ответил(а) волне публично, мест: {n}: «{text}»",
                          "tr": "{who} dalgaya herkese açık yanıt verdi, yer sayısı: {n}: «{text}»",
                          "en": "{who} answered the wave in public in {n} places: “{text}”"},
    "campaign_nothing_to_answer": {
        "ru": "Отвечать негде: под каждой записью волны ответ уже есть (или её комментарии удалены).",
        "tr": "Yanıtlanacak yer yok: dalganın her gönderisinin altında zaten bir yanıt var (ya da yorumlar silinmiş).",
        "en": "Nowhere to answer: every post of the wave has its answer already (or its comments are gone)."},
    "surge_notify_hint": {
        "ru": "Когда решите, ответьте на это сообщение: /notify ТЕКСТ — бот передаст его каждому из клиентов "
              "({customers}) там, где он писал ({{name}} — его имя).",
        "tr": "Çözdüğünüzde bu mesajı yanıtlayın: /notify METİN — bot bunu müşterilerin ({customers}) her birine "
              "yazdığı yerde iletir ({{name}}: adı).",
        "en": "Once solved, reply to this message with /notify TEXT: the bot passes it to each of the customers "
              "({customers}) where they wrote ({{name}}: their name)."},
    "surge_notified": {"ru": "{who} сообщил(а) решение клиентам: {n}.", "tr": "{who} çözümü müşterilere iletti: {n}.",
                       "en": "{who} told the customers what was done: {n}."},
    "surge_accusing": {
        "ru": "Не отправлено: текст звучит как обвинение клиентов («{phrase}»). Переформулируйте или отправьте как "
              "есть: /notify_send ТЕКСТ",
        "tr": "Gönderilmedi: metin müşterileri suçluyor gibi okunuyor («{phrase}»). Yeniden yazın ya da olduğu gibi "
              "gönderin: /notify_send METİN",
        "en": "Not sent: the text reads as accusing the customers (\"{phrase}\"). Rephrase it, or send it as it is: "
              "/notify_send TEXT"},
    "surge_alert": {
        "ru": "📈 Всплеск недовольства: {customers} клиентов с {since} пишут о теме «{topic}» ({entry}). Похоже на "
              "общую проблему: выясните причину и расскажите о решении публично, чтобы его увидели все. Бот "
              "отвечает каждому как обычно. Последние сообщения:",
        "tr": "📈 Şikâyet artışı: {since} saatinden beri {customers} müşteri «{topic}» ({entry}) konusunda yazıyor. "
              "Ortak bir sorun gibi görünüyor: nedenini bulun ve çözümü herkesin göreceği şekilde açıkça duyurun. "
              "Bot herkese her zamanki gibi yanıt veriyor. Son mesajlar:",
        "en": "📈 Negative surge: {customers} customers since {since} are writing about “{topic}” ({entry}). It looks "
              "like a common problem: find the cause and tell about the fix publicly, so that everyone sees it. The "
              "bot answers each of them as usual. Latest messages:",
    },
    "surge_alert_word": {
        "ru": "📈 Всплеск недовольства тем, чего нет в базе ответов: {customers} клиентов с {since} пишут об одном, "
              "общее слово — «{word}». Похоже на новую проблему: выясните причину, ответьте им и расскажите о "
              "решении публично; добавьте ответ в базу, чтобы бот отвечал на это сам. Последние сообщения:",
        "tr": "📈 Yanıt tabanında olmayan bir konuda şikâyet artışı: {since} saatinden beri {customers} müşteri aynı "
              "konuda yazıyor, ortak kelime: «{word}». Yeni bir sorun gibi görünüyor: nedenini bulun, müşterilere "
              "yanıt verin ve çözümü açıkça duyurun; botun bunu kendisi yanıtlayabilmesi için tabana bir yanıt "
              "ekleyin. Son mesajlar:",
        "en": "📈 Negative surge on something the argument base does not cover: {customers} customers since {since} "
              "are writing about one thing; the word they share: “{word}”. It looks like a new problem: find the "
              "cause, answer them and tell about the fix publicly; add an answer to the base so that the bot answers "
              "it itself. Latest messages:",
    },
    "inbox_surge_word": {"ru": "📈 Всплеск недовольства (нет в базе ответов): «{word}» — {customers} клиентов "
                               "с {since}",
                         "tr": "📈 Şikâyet artışı (yanıt tabanında yok): «{word}», {since} saatinden beri {customers} "
                               "müşteri",
                         "en": "📈 Negative surge (not in the argument base): “{word}”, {customers} customers since "
                               "{since}"},
    # The forum's evening figures (`daily_summary`): the last 24 hours, so that the page can be left for the night.
    "day_summary": {"ru": "🌙 Итоги суток до {moment}:\n• упоминаний: {mentions} (бот ответил: {answered}, передано "
                          "людям: {handed_off}, скрыто: {hidden})\n• ждут ответа человека: {waiting}, срок прошёл: "
                          "{overdue}\n• люди ответили в срок: {within} из {reactions}{median}\n• довольны решением: "
                          "{satisfied}\n• позитив/негатив: {ratio} (сутками раньше: {previous})",
                    "tr": "🌙 {moment} itibarıyla son 24 saat:\n• bahsedilme: {mentions} (bot yanıtladı: {answered}, "
                          "ekibe aktarıldı: {handed_off}, gizlendi: {hidden})\n• bir kişinin yanıtını bekleyen: "
                          "{waiting}, süresi geçen: {overdue}\n• zamanında yanıt: {within} / {reactions}{median}\n"
                          "• çözümden memnun: {satisfied}\n• olumlu/olumsuz: {ratio} (önceki 24 saat: {previous})",
                    "en": "🌙 The 24 hours to {moment}:\n• mentions: {mentions} (answered by the bot: {answered}, "
                          "handed to people: {handed_off}, hidden: {hidden})\n• waiting for a person: {waiting}, past "
                          "the deadline: {overdue}\n• people answered in time: {within} of {reactions}{median}\n"
                          "• satisfied with the solution: {satisfied}\n• positive/negative: {ratio} (the 24 hours "
                          "before: {previous})"},
    "day_summary_median": {"ru": ", медиана {minutes} мин", "tr": ", medyan {minutes} dk",
                           "en": ", median {minutes} min"},
    "day_summary_surges": {"ru": "• всплески недовольства: {n} (inbox их покажет)",
                           "tr": "• şikâyet artışı: {n} (inbox gösterir)",
                           "en": "• negative surges: {n} (inbox lists them)"},
    "day_summary_directed": {"ru": "• сообщений направленного негатива: {n}; записей без ответа на волну: "
                                   "{unanswered} (кнопка 📣 в теме кампании)",
                             "tr": "• yönlendirilmiş olumsuz mesaj: {n}; dalgaya yanıt verilmemiş gönderi: "
                                   "{unanswered} (kampanya konusundaki 📣 düğmesi)",
                             "en": "• directed-negative messages: {n}; posts with the wave unanswered: {unanswered} "
                                   "(the 📣 button in the campaign's topic)"},
    "day_summary_company": {"ru": "• вопросы компании без ответа: {n} (самый давний — с {since}): напомните им",
                            "tr": "• şirketin yanıtlamadığı sorular: {n} (en eskisi {since}): hatırlatın",
                            "en": "• questions the company has not answered: {n} (the oldest since {since}): remind "
                                  "them"},
    "day_summary_abuse": {"ru": "• оскорбления, оставленные вам: {n} (тема «🚫 Оскорбления»)",
                          "tr": "• size bırakılan hakaretler: {n} («🚫 Hakaretler» konusu)",
                          "en": "• abuse left for you: {n} (the “🚫 Abuse” topic)"},
    "day_summary_spam": {"ru": "• спам: {spam}, мошенники под видом поддержки: {impersonation} (скрыто: {hidden}, "
                               "клиентов предупредили: {customers_warned}, клиентов вернули: {customers_after_all}; "
                               "smm-responder review --spam)",
                         "tr": "• spam: {spam}, destek kılığında dolandırıcı: {impersonation} (gizlenen: {hidden}, "
                               "uyarılan müşteri: {customers_warned}, geri getirilen müşteri: {customers_after_all}; "
                               "smm-responder review --spam)",
                         "en": "• spam: {spam}, scammers posing as the support: {impersonation} (hidden: {hidden}, "
                               "customers warned: {customers_warned}, customers brought back: {customers_after_all}; "
                               "smm-responder review --spam)"},
    "day_summary_outside": {"ru": "• упоминаний вне страниц бренда: {found} (недовольных: {negative}, из них "
                                  "направленных: {directed}, разобрано: {handled}; тема «🔎 Упоминания»)",
                            "tr": "• marka sayfaları dışında bahsedilme: {found} (olumsuz: {negative}, bunlardan "
                                  "yönlendirilmiş: {directed}, ilgilenilen: {handled}; «🔎 Bahsedilmeler» konusu)",
                            "en": "• mentions outside the brand's pages: {found} (unhappy: {negative}, of them "
                                  "directed: {directed}, dealt with: {handled}; the “🔎 Mentions” topic)"},
    "gaps_digest": {"ru": "📝 О чём клиенты спрашивали за {days} дней, а в базе ответов этого нет (бот передавал "
                          "их людям):",
                    "tr": "📝 Müşterilerin son {days} günde sorduğu, yanıt tabanında olmayan konular (bot bunları "
                          "insanlara aktardı):",
                    "en": "📝 What customers asked about in the last {days} days that the argument base does not "
                          "cover (the bot handed them to people):"},
    "gaps_digest_line": {"ru": "• «{word}» — клиентов: {customers}", "tr": "• «{word}» — müşteri: {customers}",
                         "en": "• “{word}”: {customers} customers"},
    "gaps_digest_more": {"ru": "Добавьте в базу ответы на частое, и бот будет отвечать сам. Сообщения клиентов: "
                               "smm-responder review --brand {brand} --gaps --days {days}",
                         "tr": "Sık sorulanların yanıtlarını tabana ekleyin, bot kendisi yanıtlasın. Müşteri "
                               "mesajları: smm-responder review --brand {brand} --gaps --days {days}",
                         "en": "Add answers to the frequent ones to the base and the bot will answer them itself. "
                               "The customers' messages: smm-responder review --brand {brand} --gaps --days {days}"},
    "gaps_none": {"ru": "📝 За {days} дн. клиенты не спрашивали ничего, чего нет в базе (или спрашивал только один).",
                  "tr": "📝 Son {days} günde müşteriler tabanda olmayan bir şey sormadı (ya da yalnızca biri sordu).",
                  "en": "📝 In the last {days} days customers asked nothing the base lacks (or only one of them did)."},
    "gaps_drafts_caption": {"ru": "📝 Черновики этих записей базы: примеры — сообщения клиентов, ответы — ответы "
                                  "модераторов им. Проверьте, допишите недостающее и добавьте в базу "
                                  "(smm-responder kb check).",
                            "tr": "📝 Bu taban kayıtlarının taslakları: örnekler müşterilerin mesajları, yanıtlar "
                                  "moderatörlerin onlara yanıtları. Kontrol edin, eksikleri tamamlayın ve tabana "
                                  "ekleyin (smm-responder kb check).",
                            "en": "📝 These entries as drafts for the base: the customers' messages as examples, the "
                                  "moderators' replies to them as answers. Check them, write what is missing "
                                  "and add them to the base (smm-responder kb check)."},
    "inbox_abuse": {"ru": "🚫 Оскорбление {n} (бот не скрыл, hidemsg {n} скроет): {who}, {when}{link}: {text}",
                    "tr": "🚫 Hakaret {n} (bot gizlemedi, hidemsg {n} gizler): {who}, {when}{link}: {text}",
                    "en": "🚫 Abuse {n} (left up by the bot, hidemsg {n} hides it): {who}, {when}{link}: {text}"},
    "inbox_spam": {"ru": "🧲 Спам {n} (бот не скрыл, hidemsg {n} скроет): {who}, {when}{link}: {text}",
                   "tr": "🧲 Spam {n} (bot gizlemedi, hidemsg {n} gizler): {who}, {when}{link}: {text}",
                   "en": "🧲 Spam {n} (left up by the bot, hidemsg {n} hides it): {who}, {when}{link}: {text}"},
    "inbox_spam_unseen": {"ru": "🧲 Принято за спам {n} (бот скрыл или не ответил; если это клиент — customer {n}): "
                                "{who}, {when}: {text}",
                          "tr": "🧲 Spam sanıldı {n} (bot gizledi ya da yanıtlamadı; müşteriyse customer {n}): "
                                "{who}, {when}: {text}",
                          "en": "🧲 Taken for spam {n} (hidden or left unanswered; if a customer, customer {n}): "
                                "{who}, {when}: {text}"},
    "inbox_impersonation": {
        "ru": "🎭 Выдаёт себя за поддержку {n} (бот не скрыл, hidemsg {n} скроет): {who}, {when}{link}: {text}",
        "tr": "🎭 Destek ekibi gibi davranıyor {n} (bot gizlemedi, hidemsg {n} gizler): {who}, {when}{link}: {text}",
        "en": "🎭 Posing as the support {n} (left up by the bot, hidemsg {n} hides it): {who}, {when}{link}: {text}"},
    # `smm-responder report`: a brand's period for the agency's client (Markdown)
    "report_title": {"ru": "# Отчёт: {brand}, {since} — {until}", "tr": "# Rapor: {brand}, {since} — {until}",
                     "en": "# Report: {brand}, {since} to {until}"},
    "report_compared": {"ru": "Для сравнения — предыдущие {days} дн. ({since} — {until}).",
                        "tr": "Karşılaştırma için önceki {days} gün ({since} — {until}).",
                        "en": "Compared with the {days} days before ({since} to {until})."},
    "month_report": {"ru": "📊 Отчёт за {month} для клиента: проверьте и отправьте (заново: smm-responder report "
                           "--brand {brand} --month {month} --format html)",
                     "tr": "📊 Müşteri için {month} raporu: kontrol edip gönderin (yeniden: smm-responder report "
                           "--brand {brand} --month {month} --format html)",
                     "en": "📊 The client's report for {month}: check it and send it on (again: smm-responder report "
                           "--brand {brand} --month {month} --format html)"},
    "month_to_company": {"ru": "📤 Отправить компании", "tr": "📤 Şirkete gönder", "en": "📤 Send to the company"},
    "month_sent_to_company": {"ru": "📤 {who} отправил(а) отчёт за {month} компании.",
                              "tr": "📤 {who}, {month} raporunu şirkete gönderdi.",
                              "en": "📤 {who} sent the report for {month} to the company."},
    "month_report_company": {"ru": "📊 {brand}: отчёт поддержки в соцсетях за {month}. Откройте файл в браузере "
                                   "(печатается в PDF).",
                             "tr": "📊 {brand}: {month} sosyal medya destek raporu. Dosyayı tarayıcıda açın (PDF "
                                   "olarak yazdırılabilir).",
                             "en": "📊 {brand}: the social media support report for {month}. Open the file in a "
                                   "browser (it prints to PDF)."},
    "report_compared_month": {"ru": "Для сравнения — предыдущий месяц ({since} — {until}).",
                              "tr": "Karşılaştırma için önceki ay ({since} — {until}).",
                              "en": "Compared with the month before ({since} to {until})."},
    "report_main": {"ru": "Главные показатели", "tr": "Ana göstergeler", "en": "The main figures"},
    "report_col_measure": {"ru": "показатель", "tr": "gösterge", "en": "figure"},
    "report_col_period": {"ru": "за период", "tr": "bu dönem", "en": "this period"},
    "report_col_before": {"ru": "до этого", "tr": "önceki dönem", "en": "the period before"},
    "report_row_handled": {"ru": "Обработано упоминаний", "tr": "İşlenen bahsedilmeler", "en": "Mentions handled"},
    "report_handled_value": {"ru": "{handled} из {mentions}", "tr": "{mentions} içinden {handled}",
                             "en": "{handled} of {mentions}"},
    "report_row_satisfied": {"ru": "Клиенты довольны решением", "tr": "Çözümden memnun müşteriler",
                             "en": "Customers satisfied with the resolution"},
    "report_satisfied_value": {"ru": "{share} (оценок: {ratings})", "tr": "{share} ({ratings} değerlendirme)",
                               "en": "{share} ({ratings} ratings)"},
    "report_row_ratio": {"ru": "Позитив / негатив", "tr": "Olumlu / olumsuz", "en": "Positive / negative"},
    "report_row_reach": {"ru": "Охват решённых публичных случаев", "tr": "Çözülen herkese açık vakaların erişimi",
                         "en": "Reach of the public cases solved"},
    "report_reach_value": {"ru": "{reach} чел. (случаев: {cases})", "tr": "{reach} kişi ({cases} vaka)",
                           "en": "{reach} people ({cases} cases)"},
    "report_row_in_time": {"ru": "Реакция человека в срок", "tr": "Zamanında insan yanıtı",
                           "en": "People's reactions in time"},
    "report_in_time_value": {"ru": "{within} из {reactions}, медиана {median}",
                             "tr": "{reactions} içinden {within}, medyan {median}",
                             "en": "{within} of {reactions}, median {median}"},
    "report_minutes": {"ru": "{minutes} мин", "tr": "{minutes} dk", "en": "{minutes} min"},
    "report_waiting_late": {"ru": "⏰ Сейчас ждут ответа дольше обещанного: {n}.",
                            "tr": "⏰ Şu anda söz verilenden uzun süredir yanıt bekleyen: {n}.",
                            "en": "⏰ Waiting for an answer past the promised time now: {n}."},
    "report_who": {"ru": "Кто ответил", "tr": "Kim yanıtladı", "en": "Who answered"},
    "report_who_bot": {"ru": "- Бот ответил сам: {n} ({share} обработанных)",
                       "tr": "- Bot kendisi yanıtladı: {n} (işlenenlerin {share})",
                       "en": "- The bot answered itself: {n} ({share} of those handled)"},
    "report_who_people": {"ru": "- Передано людям: {n}; люди решили обращений: {resolved}",
                          "tr": "- İnsanlara aktarılan: {n}; insanların çözdüğü: {resolved}",
                          "en": "- Handed to people: {n}; threads people resolved: {resolved}"},
    "report_who_hidden": {"ru": "- Скрыто: {n} (модераторами: {moderators})",
                          "tr": "- Gizlenen: {n} (moderatörlerce: {moderators})",
                          "en": "- Hidden: {n} (by moderators: {moderators})"},
    "report_platforms": {"ru": "- Площадки: {platforms}", "tr": "- Platformlar: {platforms}",
                         "en": "- Platforms: {platforms}"},
    "report_company": {"ru": "- Вопросов модераторов компании: {asked}; компания ответила: {answered} (медиана "
                             "{median_answer_minutes}); передано клиентам: {sent}",
                       "tr": "- Moderatörlerin şirkete soruları: {asked}; şirketin yanıtladığı: {answered} (medyan "
                             "{median_answer_minutes}); müşterilere iletilen: {sent}",
                       "en": "- Moderators' questions to the company: {asked}; the company answered {answered} "
                             "(median {median_answer_minutes}); passed on to customers: {sent}"},
    "report_topics": {"ru": "О чём писали чаще всего", "tr": "En çok ne hakkında yazıldı",
                      "en": "What customers wrote about most"},
    "report_topics_head": {"ru": "| тема | сообщений | ответил бот | людям |",
                           "tr": "| konu | mesaj | bot yanıtladı | insanlara |",
                           "en": "| topic | messages | the bot answered | to people |"},
    "report_cases": {"ru": "Решённые публичные случаи", "tr": "Çözülen herkese açık vakalar",
                     "en": "Public cases solved"},
    "report_cases_intro": {"ru": "Публичные обращения, решённые людьми, с наибольшим охватом (их видели читатели):",
                           "tr": "İnsanların çözdüğü, en çok kişinin gördüğü herkese açık başvurular:",
                           "en": "Public complaints people solved, those seen by the most readers first:"},
    "report_case": {"ru": "- охват {reach}: «{text}»{link}", "tr": "- erişim {reach}: «{text}»{link}",
                    "en": "- reach {reach}: “{text}”{link}"},
    "report_advocates": {"ru": "Хорошо отзываются о бренде", "tr": "Marka hakkında olumlu yazanlar",
                         "en": "Speaking well of the brand"},
    "report_advocates_intro": {"ru": "Положительные посты о бренде вне его страниц с наибольшим охватом (их авторов "
                                     "стоит поблагодарить, а посты — показать):",
                               "tr": "Markanın sayfaları dışında en çok görülen olumlu gönderiler (yazarlarına "
                                     "teşekkür edilmeli, gönderiler paylaşılmalı):",
                               "en": "Positive posts about the brand outside its pages, the most seen first (worth "
                                     "thanking their authors and sharing them):"},
    "report_advocate": {"ru": "- {who}, просмотров {views}: «{text}»{link}",
                        "tr": "- {who}, {views} görüntülenme: «{text}»{link}",
                        "en": "- {who}, {views} views: “{text}”{link}"},
    "report_negative": {"ru": "Негатив и атаки", "tr": "Olumsuzluk ve saldırılar", "en": "Negative and attacks"},
    "report_surges": {"ru": "- Всплески недовольства (многие клиенты об одном): {n}",
                      "tr": "- Şikâyet artışları (birçok müşteri aynı konuda): {n}",
                      "en": "- Negative surges (many customers unhappy about one thing): {n}"},
    "report_directed": {"ru": "- Сообщений направленного негатива (скоординированные атаки): {n}; публичных ответов "
                              "волнам: {answered}",
                        "tr": "- Yönlendirilmiş olumsuz mesaj (koordineli saldırılar): {n}; dalgalara herkese açık "
                              "yanıt: {answered}",
                        "en": "- Directed-negative messages (coordinated attacks): {n}; answers to the waves in "
                              "public: {answered}"},
    "report_outside": {"ru": "- Упоминаний вне страниц бренда: {found} (недовольных: {negative}, из них "
                             "направленных: {directed}; разобрано: {handled}, их охват: {handled_reach})",
                       "tr": "- Marka sayfaları dışında bahsedilme: {found} (olumsuz: {negative}, bunlardan "
                             "yönlendirilmiş: {directed}; ilgilenilen: {handled}, erişimleri: {handled_reach})",
                       "en": "- Mentions outside the brand's pages: {found} (unhappy: {negative}, of them directed: "
                             "{directed}; dealt with: {handled}, their reach: {handled_reach})"},
    "report_abuse_left_up": {"ru": "- Оскорбления, оставленные модераторам: {n}",
                             "tr": "- Moderatörlere bırakılan hakaretler: {n}",
                             "en": "- Abuse left for the moderators: {n}"},
    "report_scams_reported": {
        "ru": "- Клиенты сообщили о мошенниках от имени бренда (просили коды, пароли, данные карты): {n}; при волне "
              "таких сообщений стоит предупредить всех публично",
        "tr": "- Marka adına kod, şifre veya kart bilgisi isteyen dolandırıcıları bildiren müşteri: {n}; böyle "
              "bildirimler çoğalırsa herkesi açıkça uyarmak iyi olur",
        "en": "- Customers who told of scammers in the brand's name (asking for codes, passwords, card details): {n}; "
              "if they come in a wave, warn everyone publicly"},
    "report_spam": {"ru": "- Спам: {spam}, мошенники под видом поддержки: {impersonation} (скрыто: {hidden}, "
                          "клиентов предупредили: {customers_warned}; клиентов, принятых за спам, вернули: "
                          "{customers_after_all})",
                    "tr": "- Spam: {spam}, destek kılığında dolandırıcı: {impersonation} (gizlenen: {hidden}, "
                          "uyarılan müşteri: {customers_warned}; spam sanılıp geri getirilen müşteri: "
                          "{customers_after_all})",
                    "en": "- Spam: {spam}, scammers posing as the support: {impersonation} (hidden: {hidden}, "
                          "customers warned: {customers_warned}; customers taken for spam and brought back: "
                          "{customers_after_all})"},
    "report_team": {"ru": "Команда", "tr": "Ekip", "en": "The team"},
    "report_team_head": {"ru": "| модератор | обращений | решено | в срок | с опозданием | медиана | довольны |",
                         "tr": "| moderatör | konuşma | çözülen | zamanında | geç | medyan | memnun |",
                         "en": "| moderator | threads | resolved | in time | late | median | satisfied |"},
    "report_unsatisfied": {"ru": "Почему клиенты недовольны решением", "tr": "Müşteriler çözümden neden memnun değil",
                           "en": "Why customers were not satisfied with the resolution"},
    "report_unsatisfied_intro": {
        "ru": "Что клиенты написали в ответ на вопрос об оценке (последние, обращения снова переданы сотрудникам):",
        "tr": "Müşterilerin değerlendirme sorusuna yazdıkları (en yeniler; talepler tekrar çalışanlara iletildi):",
        "en": "What customers wrote back to the rating question (the latest; their threads went back to people):"},
    "report_unsatisfied_one": {"ru": "- {day}: «{text}»", "tr": "- {day}: «{text}»", "en": "- {day}: “{text}”"},
    "report_gaps": {"ru": "Чего не хватает в базе ответов", "tr": "Yanıt tabanında eksik olanlar",
                    "en": "What the argument base lacks"},
    "report_gaps_intro": {"ru": "О чём клиенты спрашивали, а бот не нашёл ответа (стоит добавить в базу):",
                          "tr": "Müşterilerin sorduğu, botun yanıt bulamadığı konular (tabana eklenmeli):",
                          "en": "What customers asked that the bot found no answer to (worth adding to the base):"},
    "report_gap": {"ru": "- «{word}» — клиентов: {customers} (например: {example})",
                   "tr": "- «{word}» — müşteri: {customers} (örnek: {example})",
                   "en": "- “{word}”: {customers} customers (e.g. {example})"},
    # `smm-responder overview`: a brand per line, for an agency's head
    "agency_overview": {"ru": "🗂 Все бренды ({brands}) на {moment}, самые срочные первыми:",
                        "tr": "🗂 Tüm markalar ({brands}), {moment} itibarıyla, en acil olanlar önce:",
                        "en": "🗂 Every brand ({brands}) as of {moment}, the most urgent first:"},
    "overview_company": {"ru": " · ❓ вопросов компании без ответа: {n}",
                         "tr": " · ❓ şirketin yanıtlamadığı soru: {n}",
                         "en": " · ❓ questions the company has not answered: {n}"},
    "overview_line": {
        "ru": "{brand}: ⏰ срок прошёл {overdue} · ждут человека {waiting} · 📈 всплески {surges} · ⚠ направленный "
              "негатив {directed} (без ответа под записями: {unanswered}) · 🎭 мошенники {scams} (клиенты "
              "сообщили: {reported}) · 🚫 оскорбления {abuse} · 🔎 недовольные посты {outside} | сутки: упоминаний "
              "{mentions}, бот ответил {bot}, людям {people}, довольны {satisfied}, позитив/негатив {ratio}",
        "tr": "{brand}: ⏰ süresi geçen {overdue} · bir kişiyi bekleyen {waiting} · 📈 şikâyet artışı {surges} · ⚠ "
              "yönlendirilmiş olumsuz {directed} (yanıtsız gönderi: {unanswered}) · 🎭 dolandırıcı {scams} (müşteri "
              "bildirdi: {reported}) · 🚫 hakaret {abuse} · 🔎 olumsuz gönderi {outside} | 24 saat: bahsedilme "
              "{mentions}, bot yanıtladı {bot}, ekibe {people}, memnun {satisfied}, olumlu/olumsuz {ratio}",
        "en": "{brand}: ⏰ past the deadline {overdue} · waiting for a person {waiting} · 📈 surges {surges} · ⚠ "
              "directed negative {directed} (posts unanswered: {unanswered}) · 🎭 scammers {scams} (customers told: "
              "{reported}) · 🚫 abuse {abuse} · 🔎 unhappy posts {outside} | 24 hours: mentions {mentions}, answered "
              "by the bot {bot}, by people {people}, satisfied {satisfied}, positive/negative {ratio}"},
    "inbox_outside": {"ru": "🔎 Недовольный пост о бренде {n} (done {n}, когда разберётесь): {who}, {when} ({link}): "
                            "{text}",
                      "tr": "🔎 Marka hakkında olumsuz gönderi {n} (ilgilenince done {n}): {who}, {when} ({link}): "
                            "{text}",
                      "en": "🔎 Unhappy post about the brand {n} (done {n} once dealt with): {who}, {when} ({link}): "
                            "{text}"},
    "inbox_campaign": {"ru": "⚠ Кампания {n} (направленный негатив): аккаунтов {accounts}, с {since}; без ответа "
                             "публично мест: {unanswered} (statement {n} [ТЕКСТ] — ответить один раз под каждой "
                             "записью)",
                       "tr": "⚠ Kampanya {n} (yönlendirilmiş olumsuz yorum): {accounts} hesap, {since} saatinden "
                             "beri; herkese açık yanıtsız yer: {unanswered} (statement {n} [METİN] — her gönderinin "
                             "altında bir kez yanıtla)",
                       "en": "⚠ Campaign {n} (directed negative): {accounts} accounts since {since}; places not "
                             "answered in public: {unanswered} (statement {n} [TEXT] answers once under each post)"},
    "inbox_surge_notify": {"ru": " (notify {n} ТЕКСТ — сообщить решение каждому)",
                           "tr": " (notify {n} METİN — çözümü her birine bildir)",
                           "en": " (notify {n} TEXT tells each of them what was done)"},
    "inbox_surge": {"ru": "📈 Всплеск недовольства: {entry} — {customers} клиентов с {since}",
                    "tr": "📈 Şikâyet artışı: {entry}, {since} saatinden beri {customers} müşteri",
                    "en": "📈 Negative surge: {entry}, {customers} customers since {since}"},
    "topic_due_soon": {"ru": "⏳ Клиент ждёт ответа с {since}; срок ответа — {deadline}. Ответьте, пожалуйста.",
                       "tr": "⏳ Müşteri {since} saatinden beri yanıt bekliyor; yanıt süresi {deadline} saatinde "
                             "doluyor. Lütfen yanıtlayın.",
                       "en": "⏳ The customer has waited since {since}; the reply deadline is {deadline}. "
                             "Please answer."},
    "topic_overdue": {"ru": "⏰ Срок ответа прошёл ({deadline}), клиент ждёт с {since}. Клиенту отправлено извинение.",
                      "tr": "⏰ Yanıt süresi doldu ({deadline}); müşteri {since} saatinden beri bekliyor. "
                            "Müşteriye özür mesajı gönderildi.",
                      "en": "⏰ The reply deadline passed ({deadline}); the customer has waited since {since}. "
                            "They were sent an apology."},
    "topic_rating": {"ru": "Оценка клиента: {rating}", "tr": "Müşteri değerlendirmesi: {rating}",
                     "en": "Customer's rating: {rating}"},
    "topic_edited": {"ru": "Клиент изменил сообщение: {text}", "tr": "Müşteri mesajını düzenledi: {text}",
                     "en": "The customer edited a message: {text}"},
    "topic_withdrawn": {"ru": "Клиент удалил то, на что ещё никто не ответил: обращение закрыто и в сроки реакции не "
                              "входит. Восстановит сообщение — обращение откроется снова.",
                        "tr": "Müşteri henüz kimsenin yanıtlamadığı mesajını sildi: talep kapatıldı ve tepki süresine "
                              "sayılmıyor. Mesajı geri yüklerse talep yeniden açılır.",
                        "en": "The customer deleted what nobody had answered yet: the request is closed and counts "
                              "against no reaction time. If they restore the message, it opens again."},
    "topic_handed_back": {"ru": "Тишина {hours} ч, ответа никто не ждёт: тред возвращён боту.",
                          "tr": "{hours} saattir mesaj yok, yanıt bekleyen yok: konu bota geri verildi.",
                          "en": "Quiet for {hours} h, nobody waiting for an answer: the thread went back to the bot."},
    "topic_outside_reply": {"ru": "✍ {who} ответил(а) клиенту лично ({where}): {text}",
                            "tr": "✍ {who} müşteriye kendisi yanıt verdi ({where}): {text}",
                            "en": "✍ {who} answered the customer in person ({where}): {text}"},
    "outside_business": {"ru": "из бизнес-аккаунта Telegram", "tr": "Telegram işletme hesabından",
                         "en": "from the Telegram Business account"},
    "outside_group": {"ru": "публично, в обсуждении", "tr": "herkese açık, tartışmada",
                      "en": "publicly, in the discussion"},
    "outside_vk": {"ru": "в сообщениях сообщества VK", "tr": "VK topluluk mesajlarında",
                   "en": "in the VK community's messages"},
    "outside_vk_comments": {"ru": "публично, в комментариях VK", "tr": "herkese açık, VK yorumlarında",
                            "en": "publicly, in the VK comments"},
    "topic_blocked": {"ru": "Клиент недоступен (заблокировал бота), ответ не доставлен: {error}",
                      "tr": "Müşteriye ulaşılamıyor (botu engelledi), yanıt iletilemedi: {error}",
                      "en": "The customer is unreachable (blocked the bot); the reply was not delivered: {error}"},
    "topic_failed": {"ru": "Не получилось: {error}", "tr": "Yapılamadı: {error}", "en": "Could not do that: {error}"},
    "topic_wrong_state": {"ru": "Сейчас это сделать нельзя: обращение уже закрыто или возвращено боту.",
                          "tr": "Bu şu anda yapılamaz: talep zaten kapatıldı ya da bota geri verildi.",
                          "en": "That can't be done now: the thread is already closed or back with the bot."},
    "topic_not_allowed": {"ru": "Действовать могут только участники группы модераторов.",
                          "tr": "Yalnızca moderatör grubunun üyeleri işlem yapabilir.",
                          "en": "Only members of the moderators' group can act."},
    # The terminal inbox (`smm-responder inbox`); the command words themselves stay as they are.
    "inbox_intro": {"ru": "Входящие бренда {brand}", "tr": "{brand} markasının gelen kutusu",
                    "en": "Inbox of brand {brand}"},
    "inbox_help": {"ru": "команды: list | show ID | take ID (взять) | reply ID ТЕКСТ | use ID N (отправить "
                         "предложенный ответ N) | resolve ID (решено) | bot ID (вернуть боту) | note ID ТЕКСТ "
                         "(заметка) | hide ID (скрыть публичный комментарий клиента) | hidemsg N (скрыть оскорбление N "
                         "из списка) | hideall N (скрыть все оскорбления его автора) | done N (пост N о бренде "
                         "разобран) | statement N [ТЕКСТ] (ответить кампании N публично) | customer N (принятое за "
                         "спам N — клиент) | notify N ТЕКСТ (решение всплеска N — каждому клиенту) | quit",
                   "tr": "komutlar: list | show ID | take ID (üstlen) | reply ID METİN | use ID N (önerilen N. yanıtı "
                         "gönder) | resolve ID (çözüldü) | bot ID (bota geri ver) | note ID METİN (not) | hide ID "
                         "(müşterinin herkese açık yorumunu gizle) | hidemsg N (listedeki N numaralı hakareti gizle) | "
                         "hideall N (yazarının tüm hakaretlerini gizle) | done N (marka hakkındaki N numaralı "
                         "gönderiyle ilgilenildi) | statement N [METİN] (N numaralı kampanyaya herkese açık yanıt) "
                         "| customer N (spam sanılan N bir müşteri) | notify N METİN (N numaralı artışın çözümü her "
                         "müşteriye) | quit",
                   "en": "commands: list | show ID | take ID | reply ID TEXT | use ID N (send suggested answer N) | "
                         "resolve ID | bot ID | note ID TEXT | hide ID (hide the customer's public comment) | "
                         "hidemsg N (hide abuse N of the list) | hideall N (hide all its author's abuse) | done N "
                         "(post N about the brand dealt with) | statement N [TEXT] (answer campaign N in public) | "
                         "customer N (N, taken for spam, is a customer) | notify N TEXT (surge N's solution, to each "
                         "customer) | quit"},
    # Approved answers from the argument base the bot thought of for a handed-off message (handlers.suggestions).
    "inbox_suggestion": {"ru": "предложенный ответ {n} (use {id} {n})", "tr": "önerilen yanıt {n} (use {id} {n})",
                         "en": "suggested answer {n} (use {id} {n})"},
    "inbox_no_comment": {"ru": "Комментария {id} нет среди видимых: list", "tr": "{id} numaralı yorum görünenler "
                         "arasında yok: list", "en": "No comment {id} still up: list"},
    "inbox_no_spam": {"ru": "Принятого за спам {id} нет в списке (или клиент уже возвращён): list",
                      "tr": "Spam sanılan {id} listede yok (ya da müşteri zaten geri getirildi): list",
                      "en": "Nothing taken for spam numbered {id} (or the customer is back already): list"},
    "inbox_no_mention": {"ru": "Поста {id} нет среди неразобранных: list", "tr": "{id} numaralı gönderi "
                         "ilgilenilmeyenler arasında yok: list", "en": "No post {id} left to deal with: list"},
    "inbox_nothing_to_hide": {"ru": "У клиента в обращении #{id} нет публичного комментария, который ещё виден",
                              "tr": "#{id} numaralı talepte müşterinin hâlâ görünen herkese açık bir yorumu yok",
                              "en": "The customer of thread #{id} has no public comment that is still up"},
    "inbox_no_suggestion": {"ru": "У обращения #{id} нет предложенного ответа с этим номером: show {id}",
                            "tr": "#{id} numaralı talepte bu numarada önerilen yanıt yok: show {id}",
                            "en": "Thread #{id} has no suggested answer with that number: show {id}"},
    "card_suggestions": {"ru": "Ответы из базы (кнопка ✉ N отправит ответ N клиенту)",
                         "tr": "Bilgi bankasından yanıtlar (✉ N düğmesi N. yanıtı müşteriye gönderir)",
                         "en": "Answers from the base (button ✉ N sends answer N to the customer)"},
    "topic_no_suggestion": {"ru": "Такого предложенного ответа нет: номера — на карточке обращения.",
                            "tr": "Böyle bir önerilen yanıt yok: numaralar talep kartında.",
                            "en": "There is no such suggested answer: the numbers are on the thread's card."},
    "topic_suggestion_sent": {"ru": "{who} отправил(а) ответ из базы ({entry}):\n{text}",
                              "tr": "{who} bilgi bankasından yanıt gönderdi ({entry}):\n{text}",
                              "en": "{who} sent an answer from the base ({entry}):\n{text}"},
    "inbox_empty": {"ru": "Нет обращений, ждущих человека.", "tr": "İnsan bekleyen talep yok.",
                    "en": "No threads waiting for a person."},
    "inbox_done": {"ru": "Готово.", "tr": "Tamam.", "en": "Done."},
    "inbox_error": {"ru": "Ошибка: {error}", "tr": "Hata: {error}", "en": "Error: {error}"},
    "inbox_no_thread": {"ru": "У этого бренда нет обращения #{id}.", "tr": "Bu markada #{id} numaralı talep yok.",
                        "en": "This brand has no thread #{id}."},
    "inbox_wrong_state": {"ru": "С обращением #{id} сейчас так нельзя, посмотрите его состояние: show {id}",
                          "tr": "#{id} numaralı talepte bu şu anda yapılamaz, durumuna bakın: show {id}",
                          "en": "That can't be done with thread #{id} now; see its state: show {id}"},
    # A moderator's reply that reads as accusing the customer (handlers.tone) is held back.
    "inbox_accusing": {"ru": "Не отправлено: ответ звучит как обвинение клиента («{phrase}»). Переформулируйте или "
                             "отправьте как есть: reply! {id} ТЕКСТ",
                       "tr": "Gönderilmedi: yanıt müşteriyi suçluyor gibi okunuyor («{phrase}»). Yeniden yazın ya da "
                             "olduğu gibi gönderin: reply! {id} METİN",
                       "en": "Not sent: the reply reads as accusing the customer (\"{phrase}\"). Rephrase it, or send "
                             "it as it is: reply! {id} TEXT"},
    "topic_accusing": {"ru": "Не отправлено: ответ звучит как обвинение клиента («{phrase}»). Переформулируйте или "
                             "отправьте как есть: /send ТЕКСТ",
                       "tr": "Gönderilmedi: yanıt müşteriyi suçluyor gibi okunuyor («{phrase}»). Yeniden yazın ya da "
                             "olduğu gibi gönderin: /send METİN",
                       "en": "Not sent: the reply reads as accusing the customer (\"{phrase}\"). Rephrase it, or send "
                             "it as it is: /send TEXT"},
    "campaign_accusing": {
        "ru": "Не отправлено: ответ звучит как обвинение авторов («{phrase}»). Переформулируйте или отправьте как "
              "есть: /statement_send ТЕКСТ",
        "tr": "Gönderilmedi: yanıt yazanları suçluyor gibi okunuyor («{phrase}»). Yeniden yazın ya da olduğu gibi "
              "gönderin: /statement_send METİN",
        "en": "Not sent: the answer reads as accusing the authors (\"{phrase}\"). Rephrase it, or send it as it is: "
              "/statement_send TEXT"},
    "inbox_needs_text": {"ru": "Нужен текст: reply ID ТЕКСТ или note ID ТЕКСТ.",
                         "tr": "Metin gerekli: reply ID METİN veya note ID METİN.",
                         "en": "Text needed: reply ID TEXT or note ID TEXT."},
    "inbox_overdue": {"ru": "ПРОСРОЧЕНО", "tr": "SÜRESİ GEÇTİ", "en": "OVERDUE"},
    "inbox_awaiting": {"ru": "ждёт ответа", "tr": "yanıt bekliyor", "en": "awaiting a reply"},
    "inbox_note_by": {"ru": "заметка ({who})", "tr": "not ({who})", "en": "note by {who}"},
}

# Why a thread went to a person (`Decision.reason` of a handoff), as the moderators' card says it.
HANDOFF_REASONS: dict[str, dict[str, str]] = {
    "entry_needs_human": {"ru": "тема требует сотрудника", "tr": "konu bir temsilci gerektiriyor",
                          "en": "the topic needs a person"},
    "strong_negative": {"ru": "клиент очень недоволен", "tr": "müşteri çok memnuniyetsiz",
                        "en": "the customer is very unhappy"},
    "no_confident_answer": {"ru": "бот не уверен в ответе", "tr": "bot yanıttan emin değil",
                            "en": "the bot is not sure of an answer"},
    "out_of_scope": {"ru": "вопрос не по темам базы ответов", "tr": "soru yanıt tabanının konularından değil",
                     "en": "the question is about none of the argument base's topics"},
    "too_long": {"ru": "слишком длинное сообщение", "tr": "mesaj çok uzun", "en": "the message is too long"},
    "toxic_question": {"ru": "вопрос в оскорбительном комментарии", "tr": "hakaret içeren bir yorumda soru",
                       "en": "a question in an abusive public comment"},
    "toxic_private": {"ru": "оскорбления в личных сообщениях", "tr": "özel mesajda hakaret",
                      "en": "abuse in a private message"},
    "blocked_word_private": {"ru": "запрещённые слова в личных сообщениях", "tr": "özel mesajda yasaklı kelimeler",
                             "en": "blocked words in a private message"},
    "taken_for_spam": {"ru": "бот принял сообщение за спам, а модератор вернул клиента",
                       "tr": "bot mesajı spam sandı, bir moderatör müşteriyi geri getirdi",
                       "en": "the bot took the message for spam and a moderator brought the customer back"},
    "scam_reported": {"ru": "клиенту звонили или писали от имени бренда и просили коды, пароли или данные карты",
                      "tr": "müşteriyi markanın adına arayan ya da yazan biri kod, şifre veya kart bilgisi istedi",
                      "en": "someone contacted the customer in the brand's name and asked for codes, passwords or "
                            "card details"},
    "scam_shown": {"ru": "клиент показывает сообщение «поддержки», которое похоже на мошенников",
                   "tr": "müşteri, dolandırıcılara benzeyen bir «destek» mesajı gösteriyor",
                   "en": "the customer shows a message from \"the support\" that looks like a scam"},
    "directed_negative": {"ru": "часть направленной негативной кампании",
                          "tr": "yönlendirilmiş olumsuz kampanyanın parçası",
                          "en": "part of a directed negative campaign"},
    "details_given": {"ru": "клиент прислал свои данные для проверки",
                      "tr": "müşteri kontrol için bilgilerini gönderdi",
                      "en": "the customer sent their details to be checked"},
    "details_public": {"ru": "клиент оставил свои данные в открытом комментарии (его можно скрыть)",
                       "tr": "müşteri bilgilerini herkese açık bir yorumda paylaştı (yorum gizlenebilir)",
                       "en": "the customer left their details in a public comment (it can be hidden)"},
    "details_hidden": {"ru": "клиент оставил свои данные в открытом комментарии; бот его скрыл",
                       "tr": "müşteri bilgilerini herkese açık bir yorumda paylaştı; bot yorumu gizledi",
                       "en": "the customer left their details in a public comment; the bot hid it"},
    "attachment": {"ru": "вложение ({kind})", "tr": "ek ({kind})", "en": "attachment ({kind})"},
    "not_resolved": {"ru": "клиент ответил, что решение не помогло", "tr": "müşteri çözümün işe yaramadığını yazdı",
                     "en": "the customer answered that the resolution did not solve it"},
    "disliked_answer": {"ru": "клиенту не помог ответ бота (👎)", "tr": "botun yanıtı müşteriye yardımcı olmadı (👎)",
                        "en": "the bot's answer did not help the customer (👎)"},
    "answer_did_not_help": {"ru": "клиент написал, что ответ бота не помог",
                            "tr": "müşteri botun yanıtının işe yaramadığını yazdı",
                            "en": "the customer wrote that the bot's answer did not help"},
    "unanswered": {"ru": "клиент пишет, что не дождался ответа поддержки (в личке, комментарии, по телефону)",
                   "tr": "müşteri destekten yanıt alamadığını yazıyor (özel mesaj, yorum ya da telefon)",
                   "en": "the customer says support never replied to them (a private message, a comment, a call)"},
    "follow_up": {"ru": "уточняющий вопрос к ответу бота", "tr": "botun yanıtına dair ek soru",
                  "en": "a follow-up question to the bot's answer"},
    "competitor": {"ru": "клиент сравнивает нас с конкурентами", "tr": "müşteri bizi rakiplerle karşılaştırıyor",
                   "en": "the customer compares us with competitors"},
    "missed_visit": {"ru": "мастер не пришёл или заставил долго ждать",
                     "tr": "teknisyen gelmedi ya da uzun süre bekletti",
                     "en": "the technician did not come or kept the customer waiting"},
    "answer_unclear": {"ru": "клиент не понял ответ бота", "tr": "müşteri botun yanıtını anlamadı",
                       "en": "the customer did not understand the bot's answer"},
    "bitter_thanks": {"ru": "благодарность с горечью или сарказмом", "tr": "kırgın ya da alaycı bir teşekkür",
                      "en": "thanks in bitter or sarcastic words"},
    "answered_in_person": {"ru": "сотрудник ответил сам, не через бота",
                           "tr": "bir çalışan botu kullanmadan yanıt verdi", "en": "a person answered outside the bot"},
}


def handoff_reason(reason: str | None, language: str) -> str:
    """A handoff reason in the moderators' language; an unknown one as it is, none as a dash."""
    if not reason:
        return "—"
    key, _, kind = reason.partition("_") if reason.startswith("attachment_") else (reason, "", "")
    texts = HANDOFF_REASONS.get(key)
    if texts is None:
        return reason
    return (texts.get(language) or texts["en"]).format(kind=kind)


def eta_text(minutes: int, language: str) -> str:
    """A reaction time that reads right after "в течение" / "içinde" / "within"."""
    hours = minutes >= 60 and minutes % 60 == 0
    n = minutes // 60 if hours else minutes
    if language == "ru":
        # genitive after "в течение": 1 -> часа/минуты (21 -> 21 часа), else часов/минут
        if n == 1:
            return "часа" if hours else "минуты"
        one = n % 10 == 1 and n % 100 != 11
        return f"{n} {('часа' if one else 'часов') if hours else ('минуты' if one else 'минут')}"
    if language == "tr":
        return f"{n} {'saat' if hours else 'dakika'}"
    if n == 1:
        return "an hour" if hours else "a minute"
    return f"{n} {'hours' if hours else 'minutes'}"


def say(key: str, language: str, rng: random.Random, **values: str) -> str:
    """One phrasing of a system message, in the language (English when it is not served)."""
    variants = TEXTS[key].get(language) or TEXTS[key]["en"]
    return rng.choice(variants).format(**values)


def say_fresh(key: str, language: str, used: Collection[str], rng: random.Random, **values: str) -> tuple[str, str]:
    """(text, phrasing key "KEY:LANGUAGE:N") of a system message: a phrasing the customer has not had yet (by the
    keys in `used`), where one is left; `values` fill its fields ("{eta}")."""
    language = language if language in TEXTS[key] else "en"
    variants = TEXTS[key][language]
    keys = [f"{key}:{language}:{i}" for i in range(len(variants))]
    index = rng.choice([i for i, k in enumerate(keys) if k not in used] or range(len(keys)))
    return variants[index].format(**values), keys[index]


def said_last(key: str, last_reply_key: str | None) -> bool:
    """Whether the customer's last reply from the brand was a phrasing of the system message `key`."""
    return bool(last_reply_key and last_reply_key.startswith(f"{key}:"))


def percent(share: float, language: str) -> str:
    """A share as a percentage the way the language writes it: "84%", Turkish "%84"."""
    whole = round(share * 100)
    return f"%{whole}" if language == "tr" else f"{whole}%"


def label(key: str, language: str) -> str:
    return LABELS[key].get(language) or LABELS[key]["en"]


def reachability_note(reachable: bool, resent: int, language: str) -> str:
    """For moderators: the customer blocked private messages from the brand, or allowed them again (and how many
    undelivered replies went out again)."""
    if not reachable:
        return label("topic_customer_blocked", language)
    return label("topic_customer_allowed_resent" if resent else "topic_customer_allowed", language).format(
        count=str(resent))
