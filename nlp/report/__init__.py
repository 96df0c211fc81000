"""What voc writes: the report view model, charts, templates and the writers of every output."""
