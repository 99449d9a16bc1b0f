from handlers.impatience import asks_when_answered


def test_asking_when_a_person_answers_is_told_from_a_new_question_in_every_language() -> None:
    asks = ["Когда ответите?", "сколько ещё ждать??", "ну что там с моим вопросом", "АУ", "вы где вообще",
            "почему игнорите", "ne zaman dönüş yapacaksınız?", "hâlâ bekliyorum", "kimse yok mu?",
            "Any updates?", "still waiting for an answer", "how long do I have to wait", "???", "...", "ап", "Up!",
            "bump", "hello??", "Merhaba?", "Здравствуйте??"]
    others = ["а сколько стоит переезд?", "договор 4581203", "роутер мигает красным", "ne kadar ödemem gerek?",
              "how much is the 500 Mbit plan?", "", "спасибо", "привет",
              "Здравствуйте, сколько стоит Оптимум?", "how do I set up the router", "speed up",
              "ответьте пожалуйста почему у меня списали деньги дважды за один месяц и не вернули до сих пор"]
    assert [text for text in asks if not asks_when_answered(text)] == []
    assert [text for text in others if asks_when_answered(text)] == []
