"""What this kernel can run, found out independently of btrun (lit.cfg.py turns the
answers into features), so a test that expects btrun to refuse a probe type runs only
where the kernel really lacks it, and the real tests run where it has it."""
import ctypes
import os
import struct

BPF_PROG_LOAD, BPF_RAW_TRACEPOINT_OPEN = 5, 17
BPF_PROG_TYPE_TRACING, BPF_TRACE_FENTRY = 26, 24
BTF_KIND_FUNC = 12
# Bytes that follow a BTF type's 12-byte header, by kind (vlen: the low 16 bits of info).
_BTF_EXTRA = {1: lambda v: 4, 3: lambda v: 12, 4: lambda v: 12 * v, 5: lambda v: 12 * v,
              6: lambda v: 8 * v, 13: lambda v: 8 * v, 14: lambda v: 4, 15: lambda v: 12 * v,
              17: lambda v: 4, 19: lambda v: 12 * v}
_SYS_BPF = {"x86_64": 321, "aarch64": 280}


def have_kprobes():
    # What btrun looks for too: the kprobe PMU or tracefs' kprobe_events.
    return (os.path.exists("/sys/bus/event_source/devices/kprobe")
            or os.path.exists("/sys/kernel/tracing/kprobe_events"))


def module_function():
    """(module, function): a function of a loaded kernel module that kprobes can attach
    to (ftrace lists it as "function [module]"), or None."""
    try:
        with open("/sys/kernel/tracing/available_filter_functions") as functions:
            for line in functions:
                parts = line.split()
                if len(parts) == 2 and parts[1].startswith("[") and "." not in parts[0]:
                    return parts[1].strip("[]"), parts[0]
    except OSError:
        pass
    return None


def _btf_func_id(name, path="/sys/kernel/btf/vmlinux"):
    """The BTF type id of kernel function NAME, or None."""
    with open(path, "rb") as f:
        data = f.read()
    magic, _, _, hdr_len, type_off, type_len, str_off, str_len = struct.unpack_from(
        "<HBBIIIII", data)
    if magic != 0xEB9F:
        return None
    strings = data[hdr_len + str_off:hdr_len + str_off + str_len]
    at = strings.find(b"\0" + name.encode() + b"\0")
    if at < 0:
        return None
    name_off = at + 1
    pos, end, type_id = hdr_len + type_off, hdr_len + type_off + type_len, 1
    while pos < end:
        off, info, _ = struct.unpack_from("<III", data, pos)
        kind, vlen = (info >> 24) & 0x1F, info & 0xFFFF
        if kind == BTF_KIND_FUNC and off == name_off:
            return type_id
        pos += 12 + _BTF_EXTRA.get(kind, lambda v: 0)(vlen)
        type_id += 1
    return None


def have_fentry(function="do_sys_openat2"):
    """Loads a fentry program that returns 0 on FUNCTION and attaches it for a moment."""
    nr = _SYS_BPF.get(os.uname().machine)
    if nr is None or not os.path.exists("/sys/kernel/btf/vmlinux"):
        return False
    btf_id = _btf_func_id(function)
    if btf_id is None:
        return False
    libc = ctypes.CDLL(None, use_errno=True)
    libc.syscall.restype = ctypes.c_long
    insns = ctypes.create_string_buffer(struct.pack("<BBhi", 0xB7, 0, 0, 0)  # r0 = 0
                                        + struct.pack("<BBhi", 0x95, 0, 0, 0))  # exit
    license = ctypes.create_string_buffer(b"GPL")
    attr = ctypes.create_string_buffer(144)
    struct.pack_into("<IIQQ", attr, 0, BPF_PROG_TYPE_TRACING, 2,
                     ctypes.addressof(insns), ctypes.addressof(license))
    struct.pack_into("<I", attr, 68, BPF_TRACE_FENTRY)
    struct.pack_into("<I", attr, 108, btf_id)
    prog = libc.syscall(nr, BPF_PROG_LOAD, attr, 144)
    if prog < 0:
        return False
    link_attr = ctypes.create_string_buffer(144)
    struct.pack_into("<QI", link_attr, 0, 0, prog)
    link = libc.syscall(nr, BPF_RAW_TRACEPOINT_OPEN, link_attr, 144)
    os.close(prog)
    if link < 0:
        return False
    os.close(link)
    return True


_SYS_PERF_EVENT_OPEN = {"x86_64": 298, "aarch64": 241}


def have_hardware_events():
    """Opens a counting cpu-cycles event on CPU 0 (perf_event_open, PERF_TYPE_HARDWARE):
    a VM without a virtual PMU says ENOENT or EOPNOTSUPP."""
    nr = _SYS_PERF_EVENT_OPEN.get(os.uname().machine)
    if nr is None:
        return False
    attr = bytearray(128)
    struct.pack_into("<IIQ", attr, 0, 0, len(attr), 0)  # type HARDWARE, size, CPU_CYCLES
    struct.pack_into("<Q", attr, 40, 1)                  # disabled
    buf = ctypes.create_string_buffer(bytes(attr), len(attr))
    libc = ctypes.CDLL(None, use_errno=True)
    fd = libc.syscall(nr, buf, -1, 0, -1, 0)
    if fd < 0:
        return False
    os.close(fd)
    return True


def have_hardware_breakpoints():
    """Watches an 8-byte word of this process for writes (PERF_TYPE_BREAKPOINT), writes
    it twice and reads the count: a VM whose debug registers are not virtualised opens
    the event but never counts."""
    nr = _SYS_PERF_EVENT_OPEN.get(os.uname().machine)
    if nr is None:
        return False
    word = ctypes.create_string_buffer(8)
    attr = bytearray(128)
    struct.pack_into("<IIQ", attr, 0, 5, len(attr), 0)   # type BREAKPOINT, size
    struct.pack_into("<Q", attr, 40, (1 << 5) | (1 << 6))  # exclude_kernel, exclude_hv
    struct.pack_into("<IQQ", attr, 52, 2, ctypes.addressof(word), 8)  # HW_BREAKPOINT_W
    buf = ctypes.create_string_buffer(bytes(attr), len(attr))
    libc = ctypes.CDLL(None, use_errno=True)
    fd = libc.syscall(nr, buf, 0, -1, -1, 0)
    if fd < 0:
        return False
    try:
        ctypes.memmove(word, b"\1" * 8, 8)
        ctypes.memmove(word, b"\2" * 8, 8)
        return struct.unpack("<Q", os.read(fd, 8))[0] > 0
    finally:
        os.close(fd)
