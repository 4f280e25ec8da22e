"""A batch of fictitious reports for audit tests and benchmarks: distinct reports assembled from
phrase banks (no two unrelated ones share a long passage), some with planted faults, exact and
near copies, and broken files. A manifest records what was planted where.

usage: python bench/gen.py OUT_DIR [-n 1000] [--seed 7]"""
from __future__ import annotations

import argparse
import json
import random
from pathlib import Path

PLACES = "青禾 柳溪 丰源 白鹭 石砚 云岫 栖梧 苍澜 丹枫 雾松 金渚 沁芳 沧浦 鹭汀 柘岭 青苇 芦屿 梅坞 桂川 松岗 竹溪 兰泽 荷塘 杏林 枫桥 桃源 李庄 槐荫 柏坡 杉湾".split()
SUFFIX = [("镇", "township", "镇人民政府"), ("乡", "township", "乡人民政府"), ("街道", "street", "街道办事处"),
          ("区", "district", "区人民政府"), ("县", "county", "县人民政府")]
VERBS = "健全 完善 落实 推进 深化 规范 强化 优化 严格执行 持续开展 扎实推进 全面落实 建立健全 不断完善 认真开展 稳步推进 大力推行 着力加强 切实做好 积极探索".split()
OBJECTS = ["重大行政决策程序", "规范性文件合法性审核", "行政执法三项制度", "法律顾问制度", "领导干部学法制度", "政务公开工作",
           "矛盾纠纷排查化解", "普法责任制", "行政复议应诉工作", "证明事项告知承诺制", "行政执法人员培训", "执法案卷评查",
           "包容审慎监管", "涉企行政检查", "人民调解工作", "法律明白人培养", "民主法治示范村创建", "网格化治理",
           "村规民约修订", "公共法律服务体系", "营商环境优化", "政务服务事项清单", "应急预案修订", "安全生产执法",
           "数字政府平台建设", "信访事项办理", "行政权力清单", "审计整改工作", "人大代表建议办理", "合同合法性审查"]
RESULTS = ["取得明显成效", "群众满意度进一步提升", "工作规范化水平稳步提高", "各项制度有效落地", "实现了预期目标",
           "依法行政能力明显增强", "办理质效持续提升", "社会治理效能不断增强", "法治氛围更加浓厚", "源头治理成效显现",
           "基层治理基础更加牢固", "风险隐患有效化解", "执法行为更加规范", "决策科学化水平提高", "服务效能明显改善"]
MEASURE = ["件", "次", "场", "项", "人次", "份", "起"]
PROBLEMS = ["执法人员专业素养不足", "普法宣传形式较为单一", "法律顾问作用发挥不充分", "规范性文件清理不够及时",
            "重大决策公众参与度不高", "行政执法监督力量薄弱", "基层调解员队伍不稳定", "信息化水平有待提升"]
CAUSES = ["培训经费和时间保障不足", "新媒体手段运用不多", "咨询论证机制不健全", "专人专岗配备不到位", "群众参与渠道有限",
          "编制紧张人员流动大", "激励保障机制不完善", "资金投入不足"]


def _sentence(rng: random.Random, unit: str) -> str:
    v, o, r = rng.choice(VERBS), rng.choice(OBJECTS), rng.choice(RESULTS)
    n, m = rng.randint(2, 480), rng.choice(MEASURE)
    lead = rng.choice([f"{unit}", "全年", f"{unit}党委政府", "我们", "年内", "今年以来"])
    return f"{lead}{v}{o}，累计{rng.choice(['办理', '开展', '完成', '组织', '审核'])}{n}{m}，{r}。"


def report(rng: random.Random, idx: int, year: int | None = None, place: str | None = None) -> dict:
    place = place or f"{rng.choice(PLACES)}{rng.choice(PLACES)}"
    short, level, issuer_tail = rng.choice(SUFFIX)
    unit = f"{place}{short}"
    issuer = f"{place}{issuer_tail}"
    year = year or rng.randint(2021, 2025)
    lines = [f"{unit}关于{year}年度法治政府建设情况的报告", ""]
    lines += [f"{year}年，{unit}坚持以习近平新时代中国特色社会主义思想为指导，深入贯彻习近平法治思想"
              f"{'和党的二十大精神' if year >= 2022 else '和党的十九大精神'}，现将有关情况报告如下：", ""]
    lines += [f"一、{year}年推进法治政府建设的主要举措和成效", ""]
    for k, theme in enumerate(rng.sample(["加强组织领导", "规范行政决策", "严格规范执法", "化解矛盾纠纷", "深化普法宣传", "推进政务公开"], 4), 1):
        lines += [f"（{'一二三四'[k - 1]}）{theme}", "".join(_sentence(rng, unit) for _ in range(3)), ""]
    lines += ["二、党政主要负责人履行推进法治建设第一责任人职责情况", "",
              f"{unit}主要负责人主持召开专题会议研究法治建设{rng.randint(2, 9)}次，带头会前学法{rng.randint(4, 14)}次，"
              f"出庭应诉{rng.randint(1, 3)}次，年终开展述法。" + _sentence(rng, unit), ""]
    probs = rng.sample(range(len(PROBLEMS)), 2)
    lines += ["三、存在的不足和原因", ""]
    for k, p in enumerate(probs):
        lines += [f"{'一二'[k]}是{PROBLEMS[p]}，全年仅有{rng.randint(1, 6)}名专职人员。主要原因是{CAUSES[p]}。", ""]
    lines += [f"四、{year + 1}年推进法治政府建设的主要安排", ""]
    for k, p in enumerate(probs):
        lines += [f"{'一二'[k]}是针对{PROBLEMS[p][:6]}问题，年底前完成{rng.randint(2, 12)}项整改。" + _sentence(rng, unit), ""]
    lines += ["特此报告。", "", issuer, f"{year + 1}年{rng.randint(1, 2)}月{rng.randint(1, 28)}日", ""]
    return {"text": "\n".join(lines), "unit": unit, "year": year, "level": level}


def plant(rng: random.Random, rep: dict) -> tuple[str, str, str]:
    """Plant one fault; return (text, rule that must fire, fragment of the line where it sits)."""
    lines = rep["text"].split("\n")
    kind = rng.choice(["placeholder", "plan_year", "rate", "request"])
    if kind == "placeholder":
        i = next(i for i, ln in enumerate(lines) if "累计" in ln)
        lines[i] = lines[i].replace("累计", "累计XX次，另", 1)
        return "\n".join(lines), "WORD-PLACEHOLDER", lines[i][:20]
    if kind == "plan_year":
        i = next(i for i, ln in enumerate(lines) if ln.startswith("四、"))
        lines[i] = lines[i].replace(str(rep["year"] + 1), str(rep["year"] - 1), 1)
        return "\n".join(lines), "YEAR-PLAN", lines[i]
    if kind == "rate":
        i = next(i for i, ln in enumerate(lines) if ln.startswith("二、")) + 2
        lines[i] = lines[i] + "行政机关负责人出庭应诉率达120%。"
        return "\n".join(lines), "IND-RATE-OVER-100", lines[i][:20]
    i = next(i for i, ln in enumerate(lines) if ln == "特此报告。")
    lines[i] = "以上报告，妥否，请批示。"
    return "\n".join(lines), "WORD-REQUEST", lines[i]


def near_copy(rng: random.Random, text: str, unit: str) -> str:
    """Another unit's report made from this one: the name changed and a few sentences edited."""
    place = f"{rng.choice(PLACES)}{rng.choice(PLACES)}"
    out = text.replace(unit, f"{place}{unit[-1] if unit[-1] in '镇乡区县' else '街道'}")
    lines = out.split("\n")
    for i in rng.sample(range(len(lines)), max(1, len(lines) // 10)):
        if len(lines[i]) > 30:
            lines[i] = lines[i][:-1] + "，成效得到上级肯定。"
    return "\n".join(lines)


def generate(out: Path, n: int, seed: int = 7, corpus: Path | None = None) -> dict:
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    manifest = {"reports": [], "faults": [], "copies": [], "broken": []}
    made = 0
    if corpus and corpus.is_dir():
        for f in sorted(corpus.glob("*.txt")):
            (out / f"corpus_{f.name}").write_bytes(f.read_bytes())
            manifest["reports"].append(f"corpus_{f.name}")
            made += 1
    for name, data in (("broken_empty.txt", b""), ("broken_random.docx", bytes(rng.getrandbits(8) for _ in range(3000))),
                       ("broken_truncated.pdf", b"%PDF-1.4\n1 0 obj <<>> endobj\n")):
        (out / name).write_bytes(data)
        manifest["broken"].append(name)
        made += 1
    i = 0
    while made < n:
        i += 1
        rep = report(rng, i)
        name = f"r{i:05d}.txt"
        roll = rng.random()
        if roll < 0.1:
            text, rule, fragment = plant(rng, rep)
            manifest["faults"].append({"file": name, "rule": rule, "text": fragment})
        else:
            text = rep["text"]
        (out / name).write_text(text, encoding="utf-8")
        manifest["reports"].append(name)
        made += 1
        if made < n and roll > 0.97:              # an exact copy under another file name
            copy = f"r{i:05d}_copy.txt"
            (out / copy).write_text(text, encoding="utf-8")
            manifest["copies"].append([name, copy])
            made += 1
        elif made < n and 0.94 < roll <= 0.97:    # another unit's report made from this one
            copy = f"r{i:05d}_near.txt"
            (out / copy).write_text(near_copy(rng, text, rep["unit"]), encoding="utf-8")
            manifest["copies"].append([name, copy])
            made += 1
    (out / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    return manifest


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("-n", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--corpus", type=Path, default=Path(__file__).resolve().parent.parent.parent / "shared" / "corpus")
    a = ap.parse_args()
    m = generate(a.out, a.n, a.seed, a.corpus)
    print(f"{a.n} files in {a.out}: {len(m['faults'])} planted faults, {len(m['copies'])} copy pairs, {len(m['broken'])} broken")
