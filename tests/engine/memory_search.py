"""Job B of tests/engine/test_hostile_memory.py: a submission to the IoU
exercise that, on its first case, searches its whole process for markers
("TUTORMARK" + a hex tail) that an earlier job on the same host held, in every
frame above its own, every object the garbage collector knows, and every byte
of readable memory, and prints what it found as one JSON line.

The child has no /proc (its private root does not mount one), so the raw
search finds the mappings itself, around everything the process knows of (its
objects, heap break, stack and libraries): `mincore` says whether a range is
wholly mapped, `mmap(MAP_FIXED_NOREPLACE)` whether it is wholly free, and a
range that is neither is split in two. Each mapping but the libraries'
read-only code is then read through a pipe, which turns an unreadable page
into EFAULT instead of a crash.
"""

from __future__ import annotations

# Job B. {head}, {tails} and {control_tail} are filled in by the test; the
# source never holds a head directly followed by a tail.
SEARCH = """
import ctypes, fcntl, gc, json, os, sys, time, types

HEAD = {head!r}
TAILS = {tails!r}
CONTROL_TAIL = {control_tail!r}
_CONTROL = []
_REPORTED = []


def count_in(data, head, tails):
    # Occurrences of head + tail in `data`, one count per tail, without ever
    # building head + tail.
    counts = [0] * len(tails)
    start = data.find(head)
    while start >= 0:
        after = start + len(head)
        for index, tail in enumerate(tails):
            if data[after : after + len(tail)] == tail:
                counts[index] += 1
        start = data.find(head, after)
    return counts


def add(total, counts):
    for index, count in enumerate(counts):
        total[index] += count


def search_value(value, tails, total, seen, depth):
    if depth > 8 or id(value) in seen:
        return
    seen.add(id(value))
    if isinstance(value, str):
        add(total, count_in(value, HEAD, tails))
    elif isinstance(value, (bytes, bytearray)):
        add(total, count_in(bytes(value), HEAD.encode(), [t.encode() for t in tails]))
    elif isinstance(value, dict):
        for key, item in list(value.items()):
            search_value(key, tails, total, seen, depth + 1)
            search_value(item, tails, total, seen, depth + 1)
    elif isinstance(value, (list, tuple, set, frozenset)):
        for item in list(value):
            search_value(item, tails, total, seen, depth + 1)
    elif isinstance(value, types.CodeType):
        search_value(value.co_consts, tails, total, seen, depth + 1)
    elif isinstance(value, types.ModuleType):
        return  # reached through f_globals of its own frames
    else:
        attributes = getattr(value, "__dict__", None)
        if isinstance(attributes, dict):
            search_value(attributes, tails, total, seen, depth + 1)


def search_frames(tails):
    total, seen = [0] * len(tails), set()
    frame = sys._getframe()
    while frame is not None:
        search_value(frame.f_code, tails, total, seen, 0)
        search_value(dict(frame.f_locals), tails, total, seen, 0)
        search_value(frame.f_globals, tails, total, seen, 0)
        frame = frame.f_back
    return total


def search_objects(tails):
    gc.unfreeze()  # the host froze what it imported: look at that too
    total, seen = [0] * len(tails), set()
    head_bytes, tail_bytes = HEAD.encode(), [t.encode() for t in tails]
    for owner in gc.get_objects():
        for item in gc.get_referents(owner):
            if id(item) in seen:
                continue
            if isinstance(item, str):
                seen.add(id(item))
                add(total, count_in(item, HEAD, tails))
            elif isinstance(item, (bytes, bytearray)):
                seen.add(id(item))
                add(total, count_in(bytes(item), head_bytes, tail_bytes))
            elif isinstance(item, types.CodeType):
                seen.add(id(item))
                for const in item.co_consts:
                    if isinstance(const, str):
                        add(total, count_in(const, HEAD, tails))
                    elif isinstance(const, bytes):
                        add(total, count_in(const, head_bytes, tail_bytes))
    return total


PAGE = os.sysconf("SC_PAGE_SIZE")
LOWEST, HIGHEST = 0x10000, 0x7FFFFFFFF000
PROT_NONE, MAP_PRIVATE, MAP_ANONYMOUS = 0, 0x02, 0x20
MAP_NORESERVE, MAP_FIXED_NOREPLACE = 0x4000, 0x100000
MAP_FAILED = ctypes.c_void_p(-1).value
MINCORE_MAX = 1 << 30
WINDOW = 16 << 30


def windows(libc):
    # Where this process's mappings are: around its objects, its heap break,
    # its stack and its loaded libraries, 16 GiB either side. The kernel puts
    # every mapping the host made (malloc, arenas, libraries) in these
    # clusters; proving the rest of the 128 TiB free would take some 10^5
    # probes, each under the job's address-space limit.
    points = {{id(item) for item in gc.get_objects()}}
    points.add(libc.sbrk(0))
    points.add(ctypes.c_void_p.in_dll(libc, "__libc_stack_end").value)
    points.update(low for low, _ in code_segments(libc))
    spans = []
    for granule in sorted({{point // WINDOW for point in points if point}}):
        low = max(LOWEST, (granule - 1) * WINDOW)
        high = min(HIGHEST, (granule + 2) * WINDOW)
        if spans and spans[-1][1] >= low:
            spans[-1] = (spans[-1][0], high)
        elif low < high:
            spans.append((low, high))
    return spans


def mappings(libc):
    # Every mapped range in those windows, without /proc.
    vector = ctypes.create_string_buffer(MINCORE_MAX // PAGE)
    found, pending = [], windows(libc)
    while pending:
        low, high = pending.pop()
        size = high - low
        if size <= MINCORE_MAX and libc.mincore(low, size, vector) == 0:
            found.append((low, high))  # wholly mapped
            continue
        if size == PAGE:
            continue  # mincore says unmapped
        address = libc.mmap(
            low, size, PROT_NONE,
            MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED_NOREPLACE, -1, 0,
        )
        if address not in (None, MAP_FAILED):
            libc.munmap(address, size)
            if address == low:
                continue  # wholly free
        # Partly mapped, or too large for the address-space limit: halve it.
        middle = low + (size // 2 // PAGE) * PAGE
        pending += [(low, middle), (middle, high)]
    found.sort()
    merged = []
    for low, high in found:
        if merged and merged[-1][1] == low:
            merged[-1] = (merged[-1][0], high)
        else:
            merged.append((low, high))
    return merged


class ProgramHeader(ctypes.Structure):  # Elf64_Phdr
    _fields_ = [
        ("type", ctypes.c_uint32), ("flags", ctypes.c_uint32),
        ("offset", ctypes.c_uint64), ("vaddr", ctypes.c_uint64),
        ("paddr", ctypes.c_uint64), ("filesz", ctypes.c_uint64),
        ("memsz", ctypes.c_uint64), ("align", ctypes.c_uint64),
    ]


class LoadedObject(ctypes.Structure):  # struct dl_phdr_info
    _fields_ = [
        ("base", ctypes.c_uint64), ("name", ctypes.c_char_p),
        ("headers", ctypes.POINTER(ProgramHeader)), ("count", ctypes.c_uint16),
    ]


def code_segments(libc):
    # The read-only segments of every loaded ELF object (their machine code
    # and constants, straight from the file): no job can have written there.
    found = []

    def visit(info, size, data):
        loaded = info.contents
        for index in range(loaded.count):
            header = loaded.headers[index]
            if header.type == 1 and not header.flags & 2:  # PT_LOAD, not PF_W
                start = loaded.base + header.vaddr
                found.append((
                    start // PAGE * PAGE,
                    (start + header.memsz + PAGE - 1) // PAGE * PAGE,
                ))
        return 0

    callback = ctypes.CFUNCTYPE(
        ctypes.c_int, ctypes.POINTER(LoadedObject), ctypes.c_size_t, ctypes.c_void_p
    )(visit)
    libc.dl_iterate_phdr(callback, None)
    return sorted(found)


def without(ranges, holes):
    for low, high in ranges:
        for hole_low, hole_high in holes:
            if hole_high <= low or hole_low >= high:
                continue
            if hole_low > low:
                yield low, hole_low
            low = max(low, hole_high)
            if low >= high:
                break
        if low < high:
            yield low, high


def search_memory(libc, tails):
    total = [0] * len(tails)
    head, tail_bytes = HEAD.encode(), [t.encode() for t in tails]
    overlap = len(head) + max(len(t) for t in tail_bytes)
    read_end, write_end = os.pipe()
    chunk = fcntl.fcntl(write_end, 1031, 1 << 20)  # F_SETPIPE_SZ
    ranges = mappings(libc)
    mapped = sum(high - low for low, high in ranges)
    readable = 0
    for low, high in without(ranges, code_segments(libc)):
        address, previous = low, b""
        while address < high:
            size = min(chunk, high - address)
            window = (ctypes.c_char * size).from_address(address)
            try:
                written = os.write(write_end, window)
            except OSError:
                address += PAGE  # unreadable page (PROT_NONE, say)
                previous = b""
                continue
            data = b""
            while len(data) < written:
                data += os.read(read_end, written - len(data))
            readable += written
            add(total, count_in(data, head, tail_bytes))
            # A match across two reads (it may be counted twice: only zero matters).
            add(total, count_in(previous + data[:overlap], head, tail_bytes))
            previous = data[-overlap:]
            address += written
    os.close(read_end)
    os.close(write_end)
    return total, len(ranges), mapped >> 20, readable >> 20


def search():
    libc = ctypes.CDLL(None, use_errno=True)
    libc.mincore.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_void_p]
    libc.mmap.restype = ctypes.c_void_p
    libc.mmap.argtypes = [
        ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int, ctypes.c_int,
        ctypes.c_int, ctypes.c_long,
    ]
    libc.munmap.argtypes = [ctypes.c_void_p, ctypes.c_size_t]
    libc.sbrk.restype = ctypes.c_void_p
    _CONTROL.append(HEAD + CONTROL_TAIL)  # built now: the child holds it
    tails = [CONTROL_TAIL, *TAILS]
    started = time.perf_counter()
    frames = search_frames(tails)
    objects = search_objects(tails)
    memory, count, mapped, readable = search_memory(libc, tails)
    return {{
        "control": [frames[0], objects[0], memory[0]],
        "found": [[frames[i], objects[i], memory[i]] for i in range(1, len(tails))],
        "mappings": count, "mapped_mb": mapped, "read_mb": readable,
        "seconds": round(time.perf_counter() - started, 1),
    }}


def iou(box_a, box_b):
    if not _REPORTED:
        _REPORTED.append(1)
        print("SEARCH " + json.dumps(search()))
    ax0, ay0, ax1, ay1 = (float(v) for v in box_a)
    bx0, by0, bx1, by1 = (float(v) for v in box_b)
    width = max(0.0, min(ax1, bx1) - max(ax0, bx0))
    height = max(0.0, min(ay1, by1) - max(ay0, by0))
    inter = width * height
    union = (ax1 - ax0) * (ay1 - ay0) + (bx1 - bx0) * (by1 - by0) - inter
    return inter / union if union > 0 else 0.0
"""
