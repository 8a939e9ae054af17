"""OSM opening_hours in Italian words."""

from atlante.base.orari import orari_in_italiano, orari_schema_org, regola_in_italiano


def test_common_shapes_in_italian():
    assert orari_in_italiano("Mo-Fr 09:00-12:30; Sa 09:00-12:00") == [
        "Da lunedì a venerdì: 9:00-12:30",
        "Sabato: 9:00-12:00",
    ]
    assert regola_in_italiano("Tu,Th 14:00-18:00") == "Martedì e giovedì: 14:00-18:00"
    assert regola_in_italiano("Mo-We,Fr 08:30-12:00,14:00-17:30") == (
        "Da lunedì a mercoledì e venerdì: 8:30-12:00 e 14:00-17:30"
    )
    assert regola_in_italiano("Su off") == "Domenica: chiuso"
    assert regola_in_italiano("PH closed") == "Festivi: chiuso"
    assert regola_in_italiano("24/7") == "Sempre aperto"
    assert regola_in_italiano("10:00-18:00") == "Tutti i giorni: 10:00-18:00"


def test_unknown_rule_is_shown_as_written():
    assert regola_in_italiano("Jan-Mar Mo 10:00-12:00") == "Jan-Mar Mo 10:00-12:00"
    assert orari_in_italiano(None) == []


def test_schema_org_keeps_one_string_per_rule():
    assert orari_schema_org("Mo-Fr 09:00-12:30; Sa 09:00-12:00") == ["Mo-Fr 09:00-12:30", "Sa 09:00-12:00"]
