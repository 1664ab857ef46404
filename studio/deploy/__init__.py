"""Ship a model: export to ONNX (``onnx_export``), check it against torch (``parity``) and run it
without torch (``runner``). Importing this package loads neither torch nor onnxruntime; import
the submodules you need."""

from .errors import DeployError

__all__ = ["DeployError"]
