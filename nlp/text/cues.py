"""Cue patterns over the spaCy parse for what a customer said: token patterns (spaCy Matcher) keyed
"<kind>:<strength>" or "severity:<reason>", built of the word lists in nlp/text/cue_words.py (the embedding
side's prototype sentences are in nlp/text/prototypes.py) and the constructions in nlp/text/constructions.py
(praise put as a negation, a complaint put as a question, advice). General English, not words of one product or one data set."""

from __future__ import annotations

from nlp.text.cue_words import (  # noqa: F401 (NEG is read by bench/kind_features.py)
    ASK_VERBS, BETWEEN_TAGS, BREAKDOWN_VERBS, DISPRAISE, FAILED_ACTIONS, FAIR_PRICE, FUNCTIONS, GOOD, NEG, EXPECTED,
    PRAISE_ADJ, PRICE_NOUNS, PROBLEM_ADJ, PROBLEM_NOUNS, RESOLVE_VERBS, SERVICE_VERBS, SHORT_OF, TIME_UNITS,
)

from nlp.text.service_failures import CHARGED_WRONG, DONE_WRONG, WAITED_LONG
from nlp.text.suggestions import APPRECIATED, HELP_NOUNS, HELP_WANTED, OUGHT_TO, SUGGESTED, WANTED_TO_DO
from nlp.text.constructions import (
    ADVICE, ADVICE_NEGATION, ADVISED, ASKED_IF_POSSIBLE, AWAITED, AWAITED_OUT, CANNOT_DO, COULD_USE, COUNTERFACTUAL, DEMANDS, DID_FAIL, DIED,
    HOW_TO_USE, IMPERATIVE, KEEPS_FAILING, LOOKS_NEGATED, LOWEST_IF_ALLOWED, NEGATED_PRAISE, NOT_MINE, OVERDUE, PAST_PRAISE,
    PRAISED_BY_NEGATION, RATED_LOW, RETURNING, RHETORICAL, SARCASTIC_THANKS, SHORT_OF_DESIRED, SHOWN_FAILED, STOPPED_DOING,
    TIP, WARNED_OFF, WHY_NOT_DONE, WHY_NOT_TRY,
)

ERASED = {"LEMMA": {"IN": ["delete", "wipe", "erase", "remove"]}, "TAG": {"IN": ["VBN", "VBD"]}}

# What a poster asks of readers, thanked for in advance: "Any help would be appreciated" asks, and praises nothing.
HELP_APPRECIATED = [[{"LOWER": {"IN": HELP_NOUNS}}, {"IS_PUNCT": False, "OP": "{0,4}"}, *APPRECIATED]]

PATTERNS: dict[str, list[list[dict]]] = {
    "request:not": RETURNING + COUNTERFACTUAL + LOWEST_IF_ALLOWED + AWAITED_OUT + ADVICE_NEGATION[1:] + HOW_TO_USE + DEMANDS
    + WANTED_TO_DO + HELP_WANTED,
    "pain:not": LOOKS_NEGATED + ADVICE_NEGATION,
    "praise:not": HELP_APPRECIATED + HELP_WANTED,
    "request:strong": [
        [{"LEMMA": "wish"}],
        *ADVICE,
        *ADVISED,
        *TIP,
        *SHORT_OF_DESIRED,
        *AWAITED,
        *ASKED_IF_POSSIBLE,
        *COULD_USE,
        [{"LOWER": {"IN": ["my", "our", "one"]}}, {"LOWER": {"IN": ["advice", "tip", "suggestion", "recommendation"]}}],
        # "It would be nice if ...", "it would have been nice to have a fridge"
        [{"LEMMA": {"IN": ["would", "will"]}}, {"LOWER": {"IN": ["have", "'ve"]}, "OP": "?"}, {"LOWER": {"IN": ["be", "been"]}},
         {"POS": "ADV", "OP": "*"}, {"LOWER": {"IN": GOOD}}],
        [{"LEMMA": "would"}, {"POS": "ADV", "OP": "*"}, {"LEMMA": {"IN": ["love", "like", "appreciate", "prefer", "want", "pay"]}}],
        [{"LEMMA": "would"}, {"LOWER": {"IN": ["make", "save", "help", "give"]}}],
        [{"NORM": "please"}, {"POS": {"IN": ["ADV", "PART"]}, "OP": "*"},
         {"LEMMA": {"IN": ASK_VERBS}, "NORM": {"NOT_IN": ["fix", "help", "stop", "do"]}}],
        [{"LEMMA": {"IN": ["can", "could", "will", "would"]}}, {"LOWER": {"IN": ["you", "they", "u"]}},
         {"POS": {"IN": ["ADV", "INTJ"]}, "OP": "*"}, {"LEMMA": {"IN": ASK_VERBS}, "NORM": {"NOT_IN": ["fix", "have", "do"]}}],
        [{"LEMMA": {"IN": ["can", "could", "may"]}}, {"LOWER": {"IN": ["we", "i"]}}, {"POS": {"IN": ["ADV", "INTJ"]}, "OP": "*"},
         {"LEMMA": {"IN": ["get", "have"]}}],
        [{"LOWER": "any"}, {"LOWER": "chance"}],
        # "it is very important to add ...", "it's essential to support ..."
        [{"LOWER": {"IN": ["important", "essential", "necessary", "crucial", "vital"]}}, {"LOWER": "to"},
         {"LEMMA": {"IN": ["add", "allow", "enable", "implement", "include", "introduce", "integrate", "offer", "provide",
                           "support", "improve", "extend", "expand"]}}],
        [{"LOWER": "if"}, {"LOWER": "only"}],
        [{"LOWER": "if"}, {"LOWER": {"IN": ["you", "they", "it", "we", "there"]}},
         {"LEMMA": {"IN": ["could", "would", "be", "add", "offer", "had", "have", "support", "let", "allow"]}}],
        # "5 stars if I could pin from it" wants something; "zero stars if I could" ends there and wants nothing
        [{"LOWER": "if"}, {"LOWER": "i"}, {"LEMMA": {"IN": ["could", "would", "be", "had", "have"]}}, {"IS_ALPHA": True}],
        [{"LEMMA": "hope"}, {"LOWER": {"IN": ["you", "they", "for", "to", "that", "the", "it"]}}],
        # "I hope VLC 9 will come with a media library", "hope presets are built in"
        # (not a pleasantry: "hope all is well", "I hope every one will understand")
        [{"LEMMA": "hope"}, {"POS": {"IN": ["PROPN", "NOUN", "DET", "ADJ", "NUM", "CCONJ", "SYM"]},
                             "LOWER": {"NOT_IN": ["all", "every", "everyone", "everybody", "everything", "each", "this", "that"]},
                             "OP": "{1,4}"},
         {"LEMMA": {"IN": ["will", "can", "could", "would", "be"]}}],
        # "it would also be possible to show the frame number" (not "would it be possible to change my PIN?")
        [{"LEMMA": "would"}, {"POS": "ADV", "OP": "*"}, {"LOWER": "be"}, {"POS": "ADV", "OP": "*"},
         {"LOWER": {"IN": ["possible", "feasible"]}}, {"LOWER": "to"}, {"TAG": "VB"}],
        [{"LEMMA": {"IN": ["need", "want", "require"]}}, {"POS": "ADV", "OP": "*"},
         {"LOWER": {"IN": ["a", "an", "the", "more", "some", "better", "support", "ability", "option", "way", "its"]}}],
        [{"LEMMA": {"IN": ["need", "want"]}}, {"LOWER": "to"}, {"LOWER": "be"}, {"LOWER": "able"}],
        [{"LEMMA": "should"}, {"POS": "ADV", "OP": "*"},
         {"LEMMA": {"IN": ["have", "support", "let", "allow", "add", "include", "offer", "remember", "be", "give",
                             "show", "provide", "make", "consider",
                             # what a maker or a provider does to improve (seldom a behaviour expected of a product)
                             "renovate", "refurbish", "upgrade", "hire", "train", "invest", "rethink", "reconsider",
                             "listen", "replace", "repair"]}, "NORM": {"NOT_IN": ["work"]}}],
        *OUGHT_TO,
        *SUGGESTED,
        [{"IS_SENT_START": True, "TAG": "VB",
          "LEMMA": {"IN": ["add", "allow", "bring", "give", "include", "introduce", "consider", "implement", "enable",
                           "offer", "let", "make", "provide", "integrate", "create",
                           # verbs that change a product, seldom an instruction to its user
                           "support", "expose", "extend", "improve", "increase", "simplify", "unify", "publish",
                           "release", "port", "document", "rename", "restore", "expand", "clarify"]}}],
        [{"LEMMA": "bring"}, {"LOWER": "back"}],
        # "would it be possible to ...": a request put as a question ("is it possible to ...?" asks how)
        [{"LEMMA": {"IN": ["would", "could"]}}, {"LOWER": "it"}, {"LOWER": "be"}, {"LOWER": {"IN": ["possible", "feasible"]}}],
        # "Can a setting be added so that ...?", "could dark mode be included?": a suggestion put as a question
        [{"IS_SENT_START": True, "LEMMA": {"IN": ["can", "could"]}}, {"POS": {"IN": ["DET", "ADJ", "NOUN", "PROPN", "PRON"]}, "OP": "{1,4}"},
         {"LOWER": "be"}, {"LEMMA": {"IN": ["add", "include", "implement", "introduce", "integrate", "enable", "support", "offer",
                                            "provide", "build", "develop", "create", "extend", "improve", "expand", "bring"]},
                           "TAG": "VBN"}],
        # "should be added", "needs to be implemented": what the maker ought to do
        [{"LEMMA": {"IN": ["should", "need", "must"]}}, {"LOWER": "to", "OP": "?"}, {"LOWER": "be"},
         {"LEMMA": {"IN": ASK_VERBS + ["implement", "extend", "expand", "increase", "improve", "enhance"]}, "TAG": "VBN"}],
        [{"LOWER": "there"}, {"LEMMA": {"IN": ["need", "should"]}}, {"LOWER": "to", "OP": "?"}, {"LOWER": "be"}],
        # "The breakfast could be improved", "more languages could easily be added"
        [{"LEMMA": {"IN": ["could", "might"]}}, {"POS": "ADV", "OP": "*"}, {"LOWER": "be"}, {"POS": "ADV", "OP": "*"},
         {"LEMMA": {"IN": ["improve", "add", "expand", "extend", "enhance", "include", "offer", "provide", "increase",
                           "upgrade", "implement", "introduce"]}, "TAG": "VBN"}],
        *WHY_NOT_TRY,
        [{"LEMMA": "improvement"}, {"LEMMA": {"IN": ["would", "could"]}}],
        # "How about an English version?": a suggestion put as a question
        [{"IS_SENT_START": True, "LOWER": "how"}, {"LOWER": "about"}],
        [{"LOWER": {"IN": ["suggestion", "suggest", "wishlist", "wishing"]}}],
        [{"LOWER": {"IN": ["request", "requests"]}, "POS": {"IN": ["NOUN", "PROPN"]}}],  # not "can't request a ride"
        [{"LEMMA": {"IN": ["missing", "lack", "lacking", "miss"]}},
         {"POS": {"IN": ["DET", "ADJ", "ADV"]}, "OP": "*"},
         {"LEMMA": {"IN": ["feature", "option", "function", "functionality", "support", "integration", "ability",
                           "setting", "mode", "way", "thing", "piece"]}}],
        [{"LEMMA": {"IN": ["feature", "option", "thing", "piece"]}}, {"LOWER": {"IN": ["is", "s", "'s"]}, "OP": "?"},
         {"LOWER": "missing"}],
        [{"POS": {"IN": ["NOUN", "PROPN"]}}, {"NORM": "please"}, {"IS_PUNCT": True, "OP": "*"}, {"IS_SENT_START": True, "OP": "?"}],
    ],
    "request:weak": [
        *IMPERATIVE,
        [{"LOWER": {"IN": ["option", "ability", "possibility", "way"]}}, {"LOWER": {"IN": ["to", "for"]}}],
        [{"LOWER": "able"}, {"LOWER": "to"}],
        [{"LEMMA": {"IN": ["need", "want"]}}],
        # what is gone and wanted back: "I really miss the old layout", "what I miss most"
        [{"LOWER": {"IN": ["i", "we"]}}, {"POS": "ADV", "OP": "*"}, {"LOWER": "miss", "TAG": {"IN": ["VBP", "VB"]}}],
        [{"LOWER": {"IN": ["more", "additional", "extra"]}}, {"POS": "NOUN"}],
        [{"LOWER": {"IN": ["support", "integration", "version", "mode", "widget", "option", "feature", "plan"]}},
         {"LOWER": {"IN": ["for", "with"]}}],
        [{"LEMMA": {"IN": ["would", "could"]}}],
        [{"LOWER": "if"}],
    ],
    "pain:strong": [
        # not told to someone ("Skip the hotel's restaurant", "Reset your preferences and try again")
        [{"LEMMA": {"IN": BREAKDOWN_VERBS}, "POS": {"IN": ["VERB", "AUX"]}, "IS_SENT_START": False}],
        [{"LEMMA": {"IN": BREAKDOWN_VERBS}, "POS": {"IN": ["VERB", "AUX"]}, "IS_SENT_START": True, "TAG": {"NOT_IN": ["VB"]}}],
        [{"LOWER": {"IN": ["crashes", "crashing", "crashed", "freezes", "freezing", "froze", "bugs", "bugged",
                           "broke", "broken", "glitches", "glitching", "lags", "lagging", "failing", "fails", "failed"]}}],
        [{"LEMMA": {"IN": PROBLEM_NOUNS}, "POS": {"IN": ["NOUN", "PROPN"]}}],
        [{"NORM": {"IN": list(NEG)}}, {"POS": {"IN": ["ADV", "PART"]}, "OP": "*"}, {"LEMMA": {"IN": FUNCTIONS}}],
        # "it has not been received", "hasn't yet arrived"
        [{"NORM": {"IN": list(NEG)}}, {"POS": {"IN": ["ADV", "PART", "AUX"]}, "OP": "+"},
         {"LEMMA": {"IN": ["receive", "arrive", "deliver", "process", "refund", "credit", "show", "go", "come", "update",
                           "verify", "approve", "complete", "accept", "activate", "confirm", "return", "answer", "resolve",
                           "fix", "load", "reply", "respond", "transfer", "deposit", "post", "clear", "reflect", "appear",
                           "send", "ship", "dispatch", "pay"]},
          "TAG": {"IN": ["VBN", "VBG"]}}],
        [{"LOWER": "unable"}, {"LOWER": "to"}],
        *CANNOT_DO,
        *DIED,
        *OVERDUE,
        *SHOWN_FAILED,
        *NOT_MINE,
        [{"NORM": {"IN": list(NEG)}}, {"LEMMA": "be", "OP": "?"}, {"LOWER": "able"}, {"LOWER": "to"}],
        *WHY_NOT_DONE,
        *DID_FAIL,
        *STOPPED_DOING,
        # "I still don't have my refund", "it still hasn't arrived", "still can't log in"
        [{"LOWER": "still"}, {"POS": "AUX"}, {"NORM": {"IN": ["not", "never"]}}],
        [{"LOWER": "double"}, {"TEXT": "-", "OP": "?"}, {"LEMMA": "charge"}],
        # service that never comes: "still waiting for my refund", "on hold for an hour", "nobody called back"
        [{"LOWER": "still"}, {"LOWER": {"IN": ["waiting", "wait", "unable", "awaiting"]}}],
        # "still no reply", "still no new levels"; not "still no better app" (a comparison is praise)
        [{"LOWER": "still"}, {"LOWER": "no"}, {"TAG": "JJ", "OP": "?"}, {"POS": "NOUN"}],
        [{"LOWER": "on"}, {"LOWER": "hold"}],
        # "I have been trying to reach someone for days", "been trying to get through to support"
        [{"LOWER": "been"}, {"LOWER": "trying"}, {"LOWER": "to"}, {"LEMMA": {"IN": ["reach", "contact", "call", "get"]}}],
        [{"LOWER": "been"}, {"LOWER": "waiting"}],
        [{"LEMMA": {"IN": ["wait", "hold"]}}, {"LOWER": {"IN": ["for", "since", "over", "almost", "nearly"]}},
         {"POS": {"IN": ["DET", "NUM", "ADJ"]}, "OP": "+"}, {"LEMMA": {"IN": TIME_UNITS}}],
        [{"LOWER": {"IN": ["nobody", "noone"]}}, {"POS": {"IN": ["AUX", "ADV", "PART"]}, "OP": "*"},
         {"LEMMA": {"IN": SERVICE_VERBS}}],
        [{"LOWER": "no"}, {"LOWER": "one"}, {"POS": {"IN": ["AUX", "ADV", "PART"]}, "OP": "*"}, {"LEMMA": {"IN": SERVICE_VERBS}}],
        [{"LOWER": {"IN": ["no", "without"]}}, {"LOWER": {"IN": ["way", "option", "means", "sound", "audio", "signal",
                                                                  "data", "response", "idea", "internet", "connection", "wifi", "reception",
                                                                  "power", "coverage", "network", "electricity"]}}],
        *KEEPS_FAILING,
        [{"LEMMA": "force"}, {"LEMMA": "close"}],
        [{"LOWER": "fix"}],
        [{"LEMMA": {"IN": ["need", "have"]}}, {"LOWER": "to"}, {"LOWER": "be"}, {"LOWER": {"IN": ["fixed", "repaired", "resolved"]}}],
        # what was lost or wiped; not what the customer deleted ("recover notes I deleted")
        [{"LEMMA": "lose", "TAG": {"IN": ["VBN", "VBD"]}}],
        [{"LOWER": {"NOT_IN": ["i", "we", "you", "u"]}}, ERASED],
        [{**ERASED, "IS_SENT_START": True}],
        # "my payment was declined", "the order got cancelled", "I was overcharged": something done to the
        # customer that went wrong, in any service
        # ("Why was my card declined?": the subject between, as a question puts it; "was not blocked" is no failure)
        [{"LEMMA": "be"}, {"TAG": {"IN": BETWEEN_TAGS}, "NORM": {"NOT_IN": list(NEG)}, "OP": "{0,4}"},
         {"LEMMA": {"IN": FAILED_ACTIONS}, "TAG": "VBN"}],
        [{"LEMMA": "get"}, {"TAG": "RB", "NORM": {"NOT_IN": list(NEG)}, "OP": "*"}, {"LEMMA": {"IN": FAILED_ACTIONS}, "TAG": "VBN"}],
        # (spaCy's small model tags the participle of a question as a past tense: "Why was my card declined?")
        [{"LEMMA": "be"}, {"TAG": {"IN": BETWEEN_TAGS}, "NORM": {"NOT_IN": list(NEG)}, "OP": "{1,4}"},
         {"LEMMA": {"IN": FAILED_ACTIONS}, "TAG": "VBD"}, {"IS_PUNCT": False, "OP": "*"}, {"TEXT": "?"}],
        [{"LEMMA": "overcharge"}],
        # "It's great when it works": good only when it works, so often it does not
        [{"LOWER": {"IN": ["when", "whenever"]}}, {"LOWER": {"IN": ["it", "they"]}},
         {"LOWER": {"IN": ["does", "do", "actually"]}, "OP": "?"}, {"LOWER": {"IN": ["works", "work"]}}],
        [{"LOWER": "in"}, {"LOWER": "theory"}],
        *DONE_WRONG,
        *WAITED_LONG,
        [{"LOWER": {"IN": ["too", "so", "very", "really", "way", "extremely", "super", "almost", "nearly", "practically",
                           "basically", "completely", "totally", "pretty", "quite", "virtually", "utterly", "absolutely",
                           "literally", "simply"]}},
         {"LOWER": {"IN": PROBLEM_ADJ}}],
        # "too high", "too small", "too many": more or less than wanted, whatever the adjective
        [{"LOWER": "too"}, {"POS": "ADJ", "LOWER": {"NOT_IN": GOOD + ["late", "bad"]}}],
        [{"LOWER": "too"}, {"LOWER": "long"}],  # "long" is often tagged an adverb: "takes too long"
        [{"LOWER": {"IN": ["by", "with"]}}, {"LOWER": "hand"}],
        [{"LOWER": {"IN": ["manually", "workaround", "workarounds"]}}],
        [{"LEMMA": {"IN": ["waste", "wasting"]}}, {"LOWER": "of", "OP": "?"}, {"POS": {"IN": ["DET", "ADJ", "NUM", "PRON"]}, "OP": "*"},
         {"LEMMA": {"IN": ["time", "money", "hour", "day"] + TIME_UNITS}}],
        [{"LEMMA": "take"}, {"LOWER": {"IN": ["forever", "ages"]}}],
        [{"LEMMA": {"IN": PRICE_NOUNS}}, {"LEMMA": {"IN": ["go", "double", "increase", "jump", "rise", "triple"]}}],
        # "the per seat price is expensive", "fees are high" (not "is not expensive": the adverbs stop at a negation)
        [{"LEMMA": {"IN": PRICE_NOUNS}}, {"LEMMA": "be"}, {"LOWER": {"IN": ["a", "bit", "little", "tad", "touch"]}, "OP": "*"},
         {"POS": "ADV", "OP": "*"}, {"LOWER": {"IN": ["expensive", "overpriced", "pricey", "costly", "steep", "high", "outrageous", "exorbitant"]}}],
        *CHARGED_WRONG,
        [{"LEMMA": {"IN": ["end", "wind"]}}, {"LOWER": "up"}, {"TAG": "VBG"}],
        [{"LOWER": {"IN": ["every", "each"]}}, {"LOWER": {"IN": ["time", "single"]}}],
        [{"LOWER": "out"}, {"LOWER": "of"}, {"LOWER": {"IN": ["sync", "date", "order"]}}],
        [{"LEMMA": {"IN": ["complain", "struggle", "hate", "threaten", "suffer"]}}],
        [{"LOWER": {"IN": ["white", "black", "blank", "grey", "gray"]}}, {"LOWER": "screen"}],
        [{"LOWER": "logs"}, {"LOWER": {"IN": ["me", "us", "you"]}}, {"LOWER": "out"}],
        [{"LOWER": {"IN": DISPRAISE}}],
        *NEGATED_PRAISE,
        [{"LOWER": "never"}, {"LOWER": "again"}],
        [{"LOWER": "worse"}, {"LOWER": "than"}],
        # "Don't buy this", "Do not update": a warning to other customers
        [{"IS_SENT_START": True, "LOWER": "do"}, {"NORM": "not"},
         {"LEMMA": {"IN": ["buy", "download", "install", "get", "bother", "waste", "use", "trust", "pay", "purchase",
                           "upgrade", "update", "subscribe"]}}],
        *WARNED_OFF,
        *DEMANDS,
        *PAST_PRAISE,
        [{"LOWER": {"IN": ["let", "lets", "letting"]}}, {"POS": "PRON"}, {"LOWER": "down"}],
        [{"LEMMA": "rip"}, {"LOWER": "off"}],
        # "Messed up the app", "they screwed up my order"; "nothing works now" (not "nothing works better")
        [{"LEMMA": {"IN": ["mess", "screw"]}, "POS": {"IN": ["VERB", "ADJ"]}}, {"LOWER": "up"}],
        [{"LOWER": "nothing"}, {"LEMMA": {"IN": FUNCTIONS}, "TAG": {"IN": ["VBZ", "VBD", "VBP"]}},
         {"LOWER": {"NOT_IN": ["better", "like", "as", "faster", "more", "quite", "so", "half"]}}],
        # short of what was expected: "I expected more", "smaller than advertised", "not what I expected",
        # "nothing special"; "the battery only lasts two hours"
        [{"LEMMA": "expect", "TAG": {"IN": ["VBD", "VBN"]}}, {"LOWER": {"IN": ["more", "better", "much"]}}],
        [{"LOWER": {"IN": SHORT_OF}}, {"LOWER": "than"}, {"POS": {"IN": ["PRON", "DET", "ADV"]}, "OP": "*"},
         {"LOWER": {"IN": EXPECTED}}],
        # not what was shown or ordered: "the color is different from the picture", "different than advertised"
        [{"LOWER": {"IN": ["different", "nothing"]}}, {"LOWER": {"IN": ["from", "than", "like"]}}, {"POS": {"IN": ["PRON", "DET", "ADV"]}, "OP": "*"},
         {"LOWER": {"IN": EXPECTED + ["picture", "pictures", "photo", "photos", "image", "images", "description", "listing",
                                      "ad", "advert", "advertisement", "website", "site"]}}],
        [{"LOWER": "nothing"}, {"LOWER": {"IN": ["special", "spectacular", "impressive", "great", "exceptional"]}}],
        [{"LOWER": "only"}, {"LEMMA": "last"}],
        # "hard to find", "difficult to use" (not "isn't hard to use", "the hard to find songs"); "can barely read it"
        [{"NORM": {"NOT_IN": list(NEG)}, "POS": {"NOT_IN": ["DET"]}}, {"LOWER": {"IN": ["hard", "difficult", "impossible", "tricky", "confusing",
                                                           "annoying", "painful", "tedious", "frustrating"]}},
         {"LOWER": "to"}, {"TAG": "VB", "LOWER": {"NOT_IN": ["put", "beat", "fault", "resist", "top", "believe", "imagine",
                                                             "say", "tell", "describe", "explain", "choose", "pick"]}}],
        [{"LEMMA": {"IN": ["can", "could"]}}, {"LOWER": {"IN": ["barely", "hardly", "scarcely"]}}, {"TAG": "VB"}],
        # goods that came wrong: "arrived damaged", "came broken"
        [{"LEMMA": {"IN": ["arrive", "come", "ship", "deliver", "turn"]}}, {"LOWER": "up", "OP": "?"}, {"POS": "ADV", "OP": "*"},
         {"LOWER": {"IN": ["damaged", "broken", "cracked", "dented", "defective", "opened", "used", "late", "incomplete",
                           "dead", "scratched", "torn", "wet", "smashed", "leaking", "faulty", "wrong"]}}],
        # wanting the money back, sending the goods back
        [{"LOWER": "money"}, {"LOWER": "back"}],
        [{"LEMMA": {"IN": ["want", "demand", "need", "request", "expect"]}}, {"POS": {"IN": ["DET", "PRON", "ADJ"]}, "OP": "*"},
         {"LEMMA": "refund"}],
        [{"LEMMA": "return", "TAG": {"IN": ["VBD", "VBN"]}}, {"LOWER": {"IN": ["it", "them", "this", "mine", "both"]}}],
        [{"LEMMA": "send", "TAG": {"IN": ["VBD", "VBN"]}}, {"LOWER": {"IN": ["it", "them", "this"]}}, {"LOWER": "back"}],
        *SARCASTIC_THANKS,
        *RATED_LOW,
        # the customer leaving ("Uninstalled.", "I'll uninstall it"), not instructions ("you can uninstall it")
        [{"LOWER": {"IN": ["uninstalled", "uninstalling", "uninstall"]}, "TAG": {"IN": ["VBD", "VBN", "VBG", "NN", "NNP"]}}],
        [{"LOWER": {"IN": ["will", "'ll", "ll", "gonna", "going"]}}, {"LOWER": "to", "OP": "?"}, {"LOWER": "uninstall"}],
        [{"LOWER": "fed"}, {"LOWER": "up"}],
        # "what a joke", "this app is a joke" (not "tell me a joke")
        [{"LOWER": {"IN": ["what", "is", "'s", "s", "was"]}}, {"LOWER": "a"}, {"POS": "ADJ", "OP": "?"},
         {"LOWER": {"IN": ["joke", "crime", "travesty", "ripoff", "disgrace", "farce"]}}],
        # "absolute joke", "a total shambles", "such a disgrace"
        [{"LOWER": {"IN": ["absolute", "absolutely", "total", "totally", "complete", "completely", "utter", "such", "bloody"]}},
         {"LOWER": "a", "OP": "?"}, {"LOWER": {"IN": ["joke", "disgrace", "shambles", "farce", "shitshow", "circus"]}}],
        # "the site is down", "internet has been down all day"
        [{"LEMMA": "be"}, {"POS": "ADV", "OP": "*", "LOWER": {"NOT_IN": ["up"]}}, {"LOWER": "down"}],
        # "internet that barely works", "it hardly loads"
        [{"LOWER": {"IN": ["barely", "hardly", "scarcely"]}}, {"LEMMA": {"IN": FUNCTIONS}, "TAG": {"IN": ["VBZ", "VBD", "VBP"]}}],
        # "I'm done with you", "so done with this app"
        [{"LOWER": "done"}, {"LOWER": "with"}, {"LOWER": {"IN": ["you", "u", "this", "your", "them", "y'all", "these"]}}],
    ],
    # A plain judgement, "the software is buggy", "the app was slow" (not "is not slow"): a strong cue
    # unless its sentence puts it as a condition ("if your laptop is broken", tagger.cue_counts).
    "pain:judged": [
        [{"LEMMA": "be"}, {"POS": "ADV", "NORM": {"NOT_IN": list(NEG)}, "OP": "*"},
         {"LOWER": {"IN": [a for a in PROBLEM_ADJ if a not in ("off", "random", "hard", "difficult", "limited", "impossible")]}}],
    ],
    # A failure put as a question: a complaint, as "Why ...?" is (tagger.cue_scores). "Is your app down?"
    "pain:asked": [
        # what is gone: "where did the search button go?", "where has my money gone?"
        [{"LOWER": "where"}, {"LEMMA": {"IN": ["do", "have"]}, "TAG": {"IN": ["VBD", "VBZ", "VBP"]}, "LOWER": {"NOT_IN": ["do"]}},
         {"IS_PUNCT": False, "LOWER": {"NOT_IN": ["i", "you", "u", "we", "he", "she"]}}, {"IS_PUNCT": False, "OP": "{0,4}"},
         {"LOWER": {"IN": ["go", "gone", "went"]}}],
        [{"LEMMA": "be"}, {"POS": {"IN": ["DET", "PRON"]}, "OP": "?"}, {"POS": {"IN": ["NOUN", "PROPN"]}, "OP": "{1,3}"},
         {"POS": "ADV", "OP": "*"}, {"LOWER": "down"}, {"LOWER": {"IN": ["again", "today", "now"]}, "OP": "?"}, {"IS_PUNCT": True}],
        # (a tweet's question often goes without its mark: "why is your website always down")
        [{"LOWER": "why"}, {"LEMMA": "be"}, {"POS": {"IN": ["DET", "PRON"]}, "OP": "?"},
         {"POS": {"IN": ["NOUN", "PROPN"]}, "OP": "{1,3}"}, {"POS": "ADV", "OP": "*"}, {"LOWER": "down"}],
        *RHETORICAL,
    ],
    "pain:weak": [
        [{"LOWER": {"IN": ["since", "after", "with"]}}, {"LOWER": {"IN": ["the", "this", "last", "latest", "recent", "an", "new", "every", "each"]}},
         {"LOWER": {"IN": ["last", "latest", "recent", "new", "most"]}, "OP": "*"}, {"LEMMA": "update"}],
        [{"LEMMA": "have"}, {"LOWER": "to"}, {"POS": "VERB"}],
        [{"LOWER": {"IN": PROBLEM_ADJ}}],
        [{"NORM": {"IN": list(NEG)}}],
        [{"LEMMA": {"IN": ["spend", "take"]}}, {"POS": {"IN": ["DET", "NUM", "ADJ", "ADV"]}, "OP": "*"},
         {"LEMMA": {"IN": TIME_UNITS}}],
        [{"LOWER": {"IN": ["again", "constantly", "always", "whenever", "anymore", "keeps"]}}],
        [{"LEMMA": {"IN": ["cancel", "switch", "leave", "alternative", "competitor", "churn", "refund"]}}],
    ],
    # "never had problems", "no complaints", "without any issues": a problem word that says there is none.
    "pain:denied": [
        [{"LOWER": {"IN": ["nothing", "none"]}}, {"LEMMA": "be"}, {"TAG": "RB", "OP": "*"},
         {"LEMMA": {"IN": FAILED_ACTIONS}, "TAG": "VBN"}],
        [{"NORM": {"IN": ["no", "never", "not", "without", "zero", "nothing"]}},
         {"POS": {"IN": ["VERB", "AUX", "DET", "ADJ", "ADV", "PART"]}, "OP": "{0,2}"},
         {"LEMMA": {"IN": PROBLEM_NOUNS}}],
        # "No pop ups or glitches", "without ads or bugs" (not "no sound and constant crashes"); "Can't think of any
        # specific complaints"
        [{"NORM": {"IN": ["no", "never", "without", "zero"]}}, {"IS_PUNCT": False, "OP": "{1,3}"}, {"LOWER": {"IN": ["or", "nor"]}},
         {"POS": {"IN": ["ADJ", "DET"]}, "OP": "*"}, {"LEMMA": {"IN": PROBLEM_NOUNS}, "POS": "NOUN"}],
        [{"NORM": {"IN": list(NEG)}}, {"LEMMA": "think"}, {"LOWER": "of"}, {"LOWER": {"IN": ["any", "a", "one", "anything"]}},
         {"POS": "ADJ", "OP": "*"}, {"LEMMA": {"IN": PROBLEM_NOUNS}}],
        [{"NORM": {"IN": ["not", "never"]}}, {"POS": {"IN": ["ADV", "AUX", "PART"]}, "OP": "{0,2}"}, {"LOWER": {"IN": DISPRAISE}}],
        *PRAISED_BY_NEGATION,
    ],
    # Counted as pain:denied unless its sentence puts it as a condition or a hope (tagger.cue_counts).
    "pain:resolved": [
        [{"NORM": {"NOT_IN": [*NEG, "still", "yet", "nothing"]}, "LEMMA": {"NOT_IN": ["have", "be", "get"]}},
         {"LEMMA": {"IN": RESOLVE_VERBS}, "TAG": {"IN": ["VBD", "VBZ"]}}],
        [{"NORM": {"NOT_IN": [*NEG, "still", "yet"]}}, {"LEMMA": {"IN": ["be", "get"]}, "TAG": {"IN": ["VBD", "VBZ", "VBN"]}},
         {"LEMMA": {"IN": RESOLVE_VERBS}, "TAG": "VBN"}],
    ],
    "praise:strong": [
        [{"LEMMA": {"IN": ["love", "recommend", "appreciate", "enjoy", "impress", "thank"]}}],
        [{"LOWER": "obsessed"}, {"LOWER": "with"}],
        *RETURNING,
        [{"LOWER": {"IN": ["nice", "good", "great", "fine", "excellent", "amazing", "brilliant"]}}, {"LOWER": {"IN": ["job", "work"]}}],
        [{"LOWER": {"IN": PRAISE_ADJ}}],
        [{"LEMMA": "work"}, {"LOWER": {"IN": ["well", "great", "perfectly", "fine", "flawlessly", "beautifully"]}}],
        [{"LOWER": "just"}, {"LEMMA": "work"}],
        [{"LOWER": "above"}, {"LOWER": "and"}, {"LOWER": "beyond"}],
        [{"LEMMA": "do"}, {"LOWER": "the"}, {"LOWER": {"IN": ["job", "trick"]}}],
        [{"LEMMA": {"IN": PRICE_NOUNS}}, {"LEMMA": "be"}, {"POS": "ADV", "OP": "*"}, {"LOWER": {"IN": FAIR_PRICE}}],
        [{"LOWER": {"IN": FAIR_PRICE}}, {"LEMMA": {"IN": PRICE_NOUNS}}],
        *PRAISED_BY_NEGATION,
    ],
    "praise:denied": NEGATED_PRAISE + PAST_PRAISE + ADVISED + SARCASTIC_THANKS,
    "praise:turned": PRAISED_BY_NEGATION,   # a negated praise word that is praise after all
    "question:strong": [
        *HELP_APPRECIATED,
        *HELP_WANTED,
        # "How do ...", "What happens ...", "How much would ...", not "When I try ..." or "What a great app"
        [{"IS_SENT_START": True, "TAG": {"IN": ["WDT", "WP", "WP$", "WRB"]},
          "LOWER": {"NOT_IN": ["whenever", "wherever", "however", "whatever", "whoever"]}},
         {"POS": {"IN": ["ADJ", "ADV", "NOUN"]}, "OP": "?"}, {"TAG": {"IN": ["MD", "VBZ", "VBD", "VBP"]}}],
        [{"IS_SENT_START": True, "POS": "AUX"}, {"POS": {"IN": ["PRON", "PROPN", "DET", "NOUN"]}}],
    ],
    "severity:frequency": [
        [{"LOWER": {"IN": ["every", "each"]}}, {"LOWER": {"IN": ["time", "day", "week", "morning", "night", "month",
                                                                  "single", "monday", "friday", "quarter", "hour"]}}],
        [{"LOWER": {"IN": ["always", "constantly", "daily", "weekly", "nightly", "repeatedly", "again", "whenever",
                           "anymore", "twice", "often", "continually", "keeps"]}}],
        *KEEPS_FAILING,
    ],
    "severity:blocking": [
        [{"NORM": {"IN": list(NEG)}}, {"POS": {"IN": ["ADV", "PART"]}, "OP": "*"}, {"LEMMA": {"IN": FUNCTIONS}}],
        [{"LOWER": {"IN": ["unusable", "blocked", "blocking", "blocker", "blocks", "impossible", "unable", "outage",
                           "stuck", "lost", "crash", "crashes", "crashing", "down", "deleted", "gone", "useless",
                           "requirement", "must"]}}],
    ],
    "severity:cost": [
        [{"LEMMA": {"IN": ["cost", "price", "money", "pay", "budget", "expensive", "overpriced", "dollar", "euro",
                           "refund", "charge", "invoice", "fee", "hour", "revenue", "deal", "customer", "client"]}}],
    ],
    "severity:churn": [
        [{"LEMMA": {"IN": ["cancel", "churn", "uninstall", "switch", "leave", "alternative", "competitor",
                           "threaten", "unsubscribe", "delete"]}}],
        # "I quit", "I'm quitting"; not the product that "quit working"
        [{"LEMMA": "quit"}, {"LOWER": {"REGEX": "^(?!.*ing$)"}}],
        [{"LOWER": {"IN": ["looking", "look"]}}, {"LOWER": "at"}, {"LOWER": {"IN": ["alternatives", "other", "competitors"]}}],
    ],
}
