"""``python -m readout``: the same as the ``readout`` command."""

from .cli import main

main()
