"""Prefect flows and the `voc` command line: wiring of nlp/'s stages, nothing more."""
