"""Did-you-mean: the fast search gives exactly difflib's suggestions, and stays fast."""
from __future__ import annotations

import difflib
import random
import time

from hypothesis import given, settings
from hypothesis import strategies as st

from timeline.names import PREFILTER_FROM, closest

words = st.text(alphabet="abcdeilmnorst-", min_size=1, max_size=14)


@settings(max_examples=150, deadline=None)
@given(words, st.lists(words, min_size=PREFILTER_FROM, max_size=200, unique=True), st.integers(1, 3))
def test_the_same_suggestions_as_difflib(word, candidates, n):
    assert closest(word, candidates, n) == difflib.get_close_matches(word, candidates, n, 0.6)


def test_hundreds_of_misspellings_against_thousands_of_ids_take_well_under_a_second():
    rng = random.Random(3)
    parts = ["turkish", "syrian", "forces", "clash", "saraqeb", "idlib", "convoy", "capture", "russian", "strike"]
    ids = sorted({"2020-02-" + "-".join(rng.choice(parts) for _ in range(5)) for _ in range(3000)})
    misspelt = [i[:-1] + "x" for i in rng.sample(ids, 300)]
    start = time.perf_counter()
    found = [closest(word, ids, 1) for word in misspelt]
    assert time.perf_counter() - start < 5  # difflib alone: about 40 s here
    assert all(found)
