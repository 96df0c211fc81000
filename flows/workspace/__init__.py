"""The workspace: the researcher's edits from the terminal (commands) and the browser (app, served by
server), both through session. The edit log, its replay and anchoring are in nlp.workspace."""
