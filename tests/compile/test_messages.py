"""Validation speaks to a learner: each problem names the node, what is wrong, and the fix.
Shapes follow torch: what torch accepts is valid; what is probably a mistake is a warning."""

import pytest

from studio.compile import analyze
from studio.graph import Edge, Graph, Node
from studio.layers import graph_from_data


def chain(input_shape, *layers, dtype="float32"):
    """Input → layers … → Output. Each layer is (type, params) or a type name; ids l1, l2 …"""
    nodes = [{"id": "x", "type": "Input", "params": {"shape": list(input_shape), "dtype": dtype}}]
    for i, layer in enumerate(layers, start=1):
        type_, params = (layer, {}) if isinstance(layer, str) else layer
        nodes.append({"id": f"l{i}", "type": type_, "params": params})
    nodes.append({"id": "y", "type": "Output"})
    edges = [{"from": a["id"], "to": b["id"]} for a, b in zip(nodes, nodes[1:])]
    return graph_from_data({"format": "neurona-graph", "version": 1, "name": "t", "nodes": nodes, "edges": edges})


def only_error(analysis, node_id):
    errors = [p for p in analysis.errors if p.node_id == node_id]
    assert len(errors) == 1, [str(p) for p in analysis.problems]
    return errors[0]


def test_conv2d_on_a_flat_vector_names_the_reshape():
    a = analyze(chain([64], ("Conv2d", {"out_channels": 8})))
    p = only_error(a, "l1")
    assert p.message == "Conv2d expects channels × height × width but receives a flat vector of 64"
    assert p.fix == "add a Reshape to 1×8×8 before it"
    assert "y" not in {q.node_id for q in a.errors}  # no cascade of errors downstream


def test_the_suggested_reshape_makes_it_valid():
    a = analyze(chain([64], ("Reshape", {"shape": [1, 8, 8]}), ("Conv2d", {"out_channels": 8, "padding": 1})))
    assert a.ok
    assert a.nodes["l2"].outputs["out"].shape == (8, 8, 8)
    assert a.nodes["l2"].arithmetic == ("H: (8 − 3 + 2·1)/1 + 1 = 8", "W: (8 − 3 + 2·1)/1 + 1 = 8")


def test_strided_arithmetic_shows_the_floor():
    a = analyze(chain([1, 10, 10], ("Conv2d", {"out_channels": 4, "stride": 2})))
    assert a.nodes["l1"].outputs["out"].shape == (4, 4, 4)
    assert a.nodes["l1"].arithmetic[0] == "H: ⌊(10 − 3 + 2·0)/2⌋ + 1 = 4"


def test_linear_straight_after_a_convolution_is_a_warning_not_an_error():
    a = analyze(chain([1, 8, 8], ("Conv2d", {"out_channels": 4}), ("Linear", {"out_features": 10})))
    assert a.ok
    assert a.nodes["l2"].outputs["out"].shape == (4, 6, 10)  # torch: Linear acts on the last dim
    [w] = a.warnings
    assert w.node_id == "l2" and w.severity == "warning"
    assert w.fix == "add a Flatten before it to use all 144 values"


def test_linear_on_a_sequence_is_fine():
    a = analyze(chain([5, 12], ("Linear", {"out_features": 3})))
    assert a.ok and not a.warnings
    assert a.nodes["l1"].outputs["out"].shape == (5, 3)


def test_kernel_larger_than_the_image():
    a = analyze(chain([1, 4, 4], ("Conv2d", {"out_channels": 2, "kernel_size": 5})))
    p = only_error(a, "l1")
    assert "does not fit" in p.message and "kernel_size" in p.fix


def test_pooling_too_far_names_the_fix():
    a = analyze(chain([1, 2, 2], ("MaxPool2d", {"kernel_size": 2}), ("MaxPool2d", {"kernel_size": 2})))
    p = only_error(a, "l2")
    assert "1×1" in p.message and "pooling" in p.fix


def test_token_ids_into_linear_suggest_an_embedding():
    p = only_error(analyze(chain([10], ("Linear", {"out_features": 4}), dtype="int64")), "l1")
    assert "integer token ids" in p.message and "Embedding" in p.fix


def test_embedding_on_real_numbers():
    p = only_error(analyze(chain([10], ("Embedding", {"num_embeddings": 5, "embedding_dim": 3}))), "l1")
    assert p.message.startswith("Embedding needs integer token ids") and "int64" in p.fix


def test_lstm_on_a_flat_vector_suggests_time_steps():
    p = only_error(analyze(chain([20], ("LSTM", {"hidden_size": 8}))), "l1")
    assert p.message == "LSTM expects time steps × features but receives a flat vector of 20"
    assert p.fix.startswith("add a Reshape to 20×1")


def test_attention_heads_must_divide_features():
    p = only_error(analyze(chain([6, 10], ("MultiheadAttention", {"num_heads": 4}))), "l1")
    assert "not a multiple of 4" in p.message and "[1, 2, 5, 10]" in p.fix


def test_softmax_over_the_batch_is_refused():
    p = only_error(analyze(chain([10], ("Softmax", {"dim": 0}))), "l1")
    assert "batch" in p.message


def test_dropout_between_single_layer_rnn_warns():
    a = analyze(chain([5, 3], ("GRU", {"hidden_size": 4, "dropout": 0.2})))
    assert a.ok and [w.node_id for w in a.warnings] == ["l1"]


def test_bad_parameter_values_name_the_parameter_and_default():
    g = chain([4], ("Linear", {"out_features": 16}))
    g.nodes["l1"].params["out_features"] = 0  # as an inspector edit could
    p = only_error(analyze(g), "l1")
    assert p.param == "out_features" and p.message == "out_features must be at least 1" and "16" in p.fix


def test_unknown_types_suggest_the_torch_name():
    g = chain([4], "Identity")
    g.nodes["l1"].type = "Dense"
    p = only_error(analyze(g), "l1")
    assert p.message == "unknown layer type 'Dense'" and p.fix == "did you mean 'Linear'?"


def test_missing_input_and_extra_wires():
    g = chain([4], ("Linear", {"out_features": 2}))
    g.add_node(Node("l2", "ReLU"))
    g.add_edge(Edge("x", "y"))  # a second wire into the Output
    a = analyze(g)
    assert "nothing wired into its input" in only_error(a, "l2").message
    extra = only_error(a, "y")
    assert "2 wires into its input" in extra.message and "Add or Concat" in extra.fix


def test_cycles_are_errors_on_the_nodes_in_the_cycle():
    g = chain([4], ("Linear", {"out_features": 4}), ("Add", {}), ("ReLU", {}))
    g.edges = [e for e in g.edges if e.dst != "l2"]
    g.add_edge(Edge("l1", "l2", dst_port="0"))
    g.add_edge(Edge("l3", "l2", dst_port="1"))  # l2 → l3 → l2
    a = analyze(g)
    cyclic = {p.node_id for p in a.errors if "cycle" in p.message}
    assert cyclic == {"l2", "l3"}
    assert "RNN, LSTM or GRU" in a.problems_for("l2")[0].fix


def test_merge_needs_matching_shapes():
    g = graph_from_data({"format": "neurona-graph", "version": 1, "nodes": [
        {"id": "x", "type": "Input", "params": {"shape": [3, 8, 8]}},
        {"id": "a", "type": "Conv2d", "params": {"out_channels": 16, "padding": 1}},
        {"id": "b", "type": "Conv2d", "params": {"out_channels": 32, "padding": 1}},
        {"id": "add", "type": "Add"}, {"id": "cat", "type": "Concat"}, {"id": "y", "type": "Output"},
        {"id": "y2", "type": "Output"}],
        "edges": [{"from": "x", "to": "a"}, {"from": "x", "to": "b"}, {"from": "a", "to": "add"}, {"from": "b", "to": "add"},
                  {"from": "a", "to": "cat"}, {"from": "b", "to": "cat"}, {"from": "add", "to": "y"}, {"from": "cat", "to": "y2"}]})
    a = analyze(g)
    p = only_error(a, "add")
    assert p.message == "Add needs inputs of the same shape, but receives 16×8×8 and 32×8×8"
    assert "out_channels" in p.fix
    assert a.nodes["cat"].outputs["out"].shape == (48, 8, 8)  # channels may differ in a Concat
    assert a.nodes["cat"].arithmetic == ("16 + 32 = 48",)


def test_merge_with_a_gap_in_its_inputs():
    g = chain([4], ("Linear", {"out_features": 4}))
    g.add_node(Node("add", "Add"))
    g.add_edge(Edge("x", "add", dst_port="0"))
    g.add_edge(Edge("l1", "add", dst_port="2"))
    p = only_error(analyze(g), "add")
    assert "input 1 is missing" in p.message


def test_a_graph_without_input_or_output():
    a = analyze(Graph())
    assert {p.message for p in a.errors} == {"the graph has no Input", "the graph has no Output"}
    assert all(p.node_id is None for p in a.errors)


def test_unused_branches_are_warned_about():
    g = chain([4], ("Linear", {"out_features": 4}))
    g.add_node(Node("spare", "ReLU"))
    g.add_edge(Edge("x", "spare"))
    a = analyze(g)
    assert a.ok and [w.node_id for w in a.warnings] == ["spare"]


def test_wires_to_ports_that_do_not_exist():
    g = chain([5, 3], ("GRU", {"hidden_size": 4}))
    g.add_node(Node("z", "Identity"))
    g.add_node(Node("y2", "Output"))
    g.add_edge(Edge("l1", "z", src_port="cell"))  # GRU has no cell state
    g.add_edge(Edge("z", "y2"))
    p = only_error(analyze(g), "z")
    assert p.message == "GRU 'l1' has no output port 'cell'" and "hidden" in p.fix


@pytest.mark.parametrize("bidirectional,expected", [(False, (8,)), (True, (16,))])
def test_recurrent_ports(bidirectional, expected):
    a = analyze(chain([7, 3], ("LSTM", {"hidden_size": 8, "output": "last", "bidirectional": bidirectional})))
    info = a.nodes["l1"]
    assert info.outputs["out"].shape == expected
    assert info.outputs["hidden"].shape == expected and info.outputs["cell"].shape == expected


def test_param_count_formula_reads_like_the_course():
    a = analyze(chain([64], ("Linear", {"out_features": 128})))
    assert a.nodes["l1"].count.formula == "64·128 + 128 = 8,320"
    assert a.total_params == 8320
