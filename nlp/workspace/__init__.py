"""The researcher in the loop: the edit log (edits), its replay onto a run's own themes (replay),
anchoring of new quotes to curated themes (anchor), the curated themes built from both (curate),
checks of an edit against what exists (validate) and the kinds the researcher set as training
data for the tagger (teach). Plain data in and out, no Prefect."""
