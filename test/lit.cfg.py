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
if os.path.exists(os.path.join(bin_dir, "btrun-static")):
    config.available_features.add("btrun-static")
if os.path.exists("/sys/kernel/btf/vmlinux"):
    config.available_features.add("btf")
