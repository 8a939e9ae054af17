"""The shortcuts in atlante.base.formato give exactly what the slow general path gives."""

import random

import phonenumbers

from atlante.base.formato import tel_href


def _tel_phonenumbers(testo: str) -> str:
    try:
        numero = phonenumbers.parse(testo, "IT")
        return "tel:" + phonenumbers.format_number(numero, phonenumbers.PhoneNumberFormat.E164)
    except phonenumbers.NumberParseException:
        return "tel:" + "".join(ch for ch in testo if ch.isdigit() or ch == "+")


def test_tel_href_shortcut_matches_phonenumbers():
    caso = random.Random(18)
    numeri = ["0373 218820", "0373218820", "02 1234", "348 1234567", "3481234567", "0 373 21", "06 12345678901"]
    for _ in range(20000):
        prima = caso.choice(["0", "3"]) + caso.choice("0123456789")
        cifre = prima + "".join(caso.choice("0123456789") for _ in range(caso.randint(2, 12)))
        spazi = "".join(c + (" " if caso.random() < 0.2 else "") for c in cifre)
        numeri += [cifre, spazi, " " + spazi + " "]
    numeri += ["+39 0373 218820", "800 123456", "0039 0373 218820", "0373/218820", "0373-218820", "abc"]
    for n in numeri:
        assert tel_href(n) == _tel_phonenumbers(n), n


def test_phone_validity_shortcut_matches_phonenumbers():
    """telefono_valido decides as phonenumbers does: Italian numbers of every kind and length,
    Vatican ones (06 698...), numbers with spaces, and numbers the shortcut leaves to phonenumbers."""
    from atlante.base.formato import numero_telefono, telefono_valido

    caso = random.Random(18)
    prefissi = ["0373", "02", "06", "06698", "0669", "0831", "0878", "030", "0", "3", "33", "34", "31", "38", "39"]
    prefissi += ["43", "55", "80", "84", "89", "178", "199", "1"]
    numeri = ["0373 218820", "348 1234567", "+39 0373 218820", "0039 0373 218820", "0373/218820", "abc", ""]
    for _ in range(20000):
        cifre = caso.choice(prefissi) + "".join(caso.choice("0123456789") for _ in range(caso.randint(1, 11)))
        numeri += [cifre, "".join(c + (" " if caso.random() < 0.2 else "") for c in cifre)]
    validi = 0
    for n in numeri:
        atteso = numero_telefono(n) is not None
        assert telefono_valido(n) == atteso, n
        validi += atteso
    assert 0.2 * len(numeri) < validi < 0.8 * len(numeri)  # both answers were exercised
