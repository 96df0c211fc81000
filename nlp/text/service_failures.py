"""Cue patterns of what a service did wrong to a customer: a payment declined, less cash than asked for, a charge
seen twice or never made, goods not yet come or not what was ordered (banking, shops, deliveries, travel alike).
Counted as strong pain cues (nlp/text/cues.py)."""

from __future__ import annotations

from nlp.text.cue_words import CHARGE_NOUNS, FAILED_ACTIONS

ONLY_GOT = [{"LOWER": "only"}, {"LEMMA": {"IN": ["receive", "get", "give", "deliver", "send"]}, "TAG": {"IN": ["VBD", "VBN"]}},
            {"LOWER": {"IN": ["me", "us"]}, "OP": "?"}]

DONE_WRONG = [
    # "The app rejected my top-up", "you have cancelled my order", "the ATM stole my card" (not "I cancelled my ...")
    [{"LOWER": {"NOT_IN": ["i", "we", "have", "'ve", "had", "'d"]}}, {"LEMMA": {"IN": FAILED_ACTIONS}, "TAG": {"IN": ["VBD", "VBN"]}},
     {"LOWER": {"IN": ["my", "our", "me", "us"]}}],
    # "charged several times", "charged for one thing two times", "a payment showing up more than once"
    [{"LEMMA": "charge"}, {"IS_PUNCT": False, "OP": "{0,4}"}, {"LOWER": {"IN": ["several", "multiple", "two", "three", "many"]}},
     {"LOWER": "times"}],
    [{"LEMMA": {"IN": ["charge", "bill", "debit", "deduct", "show", "appear", "post"]}}, {"IS_PUNCT": False, "OP": "{0,4}"},
     {"LOWER": "more"}, {"LOWER": "than"}, {"LOWER": "once"}],
    # less came than was asked for: "I only received $20", "it only gave me 10", "only got half"
    [*ONLY_GOT, {"POS": {"IN": ["NUM", "SYM"]}}],
    [*ONLY_GOT, {"LOWER": {"IN": ["half", "part", "some", "one"]}}, {"LOWER": "of"}],
    # what the service did to it: "the app declined it", "they cancelled them" (not "you", "I cancelled it")
    [{"LOWER": {"NOT_IN": ["i", "we", "you", "u", "have", "'ve", "had", "'d"]}},
     {"LEMMA": {"IN": FAILED_ACTIONS}, "TAG": {"IN": ["VBD", "VBN"]}}, {"LOWER": {"IN": ["it", "them"]}}],
    # what came was not what was asked for, or has not come: "I received the wrong amount", "yet to receive the
    # cash", "it's not here yet"; a charge seen twice or never made: "shows up twice", "a duplicate payment",
    # "an unknown charge", "an extra $1 fee on my statement"
    [{"LEMMA": {"IN": ["receive", "get", "give", "send", "deliver", "charge", "ship", "bring"]}},
     {"LOWER": {"IN": ["me", "us"]}, "OP": "?"}, {"LOWER": {"IN": ["the", "a", "an"]}}, {"LOWER": "wrong"}],
    [{"LOWER": "yet"}, {"LOWER": "to"}, {"LEMMA": {"IN": ["receive", "arrive", "get", "see", "hear", "show", "appear"]}}],
    [{"NORM": "not"}, {"LOWER": {"IN": ["here", "there", "in"]}}, {"LOWER": "yet"}],
    [{"LEMMA": {"IN": ["show", "appear", "post", "go", "come"]}}, {"LOWER": {"IN": ["up", "through"]}, "OP": "?"},
     {"LOWER": "twice"}],
    [{"LOWER": {"IN": ["duplicate", "duplicated", "repeat", "repeated"]}}, {"LEMMA": {"IN": CHARGE_NOUNS}}],
    [{"LOWER": {"IN": ["unexpected", "unknown", "strange", "weird", "mysterious", "unauthorized", "unauthorised",
                       "unrecognized", "unrecognised", "odd", "suspicious"]}},
     {"IS_PUNCT": False, "OP": "{0,2}"}, {"LEMMA": {"IN": CHARGE_NOUNS}}],
    [{"LOWER": {"IN": ["extra", "additional", "added"]}}, {"IS_PUNCT": False, "OP": "{0,2}"}, {"LEMMA": {"IN": ["charge", "fee"]}},
     {"LOWER": "on"}, {"LOWER": {"IN": ["my", "our", "the"]}}],
]

LONG_UNITS = ["hours", "days", "weeks", "months", "years", "ages", "forever"]
# What has gone on far too long: "the update has been installing for a week", "my transfer has been pending for
# three days", "it takes days for an update to be certified" (not "I have been using it for a year", "it takes two
# minutes to set up")
WAITED_LONG = [
    [{"LOWER": "been"}, {"LOWER": {"IN": ["pending", "processing", "loading", "installing", "downloading", "updating",
                                          "syncing", "buffering", "spinning", "stuck", "sitting", "verifying", "waiting"]}},
     {"IS_PUNCT": False, "OP": "{0,4}"}, {"LOWER": {"IN": ["for", "since", "over"]}}],
    [{"LEMMA": "take"}, {"POS": {"IN": ["DET", "NUM", "ADJ"]}, "OP": "*"}, {"LOWER": {"IN": LONG_UNITS}}],
]

CHARGED_WRONG = [
    [{"LEMMA": "charge"}, {"LOWER": {"IN": ["twice", "double", "again", "me", "us"]}}],
    [{"LEMMA": "pay"}, {"LOWER": {"IN": ["twice", "double"]}}],
    [{"LEMMA": "charge", "TAG": {"IN": ["VBD", "VBN"]}}, {"POS": "DET", "OP": "?"},
     {"LOWER": {"IN": ["extra", "more", "additional", "wrongly", "incorrectly"]}}],
    # charged for what did not happen: "I still got charged", "they billed me anyway"; "the driver cancelled on me"
    [{"LOWER": "still"}, {"LEMMA": {"IN": ["get", "be"]}, "OP": "?"}, {"LEMMA": {"IN": ["charge", "bill"]}, "TAG": {"IN": ["VBD", "VBN"]}}],
    [{"LEMMA": {"IN": ["charge", "bill"]}, "TAG": {"IN": ["VBD", "VBN"]}}, {"POS": "PRON", "OP": "?"},
     {"LOWER": {"IN": ["anyway", "anyways", "regardless"]}}],
    [{"LEMMA": {"IN": ["cancel", "bail"]}}, {"LOWER": "on"}, {"LOWER": {"IN": ["me", "us"]}}],
]
