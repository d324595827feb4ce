"""The reader on real news: every text of the TempEval-3 training data
(../shared/data/tempeval3-train, TimeBank and AQUAINT) is read with its own
document date and the tagger, without an error, into drafts whose Whens are
windows the record accepts. docs/reading.md gives how many it proposes."""

import time
from datetime import datetime

from django.conf import settings

from reading.articles import EVENT, EXPECTATION, MILESTONE, read
from reading.articles.actors import ActorIndex
from reading.articles.times import find_times
from reading.timex import timeml
from timeline.demo import ACTORS
from timeline.models import Actor

DATA = settings.BASE_DIR.parent / "shared" / "data" / "tempeval3-train"


def test_every_training_text_is_read():
    index = ActorIndex([Actor(pk=n, **spec) for n, spec in enumerate(ACTORS, start=1)])
    paths = timeml.files(DATA / "TimeBank") + timeml.files(DATA / "AQUAINT")
    assert len(paths) > 200
    kinds = {EVENT: 0, MILESTONE: 0, EXPECTATION: 0}
    started = time.process_time()
    for path in paths:
        doc = timeml.read(path)
        published = doc.dct.date() if isinstance(doc.dct, datetime) else doc.dct
        for draft in read(doc.text, published=published, actors=index, times=find_times(doc.text, published=published)):
            kinds[draft.kind] += 1
            assert draft.title and len(draft.title) <= 201
            assert draft.quote in doc.text
            if draft.kind == EVENT:
                assert draft.when.is_dated  # an event is never proposed undated
    print(f"{len(paths)} texts: {sum(kinds.values())} drafts {kinds}, "
          f"{time.process_time() - started:.1f} s CPU with the tagger")
    assert all(kinds.values()), kinds
