"""The auto-arrange layout, with and without wrapping a long chain into rows."""

from conftest import EXAMPLES
from studio.graph.layout import COLUMN, layered_layout
from studio.layers import load_graph


def test_one_row_runs_left_to_right():
    graph = load_graph(EXAMPLES / "residual_cnn.neurona")
    spots = layered_layout(graph)
    for e in graph.edges:
        assert spots[e.src][0] < spots[e.dst][0]


def test_a_wrapped_layout_reads_like_text():
    graph = load_graph(EXAMPLES / "residual_cnn.neurona")
    spots = layered_layout(graph, per_row=4)
    assert max(x for x, _ in spots.values()) <= 3 * COLUMN
    for e in graph.edges:  # left to right within a row, or down to a later row
        (xs, ys), (xd, yd) = spots[e.src], spots[e.dst]
        assert xs < xd or yd > ys, (e.src, e.dst)
    assert len(set(spots.values())) == len(spots)  # no two nodes on one spot


def test_wrapped_rows_are_even_and_a_short_chain_stays_one_row():
    graph = load_graph(EXAMPLES / "digits_cnn.neurona")  # 14 layers in a chain
    rows: dict[float, int] = {}
    for _, y in layered_layout(graph, per_row=4).values():
        rows[y] = rows.get(y, 0) + 1
    assert sorted(rows.values(), reverse=True) == [4, 4, 4, 2]
    xor = load_graph(EXAMPLES / "xor.neurona")
    assert len({y for _, y in layered_layout(xor, per_row=5).values()}) == 1
