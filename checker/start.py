"""The command's start (`fzcheck`, `python -m checker`): the modules loaded with the cycle
collector off, then moved out of its way, before any report is read.

Loading fzcheck builds some 70 pydantic models and the command line's; the objects they make
live as long as the process, yet each of the ~130 collections their allocations trigger walks
them all, ~45 ms of a one-file check's 0.4 s. So the collector waits while they load; then
gc.freeze() leaves them out of every later collection (and of the pages a forked worker would
otherwise copy when the collector touches them), and collection resumes as usual for the
reports: a long audit or the web page collect their garbage as before."""
import gc


def main() -> None:
    gc.disable()
    try:
        from . import cli
        # what every command that checks a report loads first (its configuration, the pipeline,
        # the rendering): loaded here, with the rest, rather than once collection is back on
        from . import config, render, report  # noqa: F401
    finally:
        gc.freeze()
        gc.enable()
    cli.main()
