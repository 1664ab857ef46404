"""The devices this machine can train on: the CPU and every CUDA device torch finds.

``neurona devices --json`` prints them for the window, which asks in a child process so that
torch never loads in the window itself.
"""

from __future__ import annotations

import os
import platform
from typing import Any


def list_devices() -> list[dict[str, Any]]:
    """``[{"id": "cpu", "name": …, "kind": "cpu", "threads": N}, {"id": "cuda:0", "name": …,
    "kind": "cuda", "memory_gb": …, "capability": "9.0"}, …]``; the CPU is always first."""
    import torch

    cpu_name = _cpu_name()
    devices: list[dict[str, Any]] = [{"id": "cpu", "kind": "cpu", "name": cpu_name,
                                      "cores": os.cpu_count() or 1, "threads": torch.get_num_threads()}]
    if torch.cuda.is_available():
        for i in range(torch.cuda.device_count()):
            p = torch.cuda.get_device_properties(i)
            devices.append({"id": f"cuda:{i}", "kind": "cuda", "name": p.name,
                            "memory_gb": round(p.total_memory / 2**30, 1), "capability": f"{p.major}.{p.minor}"})
    return devices


def _cpu_name() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8", errors="replace") as f:
            for line in f:
                if line.startswith("model name"):
                    return " ".join(line.split(":", 1)[1].split())
    except OSError:
        pass
    return platform.processor() or platform.machine() or "CPU"


def describe(device: dict[str, Any]) -> str:
    """One line for a person: ``cuda:0 — NVIDIA H100 80GB HBM3 (79.1 GB)``."""
    if device.get("kind") == "cuda":
        return f"{device['id']} — {device['name']} ({device['memory_gb']} GB)"
    return f"cpu — {device.get('name') or 'CPU'} ({device.get('cores', '?')} cores)"
