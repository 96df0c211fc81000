"""The words the cue patterns (nlp/text/cues.py) are built of: general English, not one product's or one data set's."""

# Negation as spaCy normalises it: "n't", "nt" (wont, cant) and "not" all have NORM "not".
NEG = {"not", "never", "cannot", "no"}
GOOD = ["great", "nice", "good", "cool", "awesome", "amazing", "helpful", "useful", "perfect", "fantastic",
        "ideal", "handy", "lovely", "wonderful", "better", "best", "brilliant", "excellent", "beneficial",
        "convenient", "fabulous", "sweet", "neat", "super", "incredible", "terrific", "valuable", "swell"]
ASK_VERBS = ["add", "allow", "bring", "build", "consider", "enable", "give", "implement", "include", "introduce",
             "let", "make", "offer", "provide", "support", "create", "integrate", "put", "develop", "show", "update",
             "change", "have", "get", "do"]
# Things an app or tool is expected to do; "not" before one of them reports a failure.
FUNCTIONS = ["work", "load", "open", "launch", "start", "connect", "sync", "save", "find", "show", "respond", "play",
             "let", "allow", "update", "arrive", "go", "read", "focus", "finish", "recognize", "recognise", "download",
             "upload", "send", "receive", "register", "accept", "display", "print", "install", "log", "sign", "login",
             "match", "appear", "come", "function", "run", "stay", "keep", "remember", "record", "scroll", "count",
             "detect", "pick", "get", "see", "access", "use", "do", "change", "import", "export", "trust", "understand",
             "track", "ring", "notify", "charge", "refresh", "close", "reply", "answer", "help", "fix", "exist", "afford",
             "verify", "process", "complete", "activate", "confirm", "approve", "authenticate", "deliver", "withdraw", "link"]
BREAKDOWN_VERBS = ["crash", "freeze", "hang", "glitch", "lag", "fail", "break", "malfunction", "stall", "stutter",
                   "drain", "throttle", "choke", "corrupt", "disappear", "vanish", "wipe", "reset", "overwrite",
                   "duplicate", "flicker", "buffer", "timeout", "bug", "misbehave", "spin", "jump", "skip", "disconnect"]
PROBLEM_NOUNS = ["problem", "issue", "bug", "error", "glitch", "crash", "outage", "downtime", "headache", "nightmare",
                 "workaround", "failure", "defect", "hassle", "pain", "mess", "frustration", "complaint", "delay",
                 "lag", "struggle", "annoyance", "loop", "blocker", "trouble", "difficulty", "mistake"]
PROBLEM_ADJ = ["slow", "broken", "unusable", "confusing", "buggy", "unreliable", "frustrating", "annoying", "painful",
               "clunky", "blank", "garbled", "blurry", "invisible", "unresponsive", "laggy", "glitchy", "stuck",
               "wrong", "incorrect", "inaccurate", "tedious", "cumbersome", "complicated", "difficult", "hard",
               "impossible", "rigid", "noisy", "late", "missing", "gone", "lost", "frozen", "inconsistent",
               "misleading", "useless", "awkward", "steep", "sluggish", "greyed", "grayed", "corrupted", "outdated",
               "expensive", "overpriced", "costly", "pricey", "random", "unstable", "limited", "off", "dirty", "filthy",
               "smelly", "cramped", "crowded", "faulty", "defective", "unavailable", "unreachable", "worse",
               # food and goods that came in a bad state
               "raw", "undercooked", "overcooked", "burnt", "stale", "soggy", "bland", "tasteless", "lukewarm", "moldy",
               "mouldy", "rotten", "spoiled", "expired", "leaking", "leaky", "cracked", "stained", "torn", "damaged"]
PRICE_NOUNS = ["price", "cost", "bill", "renewal", "invoice", "fee", "subscription", "charge", "rate", "pricing"]
CHARGE_NOUNS = ["charge", "fee", "transaction", "payment", "debit"]  # money taken, one item of a statement
# Done to a customer, these went wrong: "my payment was declined", "the order got cancelled".
FAILED_ACTIONS = ["decline", "reject", "refuse", "revert", "cancel", "block", "lock", "overcharge", "steal", "deny",
                  "suspend", "disable", "bounce", "delay", "damage", "swallow", "eat", "retain"]
BETWEEN_TAGS = ["RB", "RP", "DT", "PRP$", "NN", "NNS", "NNP", "JJ", "CD", "HYPH"]  # adverbs, or the subject of a question
SERVICE_VERBS = ["call", "answer", "respond", "reply", "help", "contact", "get", "fix", "return", "email", "reach",
                 "listen", "care", "bother", "pick", "tell", "inform", "warn", "mention", "notify"]
# Judgements of dissatisfaction: a complaint whatever it names ("Worst app ever", "Poor design"), as
# complaint corpora count one; "not bad" denies it.
DISPRAISE = ["worst", "terrible", "horrible", "horrendous", "awful", "suck", "sucks", "trash", "garbage", "rubbish",
             "crap", "crappy", "junk", "disappointed", "disappointing", "disappointment", "poor", "poorly", "pathetic",
             "ridiculous", "ridiculously", "unacceptable", "rude", "lousy", "dreadful", "appalling", "atrocious",
             "disgusting", "disgraceful", "scam", "ripoff", "shame", "shameful", "abysmal", "stupid",
             "dumb", "mediocre", "incompetent", "unprofessional", "unhelpful", "unfriendly", "lazy", "lame"]
# A problem someone put right is no standing pain: "when our import broke, they fixed it the same day",
# "the bug was fixed in the update"; not "never fixed", "hasn't been resolved".
RESOLVE_VERBS = ["fix", "resolve", "solve", "sort", "repair"]
TIME_UNITS = ["second", "minute", "hour", "day", "week", "month", "click", "tap", "step"]

# A good word on the price is praise: "the price was fair", "reasonable pricing".
FAIR_PRICE = ["fair", "reasonable", "affordable", "competitive", "cheap", "low"]

# Praise that a negation turns round: "would not recommend", "don't like", "not worth it", "not as good as".
PRAISE_WORDS = ["recommend", "like", "love", "enjoy", "appreciate", "worth", "good", "great", "happy", "satisfied",
                "impressed", "helpful", "useful", "easy", "reliable", "fun", "satisfy", "impress", "please", "pleased"]
# Words of praise on their own ("Excellent!", "so intuitive"): a praise cue, and with a negation before them a complaint.
PRAISE_ADJ = ["great", "excellent", "amazing", "fantastic", "awesome", "brilliant", "wonderful", "superb", "perfect", "best",
              "outstanding", "lifesaver", "favourite", "favorite", "intuitive", "reliable", "smooth", "smoother", "love",
              "dream", "easy", "solid", "fabulous", "helpful", "lovely", "powerful"]
# What a negation turns into a complaint: "not very intuitive", "not user friendly", "not fast enough", "not clean"
# (a superlative denied concedes, as 4-star reviews do: "while not perfect, it is very good").
NEGATABLE_PRAISE = sorted(set(PRAISE_WORDS) | {"intuitive", "reliable", "smooth", "solid", "friendly", "fast", "stable",
                                               "accurate", "responsive", "clean", "comfortable", "convenient"})

# Thanks for a harm is sarcasm, a complaint: "Thanks for nothing", "thanks for losing my bag" (not
# "thanks for fixing it").
HARMS = ["lose", "ruin", "waste", "break", "cancel", "ignore", "delete", "destroy", "screw", "mess", "kill", "spoil",
         "steal", "block", "ban", "strand", "delay", "wreck", "overcharge", "scam", "rob", "cheat"]

# Worse than the customer was led to expect: "smaller than advertised", "slower than I expected"
# (not "better than expected").
SHORT_OF = ["smaller", "worse", "slower", "weaker", "thinner", "flimsier", "shorter", "less", "lower", "fewer",
            "louder", "dimmer", "cheaper", "tinier", "duller", "noisier", "heavier"]
EXPECTED = ["expected", "thought", "advertised", "described", "promised", "pictured", "shown", "claimed", "stated",
            "asked", "requested", "ordered", "paid", "wanted",
            "listed", "imagined", "hoped", "anticipated"]

# Verbs a customer tells fellow customers what to do with ("Ask for a room upstairs", "Book early", "Avoid the
# rooms by the lift"): advice on choosing, booking and bringing, seldom a step of an instruction ("Click ...",
# "Run ...", "Try disabling ...") nor a demand put to the maker ("Fix ...", "Give me ...").
TIP_VERBS = ["ask", "avoid", "book", "bring", "pack", "reserve", "request", "stay", "beware", "plan", "expect",
             "pick", "opt", "order", "grab", "spend", "insist", "budget", "splurge", "choose", "get", "eat", "dine",
             "visit", "walk", "skip"]
