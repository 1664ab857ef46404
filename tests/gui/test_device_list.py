"""The training panel's Device list is what ``neurona devices --json`` answers on this machine
(asked in a child process), not the CPU-only list the panel falls back on when it cannot ask."""

import json

from conftest import EXAMPLES, run_cli


def test_the_device_list_is_the_engines_answer(make_window, qtbot):
    r = run_cli("devices", "--json")
    assert r.returncode == 0, r.stderr
    engine = json.loads(r.stdout.splitlines()[-1])
    assert engine[0]["id"] == "cpu" and engine[0]["name"]

    w = make_window(EXAMPLES / "xor.neurona")
    panel = w.training_panel()
    if panel.devices is None:
        with qtbot.waitSignal(panel.devices_listed, timeout=60_000):
            pass
    assert panel.devices == engine  # the fallback has no processor name, nor cores and threads
    ids = [panel.device.itemData(i) for i in range(panel.device.count())]
    assert ids == ["auto", *(d["id"] for d in engine)]
    cpu = panel.device.itemText(ids.index("cpu"))
    assert engine[0]["name"] in cpu
    cuda = [d for d in engine if d["kind"] == "cuda"]
    assert panel.device.itemText(0) == (f"auto → {cuda[0]['id']}" if cuda else "auto → cpu")
