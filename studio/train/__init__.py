"""Training: configuration, objective (loss) choice, the loop, metrics, checkpoints and the
JSON-lines event stream the CLI and the window read. No Qt; torch only where a run needs it.
"""

from .config import ConfigError, TrainConfig
from .trainer import Control, Trainer, TrainingFailed, TrainResult

__all__ = ["ConfigError", "Control", "TrainConfig", "TrainResult", "Trainer", "TrainingFailed"]
