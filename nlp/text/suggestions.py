"""Cue patterns of a suggestion put as what someone ought to do, would appreciate, or might do ("VLC should display
the actual time", "Management needs to look at the cleaning", "Maybe offer a shuttle", "It might be nice to offer late
checkout"): counted as strong request cues (nlp/text/cues.py)."""

from __future__ import annotations

from nlp.text.cue_words import GOOD

# What a poster asks readers for ("Any help would be appreciated" asks, and praises nothing: nlp/text/cues.py).
HELP_NOUNS = ["help", "advice", "suggestion", "suggestions", "idea", "ideas", "info", "information", "input", "assistance",
              "guidance", "pointer", "pointers", "tip", "tips", "hint", "hints", "feedback", "thoughts", "answer", "answers",
              "response", "responses", "reply", "replies", "comment", "comments", "insight", "insights", "light",
              "clarification", "support"]
APPRECIATED = [{"LEMMA": {"IN": ["would", "will", "be"]}}, {"LOWER": "be", "OP": "?"}, {"POS": "ADV", "OP": "*"},
               {"LOWER": "appreciated"}]
OUGHT_TO = [
    # "VLC should display the actual time", "the app should remember my choice": what a product or its maker
    # ought to do (not "it should work", "you should try", "I should be able": expected, advice, the customer)
    [{"LOWER": {"NOT_IN": ["i", "you", "u", "we", "it", "this", "that", "which", "what", "who", "how", "why", "where", "when"]},
      "POS": {"IN": ["NOUN", "PROPN"]}},
     {"LEMMA": "should"}, {"POS": "ADV", "OP": "*"},
     {"TAG": "VB", "LEMMA": {"NOT_IN": ["work", "be", "get", "happen", "look", "do", "go", "fix", "stop", "say", "know", "see",
                                        "read", "try", "start", "note", "cost", "take", "come", "arrive", "run",
                                        # what an instruction's step should bring about ("A small dialog should appear")
                                        "appear", "open", "exit", "load", "close", "launch", "restart", "reload", "disappear",
                                        "pop", "finish", "update", "install", "download", "resolve", "help", "last", "contain"]}}],
    # "Management needs to look at the cleaning", "the hotel needs to update its rooms" (not what a user needs to do)
    [{"POS": {"IN": ["NOUN", "PROPN"]},
      "LOWER": {"NOT_IN": ["user", "users", "customer", "customers", "people", "person", "one", "everyone", "everybody",
                           "someone", "somebody", "guest", "guests", "traveller", "travellers", "traveler", "travelers",
                           "visitor", "visitors", "player", "players", "reader", "readers", "buyer", "buyers"]}},
     {"POS": "ADV", "OP": "*"}, {"LOWER": "needs"}, {"LOWER": "to"}, {"POS": "ADV", "OP": "*"},
     {"TAG": "VB", "LOWER": {"NOT_IN": ["be", "have", "know", "go", "get", "see", "happen", "run", "say"]}}],
    # "A few more towels would be appreciated" (not "Any help would be appreciated": asking for help)
    [{"POS": {"IN": ["NOUN", "PROPN"]},
      "LOWER": {"NOT_IN": HELP_NOUNS}}, {"LEMMA": {"IN": ["would", "will"]}}, *APPRECIATED[1:]],
    # "it needs to play the next song": what the product ought to do
    [{"LOWER": {"IN": ["it", "app", "this", "there"]}}, {"POS": "ADV", "OP": "*"}, {"LOWER": "needs"}, {"LOWER": "to"},
     {"POS": "ADV", "OP": "*"}, {"TAG": "VB", "LOWER": {"NOT_IN": ["be"]}}],
]

SUGGESTED = [
    # "Wouldn't it be nice to have tabs?", "would it be great if ..."
    [{"IS_SENT_START": True, "LOWER": {"IN": ["would", "wouldnt"]}}, {"NORM": "not", "OP": "?"}, {"LOWER": "it"}, {"LOWER": "be"},
     {"POS": "ADV", "OP": "*"}, {"LOWER": {"IN": GOOD}}],
    # a vote for a suggestion made before: "I second that request", "we second this"
    [{"LOWER": {"IN": ["i", "we", "also"]}}, {"LOWER": "second"}, {"LOWER": {"IN": ["that", "this", "the"]}}],
    # "Maybe offer a shuttle to the airport", "perhaps include breakfast" (not "Maybe I will try again")
    [{"IS_SENT_START": True, "LOWER": {"IN": ["maybe", "perhaps"]}}, {"IS_PUNCT": True, "OP": "?"},
     {"TAG": {"IN": ["VB", "VBP"]}, "POS": "VERB"}],
    # "It might be nice to offer late checkout", "could be useful if ..." (not "it could be better")
    [{"LOWER": {"IN": ["might", "could", "may"]}}, {"LOWER": {"IN": ["have", "'ve"]}, "OP": "?"},
     {"LOWER": {"IN": ["be", "been"]}}, {"POS": "ADV", "OP": "*"},
     {"LOWER": {"IN": [g for g in GOOD if g not in ("better", "best")]}}, {"LOWER": {"IN": ["to", "if"]}}],
]

# What the writer wants to do is their goal, not a wish for the product: "I'd like to play them in VLC instead", "would
# like to continue using it" (on the shared forums 4 of 27 so put were requests), unlike wanting to see, have or be able
# to ("would love to see a widget", "I'd like to be able to print": 18 of 26).
WANTED_TO_DO = [[{"LEMMA": "would"}, {"POS": "ADV", "OP": "*"}, {"LEMMA": {"IN": ["like", "love"]}}, {"LOWER": "to"},
                 {"TAG": "VB", "LEMMA": {"NOT_IN": ["see", "have", "get", "be", "add", "suggest", "request", "propose", "ask",
                                                    "recommend", "go", "come"]}}]]
# Help for themselves: "I'd really appreciate your help" asks for help, as "Any help would be appreciated" does.
HELP_WANTED = [[{"LEMMA": "would"}, {"POS": "ADV", "OP": "*"}, {"LEMMA": "appreciate"}, {"POS": {"IN": ["DET", "PRON"]}, "OP": "?"},
                {"LOWER": {"IN": HELP_NOUNS}}]]
