"""``creditrules completion bash|zsh|fish``: the shell code that completes creditrules.

Completion is argcomplete's: the shell code asks ``creditrules`` itself for candidates,
so commands, options, choices and ``--ruleset`` ids stay in step with the installed
version. Install it once per shell::

    creditrules completion bash > ~/.local/share/bash-completion/completions/creditrules
    creditrules completion zsh  > "${fpath[1]}/_creditrules"     # or: eval "$(creditrules completion zsh)"
    creditrules completion fish > ~/.config/fish/completions/creditrules.fish
"""

from __future__ import annotations

import argparse

from argcomplete.shell_integration import shellcode

from creditrules.cli.parser import Subparsers, add_command, bi

SHELLS = ("bash", "zsh", "fish")


def register(sub: Subparsers) -> None:
    """Add the ``completion`` command."""
    s = add_command(
        sub,
        "completion",
        zh="输出 shell 补全脚本",
        en="print the shell code that completes creditrules commands and options",
        description=bi("输出 shell 补全脚本", "print the shell completion code")
        + "\n\n"
        + "  creditrules completion bash > ~/.local/share/bash-completion/completions/creditrules\n"
        + '  eval "$(creditrules completion zsh)"            # in ~/.zshrc\n'
        + "  creditrules completion fish > ~/.config/fish/completions/creditrules.fish",
        exit_codes=[(0, "已输出脚本", "printed")],
    )
    s.add_argument("shell", choices=SHELLS, help=bi("shell 类型", "which shell"))
    s.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Print the completion code for the shell named."""
    print(shellcode(["creditrules"], shell=args.shell), end="")
    return 0
