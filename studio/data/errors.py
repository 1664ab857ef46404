"""The one exception the data package raises: ``DataError``.

Imports nothing; every other module in ``studio.data`` may import it.
"""


class DataError(ValueError):
    """Data that cannot be loaded or used as asked. ``str(e)`` is one or two sentences for a
    learner: it names the place (the option, file, column, row) and says what to do."""
