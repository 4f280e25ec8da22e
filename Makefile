# make demo — check the bundled sample reports, write HTML results to reports_out/demo/
# make test — the whole test suite
# make fuzz — the property tests with fresh random examples (make test repeats the same ones)
# make bench — per-stage costs and reports per second on the real corpus
# make bench-serve — the page's time per .docx and 20 uploads at once against `fzcheck serve`
# Each target creates .venv with the project installed when it is missing or stale.

PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: demo test fuzz bench bench-serve bytecode clean

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip "setuptools>=81"
	$(BIN)/python -m pip install -q -e ".[dev]"
	@touch $(STAMP)

# the bytecode of checker/, as a wheel's install writes it: an editable install has none, and
# with PYTHONDONTWRITEBYTECODE set every start compiles ~80 ms of source again (issue 14)
bytecode: $(STAMP)
	@$(BIN)/python -m compileall -q checker > /dev/null

demo: $(STAMP) bytecode
	@echo "== 检查示例报告（samples/，虚构单位，其中两份有意设置了缺陷）"
	@$(BIN)/fzcheck check samples/白鹭区司法局_2024_草稿.txt; test $$? -le 1
	@$(BIN)/fzcheck check samples/*.txt --format html --out reports_out/demo; test $$? -le 1
	@echo
	@echo "== 批量审核 samples/（汇总表、汇总页、逐份结果和核查清单）"
	@$(BIN)/fzcheck audit samples --out reports_out/demo/audit --checklists; test $$? -le 1
	@echo
	@echo "== 结果已写入 reports_out/demo/（用浏览器打开 HTML 文件）："
	@ls -1 reports_out/demo/*.html
	@echo "   reports_out/demo/audit/summary.html、summary.xlsx（批量审核汇总），checklists/（核查清单 .docx）"
	@echo
	@echo "== 本机网页（把报告拖进浏览器检查）：$(BIN)/fzcheck serve"
	@echo "   启动后打开 http://127.0.0.1:8765/ ，把 Word/WPS/PDF 拖进页面；JSON 接口说明在 http://127.0.0.1:8765/api"

test: $(STAMP) bytecode
	$(BIN)/python -m pytest

fuzz: $(STAMP)
	HYPOTHESIS_PROFILE=explore $(BIN)/python -m pytest -q tests/test_fuzz.py

bench: $(STAMP) bytecode
	$(BIN)/python bench/run.py --startup

bench-serve: $(STAMP)
	$(BIN)/python bench/serve.py

clean:
	rm -rf $(VENV) reports_out/demo build dist
