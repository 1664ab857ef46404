"""The ONNX opsets the exporter writes, importable without onnx or torch (the export dialog's
opset chooser and the CLI's ``--opset`` offer exactly these).

Measured with torch 2.13 on every example: the TorchScript exporter handles opsets 14–20
(attention needs 14; torch caps it at 20); the dynamo exporter writes 18 natively and converts
up to 23 (torch's maximum) but not reliably down (residual_cnn fails at 17). So "auto" covers
14–23: TorchScript up to 20, dynamo above (and as the fallback at 18–20).
"""

MIN_OPSET, MAX_OPSET = 14, 23
TORCHSCRIPT_MAX_OPSET = 20
DEFAULT_OPSET = 18
