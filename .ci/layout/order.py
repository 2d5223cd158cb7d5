#!/usr/bin/env python3
"""The steps of make-order that are not builds or sessions (see make-order for the method).

  order.py relink YAML OUT [--order FILE] [--script LD] [--drop-sanitizers] [-- LINKER ARGS]
      link termchat again from a build's llbuild manifest, with other linker inputs
  order.py guards BINARY OUT            which functions load which coverage guard
  order.py entries BINARY GUARDS ENTRIES OUT
                                        recorded first entries -> function names, in order
  order.py merge OUT LIST...            the lists one after another, each name once
  order.py funclets ORDER BINARY OUT    each async function followed by its resume parts
  order.py evict FILE                   drop FILE's pages from the page cache
  order.py faults ORDER PERFDATA BINARY OUT
                                        ORDER plus every function on each page that faulted
                                        on execution outside ORDER
"""
import bisect
import collections
import json
import os
import re
import subprocess
import sys

NM = "/opt/swift/usr/bin/llvm-nm" if os.path.exists("/opt/swift/usr/bin/llvm-nm") else "llvm-nm"
OBJDUMP = "/opt/swift/usr/bin/llvm-objdump" if os.path.exists("/opt/swift/usr/bin/llvm-objdump") else "llvm-objdump"
FUNCLET = re.compile(r"T[YQ](\d+)_$")


def read_list(path):
    with open(path) as f:
        return [line.strip() for line in f if line.strip()]


def write_list(path, names):
    with open(path, "w") as f:
        f.write("\n".join(names) + "\n")


def functions(binary):
    """(address, name) of the binary's code symbols, by address."""
    out = subprocess.run([NM, "-n", "--defined-only", binary], capture_output=True, text=True, check=True).stdout
    symbols = []
    for line in out.splitlines():
        parts = line.split(None, 2)
        if len(parts) == 3 and parts[1] in "tTwW":
            symbols.append((int(parts[0], 16), parts[2]))
    symbols.sort()
    return symbols


def relink(args):
    manifest, out = args[0], args[1]
    rest = args[2:]
    extra = rest[rest.index("--") + 1:] if "--" in rest else []
    options = rest[:rest.index("--")] if "--" in rest else rest
    lines = open(manifest).read().split("\n")
    command = None
    for i, line in enumerate(lines):
        if re.fullmatch(r'"C\.termchat-[A-Za-z0-9_]+-unknown-linux-gnu-\w+\.exe":', line.strip()):
            for following in lines[i:i + 10]:
                if following.strip().startswith("args:"):
                    command = json.loads(following.strip()[len("args:"):].strip())
                    break
            break
    if command is None:
        sys.exit(f"order.py: no termchat link in {manifest}")
    if "--drop-sanitizers" in options:
        command = [a for a in command if not a.startswith("-sanitize")]
    command[command.index("-o") + 1] = out
    if "--order" in options:
        order = options[options.index("--order") + 1]
        command += ["-Xlinker", f"--symbol-ordering-file={order}", "-Xlinker", "--no-warn-symbol-ordering"]
    if "--script" in options:
        command += ["-Xlinker", "-T", "-Xlinker", options[options.index("--script") + 1]]
    for arg in extra:
        command += ["-Xlinker", arg]
    subprocess.run(command, check=True)


def guards(args):
    """Each function that loads a guard's address, by the guard's offset in __sancov_guards."""
    binary, out = args
    dump = subprocess.Popen([OBJDUMP, "-d", "--no-show-raw-insn", binary], stdout=subprocess.PIPE, text=True)
    current = None
    with open(out, "w") as f:
        for line in dump.stdout:
            if line.endswith(">:\n") and not line.startswith(" "):
                current = line[line.index("<") + 1:-3]
            elif "<__start___sancov_guards" in line and current:
                target = line[line.rindex("<") + 1:line.rindex(">")]
                offset = int(target.split("+")[1], 16) if "+" in target else 0
                f.write(f"{offset:x} {current}\n")
    dump.wait()


def entries(args):
    binary, guard_file, entry_file, out = args
    symbols = functions(binary)
    addresses = [a for a, _ in symbols]
    by_name = {n: a for a, n in symbols}
    loaders = collections.defaultdict(list)
    for line in open(guard_file):
        offset, name = line.split(None, 1)
        loaders[int(offset, 16)].append(name.strip())
    all_symbols = subprocess.run([NM, binary], capture_output=True, text=True, check=True).stdout.splitlines()
    guard_start = next(int(line.split()[0], 16) for line in all_symbols if line.endswith(" __start___sancov_guards"))
    lines = read_list(entry_file)
    slide = int(lines[0].split()[1], 16) - by_name["__sanitizer_cov_trace_pc_guard"]
    names, seen = [], set()

    def add(name):
        if name not in seen:
            seen.add(name)
            names.append(name)

    for line in lines[1:]:
        guard, caller = (int(x, 16) - slide for x in line.split())
        # The guard names the function it belongs to, thunks into merged bodies included (a
        # function inlined elsewhere brings its guard along: all of them are listed).
        for name in loaders.get(guard - guard_start, []):
            add(name)
        # The caller's address names the body that ran (a merged body has no guard of its own).
        i = bisect.bisect_right(addresses, caller) - 1
        if i >= 0:
            add(symbols[i][1])
    write_list(out, names)
    print(f"{len(names)} functions", file=sys.stderr)


def merge(args):
    out, lists = args[0], args[1:]
    names, seen = [], set()
    for path in lists:
        for name in read_list(path):
            if name not in seen:
                seen.add(name)
                names.append(name)
    write_list(out, names)


def funclets(args):
    order_file, binary, out = args
    parts = collections.defaultdict(list)
    for _, name in functions(binary):
        base = FUNCLET.sub("", name)
        if base != name:
            parts[base].append(name)
    names, seen = [], set()
    for name in read_list(order_file):
        base = FUNCLET.sub("", name)
        for part in [name] + sorted(parts.get(base, []), key=lambda n: int(FUNCLET.search(n).group(1))):
            if part not in seen:
                seen.add(part)
                names.append(part)
    write_list(out, names)


def evict(args):
    fd = os.open(args[0], os.O_RDONLY)
    os.fsync(fd)
    os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
    os.close(fd)


def faults(args):
    order_file, perf_data, binary, out = args
    order = read_list(order_file)
    listed = set(order)
    symbols = functions(binary)
    addresses = [a for a, _ in symbols]
    name = os.path.basename(binary)
    mmaps = subprocess.run(["perf", "script", "-i", perf_data, "--show-mmap-events"], capture_output=True, text=True).stdout
    # The mapping of file offset 0 is the binary's load address (its first segment has address 0).
    load = re.search(r" (\d+)/\d+: \[(0x[0-9a-f]+)\(0x[0-9a-f]+\) @ 0 .*r--p .*/" + re.escape(name) + r"\n", mmaps)
    if not load:
        sys.exit(f"order.py: {perf_data} has no mapping of {name}")
    pid, slide = load.group(1), int(load.group(2), 16)
    # Only termchat's own faults (perf follows the demo's server too).
    samples = subprocess.run(["perf", "script", "-i", perf_data, "-F", "pid,addr,ip"], capture_output=True, text=True).stdout
    added = []
    for line in samples.splitlines():
        fields = line.split()
        if len(fields) != 3 or fields[0] != pid:
            continue
        address, ip = int(fields[1], 16), int(fields[2], 16)
        if address != ip:
            continue  # a read or write, not code being run
        offset = address - slide
        i = bisect.bisect_right(addresses, offset) - 1
        if i < 0 or symbols[i][1] in listed:
            continue
        # Only the first function run on a page faults: take them all.
        page = offset - offset % 4096
        j = bisect.bisect_right(addresses, page) - 1
        while 0 <= j < len(symbols) and symbols[j][0] < page + 4096:
            if symbols[j][1] not in listed:
                listed.add(symbols[j][1])
                added.append(symbols[j][1])
            j += 1
    write_list(out, order + added)
    print(f"{len(added)} functions added from faulting pages", file=sys.stderr)


if __name__ == "__main__":
    commands = {"relink": relink, "guards": guards, "entries": entries, "merge": merge,
                "funclets": funclets, "evict": evict, "faults": faults}
    if len(sys.argv) < 2 or sys.argv[1] not in commands:
        sys.exit(__doc__)
    commands[sys.argv[1]](sys.argv[2:])
