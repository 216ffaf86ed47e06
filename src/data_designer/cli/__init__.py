"""The ``data-designer`` command line: ``data_designer.cli.main:main`` is the console script."""
