"""Short prototype sentences of each kind, which the tagger's embedding side compares a text against
(nlp/text/tagger.py): what no cue pattern names ("the calendar shows my events an hour off") still
sounds like one kind more than the others. General English, not words of one product or data set."""

from __future__ import annotations

# What each kind sounds like, for embedding similarity: short, generic, in several voices.
PROTOTYPES: dict[str, list[str]] = {
    "pain": [
        "The app crashes every time I open it.",
        "It stopped working after the update.",
        "I can't log in to my account anymore.",
        "The page shows the wrong information.",
        "Things are out of order and don't match what they should be.",
        "It is very slow and keeps freezing.",
        "We waste hours every week doing this by hand.",
        "The data disappeared and we lost our work.",
        "It doesn't do what it is supposed to do.",
        "Nothing happens when I press the button.",
        "The sound and the picture are not in sync.",
        "It's confusing and hard to set up.",
        "It is too expensive for what we get.",
        "The notifications arrive late or not at all.",
        "The screen goes blank and I have to restart.",
        "We had to build a workaround because it fails.",
        "Terrible, a real disappointment.",
        "Worst service I have ever had.",
    ],
    "request": [
        "Please add this feature.",
        "It would be great if you could add an option for this.",
        "I wish it had support for this.",
        "We need a way to do this.",
        "Would love to see this in the next version.",
        "Can you add a setting for that?",
        "It should let me choose how it works.",
        "Give us the option to turn it off.",
        "I want to be able to customize it.",
        "The one thing missing is an integration with other tools.",
        "It would help a lot to have a dark mode.",
        "Bring back the old feature please.",
    ],
    "praise": [
        "I love this app, it's great.",
        "Excellent, works perfectly.",
        "Very easy to use and really helpful.",
        "Best app ever, highly recommend.",
        "The support team is fantastic.",
        "It has made our work so much easier.",
        "Thank you, this is amazing.",
        "Really good, five stars.",
        "It does exactly what it says.",
        "It helped me a lot and saves me time.",
    ],
    "question": [
        "How do I do this?",
        "Is there a way to change that?",
        "When will this be available?",
        "Does the plan include this?",
        "What happens if we cancel?",
    ],
    "other": [
        "I use it every day at work.",
        "We are a team of twenty people.",
        "I have been using it for a couple of years.",
        "We mainly use it for planning.",
        "My role is operations manager.",
        "I use it with my family on weekends.",
        "I paid for it through the app.",
        "I switched to it from another app last year.",
        "It's okay.",
        "Not for me.",
    ],
}
