"""The TIMEX3 scorer (reading/timex/score.py and score_timex) on small
hand-made TimeML files whose figures are worked out by hand in each test."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from reading.timex import score, timeml

HEAD = '<?xml version="1.0" ?>\n<TimeML>\n<DOCID>{name}</DOCID>\n<DCT><TIMEX3 tid="t0" type="DATE" value="1998-02-13" temporalFunction="false" functionInDocument="CREATION_TIME">1998-02-13</TIMEX3></DCT>\n<TEXT>'
TAIL = "</TEXT>\n</TimeML>\n"


def tml(folder, name, body):
    path = folder / name
    path.write_text(HEAD.format(name=name) + body + TAIL)
    return path


def tx(tid, type_, value, words):
    return f'<TIMEX3 tid="{tid}" type="{type_}" value="{value}">{words}</TIMEX3>'


@pytest.fixture
def folders(tmp_path):
    gold, system = tmp_path / "gold", tmp_path / "sys"
    gold.mkdir()
    system.mkdir()
    # Gold: 4 timexes. System: 4, of which
    # - "Friday": exact extent, right value, right type
    # - "the third quarter" vs "third quarter": relaxed only, right value
    # - "two weeks": exact, wrong value (P14D), right type
    # - gold "now" missed; system "soon" spurious
    tml(gold, "a.tml", f"He left {tx('t1', 'DATE', '1998-02-13', 'Friday')} in "
                       f"{tx('t2', 'DATE', '1997-Q3', 'the third quarter')}.\n")
    tml(system, "a.tml", f"He left {tx('t1', 'DATE', '1998-02-13', 'Friday')} in the "
                         f"{tx('t2', 'DATE', '1997-Q3', 'third quarter')}.\n")
    tml(gold, "b.tml", f"It took {tx('t1', 'DURATION', 'P2W', 'two weeks')}, and is "
                       f"{tx('t2', 'DATE', 'PRESENT_REF', 'now')} over, soon.\n")
    tml(system, "b.tml", f"It took {tx('t1', 'DURATION', 'P14D', 'two weeks')}, and is now over, "
                         f"{tx('t2', 'DATE', 'FUTURE_REF', 'soon')}.\n")
    return gold, system


def test_figures(folders):
    tally, missing = score.score_folders(*folders)
    f = tally.figures()
    assert missing == []
    assert (f["gold"], f["system"], f["documents"]) == (4, 4, 2)
    # strict: Friday, two weeks = 2 of 4 each way
    assert f["strict"] == {"precision": 50.0, "recall": 50.0, "f1": 50.0}
    # relaxed: + the third quarter = 3 of 4
    assert f["relaxed"] == {"precision": 75.0, "recall": 75.0, "f1": 75.0}
    # value: Friday and the quarter right (2), two weeks wrong: 2 of 4, accuracy 2/3
    assert f["value"] == {"precision": 50.0, "recall": 50.0, "f1": 50.0, "accuracy": 66.67}
    # type: all 3 matches right
    assert f["type"] == {"precision": 75.0, "recall": 75.0, "f1": 75.0, "accuracy": 100.0}
    assert score.categories(tally.errors) == {"value": 1, "extent": 1, "missed": 1, "spurious": 1}


def test_precision_and_recall_differ(tmp_path):
    gold, system = tmp_path / "g", tmp_path / "s"
    gold.mkdir()
    system.mkdir()
    # Gold 1 timex; system 2: one matches. P = 1/2, R = 1/1, F1 = 2/3.
    tml(gold, "c.tml", f"On {tx('t1', 'DATE', '1998-02-12', 'Thursday')} and Friday.\n")
    tml(system, "c.tml", f"On {tx('t1', 'DATE', '1998-02-12', 'Thursday')} and "
                         f"{tx('t2', 'DATE', '1998-02-13', 'Friday')}.\n")
    f = score.score_folders(gold, system)[0].figures()
    assert f["relaxed"] == {"precision": 50.0, "recall": 100.0, "f1": 66.67}


def test_one_system_timex_matches_one_gold_timex(tmp_path):
    """Two gold timexes inside one long system span: one match, the larger overlap."""
    gold, system = tmp_path / "g", tmp_path / "s"
    gold.mkdir()
    system.mkdir()
    tml(gold, "d.tml", f"{tx('t1', 'TIME', '1998-02-13T10:35', '10:35 a.m.')} "
                       f"{tx('t2', 'DATE', '1998-02-10', 'Tuesday')}\n")
    tml(system, "d.tml", f"{tx('t1', 'TIME', '1998-02-10T10:35', '10:35 a.m. Tuesday')}\n")
    tally, _ = score.score_folders(gold, system)
    assert (tally.relaxed, tally.strict, tally.value) == (1, 0, 0)
    assert [e[0] for e in tally.errors].count("missed") == 1


def test_the_dct_is_not_scored(tmp_path):
    gold, system = tmp_path / "g", tmp_path / "s"
    gold.mkdir()
    system.mkdir()
    tml(gold, "e.tml", "Nothing dated here.\n")
    tml(system, "e.tml", "Nothing dated here.\n")
    tally, _ = score.score_folders(gold, system)
    assert (tally.gold, tally.system) == (0, 0)


def test_a_missing_system_file_scores_as_empty(folders):
    gold, system = folders
    (system / "b.tml").unlink()
    tally, missing = score.score_folders(gold, system)
    assert missing == ["b.tml"]
    assert (tally.gold, tally.system, tally.relaxed) == (4, 2, 2)


def test_command_prints_the_table_and_json(folders):
    out = StringIO()
    call_command("score_timex", *map(str, folders), stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0] == "all: 2 documents, 4 gold timexes, 4 system"
    assert lines[3].split() == ["relaxed", "75.00", "75.00", "75.00"]
    assert lines[4].split() == ["value", "50.00", "50.00", "50.00", "66.67"]
    out = StringIO()
    call_command("score_timex", *map(str, folders), "--json", stdout=out)
    assert json.loads(out.getvalue())["value"]["f1"] == 50.0


def test_command_errors_listing(folders):
    out = StringIO()
    call_command("score_timex", *map(str, folders), "--errors", stdout=out)
    assert "value | two weeks | DURATION | P2W | two weeks | DURATION | P14D" in out.getvalue()
    assert "missed | now | DATE | PRESENT_REF |  |  | " in out.getvalue()


def test_command_refuses_bad_folders(tmp_path, folders):
    with pytest.raises(CommandError, match="is not a folder"):
        call_command("score_timex", str(tmp_path / "nope"), str(folders[1]))
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(CommandError, match="no gold files"):
        call_command("score_timex", str(empty), str(folders[1]))
    (folders[0] / "bad.tml").write_text("<TimeML><TEXT>unclosed</TimeML>")
    with pytest.raises(CommandError, match="not well-formed"):
        call_command("score_timex", *map(str, folders))


def test_the_split_is_fixed_and_about_80_20():
    names = [f"doc{i}.tml" for i in range(1000)]
    held_out = [n for n in names if timeml.part_of(n) == "held-out"]
    assert 150 < len(held_out) < 250
    assert timeml.part_of("doc1.tml") == timeml.part_of("/elsewhere/doc1.tml")


def test_part_filter(folders):
    gold, system = folders
    parts = {timeml.part_of("a.tml"), timeml.part_of("b.tml")}
    dev, _ = score.score_folders(gold, system, part="dev")
    held, _ = score.score_folders(gold, system, part="held-out")
    assert dev.documents + held.documents == 2
    assert (dev.documents > 0) == ("dev" in parts)
