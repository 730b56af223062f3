"""The directly drawn legend (analysis/figure/legend_artist.py) puts every key and label where
matplotlib's own Legend with render.py's former settings put them, and the layout check sees it."""

from __future__ import annotations

import pytest

LABELS = ["Pre-infusion", "Day after (d1)", "Other draws", "IVIG 1 g/kg", "Below/above limit",
          "Single cycle", "Median of cycles"]


def _both(ncol, labels, fontsize=7.0, dpi=300):
    """(matplotlib Legend's text extents and key extents, DirectLegend's), drawn on one figure each."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    from analysis.figure.legend_artist import DirectLegend, line_key, marker_key, patch_key

    def handles():
        out = []
        for i, _ in enumerate(labels):
            if i % 3 == 0:
                out.append(("marker", {"marker": "os^D"[i % 4], "markersize": 4 + i % 2,
                                    "markerfacecolor": "red", "markeredgecolor": "black"}))
            elif i % 3 == 1:
                out.append(("line", {"color": "blue", "linestyle": "--", "linewidth": 1.2}))
            else:
                out.append(("patch", {"facecolor": "#ddeeff", "edgecolor": "#336699", "linewidth": 0.5}))
        return out

    ref = Figure(figsize=(4, 3), dpi=dpi)
    mpl = []
    for kind, props in handles():
        mpl.append(Patch(**props) if kind == "patch" else Line2D([], [], **({"linestyle": "none"} | props)))
    legend = ref.legend(mpl, labels, loc="upper left", bbox_to_anchor=(0.13, 0.77),
                        bbox_transform=ref.transFigure, ncol=ncol, frameon=False, fontsize=fontsize,
                        borderaxespad=0.0, borderpad=0.0, handlelength=1.6, handletextpad=0.5,
                        labelspacing=0.45, columnspacing=1.2)
    FigureCanvasAgg(ref).draw()
    r1 = ref.canvas.get_renderer()
    want = ([t.get_window_extent(r1).extents for t in legend.texts],
            [h.get_window_extent(r1).extents for h in legend.legend_handles],
            legend.get_window_extent(r1).extents)

    fig = Figure(figsize=(4, 3), dpi=dpi)
    make = {"marker": marker_key, "line": line_key, "patch": patch_key}
    keys = [make[kind](fontsize, **props) for kind, props in handles()]
    direct = DirectLegend(fig, keys, labels, (0.13, 0.77), ncol, fontsize)
    fig.add_artist(direct)
    FigureCanvasAgg(fig).draw()
    r2 = fig.canvas.get_renderer()
    got = ([t.get_window_extent(r2).extents for t in direct.texts],
           [k.get_window_extent(r2).extents for k in keys],
           direct.get_window_extent(r2).extents)
    return want, got


@pytest.mark.parametrize("ncol,n", [(1, 5), (2, 5), (3, 7), (2, 2), (4, 3)])
def test_keys_and_labels_sit_where_matplotlib_legend_put_them(ncol, n):
    import numpy as np

    (texts, keys, box), (texts2, keys2, box2) = _both(ncol, LABELS[:n])
    assert np.allclose(texts, texts2, atol=1e-6)
    # A marker key: matplotlib's is a three-point line marked in the middle (its extent spans
    # the key box), this one the single point: the same marker at the same centre.
    centre = lambda e: ((e[0] + e[2]) / 2, (e[1] + e[3]) / 2)  # noqa: E731
    assert np.allclose([centre(e) for e in keys], [centre(e) for e in keys2], atol=1e-6)
    assert np.allclose([e for i, e in enumerate(keys) if i % 3], [e for i, e in enumerate(keys2) if i % 3],
                       atol=1e-6)
    assert np.allclose(box, box2, atol=1e-6)


def test_a_label_with_two_lines_or_a_deep_descent_is_placed_the_same():
    import numpy as np

    labels = ["Ag", "µ (×10³)", "two\nlines", "[x]", "ÅÉ"]
    (texts, _, box), (texts2, _, box2) = _both(2, labels, fontsize=9, dpi=100)
    assert np.allclose(texts, texts2, atol=1e-6) and np.allclose(box, box2, atol=1e-6)


def test_the_layout_check_sees_the_direct_legend(case):
    # The check reads fig.nadir_legend: a legend moved onto panel A is reported.
    import dataclasses

    from analysis.figure import FigureSettings, build_figure, layout_problems

    spec = build_figure(case, FigureSettings(width_mm=180, height_mm=120))
    assert "the legend covers a plot" not in layout_problems(spec)
    a = spec.panels[0].box
    moved = dataclasses.replace(spec, legend=dataclasses.replace(spec.legend, x=a.x + 5, y=a.y + 5))
    assert "the legend covers a plot" in layout_problems(moved)
