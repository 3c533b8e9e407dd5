"""The seccomp filter each child loads last, built once in the host.

Default: allow. Denied with EPERM: debugging other processes, mounting and
namespaces, kernel keyrings, BPF, perf, userfaultfd, io_uring, kernel modules,
kexec, reboot, swap, syslog, clock setters, identity changes and capabilities.
`clone3` answers ENOSYS (glibc then falls back to `clone`, whose flags can be
inspected), `clone` with any CLONE_NEW* flag and `ioctl(TIOCSTI)` answer EPERM,
and sockets of any family but AF_UNIX answer EACCES. Syscalls of a foreign
architecture (the i386 ABI on x86_64) kill the process: libseccomp's default.
"""

from __future__ import annotations

import errno
import socket
from typing import Any

from engine.sandbox import kernel

DENIED = (
    "ptrace", "process_vm_readv", "process_vm_writev", "pidfd_getfd", "kcmp",
    "mount", "umount2", "pivot_root", "chroot", "unshare", "setns",
    "fsopen", "fsmount", "fsconfig", "move_mount", "open_tree", "fspick", "mount_setattr",
    "keyctl", "add_key", "request_key", "bpf", "perf_event_open", "userfaultfd",
    "io_uring_setup", "io_uring_enter", "io_uring_register",
    "init_module", "finit_module", "delete_module", "kexec_load", "kexec_file_load",
    "reboot", "swapon", "swapoff", "syslog", "acct", "quotactl", "vhangup",
    "settimeofday", "clock_settime", "clock_adjtime", "adjtimex",
    "setuid", "setgid", "setreuid", "setregid", "setresuid", "setresgid", "setgroups",
    "setfsuid", "setfsgid", "capset", "name_to_handle_at", "open_by_handle_at",
    "lookup_dcookie", "iopl", "ioperm", "fanotify_init",
)  # fmt: skip
TIOCSTI = 0x5412
NAMESPACE_FLAGS = (
    kernel.CLONE_NEWNS, kernel.CLONE_NEWUTS, kernel.CLONE_NEWIPC, kernel.CLONE_NEWUSER,
    kernel.CLONE_NEWPID, kernel.CLONE_NEWNET, kernel.CLONE_NEWCGROUP,
)  # fmt: skip


def build() -> Any | None:
    """The filter, ready to `load()` in a child; None where libseccomp is missing."""
    try:
        import pyseccomp as seccomp
    except (ImportError, RuntimeError, OSError):
        return None
    deny = seccomp.ERRNO(errno.EPERM)
    rules = seccomp.SyscallFilter(seccomp.ALLOW)
    for name in DENIED:
        try:
            rules.add_rule(deny, name)
        except (OSError, RuntimeError, ValueError):
            continue  # a syscall this kernel or libseccomp does not know
    rules.add_rule(seccomp.ERRNO(errno.ENOSYS), "clone3")
    for flag in NAMESPACE_FLAGS:
        rules.add_rule(deny, "clone", seccomp.Arg(0, seccomp.MASKED_EQ, flag, flag))
    rules.add_rule(
        deny, "ioctl", seccomp.Arg(1, seccomp.MASKED_EQ, 0xFFFFFFFF, TIOCSTI)
    )
    rules.add_rule(
        seccomp.ERRNO(errno.EACCES),
        "socket",
        seccomp.Arg(0, seccomp.NE, socket.AF_UNIX),
    )
    return rules
