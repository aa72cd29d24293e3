"""Static files storage: WhiteNoise's compressed storage, made quick to re-run.

WhiteNoise compresses every static file with Brotli at its highest quality on every
``collectstatic``: over a minute here for the API docs' bundles, at each ``aidbridge
demo``. Brotli quality 5 compresses nearly as well in a fraction of the time, and a
file whose compressed copies are already there (WhiteNoise stamps them with the
source's modification time) is not compressed again.
"""

from __future__ import annotations

import os
from typing import Any

from whitenoise.compress import Compressor
from whitenoise.storage import CompressedStaticFilesStorage

try:
    import brotli
except ImportError:  # pragma: no cover - WhiteNoise then only gzips
    brotli = None

BROTLI_QUALITY = 5


class IncrementalCompressor(Compressor):
    @staticmethod
    def compress_brotli(data: bytes) -> bytes:
        return bytes(brotli.compress(data, quality=BROTLI_QUALITY))

    def compress(self, path: str) -> list[str]:
        mtime = os.stat(path).st_mtime
        suffixes = [s for s, on in ((".br", self.use_brotli), (".gz", self.use_gzip)) if on]
        done = [path + s for s in suffixes]
        if done and all(os.path.exists(p) and os.stat(p).st_mtime == mtime for p in done):
            return done
        return list(super().compress(path))


class StaticFilesStorage(CompressedStaticFilesStorage):
    def create_compressor(self, **kwargs: Any) -> Compressor:
        return IncrementalCompressor(**kwargs)
