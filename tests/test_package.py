"""The wheel carries rules/, grammar/ and the templates, and an installed copy works outside
the repository."""
import json
import os
import subprocess
import sys
import zipfile

from .conftest import ROOT, SAMPLES


def test_wheel_carries_data_and_works_outside_the_repo(tmp_path):
    r = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                        "-q", "-w", str(tmp_path / "dist"), str(ROOT)], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    wheel = next((tmp_path / "dist").glob("fzcheck-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    for need in ("checker/_data/rules/outline.yaml", "checker/_data/rules/checks/outline.yaml",
                 "checker/_data/grammar/report.lark", "checker/_data/grammar/lexicon.yaml",
                 "checker/render/templates/report.html.j2"):
        assert need in names, need
    assert any(n.endswith("entry_points.txt") for n in names)

    site = tmp_path / "site"
    r = subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(site), str(wheel)],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "PYTHONPATH": str(site)}
    probe = "import checker.resources as r; print(r.rules_dir())"
    r = subprocess.run([sys.executable, "-c", probe], cwd=elsewhere, env=env, capture_output=True, text=True)
    assert str(site) in r.stdout, (r.stdout, r.stderr)
    r = subprocess.run([sys.executable, "-m", "checker", "check", str(SAMPLES / "柳溪镇_2024_规范.txt"),
                        "--format", "json"], cwd=elsewhere, env=env, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["outline"]["reasons"]["status"] == "standalone"
