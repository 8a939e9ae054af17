"""The benchmark's arithmetic (the timings themselves are the command's, never a test's)."""

from pathlib import Path

from atlante.strumenti.bench import Corsa, Dimensione, crescita, obiettivi


def _dimensione(n: int, atlante: list[float], nudo: list[float]) -> Dimensione:
    def corse(cpu):
        return [Corsa(wall=x * 0.9, cpu=x, memoria_mb=100) for x in cpu]

    return Dimensione(n, Path("."), Path("."), Path("."), 0.0, corse(atlante), corse([0] * len(atlante)), corse(nudo))


def test_growth_is_the_median_of_pairs_from_the_same_repetition():
    # the machine slowed down in the second repetition: each pair sees it, the medians do not
    piccola = _dimensione(5000, [10, 14, 12], [11, 15, 12])
    grande = _dimensione(10000, [20, 30, 23], [22, 29, 25])
    assert crescita(piccola, grande) == {"atlante": 2.0, "nudo": 2.0}  # 20/10, 30/14, 23/12 -> 2.0
    assert round(23 / 12, 2) == 1.92  # the ratio of the medians would have said 1.92
    riga = {
        "schede": 10000,
        "rapporto_cpu": 1.0,
        "rapporto_build": 1.0,
        "indicizzazione_s": 1.0,
        "indicizzazione_cpu_s": 1.0,
        "rapporto_cpu_con_indice": 1.5,
        "rapporto_con_indice": 1.5,
        "memoria_mb": 300,
        "quota_ricerca_material": 0.3,
        "crescita_cpu": crescita(piccola, grande),
        "crescita_tempo_reale": crescita(piccola, grande, "wall"),
    }
    linee = obiettivi([{**riga, "schede": 5000}, riga])
    assert any(x.startswith("crescita 10.000/5.000") and "CPU 2,00" in x and ": OK" in x for x in linee), linee
