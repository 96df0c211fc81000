"""Who spoke when in a mono recording: voice embeddings + spectral clustering, no hub model.

Voices are embedded with resemblyzer's GE2E speaker encoder (its weights ship inside the PyPI
package), one embedding per 1.6 s window over the words Whisper heard, half a second apart. The
windows are smoothed (each averaged with its neighbours in the same run of speech: 1.6 s of voice
is a noisy sample, ~2.6 s separates voices far better, and a run rarely changes speaker) and
clustered with Google's spectral clusterer (`spectralcluster`, the method of "Speaker
Diarization with LSTM", made for exactly these d-vectors) which also decides how many speakers there
are: a parameter-free GMM/BIC test for "only one voice", else the eigen-gap. Each word then takes the
speaker of the windows around it, and segments are split where the speaker changes.

Long recordings are handled chunk by chunk (`add` per decoded chunk, `apply` at the end): only the
embeddings (256 floats per half second) are kept; at most `MAX_CLUSTERED` windows are clustered and
the rest join their nearest speaker centroid, so memory and time stay bounded for hours of audio.
"""

from __future__ import annotations

import warnings
from functools import lru_cache

import numpy as np

from nlp.schema import Segment, Word

WINDOW_S = 1.6      # resemblyzer's partial utterance (160 mel frames)
HOP_S = 0.5
MAX_CLUSTERED = 500
TARGET_DBFS = -30  # resemblyzer's training-time loudness


def _import_resemblyzer():
    """resemblyzer imports webrtcvad, which imports setuptools' deprecated pkg_resources and warns on
    every start; the warning is about webrtcvad's packaging, nothing a voc user can act on."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="pkg_resources is deprecated", category=UserWarning)
        import resemblyzer
    return resemblyzer


@lru_cache(maxsize=1)
def voice_encoder():
    return _import_resemblyzer().VoiceEncoder(device="cpu", verbose=False)


def speech_runs(words: list[Word], max_gap_s: float = 0.5) -> list[tuple[float, float]]:
    """Stretches of continuous speech: words closer than `max_gap_s` joined."""
    runs: list[list[float]] = []
    for w in sorted(words, key=lambda w: w.start):
        if runs and w.start - runs[-1][1] <= max_gap_s:
            runs[-1][1] = max(runs[-1][1], w.end)
        else:
            runs.append([w.start, w.end])
    return [(a, b) for a, b in runs]


def window_centers(runs: list[tuple[float, float]]) -> list[float]:
    centers: list[float] = []
    for start, end in runs:
        if end - start <= WINDOW_S:
            centers.append((start + end) / 2)
        else:
            centers += list(np.arange(start + WINDOW_S / 2, end - WINDOW_S / 2 + 1e-6, HOP_S))
    return centers


def smooth_within_runs(embeddings: np.ndarray, centers: np.ndarray, runs: np.ndarray,
                       reach_s: float = HOP_S) -> np.ndarray:
    """Each window's embedding averaged with the windows of the same speech run within `reach_s`."""
    out = np.empty_like(embeddings)
    for run in np.unique(runs):  # run by run: hours of audio stay linear, not quadratic
        rows = np.flatnonzero(runs == run)
        near = np.abs(centers[rows, None] - centers[None, rows]) <= reach_s + 1e-6
        means = near.astype(embeddings.dtype) @ embeddings[rows]
        out[rows] = means / np.maximum(np.linalg.norm(means, axis=1, keepdims=True), 1e-12)
    return out


def embed_windows(samples: np.ndarray, centers: list[float]) -> np.ndarray:
    """(n, 256) unit voice embeddings of the WINDOW_S windows centred at `centers` (seconds)."""
    import torch

    _import_resemblyzer()
    from resemblyzer.audio import normalize_volume, wav_to_mel_spectrogram
    from resemblyzer.hparams import mel_window_step, partials_n_frames

    if not centers:
        return np.zeros((0, 256), np.float32)
    # Loudness as resemblyzer prepares an utterance: the chunk raised to -30 dBFS, never lowered.
    mel = wav_to_mel_spectrogram(normalize_volume(samples.astype(np.float32), TARGET_DBFS, increase_only=True))
    frames_per_s = 1000 / mel_window_step  # mel frames are 10 ms apart
    padded = np.pad(mel, ((partials_n_frames, partials_n_frames), (0, 0)))
    batch = []
    for c in centers:
        first = int(round(c * frames_per_s)) - partials_n_frames // 2 + partials_n_frames
        batch.append(padded[first:first + partials_n_frames])
    encoder = voice_encoder()
    with torch.no_grad():
        embeds = encoder(torch.from_numpy(np.stack(batch)).to(encoder.device)).cpu().numpy()
    return embeds


def cluster(embeddings: np.ndarray, max_speakers: int, min_speakers: int = 1) -> np.ndarray:
    """Speaker index per embedding; the number of speakers (min_speakers..max_speakers) is estimated."""
    from spectralcluster import (AutoTune, FallbackOptions, LaplacianType, RefinementName, RefinementOptions,
                                 SingleClusterCondition, SpectralClusterer, SymmetrizeType, ThresholdType)

    n = len(embeddings)
    if n < 4:
        return np.zeros(n, dtype=int)
    # Overlapping windows make near-diagonal affinities high: leave them out of the one-voice test.
    overlap = int(np.ceil(WINDOW_S / HOP_S))
    clusterer = SpectralClusterer(
        min_clusters=max(1, min(min_speakers, max_speakers, n - 1)), max_clusters=max(1, min(max_speakers, n - 1)),
        refinement_options=RefinementOptions(
            thresholding_soft_multiplier=0.01, thresholding_type=ThresholdType.Percentile,
            thresholding_with_binarization=True, thresholding_preserve_diagonal=True,
            symmetrize_type=SymmetrizeType.Average,
            refinement_sequence=[RefinementName.RowWiseThreshold, RefinementName.Symmetrize]),
        autotune=AutoTune(p_percentile_min=0.40, p_percentile_max=0.95, init_search_step=0.05, search_level=1),
        fallback_options=FallbackOptions(
            spectral_min_embeddings=10, single_cluster_condition=SingleClusterCondition.AffinityGmmBic,
            single_cluster_affinity_diagonal_offset=overlap),
        laplacian_type=LaplacianType.GraphCut, row_wise_renorm=True, custom_dist="cosine")
    # The one-voice test fits sklearn mixtures seeded from NumPy's global generator: seed it for
    # the call (same audio, same speakers), then give the caller's state back.
    state = np.random.get_state()
    np.random.seed(0)
    try:
        return _predict(clusterer, embeddings)
    finally:
        np.random.set_state(state)


def _predict(clusterer, embeddings: np.ndarray) -> np.ndarray:
    from threadpoolctl import threadpool_limits

    n = len(embeddings)
    # One BLAS thread: these small eigen-decompositions get far slower, not faster, with a thread pool
    # on a busy machine.
    with threadpool_limits(1):
        if n <= MAX_CLUSTERED:
            return clusterer.predict(embeddings)
        # Hours of audio: cluster an even subsample, then give every window its nearest centroid.
        picked = np.linspace(0, n - 1, MAX_CLUSTERED).astype(int)
        labels = clusterer.predict(embeddings[picked])
    centroids = np.stack([embeddings[picked][labels == k].mean(axis=0) for k in np.unique(labels)])
    centroids /= np.linalg.norm(centroids, axis=1, keepdims=True)
    return np.argmax(embeddings @ centroids.T, axis=1)


class Diarizer:
    """Collects voice windows chunk by chunk, then labels every word with a speaker."""

    def __init__(self, max_speakers: int = 6, min_speakers: int = 1):
        self.max_speakers = max_speakers
        self.min_speakers = min_speakers
        self.centers: list[float] = []
        self.runs: list[int] = []  # which speech run each window lies in
        self.embeddings: list[np.ndarray] = []

    def add(self, samples: np.ndarray, offset_s: float, segments: list[Segment]) -> None:
        """`samples`: one mono chunk starting at `offset_s`; `segments`: its transcript, times absolute."""
        words = [w.model_copy(update={"start": w.start - offset_s, "end": w.end - offset_s})
                 for s in segments for w in s.words or []]
        centers: list[float] = []
        first_run = self.runs[-1] + 1 if self.runs else 0
        for index, run in enumerate(speech_runs(words)):
            run_centers = window_centers([run])
            centers += run_centers
            self.runs += [first_run + index] * len(run_centers)
        self.embeddings.append(embed_windows(samples, centers))
        self.centers += [c + offset_s for c in centers]

    def apply(self, segments: list[Segment]) -> list[Segment]:
        """Segments split where the speaker changes, labelled SPEAKER_1.. in order of first speech."""
        if not self.centers:
            return segments
        centers = np.array(self.centers)
        voices = smooth_within_runs(np.concatenate(self.embeddings), centers, np.array(self.runs))
        labels = cluster(voices, self.max_speakers, self.min_speakers)
        out: list[Segment] = []
        for seg in segments:
            if not seg.words:
                k = int(labels[np.argmin(np.abs(centers - (seg.start + seg.end) / 2))])
                out.append(seg.model_copy(update={"speaker": f"#{k}"}))
                continue
            word_labels = [self._speaker_at((w.start + w.end) / 2, centers, labels) for w in seg.words]
            start = 0
            for i in range(1, len(seg.words) + 1):
                if i == len(seg.words) or word_labels[i] != word_labels[start]:
                    out.append(Segment.from_words(seg.words[start:i], f"#{word_labels[start]}"))
                    start = i
        names: dict[str, str] = {}
        for seg in out:
            names.setdefault(seg.speaker, f"SPEAKER_{len(names) + 1}")
            seg.speaker = names[seg.speaker]
        return out

    @staticmethod
    def _speaker_at(t: float, centers: np.ndarray, labels: np.ndarray) -> int:
        """Majority speaker of the windows covering time t, else of the nearest window."""
        covering = labels[np.abs(centers - t) <= WINDOW_S / 2]
        if len(covering) == 0:
            return int(labels[np.argmin(np.abs(centers - t))])
        values, counts = np.unique(covering, return_counts=True)
        return int(values[np.argmax(counts)])


def speaker_turns(segments: list[Segment], max_gap_s: float = 0.5) -> list[tuple[float, float, str]]:
    """(start, end, speaker) turns from labelled words, for scoring against a reference (RTTM)."""
    turns: list[list] = []
    for seg in segments:
        for w in seg.words or [Word(start=seg.start, end=seg.end, word=seg.text)]:
            if turns and turns[-1][2] == seg.speaker and w.start - turns[-1][1] <= max_gap_s:
                turns[-1][1] = max(turns[-1][1], w.end)
            else:
                turns.append([w.start, w.end, seg.speaker])
    return [(a, b, s) for a, b, s in turns]
