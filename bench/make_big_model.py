#!/usr/bin/python3
"""Writes a model of about SIZE_MB megabytes for bench/rollout.sh: y = relu(x) + mean(W), x FP32 [1, 2], with W a
seeded random FP32 initializer that makes up the size (relu's signature, so it replaces cluster-models/relu).

    /usr/bin/python3 bench/make_big_model.py OUT.onnx [SIZE_MB=16]
"""
import sys

import numpy as np
import onnx
from onnx import TensorProto as TP, helper, numpy_helper

out, size_mb = sys.argv[1], float(sys.argv[2]) if len(sys.argv) > 2 else 16
n = int(size_mb * 1e6 / 4)
w = np.random.default_rng(16).standard_normal((1, n)).astype(np.float32)
graph = helper.make_graph(
    [helper.make_node("ReduceMean", ["W"], ["m"], keepdims=0), helper.make_node("Relu", ["x"], ["r"]),
     helper.make_node("Add", ["r", "m"], ["y"])],
    "big", [helper.make_tensor_value_info("x", TP.FLOAT, [1, 2])], [helper.make_tensor_value_info("y", TP.FLOAT, [1, 2])],
    [numpy_helper.from_array(w, "W")])
model = helper.make_model(graph, producer_name="coedge bench/make_big_model.py",
                          opset_imports=[helper.make_opsetid("", 17)])
model.ir_version = 8
onnx.checker.check_model(model)
onnx.save(model, out)
print(f"{out}: {len(model.SerializeToString())} bytes")
