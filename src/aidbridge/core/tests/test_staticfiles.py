"""The incremental compressor: compresses once, then leaves up-to-date copies alone."""

from __future__ import annotations

import gzip
import os
from pathlib import Path

from aidbridge.core.staticfiles import IncrementalCompressor


def test_compresses_then_reuses_then_redoes_after_a_change(tmp_path: Path) -> None:
    source = tmp_path / "app.js"
    source.write_text("function f() { return 1; }\n" * 2000)
    compressor = IncrementalCompressor(quiet=True)
    made = compressor.compress(str(source))
    assert str(source) + ".gz" in made
    gz = Path(str(source) + ".gz")
    assert gzip.decompress(gz.read_bytes()) == source.read_bytes()

    # A copy stamped with the source's time counts as done: it is not rewritten.
    stamp = gz.stat().st_mtime_ns
    gz.write_bytes(b"marker")
    os.utime(gz, ns=(stamp, stamp))
    assert compressor.compress(str(source)) == made
    assert gz.read_bytes() == b"marker"

    source.write_text("function g() { return 2; }\n" * 2000)  # changed: compressed again
    assert compressor.compress(str(source)) == made
    assert gzip.decompress(gz.read_bytes()) == source.read_bytes()
