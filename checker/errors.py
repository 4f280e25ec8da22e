"""Errors that end a command with exit code 2 and a one-line Chinese message, never a traceback."""


class InputError(Exception):
    """An input file that cannot be used (unreadable, binary, too large, wrong format)."""

    def __init__(self, path: str, message: str):
        super().__init__(f"{path}: {message}")
        self.path = path
        self.message = message


class ConfigError(Exception):
    """A rule, grammar or configuration file that is malformed; names the file and the field."""
