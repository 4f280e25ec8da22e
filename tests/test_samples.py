"""The bundled sample reports (written for this project): the clean one passes, every planted
defect is reported on its line (samples/expected.yaml)."""
import pytest
import yaml

from checker.report import check_path
from checker.read import read_path

from .conftest import SAMPLES

EXPECTED = yaml.safe_load((SAMPLES / "expected.yaml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_sample(name):
    doc, r = check_path(SAMPLES / name)
    e = EXPECTED[name]
    for k, v in e["meta"].items():
        assert getattr(r.meta, k) == v, k
    for el, status in e["outline"].items():
        assert r.outline[el].status == status, el
    if "findings" in e:
        assert len(r.findings) == e["findings"], [f.message for f in r.findings]
    lines = doc.source.lines
    for d in e.get("defects", []):
        hits = [f for f in r.findings if f.rule == d["rule"]]
        assert hits, d
        if "text" in d:
            at = [i for i, line in enumerate(lines, 1) if d["text"] in line]
            assert len(at) == 1, d
            assert at[0] in [f.line for f in hits], (d, [f.line for f in hits])
    if "joined" in e:
        first, second = e["joined"]
        assert any(first in c.line.text and second in c.line.text for c in doc.classified)


def test_samples_are_not_corpus_copies():
    """The samples are our own writing: no long run of text shared with the real corpus."""
    from .conftest import corpus_files
    corpus = "".join(p.read_text(encoding="utf-8") for p in corpus_files())
    if not corpus:
        pytest.skip("corpus not present")
    for name in EXPECTED:
        text = "".join(read_path(SAMPLES / name).lines)
        runs = [text[i:i + 40] for i in range(0, len(text) - 40, 20)]
        assert not [r for r in runs if r in corpus], name
