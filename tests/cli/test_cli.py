"""The neurona command as a user runs it: exit codes 0/1/2, JSON output, one-line reasons on
stderr and never a traceback."""

import json
import subprocess
import sys

import pytest

from conftest import run_cli

XOR = "examples/xor.neurona"


def write(tmp_path, name, data):
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return str(path)


def no_traceback(proc):
    assert "Traceback" not in proc.stderr + proc.stdout, proc.stderr


def test_check_valid_file():
    proc = run_cli("check", XOR)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == f"{XOR}: valid — 5 nodes, 17 parameters"


def test_check_json_invalid_graph_lists_errors_per_node(tmp_path):
    path = write(tmp_path, "bad.neurona", {"format": "neurona-graph", "version": 1, "nodes": [
        {"id": "x", "type": "Input", "params": {"shape": [64]}}, {"id": "conv1", "type": "Conv2d"},
        {"id": "y", "type": "Output"}], "edges": [{"from": "x", "to": "conv1"}, {"from": "conv1", "to": "y"}]})
    proc = run_cli("check", path, "--json")
    assert proc.returncode == 1
    result = json.loads(proc.stdout)
    assert result["valid"] is False
    assert [(e["node"], e["fix"]) for e in result["errors"]] == [("conv1", "add a Reshape to 1×8×8 before it")]
    text = run_cli("check", path)
    assert text.returncode == 1
    assert "conv1: error: Conv2d expects channels × height × width" in text.stderr
    no_traceback(text)


def test_check_file_level_problems_name_the_json_path(tmp_path):
    path = write(tmp_path, "bad.neurona", {"format": "neurona-graph", "version": 1, "nodes": [
        {"id": "x", "type": "Input", "params": {"shape": [2]}},
        {"id": "h", "type": "Linear", "params": {"out_features": "four"}}], "edges": [], "extra": 1})
    proc = run_cli("check", path, "--json")
    assert proc.returncode == 1
    paths = {e["path"]: e for e in json.loads(proc.stdout)["errors"]}
    assert set(paths) == {"$.extra", "$.nodes[1].params.out_features"}
    assert paths["$.nodes[1].params.out_features"]["node"] == "h"


@pytest.mark.parametrize("content", ["", "not json", "[1, 2]", '{"format": "other"}',
                                     '{"format": "neurona-graph", "version": 99, "nodes": []}', b"\xff\xfe\x00"])
def test_check_unreadable_or_not_a_graph_exits_2_with_one_line(tmp_path, content):
    path = tmp_path / "x.neurona"
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    proc = run_cli("check", str(path))
    assert proc.returncode == 2
    assert len(proc.stderr.strip().splitlines()) == 1 and str(path) in proc.stderr
    no_traceback(proc)


def test_missing_file_and_folder_exit_2(tmp_path):
    for target in (str(tmp_path / "nope.neurona"), str(tmp_path)):
        proc = run_cli("check", target)
        assert proc.returncode == 2 and proc.stderr.strip()
        no_traceback(proc)


def test_bad_usage_exits_2():
    for args in (["check"], ["summary", XOR, "--bogus"], ["frobnicate", "x", "y"]):
        proc = run_cli(*args)
        assert proc.returncode == 2, args
        assert len(proc.stderr.strip().splitlines()) == 1
        no_traceback(proc)


def test_summary_json_has_null_batch_and_totals():
    proc = run_cli("summary", XOR, "--json")
    assert proc.returncode == 0
    data = json.loads(proc.stdout)
    assert data["nodes"][1] == {"id": "h", "type": "Linear", "output_shape": [None, 4], "params": 12}
    assert data["total_params"] == 17 and data["trainable_params"] == 17


def test_summary_table():
    proc = run_cli("summary", XOR)
    assert proc.returncode == 0
    lines = proc.stdout.splitlines()
    assert lines[0] == 'Model: "xor"'
    assert any(line.split() == ["h", "(Linear)", "(B,", "4)", "12"] for line in lines)
    assert "Total params: 17" in proc.stdout


def test_codegen_writes_a_runnable_module(tmp_path):
    out = tmp_path / "xor_model.py"
    proc = run_cli("codegen", XOR, "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    run = subprocess.run([sys.executable, str(out)], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert "tensor(" in run.stdout
    stdout = run_cli("codegen", XOR)
    assert stdout.stdout == out.read_text(encoding="utf-8")


def test_codegen_of_an_invalid_graph_fails_cleanly(tmp_path):
    path = write(tmp_path, "bad.neurona", {"format": "neurona-graph", "version": 1, "nodes": [
        {"id": "x", "type": "Input"}, {"id": "y", "type": "Output"}, {"id": "h", "type": "ReLU"}],
        "edges": [{"from": "x", "to": "y"}]})
    proc = run_cli("codegen", path)
    assert proc.returncode == 1 and proc.stdout == ""
    assert "h: error" in proc.stderr
    no_traceback(proc)


def test_codegen_to_an_unwritable_place_exits_2(tmp_path):
    proc = run_cli("codegen", XOR, "-o", str(tmp_path / "missing" / "dir" / "m.py"))
    assert proc.returncode == 2 and "cannot write" in proc.stderr
    no_traceback(proc)


def test_the_window_without_a_display_says_so_and_names_the_headless_commands():
    import os

    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    proc = subprocess.run([sys.executable, "-m", "studio", XOR], capture_output=True, text=True, env=env, timeout=120)
    assert proc.returncode == 2
    assert "no display" in proc.stderr and "neurona --help" in proc.stderr
    no_traceback(proc)


def test_a_mistyped_command_is_not_taken_for_a_file():
    proc = run_cli("sumary")
    assert proc.returncode == 2 and "neither a command" in proc.stderr and "summary" in proc.stderr


def test_layers_lists_the_catalogue():
    proc = run_cli("layers", "--json")
    assert proc.returncode == 0
    types = {layer["type"] for layer in json.loads(proc.stdout)}
    assert {"Linear", "Conv2d", "LSTM", "TransformerEncoderLayer", "Add"} <= types


def test_console_script_is_installed():
    from pathlib import Path

    exe = Path(sys.executable).parent / "neurona"  # installed beside the interpreter by pip
    assert exe.exists()
    proc = subprocess.run([str(exe), "--version"], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0 and proc.stdout.startswith("neurona ")


def test_the_readme_shows_real_output():
    from conftest import ROOT

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    start = readme.index("$ neurona summary examples/digits_cnn.neurona\n") + len("$ neurona summary examples/digits_cnn.neurona\n")
    shown = readme[start:readme.index("```", start)]
    assert run_cli("summary", "examples/digits_cnn.neurona").stdout == shown


@pytest.mark.skipif(sys.platform == "win32", reason="niceness is POSIX; Windows gets a priority class")
def test_low_priority_lowers_the_process_and_the_threads_it_starts_after():
    code = ("import os, threading\n"
            "from studio.cli import lower_priority\n"
            "before = os.nice(0)\n"
            "lower_priority()\n"
            "seen = []\n"
            "t = threading.Thread(target=lambda: seen.append(os.getpriority(os.PRIO_PROCESS, 0)))\n"
            "t.start(); t.join()\n"
            "print(os.nice(0) - before, seen[0] - before)\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    lowered, thread_lowered = map(int, proc.stdout.split())
    assert lowered > 0 and thread_lowered == lowered  # 10 unless the process was already near the bottom


def test_train_accepts_low_priority(tmp_path):
    from conftest import EXAMPLES

    result = run_cli("train", str(EXAMPLES / "xor.neurona"), "--out", str(tmp_path / "run"), "--epochs", "2",
                     "--priority", "low", "--quiet")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "run" / "summary.json").exists()


def test_devices_lists_the_cpu_first_and_every_cuda_device():
    import torch

    result = run_cli("devices", "--json")
    assert result.returncode == 0, result.stderr
    devices = json.loads(result.stdout)
    assert devices[0]["id"] == "cpu" and devices[0]["cores"] >= 1
    cuda = [d["id"] for d in devices if d["kind"] == "cuda"]
    expected = [f"cuda:{i}" for i in range(torch.cuda.device_count())] if torch.cuda.is_available() else []
    assert cuda == expected
    plain = run_cli("devices")
    assert plain.returncode == 0 and plain.stdout.startswith("cpu — ")
