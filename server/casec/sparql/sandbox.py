"""Confine a query executor with the kernel's help, so that a query the guard misread still cannot reach out.

Applied in each executor right after it is forked, before it reads a query:

* a seccomp filter (libseccomp, through pyseccomp) makes ``socket``,
  ``socketpair``, the ``io_uring`` calls (which can open sockets past a socket
  filter) and ``execve`` fail with EACCES: the engine's HTTP client for
  SERVICE gets an error, not a connection. Chosen over a network namespace
  (``unshare(CLONE_NEWUSER|CLONE_NEWNET)``) although both cost about 1 ms per
  executor here, because it needs no user namespaces (which many hosts turn
  off) and also blocks exec and io_uring;
* ``PR_SET_PDEATHSIG``: the executor is killed when the worker that forked it
  dies, so no query outlives its worker (or its time limit);
* every inherited descriptor but the executor's own pipe is closed (the
  listening socket, clients' connections), so a dead worker's port is free;
* ``RLIMIT_AS``: the executor may grow by ``memory`` bytes over what it
  inherited; an allocation past that fails and the executor dies, which the
  runner reports as the memory limit.
"""

from __future__ import annotations

import ctypes
import errno
import os
import resource
import signal
from dataclasses import dataclass

from casec.settings import Settings

_PR_SET_PDEATHSIG = 1
_BLOCKED = ("socket", "socketpair", "io_uring_setup", "io_uring_enter", "io_uring_register", "execve", "execveat")


class SandboxUnavailable(RuntimeError):
    """The kernel or the system lacks what the sandbox needs."""


@dataclass(frozen=True)
class Confinement:
    """What an executor is confined by; ``network`` False means the seccomp filter is skipped (--allow-unsandboxed)."""

    network: bool = True
    memory: int | None = None  # bytes an executor may allocate beyond what it inherits

    @classmethod
    def of(cls, settings: Settings, network: bool = True) -> Confinement:
        """As the settings say; ``network`` False for an external store, which executors reach over the network."""
        return cls(network=network and not settings.allow_unsandboxed, memory=settings.query_memory * 2**20)


def check_available() -> None:
    """Fail loudly at start-up, not at the first query, where seccomp cannot be used."""
    try:
        import pyseccomp  # noqa: F401
    except (ImportError, OSError) as error:
        raise SandboxUnavailable(f"seccomp is not available ({error}); install libseccomp2") from None
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            if not any(line.startswith("Seccomp:") for line in status):
                raise SandboxUnavailable("this kernel does not support seccomp filters")
    except OSError as error:
        raise SandboxUnavailable(f"cannot tell whether the kernel supports seccomp: {error}") from None


def confine(confinement: Confinement, keep_fd: int, parent_pid: int) -> None:
    """Run in the freshly forked executor; kills it (exit 70) rather than leave it unconfined."""
    try:
        _die_with_parent(parent_pid)
        _close_inherited(keep_fd)
        if confinement.memory is not None:
            _limit_memory(confinement.memory)
        if confinement.network:
            _block_network()
    except Exception:  # an executor that cannot be confined must not run queries
        os._exit(70)


def _die_with_parent(parent_pid: int) -> None:
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_PDEATHSIG)")
    if os.getppid() != parent_pid:  # the parent died before the signal was armed
        os._exit(0)


def _close_inherited(keep_fd: int) -> None:
    high = os.sysconf("SC_OPEN_MAX")
    os.closerange(3, keep_fd)
    os.closerange(keep_fd + 1, high)


def _limit_memory(extra: int) -> None:
    with open("/proc/self/status", encoding="ascii") as status:
        size_kib = next(int(line.split()[1]) for line in status if line.startswith("VmSize:"))
    limit = size_kib * 1024 + extra
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def _block_network() -> None:
    import pyseccomp

    sandbox = pyseccomp.SyscallFilter(pyseccomp.ALLOW)
    for name in _BLOCKED:
        sandbox.add_rule(pyseccomp.ERRNO(errno.EACCES), name)
    sandbox.load()
