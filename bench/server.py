"""Server benchmark: upload→webhook latency and document-status read throughput.

Starts nothing itself: bench/server.sh starts `statera serve` and passes its address, an
API key and the webhook secret. Prints one Markdown table.

  upload→webhook: POST /v1/documents (multipart, a 10-page M-Pesa PDF) with a webhook on
  a local receiver; the clock stops when the signed delivery arrives. Sequential uploads,
  so each measures the pipeline alone: store, enqueue, wake, sandboxed parse, outcome,
  outbox, delivery.
  reads: wrk on GET /v1/documents/{id}/status with the API key, 2 threads, 64 connections.
"""
import argparse
import http.server
import json
import statistics
import subprocess
import threading
import time
import urllib.request
import uuid

arrivals: dict[int, float] = {}
arrived = threading.Condition()


class Receiver(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("content-length", 0)))
        now = time.perf_counter()
        self.send_response(200)
        self.end_headers()
        document_id = json.loads(body)["document_id"]
        with arrived:
            arrivals.setdefault(document_id, now)
            arrived.notify_all()

    def log_message(self, *args):
        pass


def request(base, key, method, path, body=None, content_type="application/json"):
    req = urllib.request.Request(base + path, data=body, method=method,
                                 headers={"X-API-Key": key, "Content-Type": content_type})
    with urllib.request.urlopen(req) as response:
        return json.loads(response.read())


def multipart(fields, filename, data):
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n'
                 'Content-Type: application/pdf\r\n\r\n'.encode() + data + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--base", required=True)
    ap.add_argument("--key", required=True)
    ap.add_argument("--pdf", required=True)
    ap.add_argument("--uploads", type=int, default=30)
    ap.add_argument("--seconds", type=int, default=10)
    args = ap.parse_args()

    receiver = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    threading.Thread(target=receiver.serve_forever, daemon=True).start()
    hook = f"http://127.0.0.1:{receiver.server_address[1]}/hook"

    client = request(args.base, args.key, "POST", "/v1/clients",
                     json.dumps({"first_name": "Bench", "last_name": "Mark"}).encode())
    pdf = open(args.pdf, "rb").read()
    latencies = []
    document_id = None
    for i in range(args.uploads + 3):
        body, content_type = multipart(
            {"client_id": client["id"], "provider": "mpesa", "webhook": hook},
            "statement.pdf", pdf)
        start = time.perf_counter()
        document = request(args.base, args.key, "POST", "/v1/documents", body, content_type)
        document_id = document["id"]
        with arrived:
            if not arrived.wait_for(lambda: document_id in arrivals, timeout=60):
                raise SystemExit(f"no webhook for document {document_id} within 60 s")
        if i >= 3:  # the first three warm the caches and the page cache
            latencies.append((arrivals[document_id] - start) * 1000)
    status = request(args.base, args.key, "GET", f"/v1/documents/{document_id}/status")
    assert status["status"] == "analyzed", status

    wrk = subprocess.run(
        ["wrk", "-t2", "-c64", f"-d{args.seconds}s", "-H", f"X-API-Key: {args.key}",
         f"{args.base}/v1/documents/{document_id}/status"],
        capture_output=True, text=True, check=True).stdout
    rps = next(float(line.split()[1]) for line in wrk.splitlines() if line.startswith("Requests/sec"))
    non_2xx = next((line.strip() for line in wrk.splitlines() if "Non-2xx" in line), "")
    latency_line = next(line.split() for line in wrk.splitlines() if line.strip().startswith("Latency"))

    print()
    print("| measure | result | target |")
    print("| --- | --- | --- |")
    print(f"| upload→webhook, 10-page M-Pesa PDF, p50 ({len(latencies)} uploads) | {statistics.median(latencies):.0f} ms | < 150 ms |")
    print(f"| upload→webhook p90 / max | {pct(latencies, 90):.0f} ms / {max(latencies):.0f} ms | |")
    print(f"| GET /v1/documents/{{id}}/status, wrk 2 threads × 64 connections, {args.seconds} s | {rps:,.0f} req/s (mean latency {latency_line[1]}) | ≥ 5,000 req/s |")
    if non_2xx:
        print(f"\nwrk: {non_2xx}")


if __name__ == "__main__":
    main()
