"""Speakers of mono recordings by voice (resemblyzer + spectral clustering), scored as DER against
the human RTTM in ../shared/eval/diarization; and roles on the result."""

from pathlib import Path

import pytest

from conftest import EVAL, JFK, require
from nlp.audio import speakers
from nlp.audio.diarize import speaker_turns
from nlp.schema import Recording
from nlp.settings import TranscribeSettings
from nlp.audio.transcribe import expected_speakers, transcribe_file

SAMPLE = EVAL / "diarization" / "sample.wav"


def rttm(path: Path):
    from pyannote.core import Annotation, Segment

    ref = Annotation()
    for line in path.read_text().splitlines():
        f = line.split()
        ref[Segment(float(f[3]), float(f[3]) + float(f[4]))] = f[7]
    return ref


def test_two_voices_found_with_a_sane_der():
    from pyannote.core import Annotation, Segment
    from pyannote.metrics.diarization import DiarizationErrorRate

    t = transcribe_file(require(SAMPLE), TranscribeSettings())
    hyp = Annotation()
    for start, end, speaker in speaker_turns(t.segments):
        hyp[Segment(start, end)] = speaker
    assert set(hyp.labels()) == {"SPEAKER_1", "SPEAKER_2"}
    der = DiarizationErrorRate(collar=0.25)(rttm(require(EVAL / "diarization" / "sample.rttm")), hyp)
    assert der < 0.35, f"DER {der:.3f}"
    roles = speakers.assign_roles(t, {})
    assert sorted(roles.values()) == ["customer", "interviewer"]


def test_one_voice_stays_one_speaker():
    t = transcribe_file(JFK, TranscribeSettings())
    assert {s.speaker for s in t.segments} == {"SPEAKER_1"}


@pytest.mark.parametrize("row, expected", [({"customer": "Ann", "interviewer": "Sam"}, (2, 2)), ({"customer": "Ann"}, (1, 6)),
                                           ({}, (1, 6))])
def test_participants_row_bounds_the_number_of_voices(row, expected):
    rec = Recording(path=Path("x.wav"), sha256="0" * 64, participant=row)
    assert expected_speakers(rec, TranscribeSettings(max_speakers=6)) == expected


def test_long_recordings_cluster_a_subsample_and_assign_the_rest():
    import numpy as np

    from nlp.audio.diarize import MAX_CLUSTERED, cluster

    rng = np.random.default_rng(0)
    voices = rng.normal(size=(2, 256))
    n = MAX_CLUSTERED * 3  # more windows than are clustered: the rest join the nearest centroid
    truth = (np.arange(n) // 40) % 2  # turns of 40 windows, alternating
    emb = voices[truth] + rng.normal(scale=0.8, size=(n, 256))
    emb /= np.linalg.norm(emb, axis=1, keepdims=True)
    labels = cluster(emb.astype(np.float32), max_speakers=6)
    agree = max((labels == truth).mean(), (labels == 1 - truth).mean())
    assert len(set(labels)) == 2 and agree > 0.95


def test_a_named_interviewer_and_customer_mean_two_voices_and_clustering_is_repeatable():
    import numpy as np

    from nlp.audio import decode
    from nlp.audio.diarize import Diarizer

    samples = decode.to_mono(decode.decode(JFK))
    words = transcribe_file(JFK, TranscribeSettings(diarize=False)).segments
    found = {}
    for fewest in (1, 2):
        diarizer = Diarizer(max_speakers=2, min_speakers=fewest)
        diarizer.add(samples, 0.0, words)
        np.random.seed(7)
        before = np.random.get_state()[1].copy()
        found[fewest] = [s.speaker for s in diarizer.apply(words)]
        assert (np.random.get_state()[1] == before).all()  # the caller's random state is left alone
        assert [s.speaker for s in diarizer.apply(words)] == found[fewest]  # same windows, same speakers
    assert set(found[1]) == {"SPEAKER_1"}  # one voice when the count is free
    assert set(found[2]) == {"SPEAKER_1", "SPEAKER_2"}  # a participants.csv row naming both: two
