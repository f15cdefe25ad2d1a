"""Every threshold the Överlapp slider offers, derived from one overlap at the lowest
(what the app computes once per document), equals find_overlap at that threshold."""

from __future__ import annotations

import pytest

from goalload.overlap import MIN_THRESHOLD, at_threshold, find_overlap
from goalload.overlap_views import threshold_options
from goalload.read import read_path
from tests.conftest import FLAT_EXAMPLE, LEVELS_EXAMPLE, SAMPLE


@pytest.mark.parametrize("path", [FLAT_EXAMPLE, LEVELS_EXAMPLE, SAMPLE], ids=lambda p: p.stem)
def test_every_slider_threshold_derived_from_the_lowest_equals_computing_it(path):
    doc = read_path(path)
    lowest = find_overlap(doc, MIN_THRESHOLD)
    assert min(threshold_options()) == MIN_THRESHOLD
    seen = set()
    for threshold in threshold_options():
        want, got = find_overlap(doc, threshold), at_threshold(lowest, doc, threshold)
        assert got.threshold == threshold
        assert got.pairs.equals(want.pairs), threshold
        assert got.clusters.equals(want.clusters), threshold
        assert got.shared_indicators.equals(want.shared_indicators)
        seen.add(got.pairs.height)
    if path == SAMPLE:  # its pairs score all over: the thresholds tell them apart
        assert len(seen) > 2
