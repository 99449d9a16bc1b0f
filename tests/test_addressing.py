from handlers.addressing import without_address


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
