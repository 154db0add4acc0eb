#!/usr/bin/env python3
"""metrics-prometheus.test: Debian's Prometheus scrapes `btrun --metrics` while a
triggered script runs; prints the exposition's check by promtool and what Prometheus'
HTTP API answers, one line per query.

usage: metrics-prometheus.py BTRUN OBJECT TARGET WORKDIR
"""
import json, os, signal, socket, subprocess, sys, time, urllib.parse, urllib.request

btrun, obj, target, work = sys.argv[1:5]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url, timeout=2):
    with urllib.request.urlopen(url, timeout=timeout) as r:
        return r.read().decode()


def wait_for(fn, seconds):
    end = time.time() + seconds
    while time.time() < end:
        try:
            v = fn()
            if v:
                return v
        except OSError:
            pass
        time.sleep(0.2)
    return None


port, prom_port = free_port(), free_port()
run = subprocess.Popen([btrun, "-q", "--metrics", f"127.0.0.1:{port}", "--timeout", "60", obj],
                       stdout=subprocess.DEVNULL, stderr=open(os.path.join(work, "btrun.err"), "w"))
prom = None
try:
    if not wait_for(lambda: get(f"http://127.0.0.1:{port}/metrics"), 20):
        sys.exit("btrun's endpoint never answered")
    subprocess.run([target, "5"], check=True)
    exposition = get(f"http://127.0.0.1:{port}/metrics")
    with open(os.path.join(work, "exposition.txt"), "w") as f:
        f.write(exposition)
    check = subprocess.run(["promtool", "check", "metrics"], input=exposition, text=True,
                           capture_output=True)
    print(f"promtool: exit {check.returncode} {check.stdout.strip()} {check.stderr.strip()}".rstrip())

    with open(os.path.join(work, "prometheus.yml"), "w") as f:
        f.write("global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\n"
                "scrape_configs:\n  - job_name: btrun\n    static_configs:\n"
                f"      - targets: ['127.0.0.1:{port}']\n")
    prom = subprocess.Popen(["prometheus", f"--config.file={work}/prometheus.yml",
                             f"--storage.tsdb.path={work}/tsdb",
                             f"--web.listen-address=127.0.0.1:{prom_port}"],
                            stdout=subprocess.DEVNULL, stderr=open(os.path.join(work, "prom.err"), "w"))

    def query(q):
        url = f"http://127.0.0.1:{prom_port}/api/v1/query?" + urllib.parse.urlencode({"query": q})
        res = json.loads(get(url))["data"]["result"]
        return res

    for q in ['bt_calls_total{key="rt_metrics"}', 'bt_lat_bucket{le="3"}', 'bt_lat_bucket{le="7"}',
              'bt_lat_bucket{le="+Inf"}', 'bt_sizes_bucket{key="x",le="29"}',
              'bt_sizes_bucket{key="x",le="19"}', 'bt_top', 'bt_mean_sum', 'bt_mean_count',
              'bt_quoted_total', 'btrun_probes_attached', 'btrun_lost_events_total']:
        res = wait_for(lambda: query(q), 30)
        if not res:
            print(f"{q}: no result")
            continue
        for r in res:
            labels = {k: v for k, v in r["metric"].items() if k not in ("instance", "job")}
            print(f"{q}: {json.dumps(labels, sort_keys=True)} {r['value'][1]}")
finally:
    if prom:
        prom.terminate()
        prom.wait()
    run.send_signal(signal.SIGTERM)
    print(f"btrun: exit {run.wait()}")
