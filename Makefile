# jjnlp — 两条命令：make demo（安装并在自带语料上运行），make test（安装并运行全部检查与测试）
PYTHON ?= python3.11
VENV   ?= .venv
PY     := $(VENV)/bin/python
EXTRAS ?= dev
comma  := ,
STAMP  := $(VENV)/.installed-$(subst $(comma),_,$(EXTRAS))

.PHONY: demo test lint typecheck eval formats bench models install clean

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "需要 Python 3.11（$(PYTHON)）"; exit 2; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[$(EXTRAS)]'
	rm -f $(VENV)/.installed-*
	@touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(VENV)/bin/jjnlp structure corpora/docs/wr_01_qingshan_2024h1.txt
	$(VENV)/bin/jjnlp extract corpora/docs/wr_01_qingshan_2024h1.txt --no-blocks
	$(VENV)/bin/jjnlp metrics corpora/docs/wr_01_qingshan_2024h1.txt
	$(VENV)/bin/jjnlp entities corpora/docs/cn_01_linxi_baxiang.txt
	$(VENV)/bin/jjnlp audit corpora/docs/*.txt --severity warning; \
		echo "（审校退出码 $$?：ae_* 样本中有意注入了错误，发现错误时退出码为 1）"
	$(VENV)/bin/jjnlp eval corpora/gold
	$(VENV)/bin/jjnlp eval corpora/gold --source-format pdf
	$(VENV)/bin/jjnlp eval corpora/heldout/gold
	$(VENV)/bin/jjnlp eval corpora/realformats/gold --source-format pdf --tasks headings,metrics,cases
	$(VENV)/bin/jjnlp batch corpora/batch --out out/batch --gold corpora/batch/gold.json; \
		echo "（批量审核退出码 $$?：语料中有意放了一个损坏的文件，有文件处理失败时退出码为 2）"
	$(VENV)/bin/jjnlp batch corpora/batch-heldout --out out/batch-heldout --manifest corpora/batch-heldout/manifest.csv \
		--quiet --gold corpora/batch-heldout/gold.json; true
	$(VENV)/bin/jjnlp index corpora/docs --store out/jjnlp.db --quiet
	$(VENV)/bin/jjnlp search 惠民惠农 --store out/jjnlp.db --limit 3
	@echo "（检索接口：$(VENV)/bin/jjnlp keys create --role analyst --store out/jjnlp.db，再 $(VENV)/bin/jjnlp serve --store out/jjnlp.db）"

lint: $(STAMP)
	$(VENV)/bin/ruff check src tests scripts
	$(VENV)/bin/ruff format --check src tests scripts

typecheck: $(STAMP)
	$(VENV)/bin/mypy

test: lint typecheck
	$(VENV)/bin/pytest -q

# retrain the shipped models from the generated training data (the NER corpus reuses the
# problem statements as entity-free prose, so the problem data comes first)
models: $(STAMP)
	$(PY) scripts/make_problem_data.py
	$(PY) scripts/train_classifier.py
	$(PY) scripts/make_ner_data.py
	$(PY) scripts/train_ner.py

eval: $(STAMP)
	$(VENV)/bin/jjnlp eval corpora/gold

formats: $(STAMP)
	$(PY) scripts/make_formats.py

bench: $(STAMP)
	$(PY) scripts/bench_pipeline.py

clean:
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .ruff_cache
