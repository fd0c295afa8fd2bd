#!/usr/bin/python3
"""Builds every ONNX model Coedge ships or tests with, deterministically.

    apt-get install -y python3-onnx python3-numpy && /usr/bin/python3 scripts/make_models.py

Writes models/{sensor-anomaly,sensor-anomaly-large,traffic-counter}/ (model + config.yaml),
models/README.md (accuracies, sizes, sha256 filled in from this run) and the Triton-layout test
repository src/test/resources/test-models/. Graphs use onnx.helper, opset 17, IR version 8
(loadable by ONNX Runtime 1.23). Needs only numpy and onnx (tested with onnx 1.12, numpy 1.24).
"""
import hashlib
import sys
import time
from pathlib import Path

import numpy as np
import onnx
from onnx import TensorProto as TP, helper, numpy_helper

ROOT = Path(__file__).resolve().parent.parent
MODELS = ROOT / "models"
TEST_MODELS = ROOT / "src/test/resources/test-models"
CLUSTER_MODELS = ROOT / "src/test/resources/cluster-models"
OPSET, IR_VERSION = 17, 8
CLASSES = ["normal", "tool_wear_failure", "heat_dissipation_failure", "power_failure", "overstrain_failure"]
FEATURES = ["air_temperature_K", "process_temperature_K", "rotational_speed_rpm", "torque_Nm",
            "tool_wear_min", "vibration_rms_mm_s", "quality_type_LMH_012", "motor_current_A"]
RESULTS = {}  # model name -> text lines for the README


# ---------------------------------------------------------------- ONNX helpers
def save(graph, path, doc):
    model = helper.make_model(graph, producer_name="coedge scripts/make_models.py", doc_string=doc,
                              opset_imports=[helper.make_opsetid("", OPSET)])
    model.ir_version = IR_VERSION
    onnx.checker.check_model(model, full_check=True)  # also runs strict shape inference
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(model.SerializeToString())
    return model


def write_config(folder, text):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "config.yaml").write_text(text)


def const(name, array):
    return numpy_helper.from_array(np.asarray(array), name)


def fp32(name, shape):
    return helper.make_tensor_value_info(name, TP.FLOAT, shape)


# ---------------------------------------------------------------- synthetic AI4I-style data
def sample_machines(rng, n):
    """Draws n operating points following the AI4I 2020 generation rules (Matzka 2020, UCI id 601)."""
    # Quality variant L/M/H with 50/30/20 % of products (AI4I); sent to the model as L=0, M=1, H=2.
    quality = rng.choice(3, size=n, p=[0.5, 0.3, 0.2])
    # Air temperature: AI4I uses a random walk normalised to sd 2 K around 300 K; we draw i.i.d. N(300, 2).
    air = rng.normal(300.0, 2.0, n)
    # Process temperature: air temperature + 10 K plus noise with sd 1 K (AI4I).
    process = air + 10.0 + rng.normal(0.0, 1.0, n)
    # Speed and torque: AI4I derives speed from a nominal power plus noise and draws torque N(40, 10) with
    # no negatives; the published columns have speed mean 1539 rpm / sd 179 and corr(speed, torque) = -0.88.
    zs, zt = rng.standard_normal(n), rng.standard_normal(n)
    speed = np.maximum(1539.0 + 179.0 * zs, 1168.0)
    torque = np.maximum(40.0 - 8.8 * zs + 4.75 * zt, 3.8)
    # Tool wear: H/M/L add 5/3/2 min per process and tools get replaced, so wear is ~uniform on 0..253 min.
    wear = rng.uniform(0.0, 253.0, n)
    # NOT in AI4I (invented for Coedge, never used by the labelling rules): vibration RMS grows with wear,
    # speed and load (ISO 10816-like 1..6 mm/s); motor current = power / (sqrt(3) * 400 V * cos phi 0.85)
    # plus 2 A magnetising current and sensor noise.
    power = torque * speed * 2.0 * np.pi / 60.0
    vibration = np.maximum(0.8 + 0.006 * wear + 0.0005 * speed + 0.02 * torque + rng.normal(0, 0.3, n), 0.1)
    current = power / (np.sqrt(3.0) * 400.0 * 0.85) + 2.0 + rng.normal(0.0, 0.4, n)
    x = np.stack([air, process, speed, torque, wear, vibration, quality, current], axis=1)
    return x.astype(np.float32)


def label(x):
    """AI4I failure rules made single-label. Priority when several fire: PWF > HDF > OSF > TWF."""
    air, process, speed, torque, wear, quality = x[:, 0], x[:, 1], x[:, 2], x[:, 3], x[:, 4], x[:, 6]
    y = np.zeros(len(x), dtype=np.int64)
    # TWF: AI4I replaces or fails the tool at a random wear between 200 and 240 min; we label the whole band.
    y[(wear >= 200) & (wear <= 240)] = 1
    # OSF: tool wear x torque above 11000 / 12000 / 13000 minNm for L / M / H.
    y[wear * torque > np.array([11000.0, 12000.0, 13000.0])[quality.astype(int)]] = 4
    # HDF: air-process temperature difference below 8.6 K and rotational speed below 1380 rpm.
    y[(process - air < 8.6) & (speed < 1380)] = 2
    # PWF: power = torque x speed (rad/s) below 3500 W or above 9000 W.
    power = torque * speed * 2.0 * np.pi / 60.0
    y[(power < 3500) | (power > 9000)] = 3
    # AI4I's random failures (RNF, 0.1 %) are left out: they are not learnable from the features.
    return y


def make_dataset(seed=2020, per_failure=3000, normal=12000):
    """Failures are rare (TWF aside), so we oversample: draw a large pool and keep `per_failure` rows of
    every failure class and `normal` normal rows (distinct rows, so train and test never share a row)."""
    rng = np.random.default_rng(seed)
    pool = sample_machines(rng, 600_000)
    y_pool = label(pool)
    natural = np.bincount(y_pool, minlength=5) / len(y_pool)
    keep = []
    for c, want in enumerate([normal] + [per_failure] * 4):
        idx = np.flatnonzero(y_pool == c)
        keep.append(rng.choice(idx, size=min(want, len(idx)), replace=False))
    keep = rng.permutation(np.concatenate(keep))
    x, y = pool[keep], y_pool[keep]
    split = int(0.8 * len(x))  # 80 % train / 20 % held out
    natural_test = sample_machines(rng, 20_000)  # a fresh, un-rebalanced sample
    return (x[:split], y[:split]), (x[split:], y[split:]), (natural_test, label(natural_test)), natural


# ---------------------------------------------------------------- numpy MLP training
def forward(params, x):
    """Returns the activations of every layer; the last is the softmax output."""
    acts = [x]
    for i, (w, b) in enumerate(params):
        z = acts[-1] @ w + b
        if i < len(params) - 1:
            acts.append(np.maximum(z, 0.0))
        else:
            e = np.exp(z - z.max(axis=1, keepdims=True))
            acts.append(e / e.sum(axis=1, keepdims=True))
    return acts


def he_init(rng, widths):
    return [(rng.normal(0, np.sqrt(2.0 / i), (i, o)).astype(np.float32), np.zeros(o, np.float32))
            for i, o in zip(widths[:-1], widths[1:])]


def widen(small, width, rng):
    """Net2Net-style function-preserving widening of an 8-h-h-5 MLP to 8-width-width-5: the small net's
    weights fill the top-left blocks, new units get He-random inputs, and every weight *from* a new unit
    into an old unit or the logits starts at 0, so the wide net computes exactly the small net's function."""
    (w0, b0), (w1, b1), (w2, b2) = small
    h = w0.shape[1]
    (W0, B0), (W1, B1), (W2, B2) = he_init(rng, [8, width, width, 5])
    W0[:, :h], B0[:h] = w0, b0
    W1[:h, :h], W1[h:, :h], B1[:h] = w1, 0.0, b1
    W2[:h], W2[h:], B2[:] = w2, 0.0, b2
    return [(W0, B0), (W1, B1), (W2, B2)]


def train_mlp(x, y, params, steps, batch, lr, seed):
    """ReLU MLP, softmax cross-entropy, Adam with cosine decay; x is already standardised."""
    rng = np.random.default_rng(seed)
    m = [[np.zeros_like(p) for p in layer] for layer in params]
    v = [[np.zeros_like(p) for p in layer] for layer in params]
    b1, b2, eps = 0.9, 0.999, 1e-8
    for t in range(1, steps + 1):
        idx = rng.integers(0, len(x), batch)
        acts = forward(params, x[idx])
        grad = acts[-1].copy()
        grad[np.arange(batch), y[idx]] -= 1.0  # d(cross-entropy)/d(logits)
        grad /= batch
        step_lr = lr * (0.5 * (1 + np.cos(np.pi * t / steps)))  # cosine decay
        for i in reversed(range(len(params))):
            w, b = params[i]
            gw, gb = acts[i].T @ grad, grad.sum(axis=0)
            if i > 0:
                grad = (grad @ w.T) * (acts[i] > 0)
            for j, g in enumerate((gw, gb)):
                m[i][j] = b1 * m[i][j] + (1 - b1) * g
                v[i][j] = b2 * v[i][j] + (1 - b2) * g * g
                mhat, vhat = m[i][j] / (1 - b1 ** t), v[i][j] / (1 - b2 ** t)
                params[i][j][...] -= (step_lr * mhat / (np.sqrt(vhat) + eps)).astype(np.float32)
    return params


def predict(params, x, chunk=4096):
    return np.concatenate([forward(params, x[i:i + chunk])[-1] for i in range(0, len(x), chunk)])


def report(name, params, norm, test, natural_test):
    mean, std = norm
    lines = []
    for title, (x, y) in (("held-out 20 % split (rebalanced)", test), ("fresh natural-prevalence sample", natural_test)):
        pred = predict(params, (x - mean) / std).argmax(axis=1)
        lines.append(f"{title}: accuracy {np.mean(pred == y):.4f} on {len(y)} rows")
        for c, cname in enumerate(CLASSES):
            sel = y == c
            if sel.any():
                lines.append(f"  {cname:26s} recall {np.mean(pred[sel] == c):.4f} ({sel.sum()} rows)")
    print(f"[{name}]\n" + "\n".join(lines))
    RESULTS[name] = lines


def mlp_graph(name, params, mean, std, doc):
    """features -> (x - mean) / std -> Gemm/Relu ... -> Gemm -> Softmax -> probabilities."""
    inits = [const("feature_mean", mean), const("feature_std", std)]
    nodes = [helper.make_node("Sub", ["features", "feature_mean"], ["centred"]),
             helper.make_node("Div", ["centred", "feature_std"], ["h0"])]
    for i, (w, b) in enumerate(params):
        inits += [const(f"W{i}", w), const(f"b{i}", b)]
        last = i == len(params) - 1
        nodes.append(helper.make_node("Gemm", [f"h{i}", f"W{i}", f"b{i}"], ["logits" if last else f"z{i}"]))
        if not last:
            nodes.append(helper.make_node("Relu", [f"z{i}"], [f"h{i + 1}"]))
    nodes.append(helper.make_node("Softmax", ["logits"], ["probabilities"], axis=-1))
    graph = helper.make_graph(nodes, name, [fp32("features", ["batch", 8])],
                              [fp32("probabilities", ["batch", 5])], inits)
    return save(graph, MODELS / name / "1" / "model.onnx", doc)


def build_sensor_models():
    (xtr, ytr), test, natural_test, natural = make_dataset()
    print("natural class prevalence in the pool:", {c: round(float(p), 4) for c, p in zip(CLASSES, natural)})
    print("train rows per class:", np.bincount(ytr, minlength=5).tolist())
    mean, std = xtr.mean(axis=0), xtr.std(axis=0)
    xs = (xtr - mean) / std
    labels = "labels: [" + ", ".join(CLASSES) + "]\n"

    t0 = time.time()
    small = train_mlp(xs, ytr, he_init(np.random.default_rng(1), [8, 32, 32, 5]), steps=8000, batch=256,
                      lr=3e-3, seed=1)
    print(f"[sensor-anomaly] trained in {time.time() - t0:.0f} s")
    report("sensor-anomaly", small, (mean, std), test, natural_test)
    model = mlp_graph("sensor-anomaly", small, mean, std, "AI4I-style predictive-maintenance MLP 8-32-32-5")
    check_mlp(model, small, mean, std, test[0][:16])
    examples(small, mean, std, test[0])
    write_config(MODELS / "sensor-anomaly", "max-batch-size: 64\nmax-queue-delay-us: 200\n" + labels
                 + "policy: local-first\ncascade-target: sensor-anomaly-large\n")

    # The cloud model. Debian's reference BLAS (libblas3) runs ~6 GFLOP/s, so one 2048x2048 training step
    # costs ~0.45 s at minibatch 64; from scratch, 400 steps (3 min) reached only ~88 % held-out accuracy.
    # So it starts from the small model widened without changing its function, then all 4.2 M weights
    # are fine-tuned for 300 steps at a low learning rate (1e-4 lost some of the warm start's accuracy).
    t0 = time.time()
    large = train_mlp(xs, ytr, widen(small, 2048, np.random.default_rng(2)), steps=300, batch=64, lr=3e-5,
                      seed=3)
    print(f"[sensor-anomaly-large] fine-tuned in {time.time() - t0:.0f} s")
    report("sensor-anomaly-large", large, (mean, std), test, natural_test)
    model = mlp_graph("sensor-anomaly-large", large, mean, std, "AI4I-style predictive-maintenance MLP 8-2048-2048-5")
    check_mlp(model, large, mean, std, test[0][:16])
    write_config(MODELS / "sensor-anomaly-large", "max-batch-size: 32\nmax-queue-delay-us: 500\n" + labels
                 + "policy: local-first\n")


def examples(params, mean, std, x):
    """One copy-pasteable raw row per class (rounded to 0.1) that the rules and the model agree on."""
    x = np.round(x, 1)
    y, p = label(x), predict(params, (x - mean) / std)
    rows = ["| " + " | ".join(FEATURES) + " | class | p |", "|" + "---|" * 10]
    for c in range(5):
        i = np.flatnonzero((y == c) & (p.argmax(axis=1) == c) & (p.max(axis=1) > 0.9))[0]
        rows.append("| " + " | ".join(f"{v:g}" for v in x[i]) + f" | {CLASSES[c]} | {p[i, c]:.3f} |")
    RESULTS["examples"] = "\n".join(rows)


# ---------------------------------------------------------------- traffic counter CNN
def build_traffic_counter():
    """Synthetic He-initialised CNN; sized for ~2-10 ms per frame on one ORT thread (see conv_flops)."""
    rng = np.random.default_rng(96)
    chans = [3, 32, 64, 128]
    inits, nodes, cur, flops, hw = [], [], "frames", 0, 96
    for i, (cin, cout) in enumerate(zip(chans[:-1], chans[1:])):
        inits += [const(f"conv{i}_w", rng.normal(0, np.sqrt(2.0 / (cin * 9)), (cout, cin, 3, 3)).astype(np.float32)),
                  const(f"conv{i}_b", np.zeros(cout, np.float32))]
        nodes += [helper.make_node("Conv", [cur, f"conv{i}_w", f"conv{i}_b"], [f"c{i}"], kernel_shape=[3, 3],
                                   strides=[1, 1], pads=[1, 1, 1, 1]),
                  helper.make_node("Relu", [f"c{i}"], [f"r{i}"]),
                  helper.make_node("MaxPool", [f"r{i}"], [f"p{i}"], kernel_shape=[2, 2], strides=[2, 2])]
        flops += 2 * hw * hw * cout * cin * 9  # multiply-adds of a same-padded 3x3 conv
        cur, hw = f"p{i}", hw // 2
    # |He-init| read-out and a small positive bias, so that all four counts are > 0 and vary with the frame
    # (signed random weights clamp some counts to 0 for every input)
    inits += [const("fc_w", np.abs(rng.normal(0, np.sqrt(2.0 / chans[-1]), (chans[-1], 4))).astype(np.float32)),
              const("fc_b", np.full(4, 0.1, np.float32))]
    nodes += [helper.make_node("GlobalAveragePool", [cur], ["gap"]),
              helper.make_node("Flatten", ["gap"], ["flat"], axis=1),
              helper.make_node("Gemm", ["flat", "fc_w", "fc_b"], ["fc"]),
              helper.make_node("Relu", ["fc"], ["counts"])]
    graph = helper.make_graph(nodes, "traffic-counter", [fp32("frames", ["batch", 3, 96, 96])],
                              [fp32("counts", ["batch", 4])], inits)
    model = save(graph, MODELS / "traffic-counter" / "1" / "model.onnx",
                 "Synthetic-weight CNN: RGB frame [0,1] NCHW 96x96 -> counts (car, truck, bus, bicycle)")
    RESULTS["traffic-counter-flops"] = flops
    print(f"[traffic-counter] {flops / 1e6:.0f} MFLOP per frame (convs only)")
    frames = np.random.default_rng(7).uniform(0, 1, (2, 3, 96, 96)).astype(np.float32)
    counts = run_graph(model, {"frames": frames})["counts"]
    print("[traffic-counter] counts for 2 random frames:", counts.round(3).tolist())
    assert counts.shape == (2, 4) and (counts > 0).all()
    RESULTS["traffic-counter-example"] = ("the script's numpy reference maps a uniform random frame "
                                          "(numpy default_rng(7).uniform(0, 1)) to counts "
                                          + str([round(float(c), 3) for c in counts[0]]))
    write_config(MODELS / "traffic-counter", "max-batch-size: 8\nmax-queue-delay-us: 1000\n"
                 "labels: [car, truck, bus, bicycle]\npolicy: local-first\n")


# ---------------------------------------------------------------- split CNN (head/tail per split point)
# Shaped like the CNNs where Neurosurgeon's early splits pay: a cheap stem of strided 2x2 convolutions shrinks the
# frame 12x (b0, b1: 3 % of the FLOPs), the heavy 3x3 convolutions with many channels come after it (b2..b4).
SPLIT_BLOCKS = [  # (name, channels out, kernel 2 stride 2 (stem) or 3x3 + MaxPool 2 (0) / none (-1), point after it, FP16)
    ("b0", 16, 2, True, False), ("b1", 8, 2, True, True), ("b2", 64, 0, True, False), ("b3", 128, 0, False, False),
    ("b4", 256, -1, False, False)]
SPLIT_FP16_MAX_ERROR = 0.01  # max |tail(fp16(head(x))) - whole(x)| / max(1, |whole(x)|), checked below


def split_cnn_parts(rng):
    """Nodes and initialisers of each block of the split CNN, and the read-out after the last block."""
    blocks, cin, hw, flops = [], 3, 96, 0
    for name, cout, kind, _, _ in SPLIT_BLOCKS:
        k = 2 if kind == 2 else 3
        inits = [const(f"{name}_w", rng.normal(0, np.sqrt(2.0 / (cin * k * k)), (cout, cin, k, k)).astype(np.float32)),
                 const(f"{name}_b", np.full(cout, 0.01, np.float32))]
        out_hw = hw // 2 if kind >= 0 else hw
        flops += 2 * (out_hw if kind == 2 else hw) ** 2 * cout * cin * k * k
        blocks.append((name, inits, cout, out_hw, kind))
        cin, hw = cout, out_hw
    readout = [const("fc_w", np.abs(rng.normal(0, np.sqrt(2.0 / cin), (cin, 4))).astype(np.float32)),
               const("fc_b", np.full(4, 0.1, np.float32))]
    return blocks, readout, flops


def split_block_nodes(name, kind, x, y):
    if kind == 2:  # stem: 2x2 stride 2, no padding
        return [helper.make_node("Conv", [x, f"{name}_w", f"{name}_b"], [f"{name}_c"], kernel_shape=[2, 2],
                                 strides=[2, 2], pads=[0, 0, 0, 0]),
                helper.make_node("Relu", [f"{name}_c"], [y])]
    nodes = [helper.make_node("Conv", [x, f"{name}_w", f"{name}_b"], [f"{name}_c"], kernel_shape=[3, 3],
                              strides=[1, 1], pads=[1, 1, 1, 1]),
             helper.make_node("Relu", [f"{name}_c"], [f"{name}_r" if kind == 0 else y])]
    if kind == 0:
        nodes.append(helper.make_node("MaxPool", [f"{name}_r"], [y], kernel_shape=[2, 2], strides=[2, 2]))
    return nodes


def split_graph(blocks, readout, first, last, doc_name, wire16_in, wire16_out):
    """Blocks [first, last) as one graph; first == 0 starts at the frame, last == len(blocks) ends with counts.
    A head whose point travels as FP16 casts its output to FP16; the matching tail casts it back."""
    nodes, inits = [], []
    if first == 0:
        inp, cur = fp32("frames", ["batch", 3, 96, 96]), "frames"
    else:
        name, _, c, hw, _ = blocks[first - 1]
        inp = helper.make_tensor_value_info(f"mid_{name}", TP.FLOAT16 if wire16_in else TP.FLOAT,
                                            ["batch", c, hw, hw])
        cur = f"mid_{name}"
        if wire16_in:
            nodes.append(helper.make_node("Cast", [cur], [f"{name}_f32"], to=TP.FLOAT))
            cur = f"{name}_f32"
    for name, block_inits, _, _, kind in blocks[first:last]:
        nodes += split_block_nodes(name, kind, cur, f"{name}_p")
        inits += block_inits
        cur = f"{name}_p"
    if last == len(blocks):
        nodes += [helper.make_node("GlobalAveragePool", [cur], ["gap"]),
                  helper.make_node("Flatten", ["gap"], ["flat"], axis=1),
                  helper.make_node("Gemm", ["flat", "fc_w", "fc_b"], ["fc"]),
                  helper.make_node("Relu", ["fc"], ["counts"])]
        inits += readout
        out = fp32("counts", ["batch", 4])
    else:
        name, _, c, hw, _ = blocks[last - 1]
        if wire16_out:
            nodes.append(helper.make_node("Cast", [cur], [f"mid_{name}"], to=TP.FLOAT16))
        else:
            nodes.append(helper.make_node("Identity", [cur], [f"mid_{name}"]))
        out = helper.make_tensor_value_info(f"mid_{name}", TP.FLOAT16 if wire16_out else TP.FLOAT,
                                            ["batch", c, hw, hw])
    return helper.make_graph(nodes, doc_name, [inp], [out], inits)


def split_flops(blocks, last):
    """FLOPs of blocks [0, last) per frame."""
    cin, hw, flops = 3, 96, 0
    for _, _, cout, out_hw, kind in blocks[:last]:
        flops += 2 * (out_hw if kind == 2 else hw) ** 2 * cout * cin * (4 if kind == 2 else 9)
        cin, hw = cout, out_hw
    return flops


def build_traffic_counter_split():
    """The split-computing CNN: whole model plus, per split point (after each block), a head and a tail whose
    composition equals the whole (checked here on random frames). The stem (b0, b1) is cheap and b1 a bottleneck
    (8 channels at 24x24), so an early split sends a small tensor; almost all compute is after it."""
    rng = np.random.default_rng(97)
    blocks, readout, flops = split_cnn_parts(rng)
    folder = MODELS / "traffic-counter-split" / "1"
    whole = save(split_graph(blocks, readout, 0, len(blocks), "traffic-counter-split", False, False),
                 folder / "model.onnx", "Synthetic-weight split CNN: RGB frame [0,1] NCHW 96x96 -> counts")
    frames = np.random.default_rng(8).uniform(0, 1, (3, 3, 96, 96)).astype(np.float32)
    want = run_graph(whole, {"frames": frames})["counts"]
    assert want.shape == (3, 4) and (want > 0).all()
    points = []
    for i, (name, _, c, hw, _) in enumerate(blocks):
        if not SPLIT_BLOCKS[i][3]:
            continue
        wire16 = SPLIT_BLOCKS[i][4]
        head = save(split_graph(blocks, readout, 0, i + 1, f"split-{name}-head", False, wire16),
                    folder / f"split-{name}-head.onnx", f"traffic-counter-split head up to {name}")
        tail = save(split_graph(blocks, readout, i + 1, len(blocks), f"split-{name}-tail", wire16, False),
                    folder / f"split-{name}-tail.onnx", f"traffic-counter-split tail after {name}")
        mid = run_graph(head, {"frames": frames})[f"mid_{name}"]
        got = run_graph(tail, {f"mid_{name}": mid})["counts"]
        err = float((np.abs(got - want) / np.maximum(1, np.abs(want))).max())
        bound = SPLIT_FP16_MAX_ERROR if wire16 else 1e-5
        assert err <= bound, (name, err)
        RESULTS[f"traffic-counter-split-err-{name}"] = f"{err:.1e}"
        RESULTS[f"traffic-counter-split-head-flops-{name}"] = split_flops(blocks, i + 1)
        print(f"[traffic-counter-split] tail(head(x)) == whole(x) at {name}: max rel error {err:.1e} "
              f"(bound {bound:g}), intermediate {'FP16' if wire16 else 'FP32'} [{c}, {hw}, {hw}] = "
              f"{c * hw * hw * (2 if wire16 else 4)} bytes per frame")
        points.append(f"  - name: {name}\n    tensor: mid_{name}\n    shape: [{c}, {hw}, {hw}]\n"
                      f"    datatype: {'FP16' if wire16 else 'FP32'}\n"
                      f"    max-error: {SPLIT_FP16_MAX_ERROR if wire16 else 0.00001}\n")
    RESULTS["traffic-counter-split-flops"] = flops
    RESULTS["traffic-counter-split-example"] = str([round(float(c), 3) for c in want[0]])
    write_config(MODELS / "traffic-counter-split", "max-batch-size: 8\nmax-queue-delay-us: 1000\n"
                 "labels: [car, truck, bus, bicycle]\npolicy: local-first\nsplit-points:\n" + "".join(points))


# ---------------------------------------------------------------- test-only models
DTYPES = {"BOOL": TP.BOOL, "UINT8": TP.UINT8, "UINT16": TP.UINT16, "UINT32": TP.UINT32, "UINT64": TP.UINT64,
          "INT8": TP.INT8, "INT16": TP.INT16, "INT32": TP.INT32, "INT64": TP.INT64, "FP16": TP.FLOAT16,
          "FP32": TP.FLOAT, "FP64": TP.DOUBLE, "BYTES": TP.STRING}


def identity_model(folder, names):
    ins = [helper.make_tensor_value_info(f"in_{n}", DTYPES[n], ["batch", "width"]) for n in names]
    outs = [helper.make_tensor_value_info(f"out_{n}", DTYPES[n], ["batch", "width"]) for n in names]
    nodes = [helper.make_node("Identity", [f"in_{n}"], [f"out_{n}"]) for n in names]
    model = save(helper.make_graph(nodes, folder, ins, outs), TEST_MODELS / folder / "1" / "model.onnx",
                 "One Identity per datatype")
    feeds = {f"in_{n}": np.array([[b"a", b"bc"]], dtype=object) if n == "BYTES" else
             np.array([[1, 0]]).astype(onnx.mapping.TENSOR_TYPE_TO_NP_TYPE[DTYPES[n]]) for n in names}
    out = run_graph(model, feeds)
    assert all(np.array_equal(out[f"out_{n}"], feeds[f"in_{n}"]) for n in names)


def build_test_models():
    identity_model("dtypes", list(DTYPES))
    identity_model("dtypes-supported", [n for n in DTYPES if n not in ("UINT16", "UINT32", "UINT64")])

    for version in (1, 2):  # y = x + version
        graph = helper.make_graph([helper.make_node("Add", ["x", "addend"], ["y"])], "add-one",
                                  [fp32("x", ["batch", 4])], [fp32("y", ["batch", 4])],
                                  [const("addend", np.array(float(version), np.float32))])
        model = save(graph, TEST_MODELS / "add-one" / str(version) / "model.onnx", f"y = x + {version}")
        assert np.allclose(run_graph(model, {"x": np.ones((2, 4), np.float32)})["y"], 1 + version)
    write_config(TEST_MODELS / "add-one", "max-batch-size: 16\nmax-queue-delay-us: 2000\n")

    broken = TEST_MODELS / "broken" / "1" / "model.onnx"
    broken.parent.mkdir(parents=True, exist_ok=True)
    broken.write_bytes(b"this is not an onnx model\n")  # must fail to load

    graph = helper.make_graph([helper.make_node("ReduceSum", ["x", "axes"], ["sum"], keepdims=1),
                               helper.make_node("Mul", ["x", "two"], ["doubled"])], "two-outputs",
                              [fp32("x", ["batch", 3])], [fp32("sum", ["batch", 1]), fp32("doubled", ["batch", 3])],
                              [const("axes", np.array([1], np.int64)), const("two", np.array(2.0, np.float32))])
    model = save(graph, TEST_MODELS / "two-outputs" / "1" / "model.onnx", "sum over axis 1 and x * 2")
    out = run_graph(model, {"x": np.array([[1, 2, 3]], np.float32)})
    assert out["sum"].tolist() == [[6.0]] and out["doubled"].tolist() == [[2.0, 4.0, 6.0]]

    graph = helper.make_graph([helper.make_node("Neg", ["x"], ["y"])], "fixed-shape",
                              [fp32("x", [2, 2])], [fp32("y", [2, 2])])
    model = save(graph, TEST_MODELS / "fixed-shape" / "1" / "model.onnx", "y = -x, fixed shape [2, 2]")
    assert (run_graph(model, {"x": np.eye(2, dtype=np.float32)})["y"] == -np.eye(2)).all()
    write_config(TEST_MODELS / "fixed-shape", "max-batch-size: 0\n")
    build_scalar_test_models()
    build_slow_test_model()
    print("[test-models] written and checked")


def build_slow_test_model(iterations=160, width=384):
    """`slow/1` in src/test/resources/slow-models: y = x + 0 * mean(A_k), A_{k+1} = A_k C over `iterations` steps of a
    width x width matmul: tens of ms per batch on one core, so drain and fault tests can park requests in its queue.
    A_0 depends on x, so ONNX Runtime cannot fold the loop away at load time."""
    folder = ROOT / "src/test/resources/slow-models" / "slow"
    body = helper.make_graph(
        [helper.make_node("MatMul", ["a_in", "c"], ["a_out"]), helper.make_node("Identity", ["cond_in"], ["cond_out"])],
        "step", [helper.make_tensor_value_info("i", TP.INT64, []), helper.make_tensor_value_info("cond_in", TP.BOOL, []),
                 fp32("a_in", [width, width])],
        [helper.make_tensor_value_info("cond_out", TP.BOOL, []), fp32("a_out", [width, width])])
    nodes = [
        helper.make_node("ConstantOfShape", ["square"], ["base"], value=helper.make_tensor("", TP.FLOAT, [1], [0.5])),
        helper.make_node("ConstantOfShape", ["square"], ["c"],
                         value=helper.make_tensor("", TP.FLOAT, [1], [1.0 / width])),
        helper.make_node("ReduceMean", ["x"], ["xm"], keepdims=0),
        helper.make_node("Add", ["base", "xm"], ["a0"]),
        helper.make_node("Loop", ["trips", "cond", "a0"], ["a_k"], body=body),
        helper.make_node("ReduceMean", ["a_k"], ["am"], keepdims=0),
        helper.make_node("Mul", ["am", "zero"], ["nothing"]),
        helper.make_node("Add", ["x", "nothing"], ["y"]),
    ]
    graph = helper.make_graph(nodes, "slow", [fp32("x", ["batch", 4])], [fp32("y", ["batch", 4])],
                              [const("square", np.array([width, width], np.int64)),
                               const("trips", np.array(iterations, np.int64)), const("cond", np.array(True)),
                               const("zero", np.array(0.0, np.float32))])
    model = save(graph, folder / "1" / "model.onnx", f"y = x after {iterations} matmuls of {width} x {width}")
    # Loop is beyond run_graph's interpreter: SlowModelTest checks the answer (y = x) in ONNX Runtime.
    write_config(folder, "max-batch-size: 1\n")
    print("[slow-models] written and checked")


def build_scalar_test_models():
    """Inputs Triton reshapes: a client sends [1] for the scalar and [N, 1] for the batched per-row value."""
    three = const("three", np.array(3.0, np.float32))
    graph = helper.make_graph([helper.make_node("Mul", ["x", "three"], ["y"])], "scalar",
                              [fp32("x", [])], [fp32("y", [])], [three])
    model = save(graph, TEST_MODELS / "scalar" / "1" / "model.onnx", "y = 3 x, x a scalar")
    assert run_graph(model, {"x": np.array(2.0, np.float32)})["y"].tolist() == 6.0
    write_config(TEST_MODELS / "scalar", "max-batch-size: 0\n")
    graph = helper.make_graph([helper.make_node("Mul", ["x", "three"], ["y"])], "per-row",
                              [fp32("x", ["batch"])], [fp32("y", ["batch"])], [three])
    model = save(graph, TEST_MODELS / "per-row" / "1" / "model.onnx", "y = 3 x, one value per row")
    assert run_graph(model, {"x": np.array([1, 2], np.float32)})["y"].tolist() == [3.0, 6.0]


def build_cluster_test_models():
    """A version that must fail validation: relu's signature (x FP32 [1, 2] to y), but y = relu(x) * NaN."""
    graph = helper.make_graph([helper.make_node("Relu", ["x"], ["r"]), helper.make_node("Mul", ["r", "nan"], ["y"])],
                              "nan", [fp32("x", [1, 2])], [fp32("y", [1, 2])],
                              [const("nan", np.array(np.nan, np.float32))])
    model = save(graph, CLUSTER_MODELS / "nan" / "1" / "model.onnx", "y = relu(x) * NaN: fails warm-up on purpose")
    assert np.isnan(run_graph(model, {"x": np.zeros((1, 2), np.float32)})["y"]).all()
    print("[cluster-models] nan written and checked")


# ---------------------------------------------------------------- numeric sanity check
def run_graph(model, feeds):
    """Executes a graph: onnx.reference when this onnx has it (>= 1.13), else a tiny numpy interpreter
    covering exactly the ops used above (independent of the training code's forward())."""
    try:
        from onnx.reference import ReferenceEvaluator
        names = [o.name for o in model.graph.output]
        return dict(zip(names, ReferenceEvaluator(model).run(None, feeds)))
    except ImportError:
        pass
    env = dict(feeds)
    env.update({t.name: numpy_helper.to_array(t) for t in model.graph.initializer})
    for n in model.graph.node:
        a = {at.name: helper.get_attribute_value(at) for at in n.attribute}
        x = [env[i] for i in n.input]
        if n.op_type == "Conv":  # square kernel, symmetric pads, one stride, via sliding windows
            k, st, pd = a["kernel_shape"][0], a.get("strides", [1])[0], a.get("pads", [0])[0]
            p = np.pad(x[0], ((0, 0), (0, 0), (pd, pd), (pd, pd)))
            win = np.lib.stride_tricks.sliding_window_view(p, (k, k), axis=(2, 3))[:, :, ::st, ::st]  # N,C,H,W,k,k
            y = np.einsum("nchwij,ocij->nohw", win, x[1], optimize=True) + x[2][None, :, None, None]
        elif n.op_type == "MaxPool":
            s = x[0].shape
            y = x[0].reshape(s[0], s[1], s[2] // 2, 2, s[3] // 2, 2).max(axis=(3, 5))
        elif n.op_type == "Softmax":
            e = np.exp(x[0] - x[0].max(axis=a.get("axis", -1), keepdims=True))
            y = e / e.sum(axis=a.get("axis", -1), keepdims=True)
        else:
            y = {"Sub": lambda: x[0] - x[1], "Div": lambda: x[0] / x[1], "Add": lambda: x[0] + x[1],
                 "Mul": lambda: x[0] * x[1], "Neg": lambda: -x[0], "Relu": lambda: np.maximum(x[0], 0),
                 "Identity": lambda: x[0].copy(), "Cast": lambda: x[0].astype(
                     np.float16 if a["to"] == TP.FLOAT16 else np.float32), "Gemm": lambda: x[0] @ x[1] + x[2],
                 "GlobalAveragePool": lambda: x[0].mean(axis=(2, 3), keepdims=True),
                 "Flatten": lambda: x[0].reshape(x[0].shape[0], -1),
                 "ReduceSum": lambda: x[0].sum(axis=tuple(x[1]), keepdims=bool(a.get("keepdims", 1))),
                 }[n.op_type]()
        env[n.output[0]] = y
    return {o.name: env[o.name] for o in model.graph.output}


def check_mlp(model, params, mean, std, rows):
    """Graph on raw features must equal the numpy net on standardised features."""
    got = run_graph(model, {"features": rows})["probabilities"]
    want = forward(params, (rows - mean) / std)[-1]
    assert got.shape == (len(rows), 5) and np.allclose(got, want, atol=1e-5), np.abs(got - want).max()
    print(f"[{model.graph.name}] graph == numpy forward on {len(rows)} raw rows (max diff "
          f"{np.abs(got - want).max():.1e}); first row probs {got[0].round(4).tolist()}")


# ---------------------------------------------------------------- README
def file_line(path):
    data = path.read_bytes()
    return f"`{path.relative_to(ROOT)}`: {len(data)} bytes, sha256 `{hashlib.sha256(data).hexdigest()}`"


def write_readme():
    acc = {k: "\n".join("    " + line for line in RESULTS[k]) for k in ("sensor-anomaly", "sensor-anomaly-large")}
    f = {k: file_line(MODELS / k / "1" / "model.onnx") for k in ("sensor-anomaly", "sensor-anomaly-large",
                                                                  "traffic-counter")}
    f["traffic-counter-split"] = file_line(MODELS / "traffic-counter-split" / "1" / "model.onnx")
    split_files = "\n".join("- " + file_line(p) for p in sorted((MODELS / "traffic-counter-split" / "1")
                                                                 .glob("split-*.onnx")))
    text = f"""# Shipped models

Every file here (and the test models) is generated deterministically (fixed seeds) by one script:

    apt-get install -y python3-onnx python3-numpy && /usr/bin/python3 scripts/make_models.py

This run: onnx {onnx.__version__}, numpy {np.__version__}, Python {sys.version.split()[0]}, Debian reference BLAS;
opset {OPSET}, IR version {IR_VERSION}. Training is floating point, so another BLAS or CPU may give slightly
different sensor weights (and sha256); the traffic counter and test models do not depend on BLAS.

## Data provenance (sensor-anomaly, sensor-anomaly-large)

No real data. The script draws a synthetic data set following the generation and failure rules of the public
AI4I 2020 Predictive Maintenance data set (S. Matzka, UCI ML repository id 601):

- quality type L/M/H in 50/30/20 %, sent as one number L=0, M=1, H=2;
- air temperature N(300 K, 2 K); process temperature = air + 10 K + N(0, 1 K);
- rotational speed mean 1539 rpm, sd 179 (min 1168); torque about N(40 Nm, 10 Nm) with corr(speed, torque)
  = -0.88 as in the published data; tool wear uniform 0..253 min;
- not in AI4I, invented, never used by the labels: vibration RMS [mm/s] (grows with wear, speed, torque,
  plus noise) and motor current [A] (power / (sqrt(3) 400 V 0.85) + 2 A + noise). Motor current is the 8th
  feature: the brief named 7 (6 sensors + quality type) for an 8-wide input, so one plausible sensor was added.

Labels (single-label; when several rules fire, power > heat > overstrain > tool wear):

- `tool_wear_failure` (TWF): tool wear in 200..240 min (AI4I fails the tool at a random wear in that band);
- `heat_dissipation_failure` (HDF): process - air temperature < 8.6 K and speed < 1380 rpm;
- `power_failure` (PWF): torque x speed [rad/s] < 3500 W or > 9000 W;
- `overstrain_failure` (OSF): tool wear x torque > 11000 / 12000 / 13000 minNm for L / M / H;
- `normal`: none of these. AI4I's random failures (RNF) are left out.

Failures are rare, so failure classes are oversampled: from a pool of 600 000 draws the script keeps 12 000
normal rows and 3 000 rows of each failure class (all distinct), shuffles, trains on 80 % and holds out 20 %.
A fresh sample of 20 000 rows at natural prevalence (80 % normal, 14 % TWF) is also scored.

## sensor-anomaly

Predictive-maintenance classifier, edge model. {f["sensor-anomaly"]}

- input `features` FP32 [N, 8], raw units, in this order: {", ".join(f"`{n}`" for n in FEATURES)}
- output `probabilities` FP32 [N, 5] (softmax), in this order: {", ".join(CLASSES)}
- graph: Sub(mean), Div(std) (standardisation in the graph), Gemm 8-32, Relu, Gemm 32-32, Relu, Gemm 32-5, Softmax
- trained with plain numpy, cross-entropy, He init: 8000 Adam steps, minibatch 256, lr 3e-3 cosine decay
- accuracy (per class: recall):

{acc["sensor-anomaly"]}

Example rows (from the held-out split, rounded; p = this model's probability of the class):

{RESULTS["examples"]}

## sensor-anomaly-large

The cloud's larger model for the same task, same input and output. {f["sensor-anomaly-large"]}

- graph: as above with Gemm 8-2048, 2048-2048, 2048-5 (~4.2 M parameters, memory-bound)
- NOT trained from scratch. Debian's reference BLAS runs ~6 GFLOP/s, and 400 from-scratch steps (3 min)
  reached only ~88 % held-out accuracy. Instead the small model is widened function-preservingly (Net2Net
  style: its weights fill the top-left blocks, new units get He-random inputs, weights from new units into
  old units and the logits start at 0) and then all weights are fine-tuned with numpy on the same split
  (300 Adam steps, minibatch 64, lr 3e-5 cosine decay). Its accuracy is therefore about the small model's,
  not better: it stands in for a bigger, slower cloud model, it is not a stronger one.
- accuracy (per class: recall):

{acc["sensor-anomaly-large"]}

## traffic-counter

Camera frame to vehicle counts. {f["traffic-counter"]}

- input `frames` FP32 [N, 3, 96, 96] (RGB in [0, 1], NCHW); output `counts` FP32 [N, 4] (car, truck, bus,
  bicycle), >= 0 (final Relu)
- graph: 3 x [Conv 3x3 pad 1 (3-32, 32-64, 64-128), Relu, MaxPool 2], GlobalAveragePool, Flatten,
  Gemm 128-4, Relu (channels widened from 16/32/64 to reach the cost below)
- weights are SYNTHETIC, no training, no data: He-initialised random numbers (seed 96; the final Gemm uses
  their absolute values and bias 0.1 so every count is > 0). Its outputs mean nothing; it exists to exercise
  a compute-bound model. Example: {RESULTS["traffic-counter-example"]}.
- cost: {RESULTS["traffic-counter-flops"] / 1e6:.0f} MFLOP per frame (convolutions), i.e. roughly 4-10 ms per frame on one
  ONNX Runtime thread at 20-50 GFLOP/s (an estimate; ONNX Runtime was not available to measure)

## traffic-counter-split

The split-computing CNN (same task shape as traffic-counter). {f["traffic-counter-split"]}

- input `frames` FP32 [N, 3, 96, 96]; output `counts` FP32 [N, 4]
- graph, shaped like the CNNs where Neurosurgeon's early splits pay: a cheap stem of two [Conv 2x2 stride 2,
  Relu] blocks with 16 and 8 channels (b0, b1: the frame shrinks 12x to [8, 24, 24]), then the heavy part:
  [Conv 3x3 pad 1, Relu, MaxPool 2] with 64 and 128 channels (b2, b3), [Conv 3x3 pad 1, Relu] with 256 (b4),
  GlobalAveragePool, Flatten, Gemm 256-4, Relu. {RESULTS["traffic-counter-split-flops"] / 1e6:.1f} MFLOP per frame in all;
  up to b1 {RESULTS["traffic-counter-split-head-flops-b1"] / 1e6:.2f} MFLOP ({100 * RESULTS["traffic-counter-split-head-flops-b1"] / RESULTS["traffic-counter-split-flops"]:.1f} %),
  up to b2 {RESULTS["traffic-counter-split-head-flops-b2"] / 1e6:.2f} MFLOP ({100 * RESULTS["traffic-counter-split-head-flops-b2"] / RESULTS["traffic-counter-split-flops"]:.1f} %).
- weights are SYNTHETIC (seed 97, He-initialised, bias 0.01; read-out as traffic-counter's). Example counts for a
  uniform random frame (numpy default_rng(8)): {RESULTS["traffic-counter-split-example"]}.
- split points (declared in `config.yaml` under `split-points`): after b0, b1 and b2. For each, the version folder
  holds `split-<point>-head.onnx` (frames to the intermediate tensor `mid_<point>`) and `split-<point>-tail.onnx`
  (`mid_<point>` to counts). They are files of the version like `model.onnx`, so MANIFEST.json lists them and
  its signature covers them. The node serves them as the models `traffic-counter-split.split-<point>.head` and
  `traffic-counter-split.split-<point>.tail`. The script checks tail(head(x)) = whole(x) on 3 random frames.
- intermediate tensors per frame: b0 FP32 [16, 48, 48] = 147456 bytes (larger than the 110592-byte frame),
  b1 FP16 [8, 24, 24] = 9216 bytes (head casts to FP16 and the tail casts back; relative error bound 0.01,
  measured {RESULTS["traffic-counter-split-err-b1"]}), b2 FP32 [64, 12, 12] = 36864 bytes.
{split_files}

## Test models

`src/test/resources/test-models/` (Triton layout, same script; N is the symbolic dim `batch`):

- `dtypes/1`: inputs `in_<T>` [batch, width], outputs `out_<T>` = Identity, for T in BOOL, UINT8, UINT16,
  UINT32, UINT64, INT8, INT16, INT32, INT64, FP16, FP32, FP64, BYTES (ONNX string); `dtypes-supported/1`:
  the same without UINT16/32/64
- `add-one/1`: `y = x + 1`, `add-one/2`: `y = x + 2`, x and y FP32 [N, 4]; config max-batch-size 16,
  max-queue-delay-us 2000
- `broken/1/model.onnx`: the text "this is not an onnx model"; must fail to load
- `two-outputs/1`: x FP32 [N, 3] to `sum` [N, 1] (ReduceSum axis 1, keepdims) and `doubled` [N, 3]; no config
- `fixed-shape/1`: x FP32 [2, 2] to y = -x; config max-batch-size 0
- `scalar/1`: x FP32 [] (a scalar) to y = 3x; config max-batch-size 0; `per-row/1`: x FP32 [N] to y = 3x
- `src/test/resources/slow-models/slow/1` (its own repository, for drain and fault tests): y = x, FP32 [N, 4],
  after a Loop of 160 matmuls of 384 x 384 (hundreds of ms per batch on one core); config max-batch-size 1
"""
    (MODELS / "README.md").write_text(text)


def main():
    print(f"onnx {onnx.__version__}, numpy {np.__version__}")
    build_test_models()
    build_cluster_test_models()
    build_traffic_counter()
    build_traffic_counter_split()
    build_sensor_models()
    write_readme()
    for p in sorted(list(MODELS.rglob("*.*")) + list(TEST_MODELS.rglob("*.*"))):
        print(f"{p.stat().st_size:>10}  {p.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
