from handlers.addressing import addresses_a_person, without_address


def test_the_addressees_a_message_begins_with_are_set_aside() -> None:
    assert without_address("[club229123|Волна], помогите") == "помогите"
    assert without_address("[id4581203|Анна Петрова], у меня тоже не работает") == "у меня тоже не работает"
    assert without_address("@volna_bot @ivan: сколько стоит тариф?") == "сколько стоит тариф?"
    assert without_address("[public1|Volna] - 4581203") == "4581203"
    # elsewhere in the message, or all it says, the words stay as written
    assert without_address("напишите [club1|Волне] в личку") == "напишите [club1|Волне] в личку"
    assert without_address("[club229123|Волна]") == "[club229123|Волна]"
    assert without_address("пишите на support@volna.example") == "пишите на support@volna.example"
    assert without_address("") == ""


def test_a_vk_address_of_a_person_is_told_from_the_brands() -> None:
    assert addresses_a_person("[id12345|Маша], смотри какая акция")
    assert addresses_a_person(" [id777|Дима] глянь")
    assert not addresses_a_person("[club229123|Волна], помогите")
    assert not addresses_a_person("[public1|Volna] 4581203")
    assert not addresses_a_person("смотри, [id12345|Маша]")  # tagged at the end: not said to them
    # a handle typed: a person's ("@Маша смотри" under a post heard the goodbye), unless a bot's or the brand's
    assert addresses_a_person("@Маша смотри") and addresses_a_person("@oleg_k вот, ты спрашивал", "volna")
    assert not addresses_a_person("@volna_bot сколько стоит?") and not addresses_a_person("@VolnaBot помогите")
    assert not addresses_a_person("@volna когда почините?", "volna")
