#!/usr/bin/python3
"""The baseline of issue 27: a minimal Open Inference Protocol (KServe v2) REST server in Python, FastAPI on uvicorn,
serving mlpipe's `digits` model with a numpy forward pass of its ONNX graph (onnxruntime is not packaged for Debian).

    apt-get install -y python3-fastapi python3-uvicorn python3-onnx python3-numpy python3-uvloop python3-httptools
    /usr/bin/python3 bench/v2/python_server.py --port 8765 [--workers 1] [--http auto|h11|httptools]
        [--loop auto|asyncio|uvloop] [--model src/main/resources/models/digits.onnx]

uvicorn's `auto` takes httptools and uvloop where they are installed (uvicorn[standard] on PyPI brings them, Debian's
python3-uvicorn does not): `--http h11 --loop asyncio` is Debian's python3-uvicorn alone.

Endpoints (inference_rest.md): GET /v2, /v2/health/live, /v2/health/ready, /v2/models/digits[/versions/1],
/v2/models/digits[/versions/1]/ready; POST /v2/models/digits[/versions/1]/infer with JSON tensors (data flat or
nested); errors are {"error": "..."}. No binary tensor extension: the baseline is the JSON protocol. It listens on
127.0.0.1 only. The request body is read with the standard json module rather than pydantic models, the cheapest a
FastAPI server can be, so that the baseline is not slowed by its framework's validation.
"""
import argparse
import json
import os
import pathlib

import numpy as np
import onnx
import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import Response
from onnx import numpy_helper

ROOT = pathlib.Path(__file__).resolve().parents[2]
MODEL_NAME = "digits"
VERSION = "1"


class Graph:
    """The ONNX graph run with numpy, node by node: the operators the digits perceptron uses."""

    OPS = {
        "MatMul": lambda a, b, **_: a @ b,
        "Add": lambda a, b, **_: a + b,
        "Relu": lambda a, **_: np.maximum(a, np.float32(0)),
        "Softmax": lambda a, axis=-1, **_: Graph.softmax(a, axis),
    }

    def __init__(self, path):
        model = onnx.load(path)
        self.graph = model.graph
        self.weights = {t.name: numpy_helper.to_array(t) for t in self.graph.initializer}
        for node in self.graph.node:
            if node.op_type not in self.OPS:
                raise SystemExit(f"{path}: operator {node.op_type} is not one this baseline runs")
        self.input = self.graph.input[0]
        self.output = self.graph.output[0]

    @staticmethod
    def softmax(a, axis):
        e = np.exp(a - a.max(axis=axis, keepdims=True))
        return e / e.sum(axis=axis, keepdims=True)

    @staticmethod
    def shape(value_info):
        return [d.dim_value if d.HasField("dim_value") else -1 for d in value_info.type.tensor_type.shape.dim]

    def run(self, x):
        values = dict(self.weights)
        values[self.input.name] = x
        for node in self.graph.node:
            attributes = {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}
            values[node.output[0]] = self.OPS[node.op_type](*(values[i] for i in node.input), **attributes)
        return values[self.output.name]


graph = Graph(os.environ.get("V2_BASELINE_MODEL", str(ROOT / "src/main/resources/models/digits.onnx")))
INPUT_SHAPE = Graph.shape(graph.input)  # [-1, 64]
app = FastAPI()


def answer(body, status=200):
    return Response(content=json.dumps(body, separators=(",", ":")), status_code=status, media_type="application/json")


def error(message, status=400):
    return answer({"error": message}, status)


def metadata():
    def tensor(value_info):
        return {"name": value_info.name, "datatype": "FP32", "shape": Graph.shape(value_info)}
    return {"name": MODEL_NAME, "versions": [VERSION], "platform": "onnx_onnxv1",
            "inputs": [tensor(graph.input)], "outputs": [tensor(graph.output)]}


@app.get("/v2")
def server_metadata():
    return answer({"name": "python-v2-baseline", "version": "1", "extensions": []})


@app.get("/v2/health/live")
def live():
    return answer({"live": True})


@app.get("/v2/health/ready")
def ready():
    return answer({"ready": True})


@app.get("/v2/models/{model}")
@app.get("/v2/models/{model}/versions/{version}")
def model_metadata(model: str, version: str = VERSION):
    if model != MODEL_NAME or version != VERSION:
        return error(f"unknown model '{model}' version '{version}'", 404)
    return answer(metadata())


@app.get("/v2/models/{model}/ready")
@app.get("/v2/models/{model}/versions/{version}/ready")
def model_ready(model: str, version: str = VERSION):
    if model != MODEL_NAME or version != VERSION:
        return error(f"unknown model '{model}' version '{version}'", 404)
    return answer({"name": MODEL_NAME, "ready": True})


@app.post("/v2/models/{model}/infer")
@app.post("/v2/models/{model}/versions/{version}/infer")
async def infer(model: str, request: Request, version: str = VERSION):
    if model != MODEL_NAME or version != VERSION:
        return error(f"unknown model '{model}' version '{version}'", 404)
    try:
        body = json.loads(await request.body())
        inputs = body["inputs"]
        if len(inputs) != 1 or inputs[0].get("name") != graph.input.name:
            return error(f"model '{MODEL_NAME}' takes one input, '{graph.input.name}'")
        tensor = inputs[0]
        if tensor.get("datatype") != "FP32":
            return error(f"input '{graph.input.name}' must be FP32")
        shape = [int(d) for d in tensor["shape"]]
        if len(shape) != 2 or shape[1] != INPUT_SHAPE[1]:
            return error(f"input '{graph.input.name}' must have shape [-1, {INPUT_SHAPE[1]}], not {shape}")
        x = np.asarray(tensor["data"], dtype=np.float32).reshape(shape)
    except (KeyError, TypeError, ValueError) as e:
        return error(f"bad request: {e}")
    y = graph.run(x)
    response = {"model_name": MODEL_NAME, "model_version": VERSION,
                "outputs": [{"name": graph.output.name, "shape": list(y.shape), "datatype": "FP32",
                             "data": y.ravel().tolist()}]}
    if "id" in body:
        response["id"] = body["id"]
    return answer(response)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--http", default="auto", choices=["auto", "h11", "httptools"])
    parser.add_argument("--loop", default="auto", choices=["auto", "asyncio", "uvloop"])
    parser.add_argument("--model", help="the ONNX file (default: mlpipe's digits.onnx)")
    args = parser.parse_args()
    if args.model:
        os.environ["V2_BASELINE_MODEL"] = args.model
    os.chdir(pathlib.Path(__file__).parent)
    uvicorn.run("python_server:app", host="127.0.0.1", port=args.port, workers=args.workers, http=args.http,
                loop=args.loop, log_level="warning", access_log=False)


if __name__ == "__main__":
    main()
