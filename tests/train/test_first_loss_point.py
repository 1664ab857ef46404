"""The run's first loss point goes out as soon as the first batch has trained: a learner who
presses Start sees the curve begin without waiting for the stream's 50 ms grouping."""

from conftest import EXAMPLES
from studio.data import load_data
from studio.layers import load_graph
from studio.train import TrainConfig, Trainer
from studio.train.events import EventStream


def test_the_first_batch_loss_is_sent_before_the_second_batch_trains(tmp_path):
    """In a process that has trained before (as the window's warm training process has): there
    the first batch is quick, and its loss used to wait for the next ones."""
    seen = []

    def listener(event):
        if event.kind == "batches" and not seen:
            steps = {int(s["step"]) for s in trainer.optimizer.state.values()}  # Adam counts its steps
            seen.append((event.epoch, event.first_batch, len(event.losses), steps))

    graph = load_graph(EXAMPLES / "xor.neurona")
    config = TrainConfig(data="moons?n=2000", epochs=1, mode="mini-batch", batch_size=4, optimizer="adam")
    Trainer(graph, load_data(config.data), config, tmp_path / "first").run()  # what a first run loads, loaded
    trainer = Trainer(graph, load_data(config.data), config, tmp_path / "r", stream=EventStream(listener=listener))
    trainer.run()
    assert seen == [(1, 1, 1, {1})]
