"""What comes into voc: the inbox, participant metadata, transcript files and importers."""
