"""Label placement: the array form of the segment test agrees with the one-segment form."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.figure.placement import _segment_hits, _segments_hit

coord = st.floats(-5, 15, allow_nan=False, width=32) | st.integers(0, 10).map(float)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(coord, coord, coord, coord), min_size=1, max_size=30), coord, coord,
       st.floats(0, 8, width=32), st.floats(0, 8, width=32))
def test_array_segment_test_matches_the_scalar_one(segments, x0, y0, w, h):
    r = (x0, y0, x0 + w, y0 + h)
    xa, ya, xb, yb = (np.array(v, dtype=float) for v in zip(*segments, strict=True))
    expected = [_segment_hits(*s, r) for s in zip(xa, ya, xb, yb, strict=True)]
    assert _segments_hit(xa, ya, xb, yb, r).tolist() == expected
