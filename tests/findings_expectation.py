"""What the checker says about every real report and sample, kept as digests, so that a change
meant to make the checker faster (issue 14) can be shown to leave every verdict as it was.

    python -m tests.findings_expectation --write     # after a change that is meant to alter findings

For each file of ../shared/corpus/, ../shared/corpus/openings/ and samples/: the number of
findings, their (rule, line) in order, and a SHA-256 of the JSON result without what names the
machine or the run (tool, source path, config). No report text is stored: only digests and rule ids."""
from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tests.conftest import CORPUS, SAMPLES  # noqa: E402

STORED = ROOT / "tests" / "data" / "findings_expected.json"
VOLATILE = ("tool", "source", "config")


def inputs() -> dict[str, Path]:
    """name → file: the name says where it came from (corpus/…, openings/…, samples/…)."""
    out = {}
    for label, folder in (("corpus", CORPUS), ("openings", CORPUS / "openings"), ("samples", SAMPLES)):
        for p in sorted(folder.glob("*.txt")) if folder.is_dir() else []:
            out[f"{label}/{p.name}"] = p
    return out


def summarise(path: Path) -> dict:
    from checker.render import render
    from checker.report import check_path
    _, result = check_path(path)
    d = json.loads(render(result, "json"))
    for k in VOLATILE:
        d.pop(k, None)
    canonical = json.dumps(d, ensure_ascii=False, sort_keys=True)
    return {"findings": len(d["findings"]), "rules": [[f["rule"], f["line"]] for f in d["findings"]],
            "digest": hashlib.sha256(canonical.encode("utf-8")).hexdigest()}


def current() -> dict[str, dict]:
    return {name: summarise(p) for name, p in inputs().items()}


if __name__ == "__main__":
    if "--write" not in sys.argv:
        sys.exit("usage: python -m tests.findings_expectation --write")
    got = current()
    STORED.write_text(json.dumps(got, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"{len(got)} files, {sum(v['findings'] for v in got.values())} findings → {STORED.relative_to(ROOT)}")
