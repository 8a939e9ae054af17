"""The benchmark's arithmetic (the timings themselves are the command's, never a test's)."""

from pathlib import Path

from atlante.strumenti.bench import Corsa, Dimensione, crescita, obiettivi


def _dimensione(n: int, atlante: list[float], nudo: list[float]) -> Dimensione:
    def corse(cpu):
        return [Corsa(wall=x * 0.9, cpu=x, memoria_mb=100) for x in cpu]

    cartella = Path(".")
    return Dimensione(
        n, cartella, cartella, cartella, cartella, 0.0, corse(atlante), corse([0] * len(atlante)), corse(nudo)
    )


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


def test_builds_report_their_own_peak_memory_not_the_benchmarks(tmp_path):
    """Linux starts a process with the peak memory of the one that starts it: a build started by a
    benchmark holding 400 MB would report 400 MB. The benchmark starts builds from a small process
    made at its beginning (Lanciatore)."""
    import os
    import sys

    from atlante.strumenti.bench import Lanciatore, _bare_material, _mkdocs_build

    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": os.pathsep.join(sys.path)}
    cfg = _bare_material(tmp_path / "nudo", 1)
    with Lanciatore() as lanciatore:
        zavorra = bytearray(400 << 20)
        zavorra[:: 1 << 12] = b"x" * len(zavorra[:: 1 << 12])  # touched: resident
        diretta = _mkdocs_build(cfg, tmp_path / "a", env)
        lanciata = lanciatore.build(cfg, tmp_path / "b", env)
    assert diretta.memoria_mb > 400  # the effect is real here...
    assert lanciata.memoria_mb < 250  # ...and the benchmark's builds do not carry it
    assert (tmp_path / "b" / "index.html").is_file() and lanciata.cpu > 0


def test_search_plugin_share_is_the_median_of_pairs():
    """What Material's search plugin costs: each bare build with it against the one without it built
    right after (a single run without it gave -9% once, against the median of three with it)."""
    from atlante.strumenti.bench import quota_ricerca

    d = _dimensione(1000, [1, 1, 1], [10, 14, 12])
    d.nudo_senza_ricerca = [Corsa(0, x, 0) for x in (8, 11, 9)]
    assert quota_ricerca(d) == 0.21  # 1 - 8/10, 1 - 11/14, 1 - 9/12 -> 0.2, 0.21, 0.25
