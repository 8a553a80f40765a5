"""check-links at scale, against local servers: N addresses spread over H hosts (each a server on its
own port of 127.0.0.1, which the checker counts as a host of its own), at the concurrency caps.
Prints throughput, peak memory, and what a second run with the cache asks (it should ask nothing).

    python benchmarks/links_bench.py                      # 60,000 addresses on 200 hosts
    python benchmarks/links_bench.py --urls 2000 --hosts 20 --json out.json
"""
from __future__ import annotations

import argparse
import http.server
import json
import resource
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from timeline.links import Cache, Options, check_all  # noqa: E402


class Quiet(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive: as real servers do

    def log_message(self, *args):
        pass

    def do_HEAD(self):
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()


def serve(hosts: int) -> tuple[list[str], list[http.server.ThreadingHTTPServer]]:
    servers = []
    for _ in range(hosts):
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Quiet)
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
    return [f"http://127.0.0.1:{s.server_address[1]}" for s in servers], servers


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--urls", type=int, default=60_000)
    p.add_argument("--hosts", type=int, default=200)
    p.add_argument("--concurrency", type=int, default=Options.concurrency)
    p.add_argument("--per-host", type=int, default=Options.per_host)
    p.add_argument("--json", help="also write the figures here")
    args = p.parse_args()
    bases, servers = serve(args.hosts)
    urls = [f"{bases[i % len(bases)]}/article/{i}" for i in range(args.urls)]
    options = Options(concurrency=args.concurrency, per_host=args.per_host, allow_private=True, timeout=10)
    with tempfile.TemporaryDirectory() as folder:
        cache = Cache.read(Path(folder) / "links.json")
        started = time.perf_counter()
        first = check_all(urls, options, cache)
        seconds = time.perf_counter() - started
        cache.write()
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        ok = sum(r.ok for r in first.values())
        started = time.perf_counter()
        second = check_all(urls, options, Cache.read(Path(folder) / "links.json"))
        again_s = time.perf_counter() - started
    figures = {"urls": args.urls, "hosts": args.hosts, "concurrency": args.concurrency, "per_host": args.per_host,
               "ok": ok, "seconds": round(seconds, 2), "urls_per_s": round(args.urls / seconds, 1),
               "peak_mb": round(peak_mb, 1), "requests": sum(r.requests for r in first.values()),
               "second_run_requests": sum(r.requests for r in second.values()),
               "second_run_s": round(again_s, 2)}
    print(f"check-links: {args.urls:,} addresses on {args.hosts} hosts (concurrency {args.concurrency}, "
          f"{args.per_host} per host)")
    print(f"  first run: {figures['urls_per_s']:,} addresses/s ({seconds:.1f} s), {ok:,} fine, "
          f"peak memory {peak_mb:.0f} MB")
    print(f"  second run, with the cache: {figures['second_run_requests']} requests in {again_s:.2f} s")
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=1) + "\n", encoding="utf-8")
    for server in servers:
        server.shutdown()
    return 0 if ok == args.urls and figures["second_run_requests"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
