"""CPU seconds used so far by process trees: each root, its reaped children, and its live descendants.

    python3 scripts/load/cpu.py GUNICORN_MASTER_PID POSTMASTER_PID   ->   "12.34 56.78"

run.sh reads it before and after the measured run, so the report can say how much CPU the app and the database
spent per request: a figure that, unlike response times, hardly changes when other work shares the machine."""

import os
import sys

TICKS = os.sysconf("SC_CLK_TCK")


def stat(pid: int) -> list[str]:
    with open(f"/proc/{pid}/stat") as f:
        return f.read().rsplit(")", 1)[1].split()


def children(pid: int) -> list[int]:
    found = []
    for task in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{task}/children") as f:
                found += [int(c) for c in f.read().split()]
        except FileNotFoundError:
            continue
    return found


def tree_seconds(pid: int, root: bool = True) -> float:
    """utime + stime (fields 14, 15), plus cutime + cstime (16, 17) of the root: children it already reaped."""
    try:
        fields = stat(pid)
    except FileNotFoundError:
        return 0.0
    ticks = int(fields[11]) + int(fields[12]) + (int(fields[13]) + int(fields[14]) if root else 0)
    return ticks / TICKS + sum(tree_seconds(child, root=False) for child in children(pid))


if __name__ == "__main__":
    print(" ".join(f"{tree_seconds(int(pid)):.2f}" for pid in sys.argv[1:]))
