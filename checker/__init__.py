"""fzcheck: checks 法治政府建设年度报告 against the outline the rules require."""
import os

__version__ = "0.1.0"

# pydantic looks for plugins among every installed package's entry points when it builds its
# first model (~12 ms of importlib.metadata at each start); fzcheck uses none. A value the user
# set stands.
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
