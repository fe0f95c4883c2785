"""`python -m extractors.ocr`: says where tesseract's data is, or how to install it (exit status 1).

The Makefile's `ocr-data` step runs it before the demo and the tests."""
from __future__ import annotations

import sys

from .engine import INSTALL_HINT, tessdata


def main() -> int:
    folder = tessdata()
    if folder is None or not (folder / "osd.traineddata").is_file():
        print("OCR (images and scanned PDFs) needs tesseract's English and orientation data, which is not "
              f"installed. On Debian or Ubuntu: sudo {INSTALL_HINT}   (or set TESSDATA_PREFIX to a folder "
              "holding eng.traineddata and osd.traineddata).", file=sys.stderr)
        return 1
    print(f"OCR: tesseract data in {folder}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
