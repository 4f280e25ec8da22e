"""fzcheck: checks 法治政府建设年度报告 against the outline the rules require."""
__version__ = "0.1.0"
