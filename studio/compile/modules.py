"""torch modules for studio layers that torch.nn does not have (declared in studio.layers by
name, e.g. ``Ctor("studio.PositionalEncoding", …)``).

Imported only when a graph is compiled (it imports torch). Each class is self-contained so
that code generation can paste its source into a standalone file.
"""

import math

import torch
from torch import nn


class PositionalEncoding(nn.Module):
    """Adds position information to a (batch, time, features) sequence.

    kind="sinusoidal": the fixed sines and cosines of "Attention Is All You Need";
    kind="learned": a trainable (max_len, features) table.
    """

    def __init__(self, d_model, max_len=512, kind="sinusoidal", dropout=0.0):
        super().__init__()
        self.kind = kind
        if kind == "learned":
            self.pe = nn.Parameter(torch.zeros(max_len, d_model))
            nn.init.normal_(self.pe, std=0.02)
        else:
            position = torch.arange(max_len, dtype=torch.float32).unsqueeze(1)  # (max_len, 1)
            div = torch.exp(torch.arange(0, d_model, 2, dtype=torch.float32) * (-math.log(10000.0) / d_model))
            pe = torch.zeros(max_len, d_model)
            pe[:, 0::2] = torch.sin(position * div)
            pe[:, 1::2] = torch.cos(position * div[: d_model // 2])
            self.register_buffer("pe", pe, persistent=False)
        self.dropout = nn.Dropout(dropout)

    def forward(self, x):
        x = x + self.pe[: x.size(1)]  # (B, T, E) + (T, E)
        return self.dropout(x)
