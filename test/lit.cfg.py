# lit configuration for all three test levels: codegen, lit and runtime.
import os
import shutil
import sys
import lit.formats

config.name = "btc"
config.test_format = lit.formats.ShTest(execute_external=False)
config.suffixes = [".bt", ".test", ".ll"]
config.excludes = ["Inputs", "lit.cfg.py", "CMakeLists.txt"]
config.test_source_root = os.path.dirname(__file__)

build_dir = lit_config.params.get("build_dir",
                                  os.path.join(config.test_source_root, "..", "build"))
build_dir = os.path.abspath(build_dir)
config.test_exec_root = os.path.join(build_dir, "test")

bin_dir = os.path.join(build_dir, "bin")
llvm_bin = "/usr/lib/llvm-19/bin"
config.environment["PATH"] = os.pathsep.join(
    [bin_dir, llvm_bin, config.environment.get("PATH", os.environ.get("PATH", ""))])
# The sanitizer options reach the tools of a sanitized build (scripts/sanitize.sh).
for var in ("HOME", "TMPDIR", "LANG", "TERM", "ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS"):
    if var in os.environ:
        config.environment[var] = os.environ[var]

config.substitutions.append(("%btc", os.path.join(bin_dir, "btc")))
config.substitutions.append(("%btrun", os.path.join(bin_dir, "btrun")))
config.substitutions.append(("%bindir", bin_dir))
config.substitutions.append(("%lit", os.path.abspath(sys.argv[0])))
# The clang that builds the BPF objects tests import (`import "x.bpf.o";`).
config.substitutions.append(("%clang", os.path.join(llvm_bin, "clang")))
config.substitutions.append(("%inputs", os.path.join(config.test_source_root, "Inputs")))
# The target compile tests are built for, so they need neither root nor tracefs
# (a description of this host, made by scripts/make-test-target.py).
config.substitutions.append(("%target", os.path.join(config.test_source_root, "Inputs",
                                                     "targets", "x86_64-6.18.json")))
config.substitutions.append(("%runtime_helpers",
                             os.path.join(config.test_source_root, "runtime", "helpers")))

# Runtime tests need root and a kernel with tracefs; others run anywhere.
if os.geteuid() == 0:
    config.available_features.add("root")
if shutil.which("bpftrace"):
    config.available_features.add("bpftrace")
# "Nothing left loaded" checks list the kernel's programs and maps with bpftool.
if shutil.which("bpftool"):
    config.available_features.add("bpftool")
# Man pages are made at build time where help2man is installed (packaging/).
if os.path.exists(os.path.join(build_dir, "man", "btc.1")):
    config.available_features.add("man-pages")
# deploy/ is rendered with kubectl kustomize (offline) where kubectl is installed.
if shutil.which("kubectl"):
    config.available_features.add("kubectl")
# OCI image layouts are inspected and copied with skopeo (docs/FLEET.md, "OCI image").
if shutil.which("skopeo"):
    config.available_features.add("skopeo")
# The loopback registry test pushes to Debian's docker-registry and signs with gpg; the
# runner image runs under podman (test/lit/oci/).
for tool in ("docker-registry", "gpg", "podman"):
    if shutil.which(tool):
        config.available_features.add(tool)
# btrun --metrics is scraped by Debian's Prometheus server and checked by its promtool.
if shutil.which("prometheus") and shutil.which("promtool"):
    config.available_features.add("prometheus")
# Probe types this kernel may lack, found out without btrun (test/Inputs/kernel_features.py):
# the tests that expect btrun to refuse them require no-kprobes / no-fentry, the tests
# that run them require kprobes / fentry.
sys.path.insert(0, os.path.join(config.test_source_root, "Inputs"))
import kernel_features
config.available_features.add("kprobes" if kernel_features.have_kprobes() else "no-kprobes")
if os.geteuid() == 0:
    config.available_features.add("fentry" if kernel_features.have_fentry() else "no-fentry")
    # kprobe:MODULE:fn needs a loaded module: one of its functions, as %modname:%modfunc.
    module_function = kernel_features.module_function()
    if module_function:
        config.available_features.add("kernel-module-functions")
        config.substitutions.append(("%modname", module_function[0]))
        config.substitutions.append(("%modfunc", module_function[1]))
    # hardware: probes need a PMU that counts (none in a VM without a virtual one).
    config.available_features.add("pmu" if kernel_features.have_hardware_events() else "no-pmu")
    # watchpoint: probes need debug registers that fire (a VM may open the event and
    # never count).
    if kernel_features.have_hardware_breakpoints():
        config.available_features.add("hw-breakpoints")
    # percpu_kaddr() needs the per-CPU variables' addresses in /proc/kallsyms
    # (CONFIG_KALLSYMS_ALL): libbpf resolves its typed __ksym there.
    with open("/proc/kallsyms") as kallsyms:
        if any(line.rstrip().endswith(" runqueues") and not line.startswith("0000000000000000")
               for line in kallsyms):
            config.available_features.add("kallsyms-data")
if os.path.exists(os.path.join(bin_dir, "btrun-static")):
    config.available_features.add("btrun-static")
if os.path.exists("/sys/kernel/btf/vmlinux"):
    config.available_features.add("btf")
    # A tp_btf event that takes a union by value (timer migration, Linux 6.9+).
    with open("/sys/kernel/btf/vmlinux", "rb") as vmlinux:
        vmlinux_btf = vmlinux.read()
        if b"btf_trace_tmigr_group_set_cpu_inactive\0" in vmlinux_btf:
            config.available_features.add("tp-btf-by-value")
        # comm(pid)'s kfunc (Linux 6.2+).
        if b"\0bpf_task_from_pid\0" in vmlinux_btf:
            config.available_features.add("task-from-pid")
        # The task iterator comm(pid) walks where the kernel refuses that kfunc (6.7+).
        if b"\0bpf_iter_task_new\0" in vmlinux_btf:
            config.available_features.add("task-iterator")
# libc's separate debug file (Debian's libc6-dbg), by its build id: uprobes on the static
# functions only its .symtab names.
import subprocess
libc = "/lib/x86_64-linux-gnu/libc.so.6"
if os.path.exists(libc) and shutil.which("readelf"):
    libc_id = subprocess.run(["readelf", "-n", libc], capture_output=True, text=True).stdout
    for line in libc_id.splitlines():
        if "Build ID:" in line:
            build_id = line.split(":", 1)[1].strip()
            if os.path.exists("/usr/lib/debug/.build-id/%s/%s.debug" % (build_id[:2], build_id[2:])):
                config.available_features.add("libc-debug-symbols")
# A kernel header tree (Debian's linux-headers-amd64, from scripts/setup-debian.sh),
# its source and build halves as %kernel_source and %kernel_build (its release
# %kernel_release), for the
# kernel-headers-* tests that #include the kernel's internal headers.
import glob
for autoconf in sorted(glob.glob("/usr/src/linux-headers-*/include/generated/autoconf.h")):
    build = os.path.dirname(os.path.dirname(os.path.dirname(autoconf)))
    source = build.rsplit("-", 1)[0] + "-common"
    if os.path.exists(os.path.join(source, "include", "linux", "kconfig.h")):
        config.available_features.add("kernel-headers")
        config.substitutions.append(("%kernel_source", source))
        config.substitutions.append(("%kernel_build", build))
        config.substitutions.append(
            ("%kernel_release", os.path.basename(build)[len("linux-headers-"):]))
        break

# CI installs every tool the suite uses (scripts/setup-debian.sh) and sets
# BT_REQUIRE_FEATURES (.ci/run): a missing one fails the run instead of skipping the
# tests that need it (the differential tests without the bpftrace oracle).
missing = [f for f in os.environ.get("BT_REQUIRE_FEATURES", "").split()
           if f not in config.available_features]
if missing:
    lit_config.fatal("BT_REQUIRE_FEATURES: missing on this machine: " + " ".join(missing))
