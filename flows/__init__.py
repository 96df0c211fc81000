"""Prefect flows and the `voc` command line around the nlp library."""

import os

# voc never needs the network at run time: keep Prefect's server from phoning home.
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
