#!/usr/bin/env python3
"""Where a gateway's event loops spend their CPU, from a JFR recording's execution samples.

usage: bench/jfr_hot.py FILE.jfr [THREAD_SUBSTRING=vert.x-eventloop] [TOP=25]

Prints, for the sampled threads whose name contains THREAD_SUBSTRING: the sample count, the top methods by self
samples (the frame on top of the stack), self samples by package (first three name parts) and the top io.coedge methods by inclusive samples (anywhere on the
stack, counted once per sample), each as a share of the thread's samples. Needs the JDK's `jfr` on the PATH.
"""
import collections
import json
import subprocess
import sys


def frames(event):
    st = event["values"].get("stackTrace") or {}
    out = []
    for f in st.get("frames") or []:
        m = f["method"]
        out.append((m["type"]["name"] + "." + m["name"]).replace("/", "."))
    return out


def main():
    path = sys.argv[1]
    want = sys.argv[2] if len(sys.argv) > 2 else "vert.x-eventloop"
    top = int(sys.argv[3]) if len(sys.argv) > 3 else 25
    raw = subprocess.run(["jfr", "print", "--json", "--stack-depth", "64", "--events", "jdk.ExecutionSample", path],
                         check=True, capture_output=True, text=True).stdout
    events = json.loads(raw)["recording"]["events"]
    own = collections.Counter()
    groups = collections.Counter()
    inclusive = collections.Counter()
    n = 0
    for e in events:
        thread = (e["values"].get("sampledThread") or {}).get("javaName") or ""
        if want not in thread:
            continue
        fs = frames(e)
        if not fs:
            continue
        n += 1
        own[fs[0]] += 1
        groups[".".join(fs[0].split(".")[:3])] += 1
        for m in set(fs):
            if m.startswith("io.coedge."):
                inclusive[m] += 1
    print(f"{n} samples on threads matching '{want}'")
    print("-- self")
    for m, c in own.most_common(top):
        print(f"{100.0 * c / max(n, 1):6.2f}%  {m}")
    print("-- self by package")
    for m, c in groups.most_common(12):
        print(f"{100.0 * c / max(n, 1):6.2f}%  {m}")
    print("-- io.coedge inclusive")
    for m, c in inclusive.most_common(top):
        print(f"{100.0 * c / max(n, 1):6.2f}%  {m}")


if __name__ == "__main__":
    main()
