"""The production command line: ``serve``, ``deploy``, ``createuser``, ``load_catalogue``,
``load_parties`` and the very first centre account (``bootstrap``). Nothing here is demo
data: ``aidbridge.demo`` holds the COVID-19 scenario and the ``demo`` command only."""
