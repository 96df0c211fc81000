"""voc's library, grouped by stage (audio, sources, text, themes, report; store, schema and settings
at the top): plain data in and out, no Prefect.

Importing it switches the model hubs to offline mode: voc never needs the network at run time,
and a hub lookup on a machine without one only costs time before failing.
"""

import os

for _var in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE", "HF_DATASETS_OFFLINE"):
    os.environ.setdefault(_var, "1")
os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")  # transformers' "Loading weights" bars; voc shows its own
