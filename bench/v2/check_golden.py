#!/usr/bin/python3
"""Sends rows of mlpipe's digits dataset to a v2 server as one-row JSON requests and checks each answer against the
golden file (src/test/resources/golden/digits.csv: the model's probabilities computed by numpy in float32).

    /usr/bin/python3 bench/v2/check_golden.py http://127.0.0.1:8765 [rows, 10]
"""
import csv
import json
import pathlib
import sys
import urllib.request

ROOT = pathlib.Path(__file__).resolve().parents[2]


def main():
    base = sys.argv[1].rstrip("/")
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 10
    with open(ROOT / "src/main/resources/datasets/digits.csv") as f:
        rows = [[float(v) for v in r[:64]] for r in list(csv.reader(f))[1:count + 1]]
    with open(ROOT / "src/test/resources/golden/digits.csv") as f:
        golden = list(csv.reader(f))[1:count + 1]
    worst = 0.0
    for i, (row, expected) in enumerate(zip(rows, golden)):
        body = json.dumps({"id": str(i), "inputs": [{"name": "input", "shape": [1, 64], "datatype": "FP32",
                                                      "data": row}]}).encode()
        request = urllib.request.Request(base + "/v2/models/digits/infer", body, {"Content-Type": "application/json"})
        with urllib.request.urlopen(request) as answer:
            response = json.load(answer)
        output = response["outputs"][0]
        assert response["id"] == str(i) and output["shape"] == [1, 10], response
        probabilities = [float(p) for p in expected[1:11]]
        prediction = max(range(10), key=lambda k: output["data"][k])
        if prediction != int(expected[11]):
            sys.exit(f"row {i}: predicted {prediction}, the golden file says {expected[11]}")
        for got, want in zip(output["data"], probabilities):
            worst = max(worst, abs(got - want) / max(abs(want), 1e-30) if abs(want) > 1e-12 else abs(got - want))
    if worst > 1e-4:
        sys.exit(f"the outputs differ from the golden file by up to {worst:.2e} (relative)")
    print(f"{count} rows: every prediction as the golden file's, probabilities within {worst:.1e} (relative)")


if __name__ == "__main__":
    main()
