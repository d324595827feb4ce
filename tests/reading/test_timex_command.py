"""tag_timex IN_DIR OUT_DIR: the round trip through TimeML files. The output
keeps the input byte for byte outside <TEXT>, keeps the text and its other
elements inside it, and carries our TIMEX3 instead of the gold ones."""

import xml.etree.ElementTree as ET
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from reading.timex import timeml
from tests.conftest import service_unavailable

TEMPEVAL = settings.BASE_DIR.parent / "shared" / "data" / "tempeval3-train"
DOC = """<?xml version="1.0" ?>
<TimeML xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<DOCID>test1</DOCID>
<DCT><TIMEX3 tid="t0" type="DATE" value="1998-02-13" temporalFunction="false" functionInDocument="CREATION_TIME">1998-02-13</TIMEX3></DCT>
<TITLE>A test &amp; more</TITLE>
<TEXT>
The board <EVENT eid="e1" class="OCCURRENCE">met</EVENT> <TIMEX3 tid="t1" type="DATE" value="1998-02-13">Friday</TIMEX3> &amp; will meet again next week.
Less than <TIMEX3 tid="t2" type="DURATION" value="P10Y">a decade <SIGNAL sid="s1">after</SIGNAL></TIMEX3> the war, profits &lt;rose&gt; in <EVENT eid="e2" class="STATE">the third quarter</EVENT>.
He left two days <SIGNAL sid="s2">ago</SIGNAL>.
</TEXT>
<TLINK lid="l1" relType="BEFORE" eventInstanceID="ei1" relatedToTime="t1"/>
</TimeML>
"""


@pytest.fixture
def folders(tmp_path):
    source, target = tmp_path / "in", tmp_path / "out"
    (source / "sub").mkdir(parents=True)
    (source / "doc.tml").write_text(DOC)
    (source / "sub" / "doc2.TE3input").write_text(DOC.replace("test1", "test2"))
    (source / "notes.txt").write_text("not TimeML")
    return source, target


def run(source, target):
    out = StringIO()
    call_command("tag_timex", str(source), str(target), stdout=out)
    return out.getvalue()


def test_round_trip(folders):
    source, target = folders
    assert run(source, target).startswith("tagged 2 files")
    assert sorted(p.relative_to(target).as_posix() for p in target.rglob("*") if p.is_file()) == [
        "doc.tml", "sub/doc2.TE3input"]
    before, after = timeml.read(source / "doc.tml"), timeml.read(target / "doc.tml")
    assert after.text == before.text
    assert after.dct_value == "1998-02-13"
    assert [(t.text, t.type, t.value) for t in after.timexes] == [
        ("Friday", "DATE", "1998-02-13"), ("next week", "DATE", "1998-W08"), ("Less than a decade", "DURATION", "P10Y"),
        ("the third quarter", "DATE", "1997-Q3"), ("two days ago", "DATE", "1998-02-11")]
    written = (target / "doc.tml").read_text()
    # Outside <TEXT> nothing changed; inside, the other elements are kept.
    assert written[: written.index("<TEXT>")] == DOC[: DOC.index("<TEXT>")]
    assert written[written.index("</TEXT>"):] == DOC[DOC.index("</TEXT>"):]
    root = ET.fromstring(written)
    assert [e.get("eid") for e in root.iter("EVENT")] == ["e1", "e2"]
    assert [s.get("sid") for s in root.iter("SIGNAL")] == ["s1", "s2"]
    # Our timex sits inside the EVENT that spans the same words, and holds
    # the SIGNAL that ends where it ends.
    assert '<EVENT eid="e2" class="STATE"><TIMEX3 tid="t4" type="DATE" value="1997-Q3">the third quarter</TIMEX3></EVENT>' in written
    assert '<TIMEX3 tid="t5" type="DATE" value="1998-02-11">two days <SIGNAL sid="s2">ago</SIGNAL></TIMEX3>' in written
    assert '<TIMEX3 tid="t3" type="DURATION" value="P10Y" mod="LESS_THAN">Less than a decade</TIMEX3>' in written
    assert [t.get("tid") for t in root.find("TEXT").iter("TIMEX3")] == ["t1", "t2", "t3", "t4", "t5"]


def test_running_twice_writes_the_same_files(folders):
    source, target = folders
    run(source, target)
    first = (target / "doc.tml").read_text()
    run(source, target)
    assert (target / "doc.tml").read_text() == first


def test_errors(folders, tmp_path):
    source, target = folders
    with pytest.raises(CommandError, match="must differ"):
        call_command("tag_timex", str(source), str(source))
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(CommandError, match="no .tml or .TE3input"):
        call_command("tag_timex", str(empty), str(target))
    with pytest.raises(CommandError, match="is not a folder"):
        call_command("tag_timex", str(tmp_path / "missing"), str(target))
    (source / "bad.tml").write_text("<TimeML><TEXT>no DCT</TEXT></TimeML>")
    err = StringIO()
    with pytest.raises(CommandError, match="1 file"):
        call_command("tag_timex", str(source), str(target), stderr=err, stdout=StringIO())
    assert "bad.tml: no <DCT>" in err.getvalue()
    assert (target / "doc.tml").exists()  # the good files were still written


def test_every_training_file_round_trips(tmp_path):
    """On the whole training corpus, the written files are well-formed and
    hold exactly the text the gold files hold."""
    if not TEMPEVAL.is_dir():
        service_unavailable(f"needs the TempEval-3 training data at {TEMPEVAL} (../shared beside the project)")
    target = tmp_path / "out"
    run(TEMPEVAL, target)
    paths = timeml.files(TEMPEVAL)
    assert len(paths) == 256
    for path in paths:
        written = timeml.read(target / path.relative_to(TEMPEVAL))
        assert written.text == timeml.read(path).text, path.name
