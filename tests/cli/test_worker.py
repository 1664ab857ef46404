"""The warm training process (``python -m studio worker``) the window keeps: one ``neurona train``
after another, asked for on its stdin, each the same as a fresh ``neurona train`` — the same
run folder, the same numbers bit for bit, the same exit codes — and commands that reach the run."""

import json
import subprocess
import sys

import pytest

from conftest import EXAMPLES, ROOT, run_cli

DIGITS = str(EXAMPLES / "digits_mlp.neurona")


class Worker:
    def __init__(self):
        self.proc = subprocess.Popen([sys.executable, "-m", "studio", "worker"], cwd=ROOT, stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, bufsize=1)
        self.ready = json.loads(self.proc.stdout.readline())

    def send(self, line):
        self.proc.stdin.write(line + "\n")
        self.proc.stdin.flush()

    def run(self, *argv, on_event=None):
        """Ask for ``neurona train ARGV`` and read to its end: (events, the exit line)."""
        self.ask(*argv)
        return self.read(on_event)

    def ask(self, *argv):
        self.send(json.dumps({"run": [str(a) for a in argv]}))

    def read(self, on_event=None):
        events = []
        for line in self.proc.stdout:
            message = json.loads(line)
            if "worker" in message:
                return events, message
            events.append(message)
            if on_event is not None:
                on_event(message)
        raise AssertionError(f"the worker ended during a run: {self.proc.stderr.read()}")

    def close(self):
        self.proc.stdin.close()
        return self.proc.wait(60)


@pytest.fixture
def worker():
    w = Worker()
    yield w
    if w.proc.poll() is None:
        w.proc.kill()
        w.proc.wait()


def _numbers(run):
    """What a run computed: every epoch's figures (not its duration), the test metrics, the weights."""
    epochs = [{k: v for k, v in json.loads(line).items() if k != "seconds"}
              for line in (run / "metrics.jsonl").read_text().splitlines()]
    summary = json.loads((run / "summary.json").read_text())
    return epochs, summary["test"], (run / "last.safetensors").read_bytes(), (run / "best.safetensors").read_bytes()


def test_runs_in_the_warm_process_are_the_runs_of_a_fresh_one_bit_for_bit(worker, tmp_path):
    assert worker.ready == {"worker": "ready", "pid": worker.proc.pid}
    args = ["--epochs", "3", "--seed", "7", "--events", "-", "--quiet"]
    events, end = worker.run(DIGITS, "--out", tmp_path / "warm1", *args)
    assert end == {"worker": "exit", "code": 0, "stderr": ""}
    assert [e["event"] for e in events][0] == "start" and events[-1]["event"] == "done"
    xor_events, end = worker.run(EXAMPLES / "xor.neurona", "--out", tmp_path / "xor", "--epochs", "5", "--events", "-")
    assert end["code"] == 0 and xor_events[-1]["event"] == "done"
    events, end = worker.run(DIGITS, "--out", tmp_path / "warm2", *args)  # after other runs in the process
    assert end["code"] == 0
    fresh = run_cli("train", DIGITS, "--out", str(tmp_path / "fresh"), "--epochs", "3", "--seed", "7", "--quiet")
    assert fresh.returncode == 0, fresh.stderr
    assert _numbers(tmp_path / "warm1") == _numbers(tmp_path / "fresh") == _numbers(tmp_path / "warm2")
    assert sorted(p.name for p in (tmp_path / "warm2").iterdir()) == sorted(p.name for p in (tmp_path / "fresh").iterdir())
    assert worker.close() == 0


def test_a_bad_request_gets_the_commands_exit_code_and_the_process_stays(worker, tmp_path):
    events, end = worker.run(DIGITS, "--out", tmp_path / "r", "--epochs", "-3")
    assert events == [] and end["code"] == 2 and "epochs" in end["stderr"] and "Traceback" not in end["stderr"]
    events, end = worker.run(DIGITS, "--out", tmp_path / "r", "--no-such-flag")
    assert end["code"] == 2 and "unrecognized arguments: --no-such-flag" in end["stderr"]
    events, end = worker.run(EXAMPLES / "xor.neurona", "--out", tmp_path / "d", "--data", "digits", "--events", "-")
    assert end["code"] == 1 and events[-1]["event"] == "error" and "training failed" in end["stderr"]
    events, end = worker.run(EXAMPLES / "xor.neurona", "--out", tmp_path / "x", "--epochs", "2", "--events", "-")
    assert end["code"] == 0 and events[-1]["event"] == "done"


def test_stop_pause_and_resume_reach_the_run_under_way(worker, tmp_path):
    def control(event):
        if event["event"] == "epoch" and event["epoch"] == 1:
            worker.send("pause")
        elif event["event"] == "paused":
            worker.send("resume")
        elif event["event"] == "resumed":
            worker.send('{"command": "stop"}')

    events, end = worker.run(DIGITS, "--out", tmp_path / "r", "--epochs", "500", "--events", "-", "--control", "stdin",
                             on_event=control)
    kinds = [e["event"] for e in events]
    assert end["code"] == 0 and "paused" in kinds and "resumed" in kinds
    assert events[-1]["event"] == "done" and events[-1]["reason"] == "stopped" and events[-1]["epochs_run"] < 500
    # A stop sent right after a run is asked for reaches it, even before it starts.
    worker.ask(DIGITS, "--out", tmp_path / "s", "--epochs", "500", "--events", "-", "--control", "stdin")
    worker.send("stop")
    events, end = worker.read()
    assert end["code"] == 0 and events[-1]["event"] == "done" and events[-1]["reason"] == "stopped"


def test_end_of_input_ends_the_process_and_an_unknown_option_is_refused(tmp_path):
    w = Worker()
    assert w.close() == 0
    proc = run_cli("worker", "--fast")
    assert proc.returncode == 2 and "usage: python -m studio worker" in proc.stderr
