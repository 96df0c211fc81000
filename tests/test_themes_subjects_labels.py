"""Themes are about subjects: real app reviews with a mood and no subject are told apart and counted
in their own report line; themes merge when their quotes mix like one theme; labels are phrases of
the quotes that name their theme's intent."""

import csv
import json
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from conftest import EVAL, require
from nlp.report.writers import check_themes, render
from nlp.schema import GeneralSentiment, Quote, TopQuote
from nlp.settings import ThemeSettings
from nlp.themes.cluster import UNTHEMED, build_themes
from nlp.themes.embed import embed
from nlp.themes.general import general_mask, keywords_are_moods
from report_data import PEOPLE, fixed_run

# Real reviews from the shared app-review set (Maalej et al. 2016, CC0), found there by exact text.
NO_SUBJECT = ["Great app. Loved it", "Very bad", "Pathetic", "Easy to use. It's good and easy to use.",
              "Cool. It is the best app ever."]
WITH_SUBJECT = ["Crash. After the last update it crashes Please fix!", "Doesn't work on iPad. When I open it crashes my iPad",
                "Was nice. Was nice , won't open since update", "Plz more backgrounds and frame",
                "Dropbox update. The update has been installing for a week"]


@pytest.fixture(scope="module")
def reviews() -> list[str]:
    with open(require(EVAL / "feedback" / "maalej2016_app_reviews.jsonl"), encoding="utf-8") as f:
        return [" ".join(json.loads(line)["text"].split()) for line in f]


def test_reviews_with_a_mood_and_no_subject_are_told_apart(reviews, spacy_nlp):
    assert set(NO_SUBJECT + WITH_SUBJECT) <= set(reviews)
    assert general_mask(NO_SUBJECT, spacy_nlp).all()
    assert not general_mask(WITH_SUBJECT, spacy_nlp).any()  # a crash, an update, a request: subjects
    # the product failing as a whole says how it feels, not what about; a named part failing is a subject
    assert general_mask(["Doesn't work at all.", "Just doesn't work. So frustrated."], spacy_nlp).all()
    assert not general_mask(["The sync doesn't work.", "Camera not working"], spacy_nlp).any()


def test_a_fix_asked_for_or_stars_given_with_nothing_named_is_no_subject(reviews, spacy_nlp):
    # Sentences of real reviews: asking for a fix, naming a problem or giving stars says how the
    # customer feels, not what about; where a quote names what to fix, that is its subject.
    said = ["Fix this issue please.", "Please fix the problem!", "Fix it and you will have five stars!",
            "Just one star for trying.", "Don't waste your time here.", "I hope this gets fixed."]
    named = ["Lag!. Lag! Very Laaagggg! Please fix it!", "Game keeps crahing on me please fix.", "NO Fix the comments!",
             "Purchase If you remove the purchase i will rate 5 stars"]
    assert all(any(s in r for r in reviews) for s in said + named)
    assert general_mask(said + ["Enough said, 5 stars."], spacy_nlp).all()
    assert not general_mask(named + ["Fix my top up", "Problems with my top up"], spacy_nlp).any()  # banking77's
    assert keywords_are_moods(["fix", "fixed", "problem"], list(spacy_nlp.pipe(said)))


def test_a_group_that_shares_no_subject_and_has_moods_is_general_sentiment(reviews, spacy_nlp):
    from nlp.themes.general import subjects_scattered

    with open(require(EVAL / "feedback" / "maalej2016_app_reviews.jsonl"), encoding="utf-8") as f:
        rows = [json.loads(line) for line in f]
    # short five-star reviews name scattered things ("a bit slow running", "Fix some prblms") beside moods
    short = [" ".join(r["text"].split()) for r in rows if r.get("rating") == 5 and len(r["text"]) < 60][:40]
    sync = [t for t in reviews if " sync" in t.lower()][:40]  # reviews about syncing, moods and all
    with open(require(EVAL / "banking77" / "train.csv"), newline="", encoding="utf-8") as f:
        arrival = [r["text"] for r in csv.DictReader(f) if r["category"] == "card_arrival"][:40]
    assert subjects_scattered(list(spacy_nlp.pipe(short)))
    assert not subjects_scattered(list(spacy_nlp.pipe(sync)))
    assert not subjects_scattered(list(spacy_nlp.pipe(arrival)))


def test_a_theme_ranked_last_run_leaves_the_ranking_only_when_most_of_its_quotes_name_nothing(reviews, spacy_nlp):
    from nlp.themes.general import general_themes

    with open(require(EVAL / "feedback" / "maalej2016_app_reviews.jsonl"), encoding="utf-8") as f:
        rows = [json.loads(line) for line in f]
    short = [" ".join(r["text"].split()) for r in rows if r.get("rating") == 5 and len(r["text"]) < 60][:40]
    moods = [t for t, g in zip(reviews, general_mask(reviews, spacy_nlp)) if g][:40]
    texts = short + moods
    docs = dict(enumerate(spacy_nlp.pipe(texts)))
    groups = [list(range(len(short))), list(range(len(short), len(texts)))]
    words = [["app", "game", "time"], ["great", "love", "good"]]
    assert general_themes(docs, groups, words) == [True, True]  # scattered subjects; moods
    # followed night to night, the scattered group keeps its place (the tests a few quotes can tip do not
    # take it out); a group of moods goes to the general line all the same
    assert general_themes(docs, groups, words, followed=[True, True]) == [False, True]


def test_moods_are_told_apart_however_they_are_typed_and_a_theme_of_jokes_is_not_one(reviews, spacy_nlp):
    typed = ["Awsome Awsome", "AWSOME. AWSOME cool", "Goood Gooooooood", "Awsome Nice! i love it", "awsome app try it for sure",
             "I like I like it's verrryyy nice!!!!",  # a stop word typed stretched
             "Great app Very handy", "So addictive! Love love love!!", "IbLuv'n It. Awesome & convenient"]  # praise VADER lacks
    assert set(typed) <= set(reviews)
    assert general_mask(typed, spacy_nlp).all()
    with open(require(EVAL / "hwu64" / "hwu64.csv"), newline="", encoding="utf-8") as f:
        jokes = [r["text"] for r in csv.DictReader(f) if r["intent"] == "general_joke"][:60]
    # "funny" is a mood but "joke", a noun VADER scores, is what these requests are about.
    assert not keywords_are_moods(["joke", "funny", "jokes"], list(spacy_nlp.pipe(jokes)))
    assert keywords_are_moods(["awsome", "goood", "app"], list(spacy_nlp.pipe(typed)))


def test_general_sentiment_is_told_apart_from_the_themes_about_something(reviews, spacy_nlp):
    with open(require(EVAL / "banking77" / "train.csv"), newline="", encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if r["category"] in ("card_arrival", "change_pin", "exchange_rate")]
    queries = [r["text"] for r in rows[:90]]
    moods = [t for t, g in zip(reviews, general_mask(reviews, spacy_nlp)) if g][:40]
    texts = queries + moods
    drafts, labels = build_themes(texts, embed(texts), ThemeSettings(), spacy_nlp)
    mood = set(range(len(queries), len(texts)))
    general = [d for d in drafts if d.general]
    assert general and all(len(set(d.members) & mood) * 2 > len(d.members) for d in general)
    # No mood joins a theme about something; the few HDBSCAN leaves out may stay unthemed (how many
    # varies with the machine's floating point: 8 of 40 on one, at most 4 on others, at 32561c6 too).
    assert not any(set(d.members) & mood for d in drafts if not d.general)
    assert sum(len(set(d.members) & mood) for d in general) >= 0.75 * len(moods)
    assert not any(set(d.members) & set(range(len(queries))) for d in general)  # no query is "general"
    assert (labels[:len(queries)] != UNTHEMED).mean() >= 0.9


def test_labels_are_distinct_phrases_of_the_quotes_that_name_their_intent(spacy_nlp):
    with open(require(EVAL / "banking77" / "train.csv"), newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    intents = ["card_arrival", "change_pin", "exchange_rate", "lost_or_stolen_card", "request_refund", "top_up_failed"]
    chosen = [r for r in rows if r["category"] in intents]
    chosen = [r for i in intents for r in [r for r in chosen if r["category"] == i][:40]]
    texts, truth = [r["text"] for r in chosen], np.array([r["category"] for r in chosen])
    drafts, _ = build_themes(texts, embed(texts), ThemeSettings(), spacy_nlp, encode=embed)
    names = [d.label for d in drafts]
    assert len(set(n.lower() for n in names)) == len(names)
    words = {w.lower() for t in texts for w in t.replace("?", " ").replace(".", " ").replace(",", " ").split()}
    for name in names:
        assert 2 <= len(name.split()) <= 5 and {w.lower() for w in name.split()} <= words | {"not"}
    intent_vectors = embed([i.replace("_", " ") for i in intents])
    hits = 0
    for d, v in zip(drafts, embed(names)):
        majority = Counter(truth[d.members].tolist()).most_common(1)[0][0]
        hits += intents[int(np.argmax(intent_vectors @ v))] == majority
    assert hits >= 0.65 * len(drafts), names


def test_report_has_a_general_sentiment_line_and_themes_json_its_field(tmp_path: Path):
    doc, quotes, history = fixed_run(tmp_path)
    mood = Quote(quote_id="q9", recording=quotes[0].recording, customer="Di", speaker="Di", role="customer",
                 start=50.0, end=52.0, text="Great app, love it!", kind="praise", sentiment=0.8)
    doc.general_sentiment = GeneralSentiment(quotes=1, customers=1, positive=1, negative=0,
                                             top_quotes=[TopQuote(**mood.model_dump(include=set(TopQuote.model_fields)))])
    files = render(doc, quotes + [mood], tmp_path / "reports" / doc.run.id, PEOPLE, history)
    check_themes(json.loads(files["themes.json"]))
    assert json.loads(files["themes.json"])["general_sentiment"]["quotes"] == 1
    for name in ("report.md", "report.html"):
        assert "General sentiment with no subject" in files[name] and "Great app, love it!" in files[name]
    older = json.loads(files["themes.json"])
    del older["general_sentiment"]  # a themes.json written before the field existed still validates
    check_themes(older)


def test_general_quotes_left_in_no_theme_are_counted_apart_and_moved_ones_are_not(tmp_path: Path):
    # What the run does after the edits, and what the workspace does again when it re-ranks (nlp.workspace.runs).
    from nlp.themes.rank import count_general_apart

    doc, quotes, _ = fixed_run(tmp_path)
    said = [("g1", "Great app, love it!", None, False), ("g2", "Awesome", None, False),
            ("g3", "Love it", doc.themes[0].id, False),  # the researcher moved it into a theme
            ("g4", "Nice", None, True)]                  # the researcher hid it
    extra = [Quote(quote_id=i, recording=quotes[0].recording, customer=c, speaker=c, role="customer",
                   start=60.0 + n, end=61.0 + n, text=t, kind="praise", sentiment=0.8, theme_id=theme, hidden=hidden)
             for n, ((i, t, theme, hidden), c) in enumerate(zip(said, ["Di", "Eve", "Di", "Eve"]))]
    placed = quotes + extra
    doc.unthemed_quotes = sum(q.theme_id is None and not q.hidden for q in placed)
    before = doc.unthemed_quotes
    vectors = np.eye(len(placed), 8, dtype=np.float32)
    count_general_apart(doc, placed, vectors, {"g1", "g2", "g3", "g4"}, top_quotes=4)
    g = doc.general_sentiment
    assert (g.quotes, g.customers, g.positive, g.negative, sorted(g.quote_ids)) == (2, 2, 2, 0, ["g1", "g2"])
    assert doc.unthemed_quotes == before - 2
    check_themes(json.loads(doc.model_dump_json()))


def test_label_phrases_read_as_a_pm_writes_them_and_never_show_a_redaction(spacy_nlp):
    from nlp.themes.labels import keywords_by_cluster, phrase_candidates

    said = ["Hi [NAME], my new card hasn't arrived yet", "The \"sync\" button doesn't work",
            "My transfer has not gone through", "Write to me at [EMAIL] when the photos upload",
            "HORRIBLE UPDATE broke the GPS"]
    phrases = phrase_candidates(list(spacy_nlp.pipe(said)))
    assert {"new card not arriving", "transfer not going through", "horrible update", "broke GPS"} <= set(phrases)
    assert not any(mark in p for p in phrases for mark in ("NAME", "EMAIL", "[", "]", '"'))
    keywords = keywords_by_cluster(said, np.zeros(len(said), dtype=int))[0]
    assert keywords and not {"name", "email"} & {w for k in keywords for w in k.split()}
    # no phrase ends in a preposition whose object was a pronoun, nor is built on "have"
    said = ["Can you elaborate to me", "It doesn't matter to me", "I have the Dropbox app", "We had a relaxing day"]
    phrases = set(phrase_candidates(list(spacy_nlp.pipe(said))))
    assert {"dropbox app", "relaxing day"} <= phrases
    assert not {p for p in phrases if p.split()[-1] in ("to", "on") or p.split()[0] in ("have", "had")}, phrases
    # a noun some quotes write hyphenated is whole where another writes it apart; a particle of a verb stays apart
    phrases = set(phrase_candidates(list(spacy_nlp.pipe(["My top up is not completing", "Why did my top-up fail?",
                                                          "Turn the volume up"]))))
    assert "top-up not completing" in phrases and "top not completing" not in phrases and "volume-up" not in str(phrases)
    # a possessive stays on its noun
    phrases = set(phrase_candidates(list(spacy_nlp.pipe(["Remove tomorrow's alarm", "The customers’ orders"]))))
    assert {"tomorrow's alarm", "customers’ orders"} <= phrases and not any(" '" in p for p in phrases)
    # a face typed into a word is the sentence's mood, no part of a phrase
    phrases = set(phrase_candidates(list(spacy_nlp.pipe(["My new dashboard:) is perfect", "Great scanner app;-)",
                                                          "Don't regret it:0"]))))
    assert "great scanner" in phrases and not any(":" in p or ";" in p for p in phrases), phrases
    # a word said twice over (a review's title and its first word) is said once
    phrases = set(phrase_candidates(list(spacy_nlp.pipe(["I love Pinterest Pinterest"]))))
    assert "love pinterest" in {p.lower() for p in phrases} and not any("pinterest pinterest" in p.lower() for p in phrases)


def test_a_pain_with_no_subject_counts_negative_whatever_its_score(tmp_path: Path):
    from nlp.themes.rank import general_sentiment

    _, quotes, _ = fixed_run(tmp_path)
    said = [("Doesn't work at all.", "pain", 0.0), ("Love it", "praise", 0.64), ("Okay I guess", "other", 0.0)]
    extra = [quotes[0].model_copy(update={"quote_id": f"n{n}", "text": t, "kind": k, "sentiment": v, "customer": f"c{n}"})
             for n, (t, k, v) in enumerate(said)]
    g = general_sentiment(list(range(len(extra))), extra, np.eye(len(extra), 8, dtype=np.float32))
    assert (g.quotes, g.customers, g.positive, g.negative) == (3, 3, 1, 1)
