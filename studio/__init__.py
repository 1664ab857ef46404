"""Neurona Studio: design neural networks visually, train them, ship them to ONNX."""

__version__ = "0.1.0"
