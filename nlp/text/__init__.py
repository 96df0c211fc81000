"""From transcript to tagged quotes: extraction, display text, cues, the tagger, PII redaction."""
