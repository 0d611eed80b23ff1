#!/usr/bin/python3
"""Makes mlpipe's shipped digits example and the ONNX models its tests use.

Run with Debian's Python, which sees Debian's packages (a python3 first on PATH, such as a pyenv build, does not):

    apt-get install -y python3-sklearn python3-numpy python3-onnx
    /usr/bin/python3 tools/digits/make_digits.py        # from the repository's root

Writes, reproducibly (fixed random_state; the same packages give the same bytes):
    src/main/resources/models/digits.onnx          a 64-64-10 perceptron: input [N, 64] FP32, output [N, 10] FP32
    src/main/resources/datasets/digits.csv         the 1,797 digits: f0..f63 (pixels 0-16), label
    src/test/resources/golden/digits.csv           the model's 10 probabilities and argmax for every row
    src/test/resources/golden/digits-accuracy.txt  its accuracy on the whole dataset (and on the held-out quarter)
    src/test/resources/models/int64-lookup.onnx    INT64 ids [N, 4] -> FP32 [N, 1]: the sum of table[id] (ids 0-9)
    src/test/resources/models/no-batch.onnx        FP32 [3] -> FP32 [3], times two: an input without a batch dimension

The golden outputs come from onnxruntime when it is installed, else from numpy in float32 on the same graph.
"""
import pathlib
import sys

import numpy as np
import onnx
from onnx import TensorProto, checker, helper, numpy_helper
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPClassifier

ROOT = pathlib.Path(__file__).resolve().parents[2]
OPSET = 13  # Softmax over the last axis; ONNX Runtime 1.29 reads opsets up to 23
IR_VERSION = 7  # the IR version of opset 13


def model(graph):
    m = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)], producer_name="mlpipe tools/digits")
    m.ir_version = IR_VERSION
    checker.check_model(m, full_check=True)
    return m


def write(path, data):
    path = ROOT / path
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data) if isinstance(data, bytes) else path.write_text(data)
    print(f"wrote {path.relative_to(ROOT)} ({path.stat().st_size:,} bytes)")


def digits_model(w1, b1, w2, b2):
    inits = [numpy_helper.from_array(a.astype(np.float32), name) for a, name in
             [(w1, "W1"), (b1, "b1"), (w2, "W2"), (b2, "b2")]]
    nodes = [
        helper.make_node("MatMul", ["input", "W1"], ["h0"]),
        helper.make_node("Add", ["h0", "b1"], ["h1"]),
        helper.make_node("Relu", ["h1"], ["hidden"]),
        helper.make_node("MatMul", ["hidden", "W2"], ["l0"]),
        helper.make_node("Add", ["l0", "b2"], ["logits"]),
        helper.make_node("Softmax", ["logits"], ["probabilities"], axis=-1),
    ]
    graph = helper.make_graph(
        nodes, "digits",
        [helper.make_tensor_value_info("input", TensorProto.FLOAT, ["N", 64])],
        [helper.make_tensor_value_info("probabilities", TensorProto.FLOAT, ["N", 10])],
        inits)
    graph.doc_string = "scikit-learn's digits (8x8 pixels 0-16, row-major) -> probabilities of 0-9"
    return model(graph)


def int64_lookup_model():
    table = numpy_helper.from_array(np.arange(10, dtype=np.float32) * 1.5, "table")
    axes = numpy_helper.from_array(np.array([1], dtype=np.int64), "axes")
    nodes = [
        helper.make_node("Gather", ["table", "ids"], ["values"], axis=0),  # an id outside -10..9 is an error
        helper.make_node("ReduceSum", ["values", "axes"], ["sum"], keepdims=1),
    ]
    graph = helper.make_graph(
        nodes, "int64-lookup",
        [helper.make_tensor_value_info("ids", TensorProto.INT64, ["N", 4])],
        [helper.make_tensor_value_info("sum", TensorProto.FLOAT, ["N", 1])],
        [table, axes])
    return model(graph)


def no_batch_model():
    two = numpy_helper.from_array(np.array([2.0], dtype=np.float32), "two")
    graph = helper.make_graph(
        [helper.make_node("Mul", ["x", "two"], ["y"])], "no-batch",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [3])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [3])],
        [two])
    return model(graph)


def numpy_forward(x, w1, b1, w2, b2):
    h = np.maximum(x @ w1 + b1, np.float32(0))
    logits = h @ w2 + b2
    e = np.exp(logits - logits.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def main():
    digits = load_digits()
    x = digits.data.astype(np.float32)  # 1797 x 64, integers 0-16
    y = digits.target
    train_rows, test_rows = train_test_split(np.arange(len(y)), test_size=0.25, random_state=0, stratify=y)

    # trained on pixels / 16; the scale is folded into W1, so the model reads the dataset's 0-16 values as they are
    mlp = MLPClassifier(hidden_layer_sizes=(64,), activation="relu", max_iter=500, random_state=0)
    mlp.fit(x[train_rows] / 16, y[train_rows])
    w1 = (mlp.coefs_[0] / 16).astype(np.float32)
    b1 = mlp.intercepts_[0].astype(np.float32)
    w2 = mlp.coefs_[1].astype(np.float32)
    b2 = mlp.intercepts_[1].astype(np.float32)

    digits_onnx = digits_model(w1, b1, w2, b2)
    try:
        import onnxruntime
        session = onnxruntime.InferenceSession(digits_onnx.SerializeToString(), providers=["CPUExecutionProvider"])
        probabilities = session.run(["probabilities"], {"input": x})[0]
        computed_by = f"onnxruntime {onnxruntime.__version__}"
    except ImportError:
        probabilities = numpy_forward(x, w1, b1, w2, b2).astype(np.float32)
        computed_by = f"numpy {np.__version__} in float32 (onnxruntime is not installed)"

    drift = np.abs(probabilities - mlp.predict_proba(x / 16)).max()
    if drift > 1e-5:
        sys.exit(f"the ONNX graph departs from scikit-learn's model by {drift}")
    predictions = probabilities.argmax(axis=1)
    top2 = np.sort(probabilities, axis=1)[:, -2:]
    closest = (top2[:, 1] - top2[:, 0]).min()
    if closest < 1e-4:
        sys.exit(f"a row's two likeliest classes are {closest} apart: its argmax would not survive rounding")

    correct = int((predictions == y).sum())
    held_out_correct = int((predictions[test_rows] == y[test_rows]).sum())

    write("src/main/resources/models/digits.onnx", digits_onnx.SerializeToString())
    header = ",".join([f"f{i}" for i in range(64)] + ["label"])
    rows = [",".join(str(int(v)) for v in row) + f",{label}" for row, label in zip(x, y)]
    write("src/main/resources/datasets/digits.csv", "\n".join([header] + rows) + "\n")
    golden = [",".join(["row"] + [f"p{k}" for k in range(10)] + ["prediction"])]
    golden += [",".join([str(i)] + [f"{p:.9g}" for p in probs] + [str(pred)])
               for i, (probs, pred) in enumerate(zip(probabilities, predictions))]
    write("src/test/resources/golden/digits.csv", "\n".join(golden) + "\n")
    write("src/test/resources/golden/digits-accuracy.txt",
          f"# digits.onnx on datasets/digits.csv, outputs computed by {computed_by}\n"
          f"rows={len(y)}\n"
          f"correct={correct}\n"
          f"accuracy={correct / len(y):.6f}\n"
          f"# trained on {len(train_rows)} rows (train_test_split test_size=0.25 random_state=0 stratified); the other 450:\n"
          f"heldOutRows={len(test_rows)}\n"
          f"heldOutCorrect={held_out_correct}\n")
    write("src/test/resources/models/int64-lookup.onnx", int64_lookup_model().SerializeToString())
    write("src/test/resources/models/no-batch.onnx", no_batch_model().SerializeToString())
    print(f"accuracy {correct}/{len(y)} = {correct / len(y):.4f}; held out {held_out_correct}/{len(test_rows)}; "
          f"closest top-2 margin {closest:.3g}; outputs by {computed_by}")


if __name__ == "__main__":
    main()
