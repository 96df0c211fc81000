"""From quotes to ranked themes: embeddings (and their cache), clustering, labels, ranking."""
