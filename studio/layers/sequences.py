"""Sequence layers: Embedding and the recurrent family (RNN, LSTM, GRU), batch first."""

from __future__ import annotations

from .rules import need_float, the_input
from .spec import Ctor, Inferred, LayerSpec, Param, ParamCount, Port, ShapeError, TensorInfo, describe, fmt


def _embedding_shape(p, inputs):
    t = the_input(inputs)
    if t.dtype != "int64":
        raise ShapeError("Embedding needs integer token ids but receives real numbers",
                         "set the Input's dtype to int64, or use a Linear for real-valued features")
    if p["padding_idx"] is not None and not -p["num_embeddings"] <= p["padding_idx"] < p["num_embeddings"]:
        raise ShapeError(f"Embedding padding_idx={p['padding_idx']} is outside the vocabulary of {p['num_embeddings']}",
                         "use an index below num_embeddings, or leave it empty")
    return Inferred({"out": TensorInfo(t.shape + (p["embedding_dim"],))},
                    (f"{fmt(t.shape)} token ids → {fmt(t.shape + (p['embedding_dim'],))}",))


def _embedding_count(p, inputs):
    n = p["num_embeddings"] * p["embedding_dim"]
    return ParamCount(n, n, f"{p['num_embeddings']}·{p['embedding_dim']} = {n:,}")


EMBEDDING = LayerSpec(
    type="Embedding", category="sequence", label="Embedding",
    keywords=("embedding", "tokens", "words", "vocabulary", "nlp", "lookup"),
    params=(
        Param("num_embeddings", "int", 1000, "Vocabulary size: token ids run from 0 to num_embeddings − 1.", min=1, max=10_000_000),
        Param("embedding_dim", "int", 64, "Length of the vector learned for each token.", min=1, max=65536),
        Param("padding_idx", "int", None, "A token id whose vector stays zero (padding); empty for none.", optional=True),
    ),
    shape=_embedding_shape, count=_embedding_count,
    ctor=lambda p, i: Ctor("nn.Embedding", dict(p)),
)

_GATES = {"RNN": 1, "GRU": 3, "LSTM": 4}


def _recurrent_params(type_):
    params = [
        Param("hidden_size", "int", 64, "Size of the hidden state (units in Keras).", min=1, max=65536),
        Param("num_layers", "int", 1, "Recurrent layers stacked on each other.", min=1, max=64),
    ]
    if type_ == "RNN":
        params.append(Param("nonlinearity", "choice", "tanh", "Activation of the hidden state.", choices=("tanh", "relu")))
    params += [
        Param("bias", "bool", True, "Learn bias vectors."),
        Param("dropout", "float", 0.0, "Dropout between stacked layers (needs num_layers > 1).", min=0.0, max=1.0),
        Param("bidirectional", "bool", False, "Also read the sequence backwards; doubles the output size."),
        Param("output", "choice", "sequence", "'sequence' gives every time step (for stacking or sequence-to-sequence); "
              "'last' gives only the final step (return_sequences=False in Keras).", choices=("sequence", "last")),
    ]
    return tuple(params)


def _recurrent_shape(type_):
    def shape(p, inputs):
        t = the_input(inputs)
        need_float(type_, t)
        if t.rank != 2:
            fix = (f"add a Reshape to {t.shape[0]}×1 before it ({t.shape[0]} steps of 1 feature)" if t.rank == 1
                   else "add a Reshape or Flatten that gives time steps × features")
            raise ShapeError(f"{type_} expects time steps × features but receives {describe(t)}", fix)
        steps = t.shape[0]
        width = p["hidden_size"] * (2 if p["bidirectional"] else 1)
        out = TensorInfo((steps, width)) if p["output"] == "sequence" else TensorInfo((width,))
        outputs = {"out": out, "hidden": TensorInfo((width,))}
        if type_ == "LSTM":
            outputs["cell"] = TensorInfo((width,))
        warnings = ()
        if p["dropout"] > 0 and p["num_layers"] == 1:
            warnings = (f"{type_} dropout only acts between stacked layers, so with num_layers=1 it does nothing "
                        "— raise num_layers or add a Dropout after it",)
        d = "2·" if p["bidirectional"] else ""
        arith = (f"features: {t.shape[-1]} → {d}{p['hidden_size']} = {width}",)
        return Inferred(outputs, arith, warnings)

    return shape


def _recurrent_count(type_):
    def count(p, inputs):
        g, h = _GATES[type_], p["hidden_size"]
        dirs = 2 if p["bidirectional"] else 1
        total, parts = 0, []
        for layer in range(p["num_layers"]):
            n_in = the_input(inputs).shape[-1] if layer == 0 else h * dirs
            per = g * (h * (n_in + h) + (2 * h if p["bias"] else 0))
            total += per * dirs
            parts.append(f"{dirs}·" * (dirs > 1) + f"{g}·({h}·({n_in} + {h})" + (f" + 2·{h})" if p["bias"] else ")"))
        return ParamCount(total, total, " + ".join(parts) + f" = {total:,}")

    return count


def _recurrent_ctor(type_):
    def ctor(p, inputs):
        kw = {"input_size": the_input(inputs).shape[-1], "hidden_size": p["hidden_size"], "num_layers": p["num_layers"]}
        if type_ == "RNN":
            kw["nonlinearity"] = p["nonlinearity"]
        kw.update(bias=p["bias"], batch_first=True, dropout=p["dropout"], bidirectional=p["bidirectional"])
        return Ctor(f"nn.{type_}", kw)

    return ctor


def _recurrent_forward(type_):
    def forward(low, p, inputs, used, shapes):
        result = low.module("result", inputs["in"])  # (sequence, state)
        both = p["bidirectional"]
        out = {}

        def final(states, name):  # the last layer's final state, both directions side by side
            if both:
                return low.function(name, "torch.cat", [low.item(name + "_fwd", states, -2),
                                                       low.item(name + "_bwd", states, -1)], dim=1)
            return low.item(name, states, -1)

        need_state = "hidden" in used or "cell" in used or (p["output"] == "last" and both)
        if need_state:
            state = low.item("state", result, 1)
            h_n = low.item("h_n", state, 0) if type_ == "LSTM" else state
            hidden = final(h_n, "hidden") if ("hidden" in used or both) else None
            if "hidden" in used:
                out["hidden"] = hidden
            if "cell" in used:
                out["cell"] = final(low.item("c_n", state, 1), "cell")
        if "out" in used or not out:
            if p["output"] == "sequence":
                out["out"] = low.item("", result, 0)
            elif both:
                out["out"] = hidden
            else:
                seq = low.item("seq", result, 0)
                out["out"] = low.method("", seq, "select", 1, -1)  # last time step
        return out

    return forward


def _recurrent(type_, label, keywords):
    outputs = (Port("out", "output"), Port("hidden", "final hidden state"))
    if type_ == "LSTM":
        outputs += (Port("cell", "final cell state"),)
    return LayerSpec(
        type=type_, category="sequence", label=label, keywords=("recurrent", "sequence", "time series", "rnn") + keywords,
        params=_recurrent_params(type_), outputs=outputs,
        shape=_recurrent_shape(type_), count=_recurrent_count(type_), ctor=_recurrent_ctor(type_),
        forward=_recurrent_forward(type_),
    )


SPECS = (
    EMBEDDING,
    _recurrent("RNN", "SimpleRNN (RNN)", ("simplernn", "elman")),
    _recurrent("LSTM", "LSTM", ("lstm", "long short-term memory", "memory")),
    _recurrent("GRU", "GRU", ("gru", "gated recurrent unit")),
)
