"""Constructions of English that the cue patterns (nlp/text/cues.py) are built of: ways a customer puts praise,
a complaint or a suggestion that no single word gives away ("can't get enough", "Why didn't ...?", "How hard is it
to ...?", "Be sure to ..."). spaCy Matcher token patterns; general English, not one product's or one data set's."""

from __future__ import annotations

from nlp.text.cue_words import BETWEEN_TAGS, FAILED_ACTIONS, FAIR_PRICE, FUNCTIONS, HARMS, NEG, NEGATABLE_PRAISE, PRAISE_ADJ, TIP_VERBS

# How far a quality is from another: "a lot better", "a little faster", "way worse".
BY_HOW_MUCH = [{"LOWER": "a", "OP": "?"}, {"LOWER": {"IN": ["lot", "little", "bit", "tad", "way", "much", "far"]}, "OP": "?"}]

# Advice on what to do is a suggestion, not praise: "I'd recommend bringing earplugs", "I suggest adding
# a dark mode" (recommending the product itself, "I recommend this app", stays praise).
# (spaCy's small model often tags the gerund a noun: "recommend bringing" -> NN.)
ADVISED = [[{"LEMMA": {"IN": ["recommend", "suggest", "advise"]}}, {"POS": "ADV", "OP": "*"},
            {"LOWER": {"REGEX": "^[a-z]{2,}ing$", "NOT_IN": ["everything", "anything", "something", "nothing", "thing",
                                                            "king", "ring", "string", "spring", "wing", "sing"]}}]]

# Praise put as a negation: "can't get enough", "couldn't be happier", "don't change a thing", "not bad".
PRAISED_BY_NEGATION = [
    [{"NORM": {"IN": list(NEG)}}, {"LEMMA": {"IN": ["get", "say", "recommend", "praise", "thank"]}},
     {"POS": {"IN": ["PRON", "ADV", "DET"]}, "OP": "*"}, {"LOWER": "enough"}],
    [{"NORM": {"IN": list(NEG)}}, {"LEMMA": {"IN": ["live", "do", "work", "manage"]}}, {"LOWER": "without"}],
    # "Can't get through a day without it", "don't know how I lived without this app"
    [{"NORM": {"IN": list(NEG)}}, {"LEMMA": {"IN": ["live", "do", "work", "manage", "get", "go", "survive", "function", "cope"]}},
     {"POS": {"IN": ["DET", "NOUN", "ADP", "ADV", "NUM", "ADJ"]}, "LOWER": {"NOT_IN": ["without", "wo"]}, "OP": "{0,4}"},
     {"LOWER": {"IN": ["without", "wo", "w/o"]}},
     {"LOWER": {"IN": ["it", "this", "them", "you", "u", "ya", "that"]}}],
    [{"LEMMA": "know"}, {"LOWER": "how"}, {"LOWER": {"IN": ["i", "we", "anyone", "people"]}},
     {"LEMMA": {"IN": ["live", "do", "manage", "survive", "get", "travel", "cope", "function", "go"]}},
     {"IS_PUNCT": False, "OP": "{0,3}"}, {"LOWER": "without"}],
    [{"NORM": {"IN": list(NEG)}}, {"LEMMA": "stop"}, {"TAG": "VBG"}],
    [{"NORM": {"IN": list(NEG)}}, {"LEMMA": "put"}, {"POS": "PRON"}, {"LOWER": "down"}],
    # "You can't go wrong", "I've never gone wrong with it", "can't do much better", "couldn't ask for more"
    [{"NORM": {"IN": list(NEG)}}, {"LEMMA": "go"}, {"LOWER": "wrong"}],
    [{"NORM": {"IN": list(NEG)}}, {"LEMMA": "ask"}, {"LOWER": "for"}, {"LOWER": {"IN": ["a", "any", "anything"]}, "OP": "?"},
     {"LOWER": {"IN": ["better", "more"]}}],
    [{"NORM": {"IN": list(NEG)}}, {"LEMMA": {"IN": ["do", "get", "find"]}}, {"LOWER": {"IN": ["much", "any", "a"]}, "OP": "?"},
     {"LOWER": "better"}],
    [{"NORM": {"IN": list(NEG)}}, {"LEMMA": "change"}, {"LOWER": "a"}, {"LOWER": "thing"}],
    [{"NORM": {"IN": list(NEG)}}, {"LEMMA": {"IN": ["beat", "fault"]}}],  # "You can't beat the price", "couldn't fault it"
    [{"NORM": {"IN": list(NEG)}}, {"LOWER": "be"}, {"LOWER": "any", "OP": "?"}, {"LOWER": {"IN": ["happier", "better", "easier"]}}],
    # "The staff couldn't be more helpful" (not "couldn't be more disappointed")
    [{"NORM": {"IN": list(NEG)}}, {"LOWER": "be"}, {"LOWER": "more"},
     {"LOWER": {"IN": sorted(set(PRAISE_ADJ) | set(NEGATABLE_PRAISE) | {"pleased", "satisfied", "impressed", "happy"})}}],
    [{"NORM": {"IN": list(NEG)}}, {"POS": "ADV", "OP": "?"}, {"LOWER": "bad"}],
    [{"LOWER": "never"}, {"LEMMA": {"IN": ["fail", "disappoint"]}}],
    [{"NORM": {"IN": list(NEG)}}, {"POS": {"IN": ["ADV", "AUX", "PART"]}, "OP": "*"}, {"LEMMA": "let"}, {"POS": "PRON"},
     {"LOWER": "down"}],  # "never let me down", "it hasn't let me down yet"
    # "What's not to like", "nothing I don't like about it"
    [{"LOWER": "not"}, {"LOWER": "to"}, {"LEMMA": {"IN": ["like", "love"]}}],
    [{"LOWER": "nothing"}, {"POS": "PRON", "OP": "?"}, {"POS": "AUX", "OP": "*"}, {"NORM": "not"}, {"LEMMA": {"IN": ["like", "love"]}}],
]

# Idioms that only look negated: "can't wait for the new season", "not gonna lie", "can't believe how fast it
# came" (how it came says the rest: "can't believe how slow it is" is slow).
LOOKS_NEGATED = [
    [{"NORM": {"IN": list(NEG)}}, {"LEMMA": "wait"}, {"LOWER": {"IN": ["for", "to", "till", "until", "!"]}}],
    [{"NORM": {"IN": list(NEG)}}, {"LOWER": {"IN": ["gon", "gonna", "going"]}}, {"LOWER": {"IN": ["na", "to"]}, "OP": "?"},
     {"LOWER": "lie"}],
    [{"NORM": {"IN": list(NEG)}}, {"LEMMA": "believe"}, {"LOWER": "how"}],
    # lost but for the product: "I would be lost without it", "would've lost hundreds of photos if it wasn't for this app"
    [{"LEMMA": "would"}, {"LOWER": {"IN": ["have", "'ve", "be"]}}, {"LOWER": "been", "OP": "?"}, {"LOWER": "lost"}],
    # a chore gone: "No more lugging the laptop around", "no more waiting for checks"
    [{"LOWER": "no"}, {"LOWER": "more"}, {"TAG": "VBG"}],
    # "It could be worse", "could have been a lot worse": it is bearable
    [{"LEMMA": "could"}, {"LOWER": {"IN": ["have", "'ve"]}, "OP": "?"}, {"LOWER": {"IN": ["be", "been"]}}, *BY_HOW_MUCH, {"LOWER": "worse"}],
]

# Praise that a negation turns round: "would not recommend", "don't like", "not worth it", "not as good as".
NEGATED_PRAISE = [
    [{"NORM": {"IN": list(NEG)}}, {"POS": {"IN": ["ADV", "AUX", "PART"]}, "OP": "{0,3}"}, {"LOWER": "user", "OP": "?"},
     {"TEXT": "-", "OP": "?"}, {"LEMMA": {"IN": NEGATABLE_PRAISE}}],
    [{"NORM": {"IN": list(NEG)}}, {"LOWER": {"IN": ["as", "so"]}}, {"POS": "ADJ"}, {"LOWER": "as"}],
    [{"NORM": {"IN": list(NEG)}}, {"POS": {"IN": ["ADV", "AUX", "PART", "DET"]}, "OP": "{0,3}"}, {"LOWER": {"IN": FAIR_PRICE}}],
]

# Better once than now: "I loved it until the update", "used to be great", "used to work".
PAST_PRAISE = [
    [{"LEMMA": {"IN": ["love", "like", "enjoy", "work"]}, "TAG": {"IN": ["VBD", "VBN"]}}, {"IS_PUNCT": False, "OP": "{0,4}"},
     {"LOWER": "until"}],
    [{"LEMMA": "use"}, {"LOWER": "to"}, {"LOWER": {"IN": ["be", "love", "like", "work", "enjoy"]}}],
]

# Failing again and again: "keeps crashing", "keep getting an error"; not "keeps getting better", "keeps improving".
KEEPS_FAILING = [
    [{"LEMMA": "keep"}, {"LOWER": "on", "OP": "?"}, {"TAG": "VBG", "LEMMA": {"NOT_IN": ["get", "improve"]}}],
    [{"LEMMA": "keep"}, {"LOWER": "on", "OP": "?"}, {"LOWER": "getting"}, {"LOWER": {"NOT_IN": ["better", "more"]}}],
]


def _gerund(verb: str) -> str:
    if verb in ("run", "log", "stop"):
        return verb + verb[-1] + "ing"
    return (verb[:-1] if verb.endswith("e") and not verb.endswith("ee") else verb) + "ing"


# What the product stopped doing: "It stopped working", "Stopped syncing since iOS 7", "Quit working for all
# practical purposes" (spaCy's small model tags some of these a name or a noun, so they are matched as written).
# Not "I stopped using it" (the customer's own doing), "never stopped working", "stopped charging me twice".
STOPPED = {"LOWER": {"IN": ["stopped", "stops", "quit", "quits", "ceased", "ceases"]}}
DOING = {"LOWER": {"IN": [_gerund(v) for v in FUNCTIONS if v not in ("charge", "use")]}}
STOPPED_DOING = [
    [{"LOWER": {"NOT_IN": ["i", "we"]}, "NORM": {"NOT_IN": list(NEG)}}, STOPPED, {"POS": "ADV", "OP": "*"}, DOING],
    [{**STOPPED, "IS_SENT_START": True}, {"POS": "ADV", "OP": "*"}, DOING],
]

# Asking why something did not happen reports that it did not: "Why didn't the ATM give me all my money?",
# "Why isn't my top-up working?", "Why is my card not working?"; not "Why don't you add ...?" nor "Why
# isn't there ...?" (suggestions). The verb is left open: spaCy's small model tags many of them nouns.
NOT_ASKING_FOR = {"LOWER": {"NOT_IN": ["you", "u", "ya", "they", "we", "there"]}}
SUBJECT = {"TAG": {"IN": BETWEEN_TAGS + ["PRP", "HYPH"]}}
WHY_NOT_DONE = [
    [{"LOWER": "why"}, {"POS": "AUX"}, {"NORM": "not"}, {**SUBJECT, **NOT_ASKING_FOR}],
    [{"LOWER": "why"}, {"POS": "AUX"}, {**SUBJECT, **NOT_ASKING_FOR}, {**SUBJECT, "OP": "{0,3}"},
     {"NORM": {"IN": ["not", "never"]}}],
    [{"LOWER": "how"}, {"LOWER": "come"}, {**SUBJECT, **NOT_ASKING_FOR}, {**SUBJECT, "OP": "{0,3}"}, {"POS": "AUX"},
     {"NORM": {"IN": ["not", "never"]}}],
]
# Asking whether or why a service did what went wrong tells that it did: "Why did the ATM swallow my card?",
# "Did you cancel my order?" (not "Did I cancel it?").
DID_FAIL = [[{"LEMMA": "do", "TAG": "VBD"}, {**SUBJECT, "LOWER": {"NOT_IN": ["i", "we"]}}, {**SUBJECT, "OP": "{0,3}"},
             {"LEMMA": {"IN": FAILED_ACTIONS}, "TAG": "VB"}]]

# "Thanks for nothing", "thanks for losing my bag": sarcasm, a complaint (not "thanks for fixing it").
SARCASTIC_THANKS = [
    [{"LOWER": {"IN": ["thanks", "thank", "thx", "ty"]}}, {"LOWER": {"IN": ["you", "u", "a", "lot", "so", "much"]}, "OP": "*"},
     {"LOWER": "for"}, {"LOWER": {"IN": ["nothing", "nada"]}}],
    [{"LOWER": {"IN": ["thanks", "thank", "thx", "ty"]}}, {"LOWER": {"IN": ["you", "u", "a", "lot", "so", "much"]}, "OP": "*"},
     {"LOWER": "for"}, {"LEMMA": {"IN": HARMS}, "TAG": "VBG"}],
]
# A rating put in words at the bottom of the scale: "Zero stars if I could", "one star because ...".
LOW_MARKS = ["zero", "0", "no", "negative", "minus", "one", "1", "half"]
RATED_LOW = [[{"LOWER": {"IN": LOW_MARKS}}, {"LEMMA": "star"}],
             [{"LEMMA": "give"}, {"POS": "PRON", "OP": "?"}, {"LOWER": "a", "OP": "?"}, {"LOWER": {"IN": ["zero", "0"]}}]]
# The lowest mark, had the customer been let give it ("I would give it zero stars if I could", "I'd give it a zero
# if it would allow me"), wants nothing: no request cue inside it, to the end of its clause.
LOWEST_IF_ALLOWED = [[{"LEMMA": "would"}, {"LOWER": "give"}, {"POS": "PRON", "OP": "?"}, {"LOWER": "a", "OP": "?"},
                      {"LOWER": {"IN": LOW_MARKS}}, {"IS_PUNCT": False, "OP": "*"}]]

# "Why not let users pin apps?": a suggestion, not a failure of "let" (tagger.cue_counts drops the
# failure cues that start at its "not").
WHY_NOT_TRY = [[{"LOWER": "why"}, {"LOWER": "not"}, {"TAG": "VB"}]]

# Told to someone: at a sentence's start, after an adverb ("Just ...") or a handle ("@airline ...").
def told(first: dict, *rest: dict) -> list[list[dict]]:
    return [[{**first, "IS_SENT_START": True}, *rest],
            [{"IS_SENT_START": True, "POS": "ADV"}, first, *rest],
            [{"IS_SENT_START": True, "ORTH": {"REGEX": "^@"}}, first, *rest]]

# Advice to whoever reads the feedback is a suggestion too (suggestion mining counts tips to fellow customers):
# "You should ask for a room upstairs", "Be sure to book early", "Don't miss the breakfast".
ADVICE = [
    [{"LOWER": {"IN": ["you", "u"]}}, {"POS": "ADV", "OP": "*"}, {"LOWER": {"IN": ["should", "must"]}},
     {"POS": "ADV", "OP": "*"}, {"TAG": "VB", "LOWER": {"NOT_IN": ["be", "have"]}}],
    # "You have to try the pasta", "you've got to visit the rooftop bar" (not "you have to pay for parking")
    [{"LOWER": {"IN": ["you", "u"]}}, {"POS": "ADV", "OP": "*"}, {"LOWER": {"IN": ["have", "'ve", "got", "gotta", "need"]}},
     {"LOWER": {"IN": ["got", "to"]}, "OP": "{0,2}"}, {"POS": "ADV", "OP": "*"},
     {"TAG": "VB", "LEMMA": {"IN": ["try", "visit", "see", "check", "taste", "sample", "experience", "explore", "book", "reserve",
                                   "order", "eat", "dine", "grab", "skip", "avoid", "splurge"]}}],
    [{"LOWER": "be"}, {"LOWER": "sure"}, {"LOWER": "to"}],
    [{"LEMMA": "make"}, {"LOWER": "sure"}],
    [{"LOWER": {"IN": ["do", "don't", "dont"]}}, {"NORM": "not", "OP": "?"}, {"LEMMA": {"IN": ["miss", "forget"]}}],
    *told({"LOWER": "remember"}, {"LOWER": "to"}, {"TAG": "VB"}),
    # "It's best to book early", "you're better off taking a taxi"
    [{"LEMMA": "be"}, {"LOWER": {"IN": ["best", "better", "wise", "wiser", "advisable"]}}, {"LOWER": "to"}, {"TAG": "VB"}],
    [{"LOWER": "better"}, {"LOWER": "off"}, {"TAG": "VBG"}],
]
# The negation in advice denies no function and wants nothing: "Don't forget to ask for ...", "No need to rent a car".
ADVICE_NEGATION = [[{"LOWER": {"IN": ["do", "don't", "dont"]}}, {"NORM": "not", "OP": "?"}, {"LEMMA": {"IN": ["miss", "forget"]}}],
                   [{"LOWER": "no"}, {"LOWER": "need"}, {"LOWER": "to"}]]
# What a thing lacks, put as what it could use: "The breakfast could use more variety", "They could use more staff";
# not "you could use the search box" (an instruction) nor "I could use some help".
NOT_USER = {"LOWER": {"NOT_IN": ["you", "u", "i", "we", "one", "ya"]}}
LACKS = [{"POS": "ADV", "OP": "*"}, {"LOWER": "use"},
         {"LOWER": {"IN": ["a", "an", "more", "some", "better", "another", "improvement", "improvements", "work", "updating",
                           "fixing", "polish"]}}]
COULD_USE = [[NOT_USER, {"LEMMA": {"IN": ["could", "can"]}}, *LACKS],
             [{"LEMMA": {"IN": ["could", "can"]}, "IS_SENT_START": True}, *LACKS]]
# "You could use the search box to find it": how to, told to a user, wants nothing of the maker.
HOW_TO_USE = [[{"LOWER": {"IN": ["you", "u"]}}, {"LEMMA": {"IN": ["could", "can", "may"]}}, {"POS": "ADV", "OP": "*"}, {"LOWER": "use"}]]
# A sentence that opens on a bare verb tells someone what to do: weakly a suggestion, whoever it is for
# ("Ask for a room upstairs", "Try the pancakes"); not a feeling with its subject left out ("Love it"), nor a
# review's title the tagger reads as a verb ("Perfect A perfect messenger").
# Also after a word that leans on it ("Definitely ask for ...", "Just try ...") or a condition first ("If you stay
# here, ask for a room upstairs").
# Nor a step of an instruction on using software ("Click Add Application", "Select the General panel", "Restart your
# computer"): support answers are full of them, and they suggest nothing to the maker or to fellow customers.
OPERATION_VERBS = ["click", "select", "press", "tap", "type", "scroll", "navigate", "drag", "paste", "copy", "load", "reload",
                   "restart", "reboot", "reinstall", "uninstall", "run", "quit", "exit", "close", "open", "launch", "enter",
                   "hold", "delete", "clear", "refresh", "search", "go", "look", "check", "follow", "locate",
                   "find", "scan", "right", "double", "toggle", "uncheck", "hover", "log", "sign"]
BARE_VERB = {"TAG": "VB", "LEMMA": {"NOT_IN": ["love", "like", "enjoy", "hate", "thank", "be", "have", "do", "wish", "hope",
                                              "need", "want", "think", "guess", "know", "see", "say", "mean", "agree",
                                              "recommend"] + PRAISE_ADJ + OPERATION_VERBS}}
NOT_LEANING = ["why", "how", "where", "when", "not", "never"]  # asks or denies rather than leans on the verb
CONDITION_FIRST = [{"IS_SENT_START": True, "LOWER": {"IN": ["if", "when", "once", "before", "while"]}},
                   {"IS_PUNCT": False, "OP": "{1,8}"}, {"ORTH": ","}]
IMPERATIVE = [[{"IS_SENT_START": True, **BARE_VERB}],
              [{"IS_SENT_START": True, "POS": "ADV", "LOWER": {"NOT_IN": NOT_LEANING}}, BARE_VERB],
              [*CONDITION_FIRST, BARE_VERB]]

# Advice with a verb of choosing, booking or bringing is a suggestion to fellow customers, not an instruction:
# "Ask for a room upstairs", "Definitely book early", "If you go, bring earplugs"; not a title in capitals.
TIP_VERB = {"TAG": "VB", "LEMMA": {"IN": TIP_VERBS}, "IS_UPPER": False}
# not a name ("Stay Connected"), nor a warning off the thing reviewed ("Avoid this hotel", "Stay away", "Avoid at all costs")
LOWER_WORD = {"IS_UPPER": False, "IS_TITLE": False, "IS_PUNCT": False,
              "LOWER": {"NOT_IN": ["this", "that", "these", "those", "it", "them", "away", "at", "like"]}}
TIP = [[{"IS_SENT_START": True, **TIP_VERB}, LOWER_WORD],
       # the small parser reads a sentence's first verb as a name before "a" or "early" ("Book early")
       [{"IS_SENT_START": True, "TAG": "NNP", "LOWER": {"IN": TIP_VERBS}}, {"POS": {"IN": ["DET", "ADV"]}, **LOWER_WORD}],
       [{"IS_SENT_START": True, "LEMMA": "try", "TAG": "VB"}, {"POS": "DET", **LOWER_WORD}],
       [{"IS_SENT_START": True, "LEMMA": "go", "TAG": "VB"}, {"LOWER": "for"}, LOWER_WORD],  # "Go for the sea view room"
       # "Take the tram", not a step of an instruction ("Take a look", "Take a screenshot") nor an example given
       # ("Take the case of our Monday report", "Take our sales team")
       [{"IS_SENT_START": True, "LEMMA": "take", "TAG": "VB"}, {"LOWER": {"IN": ["the", "a", "an"]}},
        {"LOWER": {"NOT_IN": ["look", "screenshot", "screen", "picture", "photo", "note", "minute", "moment", "second",
                              "backup", "copy", "peek", "glance", "break", "example", "case", "instance"]},
         "POS": {"IN": ["NOUN", "PROPN", "ADJ"]}}],
       # (an adverb of how often tells a habit: "Always get great comments")
       [{"IS_SENT_START": True, "POS": "ADV", "LOWER": {"NOT_IN": NOT_LEANING + ["always", "usually", "often", "sometimes",
                                                                                "rarely", "still", "now", "then", "also"]}},
        TIP_VERB, LOWER_WORD],
       [*CONDITION_FIRST, TIP_VERB]]

# Warning others off the thing itself is a complaint: "Avoid this hotel", "Stay away!", "@airline avoid it like the
# plague"; told at a sentence's start, after an adverb or a handle ("Just avoid it"), not "a setting to avoid this".
WARNED_OFF = [*told({"LEMMA": {"IN": ["stay", "keep"]}}, {"LOWER": "away"}),
              *told({"LEMMA": "avoid"}, {"LOWER": {"IN": ["this", "these", "that", "those", "it", "them", "at"]}}),
              [{"LOWER": "like"}, {"LOWER": "the"}, {"LOWER": "plague"}]]

# What a customer demands of a service that fails them is a complaint: "Get your act together", "Sort it out",
# "Pick up the phone!", "Do better" (told, not "I managed to sort it out myself").
DEMANDS = [[{"LEMMA": "get"}, {"LOWER": {"IN": ["your", "ur", "their"]}}, {"LOWER": {"IN": ["act", "shit", "stuff"]}},
            {"LOWER": "together"}],
           *told({"LEMMA": "sort"}, {"LOWER": {"IN": ["it", "this", "yourselves", "yourself", "things"]}}, {"LOWER": "out"}),
           *told({"LEMMA": "pick"}, {"LOWER": "up"}, {"LOWER": {"IN": ["the", "your", "ur"]}}, {"LEMMA": "phone"}),
           *told({"LOWER": "do"}, {"LOWER": "better"})]

# A quality put short of where it ought to be, as what it could be ("The staff could be more friendly", "Could be
# faster", "The menu should be less cluttered", "it needs to be more stable"): a wish, however kind its words
# ("friendly", "better" lean the mood to praise). Not "could be worse" (it is fine) nor "could have been" (looking back).
MODAL_WISH = {"LEMMA": {"IN": ["could", "should"]}}  # not "might be easier than ...": a guess
NOT_DENIED = {"POS": "ADV", "NORM": {"NOT_IN": list(NEG)}, "OP": "*"}  # "couldn't be happier" is praise
COMPARED = [[{"TAG": "JJR", "LOWER": {"NOT_IN": ["worse", "more", "less"]}}], [{"LOWER": {"IN": ["more", "less"]}}, {"POS": "ADJ"}]]
SHORT_OF_DESIRED = [[*wish, NOT_DENIED, {"LOWER": "be"}, NOT_DENIED, *BY_HOW_MUCH, *compared]
                    for wish in ([MODAL_WISH], [{"LEMMA": "need"}, {"LOWER": "to"}]) for compared in COMPARED]

# What should have happened and did not ("I should have read the reviews", "it should have been fixed by now",
# "you should've seen the room") looks back: no wish for what is to come, whatever the verb after it.
COUNTERFACTUAL = [[{"LOWER": {"IN": ["you", "u"]}, "OP": "?"}, {"LEMMA": "should"}, {"POS": "ADV", "OP": "*"},
                   {"LOWER": {"IN": ["have", "'ve", "\u2019ve", "of"]}}, {"POS": "ADV", "OP": "*"}, {"TAG": "VBN"}]]

# What got worse, asked about (RHETORICAL).
WORSENED = ["higher", "slower", "worse", "longer", "harder", "pricier", "costlier", "laggier", "buggier", "smaller"]

# A complaint put as a question that wants no answer: "How hard is it to answer the phone?", "Is it too much
# to ask?", "What's the point of ...?", "How is this acceptable?", "Why do I even bother?", "How many times do I
# have to call?", "Who designed this?", "How does that even happen?".
WH = {"LOWER": {"IN": ["how", "why", "what", "who"]}}
RHETORICAL = [
    # "£50 to print a boarding pass? Seriously?", "Are you kidding me?"
    [{"IS_SENT_START": True, "LOWER": {"IN": ["seriously", "srsly", "really"]}}, {"IS_PUNCT": True, "ORTH": {"REGEX": "^[?!]*\\?[?!]*$"}}],
    [{"LOWER": "are"}, {"LOWER": {"IN": ["you", "u"]}}, {"LOWER": {"IN": ["serious", "kidding", "joking", "stupid", "crazy",
                                                                     "insane", "nuts"]}}],
    [{"LOWER": "how"}, {"LOWER": {"IN": ["hard", "difficult"]}}, {"LEMMA": {"IN": ["be", "can"]}}],
    [{"LOWER": "too"}, {"LOWER": "much"}, {"LOWER": "to"}, {"LOWER": "ask"}],
    # "The host cancelled two days before the trip, now what?": left stranded
    [{"LOWER": "now"}, {"LOWER": "what"}, {"ORTH": {"REGEX": "^[?!]*\\?[?!]*$"}}],
    [{"LOWER": "what"}, {"LOWER": "now"}, {"ORTH": {"REGEX": "^[?!]*\\?[?!]*$"}}],
    [{"LOWER": "what"}, {"LEMMA": "be"}, {"LOWER": "the"}, {"LOWER": "point"}],
    [{"LOWER": "how"}, {"LEMMA": "be"}, {"LOWER": {"IN": ["this", "that", "it"]}}, {"POS": "ADV", "OP": "*"},
     {"LOWER": {"IN": ["acceptable", "ok", "okay", "legal", "fair", "allowed", "right", "normal"]}}],
    [{"LOWER": "why"}, {"LEMMA": {"IN": ["do", "would", "should"]}}, {"LOWER": {"IN": ["i", "we", "anyone", "anybody"]}},
     {"LOWER": {"IN": ["even", "ever", "bother"]}}],
    [{"LOWER": "how"}, {"LOWER": "many"}, {"LOWER": {"IN": ["times", "more"]}},
     {"LEMMA": {"IN": ["do", "must", "shall", "will"]}}, {"LOWER": {"IN": ["i", "we"]}}],
    [{"LOWER": "who"}, {"LOWER": {"IN": ["designed", "approved", "thought", "decided", "signed"]}}],
    [WH, {"POS": "AUX"}, {"IS_PUNCT": False, "OP": "{1,3}"}, {"LOWER": "even"}],
    [{"LOWER": "how"}, {"LEMMA": {"IN": ["do", "can", "could"]}}, {"LOWER": {"IN": ["you", "they", "u"]}}, {"LOWER": "even", "OP": "?"},
     {"LEMMA": {"IN": ["lose", "forget", "mess", "screw", "break", "ignore"]}}],
    # asking why something is so much so: "Why is my bill so high?", "Why is the font so small?" (not "so good")
    [{"LOWER": "why"}, {"POS": "AUX"}, {"IS_PUNCT": False, "OP": "{0,4}"}, {"LOWER": "so"},
     {"POS": {"IN": ["ADJ", "ADV"]}, "LOWER": {"NOT_IN": NEGATABLE_PRAISE + ["much", "many", "good", "nice", "cool", "popular", "cheap"]}}],
    [{"LOWER": "why"}, {"POS": "AUX"}, {"IS_PUNCT": False, "OP": "{0,4}"}, {"LEMMA": "take"}, {"LOWER": {"IN": ["so", "this", "that"]}},
     {"LOWER": "long"}],
    # asking why something got worse: "Why is my bill $50 higher this month?", "why is it slower after the update"
    [{"LOWER": "why"}, {"POS": "AUX"}, {"IS_PUNCT": False, "OP": "{0,5}"}, {"LOWER": {"IN": WORSENED}}],
    [{"LOWER": "why"}, {"POS": "AUX"}, {"IS_PUNCT": False, "OP": "{0,5}"}, {"LOWER": "more"},
     {"LOWER": {"IN": ["expensive", "complicated", "difficult", "confusing", "cluttered"]}}],
    # asking whether anyone will ever answer: "Is anyone going to answer my DM?", "Does anybody read these?"
    # (not "Does anyone know how ...?", "Can someone help me?": those ask)
    [{"LEMMA": {"IN": ["be", "do", "will"]}}, {"LOWER": {"IN": ["anyone", "anybody", "someone", "somebody"]}},
     {"LOWER": {"IN": ["ever", "going", "gonna", "actually", "even", "there", "to", "please"]}, "OP": "*"},
     {"LEMMA": {"IN": ["answer", "respond", "reply", "read", "care", "listen"]}}],
    # "Do you even care about your customers?", "do they even test their updates?"
    [{"LEMMA": "do"}, {"LOWER": {"IN": ["you", "u", "they", "anyone", "anybody"]}}, {"LOWER": "even"},
     {"LEMMA": {"IN": ["care", "read", "listen", "test", "try", "check", "bother", "work"]}}],
    # asking where what is owed has got to: "Where is my refund?", "where's my package??" (not "Where is my PIN?",
    # "where can I find ...": those ask where to look)
    [{"LOWER": "where"}, {"LEMMA": "be"}, {"LOWER": {"IN": ["my", "our", "the"]}}, {"POS": "ADJ", "OP": "*"},
     {"LEMMA": {"IN": ["order", "package", "parcel", "delivery", "shipment", "refund", "money", "fund", "payment",
                       "deposit", "bag", "luggage", "suitcase", "food", "item", "stuff", "cheque", "reimbursement",
                       "compensation", "replacement", "meal"]}}],
    # asking whether others have the problem too: "Is anyone else having issues with the app?"
    [{"LOWER": {"IN": ["anyone", "anybody", "someone", "somebody", "everyone", "everybody"]}}, {"LOWER": "else"},
     {"LOWER": {"IN": ["having", "experiencing", "getting", "seeing", "facing", "had", "experienced", "noticed", "get"]}}],
]

# Wanting to come back, or to thank, is no request of the maker: "We would love to come back", "would definitely stay
# here again", "I'd like to thank the staff", "I wish we could have stayed longer", "will be back". Praise; the request
# cues inside such a phrase ("would love", "wish") are dropped (tagger.cue_counts).
AGAIN_VERBS = ["stay", "go", "come", "visit", "return", "book", "buy", "use", "choose", "recommend", "order", "fly",
               "eat", "shop", "download", "purchase", "pick"]
NOT_NEGATED = {"POS": {"IN": ["ADV", "PART"]}, "NORM": {"NOT_IN": list(NEG)}, "OP": "*"}  # "would not come back"
# "come back", "be back"; "go back" but not "go back to the old version" (a request)
# What a product could gain: the objects of a change a customer waits, hopes or asks for.
PRODUCT_NOUNS = ["feature", "option", "version", "update", "mode", "support", "integration", "widget", "release",
                 "setting", "function", "functionality", "button", "edition", "port", "ability", "shortcut", "theme",
                 "extension", "plugin", "add-on", "addon", "improvement", "upgrade", "fix"]
LEADING_NOUN = {"POS": {"IN": ["DET", "ADJ", "NOUN", "PROPN", "NUM", "PRON"]}, "OP": "{0,3}"}
# A change waited or hoped for is wished for: "Hoping for an iPad version", "been waiting for this feature for
# years" (not "waiting for my refund", not come yet; nor "waiting for the update to finish": AWAITED_OUT).
# (spaCy's small model lemmatises "hoping" to "hop".)
HOPE = {"LOWER": {"IN": ["hope", "hopes", "hoped", "hoping"]}}
AWAITED = [[HOPE, {"LOWER": "for"}, LEADING_NOUN, {"LEMMA": {"IN": PRODUCT_NOUNS}}],
           [{"LEMMA": "wait"}, {"LOWER": "for"}, LEADING_NOUN, {"LEMMA": {"IN": PRODUCT_NOUNS}}]]
AWAITED_OUT = [[{"LEMMA": "wait"}, {"LOWER": "for"}, LEADING_NOUN, {"LEMMA": {"IN": PRODUCT_NOUNS}}, {"LOWER": "to"}]]
# A change asked for as whether it can be made: "Is it possible to add an option to ...?", "Any plans to support
# tablets?" (not "is it possible to add money by cheque?", nor "possible to enable ...?": questions of how).
ASKED_IF_POSSIBLE = [
    [{"LOWER": {"IN": ["possible", "feasible"]}}, {"LOWER": "for", "OP": "?"}, {"POS": "PRON", "OP": "?"}, {"LOWER": "to"},
     {"LEMMA": "add"}, LEADING_NOUN, {"LEMMA": {"IN": PRODUCT_NOUNS}}],
    [{"LOWER": {"IN": ["possible", "feasible"]}}, {"LOWER": "for", "OP": "?"}, {"POS": "PRON", "OP": "?"}, {"LOWER": "to"},
     {"LEMMA": {"IN": ["implement", "introduce", "incorporate"]}}],
    [{"LEMMA": "plan", "POS": "NOUN"}, {"LOWER": {"IN": ["to", "for"]}},
     {"LEMMA": {"IN": ["add", "support", "implement", "introduce", "release", "bring", "offer", "integrate", "include",
                       "port", "adding", "supporting"]}}],
    [{"LOWER": "any"}, {"LEMMA": "plan", "POS": "NOUN"}],
]

BACKS = [[{"LEMMA": {"IN": ["come", "be"]}}, {"LOWER": "back"}], [{"LEMMA": "go"}, {"LOWER": "back"}, {"LOWER": {"NOT_IN": ["to"]}}]]
RETURNING = [
    *([{"LEMMA": {"IN": ["would", "will"]}}, NOT_NEGATED, {"LEMMA": {"IN": ["love", "like"]}},
       {"LOWER": "to"}, {"POS": "ADV", "OP": "*"}, *back] for back in BACKS),
    [{"LEMMA": {"IN": ["would", "will"]}}, NOT_NEGATED, {"LEMMA": {"IN": ["love", "like"]}},
     {"LOWER": "to"}, {"POS": "ADV", "OP": "*"}, {"LEMMA": {"IN": ["return", "thank", "commend", "praise", "congratulate"]}}],
    *([{"LEMMA": {"IN": ["would", "will"]}}, NOT_NEGATED, *back] for back in BACKS),
    [{"LEMMA": {"IN": ["would", "will"]}}, NOT_NEGATED, {"LEMMA": "return"}],
    [{"LEMMA": {"IN": ["would", "will"]}}, NOT_NEGATED, {"LEMMA": {"IN": AGAIN_VERBS}},
     {"IS_PUNCT": False, "LOWER": {"NOT_IN": ["if", "but", "unless", "when", "once"]}, "OP": "{0,5}"}, {"LOWER": "again"}],
    [{"LEMMA": "wish"}, {"LOWER": {"IN": ["i", "we"]}}, {"LOWER": {"IN": ["could", "had", "'d"]}}, {"LOWER": "have", "OP": "?"},
     {"TAG": "VBN"}, {"IS_PUNCT": False, "OP": "{0,4}"}, {"LOWER": {"IN": ["longer", "sooner", "earlier", "more"]}}],
]

# What a customer could not do, put with a modal: "I can't add any more money", "couldn't cancel my subscription",
# "won't turn on" (using a product or a service; not "can't stop playing", "can't beat the price", "can't wait").
USER_ACTIONS = ["add", "edit", "delete", "remove", "submit", "create", "attach", "enter", "top", "transfer", "redeem",
                "claim", "book", "cancel", "unlock", "unblock", "reset", "restore", "retrieve", "recover", "search", "share",
                "stream", "watch", "view", "hear", "type", "select", "click", "tap", "swipe", "zoom", "copy", "paste", "move",
                "rename", "convert", "upgrade", "purchase", "pay", "deposit", "reach", "contact", "call", "set", "switch",
                "turn", "post", "comment", "message", "chat", "scan", "check", "order", "return", "reorder"]
CANNOT_DO = [[{"LEMMA": {"IN": ["can", "could", "will", "would"]}}, {"NORM": "not"}, {"POS": "ADV", "OP": "*"},
              {"LEMMA": {"IN": USER_ACTIONS}, "TAG": "VB"}]]
# What a service shows for a failure, or a charge shown more than once: "it says declined", "the app shows failed",
# "My transaction is showing several times".
SHOWN_FAILED = [[{"LEMMA": {"IN": ["say", "show", "read"]}}, {"LOWER": {"IN": ["declined", "failed", "rejected", "denied",
                                                                           "cancelled", "canceled", "error", "invalid"]}}],
                [{"LEMMA": {"IN": ["show", "appear", "post", "go"]}}, {"LOWER": {"IN": ["up", "through"]}, "OP": "?"},
                 {"LOWER": {"IN": ["several", "multiple", "two", "three", "many"]}}, {"LOWER": "times"}]]
# A charge the customer did not make: "a fee I didn't authorize", "I did not make this payment", "I never ordered this";
# a fee or a charge found on one's statement, or charged to one ("I was charged a cancellation fee").
NOT_MINE = [[{"LOWER": {"IN": ["i", "we"]}}, {"LEMMA": "do", "OP": "?"}, {"NORM": {"IN": ["not", "never"]}},
             {"LEMMA": {"IN": ["authorize", "authorise", "recognize", "recognise", "make", "order", "request", "approve",
                               "sign"]}}],
            [{"LEMMA": {"IN": ["charge", "fee", "debit"]}, "POS": "NOUN"}, {"LOWER": {"IN": ["on", "in"]}},
             {"LOWER": {"IN": ["my", "our"]}}, {"LEMMA": {"IN": ["statement", "account", "card", "bill", "invoice"]}}],
            [{"LEMMA": {"IN": ["be", "get"]}}, {"LOWER": "charged"}, {"POS": {"IN": ["DET", "ADJ", "NOUN", "NUM", "SYM"]}, "OP": "{0,3}"},
             {"LEMMA": {"IN": ["fee", "charge", "penalty", "surcharge"]}}]]
# A thing that died broke down ("the battery dies by noon", "my phone died after the update"); a person dying is
# laughter or longing ("I'm dying, this ad is hilarious").
DIED = [[{"LEMMA": {"IN": ["battery", "phone", "app", "device", "laptop", "screen", "charger", "computer", "tablet", "it",
                           "server", "system", "console", "controller", "headphone", "earbud", "speaker", "mouse",
                           "keyboard", "printer", "router", "modem", "camera", "watch", "card", "drive", "disk"]}},
         {"POS": {"IN": ["AUX", "ADV", "PART"]}, "OP": "*"}, {"LEMMA": "die"}]]
# What ought to have happened by now and has not: "It should have arrived by now", "my refund should have been
# processed", "it's not here by now".
OVERDUE = [[{"LEMMA": "should"}, {"LOWER": {"IN": ["have", "'ve"]}}, {"LOWER": "been", "OP": "?"},
            {"LEMMA": {"IN": ["arrive", "come", "deliver", "ship", "receive", "process", "refund", "credit", "show", "update",
                              "post", "clear", "transfer", "reach", "fix", "resolve", "return", "send", "complete", "approve",
                              "answer", "reply", "respond", "call"]}, "TAG": "VBN"}],
           [{"LOWER": "by"}, {"LOWER": "now"}],
           # "my package was supposed to arrive today", "it was supposed to be waterproof"
           [{"LOWER": {"IN": ["was", "were"]}}, {"LOWER": "supposed"}, {"LOWER": "to"}]]
